"""Judging rules: the panel, conflicts, assignment runs and overrides, and scoring.

Assignment itself is the pure ``judging.assignment.plan``; this module turns rows into its plain
data and writes the plan back. Scores are saved with a version check (two tabs of one judge
cannot overwrite each other) and every save, submission and reopening is kept in the history.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from repo_service import policy
from repo_service.accounts.models import Organisation, Role, User
from repo_service.competitions.models import Competition, Entry, EntryStatus, Phase
from repo_service.competitions.services import WrongPhase, log_event
from repo_service.db import aware
from repo_service.errors import Conflict, Forbidden, InvalidInput, NotFound
from repo_service.judging import assignment as planner
from repo_service.judging.models import (
    AssignmentStatus,
    DeclaredConflict,
    Judge,
    JudgeAssignment,
    Score,
    ScoreEvent,
    TimedComment,
)
from repo_service.resources.models import Resource
from repo_service.resources.services import clean_text, parse_id

MAX_COMMENT = 2000
MAX_TIMED = 100


class StaleScores(Conflict):
    code = "stale_scores"


class ScoresLocked(Conflict):
    code = "scores_locked"


# --- the panel ---------------------------------------------------------------------------------


def judges_of(session: Session, competition: Competition) -> list[Judge]:
    return list(
        session.scalars(
            select(Judge).where(Judge.competition_id == competition.id).order_by(Judge.id)
        )
    )


def add_judge(
    session: Session, admin: User, competition: Competition, data: dict[str, Any]
) -> Judge:
    if competition.phase in (Phase.NOTICE, Phase.FINAL):
        raise WrongPhase("结果公示后不能再增加评委", "Judges cannot be added after publication")
    username = str(data.get("username") or "").strip()
    user = session.scalar(select(User).where(User.username == username)) if username else None
    if user is None:
        raise InvalidInput(f"找不到用户 {username}", f"No user named {username!r}")
    if Role.JUDGE not in user.roles:
        raise InvalidInput(
            f"{user.display_name} 不是评委账号，请先在用户管理中授予评委角色",
            "This user does not have the judge role",
        )
    raw = data.get("categories") or []
    if isinstance(raw, str):
        raw = [c for c in raw.replace("，", ",").split(",") if c.strip()]
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        raise InvalidInput("专业类别格式不正确", "categories must be a list of names")
    categories = [c.strip() for c in raw]
    unknown = [c for c in categories if c not in competition.categories]
    if unknown:
        raise InvalidInput(f"没有这些类别：{'、'.join(unknown)}", "Unknown categories")
    judge = session.scalar(
        select(Judge).where(Judge.competition_id == competition.id, Judge.user_id == user.id)
    )
    if judge is None:
        judge = Judge(competition_id=competition.id, user_id=user.id)
        session.add(judge)
    judge.categories = categories
    judge.active = True
    judge.dropped_reason = None
    session.flush()
    log_event(session, competition, admin, "judge_added", judge=user.id, categories=categories)
    return judge


def drop_judge(
    session: Session, admin: User, competition: Competition, judge: Judge, reason: str
) -> int:
    """A judge drops out: her unsubmitted assignments are removed (submitted scores stay).
    Returns how many were removed; a new assignment run fills the gaps."""
    judge.active = False
    judge.dropped_reason = clean_text(reason, "原因", "Reason", 500)
    removed = 0
    for a in session.scalars(
        select(JudgeAssignment).where(
            JudgeAssignment.competition_id == competition.id,
            JudgeAssignment.judge_user_id == judge.user_id,
            JudgeAssignment.status.in_([AssignmentStatus.ASSIGNED, AssignmentStatus.DRAFT]),
        )
    ):
        a.status = AssignmentStatus.REMOVED
        removed += 1
    log_event(
        session,
        competition,
        admin,
        "judge_dropped",
        judge=judge.user_id,
        removed=removed,
        reason=judge.dropped_reason,
    )
    return removed


def declare_conflict(
    session: Session, judge_user: User, competition: Competition, data: dict[str, Any]
) -> DeclaredConflict:
    """A judge declares a conflict with a unit (before assignment) or with an entry assigned to
    her (she recognises it): that assignment is taken away unless already submitted."""
    judge = session.scalar(
        select(Judge).where(Judge.competition_id == competition.id, Judge.user_id == judge_user.id)
    )
    if judge is None:
        raise Forbidden("您不是本次评比的评委", "You are not a judge of this competition")
    note = clean_text(data.get("note"), "说明", "Note", 500, required=False)
    conflict = DeclaredConflict(
        competition_id=competition.id, judge_user_id=judge_user.id, note=note
    )
    if data.get("assignment_id") not in (None, ""):
        a = session.get(JudgeAssignment, _id(data["assignment_id"]))
        if a is None or not policy.can_view_assignment(judge_user, a):
            raise NotFound("找不到该评审任务", "No such assignment")
        if a.status == AssignmentStatus.SUBMITTED:
            raise ScoresLocked("评分已提交，请联系管理员", "Scores are submitted; ask the admin")
        conflict.entry_id = a.entry_id
        a.status = AssignmentStatus.REMOVED
    elif data.get("organisation_id") not in (None, ""):
        org = session.get(Organisation, _id(data["organisation_id"]))
        if org is None:
            raise InvalidInput("单位不存在", "No such organisation")
        conflict.organisation_id = org.id
    else:
        raise InvalidInput("请选择回避的单位或作品", "Name the unit or the entry")
    session.add(conflict)
    session.flush()
    if conflict.organisation_id is not None:
        # What she has not submitted from that unit is taken away; a new run fills the gaps.
        me = _judge_infos(session, competition)[judge_user.id]
        for a in session.scalars(
            select(JudgeAssignment).where(
                JudgeAssignment.competition_id == competition.id,
                JudgeAssignment.judge_user_id == judge_user.id,
                JudgeAssignment.status.in_([AssignmentStatus.ASSIGNED, AssignmentStatus.DRAFT]),
            )
        ):
            if planner.ineligibility(me, _member_org_keys(session, a.entry), ()) is not None:
                a.status = AssignmentStatus.REMOVED
    log_event(
        session,
        competition,
        judge_user,
        "conflict_declared",
        None,
        judge=judge_user.id,
        entry_id=conflict.entry_id,
        organisation=conflict.organisation_id,
    )
    return conflict


def panel_seat(session: Session, competition: Competition, user: User | None) -> Judge | None:
    """The user's place on this competition's panel, if she has one."""
    if user is None:
        return None
    return session.scalar(
        select(Judge).where(Judge.competition_id == competition.id, Judge.user_id == user.id)
    )


def conflicts_of(
    session: Session, competition: Competition, judge_user: User | None = None
) -> list[DeclaredConflict]:
    """Declared conflicts: one judge's, or (None) the whole panel's for the admin."""
    query = select(DeclaredConflict).where(DeclaredConflict.competition_id == competition.id)
    if judge_user is not None:
        query = query.where(DeclaredConflict.judge_user_id == judge_user.id)
    return list(session.scalars(query.order_by(DeclaredConflict.id)))


def _id(raw: Any) -> int:
    return parse_id(raw, "", "record")


# --- assignment --------------------------------------------------------------------------------


def _judge_infos(session: Session, competition: Competition) -> dict[int, planner.JudgeInfo]:
    out = {}
    conflict_orgs: dict[int, set[int]] = {}
    for c in session.scalars(
        select(DeclaredConflict).where(
            DeclaredConflict.competition_id == competition.id,
            DeclaredConflict.organisation_id.is_not(None),
        )
    ):
        assert c.organisation_id is not None
        conflict_orgs.setdefault(c.judge_user_id, set()).add(c.organisation_id)
    for judge in judges_of(session, competition):
        keys = set(policy.conflict_keys(judge.user.organisation))
        keys |= conflict_orgs.get(judge.user_id, set())
        out[judge.user_id] = planner.JudgeInfo(
            id=judge.user_id,
            org_keys=frozenset(keys),
            categories=frozenset(judge.categories),
            active=judge.active,
        )
    return out


def _member_org_keys(session: Session, entry: Entry) -> planner.EntryInfo:
    """The entry as the planner sees it: every author's account and every author's unit with
    its street (a co-author from another street brings that street's judges into conflict)."""
    authors = {entry.submitted_by_id}
    keys = set(policy.conflict_keys(entry.organisation))
    for m in entry.members:
        if m.user_id is not None:
            authors.add(m.user_id)
        if m.organisation_id is not None:
            keys |= policy.conflict_keys(session.get(Organisation, m.organisation_id))
    return planner.EntryInfo(
        id=entry.id,
        category=entry.category,
        author_ids=frozenset(authors),
        org_keys=frozenset(keys),
    )


def judged_entries(session: Session, competition: Competition) -> list[Entry]:
    return list(
        session.scalars(
            select(Entry)
            .where(
                Entry.competition_id == competition.id,
                Entry.status == EntryStatus.PASSED,
                Entry.round_reached >= competition.current_round,
            )
            .order_by(Entry.number)
        )
    )


def _declared(session: Session, competition: Competition) -> set[tuple[int, int]]:
    return {
        (c.judge_user_id, c.entry_id)
        for c in session.scalars(
            select(DeclaredConflict).where(
                DeclaredConflict.competition_id == competition.id,
                DeclaredConflict.entry_id.is_not(None),
            )
        )
        if c.entry_id is not None
    }


def current_assignments(session: Session, competition: Competition) -> list[JudgeAssignment]:
    return list(
        session.scalars(
            select(JudgeAssignment).where(
                JudgeAssignment.competition_id == competition.id,
                JudgeAssignment.round == competition.current_round,
                JudgeAssignment.status != AssignmentStatus.REMOVED,
            )
        )
    )


def _require_assignable(competition: Competition) -> None:
    if competition.phase not in (Phase.REVIEW, Phase.JUDGING):
        raise WrongPhase(
            "形式审查或评审阶段才能分配评委", "Judges are assigned during review or judging"
        )


@dataclass(frozen=True)
class PlanInputs:
    """What the planner is given for a competition's current round, as plain data."""

    entries: list[planner.EntryInfo]
    judges: list[planner.JudgeInfo]
    kept: list[planner.Kept]
    declared: set[tuple[int, int]]


def plan_inputs(session: Session, competition: Competition) -> PlanInputs:
    entries = judged_entries(session, competition)
    judged = {e.id for e in entries}
    return PlanInputs(
        entries=[_member_org_keys(session, e) for e in entries],
        judges=list(_judge_infos(session, competition).values()),
        kept=[
            planner.Kept(entry_id=a.entry_id, judge_id=a.judge_user_id)
            for a in current_assignments(session, competition)
            if a.entry_id in judged  # a returned or eliminated entry keeps nobody
        ],
        declared=_declared(session, competition),
    )


def run_assignment(session: Session, admin: User, competition: Competition) -> planner.Plan:
    """Fill every passed entry up to the panel size; what exists (scores, drafts, manual
    choices) is kept. Returns the plan with the reasons judges were skipped."""
    _require_assignable(competition)
    inputs = plan_inputs(session, competition)
    if not inputs.judges:
        raise Conflict("请先添加评委", "Add judges first")
    plan = planner.plan(
        inputs.entries, inputs.judges, competition.judges_per_entry, inputs.kept, inputs.declared
    )
    # Rows removed before (a drop-out, an override) come back rather than being duplicated.
    removed = {
        (a.entry_id, a.judge_user_id): a
        for a in session.scalars(
            select(JudgeAssignment).where(
                JudgeAssignment.competition_id == competition.id,
                JudgeAssignment.round == competition.current_round,
                JudgeAssignment.status == AssignmentStatus.REMOVED,
            )
        )
    }
    for entry_id, judge_id in plan.assignments:
        existing = removed.get((entry_id, judge_id))
        if existing is not None:
            existing.status = AssignmentStatus.ASSIGNED
            existing.manual = False
            existing.scores.clear()
            existing.row_version += 1
        else:
            session.add(
                JudgeAssignment(
                    competition_id=competition.id,
                    entry_id=entry_id,
                    judge_user_id=judge_id,
                    round=competition.current_round,
                )
            )
    session.flush()
    log_event(
        session,
        competition,
        admin,
        "assignment_run",
        round=competition.current_round,
        added=len(plan.assignments),
        shortfall={str(k): v for k, v in plan.shortfall.items()},
    )
    return plan


def explain(session: Session, competition: Competition, entry: Entry) -> list[dict[str, Any]]:
    """For one entry, every judge and whether she is assigned, or why not."""
    info = _member_org_keys(session, entry)
    judges = _judge_infos(session, competition)
    declared = _declared(session, competition)
    assigned = {
        a.judge_user_id for a in current_assignments(session, competition) if a.entry_id == entry.id
    }
    rows = []
    for judge in judges_of(session, competition):
        reason = planner.ineligibility(judges[judge.user_id], info, declared)
        rows.append(
            {
                "judge_id": judge.user_id,
                "judge": judge.user.display_name,
                "assigned": judge.user_id in assigned,
                "reason": reason,
                "reason_zh": planner.REASONS_ZH.get(reason or "", ""),
                "reason_en": planner.REASONS_EN.get(reason or "", ""),
            }
        )
    return rows


def override(
    session: Session,
    admin: User,
    competition: Competition,
    entry: Entry,
    judge_user_id: int,
    *,
    add: bool,
    reason: str,
) -> None:
    """A manual assignment or removal; a conflict is refused even by hand."""
    _require_assignable(competition)
    reason = clean_text(reason, "原因", "Reason", 500)
    judges = _judge_infos(session, competition)
    if judge_user_id not in judges:
        raise InvalidInput("该用户不是本次评比的评委", "Not a judge of this competition")
    existing = session.scalar(
        select(JudgeAssignment).where(
            JudgeAssignment.entry_id == entry.id,
            JudgeAssignment.judge_user_id == judge_user_id,
            JudgeAssignment.round == competition.current_round,
        )
    )
    if add:
        if entry not in judged_entries(session, competition):
            raise Conflict(
                "这件作品不在本轮评审中（未通过形式审查或未晋级）",
                "This entry is not judged in this round (not passed, or not advanced)",
            )
        why = planner.ineligibility(
            judges[judge_user_id], _member_org_keys(session, entry), _declared(session, competition)
        )
        if why is not None:
            raise Conflict(
                f"不能分配：{planner.REASONS_ZH[why]}", f"Cannot assign: {planner.REASONS_EN[why]}"
            )
        if existing is None:
            existing = JudgeAssignment(
                competition_id=competition.id,
                entry_id=entry.id,
                judge_user_id=judge_user_id,
                round=competition.current_round,
            )
            session.add(existing)
        elif existing.status != AssignmentStatus.REMOVED:
            raise Conflict("该评委已分配到这件作品", "Already assigned")
        existing.status = AssignmentStatus.ASSIGNED
        existing.manual = True
    else:
        if existing is None or existing.status == AssignmentStatus.REMOVED:
            raise NotFound("该评委没有这件作品", "Not assigned")
        if existing.status == AssignmentStatus.SUBMITTED:
            raise ScoresLocked(
                "评分已提交，请先退回评分再撤销分配", "Scores are submitted; reopen them first"
            )
        existing.status = AssignmentStatus.REMOVED
    session.flush()
    log_event(
        session,
        competition,
        admin,
        "assignment_override",
        entry,
        judge=judge_user_id,
        add=add,
        reason=reason,
    )


# --- scoring -----------------------------------------------------------------------------------


def get_assignment(session: Session, user: User, assignment_id: int) -> JudgeAssignment:
    a = session.get(JudgeAssignment, assignment_id)
    if a is None or not (policy.can_view_assignment(user, a) or policy.is_admin(user)):
        raise NotFound("找不到该评审任务", "No such assignment")
    return a


def desk(session: Session, judge: User) -> list[JudgeAssignment]:
    """Her assignments with what the desk shows loaded in a few batched queries, not one
    query per assignment."""
    entry = selectinload(JudgeAssignment.entry)
    query = (
        policy.assignments_of(judge)
        .join(Competition, Competition.id == JudgeAssignment.competition_id)
        .where(Competition.phase.in_([Phase.JUDGING, Phase.NOTICE, Phase.FINAL]))
        .order_by(Competition.id.desc(), JudgeAssignment.round.desc(), JudgeAssignment.entry_id)
        .options(
            # What the desk does not show is left to load only if something asks for it.
            entry.selectinload(Entry.resource).lazyload(Resource.tag_rows),
            entry.selectinload(Entry.resource).lazyload(Resource.versions),
            entry.selectinload(Entry.version),
            entry.selectinload(Entry.competition),
            entry.lazyload(Entry.members),
        )
    )
    return list(session.scalars(query))


def snapshot(a: JudgeAssignment) -> dict[str, Any]:
    return {
        "scores": {str(s.criterion_id): s.value for s in a.scores},
        "comments": {str(s.criterion_id): s.comment for s in a.scores if s.comment},
        "overall": a.overall_comment,
        "timed": [{"at": t.at_seconds, "text": t.text} for t in a.timed_comments],
    }


def _score_value(c: Any, value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value))
    except (TypeError, ValueError):
        raise InvalidInput(f"「{c.name}」的分数必须是数字", f"{c.name}: not a number") from None
    if not math.isfinite(number) or not 0 <= number <= c.max_score:
        raise InvalidInput(
            f"「{c.name}」的分数必须在 0 到 {c.max_score:g} 之间",
            f"{c.name}: the score must be between 0 and {c.max_score:g}",
            criterion=c.id,
        )
    return number


def merged_sheet(
    competition: Competition, a: JudgeAssignment, data: dict[str, Any], *, complete: bool
) -> dict[int, tuple[float | None, str]]:
    """The sheet after this save: what the request names replaces what was saved (null or ""
    clears a score), everything it leaves out stays. Submitting needs every counting score."""
    raw_scores = data.get("scores") or {}
    raw_comments = data.get("comments") or {}
    if not isinstance(raw_scores, dict) or not isinstance(raw_comments, dict):
        raise InvalidInput("评分格式不正确", "scores and comments must be objects")
    known = {str(c.id) for c in competition.criteria}
    unknown = (set(map(str, raw_scores)) | set(map(str, raw_comments))) - known
    if unknown:
        raise InvalidInput("有不属于评分标准的评分项", "Scores name criteria not in the rubric")
    saved = {s.criterion_id: (s.value, s.comment) for s in a.scores}
    out: dict[int, tuple[float | None, str]] = {}
    for c in competition.criteria:
        value, comment = saved.get(c.id, (None, ""))
        if str(c.id) in raw_scores:
            value = _score_value(c, raw_scores[str(c.id)])
        if str(c.id) in raw_comments:
            comment = clean_text(
                raw_comments[str(c.id)],
                f"「{c.name}」的评语",
                f"{c.name}: comment",
                MAX_COMMENT,
                required=False,
            )
        out[c.id] = (value, comment)
    # A criterion outside the total may stay empty.
    missing = [c.name for c in competition.criteria if c.counts and out[c.id][0] is None]
    if complete and missing:
        raise InvalidInput(
            "提交前请为每一项打分：" + "、".join(missing),
            "Score every criterion before submitting",
            missing=missing,
        )
    return out


def _parse_timed(data: dict[str, Any], duration: float | None) -> list[tuple[float, str]] | None:
    if "timed_comments" not in data:
        return None
    raw = data.get("timed_comments") or []
    if not isinstance(raw, list):
        raise InvalidInput("时间点评语格式不正确", "timed_comments must be a list")
    if len(raw) > MAX_TIMED:
        raise InvalidInput(f"时间点评语最多 {MAX_TIMED} 条", f"At most {MAX_TIMED} timed comments")
    out = []
    for item in raw:
        if not isinstance(item, dict):
            raise InvalidInput("时间点评语格式不正确", "each timed comment must be an object")
        try:
            at = float(item.get("at"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InvalidInput("时间点必须是秒数", "at must be a number of seconds") from None
        if not math.isfinite(at) or at < 0 or (duration is not None and at > duration + 1):
            raise InvalidInput("时间点超出视频长度", "The moment is outside the video")
        out.append((at, clean_text(item.get("text"), "时间点评语", "Timed comment", 1000)))
    return out


def _claim(session: Session, a: JudgeAssignment) -> None:
    """Move the sheet to its next version in the database, only from the version read: of two
    saves racing from the same version (two tabs, two servers) exactly one goes through."""
    claimed = session.execute(
        update(JudgeAssignment)
        .where(JudgeAssignment.id == a.id, JudgeAssignment.row_version == a.row_version)
        .values(row_version=a.row_version + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleScores(
            "评分已在另一个窗口保存过，请刷新页面后再改（以免覆盖）",
            "These scores were saved in another tab; reload before changing them",
        )
    a.row_version += 1  # what the row now holds


def save_scores(
    session: Session,
    judge: User,
    a: JudgeAssignment,
    data: dict[str, Any],
    now: dt.datetime,
    *,
    submit: bool,
) -> None:
    competition = a.entry.competition
    if not policy.can_view_assignment(judge, a):
        raise NotFound("找不到该评审任务", "No such assignment")
    if a.status == AssignmentStatus.SUBMITTED:
        raise ScoresLocked(
            "评分已提交并锁定；如需修改请联系管理员退回", "Submitted scores are locked"
        )
    if not policy.can_score(judge, a, competition):
        raise WrongPhase("当前不在评审期，不能评分", "Scoring is closed")
    if now >= aware(competition.judging_closes_at) or now < aware(competition.judging_opens_at):
        raise WrongPhase("不在评审时间内，不能评分", "Outside the judging window")
    sent = data.get("row_version")
    if sent in (None, "") or str(sent) != str(a.row_version):
        raise StaleScores(
            "评分已在另一个窗口保存过，请刷新页面后再改（以免覆盖）",
            "These scores were saved in another tab; reload before changing them",
            current_version=a.row_version,
        )
    scores = merged_sheet(competition, a, data, complete=submit)
    timed = _parse_timed(data, a.entry.version.duration)
    _claim(session, a)
    by_criterion = {s.criterion_id: s for s in a.scores}
    for criterion_id, (value, comment) in scores.items():
        row = by_criterion.get(criterion_id)
        if row is None:
            a.scores.append(Score(criterion_id=criterion_id, value=value, comment=comment))
        else:
            row.value, row.comment = value, comment
    if "overall_comment" in data:
        a.overall_comment = clean_text(
            data.get("overall_comment"), "总评", "Overall comment", MAX_COMMENT, required=False
        )
    if timed is not None:
        a.timed_comments = [TimedComment(at_seconds=t, text=text) for t, text in timed]
    a.status = AssignmentStatus.SUBMITTED if submit else AssignmentStatus.DRAFT
    if submit:
        a.submitted_at = now
    session.flush()
    session.add(
        ScoreEvent(
            assignment_id=a.id,
            actor_id=judge.id,
            action="submit" if submit else "draft",
            snapshot=snapshot(a),
        )
    )
    if submit:
        log_event(session, competition, judge, "scores_submitted", a.entry, assignment=a.id)


def reopen(session: Session, admin: User, a: JudgeAssignment, reason: str) -> None:
    competition = a.entry.competition
    if competition.phase != Phase.JUDGING:
        raise WrongPhase("只有评审期间可以退回评分", "Scores are reopened during judging only")
    if a.status != AssignmentStatus.SUBMITTED:
        raise Conflict("该评分尚未提交", "These scores are not submitted")
    if a.round != competition.current_round:
        raise WrongPhase("往轮的评分已结束，不能退回", "Scores of an earlier round cannot reopen")
    reason = clean_text(reason, "退回原因", "Reason", 1000)
    a.status = AssignmentStatus.DRAFT
    a.submitted_at = None
    a.row_version += 1
    session.add(
        ScoreEvent(
            assignment_id=a.id,
            actor_id=admin.id,
            action="reopen",
            snapshot=snapshot(a),
            reason=reason,
        )
    )
    log_event(
        session, competition, admin, "scores_reopened", a.entry, assignment=a.id, reason=reason
    )


def history(session: Session, a: JudgeAssignment) -> list[ScoreEvent]:
    return list(
        session.scalars(
            select(ScoreEvent).where(ScoreEvent.assignment_id == a.id).order_by(ScoreEvent.id)
        )
    )


def judge_letters(assignments: list[JudgeAssignment]) -> dict[int, str]:
    """Anonymous letters for the judges of one entry (A, B, C…), stable by assignment order."""
    ordered = sorted(assignments, key=lambda a: a.id)
    return {a.judge_user_id: chr(ord("A") + i) for i, a in enumerate(ordered)}
