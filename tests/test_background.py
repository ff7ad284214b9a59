"""Background work as a district would run it: two pools, a beat, a broker that can go away.

These tests run a system of their own: a private Redis (so stopping it disturbs no other
test), database, index prefix, a short pool with the beat and a long pool of two slots.
"""

from __future__ import annotations

import contextlib
import statistics
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask
from sqlalchemy import func, select

from repo_service.accounts.models import Role
from repo_service.app import dispose_app
from repo_service.migrate import upgrade
from repo_service.outbox import OutboxMessage
from repo_service.resources.models import (
    ProcessingStatus,
    Resource,
    ResourceVersion,
)
from repo_service.resources.services import add_version
from search.index import INDEX
from search.models import DirtyResource
from tests.conftest import RUN_ID, app_for, free_port, run_database, running_worker
from tests.factories import Client, create_resource, drafts_with_a_file, make_user
from tests.repo_service.test_uploads import open_upload, send

pytestmark = [pytest.mark.integration, pytest.mark.slow]


class PrivateRedis:
    """A redis-server of this test module's own, stopped and started at will."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                *("redis-server", "--bind", "127.0.0.1", "--port", str(self.port)),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.RedisError):
                if client.ping():
                    return
            time.sleep(0.1)
        raise AssertionError("the private redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
            self.proc = None


@dataclass
class Stack:
    app: Flask
    env: dict[str, str]
    broker: PrivateRedis

    def search_ids(self, title: str) -> set[int]:
        """Resources a resident would find now by this title (published ones only)."""
        search = self.app.extensions["search"]
        hits = search.es.search(
            index=search.name(INDEX),
            query={
                "bool": {
                    "must": [{"match_phrase": {"title": title}}],
                    "filter": [{"term": {"visible": True}}, {"term": {"doc_type": "resource"}}],
                }
            },
            size=100,
        )["hits"]["hits"]
        return {h["_source"]["resource_id"] for h in hits}


@pytest.fixture(scope="module")
def stack(app: Flask, test_env: dict[str, str], run_dir: Path) -> Iterator[Stack]:
    del app  # the run's app creates the buckets this stack shares
    broker = PrivateRedis(run_dir)
    broker.start()
    with run_database(run_dir, "background") as database_url:
        env = test_env | {
            "ZX_DATABASE_URL": database_url,
            "ZX_SEARCH_INDEX_PREFIX": f"zxt-{RUN_ID}-bg-",
            "ZX_REDIS_URL": broker.url,
            "ZX_SEARCH_RETRY_SECONDS": "1",
        }
        application = app_for(env, {"SKIP_BUCKET_SETUP": True})
        upgrade(application.extensions["db"])
        celery = application.extensions["celery"]
        beat = ("--beat", "--schedule", str(run_dir / "background-beat"))
        with (
            running_worker(celery, env, run_dir / "bg-short.log", "bg-short", "short", 2, beat),
            running_worker(celery, env, run_dir / "bg-long.log", "bg-long", "long", 2, nice=10),
        ):
            try:
                yield Stack(application, env, broker)
            finally:
                application.extensions["search"].drop_prefixed()
                dispose_app(application)
    broker.stop()


def wait_until(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} within {timeout} s")


def count(app: Flask, model: Any) -> int:
    with app.extensions["db"].session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_broker_outage_loses_nothing(stack: Stack, media: dict[str, Path]) -> None:
    app = stack.app
    teacher = Client(app, make_user(app, Role.TEACHER))
    admin = Client(app, make_user(app, Role.ADMIN))
    rid = create_resource(teacher, title="停电也不丢的微课")
    data = media["video"].read_bytes()
    opened = open_upload(teacher, rid, "lesson.mp4", len(data))
    assert opened.status_code == 201, opened.get_json()
    upload = opened.get_json()["upload"]
    send(teacher, upload, data)
    assert admin.user is not None
    other = drafts_with_a_file(app, admin.user, ["断网时发布的课程"])[0]

    stack.broker.stop()
    try:
        started = time.monotonic()
        done = teacher.post(f"/api/v1/uploads/{upload['id']}/complete")
        assert done.status_code == 201, done.get_json()
        published = admin.post(f"/api/v1/resources/{other}/publish")
        assert published.status_code == 200, published.get_json()
        assert time.monotonic() - started < 15  # answered, not hung on the broker
        version_id = done.get_json()["version_id"]
        assert count(app, OutboxMessage) >= 1  # the processing task waits here
        with app.extensions["db"].session() as session:
            assert session.get(DirtyResource, other) is not None
            version = session.get(ResourceVersion, version_id)
            assert version is not None
            assert version.processing_status == ProcessingStatus.UPLOADED
    finally:
        stack.broker.start()

    # Nobody does anything: the beat's relay and periodic apply catch up.
    def processed() -> bool:
        with app.extensions["db"].session() as session:
            version = session.get(ResourceVersion, version_id)
            return version is not None and version.processing_status == ProcessingStatus.READY

    wait_until(processed, 120, "the version queued during the outage was not processed")
    wait_until(lambda: other in stack.search_ids("断网时发布的课程"), 60, "publish not indexed")
    search = app.extensions["search"]
    doc = search.es.get(index=search.name(INDEX), id=f"r{other}")["_source"]
    assert doc["visible"] is True
    assert count(app, OutboxMessage) == 0


def test_publishes_are_searchable_within_two_seconds_while_the_long_pool_transcodes(
    stack: Stack, tmp_path: Path
) -> None:
    app = stack.app
    admin = Client(app, make_user(app, Role.ADMIN))
    assert admin.user is not None
    # Two transcodes that hold both long slots for the whole test.
    source = tmp_path / "long.mp4"
    subprocess.run(
        [
            *("ffmpeg", "-v", "error", "-f", "lavfi"),
            *("-i", "testsrc2=size=1280x720:rate=25:duration=40"),
            *("-c:v", "libx264", "-preset", "ultrafast", str(source)),
        ],
        check=True,
        timeout=120,
    )
    data = source.read_bytes()
    busy = []
    holders = drafts_with_a_file(app, admin.user, ["转码占位一", "转码占位二"])
    with app.extensions["db"].session() as session:
        for n, holder in enumerate(holders):
            resource = session.get(Resource, holder)
            assert resource is not None
            key = f"t/bg-long-{n}-{time.monotonic_ns()}"
            app.extensions["storage"].put("originals", key, data, content_type="video/mp4")
            version = add_version(
                session,
                app.extensions["celery"],
                resource,
                object_key=key,
                filename="long.mp4",
                size=len(data),
                content_type="video/mp4",
                created_by_id=admin.user.id,
            )
            busy.append(version.id)

    def transcoding() -> bool:
        with app.extensions["db"].session() as session:
            states = [session.get(ResourceVersion, v).processing_status for v in busy]  # type: ignore[union-attr]
        return all(s == ProcessingStatus.PROCESSING for s in states)

    wait_until(transcoding, 60, "the two transcodes did not start")
    # A busy pool is up, and health says so per pool with its queue.
    health = app.test_client().get("/healthz").get_json()["services"]["workers"]
    assert health["status"] == "up", health
    assert set(health["pools"]) >= {"short", "long"}

    titles = [f"湖熟龙虾养殖第{n}讲" for n in range(12)]
    ids = drafts_with_a_file(app, admin.user, titles)
    delays = []
    for rid, title in zip(ids, titles, strict=True):
        assert admin.post(f"/api/v1/resources/{rid}/publish").status_code == 200
        published = time.monotonic()
        wait_until(
            lambda rid=rid, title=title: rid in stack.search_ids(title), 10, f"{title} not found"
        )
        delays.append(time.monotonic() - published)
    assert transcoding(), "the long pool finished before the publishes were measured"
    assert statistics.median(delays) < 2.0, delays
    assert max(delays) < 2.0, delays


def test_five_hundred_changes_survive_a_search_outage(stack: Stack) -> None:
    app = stack.app
    admin = Client(app, make_user(app, Role.ADMIN))
    assert admin.user is not None
    ids = drafts_with_a_file(app, admin.user, [f"批量导入{n:03d}" for n in range(250)])
    svc = [str(Path(__file__).resolve().parent.parent / "infra" / "svc")]
    for n, rid in enumerate(ids):
        if n == 100:
            subprocess.run([*svc, "down", "elasticsearch"], check=True, timeout=120)
        answer = admin.patch(f"/api/v1/resources/{rid}", json={"title": f"已改名{n:03d}"})
        assert answer.status_code == 200
        assert admin.post(f"/api/v1/resources/{rid}/publish").status_code == 200
    assert count(app, DirtyResource) >= len(ids) - 100
    subprocess.run([*svc, "up", "elasticsearch"], check=True, timeout=300)

    def all_applied() -> bool:
        return count(app, DirtyResource) == 0

    wait_until(all_applied, 180, "dirty marks remained after search came back")
    search = app.extensions["search"]
    search.es.indices.refresh(index=search.name(INDEX))
    docs = search.es.mget(index=search.name(INDEX), ids=[f"r{rid}" for rid in ids])["docs"]
    titles = {int(d["_id"][1:]): d["_source"]["display_title"] for d in docs if d["found"]}
    assert len(titles) == len(ids)
    assert [titles[rid] for rid in ids] == [f"已改名{n:03d}" for n in range(len(ids))]
    assert all(d["_source"]["visible"] for d in docs)
