"""The ranking signals kept in the database: awards recorded by admins, plays counted once per
viewer per hour, and both carried into the index."""

from __future__ import annotations

import time

import pytest
from flask import Flask

from repo_service.accounts.models import Role
from repo_service.resources.models import Resource, ResourceStatus
from search.index import INDEX
from search.models import DirtyResource
from search.tasks import apply_dirty
from tests.factories import Client, create_resource, make_user

pytestmark = pytest.mark.integration


def test_only_admins_record_awards(app: Flask) -> None:
    teacher = Client(app, make_user(app, Role.TEACHER))
    admin = Client(app, make_user(app, Role.ADMIN))
    rid = create_resource(teacher, title="秦淮灯彩扎制微课")
    refused = teacher.patch(f"/api/v1/resources/{rid}", json={"award": "一等奖"})
    assert refused.status_code == 403
    assert "管理员" in refused.get_json()["error"]["message"]
    wrong = admin.patch(f"/api/v1/resources/{rid}", json={"award": "特等奖"})
    assert wrong.status_code == 400
    done = admin.patch(f"/api/v1/resources/{rid}", json={"award": "一等奖"})
    assert done.status_code == 200
    assert done.get_json()["resource"]["award"] == "一等奖"
    # Editing other fields leaves the award alone, also for the owner.
    kept = teacher.patch(f"/api/v1/resources/{rid}", json={"summary": "新的简介"})
    assert kept.status_code == 200
    assert kept.get_json()["resource"]["award"] == "一等奖"
    cleared = admin.patch(f"/api/v1/resources/{rid}", json={"award": ""})
    assert cleared.get_json()["resource"]["award"] is None


def test_plays_are_counted_once_per_viewer_and_reach_the_index(app: Flask) -> None:
    teacher = Client(app, make_user(app, Role.TEACHER))
    rid = create_resource(teacher, title="八段锦跟练")
    phone_a = Client(app, make_user(app, Role.RESIDENT, street="汤山"))
    phone_b = Client(app, make_user(app, Role.RESIDENT, street="淳化"))

    def play(viewer: Client) -> bool:
        answer = viewer.post(f"/api/v1/resources/{rid}/plays")
        assert answer.status_code == 200, answer.get_json()
        counted: bool = answer.get_json()["counted"]
        return counted

    # A draft is not visible to residents at all.
    assert phone_a.post(f"/api/v1/resources/{rid}/plays").status_code == 404
    with app.extensions["db"].session() as session:  # published as if its file were processed
        resource = session.get(Resource, rid)
        assert resource is not None
        resource.status = ResourceStatus.PUBLISHED
        session.commit()
    assert [play(v) for v in (phone_a, phone_a, phone_b)] == [True, False, True]
    with app.extensions["db"].session() as session:
        resource = session.get(Resource, rid)
        assert resource is not None
        assert resource.view_count == 2
        # Counting announced the change to the index, though it was a plain UPDATE.
        assert session.get(DirtyResource, rid) is not None
    with app.app_context():
        apply_dirty.run()  # here, or in a worker this run started: one of them applies it
    search = app.extensions["search"]

    def applied() -> bool:
        doc = search.es.get(index=search.name(INDEX), id=f"r{rid}")["_source"]
        with app.extensions["db"].session() as session:
            return bool(doc["views"] == 2 and session.get(DirtyResource, rid) is None)

    deadline = time.monotonic() + 30
    while not applied():
        assert time.monotonic() < deadline, "the counted plays did not reach the index"
        time.sleep(0.2)
