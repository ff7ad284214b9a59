"""A video that failed processing says so: its playlist names the failure and the reason, and a
resource whose only file failed cannot be submitted for review or published."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from repo_service.accounts.models import Role
from repo_service.resources.models import ProcessingStatus, ResourceVersion
from tests.factories import Client, create_resource, make_user
from tests.repo_service.test_uploads import upload_all
from tests.transcoder.conftest import wait_processed

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("celery_worker")]


@pytest.fixture(scope="module")
def people(app: Flask) -> dict[str, Client]:
    return {
        "teacher": Client(app, make_user(app, Role.TEACHER)),
        "admin": Client(app, make_user(app, Role.ADMIN)),
    }


@pytest.fixture(scope="module")
def broken_video(media: dict[str, Path]) -> bytes:
    """The first half of a real MP4: it passes the upload's type check (its header is intact)
    but cannot be read, since the index (moov) at the end of the file is gone."""
    whole = media["video"].read_bytes()
    return whole[: len(whole) // 2]


def processed(app: Flask, client: Client, rid: int, name: str, data: bytes) -> ResourceVersion:
    """Upload ``data`` as a new version of ``rid`` and wait until the worker is done with it."""
    done = upload_all(client, rid, name, data)
    assert done.status_code == 201, done.get_json()
    return wait_processed(app, done.get_json()["version_id"], timeout=120)


def test_a_resource_whose_only_video_failed_says_why_and_cannot_go_forward(
    app: Flask, people: dict[str, Client], broken_video: bytes, media: dict[str, Path]
) -> None:
    teacher, admin = people["teacher"], people["admin"]
    rid = create_resource(teacher, title="坏掉的视频")
    failed = processed(app, teacher, rid, "坏视频.mp4", broken_video)
    assert failed.processing_status == ProcessingStatus.FAILED
    assert failed.processing_error
    assert failed.processing_error_en

    playlist = teacher.get(f"/api/v1/resources/{rid}/hls/master.m3u8")
    assert playlist.status_code == 409
    error = playlist.get_json()["error"]
    assert error["code"] == "processing_failed"
    assert "处理失败" in error["message"]
    assert "还在处理中" not in error["message"]
    assert failed.processing_error in error["message"]
    assert failed.processing_error_en in error["message_en"]
    assert error["version"] == failed.number
    thumbnails = teacher.get(f"/api/v1/resources/{rid}/thumbnails.vtt")
    assert thumbnails.status_code == 409

    refused = teacher.post(f"/api/v1/resources/{rid}/submit")
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "processing_failed"
    assert error["message"].startswith("文件处理失败，请重新上传后再提交审核")
    assert failed.processing_error in error["message"]
    assert failed.processing_error_en in error["message_en"]
    assert teacher.get(f"/api/v1/resources/{rid}").get_json()["resource"]["status"] == "draft"

    refused = admin.post(f"/api/v1/resources/{rid}/publish")
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "processing_failed"
    assert "不能发布" in refused.get_json()["error"]["message"]
    assert teacher.get(f"/api/v1/resources/{rid}").get_json()["resource"]["status"] == "draft"

    # A new file lifts the refusal at once: it may still be processing, but it has not failed.
    replaced = upload_all(teacher, rid, "重新导出.mp4", media["video"].read_bytes())
    assert replaced.status_code == 201, replaced.get_json()
    submitted = teacher.post(f"/api/v1/resources/{rid}/submit")
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["resource"]["status"] == "submitted"


def test_a_failed_new_upload_leaves_the_older_video_playing(
    app: Flask, people: dict[str, Client], broken_video: bytes, media: dict[str, Path]
) -> None:
    teacher, admin = people["teacher"], people["admin"]
    rid = create_resource(teacher, title="换过文件的视频")
    good = processed(app, teacher, rid, "第一版.mp4", media["video"].read_bytes())
    assert good.processing_status == ProcessingStatus.READY, good.processing_error_en
    bad = processed(app, teacher, rid, "第二版.mp4", broken_video)
    assert bad.processing_status == ProcessingStatus.FAILED

    playlist = teacher.get(f"/api/v1/resources/{rid}/hls/master.m3u8")
    assert playlist.status_code == 200
    assert playlist.get_data(as_text=True).startswith("#EXTM3U")
    assert teacher.post(f"/api/v1/resources/{rid}/submit").status_code == 200
    assert admin.post(f"/api/v1/resources/{rid}/publish").status_code == 200
