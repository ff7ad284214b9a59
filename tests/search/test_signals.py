"""The ranking signals kept in the database: awards recorded by admins, plays counted once per
viewer per hour, and both carried into the index."""

from __future__ import annotations

import pytest
from flask import Flask

from repo_service.accounts.models import Role
from repo_service.db import get_session
from repo_service.resources.models import Resource, ResourceStatus
from repo_service.resources.playback import count_view
from search.index import INDEX
from search.operations import VIEWS_DIRTY
from search.tasks import sync_views
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

    def play(agent: str) -> bool:
        with app.test_request_context(headers={"User-Agent": agent}):
            resource = get_session().get(Resource, rid)
            assert resource is not None
            return count_view(resource)

    assert play("phone-a") is False  # drafts are not counted
    with app.extensions["db"].session() as session:  # published as if its file were processed
        resource = session.get(Resource, rid)
        assert resource is not None
        resource.status = ResourceStatus.PUBLISHED
        session.commit()
    assert [play(agent) for agent in ("phone-a", "phone-a", "phone-b")] == [True, False, True]
    with app.extensions["db"].session() as session:
        resource = session.get(Resource, rid)
        assert resource is not None
        assert resource.view_count == 2
    assert app.extensions["redis"].sismember(VIEWS_DIRTY, rid)
    with app.app_context():
        assert sync_views.run() >= 1
    search = app.extensions["search"]
    doc = search.es.get(index=search.name(INDEX), id=f"r{rid}")["_source"]
    assert doc["views"] == 2
    assert not app.extensions["redis"].sismember(VIEWS_DIRTY, rid)
