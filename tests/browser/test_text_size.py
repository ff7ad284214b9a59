"""Large text for elderly learners: one tap in the header, remembered on this phone, on every
page, and the pages still fit the screen and meet WCAG 2.1 AA with it on."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page

from repo_service.accounts.models import Role
from tests.browser.test_everyday_pages import PHONE, _axe, phone_page, published
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.integration]

TOGGLE = "header button[data-text-size]"


def _font_px(page: Page, selector: str) -> float:
    size: str = page.eval_on_selector(selector, "e => getComputedStyle(e).fontSize")
    return float(size.removesuffix("px"))


def _is_large(page: Page) -> bool:
    on: bool = page.evaluate("document.documentElement.classList.contains('large-text')")
    return on


def _fits(page: Page) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), f"{page.url} is {width} px wide"
    return width


def test_large_text_is_one_tap_remembered_across_pages_and_still_fits_a_phone(
    app: Flask, browser: Browser, live_server: str
) -> None:
    teacher = make_user(app, Role.TEACHER)
    rid, _key = published(app, teacher.id, "智能手机入门 大字版", "职业技能", "秣陵")
    pages = ["/", "/resources", f"/resources/{rid}", "/live", "/login", "/register"]

    page = phone_page(browser)
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(live_server + "/")
    # Loaded in <head>, neither deferred nor async: the class is set before the body is drawn.
    script = page.locator("head script[src*='js/textsize.js']")
    assert script.count() == 1
    assert script.get_attribute("defer") is None
    assert script.get_attribute("async") is None
    toggle = page.locator(TOGGLE)
    assert toggle.inner_text().strip() == "大字"
    assert toggle.get_attribute("aria-pressed") == "false"
    assert toggle.is_visible()  # on a phone it sits by the name, not at the end of the nav
    before = _font_px(page, "html")
    body_before = _font_px(page, ".hero p")

    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert _is_large(page)
    assert _font_px(page, "html") >= before * 1.2
    assert _font_px(page, ".hero p") >= body_before * 1.2
    search_box = page.locator(".hero-search input").bounding_box()
    assert search_box is not None
    assert search_box["height"] >= 44  # a control grows with its text

    # Remembered: after a reload and on every other page, on from the start.
    page.reload()
    assert _is_large(page)
    assert page.locator(TOGGLE).get_attribute("aria-pressed") == "true"
    for path in pages:
        page.goto(live_server + path)
        assert _is_large(page), path
        assert page.locator(TOGGLE).get_attribute("aria-pressed") == "true", path
        assert _font_px(page, "html") >= before * 1.2, path
        _fits(page)
    assert blocked == []

    # Off again, and that is remembered too.
    page.locator(TOGGLE).click()
    page.reload()
    assert not _is_large(page)
    assert page.locator(TOGGLE).get_attribute("aria-pressed") == "false"
    assert _font_px(page, "html") == before
    page.context.close()

    # English pages name the button in English.
    english = phone_page(browser)
    english.goto(live_server + "/?lang=en")
    assert english.locator(TOGGLE).inner_text().strip() == "Large text"
    english.context.close()


def test_pages_with_large_text_meet_wcag_21_aa_at_phone_width(
    app: Flask, browser: Browser, live_server: str
) -> None:
    teacher = make_user(app, Role.TEACHER)
    rid, _key = published(app, teacher.id, "家庭教育 大字版", "家庭教育", "东山")
    # axe is injected as a script of its own: the page's CSP is set aside for the check only.
    page = phone_page(browser, bypass_csp=True)
    page.goto(live_server + "/")
    page.locator(TOGGLE).click()
    found = {}
    for path in ("/", "/resources", f"/resources/{rid}", "/live", "/login"):
        page.goto(live_server + path)
        assert _is_large(page), path
        assert _fits(page) <= PHONE["width"]
        found[path] = _axe(page)
    assert {path: v for path, v in found.items() if v} == {}
    page.context.close()
