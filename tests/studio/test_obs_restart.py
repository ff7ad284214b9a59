"""A second, private OBS Studio: driven like the services' one, then killed and restarted."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from infra.svc import OBS_GLOBAL_INI, OBS_PROFILE_INI, _obs_env
from repo_service.accounts.models import User
from studio.hub import StudioHub
from studio.models import Studio
from studio.obs import ObsConnection
from tests.conftest import free_port
from tests.factories import Client
from tests.studio.conftest import SCENES, add_studio, prepare_obs_scenes, wait_for

pytestmark = pytest.mark.integration

HOST = "127.0.0.1"
START_SECONDS = 90
OBS_ARGV = ["obs", "--multi", "--minimize-to-tray", "--disable-shutdown-check"]


class PrivateObs:
    """An OBS of its own: throw-away HOME, port, password and recordings directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.recordings = root / "recordings"
        self.port = free_port()
        self.password = secrets.token_urlsafe(18)
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        conf = self.home / ".config" / "obs-studio"
        (conf / "basic" / "profiles" / "Zhixue").mkdir(parents=True)
        (conf / "basic" / "scenes").mkdir(parents=True)
        self.recordings.mkdir()
        (conf / "global.ini").write_text(
            OBS_GLOBAL_INI.format(port=self.port, password=self.password)
        )
        (conf / "basic" / "profiles" / "Zhixue" / "basic.ini").write_text(
            OBS_PROFILE_INI.format(recordings=self.recordings)
        )

    @property
    def log(self) -> Path:
        return self.root / f"obs-{self.starts}.log"

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None, "OBS is already running"
        self.starts += 1
        env = {**os.environ, **_obs_env(), "HOME": str(self.home)}
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                OBS_ARGV,
                cwd=self.home,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, with obs-ffmpeg-mux
            )
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                socket.create_connection((HOST, self.port), timeout=1).close()
                return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                code = self.proc.poll()
                self.kill()
                tail = self.log.read_text(errors="replace")[-2000:]
                pytest.fail(
                    f"the private OBS did not open port {self.port} within {START_SECONDS} s "
                    f"(exit code {code}); its log ends:\n{tail}",
                    pytrace=False,
                )
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL to the whole group: no clean shutdown, no chance to finish a recording."""
        proc = self.proc
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)

    def connect(self) -> ObsConnection:
        return ObsConnection(HOST, self.port, self.password, timeout=5)

    def record_status(self) -> dict[str, Any]:
        obs = self.connect()
        try:
            return obs.request("GetRecordStatus")
        finally:
            obs.close()

    def recording_files(self) -> list[Path]:
        return sorted(p for p in self.recordings.iterdir() if p.is_file())


@pytest.fixture(scope="module")
def private_obs() -> Iterator[PrivateObs]:
    root = Path(tempfile.mkdtemp(prefix="zx-obs-private-"))
    obs = PrivateObs(root)
    try:
        obs.start()
        yield obs
    finally:
        obs.kill()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def private_studio(
    app: Flask, hub: StudioHub, operator: User, private_obs: PrivateObs
) -> Iterator[int]:
    """A studio pointing at the private OBS, with the studio's scenes created in it."""
    obs = private_obs.connect()
    try:
        prepare_obs_scenes(obs)
    finally:
        obs.close()
    studio = add_studio(
        app,
        "私有 OBS 演播室",
        HOST,
        private_obs.port,
        private_obs.password,
        "rtmp://127.0.0.1:1935/live",
        [operator],
    )
    hub.sync()
    yield studio
    with app.extensions["db"].session() as session:
        row = session.get(Studio, studio)
        assert row is not None
        row.is_active = False
        session.commit()
    hub.sync()


def state(client: Client, studio_id: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/studios/{studio_id}/state")
    assert response.status_code == 200, response.json
    body: dict[str, Any] = response.json
    return body


def act(client: Client, studio_id: int, **body: Any) -> Any:
    response = client.post(f"/api/v1/studios/{studio_id}/actions", json=body)
    assert response.status_code == 200, (body, response.json)
    return response.json["result"]


def program_scene(private_obs: PrivateObs) -> str:
    obs = private_obs.connect()
    try:
        return str(obs.request("GetCurrentProgramScene")["currentProgramSceneName"])
    finally:
        obs.close()


class EventReader:
    """Reads the studio's server-sent events through the test client in a thread."""

    def __init__(self, client: Client, studio_id: int) -> None:
        self.url = f"/api/v1/studios/{studio_id}/events"
        self.client = client
        self.events: list[tuple[float, dict[str, Any]]] = []
        self.status = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sse-reader", daemon=True)

    def __enter__(self) -> EventReader:
        self._thread.start()
        wait_for(lambda: self.events, 10, "the event stream sent no first state")
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        response = self.client.get(self.url, buffered=False)
        self.status = response.status_code
        buffer = ""
        try:
            for chunk in response.response:
                buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
                while "\n\n" in buffer:
                    block, buffer = buffer.split("\n\n", 1)
                    for line in block.splitlines():
                        if line.startswith("data:"):
                            self.events.append((time.monotonic(), json.loads(line[5:])))
                if self._stop.is_set():
                    break
        finally:
            response.close()

    def since(self, moment: float) -> list[tuple[float, dict[str, Any]]]:
        return [(t, e) for t, e in list(self.events) if t >= moment]


def test_an_obs_started_outside_the_services_is_driven_the_same_way(
    app: Flask, hub: StudioHub, operator: User, private_obs: PrivateObs, private_studio: int
) -> None:
    client = Client(app, operator)
    wait_for(
        lambda: state(client, private_studio)["connected"],
        20,
        "the hub did not connect to the private OBS",
    )
    s = state(client, private_studio)
    assert set(SCENES.values()) <= set(s["scenes"])
    assert s["program_scene"] == SCENES["lecture"]
    # The services' OBS is a different process: switching here must not touch it.
    services_scene = app.extensions["obs"].request("GetCurrentProgramScene")[
        "currentProgramSceneName"
    ]
    target = "slides" if services_scene != SCENES["slides"] else "pip"
    result = act(client, private_studio, action="scene", scene=target)
    assert result["program"] == SCENES[target]
    assert program_scene(private_obs) == SCENES[target]
    wait_for(
        lambda: state(client, private_studio)["program_scene"] == SCENES[target],
        2,
        "the private OBS's scene change did not come back as state",
    )
    assert (
        app.extensions["obs"].request("GetCurrentProgramScene")["currentProgramSceneName"]
        == services_scene
    )
    act(client, private_studio, action="scene", scene="lecture")
    assert program_scene(private_obs) == SCENES["lecture"]


def test_obs_killed_mid_session_shows_disconnected_and_comes_back_without_a_second_recording(
    app: Flask, hub: StudioHub, operator: User, private_obs: PrivateObs, private_studio: int
) -> None:
    client = Client(app, operator)
    wait_for(
        lambda: state(client, private_studio)["connected"],
        20,
        "the hub is not connected to the private OBS",
    )
    assert private_obs.record_status()["outputActive"] is False
    before = set(private_obs.recording_files())

    assert "already" not in act(client, private_studio, action="record_start")
    wait_for(
        lambda: state(client, private_studio)["recording"]["active"],
        10,
        "the recording did not show as active",
    )
    assert private_obs.record_status()["outputActive"] is True
    killed_recording = wait_for(
        lambda: set(private_obs.recording_files()) - before,
        5,
        "OBS wrote no recording file",
    )
    assert len(killed_recording) == 1

    with EventReader(Client(app, operator), private_studio) as events:
        assert events.status == 200
        assert events.events[0][1]["connected"] is True

        killed_at = time.monotonic()
        private_obs.kill()
        wait_for(
            lambda: state(client, private_studio)["connected"] is False,
            5,
            "the state did not show OBS disconnected within 5 s of the kill",
        )
        down = state(client, private_studio)
        assert down["error"] in {"disconnected", "unreachable"}
        wait_for(
            lambda: any(e["connected"] is False for _, e in events.since(killed_at)),
            5,
            "no server-sent event said OBS was disconnected within 5 s of the kill",
        )
        first_down = next(t for t, e in events.since(killed_at) if e["connected"] is False)
        assert first_down - killed_at < 5
        # Reconnect attempts against the dead port keep the studio disconnected.
        time.sleep(2)
        assert state(client, private_studio)["connected"] is False

        restarted_at = time.monotonic()
        private_obs.start()
        wait_for(
            lambda: state(client, private_studio)["connected"],
            60,
            "the hub did not reconnect within 60 s of restarting OBS",
        )
        wait_for(
            lambda: any(e["connected"] is True for _, e in events.since(restarted_at)),
            5,
            "no server-sent event said OBS was connected again",
        )

    # OBS lost the recording with its process, and the hub did not start another one.
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        assert private_obs.record_status()["outputActive"] is False
        assert state(client, private_studio)["recording"]["active"] is False
        time.sleep(0.3)
    assert set(private_obs.recording_files()) - before == killed_recording

    assert "already" not in act(client, private_studio, action="record_start")
    wait_for(
        lambda: state(client, private_studio)["recording"]["active"],
        10,
        "the new recording did not show as active",
    )
    assert private_obs.record_status()["outputActive"] is True
    assert act(client, private_studio, action="record_start")["already"] is True
    stopped = act(client, private_studio, action="record_stop", confirm=True)
    assert stopped["closed"] is True
    new_recording = set(private_obs.recording_files()) - before - killed_recording
    assert {p.name for p in new_recording} == {Path(stopped["path"]).name}
    assert Path(stopped["path"]).stat().st_size > 0
    # OBS's own status lags its RecordStateChanged(STOPPED) event by up to ~100 ms.
    wait_for(
        lambda: private_obs.record_status()["outputActive"] is False,
        5,
        "OBS still reports the stopped recording as active",
    )
    wait_for(
        lambda: state(client, private_studio)["recording"]["active"] is False,
        5,
        "the stopped recording still shows as active",
    )
