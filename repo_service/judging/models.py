"""Rubric criteria, judges of a competition, their assignments, scores and the score history."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_service.accounts.models import User
from repo_service.competitions.models import Competition, Entry
from repo_service.db import Base, str_enum, utcnow


class Criterion(Base):
    """One line of a competition's rubric (评分标准)."""

    __tablename__ = "rubric_criteria"
    __table_args__ = (
        UniqueConstraint("competition_id", "position"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("max_score > 0", name="max_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    counts: Mapped[bool] = mapped_column(default=True)  # False: scored, but not in the total
    # Order among the tie-break criteria (1 first); None: not used to break ties.
    tie_break: Mapped[int | None]
    # [{"label": "优秀", "min": 18, "description": "..."}, ...], highest first.
    levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    competition: Mapped[Competition] = relationship(back_populates="criteria")


class Judge(Base):
    """A user judging one competition, with the categories she judges (none: any)."""

    __tablename__ = "competition_judges"
    __table_args__ = (UniqueConstraint("competition_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    dropped_reason: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class DeclaredConflict(Base):
    """A conflict a judge declared: with an organisation, or with an assigned entry."""

    __tablename__ = "judge_conflicts"
    __table_args__ = (
        CheckConstraint(
            "(entry_id IS NULL) != (organisation_id IS NULL)", name="entry_or_organisation"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    judge_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("competition_entries.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AssignmentStatus(enum.StrEnum):
    ASSIGNED = "assigned"  # nothing saved yet
    DRAFT = "draft"  # scores saved, not submitted
    SUBMITTED = "submitted"  # locked; only an admin can reopen it
    REMOVED = "removed"  # taken away (judge dropped out, conflict, override)


ASSIGNMENT_LABELS = {
    AssignmentStatus.ASSIGNED: ("待评分", "To score"),
    AssignmentStatus.DRAFT: ("草稿已保存", "Draft saved"),
    AssignmentStatus.SUBMITTED: ("已提交", "Submitted"),
    AssignmentStatus.REMOVED: ("已撤销", "Removed"),
}


class JudgeAssignment(Base):
    __tablename__ = "judge_assignments"
    __table_args__ = (UniqueConstraint("entry_id", "judge_user_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("competition_entries.id", ondelete="CASCADE"), index=True
    )
    judge_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    round: Mapped[int] = mapped_column(default=1)
    status: Mapped[AssignmentStatus] = mapped_column(
        str_enum(AssignmentStatus, 12), default=AssignmentStatus.ASSIGNED, index=True
    )
    manual: Mapped[bool] = mapped_column(default=False)
    # Bumped on every save: a save that names an older version (another tab) is refused.
    row_version: Mapped[int] = mapped_column(default=1)
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None]

    entry: Mapped[Entry] = relationship()
    judge: Mapped[User] = relationship()
    scores: Mapped[list[Score]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Score.criterion_id"
    )
    timed_comments: Mapped[list[TimedComment]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="TimedComment.at_seconds"
    )


class Score(Base):
    __tablename__ = "judge_scores"
    __table_args__ = (UniqueConstraint("assignment_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("judge_assignments.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(ForeignKey("rubric_criteria.id", ondelete="CASCADE"))
    value: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")


class TimedComment(Base):
    """A judge's comment at a moment of the video."""

    __tablename__ = "judge_timed_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("judge_assignments.id", ondelete="CASCADE"), index=True
    )
    at_seconds: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)


class ScoreEvent(Base):
    """Every save, submission and reopening of an assignment, with the scores at that moment."""

    __tablename__ = "judge_score_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("judge_assignments.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(20))  # draft | submit | reopen
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    actor: Mapped[User] = relationship()
