"""Jobs survive a killed worker, retry transient failures, and can be run twice to the same end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from repo_service.accounts.models import Role
from repo_service.db import utcnow
from repo_service.processing.models import JobStatus, JobStep, ProcessingJob, Rendition
from repo_service.processing.services import retry_version, stuck_versions
from repo_service.resources.models import ProcessingStatus, ResourceVersion
from tests.conftest import ROOT, RUN_ID
from tests.factories import Client, make_user
from tests.transcoder.conftest import media_keys, stored_version, wait_processed

pytestmark = [pytest.mark.integration, pytest.mark.slow]

QUEUE = f"resilience-{RUN_ID}"


def start_worker(test_env: dict[str, str], log: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **test_env,
        "PYTHONPATH": str(ROOT),
        # Fast hand-over of abandoned work, so the test does not wait for the production delays.
        "ZX_BROKER_VISIBILITY_TIMEOUT": "6",
        "ZX_BROKER_RESTORE_INTERVAL": "1",
        "ZX_BROKER_RESTORE_THROTTLE": "1",
        "ZX_PROCESS_LOCK_SECONDS": "5",
    }
    command = (
        f"{sys.executable} -m celery -A transcoder.worker worker -Q {QUEUE} --concurrency 1 "
        f"--hostname {name}-{RUN_ID}@%h --without-gossip --without-mingle --loglevel INFO"
    ).split()
    with log.open("ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="module")
def teacher(app: Flask) -> Client:
    return Client(app, make_user(app, Role.TEACHER))


@pytest.fixture(scope="module")
def long_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("long") / "long.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=1920x1080:rate=30:duration=24",
            "-f",
            "lavfi",
            "-i",
            "sine=duration=24",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-shortest",
            str(path),
        ],
        check=True,
        timeout=300,
    )
    return path


def job(app: Flask, version_id: int, step: JobStep) -> ProcessingJob | None:
    with app.extensions["db"].session() as session:
        row = session.scalar(
            select(ProcessingJob).where(
                ProcessingJob.version_id == version_id, ProcessingJob.step == step
            )
        )
        if row is not None:
            session.expunge(row)
        return row


@pytest.fixture
def workers(test_env: dict[str, str], run_dir: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        stop(proc)


def test_a_worker_killed_mid_job_hands_the_job_to_the_next_worker(
    app: Flask,
    teacher: Client,
    long_video: Path,
    test_env: dict[str, str],
    run_dir: Path,
    workers: list[subprocess.Popen[bytes]],
) -> None:
    version_id = stored_version(app, teacher, long_video.read_bytes())
    first = start_worker(test_env, run_dir / "worker-killed.log", "doomed")
    workers.append(first)
    app.extensions["celery"].send_task("transcoder.process_version", args=[version_id], queue=QUEUE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ladder = job(app, version_id, JobStep.LADDER)
        if ladder is not None and ladder.status == JobStatus.RUNNING and ladder.percent >= 5:
            break
        time.sleep(0.3)
    else:
        pytest.fail(f"the ladder job never got going: see {run_dir / 'worker-killed.log'}")
    stop(first, signal.SIGKILL)  # the worker and its ffmpeg die without acknowledging the task
    assert job(app, version_id, JobStep.LADDER).status == JobStatus.RUNNING  # type: ignore[union-attr]

    workers.append(start_worker(test_env, run_dir / "worker-next.log", "next"))
    version = wait_processed(app, version_id, timeout=240)
    assert version.processing_status == ProcessingStatus.READY, version.processing_error_en
    ladder = job(app, version_id, JobStep.LADDER)
    assert ladder is not None
    assert ladder.status == JobStatus.DONE
    assert ladder.attempts >= 2
    assert any(k.endswith("master.m3u8") for k in media_keys(app, version_id))


def test_rerunning_every_step_gives_the_same_outputs_and_rows(
    app: Flask,
    teacher: Client,
    inputs: dict[str, Path],
    test_env: dict[str, str],
    run_dir: Path,
    workers: list[subprocess.Popen[bytes]],
) -> None:
    workers.append(start_worker(test_env, run_dir / "worker-rerun.log", "rerun"))
    celery = app.extensions["celery"]
    version_id = stored_version(app, teacher, inputs["noaudio.mp4"].read_bytes())
    celery.send_task("transcoder.process_version", args=[version_id], queue=QUEUE)
    assert wait_processed(app, version_id).processing_status == ProcessingStatus.READY

    def snapshot() -> tuple[list[str], list[tuple[str, int | None, int | None, str]], int]:
        with app.extensions["db"].session() as session:
            rows = session.scalars(
                select(Rendition).where(Rendition.version_id == version_id)
            ).all()
            jobs = session.scalars(
                select(ProcessingJob).where(ProcessingJob.version_id == version_id)
            ).all()
            return (
                sorted(media_keys(app, version_id)),
                sorted((r.name, r.width, r.height, r.playlist_key) for r in rows),
                len(jobs),
            )

    before = snapshot()
    with app.extensions["db"].session() as session:
        retry_version(session, celery, version_id, rerun_all=True)
    # The after-commit hook sent it to the production queue; hand it to this test's worker too.
    celery.send_task("transcoder.process_version", args=[version_id], queue=QUEUE)
    assert wait_processed(app, version_id).processing_status == ProcessingStatus.READY
    assert snapshot() == before
    ladder = job(app, version_id, JobStep.LADDER)
    assert ladder is not None
    assert ladder.attempts == 2


def test_storage_outage_is_retried_until_it_succeeds(
    app: Flask,
    teacher: Client,
    inputs: dict[str, Path],
    test_env: dict[str, str],
    run_dir: Path,
    workers: list[subprocess.Popen[bytes]],
) -> None:
    workers.append(start_worker(test_env, run_dir / "worker-outage.log", "outage"))
    version_id = stored_version(app, teacher, inputs["noaudio.mp4"].read_bytes())
    manage = [sys.executable, str(ROOT / "infra" / "svc.py")]
    subprocess.run([*manage, "down", "s3"], check=True, capture_output=True)
    try:
        app.extensions["celery"].send_task(
            "transcoder.process_version", args=[version_id], queue=QUEUE
        )
        time.sleep(4)  # the first attempt fails to download the original
        with app.extensions["db"].session() as session:
            version = session.get(ResourceVersion, version_id)
            assert version is not None
            assert version.processing_status != ProcessingStatus.READY
    finally:
        subprocess.run([*manage, "up", "s3"], check=True, capture_output=True)
    version = wait_processed(app, version_id, timeout=120)
    assert version.processing_status == ProcessingStatus.READY, version.processing_error_en


def test_the_sweeper_finds_jobs_without_a_heartbeat(app: Flask, teacher: Client) -> None:
    import datetime as dt

    version_id = stored_version(app, teacher, b"\x00" * 10)
    with app.extensions["db"].session() as session:
        session.add(
            ProcessingJob(
                version_id=version_id,
                step=JobStep.LADDER,
                status=JobStatus.RUNNING,
                heartbeat_at=utcnow() - dt.timedelta(minutes=30),
            )
        )
    with app.extensions["db"].session() as session:
        assert version_id in stuck_versions(session, dt.timedelta(minutes=5))
        assert version_id not in stuck_versions(session, dt.timedelta(hours=1))
