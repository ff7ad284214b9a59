"""Edits while entries are open, and what judges read once they are closed: a changed entry is
reviewed again, a move into a full category is refused as such, places per street are fixed once
works are entered, a work returned during review leaves the judges' desks, and an edit of the
resource during judging does not reach the judges."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask

from repo_service.accounts.models import Role
from repo_service.db import utcnow
from tests.factories import Client, competition_settings, drafts_with_a_file, make_user
from tests.repo_service.competitions.builders import in_judging

pytestmark = pytest.mark.integration


def _open(app: Flask, **over: Any) -> tuple[Client, str]:
    admin = Client(app, make_user(app, Role.ADMIN, street="东山"))
    comp = admin.post(
        "/api/v1/competitions", json=competition_settings(utcnow(), **over)
    ).get_json()["competition"]
    base = f"/api/v1/competitions/{comp['id']}"
    assert admin.post(f"{base}/phase", json={"action": "open"}).status_code == 200
    return admin, base


def test_edits_while_entries_are_open(app: Flask) -> None:
    admin, base = _open(app, street_quota=1)
    user = make_user(app, Role.TEACHER, street="汤山")
    teacher = Client(app, user)
    first, second = drafts_with_a_file(app, user, ["甲", "乙"])
    e1 = teacher.post(f"{base}/entries", json={"resource_id": first, "category": "老年教育"})
    e2 = teacher.post(f"{base}/entries", json={"resource_id": second, "category": "职业技能"})
    assert (e1.status_code, e2.status_code) == (201, 201)
    one, two = e1.get_json()["entry"]["id"], e2.get_json()["entry"]["id"]
    # Moving into a category whose one place is taken is refused as such, and nothing moves.
    moved = teacher.patch(f"{base}/entries/{two}", json={"category": "老年教育"})
    assert moved.status_code == 409
    assert moved.get_json()["error"]["code"] == "quota_full"
    assert teacher.get(f"{base}/entries/{two}").get_json()["entry"]["category"] == "职业技能"
    # Places are fixed once works are entered: raising them now would let a street overrun.
    quota = admin.patch(base, json={"street_quota": 5})
    assert quota.status_code == 409
    assert "名额不能再改" in quota.get_json()["error"]["message"]
    # A passed entry that is changed goes back to formal review.
    assert admin.post(f"{base}/entries/{one}/review", json={"passed": True}).status_code == 200
    changed = teacher.patch(
        f"{base}/entries/{one}", json={"members": [{"name": "合作者", "organisation": "某校"}]}
    )
    assert changed.status_code == 200
    assert changed.get_json()["entry"]["status"] == "entered"
    # Text where text belongs: a list for a name is refused in words, not read as empty.
    bad = teacher.patch(f"{base}/entries/{one}", json={"members": [{"name": ["x"]}]})
    assert bad.status_code == 400
    assert "格式不正确" in bad.get_json()["error"]["message"]


def test_a_work_returned_during_review_leaves_the_desks(app: Flask) -> None:
    admin, base = _open(app, judges_per_entry=1, street_quota=None)
    user = make_user(app, Role.TEACHER, street="谷里")
    teacher = Client(app, user)
    judge = make_user(app, Role.JUDGE, street="湖熟")
    ids = []
    for rid in drafts_with_a_file(app, user, ["留下的", "退回的"]):
        entered = teacher.post(f"{base}/entries", json={"resource_id": rid, "category": "老年教育"})
        ids.append(entered.get_json()["entry"]["id"])
    past = (utcnow() - dt.timedelta(minutes=1)).isoformat()
    admin.patch(base, json={"submission_closes_at": past, "judging_opens_at": past})
    admin.post(f"{base}/phase", json={"action": "review"})
    for entry_id in ids:
        admin.post(f"{base}/entries/{entry_id}/review", json={"passed": True})
    admin.post(f"{base}/judges", json={"username": judge.username})
    assert admin.post(f"{base}/assignments").get_json()["added"] == 2
    returned = admin.post(
        f"{base}/entries/{ids[1]}/review", json={"passed": False, "reason": "缺教学设计说明"}
    )
    assert returned.status_code == 200
    # After the deadline it cannot be fixed, and the teacher's page says so rather than inviting it.
    page = teacher.get(f"/competitions/entries/{ids[1]}").get_data(as_text=True)
    assert "未通过形式审查：缺教学设计说明" in page
    assert "不能再修改" in page
    listed = admin.get(f"{base}/assignments").get_json()["assignments"]
    assert [a["entry_id"] for a in listed] == [ids[0]]
    # Running again neither fails nor gives the returned work back; by hand it is refused.
    assert admin.post(f"{base}/assignments").get_json()["added"] == 0
    manual = admin.post(
        f"{base}/assignments/override",
        json={"entry_id": ids[1], "judge_id": judge.id, "action": "add", "reason": "试试"},
    )
    assert manual.status_code == 409
    # Nobody has scored yet: publishing the results is refused, naming what is missing.
    admin.post(f"{base}/phase", json={"action": "judging"})
    early = admin.post(f"{base}/phase", json={"action": "publish"})
    assert early.status_code == 409
    assert "还有 1 份评分未提交" in early.get_json()["error"]["message"]


def test_an_edit_of_the_resource_during_judging_does_not_reach_judges(app: Flask) -> None:
    w = in_judging(app)
    judge = w["judges"][0]
    before = judge.get("/api/v1/judging/assignments").get_json()["assignments"][0]
    for rid in w["resources"]:
        edited = w["owner"].patch(
            f"/api/v1/resources/{rid}",
            json={
                "kind": "video",
                "title": "作者甲的作品",
                "summary": "作者：作者甲，秣陵街道社区教育中心",
                "category": "职业技能",
                "audience": "社区居民",
            },
        )
        assert edited.status_code == 200, edited.get_json()
    desk = judge.get("/api/v1/judging/assignments")
    assert "作者甲" not in desk.get_data(as_text=True)
    after = desk.get_json()["assignments"][0]
    assert (after["title"], after["summary"]) == (before["title"], before["summary"])
