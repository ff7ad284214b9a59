"""Index updates run by the workers, queued after the database transaction commits."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from elastic_transport import TransportError
from flask import current_app

from search.build import resource_source
from search.indexer import sync_resource

log = logging.getLogger(__name__)


@shared_task(name="search.index_resource", bind=True, max_retries=8)
def index_resource(self: Task, resource_id: int) -> int:
    """Bring one resource's documents in line with the database; retried while search is down."""
    with current_app.extensions["db"].session() as session:
        source = resource_source(session, resource_id)
    try:
        return sync_resource(current_app.extensions["search"], resource_id, source)
    except TransportError as exc:
        countdown = min(600, 5 * 2**self.request.retries)
        log.warning(
            "search unavailable for resource %s (%s); retry in %s s", resource_id, exc, countdown
        )
        raise self.retry(exc=exc, countdown=countdown) from exc
