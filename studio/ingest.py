"""Recording ingest: the file OBS closed becomes a version of a new resource, goes through the
transcoder and is published as the session's replay.

The hub runs this beside OBS (it reads OBS's recording folder); everything after the upload to
object storage is the same path as a teacher's upload (``add_version``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask
from sqlalchemy import select, update

from repo_service.accounts.models import Role, User, UserRole
from repo_service.db import utcnow
from repo_service.resources.models import ResourceKind, ResourceStatus
from repo_service.resources.services import ResourceFields, add_version, create_resource
from studio.models import SESSION_KIND_LABELS, LiveSession, ReplayStatus

if TYPE_CHECKING:
    from studio.hub import StudioHub

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    ".mkv": "video/x-matroska",
    ".mp4": "video/mp4",
    ".flv": "video/x-flv",
    ".mov": "video/quicktime",
}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _claim(app: Flask, live_id: int, source: ReplayStatus, target: ReplayStatus) -> bool:
    with app.extensions["db"].session() as session:
        done = session.execute(
            update(LiveSession)
            .where(LiveSession.id == live_id, LiveSession.replay_status == source)
            .values(replay_status=target)
        )
        session.commit()
        return bool(getattr(done, "rowcount", 0) == 1)


def ingest_recording(app: Flask, hub: StudioHub | None, live_id: int) -> int | None:
    """Store session ``live_id``'s closed recording and publish it as its replay; the resource
    id, or None when there is nothing (more) to do."""
    with app.extensions["db"].session() as session:
        live = session.get(LiveSession, live_id)
        if live is None or live.replay_status != ReplayStatus.WAITING or not live.recording_path:
            return None
        path, studio_id = Path(live.recording_path), live.studio_id
    runner = hub.runners.get(studio_id) if hub is not None and studio_id is not None else None
    if runner is not None and not runner.is_closed(str(path)):
        # OBS has not reported the file closed: the RecordStateChanged event queues it again.
        return None
    if not _claim(app, live_id, ReplayStatus.WAITING, ReplayStatus.INGESTING):
        return None  # another ingest took it
    storage = app.extensions["storage"]
    key = f"{utcnow():%Y/%m}/{secrets.token_hex(16)}"
    try:
        size = path.stat().st_size
        if size == 0:
            raise OSError(f"the recording {path} is empty")
        checksum = _sha256(path)
        content_type = CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
        storage.put_file("originals", key, os.fspath(path), content_type)
        with app.extensions["db"].session() as session:
            live = session.get(LiveSession, live_id)
            assert live is not None
            owner = session.get(User, live.created_by_id) if live.created_by_id else None
            if owner is None:
                owner = session.scalar(
                    select(User).join(UserRole).where(UserRole.role == Role.ADMIN).limit(1)
                )
            if owner is None:
                raise RuntimeError("no user can own the replay")
            started = live.started_at or live.scheduled_start or utcnow()
            kind_zh = SESSION_KIND_LABELS[live.kind][0]
            resource = create_resource(
                session,
                owner,
                ResourceFields(
                    kind=ResourceKind.VIDEO,
                    title=f"{live.title}（回放）"[:200],
                    summary=f"{kind_zh}回放，{started:%Y-%m-%d} 录制于演播室。",
                    category=live.category or "老年教育/智能技术",
                    audience=live.audience or "社区居民",
                    authors=live.teacher or owner.display_name,
                    tags=("直播回放",),
                ),
            )
            resource.organisation_id = live.organisation_id
            add_version(
                session,
                app.extensions["celery"],
                resource,
                object_key=key,
                filename=f"{live.title}{path.suffix.lower()}",
                size=size,
                content_type=content_type,
                created_by_id=owner.id,
                expected_sha256=checksum,
            )
            resource.status = ResourceStatus.PUBLISHED
            resource.published_at = utcnow()
            live.replay_resource_id = resource.id
            live.replay_status = ReplayStatus.READY
            live.replay_error = None
            session.commit()
            log.info("live session %s: replay is resource %s", live_id, resource.id)
            return resource.id
    except Exception as exc:
        log.exception("live session %s: ingest of %s failed", live_id, path)
        with app.extensions["db"].session() as session:
            session.execute(
                update(LiveSession)
                .where(LiveSession.id == live_id)
                .values(replay_status=ReplayStatus.FAILED, replay_error=str(exc)[:2000])
            )
            session.commit()
        try:
            storage.delete("originals", key)
        except Exception:  # noqa: BLE001 - the object may never have been written
            log.debug("nothing to remove at %s", key)
        return None


def retry_ingest(app: Flask, live_id: int) -> bool:
    """A failed ingest may be tried again (the file is still on the studio PC)."""
    return _claim(app, live_id, ReplayStatus.FAILED, ReplayStatus.WAITING)
