"""Housekeeping tasks run by the worker's beat schedule."""

from __future__ import annotations

from celery import shared_task
from flask import current_app

from repo_service.db import get_db
from repo_service.resources.sweep import purge_deleted as purge


@shared_task(name="repo_service.purge_deleted")
def purge_deleted() -> int:
    with get_db().session() as session:
        return purge(session, current_app.extensions["storage"])
