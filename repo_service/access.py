"""Who may use each view: every endpoint declares it, and one hook enforces it.

A view is decorated with ``@access(PUBLIC)``, ``@access(SIGNED_IN)`` or ``@access(Role.TEACHER,
Role.ADMIN)``. ``create_app`` refuses to start when an endpoint has no declaration, so a new
route cannot be reachable by accident; the role × route matrix test reads the same declarations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, TypeVar

from flask import Flask, current_app, g, request

from repo_service.accounts.models import Role, User
from repo_service.errors import Forbidden, Unauthenticated

PUBLIC: Final = "public"
SIGNED_IN: Final = "signed-in"

F = TypeVar("F", bound=Callable[..., Any])


class NotSignedIn(Unauthenticated):
    code = "not_signed_in"


class RoleNotAllowed(Forbidden):
    code = "role_not_allowed"


Rule = str | Role


def access(*rules: Rule) -> Callable[[F], F]:
    if not rules:
        raise ValueError("access() needs PUBLIC, SIGNED_IN or at least one role")

    def mark(view: F) -> F:
        view.zx_access = frozenset(rules)  # type: ignore[attr-defined]
        return view

    return mark


def declared_access(view: Callable[..., Any]) -> frozenset[Rule] | None:
    return getattr(view, "zx_access", None)


def current_user() -> User | None:
    user: User | None = g.get("user")
    return user


def require_user() -> User:
    user = current_user()
    if user is None:
        raise Unauthenticated("请先登录", "Please sign in first")
    return user


def allowed(rules: frozenset[Rule], user: User | None) -> bool:
    if PUBLIC in rules:
        return True
    if user is None:
        return False
    if SIGNED_IN in rules:
        return True
    return bool(user.roles & {r for r in rules if isinstance(r, Role)})


def init_access(app: Flask) -> None:
    @app.before_request
    def _enforce() -> None:
        if request.endpoint is None or request.endpoint == "static":
            return
        view = current_app.view_functions[request.endpoint]
        rules = declared_access(view)
        if rules is None:  # unreachable after check_declarations, kept as a safety net
            raise Forbidden("该页面未声明访问权限", "This endpoint declares no access rule")
        if allowed(rules, current_user()):
            return
        if current_user() is None:
            raise NotSignedIn("请先登录", "Please sign in first")
        raise RoleNotAllowed("您的角色无权执行此操作", "Your role does not allow this")


def check_declarations(app: Flask) -> None:
    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and declared_access(view) is None
    ]
    if missing:
        raise RuntimeError(f"endpoints without an access declaration: {', '.join(sorted(missing))}")
