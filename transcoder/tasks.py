"""Worker tasks. The web process sends them by name and never imports this module."""

from __future__ import annotations

import datetime as dt
import logging
import socket
import threading

import redis
import urllib3
from celery import Task, shared_task
from flask import current_app
from minio.error import MinioException
from sqlalchemy.exc import OperationalError

from transcoder.errors import BadMedia, TransientFailure
from transcoder.pipeline import Processor

log = logging.getLogger(__name__)

MAX_RETRIES = 5
TRANSIENT = (
    TransientFailure,
    MinioException,
    urllib3.exceptions.HTTPError,
    OperationalError,
    OSError,
)


@shared_task(name="transcoder.ping", ignore_result=False)
def ping(message: str = "ping") -> dict[str, str]:
    """A trivial round trip through the broker, used by health checks and tests."""
    return {"reply": f"pong: {message}", "worker": socket.gethostname()}


@shared_task(name="transcoder.process_version", bind=True, max_retries=MAX_RETRIES)
def process_version(self: Task, version_id: int) -> str:
    """Probe, transcode and publish one version (or extract a document); see pipeline.py.

    Bad media fails for good; storage, database and time-outs are retried with exponential
    backoff. A lock per version keeps a redelivered message from running beside the original.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # noqa: SLF001
    lock_seconds = app.config["PROCESS_LOCK_SECONDS"]
    keeper = LockKeeper(
        redis.Redis.from_url(app.config["REDIS_URL"]), f"zx:process:{version_id}", lock_seconds
    )
    if not keeper.acquire():
        # Another worker holds it (a redelivered copy of a running task), or a dead one did:
        # a dead holder stops renewing, and its lock lapses after ``lock_seconds``.
        log.info("version %s is locked by another worker; retrying later", version_id)
        raise self.retry(countdown=lock_seconds, max_retries=None)
    try:
        return Processor(app, version_id, self.request.id).run()
    except BadMedia as exc:
        log.info("version %s refused: %s", version_id, exc.message_en)
        return "failed"
    except TRANSIENT as exc:
        if self.request.retries >= MAX_RETRIES:
            _give_up(version_id, exc)
            return "failed"
        countdown = min(600, 5 * 2**self.request.retries)
        log.warning("version %s: transient failure (%s), retry in %s s", version_id, exc, countdown)
        raise self.retry(exc=exc, countdown=countdown) from exc
    finally:
        keeper.release()


class LockKeeper:
    """A Redis lock renewed by a background thread for as long as its holder lives."""

    def __init__(self, client: redis.Redis, name: str, seconds: int) -> None:
        self.lock = client.lock(name, timeout=seconds, blocking=False)
        self.seconds = seconds
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._renew, daemon=True, name=f"keep {name}")

    def acquire(self) -> bool:
        if not self.lock.acquire():
            return False
        self.thread.start()
        return True

    def _renew(self) -> None:
        while not self.stopped.wait(self.seconds / 3):
            try:
                self.lock.reacquire()
            except redis.exceptions.RedisError:
                log.warning("could not renew %s", self.lock.name, exc_info=True)

    def release(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        try:
            self.lock.release()
        except redis.exceptions.LockError:
            log.warning("lock %s had lapsed before release", self.lock.name)


def _give_up(version_id: int, exc: Exception) -> None:
    from repo_service.processing.services import give_up

    with current_app.extensions["db"].session() as session:
        give_up(session, version_id, str(exc))


@shared_task(name="transcoder.sweep_stuck")
def sweep_stuck(max_silence_seconds: float = 300) -> int:
    """Re-queue versions whose jobs sit in queued/running with no heartbeat past a deadline,
    and versions uploaded long ago whose processing never started (a lost message)."""
    from repo_service.processing.services import PROCESS_TASK, stuck_versions

    db = current_app.extensions["db"]
    with db.session() as session:
        versions = stuck_versions(session, dt.timedelta(seconds=max_silence_seconds))
    # Through this application's own Celery (routed by repo_service.tasks.ROUTES): a process
    # that holds several applications must not send one's versions to another's broker.
    celery = current_app.extensions["celery"]
    for version_id in versions:
        celery.send_task(PROCESS_TASK, args=[version_id])
    return len(versions)
