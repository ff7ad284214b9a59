"""Live classes end to end: schedule, go live through OBS, watch the HLS, end, get the replay."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from repo_service.accounts.models import Role, User
from repo_service.db import utcnow
from repo_service.resources.models import ProcessingStatus, Resource, ResourceStatus
from studio.hub import StudioHub
from studio.models import LiveSession, LiveStatus, ReplayStatus
from tests.factories import Client, make_user
from tests.studio.conftest import publish_cmd, wait_for

pytestmark = pytest.mark.integration

LOCAL = dt.timezone(dt.timedelta(hours=8))


def slot(start_minutes: float, length_minutes: float = 45) -> dict[str, str]:
    start = utcnow().astimezone(LOCAL) + dt.timedelta(minutes=start_minutes)
    end = start + dt.timedelta(minutes=length_minutes)
    return {"start": start.strftime("%Y-%m-%dT%H:%M"), "end": end.strftime("%Y-%m-%dT%H:%M")}


def schedule(client: Client, studio_id: int, **over: Any) -> Any:
    body = {
        "title": "智能手机防诈骗直播课",
        "studio_id": studio_id,
        "kind": "live",
        "teacher": "王老师",
        "category": "老年教育/智能技术",
        "audience": "老年人",
        **slot(-1),
        **over,
    }
    return client.post("/api/v1/live-sessions", json=body)


def test_scheduling_refuses_bad_input_and_double_bookings(
    app: Flask, studio_id: int, operator: User
) -> None:
    client = Client(app, operator)
    # Far in the future: no other test's session overlaps.
    first = schedule(client, studio_id, title="周末书法课", **slot(60 * 24 * 300, 60))
    assert first.status_code == 201, first.json
    assert "?key=" in first.json["stream_key"]
    clash = schedule(client, studio_id, title="冲突的课", **slot(60 * 24 * 300 + 30, 60))
    assert clash.status_code == 409
    assert "周末书法课" in clash.json["error"]["message"]
    after = schedule(client, studio_id, title="紧接着的课", **slot(60 * 24 * 300 + 60, 60))
    assert after.status_code == 201
    bad = [
        ({"title": ""}, "title"),
        ({"kind": "concert"}, "kind"),
        ({"start": "明天上午"}, None),
        ({**slot(60 * 24 * 301, -30)}, "end"),
        ({**slot(60 * 24 * 302, 60 * 13)}, "end"),
        ({"category": "不存在的类别", **slot(60 * 24 * 303)}, "category"),
        ({**slot(-300, 60)}, "end"),
    ]
    for body, field in bad:
        response = schedule(client, studio_id, **body)
        assert response.status_code == 400, (body, response.json)
        if field:
            assert response.json["error"]["field"] == field
    assert schedule(client, 999999).status_code == 404
    outsider = Client(app, make_user(app, Role.OPERATOR))
    assert schedule(outsider, studio_id, **slot(60 * 24 * 304)).status_code == 403
    # Cancelled: the slot is free again, the key refused.
    cancel = client.post(f"/api/v1/live-sessions/{first.json['id']}/cancel")
    assert cancel.status_code == 200
    assert cancel.json["status"] == "cancelled"
    again = schedule(client, studio_id, title="改期后的课", **slot(60 * 24 * 300 + 10, 30))
    assert again.status_code == 201
    public = Client(app, None).get(f"/api/v1/live-sessions/{again.json['id']}").json
    assert "stream_key" not in public


def test_a_key_is_refused_before_its_session_window(
    app: Flask, studio_id: int, operator: User, nginx_rtmp: dict[str, int], nginx_dir: Path
) -> None:
    client = Client(app, operator)
    early = schedule(client, studio_id, title="明天的课", **slot(60 * 24 * 200, 45))
    assert early.status_code == 201
    key = early.json["stream_key"]
    result = subprocess.run(
        publish_cmd(nginx_rtmp["rtmp"], key, seconds=3),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    public = key.split("?", 1)[0]
    assert not list((nginx_dir / "hls").glob(f"{public}*"))


def test_go_live_watch_end_and_the_replay_is_published(
    app: Flask,
    hub: StudioHub,
    studio_id: int,
    operator: User,
    nginx_rtmp: dict[str, int],
    celery_worker: None,
) -> None:
    client = Client(app, operator)
    created = schedule(client, studio_id, title="直播测试：手机挂号", scene="pip")
    assert created.status_code == 201, created.json
    live_id = created.json["id"]
    gone = client.post(f"/api/v1/live-sessions/{live_id}/go-live")
    assert gone.status_code == 200, gone.json
    assert gone.json["result"]["stream"] is True
    # nginx-rtmp asked the service about the key: the session is on air.
    wait_for(
        lambda: Client(app, None).get(f"/api/v1/live-sessions/{live_id}").json["status"] == "live",
        20,
        "the stream never reached nginx-rtmp",
    )
    hls = Client(app, None).get(f"/api/v1/live-sessions/{live_id}").json["hls_url"]
    assert hls
    assert hls.endswith(".m3u8")
    wait_for(lambda: requests.get(hls, timeout=2).status_code == 200, 20, "no live playlist")
    probe = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "stream=codec_type,width,height",
            "-of",
            "json",
            hls,
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    streams = json.loads(probe.stdout)["streams"]
    assert {"video", "audio"} <= {s["codec_type"] for s in streams}
    assert any(s.get("width") == 1280 for s in streams)
    viewer = Client(app, None).post(
        f"/api/v1/live-sessions/{live_id}/viewers", json={"viewer": "abcdef123456"}
    )
    assert viewer.status_code == 200
    assert viewer.json["viewers"] == 1
    state = client.get(f"/api/v1/studios/{studio_id}/state").json
    assert state["streaming"]["active"]
    assert state["recording"]["active"]
    assert state["program_scene"] == "画中画"
    # A second "go live" while on air does not start a second recording.
    again = client.post(f"/api/v1/live-sessions/{live_id}/go-live")
    assert again.status_code == 409
    time.sleep(4)
    ended = client.post(f"/api/v1/live-sessions/{live_id}/end")
    assert ended.status_code == 200, ended.json
    assert ended.json["result"]["closed"] is True
    path = Path(ended.json["result"]["path"])
    assert path.is_file()
    assert path.stat().st_size > 0
    assert ended.json["session"]["status"] == "ended"

    def replay() -> dict[str, Any] | None:
        body: dict[str, Any] = Client(app, None).get(f"/api/v1/live-sessions/{live_id}/replay").json
        return body if body["status"] in {"ready", "failed"} else None

    body = wait_for(replay, 60, "the recording never became a replay")
    assert body["status"] == "ready", body
    with app.extensions["db"].session() as session:
        resource = session.get(Resource, body["resource_id"])
        assert resource is not None
        assert resource.status == ResourceStatus.PUBLISHED
        assert resource.title == "直播测试：手机挂号（回放）"

    def transcoded() -> bool:
        with app.extensions["db"].session() as session:
            version = session.get(Resource, body["resource_id"]).versions[-1]  # type: ignore[union-attr]
            assert version.processing_status != ProcessingStatus.FAILED, version.processing_error
            return version.processing_status == ProcessingStatus.READY

    wait_for(transcoded, 180, "the replay was not transcoded")
    # The ended key no longer publishes.
    with app.extensions["db"].session() as session:
        row = session.get(LiveSession, live_id)
        assert row is not None
        assert row.status == LiveStatus.ENDED
        assert row.replay_status == ReplayStatus.READY
        encoder_key = row.encoder_stream_key
    refused = subprocess.run(
        publish_cmd(nginx_rtmp["rtmp"], encoder_key, seconds=2),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode != 0
    final = client.get(f"/api/v1/studios/{studio_id}/state").json
    assert not final["streaming"]["active"]
    assert not final["recording"]["active"]


def test_a_recorded_class_records_without_streaming_and_becomes_a_replay(
    app: Flask, hub: StudioHub, studio_id: int, operator: User
) -> None:
    client = Client(app, operator)
    created = schedule(client, studio_id, title="录播课：种植草莓", kind="recorded", **slot(-1, 20))
    assert created.status_code == 201, created.json
    live_id = created.json["id"]
    assert created.json["record"] is True
    gone = client.post(f"/api/v1/live-sessions/{live_id}/go-live")
    assert gone.status_code == 200, gone.json
    assert gone.json["session"]["status"] == "live"
    assert gone.json["session"]["hls_url"] is None  # nothing is streamed to residents
    wait_for(
        lambda: client.get(f"/api/v1/studios/{studio_id}/state").json["recording"]["active"],
        5,
        "OBS did not start recording",
    )
    assert not client.get(f"/api/v1/studios/{studio_id}/state").json["streaming"]["active"]
    time.sleep(2)
    ended = client.post(f"/api/v1/live-sessions/{live_id}/end")
    assert ended.status_code == 200, ended.json
    assert ended.json["result"]["closed"] is True
    body = wait_for(
        lambda: (
            (r := client.get(f"/api/v1/live-sessions/{live_id}/replay").json)["status"]
            in {"ready", "failed"}
            and r
        ),
        60,
        "the recorded class never became a replay",
    )
    assert body["status"] == "ready", body
    assert body["url"].endswith(f"/resources/{body['resource_id']}")


def test_a_meeting_switches_to_the_meeting_scene_and_explains_the_missing_camera(
    app: Flask, hub: StudioHub, studio_id: int, operator: User
) -> None:
    client = Client(app, operator)
    created = schedule(
        client,
        studio_id,
        title="街道社区教育工作例会",
        kind="meeting",
        record="false",
        **slot(-1, 20),
    )
    assert created.status_code == 201, created.json
    assert created.json["scene"] == "meeting"
    live_id = created.json["id"]
    gone = client.post(f"/api/v1/live-sessions/{live_id}/go-live")
    assert gone.status_code == 200, gone.json
    assert "v4l2loopback" in gone.json["warning"]["message"]
    assert "virtual" in gone.json["warning"]["message_en"]
    wait_for(
        lambda: client.get(f"/api/v1/studios/{studio_id}/state").json["program_scene"] == "会议",
        2,
        "the meeting scene is not on air",
    )
    state = client.get(f"/api/v1/studios/{studio_id}/state").json
    assert not state["recording"]["active"]
    assert not state["streaming"]["active"]
    ended = client.post(f"/api/v1/live-sessions/{live_id}/end")
    assert ended.status_code == 200
    assert ended.json["session"]["replay"]["status"] == "none"
    log = client.get(f"/api/v1/studios/{studio_id}/actions").json["actions"]
    assert [a["action"] for a in log[:2]] == ["end", "go_live"]


def test_a_booking_is_edited_and_cancelled_from_its_page(
    app: Flask, studio_id: int, operator: User
) -> None:
    client = Client(app, operator)
    created = schedule(client, studio_id, title="待修改的课", **slot(60 * 24 * 400, 60))
    live_id = created.json["id"]
    page = client.get(f"/studio/sessions/{live_id}/edit")
    assert page.status_code == 200
    assert "待修改的课" in page.get_data(as_text=True)
    form = {
        "csrf_token": client.csrf,
        "title": "改过的课",
        "kind": "live",
        "scene": "slides",
        **slot(60 * 24 * 400 + 30, 30),
    }
    bad = client.http.post(f"/studio/sessions/{live_id}/edit", data={**form, "end": form["start"]})
    assert bad.status_code == 400
    assert "结束时间必须晚于开始时间" in bad.get_data(as_text=True)
    assert client.get(f"/api/v1/live-sessions/{live_id}").json["title"] == "待修改的课"
    good = client.http.post(f"/studio/sessions/{live_id}/edit", data=form)
    assert good.status_code == 302
    after = client.get(f"/api/v1/live-sessions/{live_id}").json
    assert after["title"] == "改过的课"
    assert after["scene"] == "slides"
    cancelled = client.http.post(
        f"/studio/sessions/{live_id}/cancel", data={"csrf_token": client.csrf}
    )
    assert cancelled.status_code == 302
    assert client.get(f"/api/v1/live-sessions/{live_id}").json["status"] == "cancelled"
    outsider = Client(app, make_user(app, Role.OPERATOR))
    assert outsider.get(f"/studio/sessions/{live_id}/edit").status_code == 403


def test_the_home_page_names_the_next_live_classes(
    app: Flask, studio_id: int, operator: User
) -> None:
    client = Client(app, operator)
    booked = schedule(client, studio_id, title="下周的太极拳直播课", **slot(60 * 24 * 500, 60))
    assert booked.status_code == 201
    home = Client(app, None).get("/").get_data(as_text=True)
    assert "即将直播" in home
    # Only the next three are named; this one is far ahead of the others this run books.
    meeting = schedule(
        client, studio_id, title="内部工作会议", kind="meeting", **slot(60 * 24 * 510, 60)
    )
    assert meeting.status_code == 201
    assert "内部工作会议" not in Client(app, None).get("/").get_data(as_text=True)
