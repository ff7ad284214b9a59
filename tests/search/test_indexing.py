"""The index follows the database: publish, edit, unpublish and delete update it via a worker."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from repo_service.accounts.models import Role
from repo_service.resources.models import ResourceKind
from search.index import INDEX
from tests.factories import Client, create_resource, make_user
from tests.repo_service.test_uploads import upload_all

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("celery_worker")]


def resource_docs(app: Flask, resource_id: int) -> dict[str, dict[str, Any]]:
    search = app.extensions["search"]
    if not search.es.indices.exists_alias(name=search.name(INDEX)):
        return {}
    hits = search.es.search(
        index=search.name(INDEX), query={"term": {"resource_id": resource_id}}, size=100
    )["hits"]["hits"]
    return {h["_id"]: h["_source"] for h in hits}


def wait_for(check: Any, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("the index did not catch up in time")


def test_lifecycle_changes_reach_the_index(app: Flask, media: dict[str, Path]) -> None:
    teacher = Client(app, make_user(app, Role.TEACHER))
    admin = Client(app, make_user(app, Role.ADMIN))
    rid = create_resource(teacher, ResourceKind.TEXTBOOK, title="湖熟街道菊花栽培技术")
    assert upload_all(teacher, rid, "菊花.pdf", media["pdf"].read_bytes()).status_code == 201
    assert admin.post(f"/api/v1/resources/{rid}/publish").status_code == 200

    docs = wait_for(
        lambda: (
            resource_docs(app, rid).get(f"r{rid}", {}).get("visible") and resource_docs(app, rid)
        )
    )
    resource_doc = docs[f"r{rid}"]
    assert "菊花" in resource_doc["title_words"].split()
    assert resource_doc["title_pinyin"].startswith("hushu")
    # The PDF's page text arrives once processing has run.
    pages = wait_for(
        lambda: [d for d in resource_docs(app, rid).values() if d["doc_type"] == "page"], 120
    )
    assert "Jiangning community textbook".lower() in pages[0]["body"]

    assert (
        admin.patch(f"/api/v1/resources/{rid}", json={"title": "菊花栽培（修订版）"}).status_code
        == 200
    )
    wait_for(lambda: "修订" in resource_docs(app, rid).get(f"r{rid}", {}).get("title", ""))
    assert admin.post(f"/api/v1/resources/{rid}/unpublish").status_code == 200
    wait_for(lambda: resource_docs(app, rid).get(f"r{rid}", {}).get("visible") is False)
    assert teacher.delete(f"/api/v1/resources/{rid}").status_code == 204
    wait_for(lambda: resource_docs(app, rid) == {})
