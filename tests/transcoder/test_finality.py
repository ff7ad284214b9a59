"""A failure is final: later steps are skipped, nothing re-queues a failed or deleted version,
a missing original fails for good, and a stored file that is not the uploaded one is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from repo_service.accounts.models import Role
from repo_service.processing.models import JobStatus, JobStep, ProcessingJob
from repo_service.processing.services import stuck_versions
from repo_service.resources.models import ProcessingStatus, Resource
from repo_service.resources.services import add_version
from tests.factories import Client, create_resource, make_user
from tests.transcoder.conftest import upload_and_process, wait_processed

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("celery_worker")]


@pytest.fixture(scope="module")
def teacher(app: Flask) -> Client:
    return Client(app, make_user(app, Role.TEACHER))


def jobs(app: Flask, version_id: int) -> dict[JobStep, ProcessingJob]:
    with app.extensions["db"].session() as session:
        rows = session.scalars(
            select(ProcessingJob).where(ProcessingJob.version_id == version_id)
        ).all()
        session.expunge_all()
    return {row.step: row for row in rows}


def stored(
    app: Flask, teacher: Client, data: bytes, *, expected: str | None = None, keep: bool = True
) -> int:
    """A version added the way uploads add them, its processing queued at commit; without
    ``keep`` its original is already gone (deleted and purged) when a worker gets to it."""
    assert teacher.user is not None
    rid = create_resource(teacher, title="终局测试")
    key = f"t/finality-{time.monotonic_ns()}"
    if keep:
        app.extensions["storage"].put("originals", key, data, content_type="video/mp4")
    with app.extensions["db"].session() as session:
        resource = session.get(Resource, rid)
        assert resource is not None
        version = add_version(
            session,
            app.extensions["celery"],
            resource,
            object_key=key,
            filename="lesson.mp4",
            size=len(data),
            content_type="video/mp4",
            created_by_id=teacher.user.id,
            expected_sha256=expected,
        )
        return version.id


def test_after_bad_media_the_later_steps_are_skipped_and_never_swept_again(
    app: Flask, teacher: Client, inputs: dict[str, Path]
) -> None:
    _rid, version = upload_and_process(
        app, teacher, inputs["truncated.mp4"].read_bytes(), "坏视频.mp4"
    )
    assert version.processing_status == ProcessingStatus.FAILED
    steps = jobs(app, version.id)
    assert steps[JobStep.VERIFY].status == JobStatus.DONE
    assert steps[JobStep.PROBE].status == JobStatus.FAILED
    assert steps[JobStep.LADDER].status == JobStatus.SKIPPED
    assert steps[JobStep.POSTER].status == JobStatus.SKIPPED
    assert steps[JobStep.LADDER].attempts == steps[JobStep.POSTER].attempts == 0

    # However long it waits, the sweeper never picks it up again.
    with app.extensions["db"].session() as session:
        assert version.id not in stuck_versions(session, dt.timedelta(0))
    from transcoder.tasks import sweep_stuck

    with app.app_context():
        sweep_stuck.run(0)
    time.sleep(3)  # room for a wrongly re-queued run to start
    assert jobs(app, version.id)[JobStep.PROBE].attempts == 1
    assert jobs(app, version.id)[JobStep.LADDER].status == JobStatus.SKIPPED

    # The job list says so in words.
    admin = Client(app, make_user(app, Role.ADMIN))
    listed = admin.get("/api/v1/jobs?status=skipped").get_json()["jobs"]
    assert {j["step"] for j in listed if j["version_id"] == version.id} == {"ladder", "poster"}
    assert {j["status_label"] for j in listed if j["version_id"] == version.id} == {"已跳过"}


def test_a_missing_original_fails_for_good_without_retries(
    app: Flask, teacher: Client, inputs: dict[str, Path]
) -> None:
    data = inputs["landscape.mp4"].read_bytes()
    version_id = stored(app, teacher, data, keep=False)
    done = wait_processed(app, version_id, timeout=60)
    assert done.processing_status == ProcessingStatus.FAILED
    assert done.processing_error is not None
    assert "原始文件已不存在" in done.processing_error
    time.sleep(3)  # a transient retry would have started by now
    steps = jobs(app, version_id)
    assert steps[JobStep.VERIFY].status == JobStatus.FAILED
    assert steps[JobStep.VERIFY].attempts == 0  # it never ran: the download found nothing
    assert {steps[s].status for s in (JobStep.PROBE, JobStep.LADDER, JobStep.POSTER)} == {
        JobStatus.SKIPPED
    }


def test_a_stored_file_that_is_not_the_uploaded_one_is_refused_and_removed(
    app: Flask, teacher: Client, inputs: dict[str, Path]
) -> None:
    data = inputs["landscape.mp4"].read_bytes()
    wrong = hashlib.sha256(data + b"x").hexdigest()
    version_id = stored(app, teacher, data, expected=wrong)
    done = wait_processed(app, version_id, timeout=60)
    assert done.processing_status == ProcessingStatus.FAILED
    assert done.processing_error is not None
    assert "文件校验失败" in done.processing_error
    assert "upload it again" in (done.processing_error_en or "")
    assert not app.extensions["storage"].exists("originals", done.object_key)
    assert jobs(app, version_id)[JobStep.PROBE].status == JobStatus.SKIPPED


def test_a_good_file_is_verified_and_its_sha256_recorded(
    app: Flask, teacher: Client, inputs: dict[str, Path]
) -> None:
    data = inputs["landscape.mp4"].read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    version_id = stored(app, teacher, data, expected=digest)
    done = wait_processed(app, version_id, timeout=120)
    assert done.processing_status == ProcessingStatus.READY
    assert done.sha256 == digest
    assert jobs(app, version_id)[JobStep.VERIFY].status == JobStatus.DONE
