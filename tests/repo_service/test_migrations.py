"""The migrations build exactly the schema the models describe, and go down again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

import repo_service.models  # noqa: F401 - registers every table
from repo_service.accounts.models import Organisation, Role, User
from repo_service.accounts.services import create_user, ensure_network, find_organisation
from repo_service.db import Base, Database
from repo_service.learning import totals
from repo_service.learning.models import CourseYear, LearningDay, LearningYear
from repo_service.migrate import alembic_config, upgrade
from repo_service.resources.models import Resource, ResourceKind, ResourceStatus
from studio.models import LiveSession

# On the database the run uses (ZX_TEST_DATABASE=postgresql: the local PostgreSQL).
pytestmark = pytest.mark.integration


def test_migrations_match_the_models_and_downgrade_cleanly(own_database_url: str) -> None:
    db = Database(own_database_url)
    upgrade(db)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        assert compare_metadata(context, Base.metadata) == []
    command.downgrade(alembic_config(db), "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade(db)
    assert "upload_sessions" in inspect(db.engine).get_table_names()
    db.dispose()


def _totals(db: Database) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    with db.engine.connect() as conn:
        years = {tuple(r) for r in conn.execute(select(LearningYear.__table__))}
        courses = {tuple(r) for r in conn.execute(select(CourseYear.__table__))}
    return years, courses


def test_the_totals_migration_fills_them_from_the_days_already_recorded(
    own_database_url: str,
) -> None:
    db = Database(own_database_url)
    upgrade(db)
    with db.session() as session:
        ensure_network(session)
        dongshan, molin = find_organisation(session, "东山"), find_organisation(session, "秣陵")

        def person(name: str, where: Organisation, role: Role = Role.RESIDENT) -> User:
            return create_user(
                session,
                username=name,
                password="jiangning2026",
                display_name=name,
                organisation=where,
                roles=[role],
            )

        a, b, c = person("甲", dongshan), person("乙", dongshan), person("丙", molin)
        teacher = person("老师", dongshan, Role.TEACHER)
        elderly, everyone = (
            Resource(
                kind=ResourceKind.VIDEO,
                title=title,
                summary="",
                category="老年教育",
                audience=audience,
                organisation_id=dongshan.id,
                owner_id=teacher.id,
                status=ResourceStatus.PUBLISHED,
            )
            for title, audience in (("智能手机入门", "老年人"), ("社区通识", ""))
        )
        live = LiveSession(
            title="党史直播", public_name="mig-live", organisation_id=dongshan.id, audience="党员"
        )
        session.add_all([elderly, everyone, live])
        session.flush()
        for who, course, live_id, day, seconds in (
            (a, elderly, None, dt.date(2025, 3, 1), 600.0),
            (a, elderly, None, dt.date(2025, 3, 2), 300.0),
            (a, None, live.id, dt.date(2025, 3, 2), 45.0),
            (b, everyone, None, dt.date(2025, 6, 1), 120.0),
            (c, elderly, None, dt.date(2024, 12, 31), 50.0),
            (c, everyone, None, dt.date(2025, 1, 1), 30.0),
        ):
            session.add(
                LearningDay(
                    user_id=who.id,
                    day=day,
                    subject=f"r{course.id}" if course else f"l{live_id}",
                    resource_id=course.id if course else None,
                    live_session_id=live_id,
                    seconds=seconds,
                )
            )
    command.downgrade(alembic_config(db), "0012")
    assert "learning_years" not in inspect(db.engine).get_table_names()
    upgrade(db)  # 0013 again, over the days already there
    years, courses = _totals(db)
    assert (2025, "", a.id, 945.0, 45.0) in years
    assert (2025, "老年人", a.id, 900.0, 0.0) in years
    assert (2025, "党员", a.id, 45.0, 45.0) in years
    assert (2024, "老年人", c.id, 50.0, 0.0) in years
    assert (2025, "", b.id, 120.0, 0.0) in years  # a course for everyone: no audience row
    assert (2025, elderly.id, dongshan.id, 900.0, 1) in courses
    assert (2025, everyone.id, dongshan.id, 120.0, 1) in courses
    assert (2025, everyone.id, molin.id, 30.0, 1) in courses
    assert len(years) == 7
    assert len(courses) == 4
    # What the migration wrote is what the application's rebuild computes from the same days.
    with db.engine.begin() as conn:
        totals.rebuild(conn)
    assert _totals(db) == (years, courses)
    db.dispose()
