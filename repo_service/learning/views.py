"""Learning records: the player's heartbeats, "my learning", resume positions, certificates."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import time
from collections.abc import Iterator
from typing import Any

import redis
from flask import Blueprint, Response, current_app, jsonify, render_template, request
from sqlalchemy import func, select, text

from repo_service.access import SIGNED_IN, access, require_user
from repo_service.api import documented, request_data
from repo_service.db import get_session
from repo_service.errors import InvalidInput, NotFound, ServiceUnavailable
from repo_service.learning import certificate, services
from repo_service.learning.models import CREDIT_HOUR_SECONDS, LearningDay, LearningRecord
from repo_service.resources.models import Resource

bp = Blueprint("learning", __name__)

TAG = "learning"
BEAT_MEMORY = 6 * 3600  # a live beat resent within this time is recognised and not counted again


def record_json(record: LearningRecord) -> dict[str, Any]:
    return {
        "resource_id": record.resource_id,
        "watched_seconds": record.watched_seconds,
        "duration": record.duration,
        "position": record.position,
        "progress": round(record.progress, 4),
        "completed": record.completed_at is not None,
        "completed_at": record.completed_at.isoformat() if record.completed_at else None,
        "credit_hours": record.credit_hours,
        "last_at": record.last_at.isoformat(),
    }


@bp.post("/api/v1/learning/heartbeats")
@access(SIGNED_IN)
@documented(
    "播放心跳：真正看过的片段（媒体时间）与播放位置；重发不会重复计入",
    "Player heartbeat: the stretches really shown (media time) and the position; idempotent",
    tag=TAG,
    body={
        "resource_id": "课程（资源）id",
        "intervals": "[[开始秒, 结束秒], …]：播放中、页面可见、未被拖动跳过的片段",
        "position": "当前播放位置（秒），用于续播",
        "live_session_id": "直播课 id（直播时代替 resource_id）",
        "seconds": "直播：距上次心跳观看的秒数",
        "beat": "直播：本页的心跳编号（重发时相同）",
        "viewer": "直播：本页的随机标识",
    },
)
def heartbeat() -> Response:
    user = require_user()
    data = request_data()
    session = get_session()
    if data.get("live_session_id") is not None:
        return _live_heartbeat(user.id, data)
    raw_id = data.get("resource_id")
    if not isinstance(raw_id, int) or isinstance(raw_id, bool) or raw_id <= 0:
        raise InvalidInput(
            "resource_id 必须是正整数",
            "resource_id must be a positive integer",
            field="resource_id",
        )
    course = services.watchable(session, user, raw_id)
    if session.get_bind().dialect.name != "sqlite":
        # The record's row lock (SELECT … FOR UPDATE) makes two beats of hers take turns.
        record = services.record_heartbeat(session, user, course, data)
        session.commit()
        return jsonify(record_json(record))
    with one_at_a_time(f"zx:heartbeat:{user.id}:{course.id}"):
        # A fresh transaction after the lock: on SQLite a read snapshot taken before it could
        # miss the stretch another tab of this learner has just written.
        session.commit()
        record = services.record_heartbeat(session, user, course, data)
        session.commit()
    return jsonify(record_json(record))


LOCK_WAIT = 5.0
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end"


@contextlib.contextmanager
def one_at_a_time(key: str) -> Iterator[None]:
    """Heartbeats of one learner for one course are merged one after the other (two tabs, or a
    resend crossing a new beat): SQLite has no row lock, and a read-merge-write must not lose
    the other's stretch. Without Redis they go ahead unlocked. (PostgreSQL locks the row.)"""
    client: redis.Redis = current_app.extensions["redis"]
    token = secrets.token_hex(8)
    held = False
    deadline = time.monotonic() + LOCK_WAIT
    try:
        while not (held := bool(client.set(key, token, nx=True, px=int(LOCK_WAIT * 1000)))):
            if time.monotonic() > deadline:
                raise ServiceUnavailable(
                    "学习记录正忙，请稍后重试", "The learning record is busy; try again"
                )
            time.sleep(0.01)
    except redis.RedisError:
        held = False
    try:
        yield
    finally:
        if held:
            with contextlib.suppress(redis.RedisError):
                client.eval(_RELEASE, 1, key, token)


def _live_heartbeat(user_id: int, data: dict[str, Any]) -> Response:
    raw_id, beat, viewer = (
        data.get("live_session_id"),
        data.get("beat"),
        str(data.get("viewer") or ""),
    )
    if not isinstance(raw_id, int) or isinstance(raw_id, bool) or raw_id <= 0:
        raise InvalidInput(
            "live_session_id 必须是正整数", "live_session_id must be a positive integer"
        )
    if (
        not isinstance(beat, int)
        or isinstance(beat, bool)
        or not viewer.isalnum()
        or len(viewer) > 64
    ):
        raise InvalidInput(
            "直播心跳需要 beat 编号和 viewer 标识", "A live beat needs beat and viewer"
        )
    session = get_session()
    # Live sessions belong to the studio, which the core does not import: asked by table name.
    live = session.execute(
        text("SELECT audience FROM live_sessions WHERE id = :id"), {"id": raw_id}
    ).first()
    if live is None:
        raise NotFound("找不到该直播", "No such live session")
    key = f"zx:livebeat:{user_id}:{viewer}:{beat}"
    try:
        fresh = bool(current_app.extensions["redis"].set(key, "1", nx=True, ex=BEAT_MEMORY))
    except redis.RedisError:
        fresh = True  # counting a beat twice is better than losing a learner's time
    counted = 0.0
    if fresh:
        counted = services.record_live(
            session, require_user(), raw_id, data.get("seconds", 0), live.audience or ""
        )
        session.commit()
    return jsonify({"counted_seconds": counted, "duplicate": not fresh})


@bp.get("/api/v1/learning/records")
@access(SIGNED_IN)
@documented("我的学习记录", "My learning records", tag=TAG)
def my_records() -> Response:
    user = require_user()
    rows = (
        get_session()
        .scalars(
            select(LearningRecord)
            .where(LearningRecord.user_id == user.id)
            .order_by(LearningRecord.last_at.desc())
        )
        .all()
    )
    return jsonify({"records": [record_json(r) for r in rows], **totals(user.id, None, None)})


@bp.get("/api/v1/learning/records/<int:resource_id>")
@access(SIGNED_IN)
@documented("一门课的学习记录（续播位置）", "My record of one course (where to resume)", tag=TAG)
def my_record(resource_id: int) -> Response:
    user = require_user()
    record = get_session().scalar(
        select(LearningRecord).where(
            LearningRecord.user_id == user.id, LearningRecord.resource_id == resource_id
        )
    )
    if record is None:
        raise NotFound("还没有这门课的学习记录", "No record of this course yet")
    return jsonify(record_json(record))


def totals(user_id: int, start: dt.date | None, end: dt.date | None) -> dict[str, Any]:
    query = select(func.coalesce(func.sum(LearningDay.seconds), 0.0)).where(
        LearningDay.user_id == user_id
    )
    if start is not None:
        query = query.where(LearningDay.day >= start)
    if end is not None:
        query = query.where(LearningDay.day <= end)
    seconds = float(get_session().scalar(query) or 0.0)
    return {
        "seconds": round(seconds, 1),
        "credit_hours": round(seconds / CREDIT_HOUR_SECONDS, 2),
    }


def period() -> tuple[dt.date, dt.date]:
    this_year = services.today().year
    try:
        start = dt.date.fromisoformat(request.args.get("from") or f"{this_year}-01-01")
        end = dt.date.fromisoformat(request.args.get("to") or services.today().isoformat())
    except ValueError:
        raise InvalidInput(
            "日期格式应为 2026-01-31", "Dates look like 2026-01-31", field="from"
        ) from None
    if end < start or (end - start).days > 3660:
        raise InvalidInput("起止日期不正确", "The period is not valid", field="to")
    return start, end


@bp.get("/api/v1/learning/certificate")
@access(SIGNED_IN)
@documented(
    "学习证明（PDF）：某段时间内的课程、学时与完成情况",
    "Learning certificate (PDF) for a period",
    tag=TAG,
    query={"from": "开始日期 2026-01-01", "to": "结束日期"},
)
def certificate_pdf() -> Response:
    user = require_user()
    start, end = period()
    pdf = certificate.render(get_session(), user, start, end)
    name = f"learning-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/me/learning")
@access(SIGNED_IN)
def my_learning_page() -> str:
    user = require_user()
    session = get_session()
    rows = session.execute(
        select(LearningRecord, Resource)
        .join(Resource, Resource.id == LearningRecord.resource_id)
        .where(LearningRecord.user_id == user.id, Resource.deleted_at.is_(None))
        .order_by(LearningRecord.last_at.desc())
        .limit(200)
    ).all()
    this_year = services.today().year
    return render_template(
        "learning/mine.html",
        rows=rows,
        year=totals(user.id, dt.date(this_year, 1, 1), dt.date(this_year, 12, 31)),
        all_time=totals(user.id, None, None),
        completed=sum(1 for r, _ in rows if r.completed_at is not None),
        start=dt.date(this_year, 1, 1).isoformat(),
        end=services.today().isoformat(),
    )
