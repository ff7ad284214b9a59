"""The flask command group."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from repo_service.accounts.models import Organisation, OrgKind, Role, User

pytestmark = pytest.mark.integration


def test_init_db_creates_the_district_and_ten_streets(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.extensions["db"].session() as session:
        kinds = [o.kind for o in session.scalars(select(Organisation))]
    assert kinds.count(OrgKind.DISTRICT) == 1
    assert kinds.count(OrgKind.STREET) == 10


def test_create_user_with_roles_and_street(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "cli-teacher",
            "--password",
            "s3cret-pass",
            "--name",
            "陈老师",
            "--org",
            "湖熟",
            "--role",
            "teacher",
            "--role",
            "judge",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.extensions["db"].session() as session:
        user = session.scalar(select(User).where(User.username == "cli-teacher"))
        assert user is not None
        assert user.roles == {Role.TEACHER, Role.JUDGE}
        assert user.organisation.name == "湖熟街道社区教育中心"
        assert user.password_hash != "s3cret-pass"
    again = runner.invoke(
        args=["create-user", "cli-teacher", "--password", "s3cret-pass", "--role", "teacher"]
    )
    assert again.exit_code != 0
    assert "已存在" in again.output


def test_create_user_refuses_a_short_password_and_an_unknown_street(app: Flask) -> None:
    runner = app.test_cli_runner()
    short = runner.invoke(args=["create-user", "u1", "--password", "short", "--role", "resident"])
    assert short.exit_code != 0
    assert "密码至少" in short.output
    unknown = runner.invoke(
        args=[
            "create-user",
            "u2",
            "--password",
            "long-enough",
            "--org",
            "火星",
            "--role",
            "resident",
        ]
    )
    assert unknown.exit_code != 0
    assert "找不到机构" in unknown.output


def test_seed_demo_is_idempotent_and_covers_every_role(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "?key=" in second.output  # the demo live session's encoder key is printed
    assert "demo resources added: 3" in first.output
    assert "demo resources added: 0" in second.output
    assert "demo competition taking entries" in first.output
    assert "demo competition" not in second.output
    competitions = app.test_client().get("/api/v1/competitions").get_json()["competitions"]
    demo = [c for c in competitions if c["name"].endswith("江宁区社区教育微课评比")]
    assert [(c["phase"], len(c["criteria"])) for c in demo] == [("submission", 5)]
    listed = app.test_client().get("/api/v1/resources").get_json()["resources"]
    titles = {r["title"] for r in listed}
    assert {"智能手机入门：和家人视频通话", "茶叶种植技术（横溪街道校本教材）"} <= titles
    assert "老年人防诈骗市民读本" not in titles  # submitted, not yet published
    with app.extensions["db"].session() as session:
        users = session.scalars(
            select(User).where(
                User.username.in_(["admin", "teacher", "judge", "resident", "operator"])
            )
        ).all()
        roles = set().union(*(u.roles for u in users))
    assert len(users) == 5
    assert roles == set(Role)
