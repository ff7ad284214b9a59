"""The yearly totals of online learning, kept beside the learning days.

``learning_days`` holds what each learner learnt on each day, per course or live class: a year of
a district of 100 000 residents is a quarter of a million rows. The yearly figures read two small
tables instead: ``learning_years`` (per learner and year: all of it, and per audience of what she
watched) and ``course_years`` (per course, year and the organisation of its learners). This
module is their only writer: ``add`` in the transaction that adds the seconds to the learning
day, ``rebuild`` from the learning days for rows written another way (the migration that made the
tables, a bulk import, a course whose audience was corrected afterwards).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    Table,
    case,
    cast,
    column,
    delete,
    distinct,
    extract,
    func,
    literal,
    select,
)
from sqlalchemy import table as light_table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from repo_service.accounts.models import User
from repo_service.learning.models import EVERY_AUDIENCE, CourseYear, LearningDay, LearningYear
from repo_service.resources.models import Resource

YEARS: Table = LearningYear.__table__  # type: ignore[assignment]
COURSES: Table = CourseYear.__table__  # type: ignore[assignment]
DAYS: Table = LearningDay.__table__  # type: ignore[assignment]
# Live classes belong to the studio, which the core does not import: read by table name.
LIVE = light_table("live_sessions", column("id"), column("audience"))


@functools.cache
def _growing(dialect: str, target: Table, keys: tuple[str, ...], amounts: tuple[str, ...]) -> Any:
    """INSERT … ON CONFLICT (keys) DO UPDATE SET amount = amount + excluded.amount, on SQLite and
    PostgreSQL alike (built once: a heartbeat runs it three times)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(target)
    return statement.on_conflict_do_update(
        index_elements=[target.c[k] for k in keys],
        set_={k: target.c[k] + statement.excluded[k] for k in amounts},
    )


def _add_to(
    bind: Session | Connection,
    target: Table,
    keys: list[dict[str, Any]],
    amounts: dict[str, Any],
) -> None:
    """Rows of ``target`` (one per item of ``keys``) grow by ``amounts`` (created with them
    when they are not there yet), so two heartbeats that create a row at the same moment both
    count. Several rows go in one call (psycopg sends them in one pipeline)."""
    dialect = bind.get_bind().dialect.name if isinstance(bind, Session) else bind.dialect.name
    statement = _growing(dialect, target, tuple(keys[0]), tuple(amounts))
    rows = [{**k, **amounts} for k in keys]
    bind.execute(statement, rows if len(rows) > 1 else rows[0])


def add(
    session: Session,
    *,
    user_id: int,
    organisation_id: int,
    day: dt.date,
    seconds: float,
    audience: str,
    resource_id: int | None,
    live: bool,
    new_learner: bool,
) -> None:
    """Seconds a learner newly learnt on ``day`` (of a course, or of a live class when ``live``);
    ``new_learner``: the first day of this year she learnt this course."""
    rows = [{"year": day.year, "audience": EVERY_AUDIENCE, "user_id": user_id}]
    if audience != EVERY_AUDIENCE:
        rows.append({"year": day.year, "audience": audience, "user_id": user_id})
    _add_to(session, YEARS, rows, {"seconds": seconds, "live_seconds": seconds if live else 0.0})
    if resource_id is not None:
        _add_to(
            session,
            COURSES,
            [{"year": day.year, "resource_id": resource_id, "organisation_id": organisation_id}],
            {"seconds": seconds, "learners": 1 if new_learner else 0},
        )


YEAR_OF_DAY = cast(extract("year", DAYS.c.day), Integer)


def _audience_rows(conn: Connection, years: list[int] | None, users: Any = None) -> None:
    """The per-audience rows of ``learning_years`` from the days (of ``users`` only, a select
    of user ids, when given)."""
    audience = func.coalesce(Resource.audience, LIVE.c.audience, EVERY_AUDIENCE)
    query = (
        select(YEAR_OF_DAY, audience, DAYS.c.user_id, func.sum(DAYS.c.seconds), _live_seconds())
        .select_from(DAYS)
        .outerjoin(Resource, Resource.id == DAYS.c.resource_id)
        .outerjoin(LIVE, LIVE.c.id == DAYS.c.live_session_id)
        .where(audience != EVERY_AUDIENCE)
        .group_by(YEAR_OF_DAY, audience, DAYS.c.user_id)
    )
    if years is not None:
        query = query.where(YEAR_OF_DAY.in_(years))
    if users is not None:
        query = query.where(DAYS.c.user_id.in_(users))
    conn.execute(
        YEARS.insert().from_select(
            ["year", "audience", "user_id", "seconds", "live_seconds"], query
        )
    )


def _live_seconds() -> Any:
    return func.sum(case((DAYS.c.live_session_id.is_not(None), DAYS.c.seconds), else_=0.0))


def rebuild(conn: Connection, years: Iterable[int] | None = None) -> None:
    """The totals of ``years`` (every year when None) computed again from the learning days.
    Learners count for the organisation they belong to now; a course or live class for the
    audience it has now. Safe beside heartbeats: on PostgreSQL a heartbeat waits for the rows
    this deletes and then adds to the rows it inserts; SQLite has one writer at a time."""
    wanted = sorted(set(years)) if years is not None else None

    def of_years(query: Any) -> Any:
        return query if wanted is None else query.where(YEAR_OF_DAY.in_(wanted))

    for target in (YEARS, COURSES):
        conn.execute(
            delete(target) if wanted is None else delete(target).where(target.c.year.in_(wanted))
        )
    conn.execute(
        YEARS.insert().from_select(
            ["year", "audience", "user_id", "seconds", "live_seconds"],
            of_years(
                select(
                    YEAR_OF_DAY,
                    literal(EVERY_AUDIENCE, String(50)),
                    DAYS.c.user_id,
                    func.sum(DAYS.c.seconds),
                    _live_seconds(),
                ).group_by(YEAR_OF_DAY, DAYS.c.user_id)
            ),
        )
    )
    _audience_rows(conn, wanted)
    conn.execute(
        COURSES.insert().from_select(
            ["year", "resource_id", "organisation_id", "seconds", "learners"],
            of_years(
                select(
                    YEAR_OF_DAY,
                    DAYS.c.resource_id,
                    User.organisation_id,
                    func.sum(DAYS.c.seconds),
                    func.count(distinct(DAYS.c.user_id)),
                )
                .join(User, User.id == DAYS.c.user_id)
                .where(DAYS.c.resource_id.is_not(None))
                .group_by(YEAR_OF_DAY, DAYS.c.resource_id, User.organisation_id)
            ),
        )
    )


def audience_changed(session: Session, resource_id: int) -> None:
    """A course's audience was corrected (and flushed): its learners' per-audience rows are
    computed again, in the same transaction, so the audience filter counts what they watched
    under the audience it has now."""
    conn = session.connection()
    years = list(
        conn.scalars(select(YEAR_OF_DAY).where(DAYS.c.resource_id == resource_id).distinct())
    )
    if not years:
        return
    learners = select(DAYS.c.user_id).where(DAYS.c.resource_id == resource_id).distinct()
    conn.execute(
        delete(YEARS).where(
            YEARS.c.year.in_(years),
            YEARS.c.audience != EVERY_AUDIENCE,
            YEARS.c.user_id.in_(learners),
        )
    )
    _audience_rows(conn, years, learners)
