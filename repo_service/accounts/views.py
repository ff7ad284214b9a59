"""Sign-in, registration, personal tokens and user administration: pages and JSON API."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from repo_service.access import PUBLIC, SIGNED_IN, access, current_user, require_user
from repo_service.accounts import services
from repo_service.accounts.auth import (
    authenticate,
    csrf_token,
    issue_token,
    login_session,
    logout_session,
    revoke_token,
)
from repo_service.accounts.forms import parse_registration, text
from repo_service.accounts.models import STREETS, ApiToken, Organisation, Role, User
from repo_service.api import documented, request_data
from repo_service.db import get_session
from repo_service.errors import DomainError

bp = Blueprint("accounts", __name__)


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(r.value for r in user.roles),
        "organisation": user.organisation.name,
    }


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect after login is a phishing aid.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("pages.home")


# --- pages ------------------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@access(PUBLIC)
def login_page() -> str | BaseResponse:
    error = None
    if request.method == "POST":
        try:
            user = authenticate(
                get_session(),
                current_app.extensions["login_throttle"],
                request.form.get("username", ""),
                request.form.get("password", ""),
            )
        except DomainError as exc:
            if exc.status == 429:
                raise
            error = exc
        else:
            login_session(user)
            return redirect(_safe_next(request.form.get("next")))
    status = 401 if error else 200
    return render_template(
        "accounts/login.html", error=error, next=request.args.get("next", "")
    ), status  # type: ignore[return-value]


@bp.post("/logout")
@access(PUBLIC)
def logout_page() -> BaseResponse:
    logout_session()
    return redirect(url_for("pages.home"))


@bp.route("/register", methods=["GET", "POST"])
@access(PUBLIC)
def register_page() -> str | BaseResponse:
    error = None
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = request.form.to_dict()
        db = get_session()
        try:
            user = services.register_resident(db, parse_registration(values))
            db.commit()
        except DomainError as exc:
            db.rollback()
            error = exc
        else:
            login_session(user)
            flash("注册成功，欢迎加入智学江宁！|Welcome to Zhixue Jiangning!")
            return redirect(url_for("pages.home"))
    return render_template(  # type: ignore[return-value]
        "accounts/register.html", error=error, values=values, streets=STREETS
    ), (400 if error else 200)


@bp.get("/account")
@access(SIGNED_IN)
def account_page() -> str:
    user = require_user()
    tokens = (
        get_session()
        .scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc()))
        .all()
    )
    return render_template("accounts/account.html", user=user, tokens=tokens, new_token=None)


@bp.post("/account/tokens")
@access(SIGNED_IN)
def create_token_page() -> str:
    user = require_user()
    db = get_session()
    _token, secret = issue_token(db, user, request.form.get("name", ""))
    db.commit()
    tokens = db.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    ).all()
    return render_template("accounts/account.html", user=user, tokens=tokens, new_token=secret)


@bp.post("/account/tokens/<int:token_id>/revoke")
@access(SIGNED_IN)
def revoke_token_page(token_id: int) -> BaseResponse:
    db = get_session()
    revoke_token(db, require_user(), token_id)
    db.commit()
    return redirect(url_for("accounts.account_page"))


@bp.route("/admin/users", methods=["GET", "POST"])
@access(Role.ADMIN)
def admin_users_page() -> str | tuple[str, int]:
    db = get_session()
    error = None
    imported = None
    if request.method == "POST":
        try:
            if "sheet" in request.files:
                imported = services.import_users_xlsx(db, request.files["sheet"].stream)
            else:
                services.create_staff_user(
                    db, request.form.to_dict(), request.form.getlist("roles")
                )
            db.commit()
        except DomainError as exc:
            db.rollback()
            error = exc
    users = db.scalars(select(User).order_by(User.id.desc()).limit(200)).all()
    orgs = db.scalars(select(Organisation).order_by(Organisation.id)).all()
    html = render_template(
        "accounts/admin_users.html",
        users=users,
        orgs=orgs,
        error=error,
        imported=imported,
        roles=list(Role),
    )
    return (html, 400) if error else html


# --- JSON API ---------------------------------------------------------------------------------


@bp.get("/api/v1/session")
@access(PUBLIC)
@documented("当前会话与 CSRF 令牌", "Current session and CSRF token", tag="accounts")
def api_session() -> Response:
    user = current_user()
    return jsonify(user=user_json(user) if user else None, csrf_token=csrf_token())


@bp.post("/api/v1/session")
@access(PUBLIC)
@documented(
    "用户名密码登录",
    "Sign in with username and password",
    tag="accounts",
    body={"username": "string", "password": "string"},
)
def api_login() -> Response:
    data = request_data()
    user = authenticate(
        get_session(),
        current_app.extensions["login_throttle"],
        str(data.get("username", "")),
        str(data.get("password", "")),
    )
    login_session(user)
    return jsonify(user=user_json(user), csrf_token=csrf_token())


@bp.delete("/api/v1/session")
@access(PUBLIC)
@documented("退出登录", "Sign out", tag="accounts")
def api_logout() -> tuple[str, int]:
    logout_session()
    return "", 204


@bp.post("/api/v1/register")
@access(PUBLIC)
@documented(
    "居民实名注册",
    "Resident self-registration (real name)",
    tag="accounts",
    body={
        "real_name": "string",
        "mobile": "string",
        "street": "string",
        "community": "string",
        "birth_year": "integer",
        "password": "string",
    },
)
def api_register() -> tuple[Response, int]:
    db = get_session()
    user = services.register_resident(db, parse_registration(request_data()))
    db.commit()
    login_session(user)
    return jsonify(user=user_json(user), csrf_token=csrf_token()), 201


@bp.get("/api/v1/me")
@access(SIGNED_IN)
@documented("当前用户", "The signed-in user", tag="accounts")
def api_me() -> Response:
    return jsonify(user=user_json(require_user()))


@bp.post("/api/v1/tokens")
@access(SIGNED_IN)
@documented(
    "创建个人 API 令牌（只显示一次）",
    "Create a personal API token (shown once)",
    tag="accounts",
    body={"name": "string"},
)
def api_create_token() -> tuple[Response, int]:
    db = get_session()
    token, secret = issue_token(db, require_user(), str(request_data().get("name", "")))
    db.commit()
    return jsonify(id=token.id, name=token.name, token=secret), 201


@bp.delete("/api/v1/tokens/<int:token_id>")
@access(SIGNED_IN)
@documented("撤销 API 令牌", "Revoke an API token", tag="accounts")
def api_revoke_token(token_id: int) -> tuple[str, int]:
    db = get_session()
    revoke_token(db, require_user(), token_id)
    db.commit()
    return "", 204


@bp.post("/api/v1/admin/users")
@access(Role.ADMIN)
@documented(
    "管理员创建教师、评委、操作员",
    "Admin creates a teacher, judge or operator",
    tag="accounts",
    body={
        "username": "string",
        "password": "string",
        "display_name": "string",
        "organisation": "string",
        "roles": "array",
    },
)
def api_create_user() -> tuple[Response, int]:
    db = get_session()
    data = request_data()
    roles = data.get("roles") or []
    user = services.create_staff_user(db, data, roles if isinstance(roles, list) else [roles])
    db.commit()
    return jsonify(user=user_json(user)), 201


@bp.post("/api/v1/admin/users/import")
@access(Role.ADMIN)
@documented(
    "从 XLSX 表格导入用户",
    "Import users from an XLSX sheet",
    tag="accounts",
    body={"sheet": "file"},
)
def api_import_users() -> tuple[Response, int]:
    if "sheet" not in request.files:
        from repo_service.errors import InvalidInput

        raise InvalidInput(
            "请上传 XLSX 文件（字段名 sheet）", "Upload an XLSX file in the field 'sheet'"
        )
    db = get_session()
    created = services.import_users_xlsx(db, request.files["sheet"].stream)
    db.commit()
    return jsonify(created=created), 201


__all__ = ["bp", "text"]
