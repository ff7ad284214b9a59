"""Upload page and the resumable-upload JSON API."""

from __future__ import annotations

from typing import IO, Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from repo_service.access import access, require_user
from repo_service.accounts.models import Role
from repo_service.api import documented, request_data
from repo_service.db import get_session
from repo_service.errors import DomainError
from repo_service.resources.models import KIND_LABELS, Resource
from repo_service.resources.services import get_visible
from repo_service.storage import ObjectStorage
from repo_service.uploads import services
from repo_service.uploads.models import UploadSession
from repo_service.uploads.sniff import ALLOWED_EXTENSIONS
from repo_service.vocabulary import services as vocabulary

bp = Blueprint("uploads", __name__)

EDITORS = (Role.TEACHER, Role.ADMIN)


def _policy() -> services.UploadPolicy:
    return services.UploadPolicy.from_config(current_app.config)


def _storage() -> ObjectStorage:
    storage: ObjectStorage = current_app.extensions["storage"]
    return storage


def _status(upload: UploadSession) -> dict[str, Any]:
    policy = _policy()
    return services.status_json(upload, policy, services.arrived(_storage(), policy, upload))


DRAIN_PIECE = 1024 * 1024


def _drain(stream: IO[bytes], left: int) -> None:
    while left > 0:
        piece = stream.read(min(DRAIN_PIECE, left))
        if not piece:
            return
        left -= len(piece)


@bp.after_request
def _finish_refused_body(response: Response) -> Response:
    """After refusing a chunk, read the rest of its body, so keep-alive stays sound.

    gunicorn's threaded worker discards at most 64 KiB of a body the application left unread
    and otherwise closes the connection after its answer has promised keep-alive, so the
    client's next request on it fails. Reading here costs the bytes the client sends anyway.
    """
    if request.endpoint != "uploads.api_put_chunk" or response.status_code < 400:
        return response
    length = request.content_length
    # A body of unknown length, or one far past any chunk (a client bent on tying up a
    # thread), is not read: the connection is closed instead of reused.
    if length is None or length > 2 * current_app.config["MAX_CONTENT_LENGTH"]:
        response.headers["Connection"] = "close"
        return response
    try:
        try:
            _drain(request.stream, length)
        except RequestEntityTooLarge:  # over MAX_CONTENT_LENGTH: nothing of it was read yet
            _drain(request.environ["wsgi.input"], length)
    except (OSError, HTTPException):
        response.headers["Connection"] = "close"
    return response


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
        categories=vocabulary.categories(get_session()),
        audiences=vocabulary.audiences(get_session()),
        extensions={k.value: sorted(v) for k, v in ALLOWED_EXTENSIONS.items()},
        limits={k.value: v for k, v in policy.limits.items()},
        human_size=services.human_size,
        mode=policy.mode,
        chunk_size=policy.chunk_size,
    )


@bp.post("/api/v1/uploads")
@access(*EDITORS)
@documented(
    "开始（或继续）上传：返回分块大小、已收到的分块和上传方式 mode（direct 直传对象存储，"
    "proxied 经服务转发）",
    "Open (or resume) an upload: chunk size, chunks received and the mode to use (direct: "
    "PUT parts to presigned store URLs; proxied: PUT chunks to the service)",
    tag="uploads",
    body={"resource_id": "integer", "name": "string", "size": "integer", "sha256": "string"},
)
def api_open() -> tuple[Response, int]:
    db = get_session()
    upload = services.open_upload(db, _storage(), _policy(), require_user(), request_data())
    db.commit()
    return jsonify(upload=_status(upload)), 201


@bp.post("/api/v1/uploads/<upload_id>/parts")
@access(*EDITORS)
@documented(
    "直传：为分片编号 parts（从 1 开始，第 n 片即第 n-1 个分块，每次最多 100 个）签发预签名 "
    "PUT 地址；把分片原始字节 PUT 到 url，响应头 ETag 即表示存储已收到",
    "Direct mode: presigned PUT URLs for part numbers `parts` (from 1; part n is chunk n-1; at "
    "most 100 per request). PUT each part's raw bytes to its url; the store answers with ETag",
    tag="uploads",
    body={"parts": "array"},
)
def api_sign_parts(upload_id: str) -> Response:
    db = get_session()
    upload = services.get_upload(db, require_user(), upload_id)
    policy = _policy()
    try:
        parts = services.sign_parts(db, _storage(), policy, upload, request_data().get("parts"))
    except DomainError:
        db.commit()  # an upload into a deleted resource stays aborted
        raise
    db.commit()
    return jsonify(parts=parts, expires_in=policy.part_url_seconds, method="PUT")


@bp.put("/api/v1/uploads/<upload_id>/chunks/<int:index>")
@access(*EDITORS)
@documented(
    "经服务转发：上传第 index 个分块（原始字节，可带 X-Chunk-SHA256），返回收下后的状态",
    "Proxied mode: send chunk `index` as raw bytes (optional X-Chunk-SHA256); answers the "
    "state with this chunk",
    tag="uploads",
    raw_body="application/octet-stream",
)
def api_put_chunk(upload_id: str, index: int) -> Response:
    db = get_session()
    upload = services.get_upload(db, require_user(), upload_id)
    try:
        chunk = services.put_chunk(
            db,
            _storage(),
            upload,
            index,
            request.stream,
            request.content_length,
            request.headers.get("X-Chunk-SHA256"),
        )
    except DomainError:
        db.commit()  # an upload into a deleted resource stays aborted
        raise
    db.commit()
    response = jsonify(upload=_status(upload))
    response.headers["ETag"] = f'"{chunk.etag}"'
    return response


@bp.get("/api/v1/uploads/<upload_id>")
@access(*EDITORS)
@documented("查询已收到的分块", "Which chunks have arrived", tag="uploads")
def api_status(upload_id: str) -> Response:
    upload = services.get_upload(get_session(), require_user(), upload_id)
    return jsonify(upload=_status(upload))


@bp.post("/api/v1/uploads/<upload_id>/complete")
@access(*EDITORS)
@documented(
    "完成上传：按对象存储的分片列表合并，校验每片大小、总大小与文件类型，生成新版本（SHA-256 "
    "由处理的第一步核对）",
    "Complete: assemble the parts the store lists, check each part's size, the total and the "
    "type; create the version (the SHA-256 is checked by processing's first step)",
    tag="uploads",
)
def api_complete(upload_id: str) -> tuple[Response, int]:
    db = get_session()
    user = require_user()
    upload = services.get_upload(db, user, upload_id)
    try:
        version = services.complete_upload(
            db, _storage(), current_app.extensions["celery"], user, upload
        )
    except DomainError:
        db.commit()  # keep the refusal recorded (the upload is aborted and its object gone)
        raise
    db.commit()
    return jsonify(
        upload=_status(upload), version_id=version.id, resource_id=version.resource_id
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
