"""The one hook through which the index learns that resources changed.

Every session of the application is watched: after each flush, the resources whose rows (or
tags, versions, pages) changed are marked dirty in ``search_dirty`` within the same
transaction, so a mark commits or rolls back with the change it records. After the commit one
``search.apply_dirty`` task is queued on the short pool, unless one is already waiting (a flag
in Redis), so a burst of changes is applied in a few bulk requests rather than one task each.
No view or service has to remember to tell the index anything.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import redis
from celery import Celery
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from repo_service.db import utcnow
from repo_service.processing.models import DocumentPage
from repo_service.resources.models import Resource, ResourceTag, ResourceVersion
from repo_service.resources.services import CHANGED_KEY
from search.models import DirtyResource

log = logging.getLogger(__name__)

MARKED_KEY = "zx_search_marked"
APPLY_TASK = "search.apply_dirty"
# Set while an apply task is queued and has not started; the task clears it first thing.
QUEUED_FLAG = "zx:search-apply-queued:{prefix}"
QUEUED_TTL = 30  # seconds: a flag whose task was lost never blocks the next one for long


def changed_resource_ids(session: Session) -> set[int]:
    """Resources touched by what this flush wrote (new, changed or deleted rows)."""
    ids: set[int] = set()
    version_ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, Resource):
            ids.add(obj.id)
        elif isinstance(obj, ResourceTag | ResourceVersion):
            ids.add(obj.resource_id)
        elif isinstance(obj, DocumentPage):
            version_ids.add(obj.version_id)
    if version_ids:
        ids |= set(
            session.connection().scalars(
                select(ResourceVersion.resource_id).where(ResourceVersion.id.in_(version_ids))
            )
        )
    return ids


def mark_dirty(session: Session, ids: set[int]) -> None:
    """Upsert the marks on the session's own connection (same transaction as the change)."""
    if not ids:
        return
    conn = session.connection()
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    now = utcnow()
    stmt = dialect.insert(DirtyResource).values(
        [{"resource_id": i, "generation": 1, "marked_at": now} for i in sorted(ids)]
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[DirtyResource.resource_id],
        set_={"generation": DirtyResource.generation + 1, "marked_at": now},
    )
    conn.execute(stmt)


class IndexHook:
    """Marks on flush, one queued apply after commit; bound to one app's sessions."""

    def __init__(self, celery_app: Celery, client: redis.Redis, prefix: str) -> None:
        self.celery = celery_app
        self.redis = client
        self.flag = QUEUED_FLAG.format(prefix=prefix)

    def after_flush(self, session: Session, _context: Any) -> None:
        ids = changed_resource_ids(session)
        if ids:
            mark_dirty(session, ids)
            session.info[MARKED_KEY] = True

    def before_commit(self, session: Session) -> None:
        # Changes made with plain UPDATE statements, announced by the services that made them.
        noted = session.info.pop(CHANGED_KEY, None)
        if noted:
            mark_dirty(session, set(noted))
            session.info[MARKED_KEY] = True

    def after_commit(self, session: Session) -> None:
        if session.info.pop(MARKED_KEY, False):
            self.trigger()

    def after_rollback(self, session: Session, _previous: Any) -> None:
        session.info.pop(MARKED_KEY, None)
        session.info.pop(CHANGED_KEY, None)

    def trigger(self) -> None:
        """Queue one apply unless one is waiting already. Marks stay in the database either
        way: when Redis or the broker is down, the beat's periodic apply picks them up."""
        try:
            if not self.redis.set(self.flag, 1, nx=True, ex=QUEUED_TTL):
                return
        except redis.RedisError as exc:
            log.warning("index update not queued now (Redis: %s); the periodic apply will", exc)
            return
        try:
            self.celery.send_task(APPLY_TASK)
        except Exception as exc:  # noqa: BLE001 - the marks wait in the database
            log.warning("index update not queued now (%s); the periodic apply will", exc)
            with contextlib.suppress(redis.RedisError):
                self.redis.delete(self.flag)


def init_index_hook(app: Flask) -> IndexHook:
    hook = IndexHook(
        app.extensions["celery"], app.extensions["redis"], app.config["SEARCH_INDEX_PREFIX"]
    )
    maker: sessionmaker[Session] = app.extensions["db"].sessionmaker
    event.listen(maker, "after_flush", hook.after_flush)
    event.listen(maker, "before_commit", hook.before_commit)
    event.listen(maker, "after_commit", hook.after_commit)
    event.listen(maker, "after_soft_rollback", hook.after_rollback)
    return hook
