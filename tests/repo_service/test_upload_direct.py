"""Parts sent straight to the object store with presigned URLs, and what completion refuses.

Every refusal is checked the way a teacher or an operator would notice it: the status and
message, the versions of the resource, and the objects and open multipart uploads in the bucket.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from minio.error import S3Error

from repo_service.accounts.auth import issue_token
from repo_service.accounts.models import Role, User
from repo_service.uploads.models import UploadSession, UploadStatus
from tests.conftest import ROOT, free_port
from tests.factories import Client, create_resource, make_user
from tests.repo_service.test_uploads import expected_sha256, open_upload, send, video_bytes

pytestmark = pytest.mark.integration

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def teacher(app: Flask) -> Client:
    return Client(app, make_user(app, Role.TEACHER))


def sign(client: Client, upload_id: str, numbers: list[int]) -> Any:
    return client.post(f"/api/v1/uploads/{upload_id}/parts", json={"parts": numbers})


def put_parts(client: Client, upload: dict[str, Any], data: bytes, numbers: list[int]) -> None:
    """PUT parts to the store as a browser does: no cookie, no service in between."""
    signed = sign(client, upload["id"], numbers)
    assert signed.status_code == 200, signed.get_json()
    chunk = upload["chunk_size"]
    for part in signed.get_json()["parts"]:
        n = part["number"]
        body = data[(n - 1) * chunk : n * chunk]
        assert part["size"] == len(body)
        stored = requests.put(part["url"], data=body, timeout=30)
        assert stored.status_code == 200, stored.text
        assert stored.headers["ETag"]


def object_key(app: Flask, upload_id: str) -> tuple[str, str, UploadStatus]:
    with app.extensions["db"].session() as session:
        row = session.get(UploadSession, upload_id)
        assert row is not None
        return row.object_key, row.s3_upload_id, row.status


def assert_nothing_stored(app: Flask, upload_id: str) -> None:
    """No object, no open multipart upload: nothing half-written is left in the bucket."""
    key, s3_id, status = object_key(app, upload_id)
    storage = app.extensions["storage"]
    assert not storage.exists("originals", key)
    with pytest.raises(S3Error) as gone:
        storage.multipart_parts("originals", key, s3_id)
    assert gone.value.code == "NoSuchUpload"
    assert status == UploadStatus.ABORTED


def test_parts_go_straight_to_the_store_and_complete_into_a_version(
    app: Flask, teacher: Client, media: dict[str, Path]
) -> None:
    rid = create_resource(teacher)
    data = video_bytes(media, 20 * MiB)
    digest = hashlib.sha256(data).hexdigest()
    opened = open_upload(teacher, rid, "第四讲 直传.mp4", len(data), sha256=digest)
    assert opened.status_code == 201
    upload = opened.get_json()["upload"]
    assert upload["mode"] == "direct"
    signed = sign(teacher, upload["id"], [3, 1, 2]).get_json()
    assert [p["number"] for p in signed["parts"]] == [1, 2, 3]
    assert signed["method"] == "PUT"
    host = urlsplit(signed["parts"][0]["url"]).netloc
    assert host == app.config["S3_PUBLIC_ENDPOINT"]  # signed for the address browsers use

    put_parts(teacher, upload, data, [3, 1])
    status = teacher.get(f"/api/v1/uploads/{upload['id']}").get_json()["upload"]
    assert (status["received"], status["missing"]) == ([0, 2], [1])  # from the store's list
    put_parts(teacher, upload, data, [2])
    done = teacher.post(f"/api/v1/uploads/{upload['id']}/complete")
    assert done.status_code == 201, done.get_json()
    version = teacher.get(f"/api/v1/resources/{rid}").get_json()["resource"]["versions"][0]
    assert (version["size"], version["content_type"]) == (len(data), "video/mp4")
    assert version["processing_queued"] is True
    assert expected_sha256(app, done.get_json()["version_id"]) == digest
    key, _, status_after = object_key(app, upload["id"])
    assert status_after == UploadStatus.COMPLETED
    stored = app.extensions["storage"].get_bytes("originals", key)
    assert hashlib.sha256(stored).hexdigest() == digest


def test_a_part_of_the_wrong_size_aborts_the_upload_and_leaves_nothing(
    app: Flask, teacher: Client, media: dict[str, Path]
) -> None:
    rid = create_resource(teacher)
    data = video_bytes(media, 20 * MiB)
    upload = open_upload(teacher, rid, "a.mp4", len(data)).get_json()["upload"]
    put_parts(teacher, upload, data, [1, 3])
    (part,) = sign(teacher, upload["id"], [2]).get_json()["parts"]
    assert requests.put(part["url"], data=data[:MiB], timeout=30).status_code == 200
    refused = teacher.post(f"/api/v1/uploads/{upload['id']}/complete")
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "part_size_mismatch"
    assert "第 2 片" in error["message"]
    assert str(8 * MiB) in error["message_en"]
    assert teacher.get(f"/api/v1/resources/{rid}").get_json()["resource"]["versions"] == []
    assert_nothing_stored(app, upload["id"])
    again = sign(teacher, upload["id"], [1])
    assert again.status_code == 410


def test_wrong_bytes_at_the_start_are_refused_by_content_and_leave_nothing(
    app: Flask, teacher: Client, media: dict[str, Path]
) -> None:
    rid = create_resource(teacher)
    data = media["text_mp4"].read_bytes()
    upload = open_upload(teacher, rid, "notes.mp4", len(data)).get_json()["upload"]
    put_parts(teacher, upload, data, [1])
    refused = teacher.post(f"/api/v1/uploads/{upload['id']}/complete")
    assert refused.status_code == 415
    assert "文本" in refused.get_json()["error"]["message"]
    key, _, status = object_key(app, upload["id"])
    assert status == UploadStatus.ABORTED
    assert not app.extensions["storage"].exists("originals", key)


def test_completion_with_a_missing_part_names_it_and_can_be_finished(
    app: Flask, teacher: Client, media: dict[str, Path]
) -> None:
    rid = create_resource(teacher)
    data = video_bytes(media, 20 * MiB)
    upload = open_upload(teacher, rid, "a.mp4", len(data)).get_json()["upload"]
    put_parts(teacher, upload, data, [1, 3])
    incomplete = teacher.post(f"/api/v1/uploads/{upload['id']}/complete")
    assert incomplete.status_code == 409
    error = incomplete.get_json()["error"]
    assert (error["missing_parts"], error["missing"]) == ([2], [1])
    assert "[2]" in error["message"]
    key, _, status = object_key(app, upload["id"])
    assert status == UploadStatus.OPEN
    assert not app.extensions["storage"].exists("originals", key)
    put_parts(teacher, upload, data, [2])
    assert teacher.post(f"/api/v1/uploads/{upload['id']}/complete").status_code == 201


def test_an_expired_part_url_is_refused_by_the_store_and_stores_nothing(
    app: Flask, teacher: Client, media: dict[str, Path]
) -> None:
    rid = create_resource(teacher)
    data = video_bytes(media, 20 * MiB)
    upload = open_upload(teacher, rid, "a.mp4", len(data)).get_json()["upload"]
    app.config["UPLOAD_PART_URL_SECONDS"] = 1
    try:
        (part,) = sign(teacher, upload["id"], [1]).get_json()["parts"]
    finally:
        app.config["UPLOAD_PART_URL_SECONDS"] = 900
    time.sleep(2.2)
    late = requests.put(part["url"], data=data[: 8 * MiB], timeout=30)
    assert late.status_code == 403
    assert "expired" in late.text
    status = teacher.get(f"/api/v1/uploads/{upload['id']}").get_json()["upload"]
    assert status["received"] == []
    incomplete = teacher.post(f"/api/v1/uploads/{upload['id']}/complete")
    assert incomplete.status_code == 409
    assert incomplete.get_json()["error"]["missing_parts"] == [1, 2, 3]
    key, _, _ = object_key(app, upload["id"])
    assert not app.extensions["storage"].exists("originals", key)
    put_parts(teacher, upload, data, [1, 2, 3])  # fresh URLs work
    assert teacher.post(f"/api/v1/uploads/{upload['id']}/complete").status_code == 201


def test_part_numbers_are_checked(teacher: Client, media: dict[str, Path]) -> None:
    rid = create_resource(teacher)
    upload = open_upload(teacher, rid, "a.mp4", 20 * MiB).get_json()["upload"]
    outside = sign(teacher, upload["id"], [0, 4])
    assert outside.status_code == 416
    assert "1–3" in outside.get_json()["error"]["message"]
    for bad in ([], ["1"], [True], list(range(1, 200))):
        assert sign(teacher, upload["id"], bad).status_code == 400, bad


def test_with_direct_uploads_off_the_upload_says_proxied_and_refuses_part_urls(
    app: Flask, teacher: Client, media: dict[str, Path], proxied: None
) -> None:
    rid = create_resource(teacher)
    data = video_bytes(media, 10 * MiB)
    upload = open_upload(teacher, rid, "a.mp4", len(data)).get_json()["upload"]
    assert upload["mode"] == "proxied"
    refused = sign(teacher, upload["id"], [1])
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "direct_uploads_off"
    send(teacher, upload, data)
    assert teacher.post(f"/api/v1/uploads/{upload['id']}/complete").status_code == 201


@pytest.mark.parametrize("how", ["api", "database"])
def test_a_deleted_resources_upload_refuses_chunks_and_parts_at_once(
    app: Flask, teacher: Client, media: dict[str, Path], how: str
) -> None:
    rid = create_resource(teacher)
    data = video_bytes(media, 20 * MiB)
    digest = hashlib.sha256(data).hexdigest()
    upload = open_upload(teacher, rid, "a.mp4", len(data), sha256=digest).get_json()["upload"]
    send(teacher, upload, data, [0])
    if how == "api":
        assert teacher.delete(f"/api/v1/resources/{rid}").status_code == 204
    else:  # deleted before deletion aborted uploads: refused all the same
        from repo_service.db import utcnow
        from repo_service.resources.models import Resource

        with app.extensions["db"].session() as session:
            resource = session.get(Resource, rid)
            assert resource is not None
            resource.deleted_at = utcnow()
    chunk = teacher.put(
        f"/api/v1/uploads/{upload['id']}/chunks/1",
        data=data[8 * MiB : 16 * MiB],
        headers={"Content-Type": "application/octet-stream"},
    )
    assert chunk.status_code == 410
    assert "删除" in chunk.get_json()["error"]["message"]
    assert sign(teacher, upload["id"], [2]).status_code == 410
    assert_nothing_stored(app, upload["id"])
    # The same file for a new resource opens at once, instead of "an unfinished upload exists".
    other = create_resource(teacher)
    reopened = open_upload(teacher, other, "a.mp4", len(data), sha256=digest)
    assert reopened.status_code == 201, reopened.get_json()
    assert reopened.get_json()["upload"]["id"] != upload["id"]


def bearer(app: Flask, user: User) -> dict[str, str]:
    with app.extensions["db"].session() as session:
        owner = session.get(User, user.id)
        assert owner is not None
        _, token = issue_token(session, owner, "keep-alive test")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def gunicorn_server(app: Flask, test_env: dict[str, str], run_dir: Path) -> Iterator[str]:
    """The service under gunicorn's threaded worker, as ./infra/svc runs it, on this run's data.

    The Werkzeug server of ``live_server`` never keeps a connection alive, so only a real
    keep-alive server shows what a client meets after a refused chunk.
    """
    port = free_port()
    log = (run_dir / "gunicorn-keepalive.log").open("wb")
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "repo_service:create_app()",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
        ],
        cwd=ROOT,
        env={**os.environ, **test_env, "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/api/v1/session", timeout=1)
                break
            except requests.RequestException:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start: see {log.name}", pytrace=False)
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_a_refused_chunk_leaves_the_keep_alive_connection_usable(
    app: Flask, gunicorn_server: str, media: dict[str, Path]
) -> None:
    owner, stranger = make_user(app, Role.TEACHER), make_user(app, Role.TEACHER)
    owner_client = Client(app, owner)
    rid = create_resource(owner_client)
    upload = open_upload(owner_client, rid, "a.mp4", 20 * MiB).get_json()["upload"]
    chunk_url = f"/api/v1/uploads/{upload['id']}/chunks"
    body = b"\0" * (2 * MiB)
    cases = [
        (stranger, f"{chunk_url}/0", body, 403),
        (owner, f"{chunk_url}/0", b"\0" * (8 * MiB + 10), 413),
        (owner, f"{chunk_url}/7", body, 416),
        (owner, f"{chunk_url}/0", b"\0" * (app.config["MAX_CONTENT_LENGTH"] + 1), 413),
    ]
    owner_auth = bearer(app, owner)
    netloc = urlsplit(gunicorn_server).netloc
    for user, path, payload, expected in cases:
        headers = {**bearer(app, user), "Content-Type": "application/octet-stream"}
        for attempt in range(3):
            connection = http.client.HTTPConnection(netloc, timeout=30)
            connection.request("PUT", path, body=payload, headers=headers)
            refused = connection.getresponse()
            refused.read()
            assert refused.status == expected, (path, attempt)
            kept = refused.getheader("Connection", "").lower() != "close"
            # The next request on the same connection is answered, not lost with the socket.
            connection.request("GET", f"/api/v1/uploads/{upload['id']}", headers=owner_auth)
            following = connection.getresponse()
            assert following.status == 200, (expected, attempt)
            following.read()
            assert kept, "the refusal should keep the connection alive after reading the body"
            connection.close()
