"""A teacher uploads through the page: parts straight to the object store, with a break in
the network and a reload; and through the service when the store is not reachable."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Request, Route

from repo_service.accounts.models import Role
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.integration]

MiB = 1024 * 1024

PART_PUT = re.compile(r"[?&]partNumber=\d+&uploadId=")


def part_number(url: str) -> int:
    match = re.search(r"[?&]partNumber=(\d+)", url)
    return int(match.group(1)) if match else 0


def originals(app: Flask) -> list[str]:
    storage = app.extensions["storage"]
    return [
        o.object_name
        for o in storage.client.list_objects(storage.bucket("originals"), recursive=True)
    ]


def padded_video(media: dict[str, Path], target: Path, size: int) -> Path:
    head = media["video"].read_bytes()
    target.write_bytes(head + os.urandom(size - len(head)))
    return target


def test_upload_two_files_straight_to_the_store_through_a_network_break(
    app: Flask, browser: Browser, live_server: str, media: dict[str, Path], run_dir: Path
) -> None:
    teacher = make_user(app, Role.TEACHER)
    video = padded_video(media, run_dir / "第二讲 视频通话.mp4", 20 * MiB)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in(page, live_server, teacher.username, PASSWORD)
    sent: list[str] = []

    def note(request: Request) -> None:
        if request.method == "PUT":
            sent.append(request.url)

    page.on("request", note)
    # The first two attempts at part 2 fail as if the line dropped; the page must retry.
    failures = {"left": 2}

    def flaky(route: Route) -> None:
        if (
            route.request.method == "PUT"
            and part_number(route.request.url) == 2
            and failures["left"]
        ):
            failures["left"] -= 1
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(PART_PUT, flaky)
    before = set(originals(app))
    page.goto(f"{live_server}/upload")
    page.select_option("select[name=kind]", "video")
    page.set_input_files("#files", [str(video)])
    item = page.locator(".upload-item").first
    item.locator(".state", has_text="完成").wait_for(timeout=60_000)
    assert failures["left"] == 0
    assert "20.0 MB / 20.0 MB" in item.locator(".stats").inner_text()

    page.select_option("select[name=kind]", "textbook")
    page.set_input_files("#files", [str(media["pdf"])])
    pdf_item = page.locator(".upload-item").nth(1)
    pdf_item.locator(".state", has_text="完成").wait_for(timeout=30_000)
    page.screenshot(path=str(run_dir / "upload-page.png"), full_page=True)

    # Every byte went to the store's public address; none through the service.
    store = f"//{app.config['S3_PUBLIC_ENDPOINT']}/"
    assert sent
    assert all(store in url for url in sent), sent
    assert not [url for url in sent if "/chunks/" in url]
    assert len(set(originals(app)) - before) == 2
    page.goto(f"{live_server}/my/resources")
    table = page.locator("#my-resources").inner_text()
    assert "第二讲 视频通话.mp4" in table
    assert "textbook.pdf" in table
    page.close()


def test_a_paused_direct_upload_resumes_after_a_page_reload(
    app: Flask, browser: Browser, live_server: str, media: dict[str, Path], run_dir: Path
) -> None:
    teacher = make_user(app, Role.TEACHER)
    video = padded_video(media, run_dir / "第三讲.mp4", 40 * MiB)
    page = browser.new_page()
    sign_in(page, live_server, teacher.username, PASSWORD)

    # Only the first part reaches the store, then the line drops and the teacher pauses.
    def cut(route: Route) -> None:
        if part_number(route.request.url) > 1:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(PART_PUT, cut)
    page.goto(f"{live_server}/upload")
    page.set_input_files("#files", [str(video)])
    item = page.locator(".upload-item").first
    item.locator(".state", has_text="重试").wait_for(timeout=30_000)
    item.locator("button.pause").click()
    page.unroute(PART_PUT)
    resumed: list[int] = []
    page.on(
        "request",
        lambda r: resumed.append(part_number(r.url)) if r.method == "PUT" else None,
    )

    page.reload()
    page.set_input_files("#files", [str(video)])  # the same file picked again
    item = page.locator(".upload-item").first
    item.locator(".state", has_text="完成").wait_for(timeout=60_000)
    assert "40.0 MB / 40.0 MB" in item.locator(".stats").inner_text()
    assert 1 not in resumed  # the part the store already had was not sent again
    assert sorted(resumed) == [2, 3, 4, 5]
    page.goto(f"{live_server}/my/resources")
    assert page.locator("#my-resources").inner_text().count("第三讲.mp4") == 1
    page.close()


def test_a_refused_file_shows_the_services_message(
    app: Flask, browser: Browser, live_server: str, media: dict[str, Path]
) -> None:
    teacher = make_user(app, Role.TEACHER)
    page = browser.new_page()
    sign_in(page, live_server, teacher.username, PASSWORD)
    page.goto(f"{live_server}/upload")
    page.set_input_files("#files", [str(media["text_mp4"])])
    error = page.locator(".upload-item .error")
    error.wait_for(timeout=30_000)
    assert "文本" in error.inner_text()
    assert "失败" in page.locator(".upload-item .state").inner_text()
    page.close()


def test_through_the_service_when_direct_uploads_are_off(
    app: Flask,
    browser: Browser,
    live_server: str,
    media: dict[str, Path],
    run_dir: Path,
    proxied: None,
) -> None:
    teacher = make_user(app, Role.TEACHER)
    video = padded_video(media, run_dir / "第五讲 转发.mp4", 20 * MiB)
    page = browser.new_page()
    sign_in(page, live_server, teacher.username, PASSWORD)
    failures = {"left": 2}

    def flaky(route: Route) -> None:
        if route.request.method == "PUT" and failures["left"] > 0:
            failures["left"] -= 1
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/chunks/1", flaky)
    stored_direct: list[str] = []
    page.on("request", lambda r: stored_direct.append(r.url) if PART_PUT.search(r.url) else None)
    page.goto(f"{live_server}/upload")
    page.set_input_files("#files", [str(video)])
    item = page.locator(".upload-item").first
    item.locator(".state", has_text="完成").wait_for(timeout=60_000)
    assert failures["left"] == 0
    assert stored_direct == []
    assert "20.0 MB / 20.0 MB" in item.locator(".stats").inner_text()
    page.close()
