"""Processing progress for owners, and the jobs page for administrators."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from repo_service.access import access, require_user
from repo_service.accounts.models import Role
from repo_service.api import documented, request_data
from repo_service.db import get_session
from repo_service.errors import InvalidInput
from repo_service.processing.models import (
    JOB_STATUS_LABELS,
    STEP_LABELS,
    JobStatus,
    JobStep,
    ProcessingJob,
)
from repo_service.processing.services import job_json, retry_version
from repo_service.resources.models import PROCESSING_LABELS, Resource, ResourceVersion
from repo_service.resources.services import get_visible, require_editor

bp = Blueprint("processing", __name__)


def processing_json(resource_id: int, *, admin: bool) -> dict[str, Any]:
    db = get_session()
    resource = get_visible(db, require_user(), resource_id)
    require_editor(require_user(), resource)
    versions = []
    for version in resource.versions:
        jobs = db.scalars(
            select(ProcessingJob)
            .where(ProcessingJob.version_id == version.id)
            .order_by(ProcessingJob.id)
        ).all()
        versions.append(
            {
                "number": version.number,
                "version_id": version.id,
                "status": version.processing_status.value,
                "status_label": PROCESSING_LABELS[version.processing_status][0],
                "error": version.processing_error,
                "error_en": version.processing_error_en,
                "playable": bool(version.master_key),
                "jobs": [job_json(j, admin=admin) for j in jobs],
            }
        )
    return {"resource_id": resource.id, "versions": versions}


@bp.get("/api/v1/resources/<int:resource_id>/processing")
@access(Role.TEACHER, Role.ADMIN)
@documented(
    "处理进度（上传者与管理员）", "Processing progress (owner and administrators)", tag="processing"
)
def api_progress(resource_id: int) -> Response:
    return jsonify(processing_json(resource_id, admin=Role.ADMIN in require_user().roles))


def _filters() -> tuple[JobStatus | None, JobStep | None]:
    try:
        status = JobStatus(request.args["status"]) if request.args.get("status") else None
        step = JobStep(request.args["step"]) if request.args.get("step") else None
    except ValueError:
        raise InvalidInput("筛选条件无效", "Unknown status or step filter") from None
    return status, step


def _jobs(status: JobStatus | None, step: JobStep | None) -> list[ProcessingJob]:
    query = select(ProcessingJob).order_by(ProcessingJob.id.desc()).limit(200)
    if status:
        query = query.where(ProcessingJob.status == status)
    if step:
        query = query.where(ProcessingJob.step == step)
    return list(get_session().scalars(query).all())


@bp.get("/admin/jobs")
@access(Role.ADMIN)
def jobs_page() -> str:
    status, step = _filters()
    jobs = _jobs(status, step)
    ids = {j.version_id for j in jobs}
    rows = get_session().execute(
        select(ResourceVersion.id, ResourceVersion.number, Resource.id, Resource.title)
        .join(Resource, Resource.id == ResourceVersion.resource_id)
        .where(ResourceVersion.id.in_(ids))
    )
    versions = {vid: (number, rid, title) for vid, number, rid, title in rows}
    return render_template(
        "processing/jobs.html",
        jobs=jobs,
        versions=versions,
        status=status,
        step=step,
        statuses=JOB_STATUS_LABELS,
        steps=STEP_LABELS,
    )


@bp.get("/api/v1/jobs")
@access(Role.ADMIN)
@documented(
    "处理任务列表",
    "Processing jobs",
    tag="processing",
    query={"status": "string", "step": "string"},
)
def api_jobs() -> Response:
    status, step = _filters()
    return jsonify(jobs=[job_json(j, admin=True) for j in _jobs(status, step)])


def _retry(version_id: int, rerun_all: bool) -> None:
    db = get_session()
    retry_version(db, current_app.extensions["celery"], version_id, rerun_all=rerun_all)
    db.commit()


@bp.post("/api/v1/versions/<int:version_id>/retry")
@access(Role.ADMIN)
@documented(
    "重试失败任务；all=true 重新处理全部步骤",
    "Retry failed jobs; all=true re-runs every step",
    tag="processing",
    body={"all": "boolean"},
)
def api_retry(version_id: int) -> tuple[Response, int]:
    _retry(version_id, bool(request_data().get("all")))
    return jsonify(queued=True), 202


@bp.post("/admin/versions/<int:version_id>/retry")
@access(Role.ADMIN)
def retry_page(version_id: int) -> BaseResponse:
    _retry(version_id, request.form.get("all") == "1")
    flash("已重新排队，稍后刷新查看进度|Queued again; refresh to see progress")
    return redirect(request.referrer or url_for("processing.jobs_page"))
