"""Resumable uploads through the service (the proxied path) against the real object store.

The direct path (parts PUT straight to the store) is in test_upload_direct.py; both complete
through the same checks.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import requests
from flask import Flask

from infra import svc
from repo_service.accounts.models import Role
from repo_service.resources.models import ResourceKind, ResourceVersion
from repo_service.resources.views import download_name
from repo_service.uploads.models import UploadSession, UploadStatus
from tests.factories import Client, create_resource, make_user

pytestmark = pytest.mark.integration

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def teacher(app: Flask) -> Client:
    return Client(app, make_user(app, Role.TEACHER))


@pytest.fixture(scope="module")
def other_teacher(app: Flask) -> Client:
    return Client(app, make_user(app, Role.TEACHER, street="东山"))


def video_bytes(media: dict[str, Path], size: int) -> bytes:
    """A real MP4 head padded to ``size``: its type is recognised from the bytes."""
    head = media["video"].read_bytes()
    return (head + os.urandom(max(0, size - len(head))))[:size]


def open_upload(client: Client, rid: int, name: str, size: int, **extra: Any) -> Any:
    return client.post(
        "/api/v1/uploads", json={"resource_id": rid, "name": name, "size": size, **extra}
    )


def send(
    client: Client, upload: dict[str, Any], data: bytes, indexes: list[int] | None = None
) -> None:
    chunk = upload["chunk_size"]
    for index in indexes if indexes is not None else range(upload["total_chunks"]):
        body = data[index * chunk : (index + 1) * chunk]
        response = client.put(
            f"/api/v1/uploads/{upload['id']}/chunks/{index}",
            data=body,
            headers={
                "Content-Type": "application/octet-stream",
                "X-Chunk-SHA256": hashlib.sha256(body).hexdigest(),
            },
        )
        assert response.status_code == 200, response.get_json()


def expected_sha256(app: Flask, version_id: int) -> str | None:
    """The SHA-256 the client declared, which the worker's first step checks the file against."""
    with app.extensions["db"].session() as session:
        version = session.get(ResourceVersion, version_id)
        assert version is not None
        return version.expected_sha256


def upload_all(client: Client, rid: int, name: str, data: bytes, **extra: Any) -> Any:
    opened = open_upload(client, rid, name, len(data), **extra)
    assert opened.status_code == 201, opened.get_json()
    upload = opened.get_json()["upload"]
    send(client, upload, data)
    return client.post(f"/api/v1/uploads/{upload['id']}/complete")


def test_chunks_in_any_order_then_complete_creates_a_version(
    app: Flask, teacher: Client, media: dict[str, Path]
) -> None:
    rid = create_resource(teacher)
    data = video_bytes(media, 20 * MiB)
    digest = hashlib.sha256(data).hexdigest()
    opened = open_upload(teacher, rid, "第一讲 智能手机.mp4", len(data), sha256=digest)
    assert opened.status_code == 201
    upload = opened.get_json()["upload"]
    assert upload["total_chunks"] == 3
    assert upload["missing"] == [0, 1, 2]
    send(teacher, upload, data, [2, 0])
    status = teacher.get(f"/api/v1/uploads/{upload['id']}").get_json()["upload"]
    assert (status["received"], status["missing"]) == ([0, 2], [1])
    assert status["bytes_received"] == 8 * MiB + (len(data) - 16 * MiB)
    # Opening the same file again resumes the same session instead of starting over.
    again = open_upload(teacher, rid, "第一讲 智能手机.mp4", len(data), sha256=digest).get_json()[
        "upload"
    ]
    assert again["id"] == upload["id"]
    assert again["missing"] == [1]
    send(teacher, upload, data, [1])
    done = teacher.post(f"/api/v1/uploads/{upload['id']}/complete")
    assert done.status_code == 201, done.get_json()
    resource = teacher.get(f"/api/v1/resources/{rid}").get_json()["resource"]
    (version,) = resource["versions"]
    assert version["sha256"] is None  # measured by the worker's first step, not read back here
    assert expected_sha256(app, done.get_json()["version_id"]) == digest
    assert version["size"] == len(data)
    assert version["content_type"] == "video/mp4"
    assert version["filename"] == "第一讲 智能手机.mp4"
    assert version["processing_status"] == "uploaded"
    assert version["processing_queued"] is True
    stored = app.extensions["storage"]
    with app.extensions["db"].session() as session:
        key = session.get(UploadSession, upload["id"]).object_key  # type: ignore[union-attr]
    assert "智能" not in key
    assert ".mp4" not in key
    assert hashlib.sha256(stored.get_bytes("originals", key)).hexdigest() == digest


def test_pdf_and_docx_are_recognised_by_content(teacher: Client, media: dict[str, Path]) -> None:
    for kind, name, file, expected in [
        (ResourceKind.TEXTBOOK, "校本教材.pdf", media["pdf"], "application/pdf"),
        (
            ResourceKind.READER,
            "市民读本.docx",
            media["docx"],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ]:
        rid = create_resource(teacher, kind)
        done = upload_all(teacher, rid, name, file.read_bytes())
        assert done.status_code == 201, done.get_json()
        version = teacher.get(f"/api/v1/resources/{rid}").get_json()["resource"]["versions"][0]
        assert version["content_type"] == expected


def test_oversized_upload_is_refused_before_any_byte_with_the_limit_named(
    app: Flask, teacher: Client
) -> None:
    rid = create_resource(teacher, ResourceKind.TEXTBOOK)
    response = open_upload(teacher, rid, "big.pdf", app.config["UPLOAD_MAX_DOCUMENT"] + 1)
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert "200 MB" in error["message"]
    assert "200 MB" in error["message_en"]
    assert error["limit"] == app.config["UPLOAD_MAX_DOCUMENT"]


def test_quota_is_enforced_when_the_upload_opens(app: Flask, teacher: Client) -> None:
    rid = create_resource(teacher)
    saved = app.config["UPLOAD_QUOTA"]
    app.config["UPLOAD_QUOTA"] = 30 * MiB
    try:
        response = open_upload(teacher, rid, "big.mp4", 50 * MiB)
    finally:
        app.config["UPLOAD_QUOTA"] = saved
    assert response.status_code == 413
    assert "配额" in response.get_json()["error"]["message"]


def test_a_chunk_answer_shows_the_upload_with_that_chunk(
    teacher: Client, media: dict[str, Path]
) -> None:
    rid = create_resource(teacher)
    data = video_bytes(media, 10 * MiB)
    upload = open_upload(teacher, rid, "a.mp4", len(data)).get_json()["upload"]
    first = teacher.put(
        f"/api/v1/uploads/{upload['id']}/chunks/0",
        data=data[: 8 * MiB],
        headers={"Content-Type": "application/octet-stream"},
    )
    assert first.status_code == 200
    state = first.get_json()["upload"]
    assert (state["received"], state["missing"], state["bytes_received"]) == ([0], [1], 8 * MiB)
    assert first.headers["ETag"].strip('"')  # the part's ETag, as the store answers a direct PUT
    last = teacher.put(
        f"/api/v1/uploads/{upload['id']}/chunks/1",
        data=data[8 * MiB :],
        headers={"Content-Type": "application/octet-stream"},
    )
    assert last.get_json()["upload"]["bytes_received"] == len(data)
    assert last.get_json()["upload"]["missing"] == []


def test_more_bytes_than_declared_and_a_chunk_outside_the_range(
    teacher: Client, media: dict[str, Path]
) -> None:
    rid = create_resource(teacher)
    data = video_bytes(media, 100_000)
    upload = open_upload(teacher, rid, "a.mp4", len(data)).get_json()["upload"]
    too_long = teacher.put(
        f"/api/v1/uploads/{upload['id']}/chunks/0",
        data=data + b"extra",
        headers={"Content-Type": "application/octet-stream"},
    )
    assert too_long.status_code == 413
    assert "100000" in too_long.get_json()["error"]["message"]
    outside = teacher.put(
        f"/api/v1/uploads/{upload['id']}/chunks/1",
        data=data,
        headers={"Content-Type": "application/octet-stream"},
    )
    assert outside.status_code == 416
    negative = teacher.put(f"/api/v1/uploads/{upload['id']}/chunks/-1", data=data)
    assert negative.status_code == 404
    short = teacher.put(
        f"/api/v1/uploads/{upload['id']}/chunks/0",
        data=data[:10],
        headers={"Content-Type": "application/octet-stream"},
    )
    assert short.status_code == 400
    status = teacher.get(f"/api/v1/uploads/{upload['id']}").get_json()["upload"]
    assert status["received"] == []  # nothing half-written was recorded
    send(teacher, upload, data)  # a correct retry still works
    assert teacher.post(f"/api/v1/uploads/{upload['id']}/complete").status_code == 201


def test_another_users_upload_is_forbidden(
    teacher: Client, other_teacher: Client, media: dict[str, Path]
) -> None:
    rid = create_resource(teacher)
    upload = open_upload(teacher, rid, "a.mp4", 1000).get_json()["upload"]
    for method, url in [
        ("GET", f"/api/v1/uploads/{upload['id']}"),
        ("PUT", f"/api/v1/uploads/{upload['id']}/chunks/0"),
        ("POST", f"/api/v1/uploads/{upload['id']}/complete"),
        ("DELETE", f"/api/v1/uploads/{upload['id']}"),
    ]:
        response = other_teacher.open(method, url, data=b"x" * 1000)
        assert response.status_code == 403, (method, url)
    # Nor may anyone upload into someone else's resource.
    assert open_upload(other_teacher, rid, "b.mp4", 1000).status_code == 403


def test_complete_with_missing_chunks_lists_them(teacher: Client, media: dict[str, Path]) -> None:
    rid = create_resource(teacher)
    data = video_bytes(media, 20 * MiB)
    upload = open_upload(teacher, rid, "a.mp4", len(data)).get_json()["upload"]
    send(teacher, upload, data, [1])
    response = teacher.post(f"/api/v1/uploads/{upload['id']}/complete")
    assert response.status_code == 409
    assert response.get_json()["error"]["missing"] == [0, 2]
    send(teacher, upload, data, [0, 2])
    assert teacher.post(f"/api/v1/uploads/{upload['id']}/complete").status_code == 201


def test_a_chunk_that_does_not_match_its_sha256_is_refused_unstored(
    app: Flask, teacher: Client, media: dict[str, Path]
) -> None:
    rid = create_resource(teacher)
    data = video_bytes(media, 50_000)
    upload = open_upload(teacher, rid, "a.mp4", len(data)).get_json()["upload"]
    damaged = teacher.put(
        f"/api/v1/uploads/{upload['id']}/chunks/0",
        data=data,
        headers={"Content-Type": "application/octet-stream", "X-Chunk-SHA256": "0" * 64},
    )
    assert damaged.status_code == 422
    assert "校验" in damaged.get_json()["error"]["message"]
    status = teacher.get(f"/api/v1/uploads/{upload['id']}").get_json()["upload"]
    assert status["received"] == []
    send(teacher, upload, data)  # sent again intact, it is accepted
    assert teacher.post(f"/api/v1/uploads/{upload['id']}/complete").status_code == 201


def test_the_declared_sha256_goes_with_the_version_for_the_worker_to_check(
    app: Flask, teacher: Client, media: dict[str, Path]
) -> None:
    """Completion no longer reads the file back: the worker, which downloads it anyway,
    compares it with what the client declared (and fails the version on a mismatch)."""
    rid = create_resource(teacher)
    data = video_bytes(media, 50_000)
    done = upload_all(teacher, rid, "a.mp4", data, sha256="0" * 64)
    assert done.status_code == 201, done.get_json()
    assert expected_sha256(app, done.get_json()["version_id"]) == "0" * 64


@pytest.mark.parametrize(
    ("file", "name", "fragment"),
    [
        ("text_mp4", "notes.mp4", "文本"),
        ("hls_mp4", "lesson.mp4", "播放列表"),
    ],
)
def test_impostors_named_mp4_are_refused_by_content(
    app: Flask, teacher: Client, media: dict[str, Path], file: str, name: str, fragment: str
) -> None:
    rid = create_resource(teacher)
    response = upload_all(teacher, rid, name, media[file].read_bytes())
    assert response.status_code == 415
    assert fragment in response.get_json()["error"]["message"]
    assert teacher.get(f"/api/v1/resources/{rid}").get_json()["resource"]["versions"] == []


def test_a_double_extension_is_judged_by_its_last_extension(
    teacher: Client, media: dict[str, Path]
) -> None:
    rid = create_resource(teacher, ResourceKind.TEXTBOOK)
    response = open_upload(teacher, rid, "x.pdf.html", 1000)
    assert response.status_code == 415
    assert ".html" in response.get_json()["error"]["message"]


def test_hostile_and_odd_file_names(app: Flask, teacher: Client, media: dict[str, Path]) -> None:
    data = media["pdf"].read_bytes()
    nul = open_upload(
        teacher, create_resource(teacher, ResourceKind.TEXTBOOK), "a\x00.pdf", len(data)
    )
    assert nul.status_code == 400
    assert "NUL" in nul.get_json()["error"]["message"]

    cases = {
        "../../etc/passwd.pdf": "passwd.pdf",
        "..\\..\\教材.pdf": "教材.pdf",
        ("长" * 300) + ".pdf": ("长" * 251) + ".pdf",
        "📚 社区读本 🎉.pdf": "📚 社区读本 🎉.pdf",
    }
    for sent, kept in cases.items():
        rid = create_resource(teacher, ResourceKind.TEXTBOOK)
        done = upload_all(teacher, rid, sent, data)
        assert done.status_code == 201, (sent, done.get_json())
        resource = teacher.get(f"/api/v1/resources/{rid}").get_json()["resource"]
        version, title = resource["versions"][0], resource["title"]
        assert version["filename"] == kept
        assert len(version["filename"]) <= 255
        location = teacher.get(f"/resources/{rid}/download").headers["Location"]
        fetched = requests.get(location, timeout=10)
        assert fetched.status_code == 200
        assert fetched.content == data
        disposition = fetched.headers["Content-Disposition"]
        # Downloads are saved under the resource's title with the file's own extension; the
        # name as sent is only kept (cleaned) on the version.
        saved = unquote(disposition.split("filename*=UTF-8''")[1])
        assert saved == download_name(title, kept)
        assert "/" not in saved
        assert ".." not in disposition.split(";")[1]


def test_abort_removes_parts_and_a_new_upload_works(
    app: Flask, teacher: Client, media: dict[str, Path]
) -> None:
    rid = create_resource(teacher)
    data = video_bytes(media, 20 * MiB)
    upload = open_upload(teacher, rid, "a.mp4", len(data)).get_json()["upload"]
    send(teacher, upload, data, [0])
    assert teacher.delete(f"/api/v1/uploads/{upload['id']}").status_code == 204
    gone = teacher.put(f"/api/v1/uploads/{upload['id']}/chunks/1", data=data[: 8 * MiB])
    assert gone.status_code == 410
    assert upload_all(teacher, rid, "a.mp4", data).status_code == 201


def test_idle_sessions_expire_and_their_parts_are_aborted(
    app: Flask, teacher: Client, media: dict[str, Path]
) -> None:
    from repo_service.db import utcnow
    from repo_service.uploads.services import expire_idle

    rid = create_resource(teacher)
    data = video_bytes(media, 20 * MiB)
    upload = open_upload(teacher, rid, "a.mp4", len(data)).get_json()["upload"]
    send(teacher, upload, data, [0])
    storage = app.extensions["storage"]
    with app.extensions["db"].session() as session:
        row = session.get(UploadSession, upload["id"])
        assert row is not None
        row.last_activity_at = utcnow().replace(year=2000)
        key, s3_id = row.object_key, row.s3_upload_id
    with app.extensions["db"].session() as session:
        import datetime as dt

        assert expire_idle(session, storage, dt.timedelta(hours=24)) >= 1
    with app.extensions["db"].session() as session:
        assert session.get(UploadSession, upload["id"]).status == UploadStatus.EXPIRED  # type: ignore[union-attr]
    from minio.error import S3Error

    with pytest.raises(S3Error):
        storage.multipart_parts("originals", key, s3_id)


@pytest.mark.slow
def test_object_store_stopped_mid_upload_then_resumed(
    app: Flask, teacher: Client, media: dict[str, Path]
) -> None:
    rid = create_resource(teacher)
    data = video_bytes(media, 30 * MiB)
    digest = hashlib.sha256(data).hexdigest()
    upload = open_upload(teacher, rid, "断点续传.mp4", len(data), sha256=digest).get_json()[
        "upload"
    ]
    send(teacher, upload, data, [0, 1])
    s3 = svc.SERVICES["s3"]
    assert svc.running_pid(s3) is not None, "the object store must be managed by ./infra/svc"
    manage = [sys.executable, str(svc.ROOT / "infra" / "svc.py")]
    subprocess.run([*manage, "down", "s3"], check=True, capture_output=True)
    try:
        body = data[2 * upload["chunk_size"] : 3 * upload["chunk_size"]]
        refused = teacher.put(
            f"/api/v1/uploads/{upload['id']}/chunks/2",
            data=body,
            headers={"Content-Type": "application/octet-stream"},
        )
        assert refused.status_code == 503
        assert "稍后重试" in refused.get_json()["error"]["message"]
    finally:
        subprocess.run([*manage, "up", "s3"], check=True, capture_output=True)
    status = teacher.get(f"/api/v1/uploads/{upload['id']}").get_json()["upload"]
    assert status["missing"] == [2, 3]
    send(teacher, upload, data, status["missing"])
    done = teacher.post(f"/api/v1/uploads/{upload['id']}/complete")
    assert done.status_code == 201, done.get_json()
    assert expected_sha256(app, done.get_json()["version_id"]) == digest
