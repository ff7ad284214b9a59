"""Live sessions of the studio: each scheduled class or meeting has its own stream key."""

from __future__ import annotations

import datetime as dt
import enum
import secrets

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from repo_service.db import Base, str_enum, utcnow


class LiveStatus(enum.StrEnum):
    SCHEDULED = "scheduled"  # created, waiting for the first publish
    LIVE = "live"  # the RTMP server accepted a publish and is receiving it
    ENDED = "ended"  # closed by an operator; its key is refused from now on


def new_stream_key() -> str:
    return secrets.token_urlsafe(24)


class LiveSession(Base):
    __tablename__ = "live_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    # Secret: the encoder sends it as a publish argument. Viewers only ever see ``public_name``.
    stream_key: Mapped[str] = mapped_column(String(64), unique=True, default=new_stream_key)
    public_name: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[LiveStatus] = mapped_column(
        str_enum(LiveStatus, 16),
        default=LiveStatus.SCHEDULED,
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    scheduled_start: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    ended_at: Mapped[dt.datetime | None]

    @property
    def encoder_stream_key(self) -> str:
        """What the operator enters as the stream key in OBS (or any RTMP encoder)."""
        return f"{self.public_name}?key={self.stream_key}"
