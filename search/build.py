"""What the index needs of a resource, read from the database (the source of truth)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_service.processing.models import DocumentPage
from repo_service.resources.models import Resource, ResourceStatus


def resource_source(session: Session, resource_id: int) -> dict[str, Any] | None:
    """Plain values for the document builders; None when the resource is gone for good."""
    resource = session.get(Resource, resource_id)
    if resource is None or resource.deleted_at is not None:
        return None
    version = resource.current_version
    pages: list[tuple[int, str]] = []
    if version is not None:
        pages = [
            (p.number, p.text)
            for p in session.scalars(
                select(DocumentPage)
                .where(DocumentPage.version_id == version.id)
                .order_by(DocumentPage.number)
            )
            if p.text
        ]
    return {
        "id": resource.id,
        "title": resource.title,
        "summary": resource.summary,
        "tags": resource.tags,
        "authors": [a.strip() for a in resource.authors.replace("，", ",").split(",") if a.strip()],
        "kind": resource.kind.value,
        "category": resource.category,
        "audience": resource.audience,
        "organisation": resource.organisation.name,
        "visible": resource.status == ResourceStatus.PUBLISHED,
        "published_at": resource.published_at.isoformat() if resource.published_at else None,
        "duration": version.duration if version is not None else None,
        "pages": pages,
    }
