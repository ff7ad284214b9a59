"""A resident watches a course on a phone at 2x with the tab hidden for a while: the record
holds what was really shown; she comes back and it resumes where she stopped."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Request

from repo_service.accounts.models import Role
from repo_service.db import utcnow
from repo_service.resources.models import Resource, ResourceStatus
from tests.browser.conftest import sign_in
from tests.browser.test_everyday_pages import PHONE
from tests.factories import PASSWORD, Client, make_user
from tests.transcoder.conftest import upload_and_process

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def long_course(app: Flask, celery_worker: None, tmp_path_factory: pytest.TempPathFactory) -> int:
    video = tmp_path_factory.mktemp("learning") / "lesson.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x180:rate=25:duration=90",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=90",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            str(video),
        ],
        check=True,
        timeout=120,
    )
    teacher = Client(app, make_user(app, Role.TEACHER))
    rid, _version = upload_and_process(app, teacher, Path(video).read_bytes(), "学习记录测试课.mp4")
    with app.extensions["db"].session() as session:
        resource = session.get(Resource, rid)
        assert resource is not None
        resource.status, resource.published_at = ResourceStatus.PUBLISHED, utcnow()
        session.commit()
    return rid


def now(page: Page) -> float:
    return float(page.evaluate("() => document.querySelector('#player').currentTime"))


def set_hidden(page: Page, hidden: bool) -> None:
    page.evaluate(
        """(hidden) => {
          Object.defineProperty(document, 'hidden', {configurable: true, get: () => hidden});
          document.dispatchEvent(new Event('visibilitychange'));
        }""",
        hidden,
    )


def test_watched_time_at_double_speed_with_a_hidden_tab_and_resume(
    app: Flask, browser: Browser, live_server: str, long_course: int
) -> None:
    resident = make_user(app, Role.RESIDENT)
    page = browser.new_context(viewport=PHONE).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server, resident.username, PASSWORD)
    page.goto(f"{live_server}/resources/{long_course}")
    page.evaluate("() => { const v = document.querySelector('#player'); v.muted = true; }")
    page.click(".play-big")
    page.wait_for_function(
        "() => document.querySelector('#player').currentTime > 0.5", timeout=30_000
    )
    page.evaluate("() => { document.querySelector('#player').playbackRate = 2; }")
    t0 = now(page)
    page.wait_for_timeout(6_000)
    t1 = now(page)
    set_hidden(page, True)  # the learner switches to another app; the video plays on
    page.wait_for_timeout(4_000)
    t2 = now(page)
    set_hidden(page, False)
    page.wait_for_timeout(5_000)
    page.evaluate("() => document.querySelector('#player').pause()")
    t3 = now(page)
    set_hidden(page, True)  # leaving the page sends what is left
    page.wait_for_timeout(1_500)
    shown = (t1 - t0) + (t3 - t2)
    assert t2 - t1 > 6  # it did play on while hidden, at double speed
    client = Client(app, resident)
    record = client.get(f"/api/v1/learning/records/{long_course}").json
    # What was really shown, within a second or so (the first tick of each stretch).
    assert abs(record["watched_seconds"] - shown) < 1.5, (record, t0, t1, t2, t3)
    assert record["watched_seconds"] < t3 - 1  # the hidden part never counted
    assert abs(record["position"] - t3) < 1.0
    assert not errors, errors

    # She comes back later: the course continues where she stopped.
    again = browser.new_context(viewport=PHONE).new_page()
    sign_in(again, live_server, resident.username, PASSWORD)
    again.goto(f"{live_server}/resources/{long_course}")
    resume = float(again.locator(".player").get_attribute("data-resume") or 0)
    assert abs(resume - t3) < 1.0
    again.evaluate("() => { document.querySelector('#player').muted = true; }")
    again.click(".play-big")
    again.wait_for_function(
        f"() => document.querySelector('#player').currentTime > {resume - 0.5}", timeout=30_000
    )
    assert now(again) < resume + 5
    mine = again.goto(f"{live_server}/me/learning")
    assert mine is not None
    assert mine.status == 200
    assert again.locator(".learning-list li", has_text="学习记录测试课").count() == 1


def test_playback_starts_within_3_s_on_a_1_mbit_link(
    app: Flask, browser: Browser, live_server: str, inputs: dict[str, Path], celery_worker: None
) -> None:
    teacher = make_user(app, Role.TEACHER)
    rid, version = upload_and_process(
        app, Client(app, teacher), inputs["landscape.mp4"].read_bytes(), "弱网微课.mp4"
    )
    assert version.master_key, version.processing_error_en
    with app.extensions["db"].session() as session:
        resource = session.get(Resource, rid)
        assert resource is not None
        resource.status, resource.published_at = ResourceStatus.PUBLISHED, utcnow()
        session.commit()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 150,  # ms, a rural mobile link
            "downloadThroughput": 1_000_000 / 8,
            "uploadThroughput": 500_000 / 8,
        },
    )
    page.goto(f"{live_server}/resources/{rid}")
    page.wait_for_function("() => window.zxHls && window.zxHls.levels.length > 0", timeout=30_000)
    page.evaluate(
        """() => {
          const v = document.querySelector('#player');
          v.muted = true;
          v.addEventListener('playing', () => { window.zxPlaying = performance.now(); },
                             { once: true });
          document.querySelector('.play-big').addEventListener('click', () => {
            window.zxPressed = performance.now();
          }, { capture: true, once: true });
        }"""
    )
    page.click(".play-big")
    page.wait_for_function("() => window.zxPlaying", timeout=30_000)
    waited = page.evaluate("() => window.zxPlaying - window.zxPressed") / 1000
    assert waited < 3.0, f"playback started {waited:.2f} s after play on 1 Mbit/s"
    context.close()


def test_a_chapter_starts_the_course_at_its_time_and_related_courses_follow(
    app: Flask, browser: Browser, live_server: str, long_course: int
) -> None:
    admin = Client(app, make_user(app, Role.ADMIN))
    patched = admin.patch(
        f"/api/v1/resources/{long_course}", json={"chapters": "00:00 开场\n00:40 第二部分：挂号"}
    )
    assert patched.status_code == 200, patched.get_json()
    category = patched.get_json()["resource"]["category"]
    teacher = Client(app, make_user(app, Role.TEACHER))
    other = teacher.post(
        "/api/v1/resources",
        json={
            "kind": "video",
            "title": "同类的另一门课",
            "category": category,
            "audience": "老年人",
        },
    ).get_json()["resource"]["id"]
    with app.extensions["db"].session() as session:
        resource = session.get(Resource, other)
        assert resource is not None
        resource.status, resource.published_at = ResourceStatus.PUBLISHED, utcnow()
        session.commit()
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server}/resources/{long_course}")
    assert page.locator(".related", has_text="同类的另一门课").count() == 1
    page.evaluate("() => { document.querySelector('#player').muted = true; }")
    page.click("button.chapter >> text=第二部分：挂号")
    page.wait_for_function(
        "() => document.querySelector('#player').currentTime > 40.5", timeout=30_000
    )
    assert now(page) < 50


def test_a_play_asked_for_before_the_player_script_ran_still_plays(
    browser: Browser, live_server: str, long_course: int
) -> None:
    """A tap on the native controls while the page is still loading: the play event fires
    before the player listens for it."""
    page = browser.new_context(viewport=PHONE).new_page()
    page.route("**/static/js/player.js*", lambda route: route.abort())
    page.goto(f"{live_server}/resources/{long_course}")
    script = page.locator("script[src*='/static/js/player.js']").get_attribute("src")
    assert script is not None
    page.evaluate(
        """() => { const v = document.querySelector('#player'); v.muted = true;
                   v.play().catch(() => {}); }"""
    )
    page.unroute("**/static/js/player.js*")
    page.add_script_tag(url=live_server + script)
    page.wait_for_function(
        "() => document.querySelector('#player').currentTime > 1", timeout=30_000
    )
    page.context.close()


MEDIA = (".m3u8", ".ts", ".m4s", ".mp4", ".aac", ".m4a")


def test_public_pages_weigh_under_300_kb_before_the_video_through_nginx(
    browser: Browser, front: str, long_course: int
) -> None:
    """What a phone downloads for each public page through nginx, with nothing cached yet
    (compressed, as served), the course page's player and poster included, the video's
    playlists and segments not."""
    weights: dict[str, int] = {}
    for path in (
        "/",
        "/resources",
        f"/resources/{long_course}",
        "/search?q=学习",
        "/live",
        "/register",
    ):
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        finished: list[Request] = []
        page.on("requestfinished", lambda request: finished.append(request))  # noqa: B023, PLW0108
        page.goto(front + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        total, parts = 0, []
        for request in finished:
            if request.url.split("?")[0].endswith(MEDIA):
                continue
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            total += size
            parts.append(f"{request.url.removeprefix(front)} {size}")
        context.close()
        assert any("/static/css/" in p for p in parts), parts  # the page's own files counted
        weights[path] = total
        assert total < 300 * 1024, f"{path}: {total} bytes: {parts}"
    # The course page carries the player (hls.js), and still stays under the limit.
    assert weights[f"/resources/{long_course}"] > weights["/register"]
