"""``flask search …`` commands: rebuild the index, compare it with the database."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from search.build import dictionary_words
from search.indexer import ReindexRunning, check, reindex, repair

group = AppGroup("search", help="Search index: rebuild and check.")


@group.command("reindex")
@click.option("--force", is_flag=True, help="Drop an index left half-built by a rebuild that died.")
def reindex_cmd(force: bool) -> None:
    """Build a new index from the database, swap the alias to it, drop the old one."""
    db = current_app.extensions["db"]
    with db.session() as session:
        words = dictionary_words(session)

    def progress(done: int, total: int) -> None:
        click.echo(f"\r{done}/{total}", nl=False, err=True)

    try:
        result = reindex(
            current_app.extensions["search"], db.session, words, progress=progress, force=force
        )
    except ReindexRunning as exc:
        raise click.ClickException(
            "索引正在重建；若上次重建中断，请加 --force / "
            "a rebuild is running (if it died, use --force)"
        ) from exc
    click.echo("", err=True)
    click.echo(
        f"index {result.index}: {result.resources} resources, {result.documents} documents, "
        f"{result.caught_up} caught up, {result.seconds:.1f} s; dropped {', '.join(result.dropped)}"
    )


@group.command("check")
@click.option("--fix", is_flag=True, help="Rewrite every resource that differs.")
def check_cmd(fix: bool) -> None:
    """Report documents missing from or extra in the index, compared with the database."""
    search = current_app.extensions["search"]
    db = current_app.extensions["db"]
    report = check(search, db.session)
    click.echo(f"expected {report.expected}, indexed {report.indexed}")
    for label, ids in (
        ("missing", report.missing),
        ("extra", report.extra),
        ("stale", report.stale),
    ):
        click.echo(f"{label}: {len(ids)}" + (f" ({', '.join(ids[:20])})" if ids else ""))
    click.echo(f"differences: {report.differences}")
    if fix and report.differences:
        click.echo(f"repaired resources: {repair(search, db.session, report)}")
    elif report.differences:
        raise SystemExit(1)


def register(app: Flask) -> None:
    app.cli.add_command(group)
