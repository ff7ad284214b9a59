"""Upload page and the resumable-upload JSON API."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from repo_service.access import access, require_user
from repo_service.accounts.models import Role
from repo_service.api import documented, request_data
from repo_service.db import get_session
from repo_service.processing.services import queue_processing
from repo_service.resources.models import AUDIENCES, CATEGORIES, KIND_LABELS, Resource
from repo_service.resources.services import get_visible
from repo_service.storage import ObjectStorage
from repo_service.uploads import services
from repo_service.uploads.sniff import ALLOWED_EXTENSIONS

bp = Blueprint("uploads", __name__)

EDITORS = (Role.TEACHER, Role.ADMIN)


def _policy() -> services.UploadPolicy:
    return services.UploadPolicy.from_config(current_app.config)


def _storage() -> ObjectStorage:
    storage: ObjectStorage = current_app.extensions["storage"]
    return storage


@bp.get("/upload")
@access(*EDITORS)
def upload_page() -> str:
    resource: Resource | None = None
    if request.args.get("resource", "").isdigit():
        resource = get_visible(get_session(), require_user(), int(request.args["resource"]))
    policy = _policy()
    return render_template(
        "uploads/upload.html",
        resource=resource,
        kinds={k.value: labels for k, labels in KIND_LABELS.items()},
        categories=CATEGORIES,
        audiences=AUDIENCES,
        extensions={k.value: sorted(v) for k, v in ALLOWED_EXTENSIONS.items()},
        limits={k.value: v for k, v in policy.limits.items()},
        human_size=services.human_size,
    )


@bp.post("/api/v1/uploads")
@access(*EDITORS)
@documented(
    "开始（或继续）上传：返回分块大小和已收到的分块",
    "Open (or resume) an upload: chunk size and chunks received",
    tag="uploads",
    body={"resource_id": "integer", "name": "string", "size": "integer", "sha256": "string"},
)
def api_open() -> tuple[Response, int]:
    db = get_session()
    upload = services.open_upload(db, _storage(), _policy(), require_user(), request_data())
    db.commit()
    return jsonify(upload=services.status_json(upload)), 201


@bp.put("/api/v1/uploads/<upload_id>/chunks/<int:index>")
@access(*EDITORS)
@documented(
    "上传第 index 个分块（原始字节，可带 X-Chunk-SHA256）",
    "Send chunk `index` as raw bytes (optional X-Chunk-SHA256)",
    tag="uploads",
    raw_body="application/octet-stream",
)
def api_put_chunk(upload_id: str, index: int) -> Response:
    db = get_session()
    upload = services.get_upload(db, require_user(), upload_id)
    services.put_chunk(
        db,
        _storage(),
        upload,
        index,
        request.stream,
        request.content_length,
        request.headers.get("X-Chunk-SHA256"),
    )
    db.commit()
    return jsonify(upload=services.status_json(upload))


@bp.get("/api/v1/uploads/<upload_id>")
@access(*EDITORS)
@documented("查询已收到的分块", "Which chunks have arrived", tag="uploads")
def api_status(upload_id: str) -> Response:
    upload = services.get_upload(get_session(), require_user(), upload_id)
    return jsonify(upload=services.status_json(upload))


@bp.post("/api/v1/uploads/<upload_id>/complete")
@access(*EDITORS)
@documented(
    "完成上传：校验大小、SHA-256 与文件类型，生成新版本",
    "Complete: check size, SHA-256 and type; create the version",
    tag="uploads",
)
def api_complete(upload_id: str) -> tuple[Response, int]:
    db = get_session()
    user = require_user()
    upload = services.get_upload(db, user, upload_id)
    try:
        version = services.complete_upload(db, _storage(), user, upload)
    except services.DomainError:
        db.commit()  # keep the refusal recorded (the upload is aborted and its object gone)
        raise
    queue_processing(db, current_app.extensions["celery"], version)
    db.commit()
    return jsonify(
        upload=services.status_json(upload), version_id=version.id, resource_id=version.resource_id
    ), 201


@bp.delete("/api/v1/uploads/<upload_id>")
@access(*EDITORS)
@documented("取消上传并清除已传分块", "Abort the upload and remove its parts", tag="uploads")
def api_abort(upload_id: str) -> tuple[str, int]:
    db = get_session()
    upload = services.get_upload(db, require_user(), upload_id)
    services.abort_upload(db, _storage(), upload)
    db.commit()
    return "", 204
