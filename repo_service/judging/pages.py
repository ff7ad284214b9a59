"""Judging pages: the judge's desk and scoring page (blind: a code, a category, a title, a
summary and media from the judge endpoints, never who made the work), and the admin's panel
with assignment runs, explanations, overrides, reopenings and the score history.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from repo_service import policy
from repo_service.access import access, require_user
from repo_service.accounts.models import Role
from repo_service.competitions.models import Competition, Entry, Phase
from repo_service.competitions.pages import labels, load_competition, overview_with
from repo_service.competitions.services import flag_identity, get_entry
from repo_service.db import aware, get_session, utcnow
from repo_service.errors import DomainError, InvalidInput, NotFound
from repo_service.forms import Page, attempt, done, rendered
from repo_service.judging import services
from repo_service.judging.assignment import REASONS_EN, REASONS_ZH, Reason
from repo_service.judging.models import AssignmentStatus, JudgeAssignment

bp = Blueprint("judging_pages", __name__)
bp.context_processor(labels)

CLOCK = re.compile(r"(\d+):([0-5]?\d(?:\.\d+)?)")


def round_name(c: Competition, number: int) -> str:
    if 0 < number <= len(c.rounds):
        return str(c.rounds[number - 1].get("name") or "")
    return ""


# --- the judge's desk ---------------------------------------------------------------------------


@bp.get("/judging")
@access(Role.JUDGE)
def desk_page() -> Page:
    groups: dict[tuple[int, int], dict[str, Any]] = {}
    for a in services.desk(get_session(), require_user()):
        c = a.entry.competition
        group = groups.setdefault(
            (c.id, a.round),
            {"c": c, "round": a.round, "round_name": round_name(c, a.round), "rows": []},
        )
        group["rows"].append(a)
    for group in groups.values():
        group["submitted"] = sum(1 for a in group["rows"] if a.status == AssignmentStatus.SUBMITTED)
    return render_template("judging/desk.html", groups=list(groups.values()))


# --- the scoring page ---------------------------------------------------------------------------


def _mine(assignment_id: int) -> JudgeAssignment:
    a = services.get_assignment(get_session(), require_user(), assignment_id)
    if not policy.can_view_assignment(require_user(), a):
        raise NotFound("找不到该评审任务", "No such assignment")
    return a


def _stored(a: JudgeAssignment) -> dict[str, Any]:
    return {
        "row_version": str(a.row_version),
        "scores": {
            str(s.criterion_id): "" if s.value is None else f"{s.value:g}" for s in a.scores
        },
        "comments": {str(s.criterion_id): s.comment for s in a.scores},
        "overall_comment": a.overall_comment,
        "timed_comments": [{"at": t.at_seconds, "text": t.text} for t in a.timed_comments],
    }


def _seconds(text: str) -> Any:
    """A moment typed as m:ss (or seconds); anything else goes on for the service to refuse."""
    match = CLOCK.fullmatch(text.strip())
    if match:
        return int(match.group(1)) * 60 + float(match.group(2))
    try:
        return float(text)
    except ValueError:
        return text


def _posted(a: JudgeAssignment, form: MultiDict[str, str]) -> dict[str, Any]:
    criteria = a.entry.competition.criteria
    timed = [
        {"at": _seconds(at), "text": text.strip()}
        for at, text in zip(form.getlist("timed_at"), form.getlist("timed_text"), strict=False)
        if at.strip() or text.strip()
    ]
    return {
        "row_version": form.get("row_version", ""),
        "scores": {str(c.id): form.get(f"score-{c.id}", "").strip() for c in criteria},
        "comments": {str(c.id): form.get(f"comment-{c.id}", "") for c in criteria},
        "overall_comment": form.get("overall_comment", ""),
        "timed_comments": timed,
    }


def _scoring_page(
    a: JudgeAssignment,
    values: dict[str, Any] | None = None,
    error: DomainError | None = None,
    notes: dict[str, str] | None = None,
) -> tuple[str, int]:
    entry = a.entry
    c = entry.competition
    version = entry.version
    now = utcnow()
    in_window = aware(c.judging_opens_at) <= now < aware(c.judging_closes_at)
    # Only what a judge may know: code, category, title, summary and the judge endpoints.
    media = {
        "video": version.content_type.startswith("video/"),
        "ready": bool(version.master_key)
        if version.content_type.startswith("video/")
        else bool(version.judge_copy_key),
        "poster": bool(version.poster_key),
        "duration": version.duration,
        "pages": version.page_count,
        "statement": entry.statement_version_id is not None,
    }
    return rendered(
        "judging/assignment.html",
        error,
        a=a,
        c=c,
        code=entry.code,
        category=entry.category,
        title=entry.title,
        summary=entry.summary,
        round_name=round_name(c, a.round),
        media=media,
        values=values or _stored(a),
        editable=policy.can_score(require_user(), a, c) and in_window,
        in_window=in_window,
        notes=notes or {},
    )


@bp.get("/judging/assignments/<int:assignment_id>")
@access(Role.JUDGE)
def assignment_page(assignment_id: int) -> Page:
    return _scoring_page(_mine(assignment_id))


@bp.post("/judging/assignments/<int:assignment_id>/scores")
@access(Role.JUDGE)
def scores_page(assignment_id: int) -> Page:
    """The scoring form without JavaScript, and the final submission (drafts autosave through
    the JSON API)."""
    a = _mine(assignment_id)
    data = _posted(a, request.form)
    submit = request.form.get("action") == "submit"
    _, error = attempt(
        lambda: services.save_scores(
            get_session(), require_user(), a, dict(data), utcnow(), submit=submit
        )
    )
    if error is not None:
        return _scoring_page(a, data, error)
    if submit:
        return done(
            f"{a.entry.code} 的评分已提交并锁定",
            f"Scores for {a.entry.code} submitted and locked",
            ".desk_page",
        )
    return done("草稿已保存", "Draft saved", ".assignment_page", assignment_id=a.id)


@bp.post("/judging/assignments/<int:assignment_id>/conflict")
@access(Role.JUDGE)
def conflict_page(assignment_id: int) -> Page:
    a = _mine(assignment_id)
    code = a.entry.code
    note = request.form.get("note", "")
    data: dict[str, Any] = {"note": note, "assignment_id": a.id}
    _, error = attempt(
        lambda: services.declare_conflict(
            get_session(), require_user(), a.entry.competition, dict(data)
        )
    )
    if error is not None:
        return _scoring_page(a, None, error, {"conflict": note})
    return done(
        f"已声明回避 {code}，该作品将由管理员改派其他评委",
        f"Conflict declared for {code}; the admin will assign another judge",
        ".desk_page",
    )


@bp.post("/competitions/<int:competition_id>/conflicts")
@access(Role.JUDGE)
def declare_conflict_page(competition_id: int) -> Page:
    c = load_competition(competition_id)
    form = request.form
    _, error = attempt(
        lambda: services.declare_conflict(
            get_session(),
            require_user(),
            c,
            {"organisation_id": form.get("organisation_id"), "note": form.get("note", "")},
        )
    )
    if error is not None:
        return overview_with(c, error, form.to_dict())
    return done(
        "已申报回避：分配时不会分到该单位及其街道的作品",
        "Conflict declared: works of that unit and its street are never assigned to you",
        "competitions_pages.overview_page",
        competition_id=c.id,
    )


@bp.post("/judging/assignments/<int:assignment_id>/identity")
@access(Role.JUDGE)
def identity_page(assignment_id: int) -> Page:
    a = _mine(assignment_id)
    note = request.form.get("note", "")
    _, error = attempt(lambda: flag_identity(get_session(), require_user(), a.entry, note))
    if error is not None:
        return _scoring_page(a, None, error, {"identity": note})
    return done(
        "已报告管理员：作品中可识别作者身份。如无其他安排，可继续评分",
        "Reported to the admin: the work reveals its author. Unless told otherwise, go on",
        ".assignment_page",
        assignment_id=a.id,
    )


# --- the admin's panel --------------------------------------------------------------------------


def _panel_page(
    c: Competition, error: DomainError | None = None, typed: dict[str, Any] | None = None
) -> tuple[str, int]:
    session = get_session()
    current = services.current_assignments(session, c)
    loads: dict[int, int] = defaultdict(int)
    by_entry: dict[int, list[JudgeAssignment]] = defaultdict(list)
    for a in current:
        loads[a.judge_user_id] += 1
        by_entry[a.entry_id].append(a)
    return rendered(
        "judging/panel.html",
        error,
        c=c,
        judges=services.judges_of(session, c),
        loads=loads,
        entries=services.judged_entries(session, c),
        by_entry=by_entry,
        typed=typed or {},
        assignable=c.phase in (Phase.REVIEW, Phase.JUDGING),
        round_name=round_name(c, c.current_round),
    )


@bp.get("/competitions/<int:competition_id>/judges")
@access(Role.ADMIN)
def panel_page(competition_id: int) -> Page:
    return _panel_page(load_competition(competition_id))


@bp.post("/competitions/<int:competition_id>/judges/add")
@access(Role.ADMIN)
def add_judge_page(competition_id: int) -> Page:
    c = load_competition(competition_id)
    data = {
        "username": request.form.get("username", ""),
        "categories": request.form.getlist("categories"),
    }
    judge, error = attempt(lambda: services.add_judge(get_session(), require_user(), c, data))
    if judge is None:
        return _panel_page(c, error, {"add": data})
    return done(
        f"已添加评委 {judge.user.display_name}",
        f"Judge {judge.user.display_name} added",
        ".panel_page",
        competition_id=c.id,
    )


@bp.post("/competitions/<int:competition_id>/judges/<int:user_id>/drop")
@access(Role.ADMIN)
def drop_judge_page(competition_id: int, user_id: int) -> Page:
    c = load_competition(competition_id)
    judge = next((j for j in services.judges_of(get_session(), c) if j.user_id == user_id), None)
    if judge is None:
        raise NotFound("该用户不是本次评比的评委", "Not a judge of this competition")
    reason = request.form.get("reason", "")
    removed, error = attempt(
        lambda: services.drop_judge(get_session(), require_user(), c, judge, reason)
    )
    if removed is None:
        return _panel_page(c, error, {"drop": {"user_id": user_id, "reason": reason}})
    return done(
        f"评委 {judge.user.display_name} 已退出，撤销 {removed} 项未提交的任务；"
        "请重新运行自动分配补足评委",
        f"{judge.user.display_name} dropped out: {removed} unsubmitted assignments removed; "
        "run the assignment again to fill the gaps",
        ".panel_page",
        competition_id=c.id,
    )


def _shortfall_text(plan: Any) -> tuple[str, str]:
    if not plan.shortfall:
        return "每件作品的评委都已配齐", "every entry has its full panel"
    session = get_session()
    items = []
    for entry_id, missing in list(plan.shortfall.items())[:10]:
        entry = session.get(Entry, entry_id)
        items.append((entry.code if entry else str(entry_id), missing))
    more = len(plan.shortfall) - len(items)
    zh = "、".join(f"{code} 缺 {n} 位" for code, n in items)
    en = ", ".join(f"{code} short of {n}" for code, n in items)
    if more:
        zh, en = f"{zh} 等 {more} 件", f"{en} and {more} more"
    return (
        f"{len(plan.shortfall)} 件作品评委不足（{zh}），请查看原因后添加评委或手动调整",
        f"{len(plan.shortfall)} entries lack judges ({en}); see why, then add judges or override",
    )


@bp.post("/competitions/<int:competition_id>/assignments/run")
@access(Role.ADMIN)
def run_assignment_page(competition_id: int) -> Page:
    c = load_competition(competition_id)
    plan, error = attempt(lambda: services.run_assignment(get_session(), require_user(), c))
    if plan is None:
        return _panel_page(c, error)
    zh, en = _shortfall_text(plan)
    return done(
        f"自动分配完成：新增 {len(plan.assignments)} 项；{zh}",
        f"Assignment done: {len(plan.assignments)} added; {en}",
        ".panel_page",
        competition_id=c.id,
    )


def _judge_id(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput("请选择评委", "Choose a judge") from None


def _entry_of(c: Competition, entry_id: int) -> Entry:
    entry = get_entry(get_session(), require_user(), entry_id)
    if entry.competition_id != c.id:
        raise NotFound("找不到该参赛作品", "No such entry")
    return entry


def _explain_page(
    c: Competition,
    entry: Entry,
    error: DomainError | None = None,
    typed: dict[str, Any] | None = None,
) -> tuple[str, int]:
    session = get_session()
    assignments = list(
        session.scalars(
            select(JudgeAssignment)
            .where(JudgeAssignment.entry_id == entry.id)
            .order_by(JudgeAssignment.round, JudgeAssignment.id)
        )
    )
    return rendered(
        "judging/explain.html",
        error,
        c=c,
        e=entry,
        rows=services.explain(session, c, entry),
        assignments=assignments,
        histories={a.id: services.history(session, a) for a in assignments},
        criteria={str(k.id): k.name for k in c.criteria},
        typed=typed or {},
        assignable=c.phase in (Phase.REVIEW, Phase.JUDGING),
        reopenable=c.phase == Phase.JUDGING,
        load_reason=Reason.LOAD.value,
        reasons=(REASONS_ZH, REASONS_EN),
    )


@bp.get("/competitions/<int:competition_id>/assignments/entries/<int:entry_id>")
@access(Role.ADMIN)
def explain_page(competition_id: int, entry_id: int) -> Page:
    c = load_competition(competition_id)
    return _explain_page(c, _entry_of(c, entry_id))


@bp.post("/competitions/<int:competition_id>/assignments/entries/<int:entry_id>/override")
@access(Role.ADMIN)
def override_page(competition_id: int, entry_id: int) -> Page:
    c = load_competition(competition_id)
    entry = _entry_of(c, entry_id)
    form = request.form
    typed = {
        "judge_id": form.get("judge_id", ""),
        "action": form.get("action", ""),
        "reason": form.get("reason", ""),
    }
    add = typed["action"] == "add"

    def run() -> None:
        judge_id = _judge_id(typed["judge_id"])
        services.override(
            get_session(), require_user(), c, entry, judge_id, add=add, reason=typed["reason"]
        )

    _, error = attempt(run)
    if error is not None:
        return _explain_page(c, entry, error, typed)
    return done(
        "已手动分配该评委" if add else "已撤销该评委的分配",
        "Judge assigned by hand" if add else "Assignment removed",
        ".explain_page",
        competition_id=c.id,
        entry_id=entry.id,
    )


@bp.post("/competitions/<int:competition_id>/assignments/<int:assignment_id>/reopen")
@access(Role.ADMIN)
def reopen_page(competition_id: int, assignment_id: int) -> Page:
    c = load_competition(competition_id)
    a = services.get_assignment(get_session(), require_user(), assignment_id)
    if a.competition_id != c.id:
        raise NotFound("找不到该评审任务", "No such assignment")
    reason = request.form.get("reason", "")
    _, error = attempt(lambda: services.reopen(get_session(), require_user(), a, reason))
    if error is not None:
        return _explain_page(c, a.entry, error, {"reopen": a.id, "reason": reason})
    return done(
        "评分已退回评委修改，原因已记录",
        "Scores reopened for the judge; the reason is logged",
        ".explain_page",
        competition_id=c.id,
        entry_id=a.entry_id,
    )
