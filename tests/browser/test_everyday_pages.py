"""The pages residents use every day, in Chromium at phone width: no dead ends, no internals,
a player for weak links, accessible pages under a strict Content-Security-Policy."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from playwright.sync_api import Browser, Page

from repo_service.accounts.models import STREETS, Role
from repo_service.accounts.services import find_organisation
from repo_service.db import utcnow
from repo_service.resources.models import Resource, ResourceKind, ResourceStatus
from repo_service.resources.services import add_version
from repo_service.vocabulary.services import categories
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, Client, make_user
from tests.transcoder.conftest import upload_and_process

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "var" / "test-assets" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
ORIGINAL_NAME = "王老师-终稿-v3(1).pdf"


def published(
    app: Flask, owner_id: int, title: str, category: str, street: str, **version: Any
) -> tuple[int, str]:
    """A published resource with a stored-looking version (not processed); its object key."""
    key = f"t/everyday-{secrets.token_hex(6)}"
    with app.extensions["db"].session() as session:
        resource = Resource(
            kind=version.pop("kind", ResourceKind.TEXTBOOK),
            title=title,
            summary=f"{title}的简介：适合社区居民学习。",
            category=category,
            audience="社区居民",
            authors="王老师",
            organisation_id=find_organisation(session, street).id,
            owner_id=owner_id,
            status=ResourceStatus.PUBLISHED,
            published_at=utcnow(),
        )
        session.add(resource)
        session.flush()
        add_version(
            session,
            app.extensions["celery"],
            resource,
            object_key=key,
            filename=version.pop("filename", ORIGINAL_NAME),
            size=version.pop("size", 2_345_678),
            content_type=version.pop("content_type", "application/pdf"),
            created_by_id=owner_id,
            process=False,
        )
        session.commit()
        return resource.id, key


@pytest.fixture(scope="module")
def catalogue(app: Flask) -> dict[str, Any]:
    """One published resource in every subject and every street."""
    teacher = make_user(app, Role.TEACHER)
    with app.extensions["db"].session() as session:
        subjects = [zh for zh, _en in categories(session)]
    assert len(subjects) <= len(STREETS)
    made = [
        published(
            app,
            teacher.id,
            f"{subjects[i % len(subjects)]}入门 第{i + 1}讲",
            subjects[i % len(subjects)],
            street,
        )
        for i, street in enumerate(STREETS)
    ]
    return {
        "teacher": teacher,
        "subjects": subjects,
        "ids": [rid for rid, _key in made],
        "keys": [k for _r, k in made],
    }


def phone_page(browser: Browser, **context: Any) -> Page:
    return browser.new_context(viewport=PHONE, **context).new_page()


def test_every_home_tile_leads_to_a_page_with_resources(
    browser: Browser, live_server: str, catalogue: dict[str, Any]
) -> None:
    page = phone_page(browser)
    page.goto(live_server + "/")
    links = page.locator(".tiles a, .streets a")
    assert links.count() == len(catalogue["subjects"]) + len(STREETS)
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert all(targets), "a tile without a link is a dead end"
    for href in targets:
        response = page.goto(live_server + str(href))
        assert response is not None
        assert response.status == 200, href
        assert page.locator(".cards li.card").count() >= 1, href
        heading = page.locator("h1").inner_text()
        assert heading != "学习资源库", f"{href} does not say which subject or street it shows"
    # The page no longer sends residents to the raw health JSON.
    page.goto(live_server + "/")
    assert page.locator("a[href='/healthz']").count() == 0
    assert page.locator("a[href='/live']").count() >= 1
    assert page.goto(live_server + "/live").status == 200  # type: ignore[union-attr]
    page.context.close()


def test_a_course_page_shows_a_resident_no_storage_details(
    app: Flask, browser: Browser, live_server: str, catalogue: dict[str, Any]
) -> None:
    resident = make_user(app, Role.RESIDENT)
    page = phone_page(browser)
    sign_in(page, live_server, resident.username, PASSWORD)
    rid, key = catalogue["ids"][0], catalogue["keys"][0]
    page.goto(f"{live_server}/resources/{rid}")
    text = page.locator("main").inner_text()
    html = page.content()
    for internal in ("application/pdf", key, ORIGINAL_NAME, "已发布", "版本 1"):
        assert internal not in html, internal
    assert page.locator(".badge[class*=status-]").count() == 0
    # The download says what it is and how big, in words.
    download = page.locator(".downloads a[download]")
    assert re.fullmatch(r"下载 PDF 文档（2\.24 MB）", download.inner_text().strip())
    assert "王老师" in text
    page.context.close()


def test_anonymous_pages_set_no_cookie_and_every_answer_carries_security_headers(
    live_server: str, catalogue: dict[str, Any]
) -> None:
    rid = catalogue["ids"][0]
    for path in ("/", "/resources", f"/resources/{rid}", "/live", "/competitions"):
        response = requests.get(live_server + path, timeout=10)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
        assert "Cookie" not in response.headers.get("Vary", ""), path
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"]
        assert "<script>" not in response.text  # no inline code to allow
    # A page with a form starts the session its token needs.
    assert "session=" in requests.get(live_server + "/login", timeout=10).headers["Set-Cookie"]


def test_static_files_are_fingerprinted_compressed_and_cached_for_a_year(live_server: str) -> None:
    home = requests.get(live_server + "/", timeout=10).text
    addresses = re.findall(r'(?:src|href)="(/static/[^"]+\?v=[0-9a-f]{12})"', home)
    assert any("site.css" in a for a in addresses)
    assert any("site.js" in a for a in addresses)
    for address in addresses:
        response = requests.get(
            live_server + address, headers={"Accept-Encoding": "gzip"}, timeout=10
        )
        assert response.status_code == 200
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert "immutable" in response.headers["Cache-Control"]
        assert response.headers.get("Content-Encoding") == "gzip", address
    hls = requests.get(
        live_server + "/static/vendor/hls.min.js", headers={"Accept-Encoding": "gzip"}, timeout=10
    )
    assert hls.headers["Content-Encoding"] == "gzip"
    assert int(hls.headers["Content-Length"]) < 300_000  # 600 KB and more uncompressed
    assert hls.headers["Cache-Control"] == "no-cache"  # an address without the digest
    again = requests.get(
        live_server + "/static/vendor/hls.min.js",
        headers={"Accept-Encoding": "gzip", "If-None-Match": hls.headers["ETag"]},
        timeout=10,
    )
    assert again.status_code == 304


# The search page is checked the same way over its own indexed corpus (test_search_page).
PUBLIC_PAGES = ("/", "/resources", "/register", "/login", "/live")


def _pages_to_check(catalogue: dict[str, Any]) -> list[str]:
    return [*PUBLIC_PAGES, f"/resources/{catalogue['ids'][0]}"]


def test_no_page_breaks_the_content_security_policy(
    app: Flask, browser: Browser, live_server: str, catalogue: dict[str, Any]
) -> None:
    page = phone_page(browser)
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    for path in _pages_to_check(catalogue):
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
    sign_in(page, live_server, catalogue["teacher"].username, PASSWORD)
    for path in ("/upload", "/my/resources", "/account"):
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
    assert problems == []
    page.context.close()


def _axe(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
              values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def test_pages_meet_wcag_21_aa_at_phone_width_and_reflow_at_200_percent_zoom(
    app: Flask, browser: Browser, live_server: str, catalogue: dict[str, Any]
) -> None:
    assert AXE.exists(), "./infra/install copies axe-core for the browser tests"
    # axe is injected as a script of its own: the page's CSP is set aside for the check only.
    page = phone_page(browser, bypass_csp=True)
    found: dict[str, Any] = {}
    for path in _pages_to_check(catalogue):
        page.goto(live_server + path)
        found[path] = _axe(page)
    sign_in(page, live_server, catalogue["teacher"].username, PASSWORD)
    page.goto(live_server + "/upload")
    found["/upload"] = _axe(page)
    assert {path: v for path, v in found.items() if v} == {}
    page.context.close()
    # 200 % zoom on a phone leaves 195 CSS pixels: nothing may need scrolling sideways.
    zoomed = browser.new_context(viewport={"width": 195, "height": 422}).new_page()
    for path in _pages_to_check(catalogue):
        zoomed.goto(live_server + path)
        width = zoomed.evaluate("document.documentElement.scrollWidth")
        assert width <= 195, f"{path} is {width} px wide at 200 % zoom"
    zoomed.context.close()


@pytest.mark.slow
@pytest.mark.usefixtures("celery_worker")
def test_the_player_waits_for_play_and_audio_only_fetches_no_video(
    app: Flask, browser: Browser, live_server: str, inputs: dict[str, Path]
) -> None:
    teacher = make_user(app, Role.TEACHER)
    admin = Client(app, make_user(app, Role.ADMIN))
    data = inputs["landscape.mp4"].read_bytes()
    rid, version = upload_and_process(app, Client(app, teacher), data, "微课.mp4")
    assert version.master_key, version.processing_error_en
    assert admin.post(f"/api/v1/resources/{rid}/publish").status_code == 200

    page = phone_page(browser)
    segments: list[str] = []
    page.on("request", lambda r: segments.append(r.url) if ".ts" in r.url.split("?")[0] else None)
    page.goto(f"{live_server}/resources/{rid}")
    page.wait_for_function("() => window.zxHls && window.zxHls.levels.length > 0")
    page.wait_for_timeout(1500)
    assert segments == [], "segments fetched before the viewer pressed play"
    options = page.locator("select.quality option").all_inner_texts()
    assert options[0] == "自动"
    assert {"360p", "720p"} <= set(options[1:])
    assert page.locator("video").get_attribute("aria-label") == "微课.mp4"

    # The big play button starts playback with one tap.
    page.evaluate("() => { document.querySelector('video').muted = true; }")
    page.click(".play-big")
    page.wait_for_function("() => document.querySelector('video').currentTime > 0.5")
    assert segments
    assert all("/vaudio/" not in s for s in segments)

    # Audio only: chosen once, remembered by this device, and no video segment is fetched.
    page.check("input.audio-only")
    page.reload()
    assert page.locator("input.audio-only").is_checked()
    segments.clear()
    page.evaluate("() => { document.querySelector('video').muted = true; }")
    page.click(".play-big")
    page.wait_for_function("() => document.querySelector('video').currentTime > 0.5")
    assert segments
    assert all("/vaudio/" in s for s in segments), segments
    assert page.locator("select.quality").is_disabled()
    page.context.close()

    # The jobs page names the resource, and on a phone every column, actions included, fits.
    boss = make_user(app, Role.ADMIN)
    page = phone_page(browser)
    sign_in(page, live_server, boss.username, PASSWORD)
    page.goto(f"{live_server}/admin/jobs")
    row = page.locator("#jobs tbody tr").first
    assert row.locator("a", has_text="微课.mp4").count() == 1
    assert "排队" in row.inner_text()
    redo = row.locator("button", has_text="全部重做")
    box = redo.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.context.close()


def test_signed_in_pages_meet_wcag_21_aa_at_phone_width(
    app: Flask, browser: Browser, live_server: str, catalogue: dict[str, Any]
) -> None:
    admin = make_user(app, Role.ADMIN)
    page = phone_page(browser, bypass_csp=True)
    sign_in(page, live_server, admin.username, PASSWORD)
    found: dict[str, Any] = {}
    for path in (
        "/account",
        "/admin/users",
        f"/admin/users/{catalogue['teacher'].id}",
        "/admin/jobs",
        "/review",
        "/my/resources",
        "/competitions",
        "/admin/search",
        "/admin/vocabulary",
        "/me/learning",
        "/admin/dashboard",
        "/admin/populations",
        "/studio",
        "/studio/new",
        "/activities",
    ):
        response = page.goto(live_server + path)
        assert response is not None
        assert response.status == 200, path
        found[path] = _axe(page)
    assert {path: v for path, v in found.items() if v} == {}
    page.context.close()
