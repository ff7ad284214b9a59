"""Real nginx-rtmp, a studio pointing at the OBS that ./infra/svc runs, and the studio hub.

Loaded once for the whole run (``pytest_plugins`` in tests/conftest.py), so the studio tests
and the browser tests share one hub and one nginx."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from infra.svc import nginx_argv, render_nginx_conf
from repo_service.accounts.models import Role, User
from studio.demo import prepare_scenes
from studio.hub import StudioHub
from studio.models import Studio
from studio.services import save_studio
from tests.conftest import free_port
from tests.factories import make_user

SECRET = "test-callback-secret"
SCENES = {"lecture": "讲课", "pip": "画中画", "slides": "课件全屏", "meeting": "会议"}


@pytest.fixture(scope="session")
def nginx_dir() -> Iterator[Path]:
    # nginx workers run as nobody: their directory must be reachable, unlike pytest's tmp.
    path = Path(tempfile.mkdtemp(prefix="zx-nginx-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def nginx_rtmp(app: Flask, live_server: str, nginx_dir: Path) -> Iterator[dict[str, int]]:
    app.config["RTMP_CALLBACK_SECRET"] = SECRET
    ports = {"rtmp": free_port(), "hls": free_port()}
    conf = render_nginx_conf(
        nginx_dir,
        rtmp_port=ports["rtmp"],
        hls_port=ports["hls"],
        callback_url=live_server,
        callback_secret=SECRET,
    )
    app.config["LIVE_HLS_URL"] = f"http://127.0.0.1:{ports['hls']}/hls"
    log = (nginx_dir / "logs" / "stdout.log").open("wb")
    proc = subprocess.Popen(nginx_argv(conf), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", ports["rtmp"]), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nginx did not start: see {nginx_dir / 'logs'}", pytrace=False)
            time.sleep(0.2)
    yield ports
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def publish_cmd(port: int, key: str, seconds: int) -> list[str]:
    return [
        shutil.which("ffmpeg") or "ffmpeg",
        "-hide_banner",
        "-loglevel",
        "error",
        "-re",
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=size=640x360:rate=25:duration={seconds}",
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=440:duration={seconds}",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-g",
        "50",
        "-c:a",
        "aac",
        "-f",
        "flv",
        f"rtmp://127.0.0.1:{port}/live/{key}",
    ]


def prepare_obs_scenes(obs: Any) -> None:
    """The scenes a studio uses, each with a coloured background and a test tone; nothing
    streaming or recording (an interrupted earlier run may have left OBS on air)."""
    from studio.obs import ObsRequestFailed

    for status, stop in (("GetStreamStatus", "StopStream"), ("GetRecordStatus", "StopRecord")):
        if obs.request(status)["outputActive"]:
            obs.request(stop)
            deadline = time.monotonic() + 10
            while obs.request(status)["outputActive"] and time.monotonic() < deadline:
                time.sleep(0.2)

    assert prepare_scenes(obs), "OBS did not take the studio's scenes"
    inputs = {i["inputName"] for i in obs.request("GetInputList")["inputs"]}
    if "讲台话筒" not in inputs:
        with contextlib.suppress(ObsRequestFailed):
            obs.request(
                "CreateInput",
                {
                    "sceneName": SCENES["lecture"],
                    "inputName": "讲台话筒",
                    "inputKind": "ffmpeg_source",
                    "inputSettings": {
                        "is_local_file": False,
                        "input": "anullsrc",
                        "input_format": "lavfi",
                        "looping": True,
                    },
                    "sceneItemEnabled": True,
                },
            )
    obs.request("SetCurrentProgramScene", {"sceneName": SCENES["lecture"]})


def add_studio(
    app: Flask, name: str, host: str, port: int, password: str, rtmp_url: str, operators: list[User]
) -> int:
    with app.extensions["db"].session() as session:
        studio = save_studio(
            session,
            app.config,
            {
                "name": name,
                "location": "区社区学院 3 楼",
                "obs_host": host,
                "obs_port": port,
                "obs_password": password,
                "rtmp_url": rtmp_url,
                "operators": [u.username for u in operators],
                **{f"scene_{role}": scene for role, scene in SCENES.items()},
            },
        )
        session.commit()
        return studio.id


@pytest.fixture(scope="session")
def operator(app: Flask) -> User:
    return make_user(app, Role.OPERATOR, street="东山", display_name="演播室操作员甲")


@pytest.fixture(scope="session")
def studio_id(app: Flask, operator: User, nginx_rtmp: dict[str, int]) -> int:
    prepare_obs_scenes(app.extensions["obs"])
    cfg = app.config
    return add_studio(
        app,
        "一号演播室",
        cfg["OBS_HOST"],
        cfg["OBS_PORT"],
        cfg["OBS_PASSWORD"],
        f"rtmp://127.0.0.1:{nginx_rtmp['rtmp']}/live",
        [operator],
    )


@pytest.fixture(scope="session")
def hub(app: Flask, studio_id: int) -> Iterator[StudioHub]:
    running = StudioHub(app).start()
    wait_for(
        lambda: running.runners.get(studio_id) and running.runners[studio_id].state["connected"],
        20,
        "the hub did not connect to OBS",
    )
    yield running
    running.stop()


def wait_for(check: Any, seconds: float, message: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(message, pytrace=False)


def studio_row(app: Flask, studio_id: int) -> Studio:
    with app.extensions["db"].session() as session:
        studio = session.get(Studio, studio_id)
        assert studio is not None
        session.expunge(studio)
        return studio
