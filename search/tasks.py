"""Index work run by the workers: dirty resources applied in bulk, rebuilds, checks."""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import asdict
from typing import Any

import redis
from celery import Task, shared_task
from elastic_transport import TransportError
from elasticsearch import ApiError
from flask import current_app
from redis.exceptions import LockError
from redis.lock import Lock
from sqlalchemy import bindparam, delete, select

from search.build import dictionary_words, resource_sources
from search.indexer import (
    CheckReport,
    check,
    outage,
    reindex,
    repair,
    sync_resources,
)
from search.models import DirtyResource
from search.operations import Operations
from search.signals import QUEUED_FLAG

RETRY_FLAG = "zx:search-apply-retrying:{prefix}"
APPLY_LOCK = "zx:search-apply-lock:{prefix}"
APPLY_LOCK_SECONDS = 120  # renewed for every batch; a dead holder's lock lapses after this

log = logging.getLogger(__name__)


def operations() -> Operations:
    return Operations(current_app.extensions["redis"], current_app.config["SEARCH_INDEX_PREFIX"])


@shared_task(name="search.apply_dirty", bind=True, max_retries=None)
def apply_dirty(self: Task, batch: int = 1000) -> int:
    """Write the documents of every resource marked dirty, in bulk, without waiting for a
    refresh; retried with backoff while search is down (the marks stay in the database).

    One apply runs at a time (a Redis lock): two appliers could otherwise write one resource's
    documents out of order, an older reading landing after a newer one. An apply that finds the
    lock taken leaves its marks to the holder, which looks once more after letting go.
    """
    _forget(QUEUED_FLAG)  # changes committed from now on queue another apply
    applied = 0
    try:
        while True:
            lock = _apply_lock()
            if not _acquired(lock):
                return applied
            try:
                applied += _apply_marks(batch, lock)
            finally:
                with contextlib.suppress(redis.RedisError, LockError):
                    lock.release()
            if not _marks_waiting():
                _forget(RETRY_FLAG)
                return applied
    except (TransportError, ApiError) as exc:
        if not outage(exc):
            raise
        first = current_app.config["SEARCH_RETRY_SECONDS"]
        countdown = min(600, first * 2 ** min(self.request.retries, 10))
        # One retrying chain is enough: later applies leave the marks to it (and to the beat).
        if self.request.retries or _claim(RETRY_FLAG, int(countdown) + 60):
            log.warning(
                "search unavailable (%s); %d applied, retry in %s s", exc, applied, countdown
            )
            raise self.retry(exc=exc, countdown=countdown) from exc
        log.warning("search unavailable (%s); a retry is already scheduled", exc)
        return applied


def _apply_marks(batch: int, lock: Lock) -> int:
    """Apply marks ``batch`` at a time until none are left; returns how many were applied."""
    db = current_app.extensions["db"]
    applied = 0
    while True:
        with contextlib.suppress(redis.RedisError, LockError):
            lock.extend(APPLY_LOCK_SECONDS, replace_ttl=True)
        with db.session() as session:
            marks = session.execute(
                select(DirtyResource.resource_id, DirtyResource.generation)
                .order_by(DirtyResource.marked_at)
                .limit(batch)
            ).all()
            if not marks:
                return applied
            sources = resource_sources(session, [m.resource_id for m in marks])
        sync_resources(current_app.extensions["search"], sources)
        with db.engine.begin() as conn:
            # Only marks that no change has renewed since they were read.
            conn.execute(
                delete(DirtyResource).where(
                    DirtyResource.resource_id == bindparam("rid"),
                    DirtyResource.generation == bindparam("gen"),
                ),
                [{"rid": m.resource_id, "gen": m.generation} for m in marks],
            )
        applied += len(marks)


def _marks_waiting() -> bool:
    with current_app.extensions["db"].session() as session:
        return session.scalar(select(DirtyResource.resource_id).limit(1)) is not None


def _apply_lock() -> Lock:
    client: redis.Redis = current_app.extensions["redis"]
    return client.lock(_flag(APPLY_LOCK), timeout=APPLY_LOCK_SECONDS, blocking=False)


def _acquired(lock: Lock) -> bool:
    try:
        return bool(lock.acquire(blocking=False))
    except redis.RedisError:
        return True  # no Redis, no queue either: this apply is the only one that runs now


def _flag(name: str) -> str:
    return name.format(prefix=current_app.config["SEARCH_INDEX_PREFIX"])


def _claim(name: str, seconds: int) -> bool:
    try:
        return bool(current_app.extensions["redis"].set(_flag(name), 1, nx=True, ex=seconds))
    except redis.RedisError:
        return True


def _forget(name: str) -> None:
    with contextlib.suppress(redis.RedisError):  # it expires by itself
        current_app.extensions["redis"].delete(_flag(name))


@shared_task(name="search.reindex")
def reindex_task() -> dict[str, Any]:
    """Rebuild the index from the database with the current dictionary; progress in Redis."""
    ops = operations()
    db = current_app.extensions["db"]
    ops.update("reindex", state="running", done=0, total=0, started=time.time())
    try:
        with db.session() as session:
            words = dictionary_words(session)
        result = reindex(
            current_app.extensions["search"],
            db.session,
            words,
            progress=lambda done, total: ops.update("reindex", done=done, total=total),
            # Runs are claimed in Redis one at a time, so a building index left now belongs to
            # a rebuild that died.
            force=True,
        )
    except Exception as exc:
        ops.update("reindex", state="failed", error=str(exc)[:500], finished=time.time())
        raise
    summary = asdict(result) | {"words": len(words)}
    ops.update("reindex", state="done", result=summary, finished=time.time())
    return summary


@shared_task(name="search.check")
def check_task(fix: bool = False) -> dict[str, Any]:
    """Compare the index with the database (and rewrite what differs when ``fix``)."""
    ops = operations()
    search = current_app.extensions["search"]
    db = current_app.extensions["db"]
    ops.update("check", state="running", started=time.time())
    try:
        report = check(search, db.session)
        repaired = repair(search, db.session, report) if fix and report.differences else 0
    except Exception as exc:
        ops.update("check", state="failed", error=str(exc)[:500], finished=time.time())
        raise
    summary = check_summary(report) | {"repaired": repaired}
    ops.update("check", state="done", result=summary, finished=time.time())
    return summary


def check_summary(report: CheckReport, limit: int = 50) -> dict[str, Any]:
    return {
        "expected": report.expected,
        "indexed": report.indexed,
        "differences": report.differences,
        "missing": report.missing[:limit],
        "extra": report.extra[:limit],
        "stale": report.stale[:limit],
    }
