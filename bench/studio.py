"""Studio control: command round trips, OBS changes reaching the page, "end" to a playable replay.

Run with the services up (./infra/svc up redis s3 elasticsearch xvfb obs), while no studio test
uses the same OBS:

    PYTHONPATH=. python bench/studio.py [--quick] [--commands 300] [--switches 100]
                                        [--class-seconds 600] [--redis-db 13]

``--quick`` is ``--commands 100 --switches 20 --class-seconds 30``.

It works in a private namespace (SQLite file, bucket and index prefixes, a Redis database it
finds empty) with two scenes of its own in the OBS that ./infra/svc runs (a moving test picture
with a tone, and a plain colour), a studio pointing at that OBS, an operator with an API token,
the studio hub (``StudioHub``) in this process, the application served by werkzeug in a thread
and a transcoder worker process on the ``long`` queue. It measures:

1. command round trips to OBS: a raw ``ObsLink.request("GetVersion")`` on a link of its own
   without events (the baseline), the same on a link subscribed to the events the hub's link
   takes (audio meters among them), and ``control.command(studio, "ping")`` through Redis and
   the hub; then a real action, ``control.command(studio, "scene", …)`` alternating the two
   scenes, against ``SetCurrentProgramScene`` sent directly; p50/p95, the time the hub itself
   spent (its reply's ``elapsed_ms``) and hub/direct ratios (target p95 < 50 ms);
2. an OBS change reaching the page: the program scene is switched directly on OBS (another
   link, not through the hub) and the time is taken until OBS's own
   ``CurrentProgramSceneChanged`` event reaches a link subscribed to it (the baseline), until
   the hub published a state with the new ``program_scene`` (its ``updated_at``), until that
   state arrives on the studio's Redis events channel and through the real server-sent-event
   endpoint ``GET /api/v1/studios/{id}/events`` (target p95 < 1 s); also how many states a
   second, and how large, each open page receives;
3. "end" to a playable replay: a recorded class of ``--class-seconds`` is taken through the API
   (schedule, go live), then "end" is posted and the time taken until the replay's version is
   READY (recording closed, ingest by the hub, transcode by the worker), as a ratio to the
   class's length and to the bare ladder command (the same ffmpeg run the pipeline issues) run
   on the same recording in this process (target < 1.5×).

Everything it made is removed at the end: scenes and inputs in OBS (the program scene is put
back), the recording, buckets, indexes, the Redis database and the SQLite file.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import queue
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask
from sqlalchemy import select
from werkzeug.serving import BaseWSGIServer, make_server

from repo_service import create_app
from repo_service.accounts.auth import issue_token
from repo_service.accounts.models import Role
from repo_service.accounts.services import create_user, ensure_network, find_organisation
from repo_service.config import load_config
from repo_service.db import aware
from repo_service.migrate import upgrade
from repo_service.processing.models import JobStep, ProcessingJob
from repo_service.resources.models import ProcessingStatus, ResourceVersion
from studio import channels, control
from studio.hub import StudioHub
from studio.models import LiveSession, ReplayStatus, Studio
from studio.obs import SUB_SCENES, ObsLink, ObsRequestFailed, ObsUnavailable
from studio.services import save_studio
from transcoder import encode
from transcoder.ladder import plan_ladder, plan_sprite
from transcoder.probe import probe

COLOURS = (0xFF3366CC, 0xFF33AA55)
SETTLE_SECONDS = 0.5  # between scene switches: longer than OBS's default fade


# --- figures ---------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def load() -> str:
    """The machine's load, printed beside each part: other work on the same cores shows."""
    one, five, _ = os.getloadavg()
    return f" [load {one:.1f}/{five:.1f} on {os.cpu_count()} cores]"


def timed(call: Callable[[], Any]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


class Table:
    """The figures gathered on the way, printed together at the end."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def latency(self, name: str, times: list[float], target: str = "", unit: str = "ms") -> None:
        p50, p95 = pct(times, 0.5), pct(times, 0.95)
        self.rows.append((name, f"{p50:8.1f} {unit}", f"{p95:8.1f} {unit}", target))
        print(f"  {name:<44} p50 {p50:8.1f} {unit}  p95 {p95:8.1f} {unit}  (n={len(times)})")

    def figure(self, name: str, value: str, target: str = "") -> None:
        self.rows.append((name, value, "", target))
        print(f"  {name:<44} {value}")

    def print(self) -> None:
        print()
        print(f"{'figure':<46} {'p50 / value':>14} {'p95':>12}   target")
        print("-" * 90)
        for name, first, second, target in self.rows:
            print(f"{name:<46} {first:>14} {second:>12}   {target}")


# --- OBS -------------------------------------------------------------------------------------


def obs_link(app: Flask, **kw: Any) -> ObsLink:
    cfg = app.config
    return ObsLink(cfg["OBS_HOST"], cfg["OBS_PORT"], cfg["OBS_PASSWORD"], **kw)


def make_scenes(obs: ObsLink, names: tuple[str, str]) -> list[str]:
    """Two scenes: a moving test picture with a tone (so the recording is not a still frame
    x264 compresses to nothing), and a plain colour. Returns the inputs made."""
    inputs = []
    for name, colour in zip(names, COLOURS, strict=True):
        obs.request("CreateScene", {"sceneName": name})
        inputs.append(f"{name}-背景")
        obs.request(
            "CreateInput",
            {
                "sceneName": name,
                "inputName": inputs[-1],
                "inputKind": "color_source_v3",
                "inputSettings": {"color": colour, "width": 1280, "height": 720},
                "sceneItemEnabled": True,
            },
        )
    for suffix, graph in (
        ("画面", "testsrc2=size=1280x720:rate=30"),
        ("声音", "sine=frequency=300:sample_rate=48000"),
    ):
        inputs.append(f"{names[0]}-{suffix}")
        obs.request(
            "CreateInput",
            {
                "sceneName": names[0],
                "inputName": inputs[-1],
                "inputKind": "ffmpeg_source",
                "inputSettings": {
                    "is_local_file": False,
                    "input": graph,
                    "input_format": "lavfi",
                    "looping": True,
                },
                "sceneItemEnabled": True,
            },
        )
    return inputs


def remove_scenes(obs: ObsLink, names: tuple[str, str], inputs: list[str], program: str) -> None:
    with contextlib.suppress(ObsRequestFailed, ObsUnavailable):
        if program:
            obs.set_program_scene(program)
    for name in names:
        with contextlib.suppress(ObsRequestFailed, ObsUnavailable):
            obs.request("RemoveScene", {"sceneName": name})
    time.sleep(0.5)  # a source still shown is released after the frame that showed it
    for name in inputs:
        with contextlib.suppress(ObsRequestFailed, ObsUnavailable):
            obs.request("RemoveInput", {"inputName": name})


# --- 1. command round trips -------------------------------------------------------------------


def round_trips(
    app: Flask,
    studio: Studio,
    direct: ObsLink,
    scenes: tuple[str, str],
    n: int,
    switches: int,
    table: Table,
) -> None:
    print(
        f"1. command round trips to OBS ({n} pings, {switches} scene switches each way, "
        f"the ways taking turns){load()}"
    )
    # A second direct link subscribed to the events the hub's link is (the audio meters among
    # them, 20 a second): it tells the hub's own costs from those of such a link.
    metered = obs_link(app, on_event=lambda _kind, _data: None)
    raw: list[float] = []
    raw_metered: list[float] = []
    ping: list[float] = []
    hub_side: list[float] = []
    try:
        with app.app_context():
            for _ in range(10):  # connections made, caches warm
                direct.version()
                metered.version()
                control.command(studio, "ping")

            def hub_ping() -> None:
                hub_side.append(control.timed_command(studio, "ping")[1] or 0.0)

            for i in range(n):
                ways = [(raw, direct.version), (raw_metered, metered.version), (ping, hub_ping)]
                for into, call in ways[i % 3 :] + ways[: i % 3]:
                    into.append(timed(call))
    finally:
        metered.close()
    with app.app_context():
        raw_scene: list[float] = []
        hub_scene: list[float] = []
        hub_scene_side: list[float] = []
        direct.set_program_scene(scenes[0])
        for i in range(2 * switches):
            # Each switch starts from a settled program (OBS's fade lasts 300 ms); each way
            # switches to either scene equally often.
            time.sleep(SETTLE_SECONDS)
            scene = scenes[(i + 1) % 2]

            def hub_switch(scene: str = scene) -> None:
                _answer, hub_ms = control.timed_command(studio, "scene", {"scene": scene})
                hub_scene_side.append(hub_ms or 0.0)

            if i % 4 in {0, 3}:
                raw_scene.append(timed(lambda scene=scene: direct.set_program_scene(scene)))
            else:
                hub_scene.append(timed(hub_switch))
    table.latency("direct GetVersion (baseline)", raw)
    table.latency("direct GetVersion, link with meter events", raw_metered)
    table.latency("hub ping", ping, "p95 < 50 ms")
    table.latency("  of which in the hub (OBS answer)", hub_side)
    table.latency("direct SetCurrentProgramScene", raw_scene)
    table.latency("hub scene switch", hub_scene, "p95 < 50 ms")
    table.latency("  of which in the hub", hub_scene_side)
    table.figure(
        "hub ping / direct GetVersion",
        f"p50 {pct(ping, 0.5) / pct(raw, 0.5):.1f}×, p95 {pct(ping, 0.95) / pct(raw, 0.95):.1f}×",
    )
    table.figure(
        "hub scene / direct scene",
        f"p50 {pct(hub_scene, 0.5) / pct(raw_scene, 0.5):.1f}×, "
        f"p95 {pct(hub_scene, 0.95) / pct(raw_scene, 0.95):.1f}×",
    )


# --- 2. OBS change -> page ----------------------------------------------------------------------


class Arrivals(threading.Thread):
    """States of one studio as they arrive, each with the wall time it arrived."""

    def __init__(self, name: str, source: Callable[[threading.Event], Iterator[dict[str, Any]]]):
        super().__init__(daemon=True, name=name)
        self.source = source
        self.states: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.stopping = threading.Event()
        self.error: BaseException | None = None
        self.count = 0
        self.bytes = 0

    def run(self) -> None:
        try:
            for state in self.source(self.stopping):
                self.count += 1
                self.bytes += int(state.pop("_bytes", 0))
                self.states.put((time.time(), state))
        except Exception as exc:  # noqa: BLE001 - reported by the waiting side
            if not self.stopping.is_set():
                self.error = exc

    def wait_for(self, scene: str, since: float, timeout: float = 10) -> tuple[float, float]:
        """(arrival, hub's updated_at) of the first state showing ``scene`` published after
        ``since``."""
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or self.error is not None:
                raise SystemExit(
                    f"{self.name}: no state with scene {scene} within {timeout:.0f} s "
                    f"(error: {self.error}; {len(seen)} states seen, the last showing "
                    f"{seen[-3:]})"
                )
            try:
                arrived, state = self.states.get(timeout=left)
            except queue.Empty:
                continue
            updated = float(state.get("updated_at") or 0)
            seen.append(f"{state.get('program_scene')} {updated - since:+.2f} s")
            if state.get("program_scene") == scene and updated >= since:
                return arrived, updated


def redis_states(url: str, studio_id: int) -> Callable[[threading.Event], Iterator[dict[str, Any]]]:
    def source(stopping: threading.Event) -> Iterator[dict[str, Any]]:
        client = redis.Redis.from_url(url, socket_timeout=10)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(channels.events_channel(studio_id))
        try:
            while not stopping.is_set():
                message = pubsub.get_message(timeout=0.5)
                if message is not None:
                    yield {**json.loads(message["data"]), "_bytes": len(message["data"])}
        finally:
            pubsub.close()
            client.close()

    return source


def obs_events(app: Flask) -> Callable[[threading.Event], Iterator[dict[str, Any]]]:
    """Program scene changes as OBS announces them on a link of its own (the baseline)."""

    def source(stopping: threading.Event) -> Iterator[dict[str, Any]]:
        events: queue.Queue[dict[str, Any]] = queue.Queue()

        def on_event(kind: str, data: dict[str, Any]) -> None:
            if kind == "CurrentProgramSceneChanged":
                events.put({"program_scene": data.get("sceneName"), "updated_at": time.time()})

        link = obs_link(app, on_event=on_event, subscriptions=SUB_SCENES)
        try:
            while not stopping.is_set():
                with contextlib.suppress(queue.Empty):
                    yield events.get(timeout=0.5)
        finally:
            link.close()

    return source


def sse_states(
    url: str, token: str, opened: list[requests.Response]
) -> Callable[[threading.Event], Iterator[dict[str, Any]]]:
    def source(stopping: threading.Event) -> Iterator[dict[str, Any]]:
        response = requests.get(
            url,
            headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"},
            stream=True,
            timeout=(5, 30),
        )
        response.raise_for_status()
        opened.append(response)
        event = ""
        for line in response.iter_lines(chunk_size=None):
            if stopping.is_set():
                break
            text = line.decode()
            if text.startswith("event:"):
                event = text[6:].strip()
            elif text.startswith("data:") and event == "state":
                yield json.loads(text[5:])

    return source


def change_to_page(
    app: Flask,
    studio_id: int,
    base: str,
    token: str,
    scenes: tuple[str, str],
    n: int,
    table: Table,
) -> None:
    print(f"2. OBS change -> page ({n} scene switches sent directly to OBS){load()}")
    opened: list[requests.Response] = []
    listeners = [
        Arrivals("obs", obs_events(app)),
        Arrivals("redis", redis_states(app.config["REDIS_URL"], studio_id)),
        Arrivals("sse", sse_states(f"{base}/api/v1/studios/{studio_id}/events", token, opened)),
    ]
    for listener in listeners:
        listener.start()
    switcher = obs_link(app, subscriptions=0)  # not the hub's link: OBS itself changes
    try:
        time.sleep(1.5)  # subscribed, first snapshots delivered
        counted = listeners[1].count, listeners[1].bytes, time.monotonic()
        current = switcher.scene_list()["currentProgramSceneName"]
        obs_times: list[float] = []
        hub_times: list[float] = []
        redis_times: list[float] = []
        sse_times: list[float] = []
        for i in range(n):
            scene = scenes[0] if current == scenes[1] else scenes[1]
            time.sleep(SETTLE_SECONDS + 0.1 * (i % 3))  # not in step with the hub's heartbeat
            sent = time.time()
            switcher.set_program_scene(scene)
            at_obs, _ = listeners[0].wait_for(scene, sent)
            at_redis, updated = listeners[1].wait_for(scene, sent)
            at_sse, _ = listeners[2].wait_for(scene, sent)
            obs_times.append((at_obs - sent) * 1000)
            hub_times.append((updated - sent) * 1000)
            redis_times.append((at_redis - sent) * 1000)
            sse_times.append((at_sse - sent) * 1000)
            current = scene
        states = listeners[1].count - counted[0]
        size = listeners[1].bytes - counted[1]
        rate = states / (time.monotonic() - counted[2])
    finally:
        for listener in listeners:
            listener.stopping.set()
        for response in opened:
            response.close()
        switcher.close()
    table.latency("OBS switch -> OBS event, direct (baseline)", obs_times)
    table.latency("OBS switch -> hub published", hub_times)
    table.latency("OBS switch -> Redis events channel", redis_times, "p95 < 1000 ms")
    table.latency("OBS switch -> SSE endpoint", sse_times, "p95 < 1000 ms")
    added = [s - o for s, o in zip(sse_times, obs_times, strict=True)]
    table.latency("  SSE minus direct OBS event (service)", added)
    table.figure(
        "states sent to each open page",
        f"{rate:.1f}/s, {size / max(1, states) / 1000:.1f} kB each",
    )
    table.figure(
        "SSE / direct OBS event",
        f"p50 {pct(sse_times, 0.5) / pct(obs_times, 0.5):.2f}×, "
        f"p95 {pct(sse_times, 0.95) / pct(obs_times, 0.95):.2f}×",
    )


# --- 3. end -> playable replay -------------------------------------------------------------------


def start_worker(app: Flask, env: dict[str, str], log: Path, name: str) -> subprocess.Popen[bytes]:
    """A transcoder worker on the long queue, as ./infra/svc runs the long pool (one slot; not
    niced, so it competes on equal terms with the baseline run in this process)."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "transcoder.worker", "worker"),
                *("-Q", "long", "-c", "1", "--prefetch-multiplier", "1", "-O", "fair"),
                *("--without-gossip", "--without-mingle", "--loglevel", "INFO"),
                *("--hostname", f"{name}@%h"),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the worker exited: see {log}")
        replies = app.extensions["celery"].control.ping(timeout=0.5)
        if any(name in worker for reply in replies for worker in reply):
            return proc
    stop_process(proc)
    raise SystemExit(f"no worker answered within 90 s: see {log}")


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def follow_replay(app: Flask, live_id: int, timeout: float) -> dict[str, float]:
    """Wall times at which the replay's version was seen processing and READY."""
    db = app.extensions["db"]
    marks: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.session() as session:
            live = session.get(LiveSession, live_id)
            assert live is not None
            if live.replay_status == ReplayStatus.FAILED:
                raise SystemExit(f"the ingest failed: {live.replay_error}")
            if live.replay_resource_id is not None:
                version = session.scalars(
                    select(ResourceVersion)
                    .where(ResourceVersion.resource_id == live.replay_resource_id)
                    .order_by(ResourceVersion.number.desc())
                ).first()
                assert version is not None
                now = time.time()
                marks["version_id"] = version.id
                if version.processing_status == ProcessingStatus.FAILED:
                    raise SystemExit(f"the transcode failed: {version.processing_error_en}")
                if version.processing_status == ProcessingStatus.PROCESSING:
                    marks.setdefault("processing", now)
                if version.processing_status == ProcessingStatus.READY:
                    marks["ready"] = now
                    return marks
        time.sleep(0.05)
    raise SystemExit(f"the replay was not ready within {timeout:.0f} s")


def end_to_replay(
    app: Flask,
    studio_id: int,
    base: str,
    token: str,
    seconds: int,
    table: Table,
    cleanup: list[Callable[[], None]],
) -> None:
    print(f"3. 'end' -> playable replay (a recorded class of {seconds} s){load()}")
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    now = dt.datetime.now(dt.UTC)
    created = http.post(
        f"{base}/api/v1/live-sessions",
        json={
            "title": "智能手机防诈骗（录播）",
            "studio_id": studio_id,
            "kind": "recorded",
            "teacher": "王老师",
            "category": "老年教育/智能技术",
            "audience": "老年人",
            "start": (now - dt.timedelta(minutes=1)).isoformat(),
            "end": (now + dt.timedelta(seconds=seconds + 1800)).isoformat(),
        },
        timeout=30,
    )
    assert created.status_code == 201, created.text
    live_id = created.json()["id"]
    gone = http.post(f"{base}/api/v1/live-sessions/{live_id}/go-live", timeout=30)
    assert gone.status_code == 200, gone.text
    began = time.monotonic()
    ended_ok = False

    def end_if_needed() -> None:
        if not ended_ok:  # never leave OBS recording
            with contextlib.suppress(requests.RequestException):
                http.post(f"{base}/api/v1/live-sessions/{live_id}/end", timeout=60)

    cleanup.append(end_if_needed)
    while (left := seconds - (time.monotonic() - began)) > 0:
        time.sleep(min(left, 60))
        if seconds > 120 and left > 60:
            print(f"  recording … {time.monotonic() - began:.0f} s", flush=True)
    ended_at = time.time()
    ended = http.post(f"{base}/api/v1/live-sessions/{live_id}/end", timeout=60)
    end_answered = time.time()
    assert ended.status_code == 200, ended.text
    ended_ok = True
    result = ended.json()["result"]
    path = Path(result["path"])
    cleanup.append(lambda: path.unlink(missing_ok=True))
    assert result["closed"] is True, result
    marks = follow_replay(app, live_id, timeout=max(600.0, seconds * 20.0))
    end_to_ready = marks["ready"] - ended_at
    print(f"  replay READY after {end_to_ready:.1f} s{load()}")
    with app.extensions["db"].session() as session:
        version = session.get(ResourceVersion, int(marks["version_id"]))
        assert version is not None
        assert version.processing_queued_at is not None
        queued = aware(version.processing_queued_at).timestamp()
        jobs = {
            j.step: j
            for j in session.scalars(
                select(ProcessingJob).where(ProcessingJob.version_id == version.id)
            )
        }
        ladder_job = jobs[JobStep.LADDER]
        assert ladder_job.started_at is not None
        assert ladder_job.finished_at is not None
        ladder_start = aware(ladder_job.started_at).timestamp()
        ladder_end = aware(ladder_job.finished_at).timestamp()
        master = version.master_key
    assert master is not None
    storage = app.extensions["storage"]
    storage.client.stat_object(storage.bucket("media"), master)  # the replay plays

    info = probe(path)
    out = Path(tempfile.mkdtemp(prefix="zx-bench-studio-ladder-"))
    try:
        rungs = plan_ladder(info.display_width, info.display_height)
        sprite = plan_sprite(info.duration, info.display_width, info.display_height)
        args = encode.ladder_args(path, out, info, rungs, sprite)
        start = time.perf_counter()
        encode.run(args, info.duration, lambda _p: None, timeout=24 * 3600)
        bare = time.perf_counter() - start
        print(f"  bare ladder on the same file: {bare:.1f} s{load()}")
    finally:
        shutil.rmtree(out, ignore_errors=True)

    size_mb = path.stat().st_size / 1e6
    print(
        f"  recording: {info.duration:.1f} s {info.display_width}x{info.display_height}, "
        f"{size_mb:.1f} MB; rungs {[r.name for r in rungs]}"
    )
    processing = marks.get("processing", ladder_start)
    steps = [
        ("end: stop recording, file closed", end_answered - ended_at),
        ("ingest: checksum, upload, version", queued - end_answered),
        ("queue: until the worker took it", processing - queued),
        ("worker: download, verify, probe", ladder_start - processing),
        ("worker: ladder (pipeline)", ladder_end - ladder_start),
        ("worker: poster, READY", marks["ready"] - ladder_end),
    ]
    for name, value in steps:
        table.figure(f"  {name}", f"{value:8.2f} s")
    table.figure("end -> replay READY", f"{end_to_ready:8.2f} s")
    table.figure("bare ladder, same file, in process", f"{bare:8.2f} s")
    table.figure(
        "ladder in the worker / bare ladder", f"{(ladder_end - ladder_start) / bare:8.2f}×"
    )
    table.figure(
        "(end -> READY) / class length",
        f"{end_to_ready / info.duration:8.3f}",
        f"class {info.duration:.0f} s",
    )
    table.figure("(end -> READY) / bare ladder", f"{end_to_ready / bare:8.2f}×", "< 1.5×")


# --- set-up --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: Callable[[], Any], seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(message)
        time.sleep(0.1)


def drop_namespace(app: Flask | None, tmp: Path) -> None:
    shutil.rmtree(tmp, ignore_errors=True)
    if app is None:
        return
    app.extensions["search"].drop_prefixed()
    storage = app.extensions["storage"]
    for role in ("originals", "media"):
        bucket = storage.bucket(role)
        if storage.client.bucket_exists(bucket):
            for obj in storage.client.list_objects(bucket, recursive=True):
                storage.client.remove_object(bucket, obj.object_name)
            storage.client.remove_bucket(bucket)
    app.extensions["redis"].flushdb()


def check_free(config: dict[str, Any], redis_url: str) -> str:
    """Refuse to start while another run uses the Redis database or OBS; OBS's program scene,
    to put back at the end."""
    client = redis.Redis.from_url(redis_url, socket_timeout=5)
    try:
        if client.dbsize():
            raise SystemExit(
                f"Redis database {redis_url} is in use (a test run or another benchmark): "
                "choose another with --redis-db"
            )
    finally:
        client.close()
    obs = ObsLink(config["OBS_HOST"], config["OBS_PORT"], config["OBS_PASSWORD"], subscriptions=0)
    try:
        if obs.record_status().get("outputActive") or obs.stream_status().get("outputActive"):
            raise SystemExit("OBS is recording or streaming: another run (a test?) is using it")
        return str(obs.scene_list()["currentProgramSceneName"])
    finally:
        obs.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="few samples and a 30 s class")
    parser.add_argument("--commands", type=int, default=300, help="pings of each kind")
    parser.add_argument(
        "--switches", type=int, default=100, help="scene switches of each kind, and watched"
    )
    parser.add_argument("--class-seconds", type=int, default=600, help="length of the class")
    parser.add_argument("--redis-db", type=int, default=13, help="an empty Redis database")
    args = parser.parse_args()
    if args.quick:
        args.commands, args.switches, args.class_seconds = 100, 20, 30

    config = load_config()
    redis_url = config["REDIS_URL"].rsplit("/", 1)[0] + f"/{args.redis_db}"
    program = check_free(config, redis_url)
    direct = ObsLink(
        config["OBS_HOST"], config["OBS_PORT"], config["OBS_PASSWORD"], subscriptions=0
    )
    run = secrets.token_hex(3)
    tmp = Path(tempfile.mkdtemp(prefix="zx-bench-studio-"))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ZX_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "ZX_SEARCH_INDEX_PREFIX": f"zxb-{run}-",
        "ZX_S3_BUCKET_PREFIX": f"zxb-{run}-",
        "ZX_REDIS_URL": redis_url,
        "ZX_SECRET_KEY": secrets.token_urlsafe(32),
    }
    os.environ.update({k: v for k, v in env.items() if k.startswith("ZX_")})
    table = Table()
    cleanup: list[Callable[[], None]] = []
    scenes = (f"zxb-{run}-讲课", f"zxb-{run}-课件")
    inputs: list[str] = []
    app: Flask | None = None
    hub: StudioHub | None = None
    server: BaseWSGIServer | None = None
    worker: subprocess.Popen[bytes] | None = None
    try:
        app = create_app()
        db = app.extensions["db"]
        inputs = make_scenes(direct, scenes)
        direct.set_program_scene(scenes[0])
        upgrade(db)
        with db.session() as session:
            ensure_network(session)
            operator = create_user(
                session,
                username=f"bench-{run}",
                password="bench-password",
                display_name="演播室操作员（基准）",
                organisation=find_organisation(session, "东山"),
                roles=[Role.OPERATOR],
            )
            _, token = issue_token(session, operator, "bench")
            studio = save_studio(
                session,
                app.config,
                {
                    "name": f"基准演播室 {run}",
                    "obs_host": app.config["OBS_HOST"],
                    "obs_port": app.config["OBS_PORT"],
                    "obs_password": app.config["OBS_PASSWORD"],
                    "operators": [operator.username],
                    "scene_lecture": scenes[0],
                    "scene_pip": scenes[1],
                    "scene_slides": scenes[1],
                    "scene_meeting": scenes[1],
                },
            )
            session.commit()
            studio_id = studio.id
            session.expunge(studio)
        hub = StudioHub(app).start()
        running = hub
        wait_until(
            lambda: studio_id in running.runners and running.runners[studio_id].state["connected"],
            20,
            "the hub did not connect to OBS",
        )
        print(f"OBS {running.runners[studio_id].state['obs_version']}, hub connected")

        round_trips(app, studio, direct, scenes, args.commands, args.switches, table)

        server = make_server("127.0.0.1", free_port(), app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        change_to_page(app, studio_id, base, token, scenes, args.switches, table)

        direct.set_program_scene(scenes[0])  # the class is recorded from the moving scene
        worker = start_worker(app, env, tmp / "worker.log", f"zxb-studio-{run}")
        end_to_replay(app, studio_id, base, token, args.class_seconds, table, cleanup)
        table.print()
    except BaseException:
        log = tmp / "worker.log"
        if log.is_file():  # the directory goes below: show why the worker failed, if it did
            print("worker log (last lines):", *log.read_text().splitlines()[-30:], sep="\n")
        raise
    finally:
        for undo in reversed(cleanup):
            undo()
        if worker is not None:
            stop_process(worker)
        if server is not None:
            server.shutdown()
        if hub is not None:
            hub.stop()
        remove_scenes(direct, scenes, inputs, program)
        direct.close()
        drop_namespace(app, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
