"""Processing jobs seen from the web: status, retries, re-runs, the stuck-job sweep."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import Celery
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from repo_service.db import aware, utcnow
from repo_service.errors import Conflict, NotFound
from repo_service.processing.models import (
    JOB_STATUS_LABELS,
    STEP_LABELS,
    JobStatus,
    ProcessingJob,
)
from repo_service.resources.models import ProcessingStatus, Resource, ResourceVersion
from repo_service.tasks import send_after_commit

PROCESS_TASK = "transcoder.process_version"


def queue_processing(session: Session, celery_app: Celery, version: ResourceVersion) -> None:
    """Queue the version's processing once the current transaction commits."""
    version.processing_queued_at = utcnow()
    send_after_commit(session, celery_app, PROCESS_TASK, version.id)


def retry_version(
    session: Session, celery_app: Celery, version_id: int, *, rerun_all: bool
) -> None:
    """Retry the failed steps of a version, or (``rerun_all``) run every step again."""
    version = session.get(ResourceVersion, version_id)
    if version is None:
        raise NotFound("找不到该版本", "No such version")
    jobs = session.scalars(
        select(ProcessingJob).where(ProcessingJob.version_id == version_id)
    ).all()
    if not rerun_all and not any(j.status == JobStatus.FAILED for j in jobs):
        raise Conflict("该版本没有失败的任务", "This version has no failed job to retry")
    for job in jobs:
        if rerun_all or job.status in (JobStatus.FAILED, JobStatus.SKIPPED):
            job.status = JobStatus.QUEUED
            job.percent = 0.0
            job.error = job.error_en = job.stderr_tail = None
            job.queued_at = utcnow()
    version.processing_status = ProcessingStatus.UPLOADED
    version.processing_error = version.processing_error_en = None
    queue_processing(session, celery_app, version)


def give_up(session: Session, version_id: int, reason: str) -> None:
    """Transient retries are exhausted: the running or next step fails, the rest are skipped."""
    version = session.get(ResourceVersion, version_id)
    if version is None:
        return
    failed = False
    for job in session.scalars(
        select(ProcessingJob)
        .where(ProcessingJob.version_id == version_id)
        .order_by(ProcessingJob.id)
    ):
        if job.status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.SKIPPED):
            failed = failed or job.status == JobStatus.FAILED
            continue
        job.finished_at = utcnow()
        if failed:
            job.status = JobStatus.SKIPPED
            continue
        job.status = JobStatus.FAILED
        job.error = "多次重试后仍失败（存储或服务暂时不可用），请稍后在任务页重试"
        job.error_en = f"Still failing after retries: {reason}"[:2000]
        failed = True
    version.processing_status = ProcessingStatus.FAILED
    version.processing_error = "处理失败：服务暂时不可用"
    version.processing_error_en = "Processing failed: a service was unavailable"


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else aware(moment)


def stuck_versions(session: Session, silence: dt.timedelta) -> list[int]:
    """Versions still being processed with a job queued or running and no sign of life for
    ``silence``. A failed version, or one whose resource was deleted, is never picked up: a
    failure is final until someone retries it."""
    cutoff = utcnow() - silence
    jobs = session.scalars(
        select(ProcessingJob)
        .join(ResourceVersion, ResourceVersion.id == ProcessingJob.version_id)
        .join(Resource, Resource.id == ResourceVersion.resource_id)
        .where(
            or_(
                ProcessingJob.status == JobStatus.QUEUED, ProcessingJob.status == JobStatus.RUNNING
            ),
            ResourceVersion.processing_status.in_(
                (ProcessingStatus.UPLOADED, ProcessingStatus.PROCESSING)
            ),
            Resource.deleted_at.is_(None),
        )
    ).all()
    stuck = set()
    for job in jobs:
        last = _aware(job.heartbeat_at) or _aware(job.queued_at)
        if last is not None and last < cutoff:
            stuck.add(job.version_id)
    # Queued long ago and never started: the broker lost the message (e.g. Redis restarted
    # without its data). Sending again beside the relay is harmless: processing is locked per
    # version and skips finished steps.
    never_started = session.scalars(
        select(ResourceVersion.id)
        .join(Resource, Resource.id == ResourceVersion.resource_id)
        .where(
            ResourceVersion.processing_status == ProcessingStatus.UPLOADED,
            ResourceVersion.processing_queued_at < cutoff,
            Resource.deleted_at.is_(None),
            ~select(ProcessingJob.id)
            .where(ProcessingJob.version_id == ResourceVersion.id)
            .exists(),
        )
    ).all()
    return sorted(stuck | set(never_started))


def job_json(job: ProcessingJob, *, admin: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": job.id,
        "version_id": job.version_id,
        "step": job.step.value,
        "step_label": STEP_LABELS[job.step][0],
        "status": job.status.value,
        "status_label": JOB_STATUS_LABELS[job.status][0],
        "percent": job.percent,
        "attempts": job.attempts,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "error": job.error,
        "error_en": job.error_en,
    }
    if admin:
        data["task_id"] = job.task_id
        data["stderr_tail"] = job.stderr_tail
    return data
