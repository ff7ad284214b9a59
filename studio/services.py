"""Live-session rules shared by the control page and the RTMP callbacks."""

from __future__ import annotations

import hmac
import secrets

from sqlalchemy import or_, select
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


def authorise_publish(session: Session, stream_key: str) -> LiveSession | None:
    """Return the session a publish with ``stream_key`` belongs to, or None to refuse it."""
    if not stream_key or len(stream_key) > 64:
        return None
    live = session.scalar(select(LiveSession).where(LiveSession.stream_key == stream_key))
    if live is None or not hmac.compare_digest(live.stream_key, stream_key):
        return None
    if live.status == LiveStatus.ENDED:
        return None
    live.status = LiveStatus.LIVE
    live.started_at = live.started_at or utcnow()
    return live


def publish_done(session: Session, stream_key: str) -> None:
    """The encoder stopped; the session may go live again until an operator ends it."""
    # After the rename in on_publish, nginx-rtmp reports the public name.
    live = session.scalar(
        select(LiveSession).where(
            or_(LiveSession.stream_key == stream_key, LiveSession.public_name == stream_key)
        )
    )
    if live is not None and live.status == LiveStatus.LIVE:
        live.status = LiveStatus.SCHEDULED
