"""A teacher uploads a video and a PDF through the page, with a break in the network."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Route

from repo_service.accounts.models import Role
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.integration]

MiB = 1024 * 1024


def padded_video(media: dict[str, Path], target: Path, size: int) -> Path:
    head = media["video"].read_bytes()
    target.write_bytes(head + os.urandom(size - len(head)))
    return target


def test_upload_two_files_survive_a_network_break_and_appear_in_my_resources(
    app: Flask, browser: Browser, live_server: str, media: dict[str, Path], run_dir: Path
) -> None:
    teacher = make_user(app, Role.TEACHER)
    video = padded_video(media, run_dir / "第二讲 视频通话.mp4", 20 * MiB)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in(page, live_server, teacher.username, PASSWORD)

    # The first two attempts at chunk 1 fail as if the line dropped; the page must retry.
    failures = {"left": 2}

    def flaky(route: Route) -> None:
        if route.request.method == "PUT" and failures["left"] > 0:
            failures["left"] -= 1
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/chunks/1", flaky)
    page.goto(f"{live_server}/upload")
    page.select_option("select[name=kind]", "video")
    page.set_input_files("#files", [str(video)])
    item = page.locator(".upload-item").first
    item.locator("[data-done='1']").or_(item.locator(".state", has_text="完成")).wait_for(
        timeout=60_000
    )
    assert failures["left"] == 0
    assert "完成" in item.locator(".state").inner_text()

    page.select_option("select[name=kind]", "textbook")
    page.set_input_files("#files", [str(media["pdf"])])
    pdf_item = page.locator(".upload-item").nth(1)
    pdf_item.locator(".state", has_text="完成").wait_for(timeout=30_000)
    page.screenshot(path=str(run_dir / "upload-page.png"), full_page=True)

    page.goto(f"{live_server}/my/resources")
    table = page.locator("#my-resources").inner_text()
    assert "第二讲 视频通话.mp4" in table
    assert "textbook.pdf" in table
    page.close()


def test_paused_upload_resumes_after_a_page_reload(
    app: Flask, browser: Browser, live_server: str, media: dict[str, Path], run_dir: Path
) -> None:
    teacher = make_user(app, Role.TEACHER)
    video = padded_video(media, run_dir / "第三讲.mp4", 40 * MiB)
    page = browser.new_page()
    sign_in(page, live_server, teacher.username, PASSWORD)
    # Let only the first chunk through, then pause (as if the teacher left).
    later_chunks = re.compile(r"/chunks/[1-9][0-9]*$")
    page.route(later_chunks, lambda route: route.abort("internetdisconnected"))
    page.goto(f"{live_server}/upload")
    page.set_input_files("#files", [str(video)])
    item = page.locator(".upload-item").first
    item.locator(".state", has_text="网络中断").wait_for(timeout=30_000)
    item.locator("button.pause").click()
    page.unroute(later_chunks)

    page.reload()
    page.set_input_files("#files", [str(video)])  # the same file picked again
    item = page.locator(".upload-item").first
    item.locator(".state", has_text="完成").wait_for(timeout=60_000)
    stats = item.locator(".stats").inner_text()
    assert "40.0 MB / 40.0 MB" in stats
    page.goto(f"{live_server}/my/resources")
    assert page.locator("#my-resources").inner_text().count("第三讲.mp4") == 1
    page.close()
