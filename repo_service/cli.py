"""``flask`` commands: database set-up, users, demo data.

Run them as ``flask --app repo_service <command>``.
"""

from __future__ import annotations

import click
from flask import Flask, current_app

from repo_service import migrate
from repo_service.accounts.models import Role
from repo_service.accounts.services import create_user, ensure_network, find_organisation
from repo_service.db import Database
from repo_service.errors import DomainError


def _db() -> Database:
    db: Database = current_app.extensions["db"]
    return db


def _search_current() -> None:
    """Rebuild the search index when it is missing or older than this code's mapping."""
    from elastic_transport import TransportError
    from elasticsearch import ApiError

    from search.build import dictionary_words
    from search.indexer import ReindexRunning, ensure_current

    try:
        with _db().session() as session:
            words = dictionary_words(session)
        result = ensure_current(current_app.extensions["search"], _db().session, words)
    except (TransportError, ApiError, ReindexRunning) as exc:
        click.echo(f"搜索索引未检查 / search index not checked: {exc}", err=True)
        return
    if result is not None:
        click.echo(
            f"搜索索引已重建 / search index rebuilt: {result.resources} resources, "
            f"{result.documents} documents"
        )


def register(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db() -> None:
        """Create or upgrade the schema to the newest migration, and the district's network."""
        migrate.upgrade(_db())
        with _db().session() as session:
            ensure_network(session)
        click.echo("数据库已就绪 / database is up to date")
        _search_current()

    @app.cli.command("migrate")
    @click.option("--revision", default="head", show_default=True)
    def migrate_cmd(revision: str) -> None:
        """Apply migrations up to REVISION."""
        migrate.upgrade(_db(), revision)
        click.echo(f"migrated to {revision}")

    @app.cli.command("make-migration")
    @click.argument("message")
    def make_migration(message: str) -> None:
        """Autogenerate a migration from the models (for developers)."""
        migrate.revision(_db(), message)

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @click.option("--name", "display_name", default="", help="Real name shown on pages.")
    @click.option(
        "--org",
        "org_name",
        default="江宁区社区学院",
        show_default=True,
        help="Organisation: full name or a street (东山, 秣陵…).",
    )
    @click.option(
        "--role", "roles", multiple=True, required=True, type=click.Choice([r.value for r in Role])
    )
    def create_user_cmd(
        username: str, password: str, display_name: str, org_name: str, roles: tuple[str, ...]
    ) -> None:
        """Create a user with one or more roles."""
        try:
            with _db().session() as session:
                ensure_network(session)
                org = find_organisation(session, org_name)
                user = create_user(
                    session,
                    username=username,
                    password=password,
                    display_name=display_name,
                    organisation=org,
                    roles=[Role(r) for r in roles],
                )
                click.echo(
                    f"已创建用户 {user.username} / created user {user.username} (id {user.id})"
                )
        except DomainError as exc:
            raise click.ClickException(f"{exc.message} / {exc.message_en}") from exc

    @app.cli.command("sweep")
    def sweep_cmd() -> None:
        """Expire idle uploads and remove the files of deleted resources now."""
        from repo_service.resources.sweep import purge_deleted
        from repo_service.uploads.services import UploadPolicy, expire_idle

        storage = current_app.extensions["storage"]
        with _db().session() as session:
            expired = expire_idle(
                session, storage, UploadPolicy.from_config(current_app.config).idle
            )
            purged = purge_deleted(session, storage)
        click.echo(f"expired uploads: {expired}, purged files: {purged}")

    @app.cli.command("seed-demo")
    def seed_demo_cmd() -> None:
        """Load demo users for every role (idempotent) and print their logins."""
        from repo_service.demo import seed_demo, seed_resources

        migrate.upgrade(_db())
        with _db().session() as session:
            logins, live = seed_demo(session)
            live_title, encoder_key = live.title, live.encoder_stream_key
        with _db().session() as session:
            seeded = seed_resources(
                session, current_app.extensions["storage"], current_app.extensions["celery"]
            )
        click.echo("演示账号 / demo logins:")
        for username, password, roles in logins:
            click.echo(f"  {username:<12} {password:<16} {', '.join(roles)}")
        click.echo(f"演示资源 / demo resources added: {seeded}")
        _search_current()
        click.echo(f"演示直播 / demo live session “{live_title}”:")
        click.echo(f"  OBS 服务器 / server:     {current_app.config['RTMP_PUBLISH_URL']}")
        click.echo(f"  OBS 推流码 / stream key: {encoder_key}")
