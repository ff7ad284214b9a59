"""Admin reviews through the pages; a resident sees only what is published."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser

from repo_service.accounts.models import Role
from repo_service.resources.models import ResourceKind
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, Client, create_resource, make_user
from tests.repo_service.test_uploads import upload_all

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def test_admin_publishes_from_the_review_page_and_residents_see_only_published(
    app: Flask, browser: Browser, live_server: str, media: dict[str, Path], run_dir: Path
) -> None:
    teacher = Client(app, make_user(app, Role.TEACHER))
    shown = create_resource(teacher, ResourceKind.TEXTBOOK, title="湖熟街道 菊花栽培教材")
    hidden = create_resource(teacher, ResourceKind.TEXTBOOK, title="尚未审核的草稿教材")
    for rid in (shown, hidden):
        assert upload_all(teacher, rid, "教材.pdf", media["pdf"].read_bytes()).status_code == 201
    assert teacher.post(f"/api/v1/resources/{shown}/submit").status_code == 200

    admin = make_user(app, Role.ADMIN)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in(page, live_server, admin.username, PASSWORD)
    page.goto(f"{live_server}/review")
    page.click("text=湖熟街道 菊花栽培教材")
    page.click("button:has-text('发布')")
    page.wait_for_selector("text=已发布")
    page.screenshot(path=str(run_dir / "review-published.png"), full_page=True)
    page.close()

    resident = make_user(app, Role.RESIDENT)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in(page, live_server, resident.username, PASSWORD)
    page.goto(f"{live_server}/resources?kind=textbook")
    catalogue = page.locator(".cards").inner_text()
    assert "湖熟街道 菊花栽培教材" in catalogue
    assert "尚未审核的草稿教材" not in catalogue
    response = page.goto(f"{live_server}/resources/{hidden}")
    assert response is not None
    assert response.status == 404
    assert "找不到该资源" in page.content()
    page.close()
