"""The migrations build exactly the schema the models describe, and go down again."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import repo_service.models  # noqa: F401 - registers every table
from repo_service.db import Base, Database
from repo_service.migrate import alembic_config, upgrade

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
