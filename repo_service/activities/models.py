"""Offline activities (trainings, classes, lectures) and who attended them."""

from __future__ import annotations

import datetime as dt
import enum
import secrets

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_service.accounts.models import Organisation, User
from repo_service.db import Base, str_enum, utcnow


class ActivityKind(enum.StrEnum):
    SANNONG = "sannong"  # 三农培训（农业讲师团）
    ELDERLY = "elderly"  # 老年教育（智能手机课等）
    FAMILY = "family"  # 家庭教育
    CONTINUING = "continuing"  # 继续教育（从业人员）
    YOUTH = "youth"  # 青少年校外教育
    PARTY = "party"  # 党员教育
    OTHER = "other"  # 其他社区教育活动


ACTIVITY_KIND_LABELS = {
    ActivityKind.SANNONG: ("三农培训", "Rural (三农) training"),
    ActivityKind.ELDERLY: ("老年教育", "Elderly education"),
    ActivityKind.FAMILY: ("家庭教育", "Family education"),
    ActivityKind.CONTINUING: ("继续教育", "Continuing education"),
    ActivityKind.YOUTH: ("青少年校外教育", "Youth out-of-school education"),
    ActivityKind.PARTY: ("党员教育", "Party members' education"),
    ActivityKind.OTHER: ("其他社区教育", "Other community education"),
}


def new_signin_secret() -> str:
    return secrets.token_urlsafe(18)


class Activity(Base):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind, 16), index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    day: Mapped[dt.date] = mapped_column(index=True)
    organiser: Mapped[str] = mapped_column(String(100), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The QR code shown at the activity links to /activities/sign-in/<secret>.
    signin_secret: Mapped[str] = mapped_column(String(40), unique=True, default=new_signin_secret)
    signin_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()


class Attendance(Base):
    """One person-time at an activity: a real-name user, or a name and mobile from a sheet."""

    __tablename__ = "attendances"
    __table_args__ = (
        UniqueConstraint("activity_id", "user_id", name="uq_attendances_activity_user"),
        UniqueConstraint("activity_id", "mobile", name="uq_attendances_activity_mobile"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    mobile: Mapped[str | None] = mapped_column(String(11))
    birth_year: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(10))  # qr | xlsx
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()
