"""Sign-in: password sessions, personal API tokens, CSRF and login throttling."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from flask import Flask, current_app, g, request, session
from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from repo_service.accounts.models import ApiToken, User
from repo_service.accounts.services import hash_secret, verify_password
from repo_service.db import aware, get_session, utcnow
from repo_service.errors import DomainError, Forbidden, InvalidInput

TOKEN_PREFIX = "zx_"  # noqa: S105 - a marker, not a secret
F = TypeVar("F", bound=Callable[..., Any])


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_attempts"


class BadCredentials(DomainError):
    status = 401
    code = "bad_credentials"


# --- login throttling ---------------------------------------------------------------------

# Failures counted per account name and per client address over a window. Each failure past
# the first few slows the answer down; past the limit the answer is 429 whether or not the
# account exists, so the throttle says nothing about which names are real.
WINDOW_SECONDS = 15 * 60
FREE_FAILURES = 3
USER_LIMIT = 10
ADDRESS_LIMIT = 30


class LoginThrottle:
    def __init__(self, url: str, prefix: str = "zx:login:") -> None:
        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix

    def _keys(self, username: str, address: str) -> tuple[str, str]:
        name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
        return f"{self.prefix}u:{name}", f"{self.prefix}a:{address}"

    def check(self, username: str, address: str) -> None:
        user_key, addr_key = self._keys(username, address)
        user_failures, addr_failures = (int(v or 0) for v in self.redis.mget(user_key, addr_key))
        if user_failures >= USER_LIMIT or addr_failures >= ADDRESS_LIMIT:
            retry = max(self.redis.ttl(user_key), self.redis.ttl(addr_key), 1)
            raise TooManyAttempts(
                f"登录失败次数过多，请 {retry // 60 + 1} 分钟后再试",
                f"Too many failed sign-ins; try again in {retry // 60 + 1} minutes",
                retry_after=retry,
            )

    def failed(self, username: str, address: str) -> int:
        user_key, addr_key = self._keys(username, address)
        pipe = self.redis.pipeline()
        pipe.incr(user_key)
        pipe.expire(user_key, WINDOW_SECONDS)
        pipe.incr(addr_key)
        pipe.expire(addr_key, WINDOW_SECONDS)
        return int(pipe.execute()[0])

    def succeeded(self, username: str, address: str) -> None:
        self.redis.delete(self._keys(username, address)[0])

    def delay(self, failures: int) -> float:
        return (
            0.0 if failures <= FREE_FAILURES else min(0.25 * 2 ** (failures - FREE_FAILURES), 2.0)
        )


# A hash to compare against when the account does not exist, so both paths take as long.
_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH  # noqa: PLW0603 - computed once, lazily, to keep import free of work
    if _DUMMY_HASH is None:
        from werkzeug.security import generate_password_hash

        _DUMMY_HASH = generate_password_hash(secrets.token_hex(8))
    return _DUMMY_HASH


def authenticate(db: Session, throttle: LoginThrottle, username: str, password: str) -> User:
    address = request.remote_addr or "unknown"
    throttle.check(username, address)
    user = db.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        from werkzeug.security import check_password_hash

        check_password_hash(_dummy_hash(), password)
        ok = False
    else:
        ok = verify_password(user, password) and user.is_active
    if not ok or user is None:
        failures = throttle.failed(username, address)
        time.sleep(throttle.delay(failures))
        raise BadCredentials("用户名或密码不正确", "Wrong username or password")
    throttle.succeeded(username, address)
    return user


def login_session(user: User) -> None:
    session.clear()
    session["uid"] = user.id
    session["epoch"] = user.session_epoch
    session["csrf"] = secrets.token_urlsafe(24)
    session.permanent = True


def logout_session() -> None:
    session.clear()


# --- API tokens -----------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hash_secret(token)


def issue_token(db: Session, user: User, name: str) -> tuple[ApiToken, str]:
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("令牌名称须为 1–100 个字符", "Token name must be 1–100 characters")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(secret), prefix=secret[:10])
    db.add(token)
    db.flush()
    return token, secret


def revoke_token(db: Session, user: User, token_id: int) -> None:
    token = db.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        from repo_service.errors import NotFound

        raise NotFound("找不到该令牌", "No such token")
    token.revoked_at = token.revoked_at or utcnow()


TOKEN_USE_RECORDED_EVERY = 600  # seconds


def _user_from_token(db: Session, header: str) -> User | None:
    secret = header.removeprefix("Bearer ").strip()
    if not secret.startswith(TOKEN_PREFIX):
        return None
    # One statement: the token, its user and her roles (a heartbeat every 15 s signs in this way).
    token = (
        db.execute(
            select(ApiToken)
            .where(ApiToken.token_hash == hash_token(secret))
            .options(joinedload(ApiToken.user).joinedload(User.role_rows))
        )
        .unique()
        .scalar_one_or_none()
    )
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    now = utcnow()
    # Recorded at most every ten minutes: a player beating every 15 s, or a script sending
    # chunks, should not write on every call.
    last = token.last_used_at
    if last is None or (now - aware(last)).total_seconds() > TOKEN_USE_RECORDED_EVERY:
        # A transaction of its own: the request's objects stay loaded (a commit would expire them).
        with db.get_bind().engine.begin() as conn:
            conn.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return token.user


# --- CSRF -----------------------------------------------------------------------------------

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_exempt(view: F) -> F:
    """For callbacks authenticated otherwise (RTMP server with a shared secret)."""
    view.zx_csrf_exempt = True  # type: ignore[attr-defined]
    return view


def csrf_token() -> str:
    g.session_started = True  # a form needs the session cookie that carries its token
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    token: str = session["csrf"]
    return token


def _check_csrf() -> None:
    if request.method in SAFE_METHODS or g.get("auth_by_token"):
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "zx_csrf_exempt", False):
        return
    sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token", "")
    expected = session.get("csrf", "")
    if not expected or not sent or not hmac.compare_digest(str(expected), str(sent)):
        raise Forbidden(
            "页面已过期或请求来源不明，请刷新页面后重试",
            "The form has expired or the request's origin is unknown; reload the page and retry",
        )


def init_auth(app: Flask) -> None:
    app.extensions["login_throttle"] = LoginThrottle(app.config["REDIS_URL"])

    @app.before_request
    def _load_user() -> None:
        g.user = None
        g.auth_by_token = False
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            user = _user_from_token(get_session(), header)
            if user is None:
                from repo_service.errors import Unauthenticated

                raise Unauthenticated("API 令牌无效或已撤销", "The API token is invalid or revoked")
            g.user, g.auth_by_token = user, True
            return
        if app.config["SESSION_COOKIE_NAME"] not in request.cookies:
            return  # no session to read: an anonymous answer stays the same for everyone
        uid = session.get("uid")
        if uid is not None:
            user = get_session().get(User, uid)
            if user is not None and user.is_active and session.get("epoch") == user.session_epoch:
                g.user = user
            else:
                session.clear()

    app.jinja_env.globals["csrf_token"] = csrf_token


def init_csrf(app: Flask) -> None:
    """Registered after the access check, so an anonymous write is told to sign in first."""
    app.before_request(_check_csrf)
