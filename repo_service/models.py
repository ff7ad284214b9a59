"""Every model module, imported once so the metadata (and Alembic) sees all tables."""

from repo_service.accounts.models import ApiToken, Organisation, User, UserRole
from repo_service.resources.models import Resource, ResourceTag, ResourceVersion
from repo_service.uploads.models import UploadChunk, UploadSession
from studio.models import LiveSession

__all__ = [
    "ApiToken",
    "LiveSession",
    "Organisation",
    "Resource",
    "ResourceTag",
    "ResourceVersion",
    "UploadChunk",
    "UploadSession",
    "User",
    "UserRole",
]
