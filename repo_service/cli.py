"""``flask`` commands: database set-up, users, demo data.

Run them as ``flask --app repo_service <command>``. The set-up commands run while the services
they need may still be starting (``./infra/svc up`` on a fresh machine), so they wait for each
one with a progress line; one that stays down ends the command with a single line naming it,
never a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Iterator

import click
import redis
import urllib3
from elastic_transport import TransportError
from elasticsearch import ApiError
from flask import Flask, current_app
from minio.error import MinioException
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from repo_service import migrate
from repo_service.accounts.models import Role
from repo_service.accounts.services import create_user, ensure_network, find_organisation
from repo_service.db import Database, utcnow
from repo_service.errors import DomainError
from repo_service.health import CHECKS

# The dependencies a set-up command may wait for: health check name -> (中文, English).
DEPENDENCIES = {
    "database": ("数据库", "the database"),
    "storage": ("对象存储", "object storage"),
    "search": ("搜索服务（Elasticsearch）", "search (Elasticsearch)"),
    "broker": ("消息队列（Redis）", "the broker (Redis)"),
}
WAIT_SECONDS = 120  # Elasticsearch takes 15-40 s to start on two cores; a cold JVM longer


def _db() -> Database:
    db: Database = current_app.extensions["db"]
    return db


def _address(name: str) -> str:
    config = current_app.config
    if name == "database":
        return str(_db().engine.url.render_as_string(hide_password=True))
    if name == "storage":
        return str(config["S3_ENDPOINT"])
    if name == "broker":
        return str(config["REDIS_URL"]).rsplit("@", 1)[-1]  # no password
    return str(config["SEARCH_URL"])


def _reason(exc: BaseException) -> str:
    """The innermost cause in a client's nested message ("[Errno 111] Connection refused")."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    errno = re.search(r"\[Errno -?\d+\][^)\]\"']*", text)
    return errno.group(0).strip() if errno else text[:200]


def _down(name: str, exc: BaseException) -> click.exceptions.Exit:
    """Print the one line that says which dependency is down; the caller raises the result."""
    zh, en = DEPENDENCIES[name]
    click.echo(f"{zh}不可用 / {en} is unavailable: {_address(name)}: {_reason(exc)}", err=True)
    return click.exceptions.Exit(1)


def wait_for(app: Flask, names: list[str], seconds: float) -> None:
    """Wait until every dependency in ``names`` answers its health check.

    A service that is still starting gets one progress line and is retried every second; one
    still down after ``seconds`` ends the command (exit status 1) with one line naming it.
    """
    for name in names:
        zh, en = DEPENDENCIES[name]
        deadline = time.monotonic() + seconds
        waiting = False
        while True:
            try:
                CHECKS[name](app)
            except Exception as exc:  # noqa: BLE001 - any failure means "not ready yet"
                if time.monotonic() >= deadline:
                    raise _down(name, exc) from None
                if not waiting:
                    click.echo(f"等待{zh}启动… / waiting for {en} to start ...", err=True)
                    waiting = True
                time.sleep(1)
                continue
            if waiting:
                click.echo(f"{zh}已就绪 / {en} is ready", err=True)
            break


@contextlib.contextmanager
def dependency_errors() -> Iterator[None]:
    """Turn a dependency that fails in the middle of a command into one line and exit status 1.

    The clients' own retry warnings (with their tracebacks) are silenced meanwhile: the line
    printed here says the same once.
    """
    noisy = [logging.getLogger(n) for n in ("elastic_transport", "urllib3")]
    levels = [logger.level for logger in noisy]
    for logger in noisy:
        logger.setLevel(logging.ERROR)
    try:
        yield
    except OperationalError as exc:
        raise _down("database", exc.orig or exc) from None
    except (MinioException, urllib3.exceptions.HTTPError) as exc:
        raise _down("storage", exc) from None
    except (TransportError, ApiError) as exc:
        raise _down("search", exc) from None
    except redis.RedisError as exc:
        raise _down("broker", exc) from None
    finally:
        for logger, level in zip(noisy, levels, strict=True):
            logger.setLevel(level)


wait_option = click.option(
    "--wait",
    "wait_seconds",
    type=float,
    default=WAIT_SECONDS,
    show_default=True,
    help="Seconds to wait for a dependency that is still starting.",
)


def _search_current() -> None:
    """Rebuild the search index when it is missing or older than this code's mapping."""
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


def _seed_demo() -> None:
    """Demo users, resources, a studio and a class booked now; the logins printed."""
    from repo_service.accounts.models import User
    from repo_service.demo import seed_competition, seed_demo, seed_resources
    from studio.demo import prepare_scenes, seed_studio

    migrate.upgrade(_db())
    with _db().session() as session:
        logins = seed_demo(session)
    with _db().session() as session:
        operator = session.scalar(select(User).where(User.username == "operator"))
        assert operator is not None
        live = seed_studio(session, current_app.config, operator)
        live_title, encoder_key = live.title, live.encoder_stream_key
    scenes_ready = prepare_scenes(current_app.extensions["obs"])
    with _db().session() as session:
        seeded = seed_resources(
            session, current_app.extensions["storage"], current_app.extensions["celery"]
        )
    with _db().session() as session:
        competition = seed_competition(session, utcnow())
    click.echo("演示账号 / demo logins:")
    for username, password, roles in logins:
        click.echo(f"  {username:<12} {password:<16} {', '.join(roles)}")
    click.echo(f"演示资源 / demo resources added: {seeded}")
    if competition:
        click.echo(f"演示评比 / demo competition taking entries: {competition}")
    _search_current()
    click.echo(f"演示直播 / demo live class “{live_title}”（操作员在 /studio 点“开始上课”）:")
    if not scenes_ready:
        click.echo("  OBS 未就绪，场景未创建 / OBS was not ready: scenes not created")
    click.echo(f"  OBS 服务器 / server:     {current_app.config['RTMP_PUBLISH_URL']}")
    click.echo(f"  OBS 推流码 / stream key: {encoder_key}")


def register(app: Flask) -> None:
    @app.cli.command("init-db")
    @wait_option
    def init_db(wait_seconds: float) -> None:
        """Create or upgrade the schema to the newest migration, and the district's network;
        build the search index when it is missing."""
        with dependency_errors():
            wait_for(app, ["database"], wait_seconds)
            migrate.upgrade(_db())
            with _db().session() as session:
                ensure_network(session)
            click.echo("数据库已就绪 / database is up to date")
            wait_for(app, ["search"], wait_seconds)
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
    @wait_option
    def seed_demo_cmd(wait_seconds: float) -> None:
        """Load demo users for every role (idempotent) and print their logins."""
        with dependency_errors():
            wait_for(app, ["database", "storage", "search"], wait_seconds)
            _seed_demo()
