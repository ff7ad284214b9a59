"""Sign-in, throttling, CSRF, tokens, registration and user administration."""

from __future__ import annotations

import io
import secrets

import openpyxl
import pytest
from flask import Flask
from sqlalchemy import select

from repo_service.accounts.models import Role, User
from tests.factories import PASSWORD, Client, make_user

pytestmark = pytest.mark.integration


def login_form(client: Client, username: str, password: str, next_url: str = "") -> object:
    return client.http.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": client.csrf,
            "next": next_url,
        },
    )


def test_login_sets_a_safe_session_cookie_and_logout_ends_it(app: Flask) -> None:
    user = make_user(app, Role.TEACHER)
    client = Client(app, None)
    response = login_form(client, user.username, PASSWORD, "/my/resources")
    assert response.status_code == 302
    assert response.headers["Location"] == "/my/resources"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert client.get("/api/v1/me").get_json()["user"]["username"] == user.username
    # Signing in issues a fresh CSRF token; the one from before no longer works.
    assert client.http.post("/logout", data={"csrf_token": client.csrf}).status_code == 403
    fresh = client.get("/api/v1/session").get_json()["csrf_token"]
    assert client.http.post("/logout", data={"csrf_token": fresh}).status_code == 302
    assert client.get("/api/v1/me").status_code == 401


def test_login_refuses_open_redirects(app: Flask) -> None:
    user = make_user(app, Role.RESIDENT)
    for target in ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]:
        response = login_form(Client(app, None), user.username, PASSWORD, target)
        assert response.headers["Location"] == "/", target


def test_wrong_password_and_unknown_user_get_the_same_answer(app: Flask) -> None:
    user = make_user(app, Role.TEACHER)
    wrong = login_form(Client(app, None), user.username, "not the password")
    unknown = login_form(Client(app, None), f"nobody-{secrets.token_hex(3)}", "whatever")
    assert wrong.status_code == unknown.status_code == 401
    assert "用户名或密码不正确" in wrong.get_data(as_text=True)
    assert "用户名或密码不正确" in unknown.get_data(as_text=True)


def test_too_many_failures_answer_429_without_revealing_the_account(app: Flask) -> None:
    user = make_user(app, Role.TEACHER)
    ghost = f"ghost-{secrets.token_hex(3)}"
    for name in (user.username, ghost):
        client = Client(app, None)
        statuses = []
        for _ in range(12):
            response = client.post(
                "/api/v1/session",
                json={"username": name, "password": "bad"},
                environ_base={"REMOTE_ADDR": f"10.9.{len(name)}.1"},
            )
            statuses.append(response.status_code)
        assert statuses[:10] == [401] * 10
        assert statuses[10:] == [429, 429]
        assert "登录失败次数过多" in response.get_json()["error"]["message"]
        assert int(response.headers["Retry-After"]) > 0
    # Even the right password is refused while throttled.
    blocked = Client(app, None).post(
        "/api/v1/session", json={"username": user.username, "password": PASSWORD}
    )
    assert blocked.status_code == 429


def test_writes_without_the_csrf_token_are_refused(app: Flask) -> None:
    client = Client(app, make_user(app, Role.TEACHER))
    response = client.http.post("/api/v1/tokens", json={"name": "x"})
    assert response.status_code == 403
    assert "刷新页面" in response.get_json()["error"]["message"]
    forged = client.http.post(
        "/api/v1/tokens", json={"name": "x"}, headers={"X-CSRF-Token": "forged"}
    )
    assert forged.status_code == 403


def test_personal_tokens_authenticate_scripts_until_revoked(app: Flask) -> None:
    client = Client(app, make_user(app, Role.OPERATOR))
    created = client.post("/api/v1/tokens", json={"name": "演播室助手"})
    assert created.status_code == 201
    token = created.get_json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    plain = app.test_client()
    me = plain.get("/api/v1/me", headers=bearer)
    assert me.status_code == 200
    assert me.get_json()["user"]["roles"] == ["operator"]
    assert (
        plain.post("/api/v1/tokens", json={"name": "n"}, headers=bearer).status_code == 201
    )  # no CSRF
    assert client.delete(f"/api/v1/tokens/{created.get_json()['id']}").status_code == 204
    revoked = plain.get("/api/v1/me", headers=bearer)
    assert revoked.status_code == 401
    assert "撤销" in revoked.get_json()["error"]["message"]
    assert plain.get("/api/v1/me", headers={"Authorization": "Bearer zx_forged"}).status_code == 401


def test_resident_registration_validates_every_field(app: Flask) -> None:
    client = Client(app, None)
    mobile = "139" + str(secrets.randbelow(10**8)).zfill(8)
    good = {
        "real_name": "张秀英",
        "mobile": mobile,
        "street": "淳化",
        "community": "青龙社区",
        "birth_year": 1956,
        "password": "long enough 1",
    }
    for field, bad, fragment in [
        ("mobile", "12345", "手机号码"),
        ("street", "火星", "街道"),
        ("birth_year", 1800, "出生年份"),
        ("real_name", "<script>", "真实姓名"),
        ("password", "short", "密码"),
        ("employed", "maybe", "在职"),
    ]:
        response = client.post("/api/v1/register", json=good | {field: bad})
        assert response.status_code == 400, field
        assert fragment in response.get_json()["error"]["message"], field
    created = client.post("/api/v1/register", json=good | {"employed": "yes"})
    assert created.status_code == 201
    assert created.get_json()["user"]["roles"] == ["resident"]
    with app.extensions["db"].session() as session:
        user = session.scalar(select(User).where(User.mobile == mobile))
        assert user is not None
        assert (user.birth_year, user.community, user.employed) == (1956, "青龙社区", True)
        assert user.organisation.name == "淳化街道社区教育中心"
    again = Client(app, None).post("/api/v1/register", json=good)
    assert again.status_code == 409


def test_admin_creates_staff_and_imports_a_sheet_all_or_nothing(app: Flask) -> None:
    admin = Client(app, make_user(app, Role.ADMIN))
    name = f"judge-{secrets.token_hex(3)}"
    created = admin.post(
        "/api/v1/admin/users",
        json={
            "username": name,
            "password": "initial pass",
            "display_name": "赵评委",
            "organisation": "谷里",
            "roles": ["judge"],
        },
    )
    assert created.status_code == 201
    assert created.get_json()["user"]["organisation"] == "谷里街道社区教育中心"

    def sheet(rows: list[list[object]]) -> io.BytesIO:
        book = openpyxl.Workbook()
        ws = book.active
        assert ws is not None
        ws.append(["用户名", "姓名", "密码", "机构", "角色"])
        for row in rows:
            ws.append(row)
        out = io.BytesIO()
        book.save(out)
        out.seek(0)
        return out

    tag = secrets.token_hex(3)
    bad = sheet(
        [
            [f"a-{tag}", "甲", "password1", "湖熟", "教师"],
            [f"b-{tag}", "乙", "password2", "湖熟", "厨师"],
        ]
    )
    refused = admin.post("/api/v1/admin/users/import", data={"sheet": (bad, "users.xlsx")})
    assert refused.status_code == 400
    assert "第 3 行" in refused.get_json()["error"]["message"]
    with app.extensions["db"].session() as session:
        assert session.scalar(select(User).where(User.username == f"a-{tag}")) is None

    good = sheet(
        [
            [f"a-{tag}", "甲", "password1", "湖熟", "教师,评委"],
            [f"b-{tag}", "乙", "password2", "麒麟", "operator"],
        ]
    )
    imported = admin.post("/api/v1/admin/users/import", data={"sheet": (good, "users.xlsx")})
    assert imported.status_code == 201
    assert imported.get_json()["created"] == 2
    with app.extensions["db"].session() as session:
        user = session.scalar(select(User).where(User.username == f"a-{tag}"))
        assert user is not None
        assert user.roles == {Role.TEACHER, Role.JUDGE}

    junk = admin.post(
        "/api/v1/admin/users/import", data={"sheet": (io.BytesIO(b"not a zip"), "x.xlsx")}
    )
    assert junk.status_code == 400
    assert "xlsx" in junk.get_json()["error"]["message"]


def test_non_admins_cannot_create_users(app: Flask) -> None:
    teacher = Client(app, make_user(app, Role.TEACHER))
    response = teacher.post(
        "/api/v1/admin/users", json={"username": "x", "password": "y" * 8, "roles": ["admin"]}
    )
    assert response.status_code == 403
