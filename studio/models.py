"""Studios, their operators and audit log, and live sessions (live classes, recorded classes and
video meetings), each with its own stream key."""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_service.accounts.models import Organisation, User
from repo_service.db import Base, str_enum, utcnow


class Studio(Base):
    """A room with an OBS Studio the service drives over obs-websocket.

    The OBS password is stored encrypted (``studio.secrets``) and never leaves the service.
    """

    __tablename__ = "studios"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    location: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    obs_host: Mapped[str] = mapped_column(String(255))
    obs_port: Mapped[int]
    obs_password_enc: Mapped[str] = mapped_column(Text, default="")
    # Where OBS sends the stream: the service's RTMP ingest as OBS (not the browser) reaches it.
    rtmp_url: Mapped[str] = mapped_column(String(255))
    scene_lecture: Mapped[str] = mapped_column(String(100), default="讲课")
    scene_pip: Mapped[str] = mapped_column(String(100), default="画中画")
    scene_slides: Mapped[str] = mapped_column(String(100), default="课件全屏")
    scene_meeting: Mapped[str] = mapped_column(String(100), default="会议")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped by every booking, so two bookings of one studio are written one after the other.
    booking_seq: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    operator_rows: Mapped[list[StudioOperator]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def operator_ids(self) -> frozenset[int]:
        return frozenset(row.user_id for row in self.operator_rows)

    @property
    def scenes(self) -> dict[str, str]:
        return {
            "lecture": self.scene_lecture,
            "pip": self.scene_pip,
            "slides": self.scene_slides,
            "meeting": self.scene_meeting,
        }


class StudioOperator(Base):
    __tablename__ = "studio_operators"

    studio_id: Mapped[int] = mapped_column(
        ForeignKey("studios.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    user: Mapped[User] = relationship(lazy="joined")


class StudioAction(Base):
    """The audit log: every action an operator asked of a studio, and what came of it."""

    __tablename__ = "studio_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    studio_id: Mapped[int] = mapped_column(ForeignKey("studios.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ok: Mapped[bool] = mapped_column(Boolean)
    message: Mapped[str] = mapped_column(Text, default="")
    elapsed_ms: Mapped[float | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)

    user: Mapped[User | None] = relationship()


class LiveStatus(enum.StrEnum):
    SCHEDULED = "scheduled"  # booked, waiting for "go live"
    LIVE = "live"  # on air (or recording, for a recorded class or a meeting)
    ENDED = "ended"  # closed by an operator; its key is refused from now on
    CANCELLED = "cancelled"  # called off before it went on air


class SessionKind(enum.StrEnum):
    LIVE = "live"  # 直播课: streamed to residents, recorded for the replay
    RECORDED = "recorded"  # 录播课: recorded only, then published like a replay
    MEETING = "meeting"  # 视频会议: virtual camera for the meeting software, optional recording


class ReplayStatus(enum.StrEnum):
    NONE = "none"  # nothing recorded (yet)
    WAITING = "waiting"  # ended; waiting for OBS to close the recording file
    INGESTING = "ingesting"  # the file is being stored and becomes a resource version
    READY = "ready"  # a resource exists; its version goes through the transcoder
    FAILED = "failed"


SESSION_KIND_LABELS = {
    SessionKind.LIVE: ("直播课", "Live class"),
    SessionKind.RECORDED: ("录播课", "Recorded class"),
    SessionKind.MEETING: ("视频会议", "Video meeting"),
}

LIVE_STATUS_LABELS = {
    LiveStatus.SCHEDULED: ("未开始", "Scheduled"),
    LiveStatus.LIVE: ("进行中", "On air"),
    LiveStatus.ENDED: ("已结束", "Ended"),
    LiveStatus.CANCELLED: ("已取消", "Cancelled"),
}


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
    scheduled_end: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    ended_at: Mapped[dt.datetime | None]
    studio_id: Mapped[int | None] = mapped_column(ForeignKey("studios.id"), index=True)
    kind: Mapped[SessionKind] = mapped_column(
        str_enum(SessionKind, 16), default=SessionKind.LIVE, server_default="live"
    )
    teacher: Mapped[str] = mapped_column(String(100), default="", server_default="")
    category: Mapped[str] = mapped_column(String(50), default="", server_default="")
    audience: Mapped[str] = mapped_column(String(50), default="", server_default="")
    scene: Mapped[str] = mapped_column(String(20), default="lecture", server_default="lecture")
    record: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    replay_status: Mapped[ReplayStatus] = mapped_column(
        str_enum(ReplayStatus, 16), default=ReplayStatus.NONE, server_default="none"
    )
    replay_error: Mapped[str | None] = mapped_column(Text)
    # The recording OBS reported closed; the ingest stores it once (unique).
    recording_path: Mapped[str | None] = mapped_column(String(500), unique=True)
    replay_resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id"))

    studio: Mapped[Studio | None] = relationship()

    @property
    def encoder_stream_key(self) -> str:
        """What the operator enters as the stream key in OBS (or any RTMP encoder)."""
        return f"{self.public_name}?key={self.stream_key}"
