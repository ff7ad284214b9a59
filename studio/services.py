"""Studio rules: who operates which studio, bookings, going live and ending, and the stream-key
checks shared with the RTMP callbacks."""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from repo_service.accounts.models import Organisation, Role, User
from repo_service.competitions.services import parse_moment
from repo_service.db import aware, utcnow
from repo_service.errors import Conflict, Forbidden, InvalidInput, NotFound
from repo_service.vocabulary import services as vocabulary
from studio import control
from studio.models import (
    LiveSession,
    LiveStatus,
    ReplayStatus,
    SessionKind,
    Studio,
    StudioAction,
    StudioOperator,
)
from studio.vault import encrypt_password

MAX_SESSION = dt.timedelta(hours=12)
SCENE_ROLES = ("lecture", "pip", "slides", "meeting")


# --- studios -----------------------------------------------------------------------------------


def can_operate(user: User | None, studio: Studio) -> bool:
    if user is None:
        return False
    return user.has_role(Role.ADMIN) or (
        user.has_role(Role.OPERATOR) and user.id in studio.operator_ids
    )


def operable_studios(session: Session, user: User) -> list[Studio]:
    query = select(Studio).order_by(Studio.id)
    if not user.has_role(Role.ADMIN):
        query = query.join(StudioOperator).where(StudioOperator.user_id == user.id)
    return list(session.scalars(query).all())


def get_studio(session: Session, studio_id: int) -> Studio:
    studio = session.get(Studio, studio_id)
    if studio is None:
        raise NotFound("找不到该演播室", "No such studio")
    return studio


def operated_studio(session: Session, user: User, studio_id: int) -> Studio:
    """The studio, if ``user`` operates it (404 when there is none, 403 when not hers)."""
    studio = get_studio(session, studio_id)
    require_operator(user, studio)
    return studio


def require_operator(user: User, studio: Studio) -> None:
    if not can_operate(user, studio):
        raise Forbidden(
            f"您不是演播室「{studio.name}」的操作员", f"You do not operate studio '{studio.name}'"
        )


def _text(data: dict[str, Any], key: str, zh: str, en: str, max_len: int, default: str = "") -> str:
    value = data.get(key, default)
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise InvalidInput(f"{zh}格式不正确", f"{en} must be text", field=key)
    text = str(value).strip()
    if len(text) > max_len:
        raise InvalidInput(
            f"{zh}不能超过 {max_len} 个字", f"{en} is limited to {max_len} characters", field=key
        )
    if any(ord(c) < 32 for c in text):
        raise InvalidInput(f"{zh}不能包含控制字符", f"{en} contains control characters", field=key)
    return text


def _port(value: Any) -> int:
    try:
        port = int(str(value).strip())
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise InvalidInput(
            "OBS 端口必须是 1–65535 之间的数字", "The OBS port must be 1-65535", field="obs_port"
        )
    return port


def _host(value: Any) -> str:
    host = str(value or "").strip()
    if not host or len(host) > 255 or (any(c in host for c in "/ :@?#") and not _is_ipv6(host)):
        raise InvalidInput(
            "OBS 地址应为主机名或 IP 地址（不含端口和协议）",
            "The OBS address must be a host name or IP address (no port, no scheme)",
            field="obs_host",
        )
    return host


def _is_ipv6(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False


def _rtmp_url(value: Any) -> str:
    url = str(value or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in {"rtmp", "rtmps"} or not parts.hostname or len(url) > 255:
        raise InvalidInput(
            "推流地址应以 rtmp:// 开头，例如 rtmp://192.168.1.10:1935/live",
            "The ingest address must be an rtmp:// URL such as rtmp://192.168.1.10:1935/live",
            field="rtmp_url",
        )
    return url.rstrip("/")


def _operators(session: Session, raw: Any) -> list[User]:
    if raw is None or raw == "":
        return []
    names = raw if isinstance(raw, list) else str(raw).replace("，", ",").split(",")
    users = []
    for raw_name in names:
        name = str(raw_name).strip()
        if not name:
            continue
        user = session.scalar(select(User).where(User.username == name))
        if user is None:
            raise InvalidInput(
                f"找不到用户「{name}」", f"No user named '{name}'", field="operators"
            )
        if not user.has_role(Role.OPERATOR, Role.ADMIN):
            raise InvalidInput(
                f"用户「{name}」没有演播室操作员角色，请先在用户管理中添加",
                f"User '{name}' does not have the studio operator role",
                field="operators",
            )
        users.append(user)
    return users


def _organisation(session: Session, raw: Any) -> int:
    org = session.get(Organisation, int(str(raw))) if str(raw or "").isdigit() else None
    if org is None and not raw:
        org = session.scalar(select(Organisation).where(Organisation.parent_id.is_(None)))
    if org is None:
        raise InvalidInput("找不到所属单位", "No such organisation", field="organisation_id")
    return org.id


def _scenes(studio: Studio, data: dict[str, Any]) -> None:
    for role in SCENE_ROLES:
        key = f"scene_{role}"
        if key in data:
            scene = _text(data, key, "场景名称", "Scene name", 100)
            if scene:
                setattr(studio, key, scene)


def _connection(studio: Studio, config: dict[str, Any], data: dict[str, Any]) -> None:
    if data.get("obs_password"):
        password = _text(data, "obs_password", "OBS 密码", "OBS password", 200)
        studio.obs_password_enc = encrypt_password(config, password)
    if "rtmp_url" in data and str(data["rtmp_url"]).strip():
        studio.rtmp_url = _rtmp_url(data["rtmp_url"])


def save_studio(
    session: Session, config: dict[str, Any], data: dict[str, Any], studio: Studio | None = None
) -> Studio:
    """Create a studio, or change the fields ``data`` carries; the password only when given."""
    creating = studio is None
    if studio is None:
        studio = Studio(rtmp_url=config["RTMP_PUBLISH_URL"], obs_password_enc="")
    if creating or "name" in data:
        name = _text(data, "name", "名称", "Name", 100)
        if not name:
            raise InvalidInput("请填写演播室名称", "The studio needs a name", field="name")
        clash = session.scalar(select(Studio.id).where(Studio.name == name, Studio.id != studio.id))
        if clash is not None:
            raise Conflict(f"已有名为「{name}」的演播室", f"A studio named '{name}' exists")
        studio.name = name
    if creating or "location" in data:
        studio.location = _text(data, "location", "位置", "Location", 200)
    if creating or "obs_host" in data:
        studio.obs_host = _host(data.get("obs_host"))
    if creating or "obs_port" in data:
        studio.obs_port = _port(data.get("obs_port", 4455))
    _connection(studio, config, data)
    _scenes(studio, data)
    if "is_active" in data:
        studio.is_active = str(data["is_active"]).lower() in {"1", "true", "on", "yes"}
    if creating or "organisation_id" in data:
        studio.organisation_id = _organisation(session, data.get("organisation_id"))
    if "operators" in data:
        users = _operators(session, data["operators"])
        studio.operator_rows = [StudioOperator(user_id=u.id) for u in users]
    if creating:
        session.add(studio)
    session.flush()
    return studio


def record_action(
    session: Session,
    studio: Studio,
    user: User | None,
    action: str,
    params: dict[str, Any],
    *,
    ok: bool,
    message: str = "",
    elapsed_ms: float | None = None,
) -> None:
    session.add(
        StudioAction(
            studio_id=studio.id,
            user_id=user.id if user else None,
            action=action,
            params=params,
            ok=ok,
            message=message[:2000],
            elapsed_ms=elapsed_ms,
        )
    )


# --- operator actions --------------------------------------------------------------------------

ACTIONS = {
    "scene": ("切换场景", "Switch scene"),
    "preview": ("设置预览场景", "Set the preview scene"),
    "transition": ("过渡到节目", "Transition to program"),
    "studio_mode": ("工作室模式", "Studio mode"),
    "stream_start": ("开始推流", "Start streaming"),
    "stream_stop": ("停止推流", "Stop streaming"),
    "record_start": ("开始录制", "Start recording"),
    "record_stop": ("停止录制", "Stop recording"),
    "record_pause": ("暂停录制", "Pause recording"),
    "record_resume": ("继续录制", "Resume recording"),
    "mute": ("静音/取消静音", "Mute or unmute"),
    "virtualcam_start": ("启动虚拟摄像头", "Start the virtual camera"),
    "virtualcam_stop": ("停止虚拟摄像头", "Stop the virtual camera"),
    "go_live": ("开始上课", "Go live"),
    "end": ("结束", "End"),
}
# Stopping what residents watch or what will become the replay asks for a confirmation.
DANGEROUS = frozenset({"stream_stop", "record_stop", "virtualcam_stop"})


def action_params(
    studio: Studio, state: dict[str, Any], data: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    action = data.get("action")
    if not isinstance(action, str) or action not in ACTIONS or action in {"go_live", "end"}:
        raise InvalidInput(
            "不支持的操作", "Unknown action", allowed=sorted(set(ACTIONS) - {"go_live", "end"})
        )
    params: dict[str, Any] = {}
    if action in {"scene", "preview"}:
        scene = data.get("scene")
        if isinstance(scene, str) and scene in studio.scenes:
            scene = studio.scenes[scene]  # a role (lecture, pip, …) names the studio's scene
        if not isinstance(scene, str) or not scene.strip() or len(scene) > 200:
            raise InvalidInput("请选择场景", "Choose a scene", field="scene")
        known = state.get("scenes") or []
        if known and scene not in known:
            raise InvalidInput(
                f"OBS 中没有场景「{scene}」", f"OBS has no scene '{scene}'", field="scene"
            )
        params["scene"] = scene
    elif action == "mute":
        name = data.get("input")
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise InvalidInput("请选择音频来源", "Choose an audio input", field="input")
        muted = data.get("muted")
        if not isinstance(muted, bool):
            raise InvalidInput("muted 必须是 true 或 false", "muted must be true or false")
        params = {"input": name, "muted": muted}
    elif action == "studio_mode":
        enabled = data.get("enabled")
        if not isinstance(enabled, bool):
            raise InvalidInput("enabled 必须是 true 或 false", "enabled must be true or false")
        params = {"enabled": enabled}
    if action in DANGEROUS and data.get("confirm") is not True:
        raise Conflict(
            f"「{ACTIONS[action][0]}」会中断直播或录制，请确认后再执行",
            f"'{ACTIONS[action][1]}' interrupts the broadcast or recording; confirm it",
            needs_confirm=True,
        )
    return action, params


# --- live sessions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    start: dt.datetime
    end: dt.datetime


def _window(data: dict[str, Any], live: LiveSession | None) -> Window:
    start = (
        parse_moment(data["start"], "开始时间", "Start")
        if "start" in data or live is None or live.scheduled_start is None
        else aware(live.scheduled_start)
    )
    end = (
        parse_moment(data["end"], "结束时间", "End")
        if "end" in data or live is None or live.scheduled_end is None
        else aware(live.scheduled_end)
    )
    if end <= start:
        raise InvalidInput(
            "结束时间必须晚于开始时间", "The end must be after the start", field="end"
        )
    if end - start > MAX_SESSION:
        raise InvalidInput(
            "一次课程或会议最长 12 小时", "A session lasts at most 12 hours", field="end"
        )
    return Window(start, end)


def _check_free(session: Session, studio: Studio, window: Window, own_id: int | None) -> None:
    # Writing the studio row first makes two bookings of one studio take turns (a row lock on
    # PostgreSQL, the write lock on SQLite), so both cannot see the slot free.
    session.execute(
        update(Studio).where(Studio.id == studio.id).values(booking_seq=Studio.booking_seq + 1)
    )
    clash = session.scalar(
        select(LiveSession)
        .where(
            LiveSession.studio_id == studio.id,
            LiveSession.status.in_([LiveStatus.SCHEDULED, LiveStatus.LIVE]),
            LiveSession.scheduled_start < window.end,
            LiveSession.scheduled_end > window.start,
            *([LiveSession.id != own_id] if own_id else []),
        )
        .limit(1)
    )
    if clash is not None:
        from repo_service.competitions.services import local

        raise Conflict(
            f"演播室「{studio.name}」在这段时间已有安排：「{clash.title}」"
            f"（{local(clash.scheduled_start)} – {local(clash.scheduled_end)}）",
            f"Studio '{studio.name}' is already booked then: '{clash.title}'",
            clash=clash.id,
        )


def schedule_session(
    session: Session, user: User, data: dict[str, Any], live: LiveSession | None = None
) -> LiveSession:
    """Book a studio for a live class, a recorded class or a meeting (or change a booking)."""
    if live is not None and live.status != LiveStatus.SCHEDULED:
        raise Conflict("只能修改尚未开始的安排", "Only sessions not yet started can be changed")
    studio_raw = data.get("studio_id", live.studio_id if live else None)
    try:
        studio = get_studio(session, int(str(studio_raw)))
    except (TypeError, ValueError):
        raise InvalidInput("请选择演播室", "Choose a studio", field="studio_id") from None
    require_operator(user, studio)
    if not studio.is_active:
        raise Conflict(f"演播室「{studio.name}」已停用", f"Studio '{studio.name}' is disabled")
    title = _text(data, "title", "标题", "Title", 200, live.title if live else "")
    if not title:
        raise InvalidInput("请填写标题", "The title is required", field="title")
    kind_raw = data.get("kind", live.kind.value if live else SessionKind.LIVE.value)
    try:
        kind = SessionKind(str(kind_raw))
    except ValueError:
        raise InvalidInput(
            "类型应为直播、录播或会议", "kind must be live, recorded or meeting", field="kind"
        ) from None
    scene = str(
        data.get(
            "scene", live.scene if live else "meeting" if kind == SessionKind.MEETING else "lecture"
        )
    )
    if scene not in SCENE_ROLES:
        raise InvalidInput("场景应为讲课、画中画、课件全屏或会议", "Unknown scene", field="scene")
    window = _window(data, live)
    if live is None and window.end < utcnow():
        raise InvalidInput("结束时间已经过去", "The end is in the past", field="end")
    # Optional for a class; a value the session already has stays valid once deactivated.
    had_category, had_audience = (live.category, live.audience) if live else ("", "")
    category = vocabulary.check_category(
        session, data.get("category", had_category), keep=had_category or None, required=False
    )
    audience = vocabulary.check_audience(
        session, data.get("audience", had_audience), keep=had_audience or None, required=False
    )
    _check_free(session, studio, window, live.id if live else None)
    if live is None:
        live = LiveSession(
            public_name=f"live-{secrets.token_hex(6)}",
            created_by_id=user.id,
            organisation_id=studio.organisation_id,
        )
        session.add(live)
    live.title = title
    live.studio_id = studio.id
    live.organisation_id = studio.organisation_id
    live.kind = kind
    live.scene = scene
    live.teacher = _text(data, "teacher", "授课教师", "Teacher", 100, live.teacher or "")
    live.category = category
    live.audience = audience
    record_raw = data.get("record", live.record if live.record is not None else True)
    live.record = str(record_raw).lower() in {"1", "true", "on", "yes"}
    if kind == SessionKind.RECORDED:
        live.record = True
    live.scheduled_start, live.scheduled_end = window.start, window.end
    session.flush()
    return live


def get_live(session: Session, live_id: int) -> LiveSession:
    live = session.get(LiveSession, live_id)
    if live is None:
        raise NotFound("找不到该直播安排", "No such session")
    return live


def cancel_session(session: Session, user: User, live: LiveSession) -> None:
    if live.studio is not None:
        require_operator(user, live.studio)
    elif not user.has_role(Role.ADMIN):
        raise Forbidden("只有管理员可以取消", "Only administrators can cancel this")
    if live.status != LiveStatus.SCHEDULED or live.started_at is not None:
        raise Conflict("只能取消尚未开始的安排", "Only sessions not yet started can be cancelled")
    live.status = LiveStatus.CANCELLED
    live.ended_at = utcnow()


def in_window(live: LiveSession, now: dt.datetime, grace: dt.timedelta) -> bool:
    if live.scheduled_start is not None and now < aware(live.scheduled_start) - grace:
        return False
    return not (live.scheduled_end is not None and now > aware(live.scheduled_end) + grace)


def _grace() -> dt.timedelta:
    return dt.timedelta(minutes=int(current_app.config["LIVE_GRACE_MINUTES"]))


def go_live(session: Session, user: User, live: LiveSession) -> dict[str, Any]:
    """Point OBS at the ingest with this session's key, switch scene, start streaming and
    recording (a meeting: the virtual camera)."""
    studio = live.studio
    if studio is None:
        raise Conflict("该直播未指定演播室", "This session has no studio")
    require_operator(user, studio)
    if live.status in {LiveStatus.ENDED, LiveStatus.CANCELLED}:
        raise Conflict("该安排已结束或已取消", "This session has ended or was cancelled")
    if not in_window(live, utcnow(), _grace()):
        raise Conflict(
            f"现在不在这节课的时间段内（可提前 {_grace().seconds // 60} 分钟开始）",
            "It is not within this session's time (you may start a little early)",
        )
    other = session.scalar(
        select(LiveSession).where(
            LiveSession.studio_id == studio.id,
            LiveSession.id != live.id,
            LiveSession.started_at.is_not(None),
            LiveSession.status.in_([LiveStatus.SCHEDULED, LiveStatus.LIVE]),
        )
    )
    if other is not None:
        raise Conflict(
            f"演播室正在进行「{other.title}」，请先结束它", f"'{other.title}' is still running"
        )
    params = {
        "server": studio.rtmp_url,
        "key": live.encoder_stream_key,
        "scene": studio.scenes.get(live.scene, studio.scene_lecture),
        "stream": live.kind == SessionKind.LIVE,
        "record": live.record or live.kind == SessionKind.RECORDED,
        "virtualcam": live.kind == SessionKind.MEETING,
    }
    result = control.command(studio, "session_start", params, timeout=20)
    live.started_at = live.started_at or utcnow()
    if live.kind != SessionKind.LIVE:
        live.status = LiveStatus.LIVE  # nothing to publish: on air once OBS records
    warning = None
    if live.kind == SessionKind.MEETING and result.get("virtualcam") is False:
        err = result.get("virtualcam_error") or {}
        warning = control.refused(
            studio, int(err.get("code") or 0), err.get("comment") or "", "virtualcam_start"
        )
    return {"result": result, "warning": warning}


def end_session(
    session: Session, user: User, live: LiveSession, *, force: bool = False
) -> dict[str, Any]:
    """Stop streaming and recording; the recording becomes the replay once OBS closed it.

    With ``force`` a session whose OBS cannot be reached (the studio PC is off) is ended all the
    same: its key stops working and the studio is free; the recording stays on the studio PC.
    """
    studio = live.studio
    if studio is None:
        raise Conflict("该直播未指定演播室", "This session has no studio")
    require_operator(user, studio)
    if live.status == LiveStatus.ENDED:
        return {"already": True}
    if live.started_at is None and live.status != LiveStatus.LIVE:
        raise Conflict("这节课还没有开始", "This session has not started")
    try:
        result = control.command(
            studio,
            "session_stop",
            {
                "stream": live.kind == SessionKind.LIVE,
                "record": live.record or live.kind == SessionKind.RECORDED,
                "virtualcam": live.kind == SessionKind.MEETING,
            },
            timeout=40,
        )
    except control.StudioUnavailable:
        if not force:
            raise
        result = {"forced": True}
    live.status = LiveStatus.ENDED
    live.ended_at = utcnow()
    path = str(result.get("path") or "")
    if path:
        live.recording_path = path
        live.replay_status = ReplayStatus.WAITING
    return result


# --- RTMP callbacks ----------------------------------------------------------------------------


def create_live_session(
    session: Session, *, title: str, organisation_id: int, created_by_id: int | None = None
) -> LiveSession:
    live = LiveSession(
        title=title,
        organisation_id=organisation_id,
        created_by_id=created_by_id,
        public_name=f"live-{secrets.token_hex(6)}",
    )
    session.add(live)
    session.flush()
    return live


def authorise_publish(
    session: Session, name: str, key: str, *, grace: dt.timedelta | None = None
) -> LiveSession | None:
    """The session a publish of stream ``name`` with secret ``key`` belongs to; None refuses it.

    Encoders publish to ``<public name>?key=<stream key>``: nginx-rtmp names the live stream and
    its HLS files after the public name, and the key travels only in the publish arguments. A
    key works only inside its session's time, with ``grace`` on either side.
    """
    if not name or not key or len(name) > 64 or len(key) > 64:
        return None
    live = session.scalar(select(LiveSession).where(LiveSession.public_name == name))
    if live is None or not hmac.compare_digest(live.stream_key, key):
        return None
    if live.status in {LiveStatus.ENDED, LiveStatus.CANCELLED}:
        return None
    if not in_window(live, utcnow(), grace if grace is not None else dt.timedelta(minutes=15)):
        return None
    live.status = LiveStatus.LIVE
    live.started_at = live.started_at or utcnow()
    return live


def publish_done(session: Session, name: str) -> None:
    """The encoder stopped; the session may go live again until an operator ends it."""
    live = session.scalar(select(LiveSession).where(LiveSession.public_name == name))
    if live is not None and live.status == LiveStatus.LIVE and live.kind == SessionKind.LIVE:
        live.status = LiveStatus.SCHEDULED
