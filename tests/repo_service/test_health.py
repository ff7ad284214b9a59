"""/healthz reports every dependency, up or down, with latency."""

from __future__ import annotations

import os

import pytest
from flask import Flask

from repo_service import create_app
from repo_service.app import dispose_app
from tests.conftest import free_port

pytestmark = pytest.mark.integration

SERVICES = {"database", "storage", "search", "broker", "workers", "obs"}


@pytest.mark.usefixtures("celery_worker")
def test_all_green_with_every_service_running(client: object) -> None:
    response = client.get("/healthz")  # type: ignore[attr-defined]
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["status"] == "up"
    assert set(body["services"]) == SERVICES
    for name, result in body["services"].items():
        assert result["status"] == "up", (name, result)
        assert result["latency_ms"] >= 0


def _app_with(test_env: dict[str, str], **overrides: str) -> Flask:
    saved = dict(os.environ)
    os.environ.update(test_env)
    os.environ.update(overrides)
    try:
        return create_app({"TESTING": True, "SKIP_BUCKET_SETUP": True, "HEALTH_TIMEOUT": 4.0})
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.mark.parametrize(
    ("down", "variable", "value"),
    [
        ("storage", "ZX_S3_ENDPOINT", "127.0.0.1:{port}"),
        ("search", "ZX_SEARCH_URL", "http://127.0.0.1:{port}"),
        ("obs", "ZX_OBS_PORT", "{port}"),
    ],
)
@pytest.mark.usefixtures("celery_worker")
def test_one_service_stopped_is_reported_down_and_the_answer_is_503(
    app: Flask, test_env: dict[str, str], down: str, variable: str, value: str
) -> None:
    broken = _app_with(test_env, **{variable: value.format(port=free_port())})
    response = broken.test_client().get("/healthz")
    body = response.get_json()
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["services"][down]["status"] == "down"
    assert body["services"][down]["error"]
    others = {k: v["status"] for k, v in body["services"].items() if k != down}
    assert set(others.values()) == {"up"}, others
    dispose_app(broken)


def test_broker_down_reports_broker_and_workers_down(test_env: dict[str, str]) -> None:
    broken = _app_with(test_env, ZX_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    response = broken.test_client().get("/healthz")
    body = response.get_json()
    assert response.status_code == 503
    assert body["services"]["broker"]["status"] == "down"
    assert body["services"]["workers"]["status"] == "down"
    assert body["services"]["database"]["status"] == "up"
    dispose_app(broken)
