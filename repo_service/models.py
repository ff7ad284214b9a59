"""Every model module, imported once so the metadata (and Alembic) sees all tables."""

from repo_service.accounts.models import Organisation, User, UserRole
from studio.models import LiveSession

__all__ = ["LiveSession", "Organisation", "User", "UserRole"]
