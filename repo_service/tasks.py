"""Celery wiring (Flask's ``celery_init_app`` pattern), task routes, and sending after commit.

The web process never imports worker code: it sends tasks by name. Every task name is routed
here, in one table, to one of two queues served by two worker pools: ``short`` (index updates,
play counts, housekeeping; a task starts within a second) and ``long`` (transcodes, document
extraction, rebuilds, exports). A task is recorded in the outbox within the transaction that
asks for it and sent once that transaction has committed, so a worker never looks for a row
that does not exist yet, a rolled-back request queues nothing, and a broker outage loses nothing.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from repo_service.outbox import OutboxMessage, Sender, deliver

SHORT, LONG = "short", "long"
QUEUES = (SHORT, LONG)

# Every task the system has, by name, and the queue of the pool that runs it. A task missing
# here would land on no pool's queue; tests/test_task_routes.py checks this table against the
# tasks the workers register and the queues ./infra/svc starts pools for.
ROUTES: dict[str, str] = {
    "transcoder.ping": SHORT,
    "transcoder.process_version": LONG,
    "transcoder.sweep_stuck": SHORT,
    "search.apply_dirty": SHORT,
    "search.reindex": LONG,
    "search.check": LONG,
    "repo_service.relay_outbox": SHORT,
    "repo_service.expire_uploads": SHORT,
    "repo_service.purge_deleted": LONG,
}

# The modules that define tasks, imported by every worker (transcoder/worker.py).
TASK_MODULES = (
    "transcoder.tasks",
    "repo_service.uploads.tasks",
    "repo_service.resources.tasks",
    "repo_service.outbox",
    "search.tasks",
)

PENDING_KEY = "zx_outbox_pending"


def route_task(name: str, *_args: Any, **_kwargs: Any) -> dict[str, str] | None:
    """Celery router: the queue of ``name`` from ``ROUTES`` (unknown names: the default)."""
    queue = ROUTES.get(name)
    return {"queue": queue} if queue else None


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.conf.task_routes = (route_task,)
    app.extensions["celery"] = celery_app
    return celery_app


def send_after_commit(session: Session, celery_app: Celery, name: str, *args: Any) -> None:
    """Record task ``name`` in the outbox now; send it when ``session`` commits.

    The row commits or rolls back with the change that asked for the task. If the broker is
    down at commit time, the row stays and the relay (``repo_service.relay_outbox``) sends it
    later; the request that asked still succeeds.
    """
    if name not in ROUTES:
        raise ValueError(f"task {name!r} has no route in repo_service.tasks.ROUTES")
    message = OutboxMessage(task=name, args=list(args))
    session.add(message)
    pending: list[tuple[Celery, OutboxMessage]] = session.info.setdefault(PENDING_KEY, [])
    pending.append((celery_app, message))
    if not event.contains(session, "after_commit", _send_pending):
        event.listen(session, "after_commit", _send_pending)
        event.listen(session, "after_soft_rollback", _drop_pending)


def _send_pending(session: Session) -> None:
    pending: list[tuple[Celery, OutboxMessage]] = session.info.pop(PENDING_KEY, [])
    if not pending:
        return
    by_app: dict[int, tuple[Celery, list[tuple[int, str, list[Any]]]]] = {}
    for celery_app, message in pending:
        by_app.setdefault(id(celery_app), (celery_app, []))[1].append(
            (message.id, message.task, list(message.args))
        )
    engine = session.get_bind()
    for celery_app, messages in by_app.values():
        deliver(engine, Sender(celery_app), messages)  # type: ignore[arg-type]


def _drop_pending(session: Session, _previous_transaction: Any) -> None:
    session.info.pop(PENDING_KEY, None)
