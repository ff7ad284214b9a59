"""OBS Studio (under Xvfb) driven through the managed connection."""

from __future__ import annotations

import json
import secrets
import subprocess
import time
from pathlib import Path

import pytest
from flask import Flask

from studio.obs import ObsConnection, ObsRequestFailed, ObsUnavailable

pytestmark = pytest.mark.integration


def test_version_reports_obs_and_websocket(app: Flask) -> None:
    info = app.extensions["obs"].version()
    assert info["obsVersion"].split(".")[0].isdigit()
    assert info["obsWebSocketVersion"].startswith("5.")
    assert info["rpcVersion"] == 1


def test_create_a_scene_with_a_chinese_name_and_switch_to_it(app: Flask) -> None:
    obs = app.extensions["obs"]
    name = f"直播课堂-{secrets.token_hex(3)}"
    obs.request("CreateScene", {"sceneName": name})
    obs.request(
        "CreateInput",
        {
            "sceneName": name,
            "inputName": f"背景-{name}",
            "inputKind": "color_source_v3",
            "inputSettings": {"color": 4278190335, "width": 1280, "height": 720},
            "sceneItemEnabled": True,
        },
    )
    obs.request("SetCurrentProgramScene", {"sceneName": name})
    scenes = obs.request("GetSceneList")
    assert name in [s["sceneName"] for s in scenes["scenes"]]
    assert scenes["currentProgramSceneName"] == name
    with pytest.raises(ObsRequestFailed) as failed:
        obs.request("CreateScene", {"sceneName": name})
    assert failed.value.code == 601  # ResourceAlreadyExists


def test_three_second_recording_produces_a_playable_file(app: Flask) -> None:
    obs = app.extensions["obs"]
    if obs.request("GetRecordStatus")["outputActive"]:
        obs.request("StopRecord")
        time.sleep(2)
    obs.request("StartRecord")
    time.sleep(3)
    path = Path(obs.request("StopRecord")["outputPath"])
    # StopRecord answers before the file is finalised: wait until OBS says it stopped.
    deadline = time.monotonic() + 20
    while obs.request("GetRecordStatus")["outputActive"] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert path.is_file()
    probe = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "format=duration:stream=codec_type",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    info = json.loads(probe.stdout)
    assert "video" in {s["codec_type"] for s in info["streams"]}
    assert 2.0 <= float(info["format"]["duration"]) <= 6.0
    path.unlink()


def test_wrong_password_and_closed_port_are_reported_as_unavailable(app: Flask) -> None:
    cfg = app.config
    wrong = ObsConnection(
        cfg["OBS_HOST"], cfg["OBS_PORT"], "not-the-password", timeout=3, retries=0
    )
    with pytest.raises(ObsUnavailable):
        wrong.version()
    from tests.conftest import free_port

    closed = ObsConnection("127.0.0.1", free_port(), "x", timeout=1, retries=1, backoff=0.05)
    with pytest.raises(ObsUnavailable):
        closed.version()


def test_concurrent_callers_each_get_their_own_answer(app: Flask) -> None:
    import concurrent.futures

    obs = app.extensions["obs"]

    def ask(i: int) -> tuple[int, bool]:
        if i % 2:
            return i, "obsVersion" in obs.request("GetVersion")
        return i, "scenes" in obs.request("GetSceneList")

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(ask, range(80)))
    assert all(ok for _, ok in answers)
