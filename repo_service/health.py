"""``/healthz``: every dependency checked at once, each reported up or down with its latency."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import redis
from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text

from repo_service.access import PUBLIC, access
from repo_service.tasks import QUEUES

bp = Blueprint("health", __name__)

# A check returns a one-line detail, or a dict with "detail" and more fields for the answer.
CheckFn = Callable[[Flask], str | dict[str, Any] | None]


def _database(app: Flask) -> str | None:
    with app.extensions["db"].engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return None


def _storage(app: Flask) -> str | None:
    app.extensions["storage"].ping()
    return None


def _search(app: Flask) -> str | None:
    return "cluster " + app.extensions["search"].health()


def _broker(app: Flask) -> str | None:
    client = redis.Redis.from_url(
        app.config["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2
    )
    try:
        client.ping()
    finally:
        client.close()
    return None


def pool_status(app: Flask, timeout: float) -> dict[str, dict[str, Any]]:
    """Per queue (one worker pool each): the workers consuming it and the messages waiting.

    A worker whose slots are all busy transcoding still answers: its main process handles
    control messages while the child processes work.
    """
    replies = app.extensions["celery"].control.inspect(timeout=timeout).active_queues() or {}
    pools: dict[str, dict[str, Any]] = {q: {"workers": [], "waiting": None} for q in QUEUES}
    for worker, queues in replies.items():
        for queue in queues:
            pools.setdefault(queue["name"], {"workers": [], "waiting": None})["workers"].append(
                worker
            )
    try:
        with app.extensions["redis"].pipeline() as pipe:
            for name in pools:
                pipe.llen(name)
            for name, length in zip(pools, pipe.execute(), strict=True):
                pools[name]["waiting"] = int(length)
    except redis.RedisError:
        pass  # the broker check reports it
    return pools


def _workers(app: Flask) -> dict[str, Any]:
    pools = pool_status(app, timeout=max(0.5, app.config["HEALTH_TIMEOUT"] - 1.0))
    summary = "; ".join(
        f"{name}: {len(p['workers'])} worker(s), {p['waiting']} waiting"
        for name, p in pools.items()
    )
    idle = [name for name in QUEUES if not pools[name]["workers"]]
    if idle:
        raise RuntimeError(f"no worker consumes {', '.join(idle)} ({summary})")
    return {"detail": summary, "pools": pools}


def _obs(app: Flask) -> str | None:
    info = app.extensions["obs"].version()
    return f"OBS {info.get('obsVersion')} / websocket {info.get('obsWebSocketVersion')}"


CHECKS: dict[str, CheckFn] = {
    "database": _database,
    "storage": _storage,
    "search": _search,
    "broker": _broker,
    "workers": _workers,
    "obs": _obs,
}


def run_checks(app: Flask, timeout: float) -> dict[str, dict[str, Any]]:
    def timed(check: CheckFn) -> dict[str, Any]:
        start = time.perf_counter()
        try:
            detail = check(app)
        except Exception as exc:  # noqa: BLE001 - any failure means "down", reported with its reason
            return {
                "status": "down",
                "latency_ms": round((time.perf_counter() - start) * 1000, 1),
                "error": f"{type(exc).__name__}: {exc}"[:300],
            }
        result: dict[str, Any] = {
            "status": "up",
            "latency_ms": round((time.perf_counter() - start) * 1000, 1),
        }
        if isinstance(detail, dict):
            result.update(detail)
        elif detail:
            result["detail"] = detail
        return result

    results: dict[str, dict[str, Any]] = {}
    pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="healthz")
    try:
        futures = {name: pool.submit(timed, check) for name, check in CHECKS.items()}
        deadline = time.monotonic() + timeout
        for name, future in futures.items():
            try:
                results[name] = future.result(timeout=max(0.0, deadline - time.monotonic()))
            except FutureTimeout:
                results[name] = {
                    "status": "down",
                    "latency_ms": round(timeout * 1000, 1),
                    "error": f"no answer within {timeout:g} s",
                }
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return results


@bp.get("/healthz")
@access(PUBLIC)
def healthz() -> Any:
    # The real app object: the checks run in worker threads without an app context.
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # noqa: SLF001
    results = run_checks(app, app.config["HEALTH_TIMEOUT"])
    healthy = all(r["status"] == "up" for r in results.values())
    return jsonify(status="up" if healthy else "down", services=results), 200 if healthy else 503
