"""Removal of the stored objects of deleted resources (the database row stays, marked)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from repo_service.db import utcnow
from repo_service.resources.services import pending_purge_query
from repo_service.storage import ObjectStorage


def purge_deleted(session: Session, storage: ObjectStorage) -> int:
    count = 0
    for version in session.scalars(pending_purge_query()).all():
        storage.delete("originals", version.object_key)  # deleting a missing key succeeds
        version.purged_at = utcnow()
        count += 1
    session.flush()
    return count
