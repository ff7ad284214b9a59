"""The year's targets of the district and the populations they are measured against."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_service.accounts.models import Organisation
from repo_service.db import Base, utcnow


class YearTargets(Base):
    """The district's plan for a year (defaults: the yearly community-education plan)."""

    __tablename__ = "year_targets"

    year: Mapped[int] = mapped_column(primary_key=True)
    participation_pct: Mapped[float] = mapped_column(Float, default=80.0)
    elderly_pct: Mapped[float] = mapped_column(Float, default=30.0)
    sannong_times: Mapped[int] = mapped_column(default=3000)
    continuing_pct: Mapped[float] = mapped_column(Float, default=90.0)
    online_learners: Mapped[int] = mapped_column(default=0)  # 0: "more than last year"


class Population(Base):
    """Residents, elderly people and employed people of one street (or the district) in a
    year, as an admin entered them, with where the numbers come from."""

    __tablename__ = "populations"
    __table_args__ = (UniqueConstraint("year", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    residents: Mapped[int]
    elderly: Mapped[int]
    employed: Mapped[int]
    source: Mapped[str] = mapped_column(String(300))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
