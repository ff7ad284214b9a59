"""A whole competition through the JSON API: set-up, quotas, deadline, formal review, assignment
with a conflict, blind scoring, results, notice with an objection, certificates and exports."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest
from flask import Flask
from sqlalchemy import func, select

from repo_service.accounts.models import Role, User
from repo_service.competitions.models import Competition, Entry, EntryResult, EntryStatus
from repo_service.db import utcnow
from repo_service.judging.models import JudgeAssignment, ScoreEvent
from repo_service.resources.models import Resource
from tests.factories import Client, competition_settings, drafts_with_a_file, make_user

pytestmark = pytest.mark.integration


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.get_json()
    error: dict[str, Any] = response.get_json()["error"]
    assert error["code"] == code, error
    assert error["message"]
    assert error["message_en"]
    return error


def _count(app: Flask, model: Any, *where: Any) -> int:
    with app.extensions["db"].session() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _teacher(app: Flask, street: str, name: str) -> tuple[User, Client]:
    user = make_user(app, Role.TEACHER, street=street, display_name=name)
    return user, Client(app, user)


def _scores(c: dict[str, Any], design: float, show: float) -> dict[str, float]:
    ids = {k["name"]: k["id"] for k in c["criteria"]}
    return {str(ids["教学设计"]): design, str(ids["呈现效果"]): show, str(ids["创新加分"]): 3}


def test_a_whole_competition(app: Flask, tmp_path: Path) -> None:
    now = utcnow()
    admin = Client(app, make_user(app, Role.ADMIN, street="东山", display_name="管理员甲"))
    t1, c1 = _teacher(app, "秣陵", "秣陵张老师")
    t2, c2 = _teacher(app, "秣陵", "秣陵李老师")
    t3, c3 = _teacher(app, "东山", "东山赵老师")
    j1_user = make_user(app, Role.JUDGE, street="秣陵", display_name="秣陵评委")
    j2_user = make_user(app, Role.JUDGE, street="汤山", display_name="汤山评委")
    j1, j2 = Client(app, j1_user), Client(app, j2_user)
    resident = Client(app, make_user(app, Role.RESIDENT, street="江宁"))

    comp = _ok(admin.post("/api/v1/competitions", json=competition_settings(now)), 201)[
        "competition"
    ]
    cid = comp["id"]
    base = f"/api/v1/competitions/{cid}"
    # A draft is the admins' alone.
    assert c1.get(base).status_code == 404
    _ok(admin.post(f"{base}/phase", json={"action": "open"}))

    (r1,) = drafts_with_a_file(app, t1, ["手机挂号三步走"])
    (r2,) = drafts_with_a_file(app, t2, ["防范电信诈骗"])
    (r2b,) = drafts_with_a_file(app, t2, ["老年人用微信视频"])
    (r3,) = drafts_with_a_file(app, t3, ["健康码与行程卡"])

    e1 = _ok(c1.post(f"{base}/entries", json={"resource_id": r1, "category": "老年教育"}), 201)
    e2 = _ok(
        c2.post(
            f"{base}/entries",
            json={
                "resource_id": r2,
                "category": "老年教育",
                "members": [{"name": "外单位王老师", "organisation": "江宁区老年大学"}],
            },
        ),
        201,
    )
    prefix = comp["code_prefix"]
    assert prefix.startswith(f"{now.year}-WK")
    assert e1["entry"]["code"] == f"{prefix}-001"
    assert [m["name"] for m in e2["entry"]["members"]] == ["秣陵李老师", "外单位王老师"]
    # The street's two places in 老年教育 are used: a third is refused and nothing is written.
    quota = _ok(c2.get(base))["quota"]
    assert (quota["used"]["老年教育"], quota["places"]) == (2, 2)
    error = _error(
        c2.post(f"{base}/entries", json={"resource_id": r2b, "category": "老年教育"}),
        409,
        "quota_full",
    )
    assert "名额已用完" in error["message"]
    assert _count(app, Entry, Entry.competition_id == cid) == 2
    # Someone else's work cannot be entered.
    assert (
        c1.post(f"{base}/entries", json={"resource_id": r3, "category": "职业技能"}).status_code
        == 404
    )
    e3 = _ok(c3.post(f"{base}/entries", json={"resource_id": r3, "category": "老年教育"}), 201)
    ids = [e["entry"]["id"] for e in (e1, e2, e3)]

    # The team can change until the deadline.
    changed = _ok(
        c2.patch(
            f"{base}/entries/{e2['entry']['id']}",
            json={"members": [{"name": "外单位孙老师", "organisation": "江宁区老年大学"}]},
        )
    )["entry"]
    assert [m["name"] for m in changed["members"]] == ["秣陵李老师", "外单位孙老师"]
    # Technical checks are listed with what was measured (pending: not processed yet).
    admin.patch(base, json={"requirements": {"min_duration": 300, "max_duration": 900}})
    checks = _ok(c1.get(f"{base}/entries/{ids[0]}"))["entry"]["checks"]
    assert [(c["key"], c["status"]) for c in checks] == [("duration", "pending")]

    # The admin closes submissions: after the deadline every change is refused by the server.
    past = (now - dt.timedelta(minutes=1)).isoformat()
    _ok(admin.patch(base, json={"submission_closes_at": past, "judging_opens_at": past}))
    _error(
        c1.patch(f"{base}/entries/{ids[0]}", json={"category": "职业技能"}), 409, "entries_closed"
    )
    _error(c1.delete(f"{base}/entries/{ids[0]}"), 409, "entries_closed")
    with app.extensions["db"].session() as session:
        entry = session.get(Entry, ids[0])
        assert entry is not None
        assert (entry.category, entry.status) == ("老年教育", EntryStatus.ENTERED)

    _ok(admin.post(f"{base}/phase", json={"action": "review"}))
    for entry_id in ids:
        _ok(admin.post(f"{base}/entries/{entry_id}/review", json={"passed": True}))

    # The panel: a judge from 秣陵 never judges the works of 秣陵's teachers.
    for judge in (j1_user, j2_user):
        _ok(admin.post(f"{base}/judges", json={"username": judge.username}), 201)
    run = _ok(admin.post(f"{base}/assignments"))
    assert run["added"] == 4
    assert run["shortfall"] == {str(ids[0]): 1, str(ids[1]): 1}
    why = _ok(admin.get(f"{base}/assignments/explain?entry_id={ids[0]}"))["judges"]
    by_judge = {row["judge_id"]: row for row in why}
    assert by_judge[j1_user.id]["assigned"] is False
    assert by_judge[j1_user.id]["reason"] == "same_organisation"
    assert by_judge[j2_user.id]["assigned"] is True
    # Even by hand a conflicted judge is refused.
    _error(
        admin.post(
            f"{base}/assignments/override",
            json={"entry_id": ids[0], "judge_id": j1_user.id, "action": "add", "reason": "试试"},
        ),
        409,
        "conflict",
    )
    _ok(admin.post(f"{base}/phase", json={"action": "judging"}))

    # The judge's desk is blind: codes, never names, units or file names.
    desk = j2.get("/api/v1/judging/assignments")
    text = desk.get_data(as_text=True)
    for marker in (
        "外单位孙老师",
        "秣陵张老师",
        "秣陵李老师",
        "东山赵老师",
        "外单位王老师",
        "江宁区老年大学",
        "秣陵街道",
        "东山街道",
        "x.mp4",
        '"resource_id"',
    ):
        assert marker not in text
    mine = {a["code"]: a for a in desk.get_json()["assignments"]}
    assert sorted(mine) == [f"{prefix}-00{n}" for n in (1, 2, 3)]
    # Another judge's assignment does not exist for her.
    other = next(a for a in _ok(j1.get("/api/v1/judging/assignments"))["assignments"])
    assert j2.get(f"/api/v1/judging/assignments/{other['id']}").status_code == 404

    plan = {1: (50, 30), 2: (55, 30), 3: (50, 30)}
    for code, a in mine.items():
        number = int(code[-3:])
        url = f"/api/v1/judging/assignments/{a['id']}/scores"
        draft = _ok(
            j2.post(
                url,
                json={
                    "row_version": a["row_version"],
                    "scores": _scores(comp_of(admin, base), *plan[number]),
                },
            )
        )
        # A second tab still holding the old version is refused, nothing is overwritten.
        _error(
            j2.post(url, json={"row_version": a["row_version"], "scores": {}}), 409, "stale_scores"
        )
        version = draft["assignment"]["row_version"]
        comments = {str(comp_of(admin, base)["criteria"][0]["id"]): f"评语{number}"}
        _ok(
            j2.post(
                url,
                json={
                    "row_version": version,
                    "submit": True,
                    "comments": comments,
                    "scores": _scores(comp_of(admin, base), *plan[number]),
                    "timed_comments": [{"at": 0, "text": "开头清楚"}],
                },
            )
        )
    # Out-of-range and incomplete sheets are refused with the criterion named.
    j1_desk = _ok(j1.get("/api/v1/judging/assignments"))["assignments"]
    (a13,) = j1_desk
    url13 = f"/api/v1/judging/assignments/{a13['id']}/scores"
    error = _error(
        j1.post(
            url13,
            json={
                "row_version": a13["row_version"],
                "scores": {str(comp["criteria"][0]["id"]): 61},
            },
        ),
        400,
        "invalid_input",
    )
    assert "教学设计" in error["message"]
    _error(
        j1.post(
            url13,
            json={
                "row_version": a13["row_version"],
                "submit": True,
                "scores": {str(comp["criteria"][0]["id"]): 40},
            },
        ),
        400,
        "invalid_input",
    )
    # A save changes only what it names: two partial drafts make one sheet.
    design, show = (str(k["id"]) for k in comp["criteria"][:2])
    half = _ok(j1.post(url13, json={"row_version": a13["row_version"], "scores": {design: 40}}))
    whole = _ok(
        j1.post(
            url13,
            json={"row_version": half["assignment"]["row_version"], "scores": {show: 30}},
        )
    )["assignment"]
    assert (whole["scores"][design], whole["scores"][show]) == (40, 30)
    submitted = _ok(j1.post(url13, json={"row_version": whole["row_version"], "submit": True}))[
        "assignment"
    ]
    # Submitted scores are locked; the database keeps them as they were.
    _error(
        j1.post(
            url13, json={"row_version": submitted["row_version"], "scores": _scores(comp, 60, 40)}
        ),
        409,
        "scores_locked",
    )
    # The admin reopens with a logged reason; the judge changes and submits again.
    _ok(admin.post(f"/api/v1/judging/assignments/{a13['id']}/reopen", json={"reason": "笔误"}))
    again = _ok(j1.get(f"/api/v1/judging/assignments/{a13['id']}"))["assignment"]
    _ok(
        j1.post(
            url13,
            json={
                "row_version": again["row_version"],
                "submit": True,
                "scores": _scores(comp, 40, 30),
            },
        )
    )
    history = _ok(j1.get(f"/api/v1/judging/assignments/{a13['id']}/scores"))["history"]
    assert [h["action"] for h in history] == ["draft", "draft", "submit", "reopen", "submit"]
    assert history[3]["reason"] == "笔误"
    assert _count(app, ScoreEvent, ScoreEvent.assignment_id == a13["id"]) == 5

    # Results: entry 2 (85) first, entry 1 (80) second, entry 3 ((70 + 80) / 2 = 75) third.
    preview = _ok(admin.get(f"{base}/results"))
    assert (preview["preview"], preview["complete"]) == (True, True)
    rows = [
        (r["code"][-3:], r["score"], r["rank"], r["award"])
        for r in preview["categories"]["老年教育"]
    ]
    assert rows == [
        ("002", 85.0, 1, "一等奖"),
        ("001", 80.0, 2, "二等奖"),
        ("003", 75.0, 3, "三等奖"),
    ]
    _ok(admin.post(f"{base}/phase", json={"action": "publish", "notice_days": 5}))
    with app.extensions["db"].session() as session:
        stored = session.execute(
            select(EntryResult.rank, EntryResult.award)
            .where(EntryResult.competition_id == cid)
            .order_by(EntryResult.rank)
        ).all()
        assert [tuple(r) for r in stored] == [(1, "一等奖"), (2, "二等奖"), (3, "三等奖")]
        assert session.get(Resource, r2).award is None  # not before the results are final

    # The teacher sees her result and comments, judges only as letters.
    feedback = c1.get(f"{base}/entries/{ids[0]}")
    assert "汤山评委" not in feedback.get_data(as_text=True)
    result = feedback.get_json()["entry"]["result"]["rounds"][0]
    assert (result["rank"], result["award"]) == (2, "二等奖")
    assert result["judges"][0]["judge"] == "评委A"
    assert result["judges"][0]["comments"] == {"教学设计": "评语1"}

    # An objection during the notice must be answered before certificates are issued.
    _ok(
        resident.post(
            f"{base}/objections",
            json={"entry_code": e3["entry"]["code"], "reason": "该作品与去年作品相似"},
        ),
        201,
    )
    _error(admin.post(f"{base}/phase", json={"action": "finalise"}), 409, "conflict")
    ended = (utcnow() - dt.timedelta(seconds=1)).isoformat()
    _ok(admin.patch(base, json={"notice_ends_at": ended}))
    error = _error(admin.post(f"{base}/phase", json={"action": "finalise"}), 409, "conflict")
    assert "异议" in error["message"]
    objection = _ok(admin.get(f"{base}/objections"))["objections"][0]
    _ok(
        admin.post(
            f"{base}/objections/{objection['id']}/answer",
            json={"verdict": "dismissed", "answer": "经核查为不同作品"},
        )
    )
    done = _ok(admin.post(f"{base}/phase", json={"action": "finalise"}))
    assert done["certificates"] == 3
    with app.extensions["db"].session() as session:
        assert [session.get(Resource, r).award for r in (r1, r2, r3)] == [
            "二等奖",
            "一等奖",
            "三等奖",
        ]

    # The XLSX result sheet, read back.
    sheet = admin.get(f"{base}/export.xlsx")
    assert sheet.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(sheet.data))
    values = [
        [c for c in row if c is not None] for row in book["老年教育"].iter_rows(values_only=True)
    ]
    codes = [row[1] for row in values if row and row[0] in (1, 2, 3)]
    assert codes == [f"{prefix}-002", f"{prefix}-001", f"{prefix}-003"]
    assert any("一等奖" in row for row in values)

    # Certificates: the QR code on each page leads to the verification page.
    pdf = admin.get(f"{base}/certificates.pdf")
    assert pdf.status_code == 200
    (tmp_path / "c.pdf").write_bytes(pdf.data)
    urls = _qr_codes(tmp_path / "c.pdf", tmp_path)
    assert len(urls) == 3
    code = urls[0].rsplit("/", 1)[1]
    assert re.fullmatch(r"/certificates/[A-Z0-9-]+", "/" + urls[0].split("/", 3)[3])
    verified = _ok(resident.get(f"/api/v1/certificates/{code}"))["certificate"]
    assert verified["competition"] == comp["name"]
    assert verified["award"] in (
        "一等奖",
        "二等奖",
        "三等奖",
    )
    forged = code[:-1] + ("2" if code[-1] != "2" else "3")
    _error(resident.get(f"/api/v1/certificates/{forged}"), 404, "not_found")

    # The home page leads residents to the winners' collection.
    home = Client(app, None).get("/").get_data(as_text=True)
    assert f"/competitions/{comp['id']}/collection" in home

    # The winners' collection and a judge's scoring sheet, as PDFs with their text.
    collection = resident.get(f"{base}/collection.pdf")
    assert collection.status_code == 200
    text = _pdf_text(collection.data)
    for title in ("手机挂号三步走", "防范电信诈骗", "健康码与行程卡"):
        assert title in text
    sheet_pdf = j2.get(f"{base}/judges/{j2_user.id}/sheet.pdf")
    assert sheet_pdf.status_code == 200
    text = _pdf_text(sheet_pdf.data)
    assert "汤山评委" in text
    assert f"{prefix}-001" in text
    assert "评语1" in text

    # The log holds assignments, the score history, the reopening and the objection.
    log = openpyxl.load_workbook(io.BytesIO(admin.get(f"{base}/log.xlsx").data))
    actions = {row[2] for row in log["过程记录"].iter_rows(min_row=2, values_only=True)}
    assert {"自动分配评委", "退回评分", "提出异议", "答复异议", "确认结果、颁发证书"} <= actions
    history = list(log["评分历史"].iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in history if row[0] == f"{prefix}-003" and row[1] == "秣陵评委"] == [
        "保存草稿", "保存草稿", "提交", "退回", "提交"
    ]  # fmt: skip

    # Next year's competition in one action, rubric included.
    copy = _ok(admin.post(f"{base}/copy"), 201)["competition"]
    assert (copy["year"], copy["phase"]) == (now.year + 1, "draft")
    assert [c["name"] for c in copy["criteria"]] == ["教学设计", "呈现效果", "创新加分"]
    with app.extensions["db"].session() as session:
        assert session.get(Competition, copy["id"]).copied_from_id == cid  # type: ignore[union-attr]
        assert _count(app, JudgeAssignment, JudgeAssignment.competition_id == copy["id"]) == 0


def comp_of(admin: Client, base: str) -> dict[str, Any]:
    body: dict[str, Any] = admin.get(base).get_json()["competition"]
    return body


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


def _qr_codes(pdf: Path, work: Path) -> list[str]:
    for tool in ("pdftoppm", "zbarimg"):
        assert shutil.which(tool), f"{tool} is missing: run ./infra/install"
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(pdf), str(work / "p")], check=True)
    found = []
    for page in sorted(work.glob("p*.png")):
        out = subprocess.run(
            ["zbarimg", "--raw", "-q", str(page)], capture_output=True, text=True, check=False
        )
        found += out.stdout.split()
    return found
