"""The search page in a real Chromium on a phone: suggestions, highlights, facets, page hits."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from werkzeug.serving import make_server

from tests.conftest import free_port
from tests.search.corpus import RESOURCES
from tests.search.fixtures import Corpus

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture(scope="module")
def corpus_server(corpus: Corpus) -> Iterator[str]:
    server = make_server("127.0.0.1", free_port(), corpus.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_search_page_on_a_phone(
    browser: Browser,
    corpus: Corpus,
    corpus_server: str,
    run_dir: Path,
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page.goto(f"{corpus_server}/search")
    # Initials typed without a Chinese input method are suggested as titles.
    page.fill("#q", "znsj")
    options = page.locator("#suggestions li")
    options.first.wait_for(timeout=5000)
    assert "智能手机" in options.first.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    results = page.locator("#results > li")
    assert results.count() >= 1
    assert "智能手机" in results.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Highlights, then a facet narrows the results and shows it is in use.
    page.goto(f"{corpus_server}/search?q=茶叶")
    assert page.locator("#results mark").first.inner_text() == "茶叶"
    facet = page.locator(".facets a").filter(has_text="三农培训").first
    facet.click()
    page.wait_for_url("**category=*")
    assert "✓" in page.locator(".facets a.on").first.inner_text()
    for text in page.locator("#results > li .muted").all_inner_texts():
        assert "三农培训" in text

    # Text found only inside a textbook is a page hit that opens that page.
    tea = next(r for r in RESOURCES if r["key"] == "tea-planting")
    assert "明前茶" in "".join(tea["pages"])
    assert "明前茶" not in tea["title"] + tea["summary"]
    page.goto(f"{corpus_server}/search?q=明前茶")
    badge = page.locator("#results .page-hit").first
    number = badge.inner_text().split()[1]
    badge.locator("xpath=..").locator("a").first.click()
    page.wait_for_url(f"**#page-{number}")
    assert page.locator(f"#page-{number} details").get_attribute("open") is not None
    assert page.locator(f"#page-{number}").is_visible()
    page.screenshot(path=str(run_dir / "search-390.png"), full_page=True)
    page.close()


def test_search_page_meets_wcag_21_aa_under_the_csp_and_reflows_at_200_percent(
    browser: Browser, corpus_server: str
) -> None:
    from tests.browser.test_everyday_pages import _axe

    url = f"{corpus_server}/search?q=智能手机"
    page = browser.new_page(viewport={"width": 390, "height": 844})
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(url)
    page.fill("#q", "laji")
    page.locator("#suggestions li").first.wait_for(timeout=5000)
    assert blocked == []
    page.close()
    checked = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = checked.new_page()
    page.goto(url)
    assert _axe(page) == []
    checked.close()
    zoomed = browser.new_page(viewport={"width": 195, "height": 422})
    zoomed.goto(url)
    assert zoomed.evaluate("document.documentElement.scrollWidth") <= 195
    zoomed.close()
