"""Run Alembic migrations from code (CLI, start scripts, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from repo_service.db import Database

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(db: Database) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def upgrade(db: Database, revision: str = "head") -> None:
    cfg = alembic_config(db)
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def revision(db: Database, message: str) -> None:
    command.revision(alembic_config(db), message=message, autogenerate=True)
