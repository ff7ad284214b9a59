"""Offline activities of the street centres and their sign-ins (QR code or XLSX sheet)."""
