"""The migrations build exactly the schema the models describe, and go down again."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import repo_service.models  # noqa: F401 - registers every table
from repo_service.db import Base, Database
from repo_service.migrate import alembic_config, upgrade

pytestmark = pytest.mark.unit


def test_migrations_match_the_models_and_downgrade_cleanly(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(db)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        assert compare_metadata(context, Base.metadata) == []
    command.downgrade(alembic_config(db), "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade(db)
    assert "upload_sessions" in inspect(db.engine).get_table_names()
    db.dispose()
