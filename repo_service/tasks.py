"""Celery wiring (Flask's ``celery_init_app`` pattern) and sending tasks after commit.

The web process never imports worker code: it sends tasks by name. A task is queued only once
the transaction that created its rows has committed, so a worker never looks for a row that
does not exist yet, and a rolled-back request queues nothing.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

PENDING_KEY = "zx_pending_tasks"


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    app.extensions["celery"] = celery_app
    return celery_app


def send_after_commit(
    session: Session, celery_app: Celery, name: str, *args: Any, queue: str | None = None
) -> None:
    """Queue task ``name`` when ``session`` commits; drop it if the session rolls back."""
    pending: list[tuple[Celery, str, tuple[Any, ...], str | None]] = session.info.setdefault(
        PENDING_KEY, []
    )
    pending.append((celery_app, name, args, queue))
    if not event.contains(session, "after_commit", _send_pending):
        event.listen(session, "after_commit", _send_pending)
        event.listen(session, "after_soft_rollback", _drop_pending)


def _send_pending(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, [])
    for celery_app, name, args, queue in pending:
        celery_app.send_task(name, args=args, queue=queue)


def _drop_pending(session: Session, _previous_transaction: Any) -> None:
    session.info.pop(PENDING_KEY, None)
