"""Accounts managed by their owners and by administrators: profile, password change, one-time
reset links, disabling (sessions and tokens end at once), roles in Chinese, finding users."""

from __future__ import annotations

import datetime as dt
import re
import secrets

import pytest
from flask import Flask

from repo_service.accounts.models import PasswordReset, Role, User
from repo_service.db import utcnow
from tests.factories import PASSWORD, Client, make_user

pytestmark = pytest.mark.integration

NEW_PASSWORD = "new-secret-2026"


def signed_in(app: Flask, user: User) -> Client:
    """A client that signed in through the API (a real session, epoch and all)."""
    client = Client(app, None)
    response = client.post(
        "/api/v1/session", json={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.get_json()
    client.csrf = client.get("/api/v1/session").get_json()["csrf_token"]  # renewed at sign-in
    return client


def me(client: Client) -> int:
    return client.get("/api/v1/me").status_code


def test_a_password_change_keeps_this_session_and_ends_the_others(app: Flask) -> None:
    user = make_user(app, Role.RESIDENT)
    here, elsewhere = signed_in(app, user), signed_in(app, user)
    wrong = here.post(
        "/api/v1/me/password", json={"current_password": "nope", "new_password": NEW_PASSWORD}
    )
    assert wrong.status_code == 400
    assert wrong.get_json()["error"]["message"] == "当前密码不正确"
    short = here.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "x"}
    )
    assert short.status_code == 400
    assert (me(here), me(elsewhere)) == (200, 200)  # a refused change changes nothing

    done = here.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert done.status_code == 204
    assert (me(here), me(elsewhere)) == (200, 401)
    old = Client(app, None).post(
        "/api/v1/session", json={"username": user.username, "password": PASSWORD}
    )
    assert old.status_code == 401
    fresh = Client(app, None).post(
        "/api/v1/session", json={"username": user.username, "password": NEW_PASSWORD}
    )
    assert fresh.status_code == 200


def test_the_password_form_confirms_and_keeps_the_user_signed_in(app: Flask) -> None:
    user = make_user(app, Role.TEACHER)
    client = signed_in(app, user)
    page = client.post(
        "/account/password",
        data={
            "csrf_token": client.get("/api/v1/session").get_json()["csrf_token"],
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
        },
        follow_redirects=True,
    )
    assert page.status_code == 200
    assert "密码已修改" in page.text
    assert me(client) == 200


def test_owners_edit_their_profile_within_limits(app: Flask) -> None:
    resident = make_user(app, Role.RESIDENT)
    client = signed_in(app, resident)
    changed = client.patch(
        "/api/v1/me",
        json={
            "display_name": "  李红梅 ",
            "community": "佘村社区",
            "birth_year": 1958,
            "employed": "no",
        },
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["user"]["display_name"] == "李红梅"
    for bad in (
        {"display_name": ""},
        {"birth_year": 1800},
        {"birth_year": "一九五八"},
        {"employed": "sometimes"},
    ):
        refused = client.patch("/api/v1/me", json=bad)
        assert refused.status_code == 400, bad
    with app.extensions["db"].session() as session:
        stored = session.get(User, resident.id)
        assert stored is not None
        assert (stored.display_name, stored.community, stored.birth_year, stored.employed) == (
            "李红梅",
            "佘村社区",
            1958,
            False,
        )


def test_disabling_a_user_ends_her_sessions_and_tokens_at_once(app: Flask) -> None:
    admin = Client(app, make_user(app, Role.ADMIN))
    teacher = make_user(app, Role.TEACHER)
    browser = signed_in(app, teacher)
    token = browser.post("/api/v1/tokens", json={"name": "脚本"}).get_json()["token"]
    script = Client(app, None).http
    bearer = {"Authorization": f"Bearer {token}"}
    assert script.get("/api/v1/me", headers=bearer).status_code == 200

    off = admin.patch(f"/api/v1/admin/users/{teacher.id}", json={"active": False})
    assert off.status_code == 200
    assert off.get_json()["user"]["active"] is False
    assert me(browser) == 401
    assert script.get("/api/v1/me", headers=bearer).status_code == 401
    login = Client(app, None).post(
        "/api/v1/session", json={"username": teacher.username, "password": PASSWORD}
    )
    assert login.status_code == 401

    on = admin.patch(f"/api/v1/admin/users/{teacher.id}", json={"active": True})
    assert on.status_code == 200
    assert script.get("/api/v1/me", headers=bearer).status_code == 200  # the token was kept
    assert me(browser) == 401  # the old session stays ended


def test_an_admin_cannot_lock_herself_out(app: Flask) -> None:
    user = make_user(app, Role.ADMIN)
    admin = Client(app, user)
    for change in ({"active": False}, {"roles": ["teacher"]}):
        refused = admin.patch(f"/api/v1/admin/users/{user.id}", json=change)
        assert refused.status_code == 409, change
    assert admin.get("/api/v1/admin/users").status_code == 200


def test_roles_change_and_read_in_chinese(app: Flask) -> None:
    admin = Client(app, make_user(app, Role.ADMIN))
    user = make_user(app, Role.TEACHER, name=f"role-{utcnow().timestamp():.0f}")
    changed = admin.patch(
        f"/api/v1/admin/users/{user.id}", json={"roles": ["教师", "评委"], "organisation": "东山"}
    )
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()["user"]
    assert body["roles"] == ["judge", "teacher"]
    assert body["role_labels"] == ["评委", "教师"]
    assert body["organisation"] == "东山街道社区教育中心"
    assert admin.patch(f"/api/v1/admin/users/{user.id}", json={"roles": []}).status_code == 400
    unknown = admin.patch(f"/api/v1/admin/users/{user.id}", json={"roles": ["校长"]})
    assert unknown.status_code == 400
    assert "未知角色" in unknown.get_json()["error"]["message"]
    page = admin.get(f"/admin/users/{user.id}").text
    assert "评委" in page
    assert ">judge<" not in page
    listing = admin.get("/admin/users", query_string={"q": user.username}).text
    assert "教师、评委" in listing


def test_admins_find_users_by_name_login_or_mobile(app: Flask) -> None:
    admin = Client(app, make_user(app, Role.ADMIN))
    marker = secrets.token_hex(3)
    target = make_user(app, Role.RESIDENT, display_name=f"张秀英{marker}")
    found = admin.get("/api/v1/admin/users", query_string={"q": f"秀英{marker}"}).get_json()
    assert [u["id"] for u in found["users"]] == [target.id]
    judges = admin.get("/api/v1/admin/users", query_string={"role": "judge"}).get_json()
    assert all("judge" in u["roles"] for u in judges["users"])
    assert admin.get("/api/v1/admin/users", query_string={"role": "boss"}).status_code == 400
    teacher = Client(app, make_user(app, Role.TEACHER))
    assert teacher.get("/api/v1/admin/users").status_code == 403


def test_a_reset_link_works_once_and_only_in_time(app: Flask) -> None:
    admin = Client(app, make_user(app, Role.ADMIN))
    user = make_user(app, Role.RESIDENT)
    before = signed_in(app, user)
    first = admin.post(f"/api/v1/admin/users/{user.id}/password-reset")
    assert first.status_code == 201
    second = admin.post(f"/api/v1/admin/users/{user.id}/password-reset").get_json()["reset_url"]
    old_secret = first.get_json()["reset_url"].rsplit("/", 1)[1]
    secret = second.rsplit("/", 1)[1]
    anonymous = Client(app, None)
    # A newer link replaces the older one.
    assert anonymous.get(f"/reset/{old_secret}").status_code == 404
    page = anonymous.get(f"/reset/{secret}")
    assert page.status_code == 200
    assert user.display_name in page.text
    short = anonymous.post(f"/api/v1/password-reset/{secret}", json={"new_password": "short"})
    assert short.status_code == 400
    done = anonymous.post(f"/api/v1/password-reset/{secret}", json={"new_password": NEW_PASSWORD})
    assert done.status_code == 204
    assert me(before) == 401  # sessions from before the reset end
    again = anonymous.post(f"/api/v1/password-reset/{secret}", json={"new_password": NEW_PASSWORD})
    assert again.status_code == 404
    assert "已使用或已过期" in again.get_json()["error"]["message"]
    signed = Client(app, None).post(
        "/api/v1/session", json={"username": user.username, "password": NEW_PASSWORD}
    )
    assert signed.status_code == 200

    # An expired link is refused like a used one.
    third = admin.post(f"/api/v1/admin/users/{user.id}/password-reset").get_json()["reset_url"]
    with app.extensions["db"].session() as session:
        for reset in session.query(PasswordReset).filter_by(user_id=user.id, used_at=None):
            reset.expires_at = utcnow() - dt.timedelta(minutes=1)
        session.commit()
    assert anonymous.get(f"/reset/{third.rsplit('/', 1)[1]}").status_code == 404


def test_the_admin_page_shows_a_reset_link_once(app: Flask) -> None:
    admin = Client(app, make_user(app, Role.ADMIN))
    user = make_user(app, Role.TEACHER)
    csrf = admin.get("/api/v1/session").get_json()["csrf_token"]
    page = admin.post(f"/admin/users/{user.id}/reset", data={"csrf_token": csrf})
    assert page.status_code == 200
    links = re.findall(r'<code class="token" id="reset-link">([^<]+)</code>', page.text)
    assert len(links) == 1
    assert "/reset/" in links[0]
    assert "reset-link" not in admin.get(f"/admin/users/{user.id}").text
