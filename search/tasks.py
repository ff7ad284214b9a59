"""Index work run by the workers: per-resource updates queued after commit, rebuilds, checks."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from typing import Any

from celery import Task, shared_task
from elastic_transport import TransportError
from elasticsearch import ApiError
from flask import current_app

from search.build import dictionary_words, resource_sources
from search.indexer import (
    CheckReport,
    check,
    outage,
    reindex,
    repair,
    sync_resource,
    sync_resources,
)
from search.operations import VIEWS_DIRTY, Operations

log = logging.getLogger(__name__)


def operations() -> Operations:
    return Operations(current_app.extensions["redis"], current_app.config["SEARCH_INDEX_PREFIX"])


@shared_task(name="search.index_resource", bind=True, max_retries=8)
def index_resource(self: Task, resource_id: int) -> int:
    """Bring one resource's documents in line with the database; retried while search is down."""
    with current_app.extensions["db"].session() as session:
        source = resource_sources(session, [resource_id])[resource_id]
    try:
        return sync_resource(current_app.extensions["search"], resource_id, source)
    except (TransportError, ApiError) as exc:
        if not outage(exc):
            raise
        first = current_app.config["SEARCH_RETRY_SECONDS"]
        countdown = min(600, first * 2**self.request.retries)
        log.warning(
            "search unavailable for resource %s (%s); retry in %s s", resource_id, exc, countdown
        )
        raise self.retry(exc=exc, countdown=countdown) from exc


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


@shared_task(name="search.sync_views")
def sync_views(limit: int = 1000) -> int:
    """Write the view counts that changed since the last run into the index."""
    client = current_app.extensions["redis"]
    ids = [int(i) for i in client.spop(VIEWS_DIRTY, limit) or []]
    if not ids:
        return 0
    with current_app.extensions["db"].session() as session:
        sources = resource_sources(session, ids)
    try:
        sync_resources(current_app.extensions["search"], sources)
    except (TransportError, ApiError):
        client.sadd(VIEWS_DIRTY, *ids)  # kept for the next run
        raise
    return len(ids)
