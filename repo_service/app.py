"""Application factories.

``create_core_app`` builds what every process needs (configuration, database, object storage,
search client, Celery, OBS connection); ``create_app`` adds the web layer on top. Celery workers
use the core app only, so a worker never imports views.
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from repo_service.config import finalise_secret_key, load_config
from repo_service.db import init_db
from repo_service.storage import init_storage
from repo_service.tasks import celery_init_app
from search.client import init_search
from studio.obs import init_obs


def create_core_app(config: dict[str, Any] | None = None, *, name: str = "repo_service") -> Flask:
    app = Flask(name)
    app.config.update(load_config())
    if config:
        app.config.update(config)
    finalise_secret_key(app.config)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)  # one line per request
    # Importing the model modules registers their tables on the shared metadata.
    import repo_service.models  # noqa: F401

    init_db(app)
    app.extensions["storage"] = init_storage(app.config)
    app.extensions["search"] = init_search(app.config)
    app.extensions["obs"] = init_obs(app.config)
    app.extensions["redis"] = redis.Redis.from_url(
        app.config["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2
    )
    celery_init_app(app)
    # The composition root wires the index to the database: every commit that changes a
    # resource marks it dirty for the short pool to apply.
    from search.signals import init_index_hook

    init_index_hook(app)
    return app


class KeyConverter(IntegerConverter):
    """``<int:…>`` in every route: a number a key column can hold, else 404 (not a 500)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = create_core_app(config)
    app.url_map.converters["int"] = KeyConverter

    from repo_service import (
        access,
        api,
        assets,
        cli,
        errors,
        health,
        i18n,
        pages,
        security,
        templating,
    )
    from repo_service.accounts import auth
    from repo_service.accounts import views as account_views
    from repo_service.activities import pages as activity_pages
    from repo_service.activities import views as activity_views
    from repo_service.competitions import pages as competition_pages
    from repo_service.competitions import views as competition_views
    from repo_service.judging import pages as judging_pages
    from repo_service.judging import views as judging_views
    from repo_service.learning import views as learning_views
    from repo_service.processing import views as processing_views
    from repo_service.resources import playback
    from repo_service.resources import views as resource_views
    from repo_service.statistics import views as statistics_views
    from repo_service.uploads import views as upload_views
    from repo_service.vocabulary import views as vocabulary_views
    from search import cli as search_cli
    from search import views as search_views
    from studio import api as studio_api
    from studio import pages as studio_pages
    from studio import views as studio_views

    app.config.setdefault("PERMANENT_SESSION_LIFETIME", 14 * 24 * 3600)
    for blueprint in (
        health.bp,
        pages.bp,
        api.bp,
        account_views.bp,
        resource_views.bp,
        playback.bp,
        processing_views.bp,
        upload_views.bp,
        vocabulary_views.bp,
        competition_pages.bp,
        judging_pages.bp,
        competition_views.bp,
        judging_views.bp,
        activity_pages.bp,
        activity_views.bp,
        learning_views.bp,
        statistics_views.bp,
        search_views.bp,
        studio_views.bp,
        studio_api.bp,
        studio_pages.bp,
    ):
        app.register_blueprint(blueprint)
    errors.register_error_handlers(app)
    assets.init_assets(app)
    security.init_security(app)
    templating.init_templating(app)
    i18n.init_i18n(app)
    auth.init_auth(app)
    access.init_access(app)
    auth.init_csrf(app)
    access.check_declarations(app)
    cli.register(app)
    search_cli.register(app)

    if not app.config.get("SKIP_BUCKET_SETUP"):
        try:
            app.extensions["storage"].ensure_buckets()
            app.extensions["storage"].allow_browser_reads("media", app.config["S3_CORS_ORIGINS"])
        except Exception as exc:  # noqa: BLE001 - the store may still be starting; /healthz says so
            app.logger.warning("could not prepare the object-storage buckets: %s", exc)
    return app


def dispose_app(app: Flask) -> None:
    """Close the connections an app holds (tests, embedding scripts)."""
    app.extensions["obs"].close()
    app.extensions["search"].close()
    app.extensions["redis"].close()
    app.extensions["db"].dispose()
