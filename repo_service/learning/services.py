"""Learning records from the player's heartbeats.

The player reports the stretches of media it really showed (playing, visible, not skipped by a
seek) as intervals of media time, so 2× speed counts the media watched, not the wall time. The
service merges them into the learner's record: a heartbeat sent twice (a retry after a lost
connection) adds nothing the second time. The seconds newly covered also go to the learner's
day, which is what the yearly figures count.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from repo_service.accounts.models import User
from repo_service.db import utcnow
from repo_service.errors import InvalidInput, NotFound
from repo_service.learning import totals
from repo_service.learning.models import COMPLETION_SHARE, LearningRecord
from repo_service.resources.models import Resource, ResourceVersion
from repo_service.resources.services import can_view

LOCAL = dt.timezone(dt.timedelta(hours=8))
MAX_INTERVALS = 60  # a heartbeat, or several resent together after a break
MAX_INTERVAL_SECONDS = 600.0  # one stretch: 15 s at 2×, or a few minutes kept while offline
MAX_LIVE_SECONDS = 60.0

Interval = tuple[float, float]


def merge(existing: list[list[float]], new: list[Interval]) -> tuple[list[list[float]], float]:
    """``existing`` and ``new`` merged (sorted, overlaps and touching stretches joined), and how
    many seconds ``new`` added that were not covered before."""
    spans = sorted([(a, b) for a, b in existing] + [(a, b) for a, b in new if b > a])
    merged: list[list[float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1] + 0.5:  # a gap of a timeupdate tick is no gap
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    before = sum(b - a for a, b in existing)
    after = sum(b - a for a, b in merged)
    return [[round(a, 2), round(b, 2)] for a, b in merged], max(0.0, after - before)


def covered(intervals: list[list[float]]) -> float:
    return sum(b - a for a, b in intervals)


def _number(value: Any, zh: str, en: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{zh}必须是数字", f"{en} must be a number")
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise InvalidInput(f"{zh}必须是非负数", f"{en} must be a non-negative number")
    return number


def parse_intervals(raw: Any, duration: float) -> list[Interval]:
    if not isinstance(raw, list) or len(raw) > MAX_INTERVALS:
        raise InvalidInput(
            f"intervals 必须是最多 {MAX_INTERVALS} 段 [开始, 结束] 的列表",
            f"intervals must be a list of at most {MAX_INTERVALS} [start, end] pairs",
            field="intervals",
        )
    out = []
    for pair in raw:
        if not isinstance(pair, list) or len(pair) != 2:
            raise InvalidInput(
                "每段必须是 [开始秒数, 结束秒数]",
                "Each interval is [start, end] in seconds",
                field="intervals",
            )
        a = _number(pair[0], "开始时间", "start")
        b = _number(pair[1], "结束时间", "end")
        if b < a or b - a > MAX_INTERVAL_SECONDS:
            raise InvalidInput(
                "观看区间不合理（结束早于开始，或一段过长）",
                f"An interval must end after it starts and last at most {MAX_INTERVAL_SECONDS:g} s",
                field="intervals",
            )
        if duration:
            a, b = min(a, duration), min(b, duration)
        if b > a:
            out.append((a, b))
    return out


def today(now: dt.datetime | None = None) -> dt.date:
    return (now or utcnow()).astimezone(LOCAL).date()


DAYS = totals.DAYS
RECORDS: Table = LearningRecord.__table__  # type: ignore[assignment]


def add_day_seconds(
    session: Session,
    user: User,
    seconds: float,
    *,
    resource_id: int | None = None,
    live_session_id: int | None = None,
    audience: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Seconds newly learnt today, on the learner's day and in the yearly totals (one
    transaction: the caller commits)."""
    if seconds <= 0:
        return
    subject = f"r{resource_id}" if resource_id is not None else f"l{live_session_id}"
    day = today(now)
    same_day = (DAYS.c.user_id == user.id, DAYS.c.day == day, DAYS.c.subject == subject)
    grow = update(DAYS).where(*same_day).values(seconds=DAYS.c.seconds + seconds)
    new_learner = False
    if not getattr(session.execute(grow), "rowcount", 0):
        try:
            with session.begin_nested():
                session.execute(
                    insert(DAYS).values(
                        user_id=user.id,
                        day=day,
                        subject=subject,
                        resource_id=resource_id,
                        live_session_id=live_session_id,
                        seconds=seconds,
                    )
                )
        except IntegrityError:  # another heartbeat of the same day created it first
            session.execute(grow)
        else:
            # Her first day with this course this year: one more learner of it this year.
            new_learner = resource_id is not None and (
                session.execute(
                    select(DAYS.c.id)
                    .where(
                        DAYS.c.user_id == user.id,
                        DAYS.c.day >= dt.date(day.year, 1, 1),
                        DAYS.c.day < day,
                        DAYS.c.subject == subject,
                    )
                    .limit(1)
                ).first()
                is None
            )
    totals.add(
        session,
        user_id=user.id,
        organisation_id=user.organisation_id,
        day=day,
        seconds=seconds,
        audience=audience,
        resource_id=resource_id,
        live=live_session_id is not None,
        new_learner=new_learner,
    )


def record_heartbeat(
    session: Session,
    user: User,
    course: Course,
    data: dict[str, Any],
    now: dt.datetime | None = None,
) -> LearningRecord:
    """Merge one heartbeat of ``user`` watching ``course``. The answer is the record as it is
    now (not attached to the session: written with single statements, which the ORM's unit of
    work would only slow down)."""
    duration = course.duration
    intervals = parse_intervals(data.get("intervals", []), duration)
    position = _number(data.get("position", 0), "播放位置", "position")
    now = now or utcnow()
    mine = (RECORDS.c.user_id == user.id, RECORDS.c.resource_id == course.id)
    columns = (RECORDS.c.id, RECORDS.c.intervals, RECORDS.c.completed_at, RECORDS.c.first_at)
    row = session.execute(select(*columns).where(*mine).with_for_update()).first()
    if row is None:
        try:
            with session.begin_nested():
                session.execute(
                    insert(RECORDS).values(
                        user_id=user.id,
                        resource_id=course.id,
                        intervals=[],
                        watched_seconds=0.0,
                        duration=duration,
                        position=0.0,
                        first_at=now,
                        last_at=now,
                    )
                )
        except IntegrityError:  # another tab of hers created it first
            pass
        row = session.execute(select(*columns).where(*mine).with_for_update()).one()
    merged, added = merge(row.intervals or [], intervals)
    watched = round(covered(merged), 2)
    completed_at = row.completed_at
    if completed_at is None and duration and watched >= COMPLETION_SHARE * duration:
        completed_at = now
    record = LearningRecord(
        id=row.id,
        user_id=user.id,
        resource_id=course.id,
        intervals=merged,
        watched_seconds=watched,
        duration=duration,
        position=min(position, duration) if duration else position,
        completed_at=completed_at,
        first_at=row.first_at,
        last_at=now,
    )
    session.execute(
        update(RECORDS)
        .where(RECORDS.c.id == row.id)
        .values(
            intervals=record.intervals,
            watched_seconds=record.watched_seconds,
            duration=record.duration,
            position=record.position,
            completed_at=record.completed_at,
            last_at=record.last_at,
        )
    )
    add_day_seconds(session, user, added, resource_id=course.id, audience=course.audience, now=now)
    return record


def record_live(
    session: Session,
    user: User,
    live_session_id: int,
    seconds: Any,
    audience: str = "",
    now: dt.datetime | None = None,
) -> float:
    """Seconds of a live class watched since the last beat (capped: a beat every 15 s)."""
    watched = min(_number(seconds, "观看秒数", "seconds"), MAX_LIVE_SECONDS)
    add_day_seconds(
        session, user, watched, live_session_id=live_session_id, audience=audience, now=now
    )
    return watched


@dataclass(frozen=True)
class Course:
    """What a heartbeat needs of the course being watched."""

    id: int
    audience: str
    duration: float  # of the newest transcoded version, as the transcoder measured it


def watchable(session: Session, user: User, resource_id: int) -> Course:
    """The course ``user`` may watch, with its length, in one statement; 404 otherwise."""
    newest = (
        select(ResourceVersion.duration)
        .where(
            ResourceVersion.resource_id == Resource.id,
            ResourceVersion.master_key.is_not(None),
            ResourceVersion.duration > 0,
        )
        .order_by(ResourceVersion.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    found: Any = session.execute(
        select(Resource, newest)
        .where(Resource.id == resource_id)
        .options(lazyload(Resource.tag_rows), lazyload(Resource.versions))
    ).first()
    if found is None or not can_view(user, found[0]):
        raise NotFound("找不到该资源", "No such resource")
    resource, duration = found
    if not duration:
        raise NotFound("该资源没有可播放的视频", "This resource has no playable video")
    return Course(resource.id, resource.audience, float(duration))
