"""Rows for many resources at once, straight into the database (tests and benchmarks).

Each resource is a plain dict (the shape of ``tests.search.corpus``): title, summary, tags,
kind, category, audience, street, year, duration, views, award, status and page texts. Rows
are inserted in bulk, so a hundred thousand resources load in seconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from repo_service.accounts.models import Organisation, OrgKind
from repo_service.accounts.services import ensure_network
from repo_service.processing.models import DocumentPage
from repo_service.resources.models import (
    ProcessingStatus,
    Resource,
    ResourceKind,
    ResourceStatus,
    ResourceTag,
    ResourceVersion,
)

SCHOOL = "{street}街道{street}社区居民学校"


def organisations(session: Session) -> dict[str, int]:
    """One community school under each street centre; street short name → organisation id."""
    ensure_network(session)
    streets = {
        o.name.removesuffix("街道社区教育中心"): o
        for o in session.scalars(select(Organisation).where(Organisation.kind == OrgKind.STREET))
    }
    found: dict[str, int] = {}
    for street, centre in streets.items():
        name = SCHOOL.format(street=street)
        school = session.scalar(select(Organisation).where(Organisation.name == name))
        if school is None:
            school = Organisation(name=name, kind=OrgKind.SCHOOL, parent_id=centre.id)
            session.add(school)
            session.flush()
        found[street] = school.id
    return found


def load(
    session: Session, resources: Sequence[dict[str, Any]], owner_id: int, batch: int = 5000
) -> list[int]:
    """Insert ``resources`` with their tags, a processed version and pages; returns their ids."""
    orgs = organisations(session)
    ids: list[int] = []
    for start in range(0, len(resources), batch):
        chunk = resources[start : start + batch]
        rows = []
        for item in chunk:
            published = item["status"] == "published"
            month = 1 + int(hashlib.sha256(item["title"].encode()).hexdigest(), 16) % 12
            when = min(
                dt.datetime(item["year"], month, 15, tzinfo=dt.UTC),
                dt.datetime.now(dt.UTC) - dt.timedelta(days=1),
            )
            rows.append(
                {
                    "kind": ResourceKind(item["kind"]),
                    "title": item["title"],
                    "summary": item["summary"],
                    "category": item["category"],
                    "audience": item["audience"],
                    "authors": "",
                    "organisation_id": orgs[item["street"]],
                    "owner_id": owner_id,
                    "status": ResourceStatus(item["status"]),
                    "published_at": when if published else None,
                    "created_at": when,
                    "updated_at": when,
                    "view_count": item.get("views", 0),
                    "award": item.get("award"),
                }
            )
        chunk_ids = list(session.scalars(insert(Resource).returning(Resource.id), rows))
        tags = [
            {"resource_id": rid, "tag": tag}
            for rid, item in zip(chunk_ids, chunk, strict=True)
            for tag in dict.fromkeys(item.get("tags", []))
        ]
        if tags:
            session.execute(insert(ResourceTag), tags)
        versions = []
        for rid, item in zip(chunk_ids, chunk, strict=True):
            digest = hashlib.sha256(f"{rid}:{item['title']}".encode()).hexdigest()
            document = item["kind"] in ("textbook", "reader")
            versions.append(
                {
                    "resource_id": rid,
                    "number": 1,
                    "object_key": f"corpus/{rid}/{digest[:16]}",
                    "original_filename": f"{item['title']}.{'pdf' if document else 'mp4'}",
                    "size": 1,
                    "content_type": "application/pdf" if document else "video/mp4",
                    "sha256": digest,
                    "processing_status": ProcessingStatus.READY,
                    "created_by_id": owner_id,
                    "duration": item.get("duration"),
                    "page_count": len(item.get("pages", [])) or None,
                }
            )
        version_ids = list(
            session.scalars(insert(ResourceVersion).returning(ResourceVersion.id), versions)
        )
        pages = [
            {"version_id": vid, "number": n, "text": text}
            for vid, item in zip(version_ids, chunk, strict=True)
            for n, text in enumerate(item.get("pages", []), start=1)
        ]
        if pages:
            session.execute(insert(DocumentPage), pages)
        session.commit()
        ids += chunk_ids
    return ids
