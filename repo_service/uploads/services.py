"""Resumable uploads: open a session, send parts in any order, complete or abort.

Each chunk of the file is one S3 multipart part (chunk ``n`` is part ``n + 1``). By default the
client PUTs the parts straight to the object store with presigned URLs the service issues per
part, so no upload byte crosses the web process; where browsers cannot reach the store
(``UPLOAD_DIRECT`` off) they PUT chunks to the service, which holds at most one in memory.
Completion works from the store's own part list, checks every part's size, the stored size and
the type by content (from the first bytes, by ranged reads) before a version exists; a refused
file leaves no object behind. The file's SHA-256 is not read back here: the worker's first
step downloads the file anyway and checks it against the SHA-256 the client declared.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import IO, Any

from celery import Celery
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from repo_service.accounts.models import Role, User
from repo_service.db import utcnow
from repo_service.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, TooLarge
from repo_service.resources.models import (
    KIND_LABELS,
    Resource,
    ResourceKind,
    ResourceVersion,
)
from repo_service.resources.services import add_version, require_editor
from repo_service.storage import ObjectStorage, RangeReader
from repo_service.uploads.models import UploadChunk, UploadSession, UploadStatus
from repo_service.uploads.sniff import (
    ALLOWED_EXTENSIONS,
    ALLOWED_TYPES,
    HEAD_BYTES,
    describe_refusal,
    sniff,
)

MiB = 1024 * 1024
GiB = 1024 * MiB
SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_FILENAME = 255
READ_PIECE = 1024 * 1024
MAX_PARTS_PER_REQUEST = 100


class ChunkOutOfRange(DomainError):
    status = 416
    code = "chunk_out_of_range"


class UploadIncomplete(Conflict):
    code = "upload_incomplete"


class UploadGone(DomainError):
    status = 410
    code = "upload_gone"


class ChecksumMismatch(DomainError):
    status = 422
    code = "checksum_mismatch"


class UnsupportedContent(DomainError):
    status = 415
    code = "unsupported_content"


class PartSizeMismatch(DomainError):
    status = 422
    code = "part_size_mismatch"


class DirectUploadsOff(Conflict):
    code = "direct_uploads_off"


@dataclass(frozen=True)
class UploadPolicy:
    chunk_size: int
    limits: dict[ResourceKind, int]
    quota: int
    idle: dt.timedelta
    direct: bool = False
    part_url_seconds: int = 900

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> UploadPolicy:
        return cls(
            chunk_size=config["UPLOAD_CHUNK_SIZE"],
            limits={
                ResourceKind.VIDEO: config["UPLOAD_MAX_VIDEO"],
                ResourceKind.COURSEWARE: config["UPLOAD_MAX_DOCUMENT"],
                ResourceKind.TEXTBOOK: config["UPLOAD_MAX_DOCUMENT"],
                ResourceKind.READER: config["UPLOAD_MAX_DOCUMENT"],
            },
            quota=config["UPLOAD_QUOTA"],
            idle=dt.timedelta(hours=config["UPLOAD_IDLE_HOURS"]),
            direct=bool(config.get("UPLOAD_DIRECT", False)),
            part_url_seconds=int(config.get("UPLOAD_PART_URL_SECONDS", 900)),
        )

    @property
    def mode(self) -> str:
        return "direct" if self.direct else "proxied"


def human_size(n: int) -> str:
    for unit, size in (("GB", GiB), ("MB", MiB), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} B"


def clean_filename(name: Any) -> str:
    """The name to keep and show: last path component, no control characters, ≤ 255 chars.

    It is only ever stored and sent back in Content-Disposition; object keys never use it.
    """
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("请提供文件名", "A file name is required")
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise InvalidInput(
            "文件名含有控制字符（如 NUL）",
            "The file name contains control characters (such as NUL)",
        )
    base = re.split(r"[\\/]", name.strip())[-1].strip().lstrip(".")
    if not base:
        raise InvalidInput("文件名无效", "The file name is not valid")
    if len(base) > MAX_FILENAME:
        stem, dot, ext = base.rpartition(".")
        ext = ext if dot and len(ext) <= 10 else ""
        keep = MAX_FILENAME - (len(ext) + 1 if ext else 0)
        base = (stem if ext else base)[:keep] + (f".{ext}" if ext else "")
    return base


def extension(name: str) -> str:
    _stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def _used_bytes(session: Session, user: User) -> int:
    stored = session.scalar(
        select(func.coalesce(func.sum(ResourceVersion.size), 0))
        .join(Resource)
        .where(Resource.owner_id == user.id, ResourceVersion.purged_at.is_(None))
    )
    pending = session.scalar(
        select(func.coalesce(func.sum(UploadSession.size), 0)).where(
            UploadSession.user_id == user.id, UploadSession.status == UploadStatus.OPEN
        )
    )
    return int(stored or 0) + int(pending or 0)


def _object_key() -> str:
    now = utcnow()
    return f"{now:%Y/%m}/{secrets.token_hex(16)}"


def open_upload(
    session: Session,
    storage: ObjectStorage,
    policy: UploadPolicy,
    user: User,
    data: dict[str, Any],
) -> UploadSession:
    """Open a session, or return the open one for the same file (same declared SHA-256)."""
    resource_id = data.get("resource_id")
    if not isinstance(resource_id, int) and not (
        isinstance(resource_id, str) and resource_id.isdigit()
    ):
        raise InvalidInput("缺少资源编号 resource_id", "resource_id is required")
    resource = session.get(Resource, int(resource_id))
    if resource is None or resource.deleted_at is not None:
        raise NotFound("找不到该资源", "No such resource")
    require_editor(user, resource)
    filename = clean_filename(data.get("name"))
    size = data.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise InvalidInput(
            "文件大小必须是正整数（字节）", "size must be a positive number of bytes"
        )
    kind = resource.kind
    ext = extension(filename)
    if ext not in ALLOWED_EXTENSIONS[kind]:
        zh, en = KIND_LABELS[kind]
        allowed = ", ".join(sorted(ALLOWED_EXTENSIONS[kind]))
        raise UnsupportedContent(
            f"{zh}只接受这些文件类型：{allowed}（“{filename}”的扩展名是 .{ext or '无'}）",
            f"A {en.lower()} must be one of: {allowed} (got .{ext or 'nothing'})",
        )
    limit = policy.limits[kind]
    if size > limit:
        zh, en = KIND_LABELS[kind]
        raise TooLarge(
            f"{zh}文件不能超过 {human_size(limit)}（此文件 {human_size(size)}）",
            f"A {en.lower()} may be at most {human_size(limit)} (this file: {human_size(size)})",
            limit=limit,
        )
    declared = data.get("sha256")
    if declared is not None:
        declared = str(declared).lower()
        if not SHA256.fullmatch(declared):
            raise InvalidInput(
                "sha256 必须是 64 位十六进制", "sha256 must be 64 hexadecimal digits"
            )
        existing = session.scalar(
            select(UploadSession).where(
                UploadSession.user_id == user.id,
                UploadSession.declared_sha256 == declared,
                UploadSession.status == UploadStatus.OPEN,
            )
        )
        if existing is not None:
            if existing.size != size or existing.resource_id != resource.id:
                raise Conflict(
                    "同一文件已有一个未完成的上传，请先继续或取消它",
                    "An unfinished upload of this file exists; resume or abort it first",
                    upload_id=existing.id,
                )
            existing.last_activity_at = utcnow()
            return existing
    used = _used_bytes(session, user)
    if Role.ADMIN not in user.roles and used + size > policy.quota:
        raise TooLarge(
            f"超出个人存储配额 {human_size(policy.quota)}（已用 {human_size(used)}）",
            f"This would exceed your quota of {human_size(policy.quota)} ({human_size(used)} used)",
            limit=policy.quota,
        )
    key = _object_key()
    upload = UploadSession(
        id=secrets.token_hex(16),
        user_id=user.id,
        kind=kind,
        filename=filename,
        size=size,
        chunk_size=policy.chunk_size,
        declared_sha256=declared,
        object_key=key,
        s3_upload_id=storage.multipart_start("originals", key, "application/octet-stream"),
        resource_id=resource.id,
    )
    session.add(upload)
    try:
        session.flush()
    except IntegrityError:  # a parallel request opened the same file first
        session.rollback()
        storage.multipart_abort("originals", key, upload.s3_upload_id)
        raise Conflict(
            "同一文件正在上传，请稍后重试", "This file is being opened by another request; retry"
        ) from None
    return upload


def get_upload(session: Session, user: User, upload_id: str) -> UploadSession:
    upload = session.get(UploadSession, upload_id) if len(upload_id) <= 32 else None
    if upload is None:
        raise NotFound("找不到该上传", "No such upload")
    if upload.user_id != user.id:
        raise Forbidden("这不是您的上传", "This upload belongs to another user")
    return upload


def _require_open(session: Session, storage: ObjectStorage, upload: UploadSession) -> None:
    """Refuse work on an upload that is finished, or whose resource was deleted meanwhile."""
    if upload.status == UploadStatus.COMPLETED:
        raise Conflict(
            "该上传已完成", "This upload is already complete", version_id=upload.version_id
        )
    resource = session.get(Resource, upload.resource_id) if upload.resource_id else None
    if resource is None or resource.deleted_at is not None:
        abort_upload(session, storage, upload)
        raise UploadGone(
            "该资源已被删除，上传已取消", "The resource was deleted; the upload is aborted"
        )
    if upload.status in {UploadStatus.ABORTED, UploadStatus.EXPIRED}:
        raise UploadGone(
            "该上传已取消或过期，请重新上传", "This upload was aborted or expired; start again"
        )


def read_body(stream: IO[bytes], expected: int, declared_length: int | None) -> bytearray:
    """Read exactly ``expected`` bytes, refusing more before storing anything."""
    if declared_length is not None and declared_length > expected:
        raise TooLarge(
            f"该分块应为 {expected} 字节，请求声明了 {declared_length} 字节",
            f"This chunk must be {expected} bytes; the request declares {declared_length}",
            limit=expected,
        )
    buffer = bytearray(expected)
    view = memoryview(buffer)
    filled = 0
    while filled < expected:
        # Small reads: the server's own buffering then never holds a whole chunk twice.
        piece = stream.read(min(READ_PIECE, expected - filled))
        if not piece:
            break
        view[filled : filled + len(piece)] = piece
        filled += len(piece)
    del view
    if filled == expected and stream.read(1):
        raise TooLarge(
            f"该分块的数据多于声明的 {expected} 字节",
            f"The chunk has more than its {expected} bytes",
            limit=expected,
        )
    if filled < expected:
        raise InvalidInput(
            f"分块不完整：收到 {filled} 字节，应为 {expected} 字节",
            f"Incomplete chunk: {filled} of {expected} bytes arrived",
        )
    return buffer


def put_chunk(
    session: Session,
    storage: ObjectStorage,
    upload: UploadSession,
    index: int,
    stream: IO[bytes],
    content_length: int | None,
    chunk_sha256: str | None,
) -> UploadChunk:
    _require_open(session, storage, upload)
    if not 0 <= index < upload.total_chunks:
        raise ChunkOutOfRange(
            f"分块序号 {index} 超出范围（0–{upload.total_chunks - 1}）",
            f"Chunk {index} is outside the declared range 0–{upload.total_chunks - 1}",
        )
    data = read_body(stream, upload.chunk_length(index), content_length)
    if chunk_sha256 and hashlib.sha256(data).hexdigest() != chunk_sha256.lower():
        raise ChecksumMismatch(
            "分块校验失败，请重新发送该分块", "The chunk's SHA-256 does not match; send it again"
        )
    etag = storage.multipart_put_part(
        "originals", upload.object_key, upload.s3_upload_id, index + 1, data
    )
    chunk = session.scalar(
        select(UploadChunk).where(UploadChunk.upload_id == upload.id, UploadChunk.index == index)
    )
    if chunk is None:
        chunk = UploadChunk(upload_id=upload.id, index=index, size=len(data), etag=etag)
        upload.chunks.append(chunk)  # so the answer shows the upload with this chunk
        upload.chunks.sort(key=lambda c: c.index)
    else:  # the same chunk sent again (a retry after a lost answer): the new part replaces it
        chunk.etag, chunk.size, chunk.received_at = etag, len(data), utcnow()
    upload.last_activity_at = utcnow()
    session.flush()
    return chunk


def _check_part_numbers(upload: UploadSession, numbers: Any) -> list[int]:
    if (
        not isinstance(numbers, list)
        or not numbers
        or len(numbers) > MAX_PARTS_PER_REQUEST
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers)
    ):
        raise InvalidInput(
            f"parts 必须是 1–{MAX_PARTS_PER_REQUEST} 个分片编号（从 1 开始）",
            f"parts must be a list of 1–{MAX_PARTS_PER_REQUEST} part numbers (from 1)",
        )
    outside = [n for n in numbers if not 1 <= n <= upload.total_chunks]
    if outside:
        raise ChunkOutOfRange(
            f"分片编号 {outside[:10]} 超出范围（1–{upload.total_chunks}）",
            f"Part numbers {outside[:10]} are outside 1–{upload.total_chunks}",
        )
    return sorted(set(numbers))


def sign_parts(
    session: Session,
    storage: ObjectStorage,
    policy: UploadPolicy,
    upload: UploadSession,
    numbers: Any,
) -> list[dict[str, Any]]:
    """Presigned ``UploadPart`` URLs for these part numbers, for the client to PUT to directly.

    A URL only lets its holder store one part of this open upload until it expires; a part of
    the wrong size is caught at completion, which trusts the store's part list, not the client.
    """
    _require_open(session, storage, upload)
    if not policy.direct:
        raise DirectUploadsOff(
            "对象存储未开放浏览器直传，请把分块发送到服务（PUT …/chunks/{n}）",
            "Direct uploads to the store are off; PUT the chunks to the service instead",
            mode=policy.mode,
        )
    wanted = _check_part_numbers(upload, numbers)
    upload.last_activity_at = utcnow()
    session.flush()
    return [
        {
            "number": n,
            "size": upload.chunk_length(n - 1),
            "url": storage.presigned_part_url(
                "originals",
                upload.object_key,
                upload.s3_upload_id,
                n,
                seconds=policy.part_url_seconds,
            ),
        }
        for n in wanted
    ]


def arrived(storage: ObjectStorage, policy: UploadPolicy, upload: UploadSession) -> dict[int, int]:
    """Chunk index → bytes stored, for an open upload.

    With direct uploads the store's part list is the only record (the service never sees the
    parts); through the service, the chunk rows written as each part was stored say the same
    without a request to the store.
    """
    if upload.status != UploadStatus.OPEN:
        return {}
    if policy.direct:
        parts = storage.multipart_parts("originals", upload.object_key, upload.s3_upload_id)
        return {p.part_number - 1: int(p.size or 0) for p in parts}
    return {c.index: c.size for c in upload.chunks}


def status_json(
    upload: UploadSession, policy: UploadPolicy, have: dict[int, int]
) -> dict[str, Any]:
    received = sorted(i for i in have if 0 <= i < upload.total_chunks)
    return {
        "id": upload.id,
        "resource_id": upload.resource_id,
        "name": upload.filename,
        "size": upload.size,
        "mode": policy.mode,
        "chunk_size": upload.chunk_size,
        "total_chunks": upload.total_chunks,
        "received": received,
        "missing": [i for i in range(upload.total_chunks) if i not in have],
        "bytes_received": sum(have[i] for i in received),
        "status": upload.status.value,
        "version_id": upload.version_id,
    }


def _discard(session: Session, storage: ObjectStorage, upload: UploadSession) -> None:
    storage.delete("originals", upload.object_key)
    upload.status = UploadStatus.ABORTED
    session.query(UploadChunk).filter(UploadChunk.upload_id == upload.id).delete()
    session.flush()


def complete_upload(
    session: Session,
    storage: ObjectStorage,
    celery_app: Celery,
    user: User,
    upload: UploadSession,
) -> ResourceVersion:
    """Assemble the parts the store holds, check the result and make it a version."""
    _require_open(session, storage, upload)
    parts = {
        p.part_number: p
        for p in storage.multipart_parts("originals", upload.object_key, upload.s3_upload_id)
    }
    numbers = range(1, upload.total_chunks + 1)
    absent = [n for n in numbers if n not in parts]
    if absent:
        shown = absent[:50]
        raise UploadIncomplete(
            f"还有 {len(absent)} 个分片未收到：第 {shown} 片",
            f"{len(absent)} part(s) have not arrived: part numbers {shown}",
            missing=[n - 1 for n in absent],
            missing_parts=absent,
        )
    wrong = [n for n in numbers if int(parts[n].size or 0) != upload.chunk_length(n - 1)]
    if wrong:
        n = wrong[0]
        abort_upload(session, storage, upload)
        raise PartSizeMismatch(
            f"第 {n} 片应为 {upload.chunk_length(n - 1)} 字节，实际收到 {parts[n].size} 字节；"
            "上传已取消，请重新上传",
            f"Part {n} should be {upload.chunk_length(n - 1)} bytes but the store holds "
            f"{parts[n].size}; the upload is aborted, upload the file again",
            parts=wrong,
        )
    storage.multipart_complete(
        "originals",
        upload.object_key,
        upload.s3_upload_id,
        [(n, parts[n].etag) for n in numbers],
    )
    stored = storage.stat("originals", upload.object_key)
    if stored.size != upload.size:
        _discard(session, storage, upload)
        raise PartSizeMismatch(
            f"文件大小不符：应为 {upload.size} 字节，实际 {stored.size} 字节，请重新上传",
            f"Size mismatch: expected {upload.size} bytes, stored {stored.size}; upload again",
        )
    head = storage.read_range("originals", upload.object_key, 0, HEAD_BYTES)
    archive = io.BufferedReader(RangeReader(storage, "originals", upload.object_key, stored.size))
    content_type = sniff(head, archive)
    if content_type not in ALLOWED_TYPES[upload.kind]:
        _discard(session, storage, upload)
        zh, en = describe_refusal(head)
        kind_zh, kind_en = KIND_LABELS[upload.kind]
        raise UnsupportedContent(
            f"{zh}；{kind_zh}只接受对应格式的文件",
            f"{en}; a {kind_en.lower()} must be a real file of that kind",
        )
    resource = session.get(Resource, upload.resource_id)
    assert resource is not None  # _require_open checked it
    version = add_version(
        session,
        celery_app,
        resource,
        object_key=upload.object_key,
        filename=upload.filename,
        size=stored.size,
        content_type=content_type,
        created_by_id=user.id,
        expected_sha256=upload.declared_sha256,
    )
    upload.status = UploadStatus.COMPLETED
    upload.version_id = version.id
    session.query(UploadChunk).filter(UploadChunk.upload_id == upload.id).delete()
    session.flush()
    return version


def abort_upload(session: Session, storage: ObjectStorage, upload: UploadSession) -> None:
    if upload.status != UploadStatus.OPEN:
        return
    storage.multipart_abort("originals", upload.object_key, upload.s3_upload_id)
    upload.status = UploadStatus.ABORTED
    session.query(UploadChunk).filter(UploadChunk.upload_id == upload.id).delete()
    session.flush()


def abort_resource_uploads(session: Session, storage: ObjectStorage, resource: Resource) -> int:
    """Abort every open upload into a deleted resource: the same file may then start afresh."""
    open_uploads = session.scalars(
        select(UploadSession).where(
            UploadSession.resource_id == resource.id, UploadSession.status == UploadStatus.OPEN
        )
    ).all()
    for upload in open_uploads:
        abort_upload(session, storage, upload)
    return len(open_uploads)


def expire_idle(session: Session, storage: ObjectStorage, idle: dt.timedelta) -> int:
    """Abort uploads nobody has touched for ``idle``; their multipart parts are removed."""
    cutoff = utcnow() - idle
    stale = session.scalars(
        select(UploadSession).where(
            UploadSession.status == UploadStatus.OPEN, UploadSession.last_activity_at < cutoff
        )
    ).all()
    for upload in stale:
        storage.multipart_abort("originals", upload.object_key, upload.s3_upload_id)
        upload.status = UploadStatus.EXPIRED
        session.query(UploadChunk).filter(UploadChunk.upload_id == upload.id).delete()
    session.flush()
    return len(stale)
