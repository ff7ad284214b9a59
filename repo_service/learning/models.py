"""A learner's record per course, and the seconds learnt per day (for the yearly figures)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from repo_service.db import Base, utcnow

# One credit hour (学时) is 45 minutes of learning, as in the district's continuing-education rules.
CREDIT_HOUR_SECONDS = 45 * 60
COMPLETION_SHARE = 0.9  # a course counts as completed once 90 % of it was really watched


class LearningRecord(Base):
    """What one learner really watched of one course: merged intervals of media time."""

    __tablename__ = "learning_records"
    __table_args__ = (UniqueConstraint("user_id", "resource_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    intervals: Mapped[list[list[float]]] = mapped_column(JSON, default=list)
    watched_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    duration: Mapped[float] = mapped_column(Float, default=0.0)
    position: Mapped[float] = mapped_column(Float, default=0.0)
    completed_at: Mapped[dt.datetime | None]
    first_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)

    @property
    def credit_hours(self) -> float:
        return round(
            min(self.watched_seconds, self.duration or self.watched_seconds) / CREDIT_HOUR_SECONDS,
            2,
        )

    @property
    def progress(self) -> float:
        return min(1.0, self.watched_seconds / self.duration) if self.duration else 0.0


class LearningDay(Base):
    """Seconds newly learnt by a learner on one day (Beijing time), per course or live class."""

    __tablename__ = "learning_days"
    __table_args__ = (
        # NULLs never collide in a unique constraint: the subject ("r<id>" for a course, "l<id>"
        # for a live class) is what makes a row unique.
        UniqueConstraint("user_id", "day", "subject", name="uq_learning_days_user_day_subject"),
        Index("ix_learning_days_day_user", "day", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[dt.date]
    subject: Mapped[str] = mapped_column(String(24))
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    live_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    seconds: Mapped[float] = mapped_column(Float, default=0.0)


# The audience of the learning_years row that holds all of a learner's year, whatever she watched
# (never the name of an audience: the audience filter only takes names from the vocabulary).
EVERY_AUDIENCE = ""


class LearningYear(Base):
    """What a learner learnt online in a year: all of it (audience "") and, for the audience
    filter, per audience of what she watched (the course's or live class's audience when she
    watched it). Kept beside ``learning_days`` (see ``learning.totals``); the yearly figures
    read it."""

    __tablename__ = "learning_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    audience: Mapped[str] = mapped_column(String(50), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    live_seconds: Mapped[float] = mapped_column(Float, default=0.0)


class CourseYear(Base):
    """Seconds learnt of a course in a year and how many learners learnt it, per organisation the
    learners belonged to when they learnt (the top courses of a street)."""

    __tablename__ = "course_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id"), primary_key=True, index=True
    )
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    learners: Mapped[int] = mapped_column(Integer, default=0)
