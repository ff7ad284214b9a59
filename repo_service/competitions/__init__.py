"""Competitions: set-up, entries, results and exports."""
