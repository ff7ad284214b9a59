"""The search corpus as a system of its own: its own database, index prefix, Redis database and
worker, so counts and checks compare the index with exactly the corpus. The fixtures are
registered once, in ``tests/conftest.py``, for the search and browser tests alike."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from flask import Flask

from repo_service.accounts.models import Role
from repo_service.app import dispose_app
from repo_service.migrate import upgrade
from search.build import dictionary_words
from search.indexer import reindex
from tests.conftest import RUN_ID, app_for, run_database, running_worker
from tests.factories import make_user
from tests.search.corpus import RESOURCES
from tests.search.loader import load


@dataclass
class Corpus:
    app: Flask
    env: dict[str, str]
    ids: dict[str, int]  # corpus key → resource id
    run_dir: Path

    def key_of(self, resource_id: int) -> str | None:
        return next((k for k, v in self.ids.items() if v == resource_id), None)


@pytest.fixture(scope="session")
def corpus_env(test_env: dict[str, str], run_dir: Path) -> Iterator[dict[str, str]]:
    """The corpus's settings; its database (``run_database``) outlives the corpus worker."""
    base, number = test_env["ZX_REDIS_URL"].rsplit("/", 1)
    other = 2 + (int(number) - 2 + 7) % 14
    with run_database(run_dir, "corpus") as database_url:
        yield test_env | {
            "ZX_DATABASE_URL": database_url,
            "ZX_SEARCH_INDEX_PREFIX": f"zxt-{RUN_ID}-c-",
            "ZX_REDIS_URL": f"{base}/{other}",
            "ZX_SEARCH_RETRY_SECONDS": "1",
        }


@pytest.fixture(scope="session")
def corpus(app: Flask, corpus_env: dict[str, str], run_dir: Path) -> Iterator[Corpus]:
    """The corpus loaded into its own database and indexed by a full rebuild."""
    application = app_for(corpus_env, {"SKIP_BUCKET_SETUP": True})
    db = application.extensions["db"]
    upgrade(db)
    application.extensions["redis"].flushdb()  # nothing left over from earlier runs
    owner = make_user(application, Role.TEACHER)
    with db.session() as session:
        ids = load(session, RESOURCES, owner.id)
    with db.session() as session:
        words = dictionary_words(session)
    reindex(application.extensions["search"], db.session, words, grace=0)
    try:
        yield Corpus(
            application,
            corpus_env,
            dict(zip((r["key"] for r in RESOURCES), ids, strict=True)),
            run_dir,
        )
    finally:
        application.extensions["search"].drop_prefixed()
        redis.Redis.from_url(application.config["REDIS_URL"]).flushdb()
        dispose_app(application)


@pytest.fixture(scope="session")
def corpus_worker(corpus: Corpus) -> Iterator[None]:
    with running_worker(
        corpus.app.extensions["celery"], corpus.env, corpus.run_dir / "corpus-worker.log", "corpus"
    ):
        yield
