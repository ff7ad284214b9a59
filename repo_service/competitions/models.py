"""Competitions, their entries, objections, results and certificates.

A competition moves through phases (set-up, submission, formal review, judging, public notice,
final); the server decides from the phase and the windows what may change, so a lock never
depends on a hidden button.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_service.accounts.models import Organisation, User
from repo_service.db import Base, str_enum, utcnow
from repo_service.resources.models import Resource, ResourceVersion


class CompetitionKind(enum.StrEnum):
    MICRO_COURSE = "micro_course"  # 微课评比
    TEXTBOOK = "textbook"  # 校本教材评选
    READER = "reader"  # 市民读本评选
    BRAND = "brand"  # 品牌项目评选


KIND_LABELS = {
    CompetitionKind.MICRO_COURSE: ("微课评比", "Micro-course competition"),
    CompetitionKind.TEXTBOOK: ("校本教材评选", "School-based textbook evaluation"),
    CompetitionKind.READER: ("市民读本评选", "Citizen reader evaluation"),
    CompetitionKind.BRAND: ("品牌项目评选", "Brand project evaluation"),
}

# The letters in an entry's anonymous code (2026-WK-017).
KIND_CODES = {
    CompetitionKind.MICRO_COURSE: "WK",
    CompetitionKind.TEXTBOOK: "JC",
    CompetitionKind.READER: "DB",
    CompetitionKind.BRAND: "PP",
}


class Phase(enum.StrEnum):
    DRAFT = "draft"  # being set up, invisible to teachers
    SUBMISSION = "submission"  # teachers enter works (within the submission window)
    REVIEW = "review"  # formal review of what was entered
    JUDGING = "judging"  # judges score their assignments
    NOTICE = "notice"  # results published for objections (公示)
    FINAL = "final"  # results final, awards set, certificates issued


PHASE_ORDER = list(Phase)

PHASE_LABELS = {
    Phase.DRAFT: ("筹备中", "Being set up"),
    Phase.SUBMISSION: ("征集作品", "Taking entries"),
    Phase.REVIEW: ("形式审查", "Formal review"),
    Phase.JUDGING: ("专家评审", "Judging"),
    Phase.NOTICE: ("结果公示", "Results on public notice"),
    Phase.FINAL: ("结果已发布", "Results final"),
}


class Competition(Base):
    __tablename__ = "competitions"
    __table_args__ = (
        CheckConstraint("judges_per_entry >= 1", name="judges_per_entry_positive"),
        CheckConstraint("street_quota IS NULL OR street_quota >= 1", name="quota_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[CompetitionKind] = mapped_column(str_enum(CompetitionKind, 16))
    year: Mapped[int]
    # What its entries' codes start with: 2026-WK, or 2026-WK2 for a second one that year.
    code_prefix: Mapped[str] = mapped_column(String(16), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    submission_opens_at: Mapped[dt.datetime]
    submission_closes_at: Mapped[dt.datetime]
    judging_opens_at: Mapped[dt.datetime]
    judging_closes_at: Mapped[dt.datetime]
    # [{"name": "初评", "advance": 10}, {"name": "终评", "advance": null}]: how many of each
    # category go on from each round; the last round's ranking gives the awards.
    rounds: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    current_round: Mapped[int] = mapped_column(default=1)
    judges_per_entry: Mapped[int] = mapped_column(default=3)
    street_quota: Mapped[int | None]  # places per street centre per category (名额)
    # [{"name": "一等奖", "count": 2}, {"name": "二等奖", "percent": 20}, ...]
    award_tiers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    aggregate: Mapped[str] = mapped_column(String(10), default="mean")  # mean | trimmed
    normalise: Mapped[bool] = mapped_column(default=False)
    disagreement_threshold: Mapped[float] = mapped_column(Float, default=15.0)
    results_public: Mapped[bool] = mapped_column(default=True)
    # Technical requirements for entries (see competitions.checks).
    requirements: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    phase: Mapped[Phase] = mapped_column(str_enum(Phase, 16), default=Phase.DRAFT, index=True)
    notice_ends_at: Mapped[dt.datetime | None]
    published_at: Mapped[dt.datetime | None]
    finalised_at: Mapped[dt.datetime | None]
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("competitions.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    criteria: Mapped[list[Any]] = relationship(
        "Criterion",
        order_by="Criterion.position",
        cascade="all, delete-orphan",
        lazy="selectin",
        back_populates="competition",
    )

    @property
    def round_count(self) -> int:
        return max(1, len(self.rounds))

    @property
    def is_last_round(self) -> bool:
        return self.current_round >= self.round_count


class EntryStatus(enum.StrEnum):
    ENTERED = "entered"  # waiting for formal review
    PASSED = "passed"  # formal review passed: goes to the judges
    RETURNED = "returned"  # returned with a reason; can be fixed and re-entered
    WITHDRAWN = "withdrawn"
    DISQUALIFIED = "disqualified"  # by an upheld objection


ENTRY_STATUS_LABELS = {
    EntryStatus.ENTERED: ("待形式审查", "Waiting for formal review"),
    EntryStatus.PASSED: ("形式审查通过", "Passed formal review"),
    EntryStatus.RETURNED: ("已退回修改", "Returned for changes"),
    EntryStatus.WITHDRAWN: ("已撤回", "Withdrawn"),
    EntryStatus.DISQUALIFIED: ("已取消资格", "Disqualified"),
}


class Entry(Base):
    __tablename__ = "competition_entries"
    __table_args__ = (
        UniqueConstraint("competition_id", "number", name="uq_competition_entries_number"),
        UniqueConstraint("competition_id", "resource_id", name="uq_competition_entries_resource"),
        # A street's places: a place number is taken by one entry at a time, so two teachers
        # entering at once cannot both take the last place (withdrawn entries hold none).
        UniqueConstraint(
            "competition_id",
            "street_id",
            "category",
            "quota_place",
            name="uq_competition_entries_quota_place",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    code: Mapped[str] = mapped_column(String(24), unique=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("resource_versions.id"))
    # What judges read, fixed with the version: an edit of the resource during judging (a
    # name added to its summary) does not reach them.
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    statement_resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id"))
    statement_version_id: Mapped[int | None] = mapped_column(ForeignKey("resource_versions.id"))
    category: Mapped[str] = mapped_column(String(50))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    street_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    quota_place: Mapped[int | None]
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[EntryStatus] = mapped_column(
        str_enum(EntryStatus, 16), default=EntryStatus.ENTERED, index=True
    )
    return_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[dt.datetime | None]
    # A judge saw who made it (a name burned into the picture): the admin decides.
    identity_flag: Mapped[str | None] = mapped_column(Text)
    round_reached: Mapped[int] = mapped_column(default=1)
    row_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    competition: Mapped[Competition] = relationship()
    resource: Mapped[Resource] = relationship(foreign_keys=[resource_id])
    version: Mapped[ResourceVersion] = relationship(foreign_keys=[version_id])
    statement_version: Mapped[ResourceVersion | None] = relationship(
        foreign_keys=[statement_version_id]
    )
    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    street: Mapped[Organisation] = relationship(foreign_keys=[street_id])
    submitted_by: Mapped[User] = relationship()
    members: Mapped[list[EntryMember]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="EntryMember.position"
    )


class EntryMember(Base):
    """An author of an entry: the teacher who entered it first, then the team (any unit)."""

    __tablename__ = "competition_entry_members"
    __table_args__ = (UniqueConstraint("entry_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("competition_entries.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(100))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    organisation_name: Mapped[str] = mapped_column(String(100), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)


class ObjectionStatus(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


OBJECTION_LABELS = {
    ObjectionStatus.OPEN: ("待答复", "Waiting for an answer"),
    ObjectionStatus.UPHELD: ("异议成立", "Upheld"),
    ObjectionStatus.DISMISSED: ("异议不成立", "Dismissed"),
}


class Objection(Base):
    """An objection lodged during the public notice (异议), and the admin's logged answer."""

    __tablename__ = "competition_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("competition_entries.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[ObjectionStatus] = mapped_column(
        str_enum(ObjectionStatus, 12), default=ObjectionStatus.OPEN
    )
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    entry: Mapped[Entry | None] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class EntryResult(Base):
    """An entry's published result in one round: its score, rank and (last round) award."""

    __tablename__ = "competition_results"
    __table_args__ = (UniqueConstraint("entry_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int] = mapped_column(ForeignKey("competition_entries.id", ondelete="CASCADE"))
    round: Mapped[int]
    score: Mapped[float]
    rank: Mapped[int]
    tied: Mapped[bool] = mapped_column(default=False)
    award: Mapped[str | None] = mapped_column(String(20))
    judge_totals: Mapped[list[float]] = mapped_column(JSON, default=list)
    disagreement: Mapped[bool] = mapped_column(default=False)
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    entry: Mapped[Entry] = relationship()


class Certificate(Base):
    """A certificate issued for an award; its code is what the printed QR code verifies."""

    __tablename__ = "competition_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("competition_entries.id", ondelete="CASCADE"), unique=True
    )
    award: Mapped[str] = mapped_column(String(20))
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    entry: Mapped[Entry] = relationship()


class CompetitionEvent(Base):
    """The competition's log: assignments, score history, reopenings, objections, phases."""

    __tablename__ = "competition_events"
    __table_args__ = (Index("ix_competition_events_comp_at", "competition_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("competition_entries.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()
