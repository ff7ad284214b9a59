"""An offline activity in Chromium: the organiser shows the QR code, a resident's phone opens
it, signs in and confirms, and the organiser's page lists her; the sign-in page meets WCAG 2.1
AA at phone width."""

from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page

from repo_service.accounts.models import Role, User
from repo_service.db import utcnow
from tests.factories import PASSWORD, Client, make_user

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "var" / "test-assets" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


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


def _resident(app: Flask) -> User:
    user = make_user(app, Role.RESIDENT, display_name="王秀英")
    with app.extensions["db"].session() as session:
        row = session.get(User, user.id)
        assert row is not None
        row.mobile = "139" + "".join(secrets.choice("0123456789") for _ in range(8))
        row.birth_year = 1951
        session.flush()
        session.expunge(row)
    return row


def _sign_in_from_login(page: Page, username: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def _read_qr(png: Path) -> str:
    zbar = shutil.which("zbarimg")
    assert zbar, "zbarimg is missing: install the Debian package zbar-tools (./infra/install)"
    out = subprocess.run(
        [zbar, "--raw", "-q", str(png)], capture_output=True, text=True, check=False, timeout=60
    )
    return out.stdout.strip()


def test_a_resident_signs_in_by_phone_and_the_organiser_sees_her(
    app: Flask, browser: Browser, live_server: str, tmp_path: Path
) -> None:
    assert AXE.exists(), "./infra/install copies axe-core for the browser tests"
    organiser = make_user(app, Role.TEACHER, street="秣陵")
    created = Client(app, organiser).post(
        "/api/v1/activities",
        json={
            "title": "智能手机使用培训",
            "kind": "elderly",
            "day": utcnow().date().isoformat(),
            "place": "秣陵街道社区教育中心",
        },
    )
    assert created.status_code == 201, created.get_json()
    aid = created.get_json()["activity"]["id"]

    # The organiser's QR page: the code on the screen holds the sign-in address of this site.
    desk = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    desk.goto(f"{live_server}/login")
    _sign_in_from_login(desk, organiser.username)
    desk.wait_for_url(f"{live_server}/")
    desk.goto(f"{live_server}/activities/{aid}/qr")
    assert _axe(desk) == []
    shot = tmp_path / "qr.png"
    desk.locator("#qr svg").screenshot(path=str(shot))
    signin_url = _read_qr(shot)
    assert signin_url.startswith(f"{live_server}/activities/sign-in/"), signin_url

    # The resident's phone opens it, is asked to sign in, and comes back to confirm.
    person = _resident(app)
    phone = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    phone.goto(signin_url)
    assert "/login?next=" in phone.url
    _sign_in_from_login(phone, person.username)
    phone.wait_for_url(signin_url)
    assert phone.locator("h1").inner_text() == "智能手机使用培训"
    button = phone.locator("#signin-form button")
    assert button.inner_text() == "签到"
    box = button.bounding_box()
    assert box is not None
    assert box["height"] >= 60
    assert box["width"] >= 300
    assert _axe(phone) == []
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the sign-in page is {width} px wide"

    button.click()
    phone.wait_for_selector("#signin-state")
    assert "已签到" in phone.locator("#signin-state").inner_text()
    assert "签到成功" in phone.locator(".flash").inner_text()
    assert _axe(phone) == []
    # Signing in again (a second tap, a reload) adds nobody.
    phone.goto(signin_url)
    assert phone.locator("#signin-form").count() == 0

    desk.goto(f"{live_server}/activities/{aid}")
    found = {"detail": _axe(desk)}
    rows = desk.locator("#attendance tbody tr")
    assert rows.count() == 1
    text = rows.first.inner_text()
    assert "王秀英" in text
    assert "扫码签到" in text
    assert person.mobile is not None
    assert person.mobile not in text
    assert person.mobile[-4:] in text
    for name, path in (("list", "/activities"), ("form", f"/activities/{aid}/edit")):
        desk.goto(live_server + path)
        found[name] = _axe(desk)
    assert {name: v for name, v in found.items() if v} == {}
    desk.context.close()
    phone.context.close()


def _sheet(path: Path, rows: list[tuple[Any, ...]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "手机号", "出生年份"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_an_organiser_imports_a_paper_sheet_with_a_bad_row_then_the_fixed_one(
    app: Flask, browser: Browser, live_server: str, tmp_path: Path
) -> None:
    organiser = make_user(app, Role.TEACHER, street="秣陵")
    created = Client(app, organiser).post(
        "/api/v1/activities",
        json={
            "title": "草莓大棚种植培训",
            "kind": "sannong",
            "day": utcnow().date().isoformat(),
            "place": "秣陵街道东旺社区",
        },
    )
    assert created.status_code == 201, created.get_json()
    aid = created.get_json()["activity"]["id"]
    page = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    page.goto(f"{live_server}/login")
    _sign_in_from_login(page, organiser.username)
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/activities/{aid}")

    rows: list[tuple[Any, ...]] = [
        ("李建国", "13951110001", 1958),
        ("张桂兰", "1395111", 1962),  # row 3: a mobile number too short
        ("陈志强", "13951110003", 1971),
    ]
    page.set_input_files("#import-form input[name=file]", str(_sheet(tmp_path / "bad.xlsx", rows)))
    page.click("#import-form button[type=submit]")
    alert = page.locator("#form-error")
    alert.wait_for()
    assert "第 3 行" in alert.inner_text(), alert.inner_text()
    assert "还没有人签到" in page.locator("#attendance").inner_text()  # nothing of it went in
    assert _axe(page) == []

    rows[1] = ("张桂兰", "13951110002", 1962)
    page.set_input_files("#import-form input[name=file]", str(_sheet(tmp_path / "good.xlsx", rows)))
    page.click("#import-form button[type=submit]")
    page.locator(".flash").wait_for()
    names = page.locator("#attendance tbody tr").all_inner_texts()
    assert len(names) == 3
    assert all(any(n in row for row in names) for n in ("李建国", "张桂兰", "陈志强"))
    page.context.close()
