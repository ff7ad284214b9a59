"""Sign-in, registration, personal tokens and user administration: pages and JSON API."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse

from repo_service.access import PUBLIC, SIGNED_IN, access, current_user, require_user
from repo_service.accounts import services
from repo_service.accounts.auth import (
    authenticate,
    csrf_exempt,
    csrf_token,
    issue_token,
    login_session,
    logout_session,
    revoke_token,
)
from repo_service.accounts.forms import parse_registration, text
from repo_service.accounts.models import ROLE_LABELS, STREETS, ApiToken, Organisation, Role, User
from repo_service.api import documented, request_data
from repo_service.db import get_session
from repo_service.errors import DomainError, InvalidInput, NotFound

bp = Blueprint("accounts", __name__)


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(r.value for r in user.roles),
        "role_labels": [ROLE_LABELS[r][0] for r in sorted(user.roles)],
        "organisation": user.organisation.name,
        "active": user.is_active,
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
            # Back to where she was going (an activity's sign-in she scanned, a course).
            return redirect(_safe_next(values.get("next")))
    return render_template(  # type: ignore[return-value]
        "accounts/register.html",
        error=error,
        values=values,
        streets=STREETS,
        next=values.get("next") or request.args.get("next", ""),
    ), (400 if error else 200)


@bp.get("/account")
@access(SIGNED_IN)
def account_page() -> str:
    return _account()


def _account(error: DomainError | None = None, new_token: str | None = None) -> str:
    user = require_user()
    tokens = (
        get_session()
        .scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc()))
        .all()
    )
    return render_template(
        "accounts/account.html", user=user, tokens=tokens, new_token=new_token, error=error
    )


@bp.post("/account/profile")
@access(SIGNED_IN)
def profile_page() -> str | BaseResponse | tuple[str, int]:
    db = get_session()
    try:
        services.update_profile(require_user(), request.form.to_dict())
        db.commit()
    except DomainError as exc:
        db.rollback()
        return _account(error=exc), 400
    flash("已保存个人资料|Profile saved")
    return redirect(url_for("accounts.account_page"))


@bp.post("/account/password")
@access(SIGNED_IN)
def password_page() -> str | BaseResponse | tuple[str, int]:
    db = get_session()
    user = require_user()
    try:
        services.change_password(
            user, request.form.get("current_password"), request.form.get("new_password")
        )
        db.commit()
    except DomainError as exc:
        db.rollback()
        return _account(error=exc), 400
    login_session(user)  # this browser stays signed in; every other one is signed out
    flash("密码已修改，其他设备上的登录已退出|Password changed; other devices were signed out")
    return redirect(url_for("accounts.account_page"))


@bp.post("/account/tokens")
@access(SIGNED_IN)
def create_token_page() -> str:
    user = require_user()
    db = get_session()
    _token, secret = issue_token(db, user, request.form.get("name", ""))
    db.commit()
    return _account(new_token=secret)


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
    q, role, page = _user_filters()
    users, total = _found_users(q, role, page)
    orgs = db.scalars(select(Organisation).order_by(Organisation.id)).all()
    html = render_template(
        "accounts/admin_users.html",
        users=users,
        orgs=orgs,
        error=error,
        imported=imported,
        roles=list(Role),
        q=q,
        role=role,
        page=page,
        pages=max(1, -(-total // USERS_PER_PAGE)),
        total=total,
    )
    return (html, 400) if error else html


USERS_PER_PAGE = 50


def _user_filters() -> tuple[str, Role | None, int]:
    q = request.args.get("q", "")[:100]
    raw_role = request.args.get("role") or None
    try:
        role = Role(raw_role) if raw_role else None
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        raise InvalidInput("角色或页码无效", "Unknown role or page number") from None
    return q, role, page


def _found_users(q: str, role: Role | None, page: int) -> tuple[list[User], int]:
    """One page of the users matching the filters, and how many match in all."""
    db = get_session()
    query = services.user_query(q, role)
    total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    users = db.scalars(query.limit(USERS_PER_PAGE).offset((page - 1) * USERS_PER_PAGE)).all()
    return list(users), total


def _managed_user(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        raise NotFound("找不到该用户", "No such user")
    return user


def _user_page(
    user: User, error: DomainError | None = None, reset: tuple[str, Any] | None = None
) -> str:
    orgs = get_session().scalars(select(Organisation).order_by(Organisation.id)).all()
    return render_template(
        "accounts/admin_user.html", u=user, orgs=orgs, roles=list(Role), error=error, reset=reset
    )


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@access(Role.ADMIN)
def admin_user_page(user_id: int) -> str | BaseResponse | tuple[str, int]:
    user = _managed_user(user_id)
    if request.method == "POST":
        db = get_session()
        form = request.form
        data: dict[str, Any] = {
            "display_name": form.get("display_name", ""),
            "organisation": form.get("organisation", ""),
            "roles": form.getlist("roles"),
            "active": form.get("active") == "1",
        }
        try:
            services.administer_user(db, require_user(), user, data)
            db.commit()
        except DomainError as exc:
            db.rollback()
            return _user_page(_managed_user(user_id), error=exc), 400
        flash(f"已保存用户“{user.display_name}”|Saved {user.username}")
        return redirect(url_for("accounts.admin_user_page", user_id=user.id))
    return _user_page(user)


@bp.post("/admin/users/<int:user_id>/reset")
@access(Role.ADMIN)
def admin_reset_page(user_id: int) -> str | tuple[str, int]:
    user = _managed_user(user_id)
    db = get_session()
    try:
        secret, expires = services.issue_password_reset(db, require_user(), user)
        db.commit()
    except DomainError as exc:
        db.rollback()
        return _user_page(user, error=exc), 409
    link = url_for("accounts.reset_page", secret=secret, _external=True)
    return _user_page(user, reset=(link, expires))


@bp.route("/reset/<secret>", methods=["GET", "POST"])
@access(PUBLIC)
def reset_page(secret: str) -> str | BaseResponse | tuple[str, int]:
    db = get_session()
    error = None
    try:
        reset = services.find_reset(db, secret)
    except DomainError as exc:
        return render_template("accounts/reset.html", error=exc, target=None), 404
    if request.method == "POST":
        try:
            user = services.use_reset(db, secret, request.form.get("new_password"))
            db.commit()
        except DomainError as exc:
            db.rollback()
            error = exc
        else:
            login_session(user)
            flash("密码已重设，欢迎回来|Password set; welcome back")
            return redirect(url_for("accounts.account_page"))
    html = render_template("accounts/reset.html", error=error, target=reset.user)
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
        "employed": "yes|no|（空）：在职情况（从业人员）",
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
        raise InvalidInput(
            "请上传 XLSX 文件（字段名 sheet）", "Upload an XLSX file in the field 'sheet'"
        )
    db = get_session()
    created = services.import_users_xlsx(db, request.files["sheet"].stream)
    db.commit()
    return jsonify(created=created), 201


@bp.patch("/api/v1/me")
@access(SIGNED_IN)
@documented(
    "修改个人资料（姓名；居民还可改社区、出生年份）",
    "Edit your profile (name; residents also community and birth year)",
    tag="accounts",
    body={
        "display_name": "string",
        "community": "string",
        "birth_year": "integer",
        "employed": "yes|no|（空）",
    },
)
def api_update_me() -> Response:
    user = require_user()
    services.update_profile(user, request_data())
    get_session().commit()
    return jsonify(user=user_json(user))


@bp.post("/api/v1/me/password")
@access(SIGNED_IN)
@documented(
    "修改密码（需当前密码；其他会话随即失效）",
    "Change your password (needs the current one; other sessions end)",
    tag="accounts",
    body={"current_password": "string", "new_password": "string"},
)
def api_change_password() -> tuple[str, int]:
    user = require_user()
    data = request_data()
    services.change_password(user, data.get("current_password"), data.get("new_password"))
    get_session().commit()
    if not g.get("auth_by_token"):
        login_session(user)
    return "", 204


@bp.get("/api/v1/admin/users")
@access(Role.ADMIN)
@documented(
    "用户列表：按用户名、姓名、手机号搜索，按角色筛选",
    "Users: search by login name, name or mobile; filter by role",
    tag="accounts",
    query={"q": "string", "role": "string", "page": "integer"},
)
def api_users() -> Response:
    q, role, page = _user_filters()
    users, total = _found_users(q, role, page)
    return jsonify(users=[user_json(u) for u in users], total=total, page=page)


@bp.patch("/api/v1/admin/users/<int:user_id>")
@access(Role.ADMIN)
@documented(
    "管理员修改用户：姓名、机构、角色、启用或停用（停用后会话和令牌立即失效）",
    "Admin edits a user: name, organisation, roles, active (disabling ends sessions and "
    "tokens at once)",
    tag="accounts",
    body={
        "display_name": "string",
        "organisation": "string",
        "roles": "array",
        "active": "boolean",
    },
)
def api_administer_user(user_id: int) -> Response:
    user = _managed_user(user_id)
    db = get_session()
    services.administer_user(db, require_user(), user, request_data())
    db.commit()
    return jsonify(user=user_json(user))


@bp.post("/api/v1/admin/users/<int:user_id>/password-reset")
@access(Role.ADMIN)
@documented(
    "生成一次性密码重设链接（只显示这一次，72 小时内有效）",
    "Make a one-time password reset link (shown once, valid 72 hours)",
    tag="accounts",
)
def api_password_reset(user_id: int) -> tuple[Response, int]:
    user = _managed_user(user_id)
    db = get_session()
    secret, expires = services.issue_password_reset(db, require_user(), user)
    db.commit()
    link = url_for("accounts.reset_page", secret=secret, _external=True)
    return jsonify(reset_url=link, expires_at=expires.isoformat()), 201


@bp.post("/api/v1/password-reset/<secret>")
@access(PUBLIC)
@csrf_exempt  # the one-time secret is the credential
@documented(
    "用一次性链接设置新密码",
    "Set a new password with a one-time link",
    tag="accounts",
    body={"new_password": "string"},
)
def api_use_reset(secret: str) -> tuple[str, int]:
    db = get_session()
    services.use_reset(db, secret, request_data().get("new_password"))
    db.commit()
    return "", 204


__all__ = ["bp", "text"]
