"""The studio's JSON API: studios, their state and events, operator actions, live sessions."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import redis
from flask import Blueprint, Response, current_app, jsonify, request, url_for
from sqlalchemy import select

from repo_service.access import PUBLIC, access, current_user, require_user
from repo_service.accounts.auth import csrf_exempt
from repo_service.accounts.models import Role, User
from repo_service.api import documented, request_data
from repo_service.db import aware, get_session
from repo_service.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    ServiceUnavailable,
)
from studio import channels, control, services
from studio.models import (
    LIVE_STATUS_LABELS,
    SESSION_KIND_LABELS,
    LiveSession,
    LiveStatus,
    ReplayStatus,
    SessionKind,
    Studio,
    StudioAction,
)

bp = Blueprint("studio_api", __name__, url_prefix="/api/v1")

TAG = "studio"
OPERATORS = (Role.OPERATOR, Role.ADMIN)
EVENTS_MAX_SECONDS = 600  # a page's event stream is renewed (EventSource reconnects by itself)
VIEWER_WINDOW = 45


def iso(moment: Any) -> str | None:
    return aware(moment).isoformat() if moment is not None else None


def studio_json(studio: Studio, *, with_state: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": studio.id,
        "name": studio.name,
        "location": studio.location,
        "organisation_id": studio.organisation_id,
        "obs_host": studio.obs_host,
        "obs_port": studio.obs_port,
        "obs_password_set": bool(studio.obs_password_enc),
        "rtmp_url": studio.rtmp_url,
        "scenes": studio.scenes,
        "is_active": studio.is_active,
        "operators": [row.user.username for row in studio.operator_rows],
    }
    if with_state:
        out["state"] = control.read_state(studio)
    return out


def live_hls_url(live: LiveSession) -> str:
    return f"{current_app.config['LIVE_HLS_URL'].rstrip('/')}/{live.public_name}.m3u8"


def on_air(live: LiveSession) -> bool:
    return live.status == LiveStatus.LIVE and live.kind == SessionKind.LIVE


def live_json(live: LiveSession, user: User | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": live.id,
        "title": live.title,
        "kind": live.kind.value,
        "kind_label": SESSION_KIND_LABELS[live.kind][0],
        "status": live.status.value,
        "status_label": LIVE_STATUS_LABELS[live.status][0],
        "teacher": live.teacher,
        "category": live.category,
        "audience": live.audience,
        "studio_id": live.studio_id,
        "studio": live.studio.name if live.studio else None,
        "start": iso(live.scheduled_start),
        "end": iso(live.scheduled_end),
        "started_at": iso(live.started_at),
        "ended_at": iso(live.ended_at),
        "hls_url": live_hls_url(live)
        if live.status == LiveStatus.LIVE and live.kind.value == "live"
        else None,
        "replay": replay_json(live),
    }
    if live.studio is not None and services.can_operate(user, live.studio):
        out.update(
            scene=live.scene,
            record=live.record,
            rtmp_url=live.studio.rtmp_url,
            stream_key=live.encoder_stream_key,
        )
    return out


def replay_json(live: LiveSession) -> dict[str, Any]:
    return {
        "status": live.replay_status.value,
        "resource_id": live.replay_resource_id,
        "url": url_for("resources.detail_page", resource_id=live.replay_resource_id)
        if live.replay_resource_id
        else None,
        "error": live.replay_error,
    }


def _commit_or_log(studio: Studio, user: User, action: str, params: dict[str, Any], fn: Any) -> Any:
    """Run an OBS action, write its audit row whatever happens, and commit."""
    session = get_session()
    started = time.monotonic()
    try:
        result = fn()
    except DomainError as exc:
        session.rollback()
        services.record_action(
            session,
            studio,
            user,
            action,
            params,
            ok=False,
            message=exc.message,
            elapsed_ms=round((time.monotonic() - started) * 1000, 2),
        )
        session.commit()
        raise
    services.record_action(
        session,
        studio,
        user,
        action,
        params,
        ok=True,
        elapsed_ms=round((time.monotonic() - started) * 1000, 2),
    )
    session.commit()
    return result


def refuse_cross_origin() -> None:
    """Browsers name where a request comes from: a studio is driven only from this site."""
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if site == "cross-site" or (
        origin
        and origin.rstrip("/") != request.host_url.rstrip("/")
        and site not in {"same-origin", "none"}
    ):
        raise Forbidden(
            "不接受来自其他网站的演播室操作", "Studio actions from other sites are refused"
        )


# --- studios -----------------------------------------------------------------------------------


@bp.get("/studios")
@access(*OPERATORS)
@documented("演播室列表（含实时状态）", "Studios the caller operates, with their state", tag=TAG)
def list_studios() -> Response:
    user = require_user()
    studios = services.operable_studios(get_session(), user)
    return jsonify({"studios": [studio_json(s, with_state=True) for s in studios]})


STUDIO_BODY = {
    "name": "名称",
    "location": "位置",
    "obs_host": "OBS 主机",
    "obs_port": "OBS websocket 端口",
    "obs_password": "OBS websocket 密码（只写，加密保存）",
    "rtmp_url": "OBS 推流到的 RTMP 地址",
    "scene_lecture": "讲课场景",
    "scene_pip": "画中画场景",
    "scene_slides": "课件全屏场景",
    "scene_meeting": "会议场景",
    "operators": "操作员用户名（逗号分隔）",
    "is_active": "是否启用",
}


@bp.post("/studios")
@access(Role.ADMIN)
@documented("新建演播室", "Create a studio", tag=TAG, body=STUDIO_BODY)
def create_studio() -> tuple[Response, int]:
    session = get_session()
    studio = services.save_studio(session, current_app.config, request_data())
    session.commit()
    control.notify_studios_changed()
    return jsonify(studio_json(studio)), 201


@bp.get("/studios/<int:studio_id>")
@access(*OPERATORS)
@documented("演播室详情", "A studio", tag=TAG)
def get_studio(studio_id: int) -> Response:
    studio = services.operated_studio(get_session(), require_user(), studio_id)
    return jsonify(studio_json(studio, with_state=True))


@bp.patch("/studios/<int:studio_id>")
@access(Role.ADMIN)
@documented("修改演播室", "Edit a studio", tag=TAG, body=STUDIO_BODY)
def edit_studio(studio_id: int) -> Response:
    session = get_session()
    studio = services.get_studio(session, studio_id)
    services.save_studio(session, current_app.config, request_data(), studio)
    session.commit()
    control.notify_studios_changed()
    return jsonify(studio_json(studio))


@bp.get("/studios/<int:studio_id>/state")
@access(*OPERATORS)
@documented("演播室实时状态（来自控制服务的快照）", "The studio's live state", tag=TAG)
def studio_state(studio_id: int) -> Response:
    studio = services.operated_studio(get_session(), require_user(), studio_id)
    return jsonify(control.read_state(studio))


class StreamSlots:
    """The event streams one web process holds open, at most ``limit`` at once: a stream keeps
    one of the process's threads for as long as its page is open, and the others must go on
    answering everyone else (a resident's heartbeat, a judge's score)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.open = 0
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self.open >= self.limit:
                return False
            self.open += 1
            return True

    def give_back(self) -> None:
        with self._lock:
            self.open -= 1


_SLOTS_LOCK = threading.Lock()
STREAMS_RETRY_SECONDS = 30


def stream_slots() -> StreamSlots:
    with _SLOTS_LOCK:
        slots: StreamSlots | None = current_app.extensions.get("studio_event_streams")
        if slots is None:
            slots = StreamSlots(current_app.config["EVENT_STREAMS"])
            current_app.extensions["studio_event_streams"] = slots
    return slots


def event_stream(studios: list[Studio]) -> Response:
    """State snapshots first, then every change the hub publishes, as server-sent events; 503
    when this process already holds as many streams as it may (the page then asks for the
    state every few seconds, and tries the stream again later)."""
    slots = stream_slots()
    if not slots.take():
        raise ServiceUnavailable(
            f"实时状态连接已满（每个服务进程最多 {slots.limit} 个），页面改为每 5 秒刷新一次状态",
            f"Too many live state streams ({slots.limit} per web process); the page refreshes "
            "the state every 5 s instead",
            retry_after=STREAMS_RETRY_SECONDS,
        )
    released = threading.Event()

    def give_back() -> None:
        if not released.is_set():
            released.set()
            slots.give_back()

    try:
        response = sse(_changes(studios))
    except BaseException:
        give_back()
        raise
    # Called when the server closes the response: after the last event, when the page went
    # away, or before the stream ever started.
    response.call_on_close(give_back)
    return response


def _changes(studios: list[Studio]) -> Iterator[str]:
    url = current_app.config["REDIS_URL"]
    client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=3)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    try:
        # Subscribed before the snapshot is read: a change in between is not lost.
        pubsub.subscribe(*[channels.events_channel(s.id) for s in studios])
    except redis.RedisError as exc:
        client.close()
        raise control.StudioUnavailable(
            "消息服务暂时不可用，请稍后再试", f"The message broker is unavailable: {exc}"
        ) from exc
    first = [control.read_state(s) for s in studios]

    def generate() -> Iterator[str]:
        try:
            yield "retry: 2000\n\n"
            for state in first:
                yield f"event: state\ndata: {json.dumps(state, ensure_ascii=False)}\n\n"
            started = last_check = last_sent = time.monotonic()
            hub_was_alive = True
            while time.monotonic() - started < EVENTS_MAX_SECONDS:
                message = pubsub.get_message(timeout=1.0)
                now = time.monotonic()
                if message is not None:
                    yield f"event: state\ndata: {message['data'].decode()}\n\n"
                    last_sent = now
                if now - last_check >= 2:
                    last_check = now
                    alive = bool(client.exists(channels.HUB_ALIVE))
                    if not alive and hub_was_alive:
                        for s in studios:
                            down = {"studio_id": s.id, "connected": False, "error": "hub_down"}
                            yield f"event: hub\ndata: {json.dumps(down)}\n\n"
                        last_sent = now
                    hub_was_alive = alive
                if now - last_sent >= 15:
                    yield ": keep-alive\n\n"
                    last_sent = now
        except redis.RedisError:
            yield 'event: hub\ndata: {"connected": false, "error": "broker_down"}\n\n'
        finally:
            pubsub.close()
            client.close()

    return generate()


def sse(stream: Iterator[str]) -> Response:
    return Response(
        stream,
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@bp.get("/studios/<int:studio_id>/events")
@access(*OPERATORS)
@documented(
    "演播室状态变化流（server-sent events）",
    "The studio's state changes (server-sent events)",
    tag=TAG,
)
def studio_events(studio_id: int) -> Response:
    studio = services.operated_studio(get_session(), require_user(), studio_id)
    return event_stream([studio])


@bp.get("/studios/events")
@access(*OPERATORS)
@documented(
    "所有可操作演播室的状态变化流", "State changes of every studio the caller operates", tag=TAG
)
def all_studio_events() -> Response:
    studios = services.operable_studios(get_session(), require_user())
    return event_stream(studios)


@bp.get("/studios/<int:studio_id>/actions")
@access(*OPERATORS)
@documented("演播室操作记录", "The studio's audit log", tag=TAG, query={"limit": "条数（≤200）"})
def studio_log(studio_id: int) -> Response:
    session = get_session()
    studio = services.operated_studio(session, require_user(), studio_id)
    limit = min(max(request.args.get("limit", 50, type=int) or 50, 1), 200)
    rows = session.scalars(
        select(StudioAction)
        .where(StudioAction.studio_id == studio.id)
        .order_by(StudioAction.id.desc())
        .limit(limit)
    ).all()
    return jsonify(
        {
            "actions": [
                {
                    "id": a.id,
                    "action": a.action,
                    "label": services.ACTIONS.get(a.action, (a.action,))[0],
                    "params": a.params,
                    "ok": a.ok,
                    "message": a.message,
                    "user": a.user.display_name if a.user else None,
                    "elapsed_ms": a.elapsed_ms,
                    "at": iso(a.created_at),
                }
                for a in rows
            ]
        }
    )


@bp.post("/studios/<int:studio_id>/actions")
@access(*OPERATORS)
@documented(
    "对演播室执行操作（切换场景、推流、录制、静音、虚拟摄像头）",
    "Act on the studio (scene, stream, record, mute, virtual camera)",
    tag=TAG,
    body={
        "action": "scene|preview|transition|studio_mode|stream_start|stream_stop|record_start|"
        "record_stop|record_pause|record_resume|mute|virtualcam_start|virtualcam_stop",
        "scene": "场景名称或用途（lecture/pip/slides/meeting）",
        "input": "音频来源名称（mute）",
        "muted": "true/false（mute）",
        "enabled": "true/false（studio_mode）",
        "confirm": "停止推流、录制或虚拟摄像头时须为 true",
    },
)
def studio_action(studio_id: int) -> Response:
    refuse_cross_origin()
    user = require_user()
    session = get_session()
    studio = services.operated_studio(session, user, studio_id)
    data = request_data()
    action, params = services.action_params(studio, control.read_state(studio), data)
    result = _commit_or_log(
        studio, user, action, params, lambda: control.command(studio, action, params)
    )
    return jsonify({"ok": True, "action": action, "result": result})


# --- live sessions -----------------------------------------------------------------------------

SESSION_BODY = {
    "title": "标题",
    "studio_id": "演播室 id",
    "kind": "live（直播课）|recorded（录播课）|meeting（视频会议）",
    "start": "开始时间（ISO，无时区按北京时间）",
    "end": "结束时间",
    "teacher": "授课教师",
    "category": "类别",
    "audience": "对象",
    "scene": "lecture|pip|slides|meeting",
    "record": "是否录制（直播课、会议）",
}


@bp.get("/live-sessions")
@access(PUBLIC)
@documented(
    "直播课安排（正在直播、即将开始、已结束及回放）",
    "Live sessions: on air, upcoming, ended with replays",
    tag=TAG,
    query={"status": "scheduled|live|ended|cancelled", "studio_id": "演播室", "limit": "≤200"},
)
def list_sessions() -> Response:
    user = current_user()
    query = select(LiveSession).order_by(LiveSession.scheduled_start.desc(), LiveSession.id.desc())
    status = request.args.get("status")
    if status:
        try:
            query = query.where(LiveSession.status == LiveStatus(status))
        except ValueError:
            raise InvalidInput("status 取值不正确", "Unknown status") from None
    studio_id = request.args.get("studio_id", type=int)
    if studio_id:
        query = query.where(LiveSession.studio_id == studio_id)
    limit = min(max(request.args.get("limit", 50, type=int) or 50, 1), 200)
    rows = get_session().scalars(query.limit(limit)).all()
    return jsonify({"sessions": [live_json(live, user) for live in rows]})


@bp.post("/live-sessions")
@access(*OPERATORS)
@documented(
    "安排直播课、录播课或视频会议",
    "Schedule a live class, recorded class or meeting",
    tag=TAG,
    body=SESSION_BODY,
)
def schedule() -> tuple[Response, int]:
    user = require_user()
    session = get_session()
    live = services.schedule_session(session, user, request_data())
    session.commit()
    return jsonify(live_json(live, user)), 201


@bp.get("/live-sessions/<int:live_id>")
@access(PUBLIC)
@documented("一个直播安排", "One live session", tag=TAG)
def get_live(live_id: int) -> Response:
    live = services.get_live(get_session(), live_id)
    return jsonify(live_json(live, current_user()))


@bp.patch("/live-sessions/<int:live_id>")
@access(*OPERATORS)
@documented("修改尚未开始的安排", "Edit a session not yet started", tag=TAG, body=SESSION_BODY)
def edit_live(live_id: int) -> Response:
    user = require_user()
    session = get_session()
    live = services.get_live(session, live_id)
    if live.studio is not None:
        services.require_operator(user, live.studio)
    services.schedule_session(session, user, request_data(), live)
    session.commit()
    return jsonify(live_json(live, user))


@bp.post("/live-sessions/<int:live_id>/cancel")
@access(*OPERATORS)
@documented("取消尚未开始的安排", "Cancel a session not yet started", tag=TAG)
def cancel_live(live_id: int) -> Response:
    user = require_user()
    session = get_session()
    live = services.get_live(session, live_id)
    services.cancel_session(session, user, live)
    session.commit()
    return jsonify(live_json(live, user))


@bp.post("/live-sessions/<int:live_id>/go-live")
@access(*OPERATORS)
@documented(
    "开始：设置 OBS 推流目标、切换场景、开始推流和录制（会议：虚拟摄像头）",
    "Go live: set OBS's stream target, switch scene, start streaming and recording",
    tag=TAG,
)
def go_live(live_id: int) -> Response:
    def act(session: Any, user: User, live: LiveSession) -> dict[str, Any]:
        out = services.go_live(session, user, live)
        body: dict[str, Any] = {"result": out["result"]}
        if out["warning"] is not None:
            body["warning"] = {
                "message": out["warning"].message,
                "message_en": out["warning"].message_en,
            }
        return body

    return _session_action(live_id, "go_live", act)


@bp.post("/live-sessions/<int:live_id>/end")
@access(*OPERATORS)
@documented(
    "结束：停止推流和录制，录像关闭后生成回放",
    "End: stop streaming and recording; the closed recording becomes the replay",
    tag=TAG,
    body={"force": "true：OBS 连接不上时仍然结束（录像留在演播室电脑上）"},
)
def end_live(live_id: int) -> Response:
    force = request_data().get("force") is True

    def act(session: Any, user: User, live: LiveSession) -> dict[str, Any]:
        return {"result": services.end_session(session, user, live, force=force)}

    return _session_action(live_id, "end", act)


def _session_action(live_id: int, name: str, act: Any) -> Response:
    """Go live or end: refused across sites, logged for the studio, committed; a closed
    recording is handed to the hub for its replay."""
    refuse_cross_origin()
    user = require_user()
    session = get_session()
    live = services.get_live(session, live_id)
    studio = live.studio
    if studio is None:
        raise InvalidInput("该直播未指定演播室", "This session has no studio")
    out = _commit_or_log(studio, user, name, {"session": live.id}, lambda: act(session, user, live))
    if live.replay_status == ReplayStatus.WAITING and out["result"].get("closed"):
        control.queue_ingest(live.id)
    return jsonify({"ok": True, "session": live_json(live, user), **out})


@bp.get("/live-sessions/<int:live_id>/replay")
@access(PUBLIC)
@documented("回放的状态与地址", "The session's replay: status and address", tag=TAG)
def replay(live_id: int) -> Response:
    live = services.get_live(get_session(), live_id)
    return jsonify(replay_json(live))


@bp.post("/live-sessions/<int:live_id>/replay/retry")
@access(*OPERATORS)
@documented("重新生成失败的回放", "Retry a failed replay ingest", tag=TAG)
def retry_replay(live_id: int) -> Response:
    from studio.ingest import retry_ingest

    user = require_user()
    session = get_session()
    live = services.get_live(session, live_id)
    if live.studio is not None:
        services.require_operator(user, live.studio)
    if live.replay_status != ReplayStatus.FAILED:
        raise Conflict("只有生成失败的回放可以重试", "Only a failed replay can be retried")
    session.rollback()
    retry_ingest(current_app, live.id)
    control.queue_ingest(live.id)
    return jsonify({"ok": True})


@bp.post("/live-sessions/<int:live_id>/viewers")
@access(PUBLIC)
@csrf_exempt  # anonymous viewers; refused when a browser says it comes from another site
@documented(
    "观看心跳（统计在线人数）",
    "Viewer heartbeat (counts who is watching)",
    tag=TAG,
    body={"viewer": "页面生成的随机标识"},
)
def viewer_heartbeat(live_id: int) -> Response:
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        raise Forbidden("不接受来自其他网站的请求", "Requests from other sites are refused")
    viewer = str(request_data().get("viewer") or "")[:64]
    if not viewer.isalnum() or len(viewer) < 8:
        raise InvalidInput("viewer 标识不正确", "viewer must be 8-64 letters or digits")
    live = services.get_live(get_session(), live_id)
    count = count_viewer(live.id, viewer)
    return jsonify({"viewers": count})


def viewers_key(live_id: int) -> str:
    return f"zx:live:{live_id}:viewers"


def count_viewer(live_id: int, viewer: str | None = None) -> int:
    client: redis.Redis = current_app.extensions["redis"]
    key, now = viewers_key(live_id), time.time()
    pipe = client.pipeline()
    if viewer:
        pipe.zadd(key, {viewer: now})
    pipe.zremrangebyscore(key, 0, now - VIEWER_WINDOW)
    pipe.zcard(key)
    pipe.expire(key, 3600)
    try:
        return int(pipe.execute()[-2])
    except redis.RedisError:
        return 0
