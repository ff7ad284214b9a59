"""The home page in a real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
def test_home_page_renders_chinese_first(
    browser: Browser, live_server: str, run_dir: Path, width: int, height: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    response = page.goto(live_server + "/")
    assert response is not None
    assert response.status == 200
    assert page.locator("h1").inner_text().startswith("智学江宁")
    assert page.locator(".streets li").count() == 10
    # Nothing wider than the screen on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot = run_dir / f"home-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.click("text=English")
    assert "community learning resources" in page.locator("h1").inner_text()
    page.close()
