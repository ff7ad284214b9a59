"""Studio pages: residents' live page; operators' overview, control page, schedule and studio
settings. State arrives by server-sent events; actions go to the JSON API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import select
from werkzeug.wrappers.response import Response as BaseResponse

from repo_service.access import PUBLIC, access, require_user
from repo_service.accounts.models import Role
from repo_service.db import get_session, utcnow
from repo_service.errors import NotFound
from repo_service.forms import attempt, done, local_input, rendered
from repo_service.vocabulary import services as vocabulary
from studio import control, services
from studio.api import count_viewer, live_hls_url
from studio.models import (
    LIVE_STATUS_LABELS,
    SESSION_KIND_LABELS,
    LiveSession,
    LiveStatus,
    SessionKind,
    Studio,
    StudioAction,
)

bp = Blueprint("live_pages", __name__, template_folder="templates")

UPCOMING = 20
REPLAYS = 12
OPERATORS = (Role.OPERATOR, Role.ADMIN)
STATE_WORDS = {
    "unreachable": ("连接不上 OBS", "OBS cannot be reached"),
    "disconnected": ("与 OBS 的连接断开，正在重连", "Lost OBS; reconnecting"),
    "connecting": ("正在连接 OBS", "Connecting to OBS"),
    "hub_down": ("演播室控制服务未运行", "The studio control service is not running"),
    "password_unreadable": ("OBS 密码需要重新填写", "The OBS password must be entered again"),
    "obs_exiting": ("OBS 正在退出", "OBS is closing"),
    "broker_down": ("消息服务不可用", "The message broker is unavailable"),
}


@bp.get("/live")
@access(PUBLIC)
def live_page() -> str:
    db = get_session()
    on_air = db.scalars(
        select(LiveSession)
        .where(LiveSession.status == LiveStatus.LIVE, LiveSession.kind == SessionKind.LIVE)
        .order_by(LiveSession.started_at.desc())
    ).all()
    upcoming = db.scalars(
        select(LiveSession)
        .where(
            LiveSession.status == LiveStatus.SCHEDULED,
            LiveSession.kind != SessionKind.MEETING,
            (LiveSession.scheduled_end.is_(None)) | (LiveSession.scheduled_end >= utcnow()),
        )
        .order_by(LiveSession.scheduled_start.is_(None), LiveSession.scheduled_start)
        .limit(UPCOMING)
    ).all()
    replays = db.scalars(
        select(LiveSession)
        .where(LiveSession.replay_resource_id.is_not(None))
        .order_by(LiveSession.ended_at.desc())
        .limit(REPLAYS)
    ).all()
    return render_template(
        "live.html",
        on_air=[(live, live_hls_url(live), count_viewer(live.id)) for live in on_air],
        upcoming=upcoming,
        replays=replays,
        kinds=SESSION_KIND_LABELS,
    )


# --- operators -----------------------------------------------------------------------------------


@bp.get("/studio")
@access(*OPERATORS)
def overview_page() -> str:
    user = require_user()
    studios = services.operable_studios(get_session(), user)
    states = {s.id: control.read_state(s) for s in studios}
    return render_template(
        "studio/overview.html",
        studios=studios,
        states=states,
        words=STATE_WORDS,
        is_admin=user.has_role(Role.ADMIN),
    )


def _sessions(studio: Studio) -> list[LiveSession]:
    return list(
        get_session()
        .scalars(
            select(LiveSession)
            .where(
                LiveSession.studio_id == studio.id,
                (LiveSession.status.in_([LiveStatus.SCHEDULED, LiveStatus.LIVE]))
                | (LiveSession.ended_at >= utcnow() - dt.timedelta(hours=12)),
            )
            .order_by(LiveSession.scheduled_start)
            .limit(50)
        )
        .all()
    )


def _control(
    studio: Studio, error: Any = None, form: dict[str, str] | None = None
) -> tuple[str, int]:
    log = (
        get_session()
        .scalars(
            select(StudioAction)
            .where(StudioAction.studio_id == studio.id)
            .order_by(StudioAction.id.desc())
            .limit(20)
        )
        .all()
    )
    return rendered(
        "studio/control.html",
        error,
        studio=studio,
        state=control.read_state(studio),
        words=STATE_WORDS,
        sessions=_sessions(studio),
        log=log,
        labels=services.ACTIONS,
        kinds=SESSION_KIND_LABELS,
        statuses=LIVE_STATUS_LABELS,
        categories=vocabulary.categories(get_session()),
        audiences=vocabulary.audiences(get_session()),
        form=form or {},
        local_input=local_input,
    )


@bp.get("/studio/<int:studio_id>")
@access(*OPERATORS)
def control_page(studio_id: int) -> tuple[str, int]:
    studio = services.operated_studio(get_session(), require_user(), studio_id)
    return _control(studio)


@bp.post("/studio/<int:studio_id>/sessions")
@access(*OPERATORS)
def schedule_form(studio_id: int) -> BaseResponse | tuple[str, int]:
    user = require_user()
    studio = services.get_studio(get_session(), studio_id)
    form = request.form.to_dict()
    form.pop("csrf_token", None)
    data = {**form, "studio_id": studio.id, "record": form.get("record") == "on"}
    live, error = attempt(lambda: services.schedule_session(get_session(), user, data))
    if error is not None or live is None:
        return _control(studio, error, form)
    return done(
        "已安排", "Scheduled", "live_pages.control_page", studio_id=studio.id, _anchor="sessions"
    )


@bp.post("/studio/sessions/<int:live_id>/cancel")
@access(*OPERATORS)
def cancel_form(live_id: int) -> BaseResponse | tuple[str, int]:
    user = require_user()
    live = services.get_live(get_session(), live_id)
    studio = live.studio
    _, error = attempt(lambda: services.cancel_session(get_session(), user, live))
    if studio is None:
        return done("已取消", "Cancelled", "live_pages.live_page")
    if error is not None:
        return _control(studio, error)
    return done(
        "已取消", "Cancelled", "live_pages.control_page", studio_id=studio.id, _anchor="sessions"
    )


# --- studio settings (admin) ---------------------------------------------------------------------


def _studio_form(studio: Studio | None, values: dict[str, Any], error: Any) -> tuple[str, int]:
    return rendered("studio/edit.html", error, studio=studio, values=values)


def _values(studio: Studio) -> dict[str, Any]:
    return {
        "name": studio.name,
        "location": studio.location,
        "obs_host": studio.obs_host,
        "obs_port": studio.obs_port,
        "rtmp_url": studio.rtmp_url,
        **{f"scene_{k}": v for k, v in studio.scenes.items()},
        "operators": ", ".join(r.user.username for r in studio.operator_rows),
        "is_active": studio.is_active,
    }


@bp.get("/studio/new")
@access(Role.ADMIN)
def new_page() -> tuple[str, int]:
    defaults = {
        "obs_port": 4455,
        "rtmp_url": current_app.config["RTMP_PUBLISH_URL"],
        "scene_lecture": "讲课",
        "scene_pip": "画中画",
        "scene_slides": "课件全屏",
        "scene_meeting": "会议",
        "is_active": True,
    }
    return _studio_form(None, defaults, None)


@bp.post("/studio/new")
@access(Role.ADMIN)
def create_form() -> BaseResponse | tuple[str, int]:
    data = request.form.to_dict()
    data.pop("csrf_token", None)
    data["is_active"] = "on" if data.get("is_active") else "off"
    studio, error = attempt(lambda: services.save_studio(get_session(), current_app.config, data))
    if error is not None or studio is None:
        return _studio_form(None, data, error)
    control.notify_studios_changed()
    return done("演播室已创建", "Studio created", "live_pages.control_page", studio_id=studio.id)


@bp.get("/studio/<int:studio_id>/edit")
@access(Role.ADMIN)
def edit_page(studio_id: int) -> tuple[str, int]:
    studio = services.get_studio(get_session(), studio_id)
    return _studio_form(studio, _values(studio), None)


@bp.post("/studio/<int:studio_id>/edit")
@access(Role.ADMIN)
def edit_form(studio_id: int) -> BaseResponse | tuple[str, int]:
    studio = services.get_studio(get_session(), studio_id)
    data = request.form.to_dict()
    data.pop("csrf_token", None)
    data["is_active"] = "on" if data.get("is_active") else "off"
    _, error = attempt(
        lambda: services.save_studio(get_session(), current_app.config, data, studio)
    )
    if error is not None:
        return _studio_form(studio, data, error)
    control.notify_studios_changed()
    return done("已保存", "Saved", "live_pages.control_page", studio_id=studio.id)


def _on_air_now() -> list[LiveSession]:
    return list(
        get_session()
        .scalars(
            select(LiveSession)
            .where(LiveSession.status == LiveStatus.LIVE, LiveSession.kind == SessionKind.LIVE)
            .order_by(LiveSession.started_at.desc())
            .limit(3)
        )
        .all()
    )


def _coming_up() -> list[LiveSession]:
    return list(
        get_session()
        .scalars(
            select(LiveSession)
            .where(
                LiveSession.status == LiveStatus.SCHEDULED,
                LiveSession.kind != SessionKind.MEETING,
                LiveSession.scheduled_start > utcnow(),
            )
            .order_by(LiveSession.scheduled_start)
            .limit(3)
        )
        .all()
    )


@bp.app_context_processor
def _live_now() -> dict[str, Any]:
    """Pages of the core (the home page) show what is on air and what comes next without
    importing the studio."""
    return {"live_now": _on_air_now, "live_next": _coming_up}


# --- one session ---------------------------------------------------------------------------------


def _session_values(live: LiveSession) -> dict[str, Any]:
    return {
        "title": live.title,
        "kind": live.kind.value,
        "start": local_input(live.scheduled_start),
        "end": local_input(live.scheduled_end),
        "teacher": live.teacher,
        "category": live.category,
        "audience": live.audience,
        "scene": live.scene,
        "record": live.record,
    }


def _session_form(live: LiveSession, values: dict[str, Any], error: Any) -> tuple[str, int]:
    return rendered(
        "studio/session_edit.html",
        error,
        live=live,
        studio=live.studio,
        form=values,
        kinds=SESSION_KIND_LABELS,
        categories=vocabulary.categories(get_session(), keep=live.category),
        audiences=vocabulary.audiences(get_session(), keep=live.audience),
    )


def _operated_session(live_id: int) -> LiveSession:
    live = services.get_live(get_session(), live_id)
    if live.studio is None:
        raise NotFound("该安排不属于任何演播室", "This session belongs to no studio")
    services.require_operator(require_user(), live.studio)
    return live


@bp.get("/studio/sessions/<int:live_id>/edit")
@access(*OPERATORS)
def session_edit_page(live_id: int) -> tuple[str, int]:
    live = _operated_session(live_id)
    return _session_form(live, _session_values(live), None)


@bp.post("/studio/sessions/<int:live_id>/edit")
@access(*OPERATORS)
def session_edit_form(live_id: int) -> BaseResponse | tuple[str, int]:
    live = _operated_session(live_id)
    user = require_user()
    form = request.form.to_dict()
    form.pop("csrf_token", None)
    data = {**form, "record": form.get("record") == "on"}
    _, error = attempt(lambda: services.schedule_session(get_session(), user, data, live))
    if error is not None:
        return _session_form(live, form, error)
    return done(
        "已保存", "Saved", "live_pages.control_page", studio_id=live.studio_id, _anchor="sessions"
    )


@bp.post("/studio/sessions/<int:live_id>/replay/retry")
@access(*OPERATORS)
def replay_retry_form(live_id: int) -> BaseResponse | tuple[str, int]:
    from studio.ingest import retry_ingest

    live = _operated_session(live_id)
    studio_id = live.studio_id
    get_session().rollback()
    if retry_ingest(current_app, live_id):
        control.queue_ingest(live_id)
    return done(
        "正在重新生成回放",
        "Making the replay again",
        "live_pages.control_page",
        studio_id=studio_id,
        _anchor="sessions",
    )
