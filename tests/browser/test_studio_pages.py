"""An operator schedules a class, goes live, a resident watches, the operator ends it and the
replay is published — all from the pages, against the real OBS and nginx-rtmp."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Dialog, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from repo_service.accounts.models import User
from repo_service.db import utcnow
from studio.api import stream_slots
from studio.hub import StudioHub
from tests.browser.conftest import sign_in
from tests.browser.test_everyday_pages import PHONE, _axe
from tests.factories import PASSWORD
from tests.studio.conftest import SCENES

pytestmark = pytest.mark.browser

LOCAL = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Pages at phone width, each in a context of its own, all closed after the test: a studio
    page left open would keep its event stream, and a web process keeps only so many."""
    opened: list[BrowserContext] = []

    def make() -> Page:
        context = browser.new_context(viewport=PHONE, bypass_csp=True)
        opened.append(context)
        return context.new_page()

    yield make
    for context in opened:
        context.close()


def test_schedule_go_live_watch_end_and_replay_from_the_pages(
    app: Flask,
    new_page: Callable[[], Page],
    live_server: str,
    hub: StudioHub,
    studio_id: int,
    operator: User,
    nginx_rtmp: dict[str, int],
    celery_worker: None,
    run_dir: Any,
) -> None:
    console: list[str] = []
    op = new_page()
    op.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    op.on("dialog", Dialog.accept)
    sign_in(op, live_server, operator.username, PASSWORD)
    op.click("nav >> text=演播室")
    op.locator(".studio-card .conn[data-connected=yes]").first.wait_for(timeout=10_000)
    op.click("text=一号演播室")
    op.locator("#conn[data-connected=yes]").wait_for(timeout=10_000)

    # A scene button switches OBS; the program label follows OBS's own event.
    op.click("#scenes button[data-scene='课件全屏']")
    op.locator("#program", has_text="课件全屏").wait_for(timeout=3_000)
    assert (
        app.extensions["obs"].request("GetCurrentProgramScene")["currentProgramSceneName"]
        == "课件全屏"
    )
    # The virtual camera this machine lacks is explained in plain words.
    op.click("button[data-action=virtualcam_start]")
    op.locator("#studio-msg.bad", has_text="v4l2loopback").wait_for(timeout=10_000)

    # Schedule a class that starts now.
    now = utcnow().astimezone(LOCAL)
    op.fill("input[name=title]", "浏览器直播课：用手机查社保")
    op.fill("input[name=start]", (now - dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"))
    op.fill("input[name=end]", (now + dt.timedelta(minutes=40)).strftime("%Y-%m-%dT%H:%M"))
    op.fill("input[name=teacher]", "刘老师")
    op.select_option("select[name=category]", "老年教育/智能技术")
    op.click(".schedule-form button[type=submit]")
    item = op.locator("#sessions li", has_text="浏览器直播课：用手机查社保")
    item.wait_for(timeout=10_000)
    assert not _axe(op), _axe(op)

    item.locator("button", has_text="开始上课").click()
    op.locator("#sessions li", has_text="浏览器直播课：用手机查社保").locator(
        "button", has_text="结束"
    ).wait_for(timeout=30_000)
    op.locator("#stream-state[data-on=yes]").wait_for(timeout=10_000)
    op.locator("#record-state[data-on=yes]").wait_for(timeout=10_000)

    # A resident sees it on the home page and watches it on the live page.
    resident = new_page()
    resident.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    resident.goto(live_server + "/")
    resident.locator(".live-banner", has_text="浏览器直播课").wait_for(timeout=30_000)
    resident.goto(live_server + "/live")
    article = resident.locator(".live-now", has_text="浏览器直播课：用手机查社保")
    article.wait_for(timeout=10_000)
    assert not _axe(resident), _axe(resident)
    article.locator(".play-big").click()
    resident.evaluate(
        "() => { const v = document.querySelector('.live-now video'); v.muted = true; }"
    )
    try:
        resident.wait_for_function(
            "() => document.querySelector('.live-now video').currentTime > 1.0", timeout=40_000
        )
    except PlaywrightTimeoutError:
        state = resident.evaluate(
            "() => { const v = document.querySelector('.live-now video');"
            " return [v.currentTime, v.readyState, v.networkState, String(v.error && v.error.code),"
            " document.querySelector('.player').dataset.src]; }"
        )
        raise AssertionError((state, console)) from None
    article.locator(".viewers-count", has_text="1").wait_for(timeout=20_000)
    resident.screenshot(path=str(run_dir / "live-resident.png"))

    # End: streaming and recording stop, and the replay is published.
    op.locator("#sessions li", has_text="浏览器直播课：用手机查社保").locator(
        "button", has_text="结束"
    ).click()
    replay = op.locator("#sessions li", has_text="浏览器直播课：用手机查社保").locator(
        "a", has_text="观看回放"
    )
    for _ in range(30):
        if replay.count():
            break
        op.wait_for_timeout(2_000)
        op.reload()
    href = replay.get_attribute("href")
    assert href
    op.locator("#stream-state[data-on=no]").wait_for(timeout=10_000)
    op.screenshot(path=str(run_dir / "studio-control.png"), full_page=True)

    # The replay is listed at once and playable once transcoded (a resident reloads the page).
    for _ in range(80):
        resident.goto(live_server + href)
        if resident.locator("video#player").count():
            break
        resident.wait_for_timeout(3_000)
    resident.evaluate(
        "() => { const v = document.querySelector('#player'); v.muted = true; return v.play(); }"
    )
    resident.wait_for_function(
        "() => document.querySelector('#player').currentTime > 1.0", timeout=30_000
    )
    resident.goto(live_server + "/live")
    resident.locator("text=浏览器直播课：用手机查社保").first.wait_for(timeout=5_000)
    # Refusals the page explains (409) and a live playlist not written yet (404) are answers,
    # not faults; a script error or a blocked resource is.
    faults = [m for m in console if not m.startswith("Failed to load resource: the server")]
    assert not faults, faults


def test_pages_turned_away_by_the_event_streams_follow_the_state_by_asking(
    app: Flask,
    new_page: Callable[[], Page],
    live_server: str,
    hub: StudioHub,
    studio_id: int,
    operator: User,
) -> None:
    with app.app_context():
        slots = stream_slots()
    limit = slots.limit
    slots.limit = 0  # every stream refused, as when the web process holds its most
    answers: list[tuple[str, int]] = []
    try:
        page = new_page()
        page.on("response", lambda r: answers.append((r.url, r.status)))
        sign_in(page, live_server, operator.username, PASSWORD)
        obs = app.extensions["obs"]
        for path, shown in (
            (f"/studio/{studio_id}", "#program"),
            ("/studio", f'.studio-card[data-studio="{studio_id}"] .program'),
        ):
            page.goto(live_server + path)
            now = obs.request("GetCurrentProgramScene")["currentProgramSceneName"]
            other = SCENES["pip"] if now != SCENES["pip"] else SCENES["slides"]
            obs.request("SetCurrentProgramScene", {"sceneName": other})  # switched elsewhere
            page.locator(shown, has_text=other).wait_for(timeout=12_000)
        assert any(url.endswith("/events") and status == 503 for url, status in answers)
        assert any(url.endswith(f"/studios/{studio_id}/state") for url, _ in answers)
        assert any(url.endswith("/api/v1/studios") and status == 200 for url, status in answers)
    finally:
        slots.limit = limit
