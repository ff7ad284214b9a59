"""Through the pages: the teacher sees processing progress; the video then plays with hls.js."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser

from repo_service.accounts.models import Role
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.usefixtures("celery_worker"),
]


def test_upload_shows_processing_progress_then_the_video_plays(
    app: Flask, browser: Browser, live_server: str, inputs: dict[str, Path], run_dir: Path
) -> None:
    teacher = make_user(app, Role.TEACHER)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server, teacher.username, PASSWORD)
    page.goto(f"{live_server}/upload")
    page.select_option("select[name=kind]", "video")
    page.set_input_files("#files", [str(inputs["landscape.mp4"])])
    page.locator(".upload-item .state", has_text="完成").wait_for(timeout=60_000)
    page.click("text=查看资源")

    # The processing panel polls and shows each step's progress bar until the video is ready.
    page.locator("#processing .job").first.wait_for(timeout=30_000)
    assert page.locator("#processing progress").count() >= 1
    page.wait_for_selector("#processing .job-done", timeout=120_000)
    # When every step is done the page reloads itself and shows the player.
    page.locator("video#player").wait_for(timeout=180_000)
    page.evaluate(
        "() => { const v = document.querySelector('#player'); v.muted = true; return v.play(); }"
    )
    page.wait_for_function(
        "() => document.querySelector('#player').currentTime > 1.0", timeout=30_000
    )
    assert page.evaluate("() => window.zxHls.levels.length") >= 3
    page.screenshot(path=str(run_dir / "playback.png"))
    page.close()
