"""nginx-rtmp asks the service whether a stream key may publish."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
import requests
from flask import Flask

from studio.models import LiveSession, LiveStatus
from studio.services import create_live_session
from tests.studio.conftest import publish_cmd

pytestmark = pytest.mark.integration

SECRET = "test-callback-secret"


def test_publish_with_a_valid_key_is_accepted_and_served_under_the_public_name(
    app: Flask, nginx_rtmp: dict[str, int], nginx_dir: Path
) -> None:
    db = app.extensions["db"]
    with db.session() as session:
        live = create_live_session(session, title="RTMP 测试课", organisation_id=_district(session))
        key, public, live_id = live.stream_key, live.public_name, live.id
        encoder_key = live.encoder_stream_key
    encoder = subprocess.Popen(
        publish_cmd(nginx_rtmp["rtmp"], encoder_key, seconds=10),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    playlist_url = f"http://127.0.0.1:{nginx_rtmp['hls']}/hls/{public}.m3u8"
    seen_playlist = ""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not seen_playlist:
        response = requests.get(playlist_url, timeout=2)
        if response.status_code == 200:
            seen_playlist = response.text
        time.sleep(0.3)
    with db.session() as session:
        status_while_live = session.get(LiveSession, live_id).status  # type: ignore[union-attr]
    _, stderr = encoder.communicate(timeout=60)
    assert encoder.returncode == 0, stderr
    assert seen_playlist.startswith("#EXTM3U")
    assert ".ts" in seen_playlist
    assert key not in seen_playlist
    assert status_while_live == LiveStatus.LIVE
    hls = nginx_dir / "hls"
    assert not list(hls.glob(f"{key}*")), "the secret key must never name a public file"
    # nginx calls on_publish_done after the encoder has gone, not before ffmpeg exits.
    deadline = time.monotonic() + 15
    while True:
        with db.session() as session:
            row = session.get(LiveSession, live_id)
            assert row is not None
            assert row.started_at is not None
            if row.status == LiveStatus.SCHEDULED or time.monotonic() > deadline:
                break
        time.sleep(0.2)
    assert row.status == LiveStatus.SCHEDULED  # publish ended; the session may go live again


@pytest.mark.parametrize("suffix", ["?key=wrong-key", "", "?key="])
def test_publish_with_a_wrong_or_missing_key_is_refused(
    app: Flask, nginx_rtmp: dict[str, int], nginx_dir: Path, suffix: str
) -> None:
    with app.extensions["db"].session() as session:
        live = create_live_session(session, title="拒绝测试", organisation_id=_district(session))
        public = live.public_name
    result = subprocess.run(
        publish_cmd(nginx_rtmp["rtmp"], public + suffix, seconds=3),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert not list((nginx_dir / "hls").glob(f"{public}*"))


def test_an_ended_session_refuses_its_key(
    app: Flask, nginx_rtmp: dict[str, int], nginx_dir: Path
) -> None:
    with app.extensions["db"].session() as session:
        live = create_live_session(session, title="已结束", organisation_id=_district(session))
        live.status = LiveStatus.ENDED
        encoder_key, public = live.encoder_stream_key, live.public_name
    result = subprocess.run(
        publish_cmd(nginx_rtmp["rtmp"], encoder_key, seconds=3),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert not list((nginx_dir / "hls").glob(f"{public}*"))


def test_callback_without_the_shared_secret_is_forbidden(client: object) -> None:
    response = client.post("/rtmp/on_publish", data={"name": "whatever"})  # type: ignore[attr-defined]
    assert response.status_code == 403


def _district(session: object) -> int:
    from repo_service.accounts.services import ensure_network

    return ensure_network(session).id  # type: ignore[arg-type]
