"""Synonym groups admins add: applied to the very next query, in every web process, with no
rebuild; malformed or repeated groups refused with a message."""

from __future__ import annotations

import pytest

from repo_service.accounts.models import Role
from repo_service.app import dispose_app
from tests.conftest import app_for
from tests.factories import Client, make_user
from tests.search.fixtures import Corpus

pytestmark = pytest.mark.integration


def found(client: Client, q: str) -> list[int]:
    body = client.get("/api/v1/search", query_string={"q": q, "size": 5}).get_json()
    return [h["resource_id"] for h in body["results"]]


def test_a_group_added_by_an_admin_applies_at_once_everywhere(corpus: Corpus) -> None:
    admin = Client(corpus.app, make_user(corpus.app, Role.ADMIN))
    eye_health = corpus.ids["eye-health"]
    # A second web process that has already read the groups.
    other = app_for(corpus.env, {"SKIP_BUCKET_SETUP": True})
    try:
        elsewhere = Client(other, None)
        assert eye_health not in found(admin, "护眼")
        assert eye_health not in found(elsewhere, "护眼")

        added = admin.post("/api/v1/search/synonyms", json={"terms": "护眼、眼健康"})
        assert added.status_code == 201, added.get_json()
        group = added.get_json()["group"]
        assert group["terms"] == ["护眼", "眼健康"]
        assert eye_health in found(admin, "护眼")
        assert eye_health in found(elsewhere, "护眼")  # the other process read them again

        listing = admin.get("/api/v1/search/synonyms").get_json()
        assert listing["added"][0]["id"] == group["id"]
        assert ["反诈", "防诈骗", "防范诈骗", "反诈骗", "防骗"] in listing["shipped"]

        assert admin.delete(f"/api/v1/search/synonyms/{group['id']}").status_code == 204
        assert admin.delete(f"/api/v1/search/synonyms/{group['id']}").status_code == 404
        assert eye_health not in found(admin, "护眼")
        assert eye_health not in found(elsewhere, "护眼")
    finally:
        dispose_app(other)


def test_malformed_repeated_and_unauthorised_groups_are_refused(corpus: Corpus) -> None:
    admin = Client(corpus.app, make_user(corpus.app, Role.ADMIN))
    for bad, field_message in [
        ({"terms": "护眼"}, "至少要有两个词"),
        ({"terms": "护眼，<b>"}, "不是词语"),
        ({"terms": "护眼，" * 200}, "最多 400 个字"),
        ({"terms": 5}, "请填写一组词"),
        ({}, "至少要有两个词"),
    ]:
        refused = admin.post("/api/v1/search/synonyms", json=bad)
        assert refused.status_code == 400, bad
        error = refused.get_json()["error"]
        assert field_message in error["message"], error
        assert error["field"] == "terms"
    assert admin.get("/api/v1/search/synonyms").get_json()["added"] == []

    first = admin.post("/api/v1/search/synonyms", json={"terms": "蛇皮袋，编织袋"})
    assert first.status_code == 201
    again = admin.post("/api/v1/search/synonyms", json={"terms": ["编织袋", "蛇皮袋"]})
    assert again.status_code == 409
    assert "已经添加过" in again.get_json()["error"]["message"]
    shipped = admin.post(
        "/api/v1/search/synonyms", json={"terms": "防诈骗,反诈,防骗,反诈骗,防范诈骗"}
    )
    assert shipped.status_code == 409
    assert "自带" in shipped.get_json()["error"]["message"]

    teacher = Client(corpus.app, make_user(corpus.app, Role.TEACHER))
    assert teacher.post("/api/v1/search/synonyms", json={"terms": "甲,乙"}).status_code == 403
    assert (
        teacher.delete(f"/api/v1/search/synonyms/{first.get_json()['group']['id']}").status_code
        == 403
    )
    anonymous = Client(corpus.app, None)
    assert anonymous.get("/api/v1/search/synonyms").status_code == 401
    assert len(admin.get("/api/v1/search/synonyms").get_json()["added"]) == 1

    # The page: add with a confirmation, listed, removed.
    page = admin.post("/admin/search/synonyms", data={"terms": "老头乐，低速电动车"})
    assert page.status_code == 302
    shown = admin.get("/admin/search").get_data(as_text=True)
    assert "已添加同义词：老头乐、低速电动车" in shown
    assert "低速电动车" in shown
    assert "反诈、防诈骗" in shown  # the shipped groups are listed
    for row in admin.get("/api/v1/search/synonyms").get_json()["added"]:
        assert admin.post(f"/admin/search/synonyms/{row['id']}/delete").status_code == 302
    assert admin.get("/api/v1/search/synonyms").get_json()["added"] == []
