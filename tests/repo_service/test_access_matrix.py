"""Every route × every role: the status each pair gets matches the route's declaration."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from repo_service.access import PUBLIC, SIGNED_IN, declared_access
from repo_service.accounts.models import Role
from tests.factories import Client, create_resource, make_user

pytestmark = pytest.mark.integration

ROLES: list[Role | None] = [None, *Role]


def test_every_route_declares_who_may_use_it(app: Flask) -> None:
    undeclared = [
        e for e, v in app.view_functions.items() if e != "static" and declared_access(v) is None
    ]
    assert undeclared == []


def test_role_route_matrix(app: Flask) -> None:
    users = {role: make_user(app, role) if role else None for role in ROLES}
    rid = create_resource(Client(app, users[Role.TEACHER]))
    checked = 0
    problems = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        rules = declared_access(app.view_functions[rule.endpoint])
        assert rules is not None
        url = re.sub(r"<int:\w+>", str(rid), rule.rule)
        url = re.sub(r"<(?:\w+:)?\w+>", "0" * 32, url)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for role, user in users.items():
                # A new client each time: some routes (sign-out) end the session they use.
                response = Client(app, user).open(method, url, json={})
                body = response.get_json(silent=True) or {}
                code = body.get("error", {}).get("code") if isinstance(body, dict) else None
                allowed = (
                    PUBLIC in rules
                    or (role is not None and SIGNED_IN in rules)
                    or (role is not None and role in rules)
                )
                if allowed and code in {"not_signed_in", "role_not_allowed"}:
                    problems.append(f"{method} {url} as {role}: {response.status_code} {code}")
                if not allowed:
                    expected = (401, "not_signed_in") if role is None else (403, "role_not_allowed")
                    if (response.status_code, code) != expected:
                        got = (response.status_code, code)
                        problems.append(f"{method} {url} as {role}: {got}, expected {expected}")
                checked += 1
    assert not problems, "\n".join(problems)
    assert checked > 150
