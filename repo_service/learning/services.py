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
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from repo_service.accounts.models import User
from repo_service.db import utcnow
from repo_service.errors import InvalidInput
from repo_service.learning.models import COMPLETION_SHARE, LearningDay, LearningRecord

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


def add_day_seconds(
    session: Session,
    user_id: int,
    seconds: float,
    *,
    resource_id: int | None = None,
    live_session_id: int | None = None,
    now: dt.datetime | None = None,
) -> None:
    if seconds <= 0:
        return
    subject = f"r{resource_id}" if resource_id is not None else f"l{live_session_id}"
    day = today(now)
    changed = session.execute(
        update(LearningDay)
        .where(
            LearningDay.user_id == user_id,
            LearningDay.day == day,
            LearningDay.subject == subject,
        )
        .values(seconds=LearningDay.seconds + seconds)
    )
    if getattr(changed, "rowcount", 0):
        return
    try:
        with session.begin_nested():
            session.add(
                LearningDay(
                    user_id=user_id,
                    day=day,
                    subject=subject,
                    resource_id=resource_id,
                    live_session_id=live_session_id,
                    seconds=seconds,
                )
            )
    except IntegrityError:  # another heartbeat of the same day created it first
        session.execute(
            update(LearningDay)
            .where(
                LearningDay.user_id == user_id,
                LearningDay.day == day,
                LearningDay.subject == subject,
            )
            .values(seconds=LearningDay.seconds + seconds)
        )


def record_heartbeat(
    session: Session,
    user: User,
    resource_id: int,
    duration: float,
    data: dict[str, Any],
    now: dt.datetime | None = None,
) -> LearningRecord:
    """Merge one heartbeat of ``user`` watching ``resource_id`` (whose media lasts
    ``duration`` seconds, as the transcoder measured it)."""
    intervals = parse_intervals(data.get("intervals", []), duration)
    position = _number(data.get("position", 0), "播放位置", "position")
    now = now or utcnow()
    record = session.scalar(
        select(LearningRecord)
        .where(LearningRecord.user_id == user.id, LearningRecord.resource_id == resource_id)
        .with_for_update()
    )
    if record is None:
        try:
            with session.begin_nested():
                record = LearningRecord(
                    user_id=user.id, resource_id=resource_id, intervals=[], first_at=now
                )
                session.add(record)
        except IntegrityError:
            record = session.scalar(
                select(LearningRecord)
                .where(LearningRecord.user_id == user.id, LearningRecord.resource_id == resource_id)
                .with_for_update()
            )
            assert record is not None
    merged, added = merge(record.intervals or [], intervals)
    record.intervals = merged
    record.watched_seconds = round(covered(merged), 2)
    record.duration = duration
    record.position = min(position, duration) if duration else position
    record.last_at = now
    if (
        record.completed_at is None
        and duration
        and record.watched_seconds >= COMPLETION_SHARE * duration
    ):
        record.completed_at = now
    add_day_seconds(session, user.id, added, resource_id=resource_id, now=now)
    return record


def record_live(
    session: Session, user: User, live_session_id: int, seconds: Any, now: dt.datetime | None = None
) -> float:
    """Seconds of a live class watched since the last beat (capped: a beat every 15 s)."""
    watched = min(_number(seconds, "观看秒数", "seconds"), MAX_LIVE_SECONDS)
    add_day_seconds(session, user.id, watched, live_session_id=live_session_id, now=now)
    return watched
