"""Live-session rules shared by the control page and the RTMP callbacks."""

from __future__ import annotations

import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_service.db import utcnow
from studio.models import LiveSession, LiveStatus


def create_live_session(
    session: Session, *, title: str, organisation_id: int, created_by_id: int | None = None
) -> LiveSession:
    live = LiveSession(
        title=title,
        organisation_id=organisation_id,
        created_by_id=created_by_id,
        public_name=f"live-{secrets.token_hex(6)}",
    )
    session.add(live)
    session.flush()
    return live


def authorise_publish(session: Session, name: str, key: str) -> LiveSession | None:
    """The session a publish of stream ``name`` with secret ``key`` belongs to; None refuses it.

    Encoders publish to ``<public name>?key=<stream key>``: nginx-rtmp names the live stream and
    its HLS files after the public name, and the key travels only in the publish arguments.
    """
    if not name or not key or len(name) > 64 or len(key) > 64:
        return None
    live = session.scalar(select(LiveSession).where(LiveSession.public_name == name))
    if live is None or not hmac.compare_digest(live.stream_key, key):
        return None
    if live.status == LiveStatus.ENDED:
        return None
    live.status = LiveStatus.LIVE
    live.started_at = live.started_at or utcnow()
    return live


def publish_done(session: Session, name: str) -> None:
    """The encoder stopped; the session may go live again until an operator ends it."""
    live = session.scalar(select(LiveSession).where(LiveSession.public_name == name))
    if live is not None and live.status == LiveStatus.LIVE:
        live.status = LiveStatus.SCHEDULED
