"""The district's figures for a year, as plain functions of a session, a scope and a period.

A scope is the set of organisations counted (a street centre and the schools under it, or the
whole network); a learner counts for the organisation she belongs to, an activity for the
organisation that held it. Every function answers one figure, so the dashboard, its XLSX export
and the API all show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, distinct, func, or_, select, true, union
from sqlalchemy.orm import Session

from repo_service.accounts.models import Organisation, OrgKind, User
from repo_service.activities.models import Activity, ActivityKind, Attendance
from repo_service.competitions.models import Competition, Entry, EntryStatus
from repo_service.learning.models import LearningDay
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


def _learning_in(scope: Scope) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        LearningDay.day >= scope.start,
        LearningDay.day <= scope.end,
        scope.within(User.organisation_id),
    ]
    return where


def _activities_in(scope: Scope) -> list[ColumnElement[bool]]:
    """Activities held in the scope's year by its organisations."""
    return [
        Activity.day >= scope.start,
        Activity.day <= scope.end,
        scope.within(Activity.organisation_id),
    ]


def _online_users(scope: Scope) -> Select[Any]:
    query = (
        select(LearningDay.user_id.label("uid"))
        .join(User, User.id == LearningDay.user_id)
        .where(*_learning_in(scope))
    )
    if scope.audience:
        query = query.join(Resource, Resource.id == LearningDay.resource_id).where(
            Resource.audience == scope.audience
        )
    return query


def _attendances(scope: Scope) -> Select[Any]:
    return (
        select(Attendance)
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(
            *_activities_in(scope),
        )
    )


def _count(session: Session, subquery: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(subquery)) or 0)


def _people(
    session: Session, scope: Scope, *, elderly_only: bool = False, employed_only: bool = False
) -> int:
    """Distinct people who learnt online or attended an activity: real-name users by id, people
    on imported sheets without an account by mobile (or by name when no mobile was given)."""
    born_by = scope.year - ELDERLY_AGE
    online = _online_users(scope)
    offline = (
        select(Attendance.user_id.label("uid"))
        .join(Activity, Activity.id == Attendance.activity_id)
        .join(User, User.id == Attendance.user_id)
        .where(
            *_activities_in(scope),
        )
    )
    if elderly_only:
        online = online.where(User.birth_year <= born_by)
        offline = offline.where(User.birth_year <= born_by)
    if employed_only:
        online = online.where(User.employed.is_(True))
        offline = offline.where(User.employed.is_(True))
    counted = _count(session, union(online, offline).subquery())  # UNION drops repeats
    if not employed_only:  # sign-in sheets do not say who is employed
        anonymous = (
            select(func.coalesce(Attendance.mobile, Attendance.name).label("who"))
            .join(Activity, Activity.id == Attendance.activity_id)
            .where(
                Attendance.user_id.is_(None),
                *_activities_in(scope),
            )
        )
        if elderly_only:
            anonymous = anonymous.where(Attendance.birth_year <= born_by)
        counted += _count(session, anonymous.distinct().subquery())
    return counted


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


def figures(session: Session, scope: Scope, street: Organisation | None) -> dict[str, Any]:
    """Every headline figure of ``scope`` for its year."""
    pop = population(session, scope, street)
    participants = _people(session, scope)
    elderly = _people(session, scope, elderly_only=True)
    employed = _people(session, scope, employed_only=True)
    online = int(
        session.scalar(select(func.count(distinct(_online_users(scope).subquery().c.uid)))) or 0
    )
    attendance = _attendances(scope).subquery()
    person_times = int(session.scalar(select(func.count()).select_from(attendance)) or 0)
    sannong = int(
        session.scalar(
            select(func.count())
            .select_from(Attendance)
            .join(Activity, Activity.id == Attendance.activity_id)
            .where(
                Activity.kind == ActivityKind.SANNONG,
                *_activities_in(scope),
            )
        )
        or 0
    )
    seconds_query = (
        select(func.coalesce(func.sum(LearningDay.seconds), 0.0))
        .join(User, User.id == LearningDay.user_id)
        .where(*_learning_in(scope))
    )
    if scope.audience:
        seconds_query = seconds_query.join(Resource, Resource.id == LearningDay.resource_id).where(
            Resource.audience == scope.audience
        )
    seconds = float(session.scalar(seconds_query) or 0.0)
    live_people = int(
        session.scalar(
            select(func.count(distinct(LearningDay.user_id)))
            .join(User, User.id == LearningDay.user_id)
            .where(*_learning_in(scope), LearningDay.live_session_id.is_not(None))
        )
        or 0
    )
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
        "sannong_person_times": sannong,
        "employed_participants": employed,
        "continuing_pct": rate(employed, pop.employed if pop else None),
        "online_learners": online,
        "minutes_watched": round(seconds / 60, 1),
        "activity_person_times": person_times,
        "live_learners": live_people,
    }


def online_learners(session: Session, scope: Scope) -> int:
    """Distinct real-name learners who learnt online in the scope's year."""
    return int(
        session.scalar(select(func.count(distinct(_online_users(scope).subquery().c.uid)))) or 0
    )


def top_courses(session: Session, scope: Scope, limit: int = 10) -> list[dict[str, Any]]:
    query = (
        select(
            Resource.id,
            Resource.title,
            func.sum(LearningDay.seconds).label("seconds"),
            func.count(distinct(LearningDay.user_id)).label("learners"),
        )
        .join(LearningDay, LearningDay.resource_id == Resource.id)
        .join(User, User.id == LearningDay.user_id)
        .where(*_learning_in(scope))
        .group_by(Resource.id, Resource.title)
        .order_by(func.sum(LearningDay.seconds).desc(), Resource.id)
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


def by_street(session: Session, year: int, audience: str | None = None) -> list[dict[str, Any]]:
    """The headline figures of every street, in the district's order."""
    return [
        {
            "street": street.name,
            "street_id": street.id,
            **figures(session, scope_of(session, street, year, audience), street),
        }
        for street in streets(session)
    ]
