"""Run Alembic migrations from code (CLI, start scripts, tests).

Alembic is imported when a migration runs, not with this module: every web worker registers the
``migrate`` command, and none of them migrates (about 10 MB each left unloaded)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from repo_service.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(db: Database) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def upgrade(db: Database, revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config(db)
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def revision(db: Database, message: str) -> None:
    from alembic import command

    command.revision(alembic_config(db), message=message, autogenerate=True)
