"""Two rounds (初评 → 终评), an identity flag, and an upheld objection that disqualifies a work
before the results become final."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask

from repo_service.accounts.models import Role
from repo_service.db import utcnow
from tests.factories import Client, competition_settings, drafts_with_a_file, make_user

pytestmark = pytest.mark.integration


def _score_all(judge: Client, criteria: list[dict[str, Any]], plan: dict[str, float]) -> None:
    for a in judge.get("/api/v1/judging/assignments").get_json()["assignments"]:
        if a["status"] == "submitted" or a["code"] not in plan:
            continue
        design = plan[a["code"]]
        saved = judge.post(
            f"/api/v1/judging/assignments/{a['id']}/scores",
            json={
                "row_version": a["row_version"],
                "submit": True,
                "scores": {str(criteria[0]["id"]): design, str(criteria[1]["id"]): 30},
            },
        )
        assert saved.status_code == 200, saved.get_json()


def test_two_rounds_then_an_upheld_objection(app: Flask) -> None:
    now = utcnow()
    admin = Client(app, make_user(app, Role.ADMIN, street="东山"))
    teacher_user = make_user(app, Role.TEACHER, street="淳化")
    teacher = Client(app, teacher_user)
    judge = Client(app, make_user(app, Role.JUDGE, street="横溪"))
    settings = competition_settings(
        now,
        judges_per_entry=1,
        street_quota=None,
        rounds=[{"name": "初评", "advance": 2}, {"name": "终评"}],
        award_tiers=[{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 1}],
    )
    comp = admin.post("/api/v1/competitions", json=settings).get_json()["competition"]
    base = f"/api/v1/competitions/{comp['id']}"
    criteria = comp["criteria"]
    admin.post(f"{base}/phase", json={"action": "open"})
    codes = []
    for rid in drafts_with_a_file(app, teacher_user, ["一", "二", "三"]):
        entered = teacher.post(f"{base}/entries", json={"resource_id": rid, "category": "职业技能"})
        codes.append(entered.get_json()["entry"]["code"])
    past = (now - dt.timedelta(minutes=1)).isoformat()
    admin.patch(base, json={"submission_closes_at": past, "judging_opens_at": past})
    admin.post(f"{base}/phase", json={"action": "review"})
    for e in admin.get(f"{base}/entries").get_json()["entries"]:
        admin.post(f"{base}/entries/{e['id']}/review", json={"passed": True})
    admin.post(f"{base}/judges", json={"username": judge.user.username})  # type: ignore[union-attr]
    assert admin.post(f"{base}/assignments").get_json()["added"] == 3
    admin.post(f"{base}/phase", json={"action": "judging"})

    # Round one: the third work is last and stays behind; publishing is for the last round only.
    _score_all(judge, criteria, {codes[0]: 50, codes[1]: 40, codes[2]: 30})
    refused = admin.post(f"{base}/phase", json={"action": "publish"})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "wrong_phase"
    advanced = admin.post(f"{base}/phase", json={"action": "advance"}).get_json()
    assert advanced["advanced"] == 2
    assert advanced["competition"]["current_round"] == 2
    # Round two with nobody assigned yet cannot be published.
    unjudged = admin.post(f"{base}/phase", json={"action": "publish"})
    assert unjudged.status_code == 409
    assert "2 件作品没有评委评分" in unjudged.get_json()["error"]["message"]
    assert admin.post(f"{base}/assignments").get_json()["added"] == 2

    # The judge recognises an author in round two and says so.
    desk = judge.get("/api/v1/judging/assignments").get_json()["assignments"]
    round_two = {a["code"]: a for a in desk if a["round"] == 2}
    assert sorted(round_two) == sorted(codes[:2])
    flagged = judge.post(
        f"/api/v1/judging/assignments/{round_two[codes[1]]['id']}/identity",
        json={"note": "片头出现了作者姓名"},
    )
    assert flagged.status_code == 200
    listed = {e["code"]: e for e in admin.get(f"{base}/entries").get_json()["entries"]}
    assert listed[codes[1]]["identity_flag"] == "片头出现了作者姓名"

    # Round two reverses the order; the final ranking comes from it alone.
    _score_all(judge, criteria, {codes[0]: 35, codes[1]: 55})
    preview = admin.get(f"{base}/results").get_json()
    rows = [(r["code"], r["rank"], r["award"]) for r in preview["categories"]["职业技能"]]
    assert rows == [(codes[1], 1, "一等奖"), (codes[0], 2, "二等奖")]
    assert admin.post(f"{base}/phase", json={"action": "publish"}).status_code == 200

    # An upheld objection disqualifies the winner: the final results close up without it.
    resident = Client(app, make_user(app, Role.RESIDENT, street="湖熟"))
    lodged = resident.post(
        f"{base}/objections", json={"entry_code": codes[1], "reason": "该作品为往年获奖作品"}
    )
    assert lodged.status_code == 201
    objection = admin.get(f"{base}/objections").get_json()["objections"][0]
    answered = admin.post(
        f"{base}/objections/{objection['id']}/answer",
        json={"verdict": "upheld", "answer": "经核实属实，取消资格", "disqualify": True},
    )
    assert answered.status_code == 200, answered.get_json()
    admin.patch(base, json={"notice_ends_at": (utcnow() - dt.timedelta(seconds=1)).isoformat()})
    final = admin.post(f"{base}/phase", json={"action": "finalise"}).get_json()
    assert final["certificates"] == 1
    results = admin.get(f"{base}/results").get_json()["results"]
    assert [(r["code"], r["rank"], r["award"]) for r in results] == [(codes[0], 1, "一等奖")]
    mine = teacher.get(f"{base}/entries").get_json()["entries"]
    assert {e["code"]: e["status"] for e in mine}[codes[1]] == "disqualified"
