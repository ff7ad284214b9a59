"""Housekeeping tasks run by the worker's beat schedule."""

from __future__ import annotations

from celery import shared_task
from flask import current_app

from repo_service.db import get_db
from repo_service.uploads.services import UploadPolicy, expire_idle


@shared_task(name="repo_service.expire_uploads")
def expire_uploads() -> int:
    policy = UploadPolicy.from_config(current_app.config)
    with get_db().session() as session:
        return expire_idle(session, current_app.extensions["storage"], policy.idle)
