"""The studio hub against the real OBS: state, actions, permissions and OBS's refusals."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from flask import Flask

from repo_service.accounts.models import Role, User
from repo_service.db import utcnow
from studio.api import stream_slots
from studio.hub import StudioHub
from studio.models import LiveSession, Studio, StudioAction
from tests.conftest import free_port
from tests.factories import Client, make_user
from tests.studio.conftest import SCENES, add_studio, wait_for

pytestmark = pytest.mark.integration


def state(client: Client, studio_id: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/studios/{studio_id}/state")
    assert response.status_code == 200, response.json
    body: dict[str, Any] = response.json
    return body


def act(client: Client, studio_id: int, **body: Any) -> Any:
    return client.post(f"/api/v1/studios/{studio_id}/actions", json=body)


def test_the_hub_reads_the_whole_state_of_obs(
    app: Flask, hub: StudioHub, studio_id: int, operator: User
) -> None:
    s = state(Client(app, operator), studio_id)
    assert s["connected"] is True
    assert s["obs_version"].split(".")[0].isdigit()
    assert set(SCENES.values()) <= set(s["scenes"])
    assert s["stats"]["fps"] > 0
    assert "讲台话筒" in {i["name"] for i in s["inputs"]}


def test_a_scene_switch_round_trip_reaches_obs_and_comes_back_as_state(
    app: Flask, hub: StudioHub, studio_id: int, operator: User
) -> None:
    client = Client(app, operator)
    for role in ("pip", "slides", "lecture"):
        response = act(client, studio_id, action="scene", scene=role)
        assert response.status_code == 200, response.json
        assert response.json["result"] == {"program": SCENES[role]}  # OBS's answer alone
        assert (
            app.extensions["obs"].request("GetCurrentProgramScene")["currentProgramSceneName"]
            == SCENES[role]
        )
        # The change comes back through OBS's event, not through another request.
        wait_for(
            lambda r=role: state(client, studio_id)["program_scene"] == SCENES[r],
            1.0,
            "the new program scene did not reach the state within a second",
        )
    with app.extensions["db"].session() as session:
        logged = session.query(StudioAction).filter_by(studio_id=studio_id, action="scene").all()
    assert len(logged) >= 3
    assert all(a.ok and a.user_id == operator.id for a in logged)


def test_mute_follows_obs_and_a_scene_obs_lacks_is_refused_in_words(
    app: Flask, hub: StudioHub, studio_id: int, operator: User
) -> None:
    client = Client(app, operator)
    response = act(client, studio_id, action="mute", input="讲台话筒", muted=True)
    assert response.status_code == 200, response.json
    wait_for(
        lambda: {i["name"]: i["muted"] for i in state(client, studio_id)["inputs"]}["讲台话筒"],
        1.0,
        "mute did not reach the state",
    )
    assert act(client, studio_id, action="mute", input="讲台话筒", muted=False).status_code == 200
    response = act(client, studio_id, action="scene", scene="不存在的场景")
    assert response.status_code == 400
    assert "没有场景" in response.json["error"]["message"]
    response = act(client, studio_id, action="mute", input="没有这个话筒", muted=True)
    assert response.status_code == 409
    assert "找不到这个场景或来源" in response.json["error"]["message"]
    assert response.json["error"]["obs_code"] == 600
    with app.extensions["db"].session() as session:
        failed = session.query(StudioAction).filter_by(studio_id=studio_id, ok=False).all()
    assert any("找不到" in a.message for a in failed)


def test_the_virtual_camera_without_a_device_is_explained(
    app: Flask, hub: StudioHub, studio_id: int, operator: User
) -> None:
    response = act(Client(app, operator), studio_id, action="virtualcam_start")
    assert response.status_code == 409
    error = response.json["error"]
    assert error["obs_code"] == 604
    assert "v4l2loopback" in error["message"]
    assert "虚拟摄像头" in error["message"]


def test_stopping_asks_for_confirmation_and_other_sites_are_refused(
    app: Flask, hub: StudioHub, studio_id: int, operator: User
) -> None:
    client = Client(app, operator)
    response = act(client, studio_id, action="record_stop")
    assert response.status_code == 409
    assert response.json["error"]["needs_confirm"] is True
    response = client.post(
        f"/api/v1/studios/{studio_id}/actions",
        json={"action": "scene", "scene": "lecture"},
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert act(client, studio_id, action="format_disk").status_code == 400


def test_concurrent_operators_never_get_each_others_answers(
    app: Flask, hub: StudioHub, studio_id: int, operator: User
) -> None:
    second = make_user(app, Role.ADMIN, display_name="值班管理员")
    clients = [Client(app, operator), Client(app, second)] * 3
    roles = ["lecture", "pip", "slides", "meeting"]
    wrong: list[tuple[str, Any]] = []
    errors: list[Any] = []

    def run(index: int, client: Client) -> None:
        for n in range(8):
            role = roles[(index + n) % len(roles)]
            response = act(client, studio_id, action="scene", scene=role)
            if response.status_code != 200:
                errors.append(response.json)
            elif response.json["result"]["program"] != SCENES[role]:
                wrong.append((SCENES[role], response.json))

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert not wrong
    act(Client(app, operator), studio_id, action="scene", scene="lecture")


def test_an_operator_of_one_studio_cannot_act_on_another(
    app: Flask, hub: StudioHub, studio_id: int, operator: User
) -> None:
    other_operator = make_user(app, Role.OPERATOR, street="汤山")
    cfg = app.config
    other = add_studio(
        app,
        "汤山街道演播室",
        cfg["OBS_HOST"],
        cfg["OBS_PORT"],
        cfg["OBS_PASSWORD"],
        "rtmp://127.0.0.1:1935/live",
        [other_operator],
    )
    client = Client(app, operator)
    assert act(client, other, action="scene", scene="lecture").status_code == 403
    assert client.get(f"/api/v1/studios/{other}/state").status_code == 403
    assert client.get(f"/api/v1/studios/{other}/events").status_code == 403
    listed = {s["id"] for s in client.get("/api/v1/studios").json["studios"]}
    assert studio_id in listed
    assert other not in listed
    resident = Client(app, make_user(app, Role.RESIDENT))
    assert act(resident, studio_id, action="scene", scene="lecture").status_code == 403
    assert Client(app, None).get(f"/api/v1/studios/{studio_id}/state").status_code == 401


def test_the_password_is_encrypted_at_rest_and_never_sent(
    app: Flask, studio_id: int, operator: User
) -> None:
    password = app.config["OBS_PASSWORD"]
    with app.extensions["db"].session() as session:
        stored = session.get(Studio, studio_id)
        assert stored is not None
        assert stored.obs_password_enc
        assert password not in stored.obs_password_enc
    admin = Client(app, make_user(app, Role.ADMIN))
    body = admin.get(f"/api/v1/studios/{studio_id}").get_data(as_text=True)
    assert password not in body
    assert '"obs_password_set": true' in body.replace(" ", "").replace(":", ": ")


def test_an_unreachable_obs_is_a_503_naming_the_studio(
    app: Flask, hub: StudioHub, operator: User
) -> None:
    closed = add_studio(
        app,
        "未开机的演播室",
        "127.0.0.1",
        free_port(),
        "x",
        "rtmp://127.0.0.1:1935/live",
        [operator],
    )
    hub.sync()
    client = Client(app, operator)
    wait_for(
        lambda: state(client, closed)["error"] == "unreachable",
        10,
        "the hub did not report the closed port",
    )
    response = act(client, closed, action="scene", scene="lecture")
    assert response.status_code == 503
    assert "未开机的演播室" in response.json["error"]["message"]
    # A class whose studio PC died mid-way: "end" says why it cannot stop OBS, and a forced end
    # still closes the session (its key stops working, the studio is free again).
    start = utcnow()
    booked = client.post(
        "/api/v1/live-sessions",
        json={
            "title": "断电的课",
            "studio_id": closed,
            "start": start.isoformat(),
            "end": (start + dt.timedelta(minutes=30)).isoformat(),
        },
    )
    assert booked.status_code == 201, booked.json
    assert client.post(f"/api/v1/live-sessions/{booked.json['id']}/go-live").status_code == 503
    with app.extensions["db"].session() as session:
        session.get(LiveSession, booked.json["id"]).started_at = start  # type: ignore[union-attr]
        session.commit()
    ended = client.post(f"/api/v1/live-sessions/{booked.json['id']}/end")
    assert ended.status_code == 503
    forced = client.post(f"/api/v1/live-sessions/{booked.json['id']}/end", json={"force": True})
    assert forced.status_code == 200
    assert forced.json["session"]["status"] == "ended"
    assert forced.json["result"] == {"forced": True}
    with app.extensions["db"].session() as session:
        session.get(Studio, closed).is_active = False  # type: ignore[union-attr]
        session.commit()
    hub.sync()


def test_studio_forms_refuse_bad_input_precisely(app: Flask) -> None:
    admin = Client(app, make_user(app, Role.ADMIN))
    cases = [
        ({"name": "", "obs_host": "127.0.0.1", "obs_port": 4455}, "name"),
        ({"name": "甲", "obs_host": "ws://1.2.3.4:4455", "obs_port": 4455}, "obs_host"),
        ({"name": "乙", "obs_host": "10.0.0.5", "obs_port": 70000}, "obs_port"),
        (
            {"name": "丙", "obs_host": "10.0.0.5", "obs_port": 4455, "rtmp_url": "http://x"},
            "rtmp_url",
        ),
        (
            {"name": "丁", "obs_host": "10.0.0.5", "obs_port": 4455, "operators": "nobody-here"},
            "operators",
        ),
    ]

    def studios() -> list[tuple[int, str]]:
        return [(s["id"], s["name"]) for s in admin.get("/api/v1/studios").json["studios"]]

    before = studios()
    for body, field in cases:
        response = admin.post("/api/v1/studios", json=body)
        assert response.status_code == 400, (body, response.json)
        assert response.json["error"]["field"] == field
        assert response.json["error"]["message"]
        assert response.json["error"]["message_en"]
    assert studios() == before  # nothing half-written
    created = admin.post(
        "/api/v1/studios", json={"name": "秣陵街道演播室", "obs_host": "10.0.0.5", "obs_port": 4455}
    )
    assert created.status_code == 201
    duplicate = admin.post(
        "/api/v1/studios", json={"name": "秣陵街道演播室", "obs_host": "10.0.0.6", "obs_port": 4455}
    )
    assert duplicate.status_code == 409
    teacher = Client(app, make_user(app, Role.TEACHER))
    assert teacher.post("/api/v1/studios", json={"name": "x"}).status_code == 403
    patched = admin.patch(f"/api/v1/studios/{created.json['id']}", json={"is_active": False})
    assert patched.status_code == 200
    assert patched.json["is_active"] is False


def test_a_web_process_holds_only_so_many_event_streams_and_gives_each_back(
    app: Flask, studio_id: int, operator: User
) -> None:
    client = Client(app, operator)
    url = f"/api/v1/studios/{studio_id}/events"
    with app.app_context():
        slots = stream_slots()
    limit, before = slots.limit, slots.open
    slots.limit = before + 1  # room for one more stream
    try:
        first = client.get(url, buffered=False)
        assert first.status_code == 200
        assert next(iter(first.response)).startswith(b"retry:")
        refused = client.get(url)
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "30"
        assert refused.json["error"]["message"].startswith("实时状态连接已满")
        assert refused.json["error"]["message_en"].startswith("Too many live state streams")
        overview = client.get("/api/v1/studios/events")  # one count for every stream kind
        assert overview.status_code == 503
        first.close()  # the page went away
        assert slots.open == before
        unread = client.get(url, buffered=False)  # closed before its first event
        assert unread.status_code == 200
        unread.close()
        assert slots.open == before
        again = client.get("/api/v1/studios/events", buffered=False)
        assert again.status_code == 200
        again.close()
        assert slots.open == before
    finally:
        slots.limit = limit


def test_a_hub_stopped_while_its_studios_connect_starts_nothing_afterwards(
    app: Flask, studio_id: int
) -> None:
    for _ in range(3):
        hub = StudioHub(app).start()  # its runners are connecting to OBS now
        started = list(hub.runners.values())
        assert studio_id in hub.runners
        hub.stop()  # at once
        assert not any(t.is_alive() for runner in started for t in runner.threads)
        ran = threading.Event()
        hub.after(ran.set)  # a recording closed just now: left for the next start
        hub.sync()
        assert hub.runners == {}
        assert not ran.wait(0.2)
