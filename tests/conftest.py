"""Fixtures shared by every test.

Integration tests run against the real services that ``./infra/svc up`` started. Each test run
is isolated from the demo system and from other runs by its own bucket prefix, index prefix,
Redis database and SQLite file (with ``ZX_TEST_DATABASE=postgresql``: a database of its own on
the local PostgreSQL of ``./infra/svc up postgres``, dropped at the end). A missing service
fails the run; it is never skipped.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from dotenv import dotenv_values
from flask import Flask
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool
from werkzeug.serving import BaseWSGIServer, make_server

from infra.svc import copy_static, nginx_argv, render_nginx_conf
from repo_service import create_app
from repo_service.app import dispose_app
from repo_service.config import default_data_dir, load_config
from repo_service.db import Database
from repo_service.demo import demo_pdf
from repo_service.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent

pytest_plugins = ("tests.studio.fixtures",)
RUN_ID = secrets.token_hex(4)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp(f"zx-{RUN_ID}")


def _local_postgres_url() -> str:
    """ZX_PG_URL of the cluster ``./infra/svc up postgres`` runs (environment first, then
    var/services.env, as the application reads its settings)."""
    if os.environ.get("ZX_PG_URL"):
        return os.environ["ZX_PG_URL"]
    data_dir = Path(os.environ.get("ZX_DATA_DIR") or default_data_dir())
    path = Path(os.environ.get("ZX_SERVICES_ENV") or data_dir / "services.env")
    url = dotenv_values(path).get("ZX_PG_URL") if path.is_file() else None
    if not url:
        pytest.fail(
            f"ZX_TEST_DATABASE=postgresql, but no ZX_PG_URL in the environment or {path}: "
            "start PostgreSQL with ./infra/svc up postgres",
            pytrace=False,
        )
    return url


@contextlib.contextmanager
def postgres_database(name: str) -> Iterator[str]:
    """A new, empty database ``name`` on the local PostgreSQL, dropped afterwards (with any
    connection still open to it); yields its URL."""
    admin_url = make_url(_local_postgres_url()).set(database="postgres")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    reason = ""
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
    if reason:
        admin.dispose()
        pytest.fail(
            f"ZX_TEST_DATABASE=postgresql, but PostgreSQL at {admin_url.host}:{admin_url.port} "
            f"cannot be used ({reason}): start it with ./infra/svc up postgres",
            pytrace=False,
        )
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def run_database(run_dir: Path, name: str) -> Iterator[str]:
    """A database of this run named ``name``: a SQLite file in ``run_dir``, or with
    ``ZX_TEST_DATABASE=postgresql`` a database ``zxt_<run id>_<name>`` on the local PostgreSQL
    (dropped afterwards); yields its URL."""
    kind = os.environ.get("ZX_TEST_DATABASE") or "sqlite"
    if kind == "sqlite":
        yield f"sqlite:///{run_dir / name}.db"
    elif kind == "postgresql":
        with postgres_database(f"zxt_{RUN_ID}_{name}") as url:
            yield url
    else:
        pytest.fail(f"ZX_TEST_DATABASE must be sqlite or postgresql, not {kind!r}", pytrace=False)


_own_databases = itertools.count(1)


@pytest.fixture
def own_database_url(tmp_path: Path) -> Iterator[str]:
    """A new, empty database for this test alone (see ``run_database``), dropped afterwards."""
    with run_database(tmp_path, f"own{next(_own_databases)}") as url:
        yield url


@pytest.fixture(scope="session")
def test_database_url(run_dir: Path) -> Iterator[str]:
    """This run's database (see ``run_database``)."""
    with run_database(run_dir, "test") as url:
        yield url


@pytest.fixture(scope="session")
def test_env(test_database_url: str) -> dict[str, str]:
    """Environment variables that point every process of this run at its own namespace."""
    base = load_config()
    redis_base = base["REDIS_URL"].rsplit("/", 1)[0]
    db_number = 2 + int(RUN_ID, 16) % 14
    return {
        "ZX_ENV": "testing",
        "ZX_DATABASE_URL": test_database_url,
        "ZX_S3_BUCKET_PREFIX": f"zxt-{RUN_ID}-",
        "ZX_SEARCH_INDEX_PREFIX": f"zxt-{RUN_ID}-",
        "ZX_REDIS_URL": f"{redis_base}/{db_number}",
        "ZX_SECRET_KEY": secrets.token_urlsafe(32),
        # The test server gives every request a thread of its own, so the cap on studio event
        # streams protects nothing here; the tests of the cap set the limit they test.
        "ZX_EVENT_STREAMS": "8",
    }


def _check_services(config: dict[str, Any]) -> list[str]:
    problems = []
    try:
        redis.Redis.from_url(config["REDIS_URL"], socket_timeout=2).ping()
    except redis.RedisError as exc:
        problems.append(f"redis at {config['REDIS_URL']}: {exc}")
    for name, host_port in (
        ("object storage", config["S3_ENDPOINT"]),
        ("elasticsearch", config["SEARCH_URL"].split("//", 1)[1]),
        ("OBS websocket", f"{config['OBS_HOST']}:{config['OBS_PORT']}"),
    ):
        host, port = host_port.rsplit(":", 1)
        try:
            socket.create_connection((host, int(port)), timeout=2).close()
        except OSError as exc:
            problems.append(f"{name} at {host_port}: {exc}")
    return problems


def app_for(env: dict[str, str], config: dict[str, Any] | None = None) -> Flask:
    """An application configured by ``env`` (the process environment is left as it was)."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return create_app({"TESTING": True, **(config or {})})
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="session")
def app(test_env: dict[str, str]) -> Iterator[Flask]:
    application = app_for(test_env)
    problems = _check_services(application.config)
    if problems:
        pytest.fail(
            "services are not running (start them with ./infra/svc up):\n  "
            + "\n  ".join(problems),
            pytrace=False,
        )
    upgrade(application.extensions["db"])
    # Whatever an earlier run or a benchmark left in this Redis database (queued tasks naming
    # versions of another database) must not reach this run's workers.
    application.extensions["redis"].flushdb()
    yield application
    _teardown_namespaces(application)


def _teardown_namespaces(application: Flask) -> None:
    storage = application.extensions["storage"]
    for role in ("originals", "media"):
        bucket = storage.bucket(role)
        if storage.client.bucket_exists(bucket):
            for obj in storage.client.list_objects(bucket, recursive=True):
                storage.client.remove_object(bucket, obj.object_name)
            for upload in _incomplete_uploads(storage, bucket):
                storage.client._abort_multipart_upload(bucket, upload[0], upload[1])
            storage.client.remove_bucket(bucket)
    application.extensions["search"].drop_prefixed()
    redis.Redis.from_url(application.config["REDIS_URL"]).flushdb()
    dispose_app(application)


def _incomplete_uploads(storage: Any, bucket: str) -> list[tuple[str, str]]:
    result = storage.client._list_multipart_uploads(bucket)
    return [(u.object_name, u.upload_id) for u in result.uploads]


@pytest.fixture
def client(app: Flask) -> Any:
    return app.test_client()


@pytest.fixture(scope="session")
def db(app: Flask) -> Database:
    database: Database = app.extensions["db"]
    return database


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The application served over real HTTP (for nginx callbacks and the browser)."""
    server: BaseWSGIServer = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def front(live_server: str) -> Iterator[str]:
    """nginx in front of the app, as ./infra/svc runs it (static files compressed by nginx)."""
    base = Path(tempfile.mkdtemp(prefix="zx-front-"))
    base.chmod(0o755)  # nginx workers run as nobody
    copy_static(base)
    web = free_port()
    conf = render_nginx_conf(
        base,
        rtmp_port=free_port(),
        hls_port=free_port(),
        callback_url=live_server,
        callback_secret="s",
        front=(web, int(live_server.rsplit(":", 1)[1])),
    )
    log = (base / "logs" / "stdout.log").open("wb")
    proc = subprocess.Popen(nginx_argv(conf), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", web), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nginx did not start: see {base / 'logs'}", pytrace=False)
            time.sleep(0.2)
    yield f"http://127.0.0.1:{web}"
    proc.terminate()
    proc.wait(timeout=10)
    log.close()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def proxied(app: Flask) -> Iterator[None]:
    """Uploads go through the service (the fallback for stores browsers cannot reach)."""
    app.config["UPLOAD_DIRECT"] = False
    try:
        yield
    finally:
        app.config["UPLOAD_DIRECT"] = True


@contextlib.contextmanager
def running_worker(
    celery_app: Any,
    env: dict[str, str],
    log_path: Path,
    name: str,
    queues: str = "short,long",
    concurrency: int = 1,
    extra: tuple[str, ...] = (),
    nice: int = 0,
) -> Iterator[None]:
    """A real worker process with ``env``, answering pings before the block runs."""
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [
            *(("nice", "-n", str(nice)) if nice else ()),
            # Supervised as ./infra/svc runs them: a worker that ends itself is started again.
            sys.executable,
            str(ROOT / "infra" / "supervise.py"),
            "--",
            sys.executable,
            "-m",
            "celery",
            "-A",
            "transcoder.worker",
            "worker",
            "-Q",
            queues,
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "INFO",
            "--hostname",
            f"{name}-{RUN_ID}@%h",
            "--without-gossip",
            "--without-mingle",
            *extra,
        ],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the worker exited: see {log_path}", pytrace=False)
        replies = celery_app.control.ping(timeout=0.5)
        if any(f"{name}-{RUN_ID}@" in worker for reply in replies for worker in reply):
            break
    else:
        proc.kill()
        pytest.fail(f"no worker answered within 60 s: see {log_path}", pytrace=False)
    try:
        yield
    finally:
        # The whole group: a worker stopped while it transcodes leaves no ffmpeg behind.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def celery_worker(app: Flask, test_env: dict[str, str], run_dir: Path) -> Iterator[None]:
    """A real worker process consuming this run's broker database."""
    with running_worker(app.extensions["celery"], test_env, run_dir / "worker.log", "test"):
        yield


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every test says what it needs; an unmarked test is a mistake caught here.
    needed = {"unit", "integration", "browser"}
    for item in items:
        if not needed & {m.name for m in item.iter_markers()}:
            raise pytest.UsageError(f"{item.nodeid} has none of the markers {sorted(needed)}")


def ffmpeg_path() -> str:
    path = shutil.which("ffmpeg")
    if path is None:
        pytest.fail("ffmpeg is not installed: run ./infra/install", pytrace=False)
    return path


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small real files made with ffmpeg and by hand: a video, a PDF, a DOCX, impostors."""
    base = tmp_path_factory.mktemp("media")
    files = {
        "video": base / "lesson.mp4",
        "pdf": base / "textbook.pdf",
        "docx": base / "reader.docx",
        "text_mp4": base / "notes.mp4",
        "hls_mp4": base / "playlist.mp4",
    }
    subprocess.run(
        [
            ffmpeg_path(),
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x240:rate=25:duration=2",
            "-f",
            "lavfi",
            "-i",
            "sine=duration=2",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-shortest",
            str(files["video"]),
        ],
        check=True,
    )
    files["pdf"].write_bytes(demo_pdf("Jiangning community textbook"))
    import zipfile

    with zipfile.ZipFile(files["docx"], "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    files["text_mp4"].write_text("这不是视频，只是一些文字。\n" * 50)
    files["hls_mp4"].write_text(
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n/etc/passwd\n#EXT-X-ENDLIST\n"
    )
    return files


# Defined with the search tests, registered here once so every module shares one corpus.
from tests.search.fixtures import corpus, corpus_env, corpus_worker  # noqa: E402, F401
