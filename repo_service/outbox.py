"""The outbox: tasks recorded in the transaction that asks for them, sent after it commits.

A task the web process asks for is first a row in the same transaction as the change it
follows, so the intent survives whatever happens to the broker. After the commit the row is
sent and deleted; a row whose send failed (the broker was down) stays, and the relay sends it
once the broker is back. A task may therefore arrive twice (sent, then the process died before
the row was deleted); every task is idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import shared_task
from flask import current_app
from sqlalchemy import JSON, String, Text, delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from repo_service.db import Base, utcnow

log = logging.getLogger(__name__)


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(100))
    args: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class Sender:
    """Sends outbox rows through Celery by name, on the queue the routes give."""

    def __init__(self, celery_app: Any) -> None:
        self.celery = celery_app

    def __call__(self, task: str, args: list[Any]) -> None:
        self.celery.send_task(task, args=args)


def deliver(engine: Engine, sender: Sender, messages: list[tuple[int, str, list[Any]]]) -> int:
    """Send ``messages`` (id, task, args); delete the rows sent, note the error on the others.

    Returns how many were sent. Never raises for a broker outage: the rows wait for the relay.
    """
    sent: list[int] = []
    failed: dict[int, str] = {}
    for position, (message_id, task, args) in enumerate(messages):
        try:
            sender(task, args)
        except Exception as exc:  # noqa: BLE001 - any send failure leaves the row for the relay
            error = f"{type(exc).__name__}: {exc}"[:500]
            # The broker is down for the rest too: keep the request fast, try them all later.
            failed = {later_id: error for later_id, _t, _a in messages[position:]}
            break
        sent.append(message_id)
    try:
        with engine.begin() as conn:
            if sent:
                conn.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(sent)))
            for message_id, error in failed.items():
                conn.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == message_id)
                    .values(attempts=OutboxMessage.attempts + 1, last_error=error)
                )
    except SQLAlchemyError as exc:
        # The change that asked for the tasks is committed and they are sent: a row left
        # behind only means the relay sends its task once more, which every task tolerates.
        log.warning("outbox rows not cleared (%s); the relay may send them again", exc)
    if failed:
        log.warning(
            "%d task(s) kept in the outbox for the relay: %s",
            len(failed),
            next(iter(failed.values())),
        )
    return len(sent)


def relay(engine: Engine, sender: Sender, *, older_than: float = 5.0, limit: int = 500) -> int:
    """Send the rows still waiting (their commit-time send failed or never ran).

    Rows younger than ``older_than`` seconds are left to their own after-commit send.
    """
    cutoff = utcnow() - dt.timedelta(seconds=older_than)
    with engine.connect() as conn:
        rows = conn.execute(
            select(OutboxMessage.id, OutboxMessage.task, OutboxMessage.args)
            .where(OutboxMessage.created_at < cutoff)
            .order_by(OutboxMessage.id)
            .limit(limit)
        ).all()
    if not rows:
        return 0
    return deliver(engine, sender, [(r.id, r.task, list(r.args)) for r in rows])


@shared_task(name="repo_service.relay_outbox")
def relay_outbox() -> int:
    """Beat task: send whatever the outbox still holds (the broker was down at commit)."""
    return relay(current_app.extensions["db"].engine, Sender(current_app.extensions["celery"]))
