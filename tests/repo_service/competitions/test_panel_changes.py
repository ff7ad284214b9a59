"""The panel changes during judging: a judge drops out, another joins, the assignment is run
again; submitted scores stay as they were, a conflict a judge declares takes her off the entry."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from repo_service.accounts.models import Organisation, Role
from repo_service.judging.models import AssignmentStatus, JudgeAssignment, Score
from tests.factories import Client, make_user
from tests.repo_service.competitions.builders import in_judging

pytestmark = pytest.mark.integration


def _scores(admin: Client, base: str, design: float, show: float) -> dict[str, float]:
    criteria = admin.get(base).get_json()["competition"]["criteria"]
    return {str(criteria[0]["id"]): design, str(criteria[1]["id"]): show}


def test_a_judge_drops_out_and_the_rerun_keeps_submitted_scores(app: Flask) -> None:
    w = in_judging(app)
    base, admin = w["base"], w["admin"]
    (first, second), (a_first, a_second) = w["judges"], w["assignments"]
    sheet = first.get(f"/api/v1/judging/assignments/{a_first}").get_json()["assignment"]
    done = first.post(
        f"/api/v1/judging/assignments/{a_first}/scores",
        json={"row_version": sheet["row_version"], "submit": True,
              "scores": _scores(admin, base, 51, 33)},
    )  # fmt: skip
    assert done.status_code == 200, done.get_json()
    # The second judge saved a draft, then drops out: her draft goes, the entry is free again.
    sheet = second.get(f"/api/v1/judging/assignments/{a_second}").get_json()["assignment"]
    second.post(
        f"/api/v1/judging/assignments/{a_second}/scores",
        json={"row_version": sheet["row_version"], "scores": _scores(admin, base, 10, 10)},
    )
    dropped = admin.delete(f"{base}/judges/{w['judge_ids'][1]}", json={"reason": "生病"})
    assert dropped.get_json() == {"removed": 1}
    assert second.get(f"/api/v1/judging/assignments/{a_second}").status_code == 404
    newcomer = make_user(app, Role.JUDGE, street="湖熟")
    assert admin.post(f"{base}/judges", json={"username": newcomer.username}).status_code == 201
    rerun = admin.post(f"{base}/assignments").get_json()
    assert rerun["added"] == 1
    assert rerun["shortfall"] == {}
    with app.extensions["db"].session() as session:
        rows = session.scalars(
            select(JudgeAssignment).where(JudgeAssignment.entry_id.in_(w["entries"]))
        ).all()
        live = sorted(
            (r.entry_id, r.judge_user_id, r.status) for r in rows if r.status != "removed"
        )
        kept = session.get(JudgeAssignment, a_first)
        assert kept is not None
        assert kept.status == AssignmentStatus.SUBMITTED
        values = {
            s.criterion_id: s.value
            for s in session.scalars(select(Score).where(Score.assignment_id == a_first))
        }
    assert sorted(v for v in values.values() if v is not None) == [33, 51]
    entry_of_first = next(r.entry_id for r in rows if r.id == a_first)
    other_entry = next(e for e in w["entries"] if e != entry_of_first)
    assert live == sorted(
        [
            (entry_of_first, w["judge_ids"][0], AssignmentStatus.SUBMITTED),
            (other_entry, newcomer.id, AssignmentStatus.ASSIGNED),
        ]
    )
    why = admin.get(f"{base}/assignments/explain?entry_id={other_entry}").get_json()["judges"]
    reasons = {row["judge_id"]: row["reason"] for row in why}
    assert reasons[w["judge_ids"][1]] == "inactive"
    assert reasons[newcomer.id] is None


def test_a_declared_conflict_takes_the_judge_off_and_the_rerun_respects_it(app: Flask) -> None:
    w = in_judging(app)
    base, admin = w["base"], w["admin"]
    (first, _second), (a_first, _a_second) = w["judges"], w["assignments"]
    declared = first.post(
        f"/api/v1/judging/assignments/{a_first}/conflict", json={"note": "我认识作者"}
    )
    assert declared.status_code == 200, declared.get_json()
    assert first.get(f"/api/v1/judging/assignments/{a_first}").status_code == 404
    rerun = admin.post(f"{base}/assignments").get_json()
    with app.extensions["db"].session() as session:
        entry_id = session.get(JudgeAssignment, a_first).entry_id  # type: ignore[union-attr]
    # The other judge takes the entry; the first is never given it back.
    assert rerun["added"] == 1
    why = admin.get(f"{base}/assignments/explain?entry_id={entry_id}").get_json()["judges"]
    reasons = {row["judge_id"]: (row["assigned"], row["reason"]) for row in why}
    assert reasons[w["judge_ids"][0]] == (False, "declared_conflict")
    assert reasons[w["judge_ids"][1]] == (True, None)


def test_a_unit_conflict_declared_on_the_page_moves_her_work_to_another_judge(app: Flask) -> None:
    w = in_judging(app)
    base, admin = w["base"], w["admin"]
    first, a_first = w["judges"][0], w["assignments"][0]
    cid = base.rsplit("/", 1)[1]
    page = first.get(f"/competitions/{cid}").get_data(as_text=True)
    assert "申报回避单位" in page
    with app.extensions["db"].session() as session:
        street = session.scalar(
            select(Organisation).where(Organisation.name == "秣陵街道社区教育中心")
        )
        assert street is not None
        street_id = street.id
    declared = first.post(
        f"/competitions/{cid}/conflicts", data={"organisation_id": street_id, "note": "曾任职"}
    )
    assert declared.status_code == 302
    # Her work from that street is taken away and goes to the other judge on the next run.
    assert first.get(f"/api/v1/judging/assignments/{a_first}").status_code == 404
    assert admin.post(f"{base}/assignments").get_json()["added"] == 1
    mine = first.get(f"{base}/conflicts").get_json()["conflicts"]
    assert [(c["organisation_id"], c["note"]) for c in mine] == [(street_id, "曾任职")]
    loads = admin.get(f"{base}/assignments").get_json()["loads"]
    assert loads == {str(w["judge_ids"][1]): 2}
