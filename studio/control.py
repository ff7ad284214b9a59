"""The web side of studio control: read a studio's state, queue a command to the hub and wait
for its own answer, and turn OBS's refusals into words an operator understands."""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from typing import Any

import redis
from flask import Flask, current_app

from repo_service.errors import Conflict, ServiceUnavailable
from studio import channels
from studio.models import Studio


class StudioUnavailable(ServiceUnavailable):
    code = "studio_unavailable"


class ObsRefused(Conflict):
    code = "obs_refused"


# What OBS's request status codes mean to an operator (obs-websocket 5 RequestStatus).
OBS_REASONS: dict[int, tuple[str, str]] = {
    207: ("OBS 还在启动，请稍候再试", "OBS is still starting; try again in a moment"),
    500: ("OBS 的这项输出已经在进行中", "That OBS output is already running"),
    501: ("OBS 的这项输出没有在进行", "That OBS output is not running"),
    502: ("录制已经暂停", "The recording is already paused"),
    503: ("录制没有暂停", "The recording is not paused"),
    504: ("OBS 中这项输出未启用", "That output is disabled in OBS"),
    505: ("OBS 已处于工作室模式", "OBS is already in studio mode"),
    506: (
        "OBS 没有开启工作室模式，不能使用预览和过渡",
        "OBS is not in studio mode: preview and transition need it",
    ),
    600: (
        "OBS 中找不到这个场景或来源，请核对演播室设置中的场景名称",
        "OBS has no scene or source of that name; check the studio's scene names",
    ),
    601: ("OBS 中已有同名的场景或来源", "OBS already has a scene or source of that name"),
    604: ("OBS 当前不能执行这项操作", "OBS cannot do that in its present state"),
    702: ("OBS 执行这项操作时出错", "OBS failed while doing that"),
    703: ("OBS 当前不能执行这项操作", "OBS cannot do that right now"),
}

VIRTUALCAM_MISSING = (
    "演播室电脑上没有可用的虚拟摄像头设备，OBS 无法启动虚拟摄像头。"
    "Linux 电脑需要安装并加载 v4l2loopback 内核模块"
    "（sudo apt install v4l2loopback-dkms；sudo modprobe v4l2loopback exclusive_caps=1），"
    "Windows 和 macOS 需在 OBS 中手动点一次“启动虚拟摄像机”完成安装。"
    "装好后重启 OBS，再在会议软件里选择“OBS Virtual Camera”作为摄像头。",
    "The studio PC has no virtual-camera device, so OBS cannot start its virtual camera. "
    "On Linux install and load the v4l2loopback kernel module (apt install v4l2loopback-dkms; "
    "modprobe v4l2loopback exclusive_caps=1); on Windows and macOS start the virtual camera "
    "once from OBS itself to install it. Then restart OBS and choose 'OBS Virtual Camera' as "
    "the camera in the meeting software.",
)


def _redis() -> redis.Redis:
    """A client whose socket waits longer than the longest command (blocking reply pops)."""
    app: Flask = current_app
    client = app.extensions.get("studio_redis")
    if client is None:
        client = redis.Redis.from_url(
            app.config["REDIS_URL"], socket_timeout=120, socket_connect_timeout=3
        )
        app.extensions["studio_redis"] = client
    return client


def hub_alive() -> bool:
    try:
        return bool(_redis().exists(channels.HUB_ALIVE))
    except redis.RedisError:
        return False


def read_state(studio: Studio) -> dict[str, Any]:
    """The hub's latest snapshot of ``studio`` (no request goes to OBS)."""
    from studio.hub import empty_state

    try:
        raw = _redis().get(channels.state_key(studio.id))
    except redis.RedisError:
        raw = None
    if raw is not None:
        state: dict[str, Any] = json.loads(raw)
        if time.time() - float(state.get("updated_at") or 0) > channels.HUB_ALIVE_TTL:
            state.update(connected=False, error="hub_down")
    else:
        state = empty_state(studio.id, studio.name)
        state["error"] = "connecting" if hub_alive() else "hub_down"
    state["name"] = studio.name
    return state


def unavailable(studio: Studio, detail: str = "") -> StudioUnavailable:
    return StudioUnavailable(
        f"演播室「{studio.name}」的 OBS 现在连接不上，请确认演播室电脑上的 OBS 已打开、网络畅通"
        + (f"（{detail}）" if detail else ""),
        f"Studio '{studio.name}': OBS cannot be reached; check that OBS is running on the "
        "studio PC and the network is up" + (f" ({detail})" if detail else ""),
        studio=studio.id,
    )


def refused(studio: Studio, code: int, comment: str, action: str) -> ObsRefused:
    if code == 604 and action.startswith(("virtualcam", "session")):
        zh, en = VIRTUALCAM_MISSING
    else:
        zh, en = OBS_REASONS.get(code, ("OBS 拒绝了这项操作", "OBS refused the request"))
    return ObsRefused(
        f"演播室「{studio.name}」：{zh}",
        f"Studio '{studio.name}': {en}" + (f" — OBS said: {comment}" if comment else ""),
        studio=studio.id,
        obs_code=code,
        obs_comment=comment,
    )


def command(
    studio: Studio, action: str, params: dict[str, Any] | None = None, *, timeout: float = 10.0
) -> dict[str, Any]:
    """Queue ``action`` for ``studio`` and wait for its answer; OBS's refusal raises
    ``ObsRefused`` (409), an unreachable OBS or hub ``StudioUnavailable`` (503)."""
    return timed_command(studio, action, params, timeout=timeout)[0]


def timed_command(
    studio: Studio, action: str, params: dict[str, Any] | None = None, *, timeout: float = 10.0
) -> tuple[dict[str, Any], float | None]:
    """``command``, with the milliseconds the hub spent on it with OBS (None if it did not
    say)."""
    token = secrets.token_urlsafe(18)
    message = {
        "action": action,
        "params": params or {},
        "reply": token,
        "expires": time.time() + timeout,
    }
    client = _redis()
    try:
        if not client.exists(channels.HUB_ALIVE):
            raise StudioUnavailable(
                "演播室控制服务没有运行，请联系管理员启动（./infra/svc up studio）",
                "The studio control service is not running; ask an administrator to start it "
                "(./infra/svc up studio)",
                studio=studio.id,
            )
        client.rpush(channels.commands_key(studio.id), json.dumps(message, ensure_ascii=False))
        item = client.blpop([channels.reply_key(token)], timeout=max(1, round(timeout)))
    except redis.RedisError as exc:
        raise StudioUnavailable(
            "消息服务暂时不可用，请稍后再试", f"The message broker is unavailable: {exc}"
        ) from exc
    if item is None:
        raise unavailable(studio, f"OBS 在 {timeout:.0f} 秒内没有应答")
    reply: dict[str, Any] = json.loads(item[1])
    if reply.get("ok"):
        result: dict[str, Any] = reply.get("result") or {}
        elapsed = reply.get("elapsed_ms")
        return result, float(elapsed) if isinstance(elapsed, int | float) else None
    kind = reply.get("kind")
    if kind in {"refused", "busy"}:
        raise refused(studio, int(reply.get("code") or 0), str(reply.get("comment") or ""), action)
    if kind == "invalid":
        raise ObsRefused("不支持的操作", f"Unsupported action: {reply.get('message')}")
    raise unavailable(studio)


def notify_studios_changed() -> None:
    with contextlib.suppress(redis.RedisError):  # the hub re-reads the studios every 10 s anyway
        _redis().publish(channels.RELOAD, "1")


def queue_ingest(live_id: int) -> None:
    """Ask the hub to turn a closed recording into the replay (after the commit)."""
    with contextlib.suppress(redis.RedisError):  # the hub queues it when OBS reports it closed
        _redis().rpush(channels.INGEST, live_id)
