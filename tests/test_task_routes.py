"""Every task has a route, and every route a pool: a task no worker consumes is caught here."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from infra import svc
from repo_service import create_core_app
from repo_service.app import dispose_app
from repo_service.tasks import QUEUES, ROUTES, TASK_MODULES, route_task, send_after_commit

pytestmark = pytest.mark.unit


def registered_tasks(tmp_path: Path) -> set[str]:
    app = create_core_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'routes.db'}", "SECRET_KEY": "x" * 32}
    )
    try:
        for module in TASK_MODULES:
            importlib.import_module(module)
        celery = app.extensions["celery"]
        celery.loader.import_default_modules()
        return {name for name in celery.tasks if not name.startswith("celery.")}
    finally:
        dispose_app(app)


def consumed_queues() -> dict[str, set[str]]:
    """Queue → the ./infra/svc services whose worker command consumes it."""
    consumers: dict[str, set[str]] = {}
    for name, service in svc.SERVICES.items():
        argv = service.argv()
        if "worker" in argv and "-Q" in argv:
            for queue in argv[argv.index("-Q") + 1].split(","):
                consumers.setdefault(queue, set()).add(name)
    return consumers


def test_every_registered_task_has_a_route_and_every_route_a_task(tmp_path: Path) -> None:
    tasks = registered_tasks(tmp_path)
    assert tasks - set(ROUTES) == set(), "tasks without a route in repo_service.tasks.ROUTES"
    assert set(ROUTES) - tasks == set(), "routes naming no task any worker module defines"


def test_every_queue_is_consumed_by_a_pool_that_infra_svc_starts() -> None:
    consumers = consumed_queues()
    assert set(ROUTES.values()) <= set(QUEUES)
    for queue in QUEUES:
        assert consumers.get(queue), f"no ./infra/svc worker consumes the {queue!r} queue"
    # Short and long work never share a pool: a transcode must not delay an index update.
    assert not consumers["short"] & consumers["long"]


def test_the_router_sends_each_task_to_its_queue_and_refuses_unknown_names() -> None:
    assert route_task("transcoder.process_version") == {"queue": "long"}
    assert route_task("search.apply_dirty") == {"queue": "short"}
    with pytest.raises(ValueError, match="no route"):
        send_after_commit(None, None, "transcoder.no_such_task")  # type: ignore[arg-type]
