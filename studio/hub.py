"""The studio hub: the one process that holds each studio's OBS connection.

For each active studio a runner keeps one ``ObsLink`` open (reconnecting with backoff), reads the
whole state again after every reconnect, follows OBS's events, polls the figures OBS has no
events for (fps, CPU, dropped frames, bitrate, disk) once a second as a heartbeat, writes the
state to Redis and publishes each change. Commands queued by web processes are executed one at a
time per studio, in order, and answered on the reply list the command names. A command is never
repeated after a reconnect, and "start recording" is a no-op while OBS already records, so a
reconnect cannot start a second recording.

Run it with ``python -m studio.hub`` (``./infra/svc`` starts it as the ``studio`` service).
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import redis
from flask import Flask
from sqlalchemy import select

from studio import channels
from studio.obs import METER_SUBSCRIPTIONS, ObsLink, ObsRequestFailed, ObsUnavailable
from studio.vault import PasswordUnreadable, decrypt_password

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
METER_INTERVAL = 0.25  # audio levels are published at most four times a second
BACKOFF = (0.5, 1, 2, 4, 8)
CLOSE_WAIT_SECONDS = 30.0
STOPPED = "OBS_WEBSOCKET_OUTPUT_STOPPED"
STARTED = "OBS_WEBSOCKET_OUTPUT_STARTED"
PAUSED = "OBS_WEBSOCKET_OUTPUT_PAUSED"
RESUMED = "OBS_WEBSOCKET_OUTPUT_RESUMED"
RECONNECTING = "OBS_WEBSOCKET_OUTPUT_RECONNECTING"
RECONNECTED = "OBS_WEBSOCKET_OUTPUT_RECONNECTED"


class CommandError(Exception):
    def __init__(self, kind: str, message: str, *, code: int = 0, comment: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.code = code
        self.comment = comment


def empty_state(studio_id: int, name: str) -> dict[str, Any]:
    return {
        "studio_id": studio_id,
        "name": name,
        "connected": False,
        "error": "",
        "obs_version": "",
        "program_scene": "",
        "preview_scene": "",
        "studio_mode": False,
        "scenes": [],
        "streaming": {"active": False, "reconnecting": False, "duration_ms": 0, "kbps": 0},
        "recording": {"active": False, "paused": False, "duration_ms": 0, "path": ""},
        "virtualcam": {"active": False},
        "stats": {},
        "inputs": [],
        "seq": 0,
        "updated_at": 0.0,
    }


def level_db(peak: float) -> float:
    return round(20 * math.log10(peak), 1) if peak > 0 else -100.0


class StudioRunner:
    def __init__(self, hub: StudioHub, studio_id: int, name: str, conf: dict[str, Any]) -> None:
        self.hub = hub
        self.studio_id = studio_id
        self.name = name
        self.conf = conf
        self.state = empty_state(studio_id, name)
        self.link: ObsLink | None = None
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._lost = threading.Event()
        self._closed_paths: set[str] = set()
        self._closed_cv = threading.Condition(self._lock)
        self._last_meter = 0.0
        self._bytes: tuple[float, int] | None = None
        self.threads = [
            threading.Thread(target=self._connection_loop, name=f"studio-{studio_id}", daemon=True),
            threading.Thread(
                target=self._command_loop, name=f"studio-{studio_id}-cmd", daemon=True
            ),
        ]

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def stop(self, *, wait: bool = True) -> None:
        self._stop.set()
        self._lost.set()
        link = self.link
        if link is not None:
            link.close()
        if wait:
            self.join()

    def join(self) -> None:
        for t in self.threads:
            t.join(timeout=10)

    # state ----------------------------------------------------------------------------------

    def publish(self, **changes: Any) -> None:
        # Under the lock: the event reader, the poll and the side pool all publish, and a newer
        # state must never be overwritten in Redis by an older one.
        with self._lock:
            self.state.update(changes)
            self.state["seq"] += 1
            self.state["updated_at"] = time.time()
            payload = json.dumps(self.state, ensure_ascii=False)
            pipe = self.hub.redis.pipeline()
            pipe.set(channels.state_key(self.studio_id), payload, ex=channels.STATE_TTL)
            pipe.publish(channels.events_channel(self.studio_id), payload)
            try:
                pipe.execute()
            except redis.RedisError as exc:
                log.warning("could not publish studio %s state: %s", self.studio_id, exc)

    def _full_read(self, link: ObsLink) -> dict[str, Any]:
        version = link.version()
        scenes = link.scene_list()
        studio_mode = link.studio_mode()
        stream = link.stream_status()
        record = link.record_status()
        try:
            vcam = link.virtualcam_status()
        except ObsRequestFailed:
            vcam = False
        inputs = self._audio_inputs(link)
        return {
            "connected": True,
            "error": "",
            "obs_version": version.get("obsVersion", ""),
            "scenes": [s["sceneName"] for s in reversed(scenes.get("scenes", []))],
            "program_scene": scenes.get("currentProgramSceneName") or "",
            "preview_scene": (scenes.get("currentPreviewSceneName") or "") if studio_mode else "",
            "studio_mode": studio_mode,
            "streaming": self._stream_fields(stream),
            "recording": {
                "active": bool(record.get("outputActive")),
                "paused": bool(record.get("outputPaused")),
                "duration_ms": int(record.get("outputDuration") or 0),
                "path": self.state["recording"].get("path", ""),
            },
            "virtualcam": {"active": vcam},
            "stats": self._stats_fields(link.stats()),
            "inputs": inputs,
        }

    def _stream_fields(self, stream: dict[str, Any]) -> dict[str, Any]:
        now = time.monotonic()
        sent = int(stream.get("outputBytes") or 0)
        kbps = 0
        if stream.get("outputActive") and self._bytes is not None and now > self._bytes[0]:
            kbps = max(0, int((sent - self._bytes[1]) * 8 / 1000 / (now - self._bytes[0])))
        self._bytes = (now, sent) if stream.get("outputActive") else None
        return {
            "active": bool(stream.get("outputActive")),
            "reconnecting": bool(stream.get("outputReconnecting")),
            "duration_ms": int(stream.get("outputDuration") or 0),
            "kbps": kbps,
            "skipped_frames": int(stream.get("outputSkippedFrames") or 0),
            "total_frames": int(stream.get("outputTotalFrames") or 0),
        }

    @staticmethod
    def _stats_fields(stats: dict[str, Any]) -> dict[str, Any]:
        return {
            "fps": round(float(stats.get("activeFps") or 0), 1),
            "cpu": round(float(stats.get("cpuUsage") or 0), 1),
            "memory_mb": round(float(stats.get("memoryUsage") or 0)),
            "free_disk_mb": round(float(stats.get("availableDiskSpace") or 0)),
            "render_skipped": int(stats.get("renderSkippedFrames") or 0),
            "output_skipped": int(stats.get("outputSkippedFrames") or 0),
        }

    # connection -----------------------------------------------------------------------------

    def _connection_loop(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            try:
                password = decrypt_password(self.hub.app.config, self.conf["password_enc"])
            except PasswordUnreadable:
                self.publish(connected=False, error="password_unreadable")
                self._stop.wait(10)
                continue
            self._lost.clear()
            try:
                link = ObsLink(
                    self.conf["host"],
                    self.conf["port"],
                    password,
                    timeout=self.hub.timeout,
                    on_event=self._on_event,
                    on_close=self._lost.set,
                )
            except ObsUnavailable as exc:
                self.publish(connected=False, error="unreachable")
                log.info("studio %s: %s", self.studio_id, exc)
                self._stop.wait(BACKOFF[min(attempt, len(BACKOFF) - 1)])
                attempt += 1
                continue
            meters = self._open_meters(password)
            try:
                self.link = link
                self.publish(**self._full_read(link))
                attempt = 0
                # Recordings that closed while the hub was away become replays now.
                self.hub.after(lambda: self.hub.queue_waiting(self.studio_id))
                log.info("studio %s connected to OBS %s", self.studio_id, self.state["obs_version"])
                while not self._stop.is_set() and not self._lost.wait(POLL_SECONDS):
                    self._poll(link)
            except ObsUnavailable as exc:
                log.info("studio %s lost OBS: %s", self.studio_id, exc)
            except ObsRequestFailed as exc:
                log.warning("studio %s: OBS refused a state read: %s", self.studio_id, exc)
            finally:
                self.link = None
                link.close()
                if meters is not None:
                    meters.close()
            if not self._stop.is_set():
                self.publish(connected=False, error="disconnected")
                with self._closed_cv:
                    self._closed_cv.notify_all()
                self._stop.wait(BACKOFF[0])

    def _open_meters(self, password: str) -> ObsLink | None:
        """A second socket for the audio meters only; without it the page shows no levels."""
        try:
            return ObsLink(
                self.conf["host"],
                self.conf["port"],
                password,
                timeout=self.hub.timeout,
                on_event=self._on_event,
                subscriptions=METER_SUBSCRIPTIONS,
            )
        except ObsUnavailable as exc:
            log.info("studio %s: no audio meters: %s", self.studio_id, exc)
            return None

    def _poll(self, link: ObsLink) -> None:
        stats = self._stats_fields(link.stats())
        changes: dict[str, Any] = {"stats": stats}
        if self.state["streaming"]["active"]:
            changes["streaming"] = self._stream_fields(link.stream_status())
        if self.state["recording"]["active"]:
            record = link.record_status()
            changes["recording"] = {
                **self.state["recording"],
                "active": bool(record.get("outputActive")),
                "paused": bool(record.get("outputPaused")),
                "duration_ms": int(record.get("outputDuration") or 0),
            }
        self.publish(**changes)

    def _on_event(self, kind: str, data: dict[str, Any]) -> None:
        if kind in {"SceneListChanged", "SceneCreated", "SceneRemoved", "SceneNameChanged"}:
            self.hub.after(self._refresh_scenes)
        elif kind in {"InputCreated", "InputRemoved", "InputNameChanged"}:
            self.hub.after(self._refresh_inputs)
        else:
            handler = getattr(self, f"_on_{kind}", None)
            if handler is not None:
                handler(data)

    def _on_CurrentProgramSceneChanged(self, data: dict[str, Any]) -> None:  # noqa: N802
        self.publish(program_scene=data.get("sceneName", ""))

    def _on_CurrentPreviewSceneChanged(self, data: dict[str, Any]) -> None:  # noqa: N802
        self.publish(preview_scene=data.get("sceneName", ""))

    def _on_StudioModeStateChanged(self, data: dict[str, Any]) -> None:  # noqa: N802
        enabled = bool(data.get("studioModeEnabled"))
        self.publish(
            studio_mode=enabled, preview_scene=self.state["program_scene"] if enabled else ""
        )

    def _on_StreamStateChanged(self, data: dict[str, Any]) -> None:  # noqa: N802
        active = bool(data.get("outputActive"))
        self.publish(
            streaming={
                **self.state["streaming"],
                "active": active,
                "reconnecting": data.get("outputState") == RECONNECTING,
                **({} if active else {"duration_ms": 0, "kbps": 0}),
            }
        )

    def _on_RecordStateChanged(self, data: dict[str, Any]) -> None:  # noqa: N802
        output = data.get("outputState")
        path = data.get("outputPath") or ""
        recording = {**self.state["recording"], "active": bool(data.get("outputActive"))}
        recording["paused"] = output == PAUSED
        if path:
            recording["path"] = path
        self.publish(recording=recording)
        if output == STOPPED and path:
            with self._closed_cv:
                self._closed_paths.add(path)
                self._closed_cv.notify_all()
            self.hub.recording_closed(self.studio_id, path)

    def _on_VirtualcamStateChanged(self, data: dict[str, Any]) -> None:  # noqa: N802
        self.publish(virtualcam={"active": bool(data.get("outputActive"))})

    def _on_InputMuteStateChanged(self, data: dict[str, Any]) -> None:  # noqa: N802
        name, muted = data.get("inputName"), bool(data.get("inputMuted"))
        self.publish(
            inputs=[{**i, "muted": muted} if i["name"] == name else i for i in self.state["inputs"]]
        )

    def _on_InputVolumeMeters(self, data: dict[str, Any]) -> None:  # noqa: N802
        now = time.monotonic()
        if now - self._last_meter < METER_INTERVAL:
            return
        self._last_meter = now
        levels = {}
        for item in data.get("inputs", []):
            peaks = [channel[1] for channel in item.get("inputLevelsMul") or [] if channel]
            levels[item.get("inputName")] = level_db(max(peaks, default=0.0))
        self.publish(
            inputs=[{**i, "level_db": levels.get(i["name"], -100.0)} for i in self.state["inputs"]]
        )

    def _on_ExitStarted(self, _data: dict[str, Any]) -> None:  # noqa: N802
        self.publish(connected=False, error="obs_exiting")

    def _refresh_scenes(self) -> None:
        link = self.link
        if link is None:
            return
        with contextlib.suppress(ObsUnavailable, ObsRequestFailed):
            scenes = link.scene_list()
            self.publish(
                scenes=[s["sceneName"] for s in reversed(scenes.get("scenes", []))],
                program_scene=scenes.get("currentProgramSceneName") or "",
            )

    def _refresh_inputs(self) -> None:
        link = self.link
        if link is None:
            return
        with contextlib.suppress(ObsUnavailable, ObsRequestFailed):
            self.publish(inputs=self._audio_inputs(link))

    @staticmethod
    def _audio_inputs(link: ObsLink) -> list[dict[str, Any]]:
        """OBS's inputs that have sound (the ones with a mute state), levels unknown yet."""
        inputs = []
        for item in link.inputs():
            try:
                muted = link.input_muted(item["inputName"])
            except ObsRequestFailed:
                continue  # no audio: nothing to mute
            inputs.append(
                {
                    "name": item["inputName"],
                    "kind": item.get("inputKind", ""),
                    "muted": muted,
                    "level_db": -100.0,
                }
            )
        return inputs

    def wait_closed(self, path: str, timeout: float) -> bool:
        """True once OBS reported the recording ``path`` stopped (the file is complete)."""
        deadline = time.monotonic() + timeout
        with self._closed_cv:
            while path not in self._closed_paths:
                left = deadline - time.monotonic()
                if left <= 0 or self._stop.is_set():
                    return False
                self._closed_cv.wait(min(left, 1.0))
            return True

    def is_closed(self, path: str) -> bool:
        with self._lock:
            if path in self._closed_paths:
                return True
            # After a reconnect the event may have been missed: a file OBS no longer records to
            # is complete.
            return bool(
                self.state["connected"]
                and (
                    not self.state["recording"]["active"] or self.state["recording"]["path"] != path
                )
            )

    # commands -------------------------------------------------------------------------------

    def _command_loop(self) -> None:
        r = self.hub.redis_blocking
        key = channels.commands_key(self.studio_id)
        while not self._stop.is_set():
            try:
                item = r.blpop([key], timeout=1)
            except (redis.RedisError, ValueError, OSError) as exc:
                if self._stop.is_set():
                    break
                log.warning("studio %s: command queue unavailable: %s", self.studio_id, exc)
                self._stop.wait(1)
                continue
            if item is None:
                continue
            try:
                command = json.loads(item[1])
            except ValueError:
                continue
            if time.time() > float(command.get("expires", 0)):
                continue  # its requester gave up: doing it now would surprise everyone
            started = time.monotonic()
            try:
                result = {
                    "ok": True,
                    "result": self.execute(command["action"], command.get("params") or {}),
                }
            except CommandError as exc:
                result = {
                    "ok": False,
                    "kind": exc.kind,
                    "code": exc.code,
                    "comment": exc.comment,
                    "message": str(exc),
                }
            except ObsRequestFailed as exc:
                result = {
                    "ok": False,
                    "kind": "refused",
                    "code": exc.code,
                    "comment": exc.comment,
                    "request": exc.request,
                    "message": str(exc),
                }
            except ObsUnavailable as exc:
                result = {"ok": False, "kind": "unavailable", "message": str(exc)}
            except Exception as exc:
                log.exception("studio %s: command %s failed", self.studio_id, command.get("action"))
                result = {"ok": False, "kind": "error", "message": str(exc)}
            result["elapsed_ms"] = round((time.monotonic() - started) * 1000, 2)
            reply = channels.reply_key(command["reply"])
            with contextlib.suppress(redis.RedisError):
                pipe = self.hub.redis.pipeline()
                pipe.rpush(reply, json.dumps(result, ensure_ascii=False))
                pipe.expire(reply, 60)
                pipe.execute()

    def _link(self) -> ObsLink:
        link = self.link
        if link is None or not link.alive:
            raise CommandError("unavailable", f"studio {self.studio_id} is not connected to OBS")
        return link

    def execute(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        link = self._link()
        handler = self._handlers().get(action)
        if handler is None:
            raise CommandError("invalid", f"unknown action {action}")
        return handler(link, params)

    def _handlers(self) -> dict[str, Any]:
        def with_link(method: str) -> Any:
            return lambda link, _p: (getattr(link, method)(), {})[1]

        return {
            "ping": lambda link, _p: (link.version(), {})[1],
            "scene": lambda link, p: self._switch_scene(link, str(p["scene"])),
            "preview": lambda link, p: (link.set_preview_scene(str(p["scene"])), {})[1],
            "transition": with_link("transition"),
            "studio_mode": lambda link, p: (link.set_studio_mode(bool(p["enabled"])), {})[1],
            "stream_start": lambda link, _p: self._start_stream(link),
            "stream_stop": lambda link, _p: self._stop_output(link.stream_status, link.stop_stream),
            "record_start": lambda link, _p: self._start_record(link),
            "record_stop": lambda link, _p: self._stop_record(link),
            "record_pause": with_link("pause_record"),
            "record_resume": with_link("resume_record"),
            "mute": lambda link, p: (
                link.set_input_mute(str(p["input"]), bool(p["muted"])),
                {"input": p["input"], "muted": bool(p["muted"])},
            )[1],
            "virtualcam_start": lambda link, _p: self._start_virtualcam(link),
            "virtualcam_stop": lambda link, _p: self._stop_output(
                lambda: {"outputActive": link.virtualcam_status()}, link.stop_virtualcam
            ),
            "session_start": self._session_start,
            "session_stop": self._session_stop,
        }

    @staticmethod
    def _stop_output(status: Any, stop: Any) -> dict[str, Any]:
        if status().get("outputActive"):
            stop()
            return {}
        return {"already": True}

    @staticmethod
    def _start_virtualcam(link: ObsLink) -> dict[str, Any]:
        if link.virtualcam_status():
            return {"already": True}
        link.start_virtualcam()
        return {}

    def _switch_scene(self, link: ObsLink, scene: str) -> dict[str, Any]:
        if self.state["studio_mode"]:  # followed from OBS's events
            # Studio mode: the scene goes to preview first, then the transition takes it on air.
            link.set_preview_scene(scene)
            link.transition()
        else:
            link.set_program_scene(scene)
        return {"program": scene}

    def _start_stream(self, link: ObsLink) -> dict[str, Any]:
        if link.stream_status().get("outputActive"):
            return {"already": True}
        link.start_stream()
        return {}

    def _start_record(self, link: ObsLink) -> dict[str, Any]:
        status = link.record_status()
        if status.get("outputActive"):
            return {"already": True}
        link.start_record()
        return {}

    def _stop_record(self, link: ObsLink) -> dict[str, Any]:
        if not link.record_status().get("outputActive"):
            return {"already": True, "path": "", "closed": True}
        path = link.stop_record()
        closed = bool(path) and self.wait_closed(path, CLOSE_WAIT_SECONDS)
        # OBS reports the file closed a little before GetRecordStatus agrees; answering only
        # then keeps an immediate "start recording" from being taken for a running one.
        deadline = time.monotonic() + 3
        while link.record_status().get("outputActive") and time.monotonic() < deadline:
            time.sleep(0.05)
        return {"path": path, "closed": closed}

    def _session_start(self, link: ObsLink, params: dict[str, Any]) -> dict[str, Any]:
        done: dict[str, Any] = {}
        if params.get("stream"):
            if link.stream_status().get("outputActive"):
                raise CommandError(
                    "busy", "OBS is already streaming", code=500, comment="stream already active"
                )
            link.set_stream_target(str(params["server"]), str(params["key"]))
        if params.get("scene"):
            done["scene"] = self._switch_scene(link, str(params["scene"]))
        if params.get("stream"):
            link.start_stream()
            done["stream"] = True
        if params.get("record"):
            done["record"] = self._start_record(link)
        if params.get("virtualcam"):
            try:
                if not link.virtualcam_status():
                    link.start_virtualcam()
                done["virtualcam"] = True
            except ObsRequestFailed as exc:
                done["virtualcam"] = False
                done["virtualcam_error"] = {"code": exc.code, "comment": exc.comment}
        return done

    def _session_stop(self, link: ObsLink, params: dict[str, Any]) -> dict[str, Any]:
        done: dict[str, Any] = {}
        if params.get("stream") and link.stream_status().get("outputActive"):
            link.stop_stream()
            done["stream"] = True
        if params.get("virtualcam"):
            with contextlib.suppress(ObsRequestFailed):
                if link.virtualcam_status():
                    link.stop_virtualcam()
        if params.get("record"):
            done.update(self._stop_record(link))
        return done


class StudioHub:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.timeout = float(app.config["OBS_TIMEOUT"])
        url = app.config["REDIS_URL"]
        self.redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=3)
        # Blocking pops hold their connection for up to a second: a pool with a longer timeout.
        self.redis_blocking = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=3)
        self.runners: dict[int, StudioRunner] = {}
        self._stop = threading.Event()
        self._side = ThreadPoolExecutor(max_workers=2, thread_name_prefix="studio-hub")
        self._threads: list[threading.Thread] = []

    def after(self, fn: Any) -> None:
        """Run ``fn`` off the event thread (a request from inside an event would wait for the
        reader that has to deliver its answer). Once the hub is stopping, nothing new starts:
        a recording closed then is still waiting in the database, and the next start queues it
        (``queue_waiting``)."""
        if self._stop.is_set():
            return
        with contextlib.suppress(RuntimeError):  # the pool shut down in between
            self._side.submit(fn)

    def studios(self) -> dict[int, tuple[str, dict[str, Any]]]:
        from studio.models import Studio

        with self.app.extensions["db"].session() as session:
            rows = session.scalars(select(Studio).where(Studio.is_active.is_(True))).all()
            return {
                s.id: (
                    s.name,
                    {"host": s.obs_host, "port": s.obs_port, "password_enc": s.obs_password_enc},
                )
                for s in rows
            }

    def sync(self) -> None:
        if self._stop.is_set():
            return  # stopping: no runner may start now
        wanted = self.studios()
        for studio_id in list(self.runners):
            if studio_id not in wanted or wanted[studio_id][1] != self.runners[studio_id].conf:
                self.runners.pop(studio_id).stop()
                self.redis.delete(channels.state_key(studio_id))
        for studio_id, (name, conf) in wanted.items():
            runner = self.runners.get(studio_id)
            if runner is None:
                runner = StudioRunner(self, studio_id, name, conf)
                self.runners[studio_id] = runner
                runner.start()
            elif runner.name != name:
                runner.name = name
                runner.publish(name=name)

    def recording_closed(self, studio_id: int, path: str) -> None:
        self.after(lambda: self._queue_ingest_for(studio_id, path))

    def _queue_ingest_for(self, studio_id: int, path: str) -> None:
        from studio.models import LiveSession, ReplayStatus

        with self.app.extensions["db"].session() as session:
            live_id = session.scalar(
                select(LiveSession.id).where(
                    LiveSession.studio_id == studio_id,
                    LiveSession.recording_path == path,
                    LiveSession.replay_status == ReplayStatus.WAITING,
                )
            )
        if live_id is not None:
            self.redis.rpush(channels.INGEST, live_id)

    def queue_waiting(self, studio_id: int) -> None:
        from studio.models import LiveSession, ReplayStatus

        with self.app.extensions["db"].session() as session:
            waiting = session.scalars(
                select(LiveSession.id).where(
                    LiveSession.studio_id == studio_id,
                    LiveSession.replay_status == ReplayStatus.WAITING,
                )
            ).all()
        for live_id in waiting:
            self.redis.rpush(channels.INGEST, live_id)

    def _ingest_loop(self) -> None:
        from studio.ingest import ingest_recording

        while not self._stop.is_set():
            try:
                item = self.redis_blocking.blpop([channels.INGEST], timeout=1)
            except redis.RedisError:
                self._stop.wait(1)
                continue
            if item is None:
                continue
            live_id = int(item[1])
            try:
                ingest_recording(self.app, self, live_id)
            except Exception:
                log.exception("ingest of live session %s failed", live_id)

    def _alive_loop(self) -> None:
        pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(channels.RELOAD)
        last_sync = 0.0
        while not self._stop.is_set():
            with contextlib.suppress(redis.RedisError):
                self.redis.set(channels.HUB_ALIVE, str(time.time()), ex=channels.HUB_ALIVE_TTL)
            reload = False
            try:
                reload = pubsub.get_message(timeout=1.0) is not None
            except redis.RedisError:
                self._stop.wait(1)
            if reload or time.monotonic() - last_sync > 10:
                try:
                    self.sync()
                except Exception:
                    log.exception("could not read the studios")
                last_sync = time.monotonic()
        with contextlib.suppress(redis.RedisError):
            pubsub.close()

    def start(self) -> StudioHub:
        self.sync()
        for target in (self._alive_loop, self._ingest_loop):
            t = threading.Thread(target=target, name=target.__name__, daemon=True)
            t.start()
            self._threads.append(t)
        with contextlib.suppress(redis.RedisError):
            self.redis.set(channels.HUB_ALIVE, str(time.time()), ex=channels.HUB_ALIVE_TTL)
        return self

    def stop(self) -> None:
        self._stop.set()
        # The loop that reads the studios ends first, so that no runner starts after these.
        for t in self._threads:
            t.join(timeout=5)
        runners = list(self.runners.values())
        for runner in runners:
            runner.stop(wait=False)
        for runner in runners:
            runner.join()
        self.runners.clear()
        self._side.shutdown(wait=True, cancel_futures=True)
        with contextlib.suppress(redis.RedisError):
            self.redis.delete(channels.HUB_ALIVE)
        self.redis.close()
        self.redis_blocking.close()


def main() -> None:
    from repo_service.app import create_core_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = create_core_app()
    hub = StudioHub(app).start()
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    log.info("studio hub ready.")
    while not stopping.wait(1):
        pass
    hub.stop()


if __name__ == "__main__":
    main()
