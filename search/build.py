"""What the index needs of resources, read from the database (the source of truth).

Sources are loaded in batches (one query for the resources, one for their current versions'
pages) so a full reindex reads the database in a few hundred queries, not one per resource.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from repo_service.processing.models import DocumentPage
from repo_service.resources.models import Resource, ResourceStatus
from search.models import SearchWord
from search.text import Words


def _source(resource: Resource, pages: list[tuple[int, str]]) -> dict[str, Any]:
    version = resource.current_version
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
        "views": resource.view_count,
        "award": resource.award,
        "poster": bool(version is not None and version.poster_key),
        "pages": pages,
    }


def resource_sources(session: Session, ids: Sequence[int]) -> dict[int, dict[str, Any] | None]:
    """Plain values for the document builders, by id; None for a resource gone for good."""
    found: dict[int, dict[str, Any] | None] = dict.fromkeys(ids)
    resources = session.scalars(
        select(Resource)
        .where(Resource.id.in_(ids), Resource.deleted_at.is_(None))
        .options(selectinload(Resource.organisation))
    ).all()
    current = {r.current_version.id: r.id for r in resources if r.current_version is not None}
    pages: dict[int, list[tuple[int, str]]] = {r.id: [] for r in resources}
    if current:
        rows = session.execute(
            select(DocumentPage.version_id, DocumentPage.number, DocumentPage.text)
            .where(DocumentPage.version_id.in_(current))
            .order_by(DocumentPage.version_id, DocumentPage.number)
        )
        for version_id, number, text in rows:
            if text:
                pages[current[version_id]].append((number, text))
    for resource in resources:
        found[resource.id] = _source(resource, pages[resource.id])
    return found


def resource_source(session: Session, resource_id: int) -> dict[str, Any] | None:
    return resource_sources(session, [resource_id])[resource_id]


def all_ids(session: Session) -> list[int]:
    """Every resource the index should know of (hidden ones too: staff search them)."""
    return list(
        session.scalars(select(Resource.id).where(Resource.deleted_at.is_(None)).order_by("id"))
    )


def batches(session: Session, ids: Sequence[int], size: int = 500) -> Iterator[dict[str, Any]]:
    """Sources of ``ids`` in order, loaded ``size`` at a time; the session is cleared between."""
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        for source in resource_sources(session, chunk).values():
            if source is not None:
                yield source
        session.expunge_all()


def dictionary_words(session: Session) -> Words:
    """The words admins added, as the next reindex will apply them."""
    rows = session.execute(select(SearchWord.word, SearchWord.freq).order_by(SearchWord.word))
    return tuple((w, f) for w, f in rows)
