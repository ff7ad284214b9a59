"""A task executed by a real worker process through the real broker."""

from __future__ import annotations

import pytest
from flask import Flask

pytestmark = pytest.mark.integration


@pytest.mark.usefixtures("celery_worker")
def test_ping_task_runs_in_a_worker_process(app: Flask) -> None:
    celery_app = app.extensions["celery"]
    result = celery_app.send_task("transcoder.ping", args=["江宁"])
    reply = result.get(timeout=30)
    assert reply["reply"] == "pong: 江宁"
    assert result.status == "SUCCESS"


@pytest.mark.usefixtures("celery_worker")
def test_task_is_sent_only_after_commit(app: Flask) -> None:
    from sqlalchemy import text

    from repo_service.tasks import send_after_commit

    celery_app = app.extensions["celery"]
    db = app.extensions["db"]
    sent: list[str] = []
    original = celery_app.send_task

    def recording_send(name: str, *args: object, **kwargs: object) -> object:
        sent.append(name)
        return original(name, *args, **kwargs)

    celery_app.send_task = recording_send  # type: ignore[method-assign]
    try:
        session = db.sessionmaker()
        session.execute(text("SELECT 1"))
        send_after_commit(session, celery_app, "transcoder.ping", "rolled back")
        session.rollback()
        assert sent == []
        send_after_commit(session, celery_app, "transcoder.ping", "committed")
        assert sent == []
        session.commit()
        assert sent == ["transcoder.ping"]
        session.close()
    finally:
        del celery_app.send_task
