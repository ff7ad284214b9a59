"""The district's figures for a year, as plain functions of a session, a scope and a period.

A scope is the set of organisations counted (a street centre and the schools under it, or the
whole network). A resident with an account counts for the organisation she belongs to, whether
she learnt online or came to an activity anywhere in the district (she is one of its residents,
the denominator of its participation rate); an activity's person-times count for the organisation
that held it, and so do the people on its sign-in sheets who have no account. The dashboard, its
XLSX export and the API all show the numbers these functions answer.

Online learning is read from the yearly totals of ``learning.totals`` (a row per learner and
year, and per course, year and organisation), not from the learning days: the figures of a year
of 100 000 residents come from a few grouped statements, the same for the district and for every
street at once (``tallies``, by organisation, added up per street).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import (
    ColumnElement,
    case,
    distinct,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session

from repo_service.accounts.models import Organisation, OrgKind, User
from repo_service.activities.models import Activity, ActivityKind, Attendance
from repo_service.competitions.models import Competition, Entry, EntryStatus
from repo_service.learning.models import EVERY_AUDIENCE, CourseYear, LearningYear
from repo_service.resources.models import Resource
from repo_service.statistics.models import Population, YearTargets

ELDERLY_AGE = 60


@dataclass(frozen=True)
class Scope:
    """Which organisations count, for which year, and (for online learning) which audience."""

    organisation_ids: frozenset[int]
    year: int
    audience: str | None = None
    label: str = ""
    whole: bool = False  # the whole network: nothing to filter by organisation

    def within(self, column: Any) -> ColumnElement[bool]:
        return true() if self.whole else column.in_(self.organisation_ids)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def online_rows(self) -> str:
        """The ``learning_years`` rows this scope's audience reads."""
        return self.audience or EVERY_AUDIENCE


def streets(session: Session) -> list[Organisation]:
    return list(
        session.scalars(
            select(Organisation)
            .where(Organisation.kind == OrgKind.STREET)
            .order_by(Organisation.id)
        ).all()
    )


def scope_of(
    session: Session, street: Organisation | None, year: int, audience: str | None = None
) -> Scope:
    """A street centre with its schools; None: the whole network (district college included)."""
    if street is None:
        ids = session.scalars(select(Organisation.id)).all()
        return Scope(frozenset(ids), year, audience, "全区", whole=True)
    ids = session.scalars(
        select(Organisation.id).where(
            or_(Organisation.id == street.id, Organisation.parent_id == street.id)
        )
    ).all()
    return Scope(frozenset(ids), year, audience, street.name)


def _activities_in(scope: Scope) -> list[ColumnElement[bool]]:
    """Activities held in the scope's year by its organisations."""
    return [
        Activity.day >= scope.start,
        Activity.day <= scope.end,
        scope.within(Activity.organisation_id),
    ]


def _yes(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


@dataclass
class Tally:
    """The figures of one organisation that add up: each person belongs to one organisation, so
    a street's (or the district's) figure is the sum of its organisations'."""

    people: int = 0  # residents with an account who learnt online or came to an activity
    elderly: int = 0  # of them aged 60 or more in the year
    employed: int = 0  # of them employed
    learners: int = 0  # learnt online
    seconds: float = 0.0  # learnt online
    live_learners: int = 0  # watched a live class
    person_times: int = 0  # sign-ins at the activities it held
    sannong: int = 0  # of them at 三农 trainings

    def add(self, other: Tally) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def tallies(session: Session, scope: Scope) -> dict[int, Tally]:
    """The additive figures of every organisation of ``scope`` in its year: three grouped
    statements, whatever the number of organisations."""
    out: dict[int, Tally] = {}

    def of(org_id: int) -> Tally:
        return out.setdefault(org_id, Tally())

    elderly = _yes(User.birth_year <= scope.year - ELDERLY_AGE)
    employed = _yes(User.employed.is_(True))
    online = (
        select(
            User.organisation_id,
            func.count(),
            func.coalesce(func.sum(LearningYear.seconds), 0.0),
            _yes(LearningYear.live_seconds > 0),
            elderly,
            employed,
        )
        .join(User, User.id == LearningYear.user_id)
        .where(
            LearningYear.year == scope.year,
            LearningYear.audience == scope.online_rows,
            scope.within(User.organisation_id),
        )
        .group_by(User.organisation_id)
    )
    row: Any
    for row in session.execute(online):
        tally = of(row[0])
        tally.learners, tally.seconds, tally.live_learners = row[1], float(row[2]), row[3] or 0
        tally.people, tally.elderly, tally.employed = row[1], row[4] or 0, row[5] or 0
    # Who came to an activity of the year and did not learn online: the rest of the people.
    came: Any = (
        select(Attendance.user_id)
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(
            Attendance.user_id.is_not(None),
            Activity.day >= scope.start,
            Activity.day <= scope.end,
        )
    )
    learnt_online = (
        select(LearningYear.user_id)
        .where(
            LearningYear.year == scope.year,
            LearningYear.audience == scope.online_rows,
            LearningYear.user_id == User.id,
        )
        .exists()
    )
    offline_only = (
        select(User.organisation_id, func.count(), elderly, employed)
        .where(User.id.in_(came), ~learnt_online, scope.within(User.organisation_id))
        .group_by(User.organisation_id)
    )
    for row in session.execute(offline_only):
        tally = of(row[0])
        tally.people += row[1]
        tally.elderly += row[2] or 0
        tally.employed += row[3] or 0
    sign_ins = (
        select(
            Activity.organisation_id,
            func.count(Attendance.id),
            _yes(Activity.kind == ActivityKind.SANNONG),
        )
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(*_activities_in(scope))
        .group_by(Activity.organisation_id)
    )
    for row in session.execute(sign_ins):
        tally = of(row[0])
        tally.person_times, tally.sannong = row[1], row[2] or 0
    return out


def street_ids(session: Session) -> dict[int, int]:
    """The street of every organisation under one (a street centre is its own)."""
    rows = session.execute(select(Organisation.id, Organisation.kind, Organisation.parent_id))
    out: dict[int, int] = {}
    for org_id, kind, parent_id in rows:
        if kind == OrgKind.STREET:
            out[org_id] = org_id
        elif parent_id is not None:
            out[org_id] = parent_id
    return out


def anonymous(
    session: Session, scope: Scope, by_street: bool = False
) -> dict[int, tuple[int, int]]:
    """People on sign-in sheets without an account, told apart by mobile (or by name when no
    mobile was given): (people, aged 60 or more) of the scope (key 0), or of each street (keyed
    by the street centre's id) when ``by_street``."""
    who = func.coalesce(Attendance.mobile, Attendance.name)
    old = case((Attendance.birth_year <= scope.year - ELDERLY_AGE, who))
    query = (
        select(func.count(distinct(who)), func.count(distinct(old)))
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(Attendance.user_id.is_(None), *_activities_in(scope))
    )
    if not by_street:
        count, elderly = session.execute(query).one()
        return {0: (int(count or 0), int(elderly or 0))}
    street = case(
        (Organisation.kind == OrgKind.STREET, Organisation.id), else_=Organisation.parent_id
    )
    rows: Any = session.execute(
        query.add_columns(street)
        .join(Organisation, Organisation.id == Activity.organisation_id)
        .group_by(street)
    )
    return {int(key): (int(count), int(old)) for count, old, key in rows if key is not None}


def total(counts: dict[int, Tally], organisation_ids: Iterable[int] | None = None) -> Tally:
    """The sum of the tallies of ``organisation_ids`` (all of them when None)."""
    out = Tally()
    for org_id, tally in counts.items():
        if organisation_ids is None or org_id in organisation_ids:
            out.add(tally)
    return out


def population(session: Session, scope: Scope, street: Organisation | None) -> Population | None:
    """The population entered for the street, or for the district (its own row, or else the sum
    of the streets' rows)."""
    if street is not None:
        return session.scalar(
            select(Population).where(
                Population.year == scope.year, Population.organisation_id == street.id
            )
        )
    district = session.scalar(select(Organisation).where(Organisation.parent_id.is_(None)))
    own = (
        session.scalar(
            select(Population).where(
                Population.year == scope.year, Population.organisation_id == district.id
            )
        )
        if district
        else None
    )
    if own is not None:
        return own
    rows = session.scalars(
        select(Population)
        .join(Organisation, Organisation.id == Population.organisation_id)
        .where(Population.year == scope.year, Organisation.kind == OrgKind.STREET)
    ).all()
    if not rows:
        return None
    return Population(
        year=scope.year,
        organisation_id=district.id if district else 0,
        residents=sum(r.residents for r in rows),
        elderly=sum(r.elderly for r in rows),
        employed=sum(r.employed for r in rows),
        source="；".join(sorted({r.source for r in rows})),
    )


def targets(session: Session, year: int) -> YearTargets:
    return session.get(YearTargets, year) or YearTargets(
        year=year,
        participation_pct=80.0,
        elderly_pct=30.0,
        sannong_times=3000,
        continuing_pct=90.0,
        online_learners=0,
    )


def rate(part: int, whole: int | None) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def figures(
    session: Session,
    scope: Scope,
    street: Organisation | None,
    *,
    counts: Tally | None = None,
    unnamed: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """Every headline figure of ``scope`` for its year (``counts`` and ``unnamed``: its tally
    and its people without an account, when the caller has them already)."""
    pop = population(session, scope, street)
    if counts is None:
        counts = total(tallies(session, scope))
    if unnamed is None:
        unnamed = anonymous(session, scope)[0]
    participants = counts.people + unnamed[0]
    elderly = counts.elderly + unnamed[1]
    employed = counts.employed  # sign-in sheets do not say who is employed
    return {
        "year": scope.year,
        "scope": scope.label,
        "audience": scope.audience,
        "population": None
        if pop is None
        else {
            "residents": pop.residents,
            "elderly": pop.elderly,
            "employed": pop.employed,
            "source": pop.source,
        },
        "participants": participants,
        "participation_pct": rate(participants, pop.residents if pop else None),
        "elderly_participants": elderly,
        "elderly_pct": rate(elderly, pop.elderly if pop else None),
        "sannong_person_times": counts.sannong,
        "employed_participants": employed,
        "continuing_pct": rate(employed, pop.employed if pop else None),
        "online_learners": counts.learners,
        "minutes_watched": round(counts.seconds / 60, 1),
        "activity_person_times": counts.person_times,
        "live_learners": counts.live_learners,
    }


def online_learners(session: Session, scope: Scope) -> int:
    """Real-name learners who learnt online in the scope's year."""
    query = (
        select(func.count())
        .select_from(LearningYear)
        .where(LearningYear.year == scope.year, LearningYear.audience == scope.online_rows)
    )
    if not scope.whole:
        query = query.join(User, User.id == LearningYear.user_id).where(
            scope.within(User.organisation_id)
        )
    return int(session.scalar(query) or 0)


def top_courses(session: Session, scope: Scope, limit: int = 10) -> list[dict[str, Any]]:
    seconds = func.sum(CourseYear.seconds)
    query = (
        select(Resource.id, Resource.title, seconds, func.sum(CourseYear.learners))
        .join(CourseYear, CourseYear.resource_id == Resource.id)
        .where(CourseYear.year == scope.year, scope.within(CourseYear.organisation_id))
        .group_by(Resource.id, Resource.title)
        .order_by(seconds.desc(), Resource.id)
        .limit(limit)
    )
    if scope.audience:
        query = query.where(Resource.audience == scope.audience)
    return [
        {"id": rid, "title": title, "minutes": round(float(s) / 60, 1), "learners": int(n)}
        for rid, title, s, n in session.execute(query).all()
    ]


def activities_by_kind(session: Session, scope: Scope) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Activity.kind, func.count(distinct(Activity.id)), func.count(Attendance.id))
        .outerjoin(Attendance, Attendance.activity_id == Activity.id)
        .where(
            *_activities_in(scope),
        )
        .group_by(Activity.kind)
    ).all()
    return [
        {"kind": kind.value, "activities": int(a), "person_times": int(p)} for kind, a, p in rows
    ]


def competition_figures(session: Session, scope: Scope) -> dict[str, int]:
    entries = (
        select(Entry.id, Resource.award)
        .join(Resource, Resource.id == Entry.resource_id)
        .join(Competition, Competition.id == Entry.competition_id)
        .where(
            Competition.year == scope.year,
            scope.within(Resource.organisation_id),
            Entry.status.not_in([EntryStatus.WITHDRAWN]),
        )
        .subquery()
    )
    return {
        "competitions": int(
            session.scalar(select(func.count()).where(Competition.year == scope.year)) or 0
        ),
        "entries": int(session.scalar(select(func.count()).select_from(entries)) or 0),
        "awarded": int(
            session.scalar(
                select(func.count()).select_from(entries).where(entries.c.award.is_not(None))
            )
            or 0
        ),
    }


def by_street(
    session: Session, year: int, audience: str | None = None, counts: dict[int, Tally] | None = None
) -> list[dict[str, Any]]:
    """The headline figures of every street, in the district's order (``counts``: the tallies
    of the whole network for the year, when the caller has them already)."""
    whole = scope_of(session, None, year, audience)
    if counts is None:
        counts = tallies(session, whole)
    unnamed = anonymous(session, whole, by_street=True)
    belongs = street_ids(session)
    rows = []
    for street in streets(session):
        mine = {org_id for org_id, s in belongs.items() if s == street.id}
        scope = Scope(frozenset(mine), year, audience, street.name)
        rows.append(
            {
                "street": street.name,
                "street_id": street.id,
                **figures(
                    session,
                    scope,
                    street,
                    counts=total(counts, mine),
                    unnamed=unnamed.get(street.id, (0, 0)),
                ),
            }
        )
    return rows
