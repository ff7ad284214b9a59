"""The competitions JSON API: set-up, phases, entries, review, panel and assignment, results,
objections, exports and certificate verification."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from repo_service import policy
from repo_service.access import PUBLIC, SIGNED_IN, access, current_user, require_user
from repo_service.accounts.models import Role, User
from repo_service.api import documented, request_data
from repo_service.competitions import reports, results, services
from repo_service.competitions.models import (
    ENTRY_STATUS_LABELS,
    KIND_LABELS,
    OBJECTION_LABELS,
    PHASE_LABELS,
    Competition,
    Entry,
    Objection,
    Phase,
)
from repo_service.db import get_session, utcnow
from repo_service.errors import InvalidInput, NotFound
from repo_service.judging import services as judging
from repo_service.judging.models import JudgeAssignment
from repo_service.resources.services import parse_id
from repo_service.storage import content_disposition

bp = Blueprint("competitions_api", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def competition_json(c: Competition) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "kind": c.kind.value,
        "kind_label": KIND_LABELS[c.kind][0],
        "year": c.year,
        "code_prefix": c.code_prefix,
        "description": c.description,
        "categories": c.categories,
        "phase": c.phase.value,
        "phase_label": PHASE_LABELS[c.phase][0],
        "phase_label_en": PHASE_LABELS[c.phase][1],
        "submission_opens_at": c.submission_opens_at.isoformat(),
        "submission_closes_at": c.submission_closes_at.isoformat(),
        "judging_opens_at": c.judging_opens_at.isoformat(),
        "judging_closes_at": c.judging_closes_at.isoformat(),
        "notice_ends_at": c.notice_ends_at.isoformat() if c.notice_ends_at else None,
        "rounds": c.rounds,
        "current_round": c.current_round,
        "judges_per_entry": c.judges_per_entry,
        "street_quota": c.street_quota,
        "award_tiers": c.award_tiers,
        "aggregate": c.aggregate,
        "normalise": c.normalise,
        "disagreement_threshold": c.disagreement_threshold,
        "results_public": c.results_public,
        "requirements": c.requirements,
        "criteria": [
            {
                "id": k.id,
                "name": k.name,
                "description": k.description,
                "weight": k.weight,
                "max_score": k.max_score,
                "counts": k.counts,
                "tie_break": k.tie_break,
                "levels": k.levels,
            }
            for k in c.criteria
        ],
        "copied_from_id": c.copied_from_id,
    }


def entry_json(e: Entry, *, with_checks: bool = True) -> dict[str, Any]:
    label, label_en = ENTRY_STATUS_LABELS[e.status]
    out: dict[str, Any] = {
        "id": e.id,
        "code": e.code,
        "competition_id": e.competition_id,
        "resource_id": e.resource_id,
        "title": e.title,
        "version": e.version.number,
        "newest_version": e.resource.current_version.number if e.resource.current_version else None,
        "category": e.category,
        "organisation": e.organisation.name,
        "street": e.street.name,
        "status": e.status.value,
        "status_label": label,
        "status_label_en": label_en,
        "return_reason": e.return_reason,
        "members": [
            {"name": m.name, "organisation": m.organisation_name, "has_account": bool(m.user_id)}
            for m in e.members
        ],
        "statement_resource_id": e.statement_resource_id,
        "row_version": e.row_version,
        "round_reached": e.round_reached,
    }
    if with_checks:
        out["checks"] = [c.as_dict() for c in services.entry_checks(e)]
    return out


def _competition(competition_id: int) -> Competition:
    return services.get_competition(get_session(), current_user(), competition_id)


def _admin() -> User:
    return require_user()


def _entry_in(competition: Competition, entry_id: int) -> Entry:
    entry = services.get_entry(get_session(), current_user(), entry_id)
    if entry.competition_id != competition.id:
        raise NotFound("找不到该参赛作品", "No such entry")
    return entry


# --- set-up ------------------------------------------------------------------------------------


@bp.get("/api/v1/competitions")
@access(PUBLIC)
@documented("评比列表", "Competitions", tag="competitions")
def list_competitions() -> Response:
    rows = services.visible_competitions(get_session(), current_user())
    return jsonify(competitions=[competition_json(c) for c in rows])


SETTINGS_DOC = {
    "name": "名称",
    "kind": "micro_course | textbook | reader | brand",
    "year": "年度",
    "categories": "类别列表",
    "submission_opens_at / submission_closes_at": "征集窗口（ISO 时间，无时区按北京时间）",
    "judging_opens_at / judging_closes_at": "评审窗口",
    "rounds": "[{name, advance}]",
    "judges_per_entry": "每件作品评委数",
    "street_quota": "每街道每类名额",
    "award_tiers": "[{name: 一等奖, count | percent}]",
    "aggregate": "mean | trimmed",
    "normalise": "是否按评委标准化",
    "requirements": "{containers, video_codecs, min_width, min_height, min_duration, …}",
    "criteria": "[{name, max_score, weight, counts, tie_break, levels}]",
}


@bp.post("/api/v1/competitions")
@access(Role.ADMIN)
@documented("新建评比", "Create a competition", tag="competitions", body=SETTINGS_DOC)
def create() -> tuple[Response, int]:
    session = get_session()
    competition = services.create_competition(session, _admin(), request_data())
    session.commit()
    return jsonify(competition=competition_json(competition)), 201


@bp.post("/api/v1/competitions/<int:competition_id>/copy")
@access(Role.ADMIN)
@documented(
    "复制为下一年的评比（含评分标准）",
    "Copy as next year's competition, rubric included",
    tag="competitions",
)
def copy(competition_id: int) -> tuple[Response, int]:
    session = get_session()
    made = services.copy_competition(session, _admin(), _competition(competition_id))
    session.commit()
    return jsonify(competition=competition_json(made)), 201


@bp.get("/api/v1/competitions/<int:competition_id>")
@access(PUBLIC)
@documented("评比详情", "A competition", tag="competitions")
def read(competition_id: int) -> Response:
    competition = _competition(competition_id)
    body: dict[str, Any] = {"competition": competition_json(competition)}
    user = current_user()
    if user is not None and competition.street_quota:
        street = policy.street_of(user.organisation)
        body["quota"] = {
            "street": street.name,
            "places": competition.street_quota,
            "used": services.quota_usage(get_session(), competition, street.id),
        }
    return jsonify(body)


@bp.patch("/api/v1/competitions/<int:competition_id>")
@access(Role.ADMIN)
@documented(
    "修改评比设置（各阶段可改的项目不同）",
    "Edit settings (what may change depends on the phase)",
    tag="competitions",
    body=SETTINGS_DOC,
)
def edit(competition_id: int) -> Response:
    session = get_session()
    competition = _competition(competition_id)
    services.update_competition(session, _admin(), competition, request_data())
    session.commit()
    return jsonify(competition=competition_json(competition))


@bp.post("/api/v1/competitions/<int:competition_id>/phase")
@access(Role.ADMIN)
@documented(
    "推进阶段：open 开始征集，review 形式审查，judging 开始评审，advance 晋级下一轮，"
    "publish 公示结果，finalise 确认结果并颁发证书",
    "Move the phase: open, review, judging, advance (next round), publish (notice), finalise",
    tag="competitions",
    body={
        "action": " | ".join(results.PHASE_ACTIONS),
        "force": "未提交的评分也发布",
        "notice_days": "公示天数",
    },
)
def phase(competition_id: int) -> Response:
    session = get_session()
    admin = _admin()
    competition = _competition(competition_id)
    data = request_data()
    action = data.get("action")
    counted = results.move_phase(
        session,
        admin,
        competition,
        action if isinstance(action, str) else "",
        utcnow(),
        force=data.get("force") in (True, "true", "1", "on"),
        notice_days=services.parse_notice_days(data.get("notice_days")),
    )
    extra: dict[str, Any] = {}
    if action == "advance":
        extra["advanced"] = counted
    elif action == "finalise":
        extra["certificates"] = counted
    session.commit()
    return jsonify(competition=competition_json(competition), **extra)


# --- entries -----------------------------------------------------------------------------------


@bp.get("/api/v1/competitions/<int:competition_id>/entries")
@access(SIGNED_IN)
@documented(
    "参赛作品：管理员看全部，教师看自己的",
    "Entries: all for admins, one's own for teachers",
    tag="competitions",
)
def list_entries(competition_id: int) -> Response:
    session = get_session()
    user = require_user()
    competition = _competition(competition_id)
    if policy.is_admin(user):
        rows = services.competition_entries(session, competition)
        repeats = services.reentries_in(session, competition)
        return jsonify(
            entries=[
                dict(
                    entry_json(e),
                    reentry_of=repeats.get(e.id, []),
                    identity_flag=e.identity_flag,
                )
                for e in rows
            ]
        )
    mine = session.scalars(
        policy.entries_of(user).where(Entry.competition_id == competition.id)
    ).all()
    return jsonify(entries=[entry_json(e) for e in mine])


ENTRY_DOC = {
    "resource_id": "参赛资源（自己的）",
    "category": "类别",
    "members": "[{name, organisation | organisation_id, username}]",
    "statement_resource_id": "教学设计说明（PDF/DOCX 资源）",
}


@bp.post("/api/v1/competitions/<int:competition_id>/entries")
@access(Role.TEACHER, Role.ADMIN)
@documented("报名参赛", "Enter a work", tag="competitions", body=ENTRY_DOC)
def enter(competition_id: int) -> tuple[Response, int]:
    session = get_session()
    entry = services.enter(
        session, require_user(), _competition(competition_id), request_data(), utcnow()
    )
    session.commit()
    return jsonify(entry=entry_json(entry)), 201


@bp.get("/api/v1/competitions/<int:competition_id>/entries/<int:entry_id>")
@access(SIGNED_IN)
@documented(
    "一件参赛作品（含技术检查；结果公布后含得分与评语，不含评委姓名）",
    "One entry (with its checks; after publication its result and comments, never judge names)",
    tag="competitions",
)
def read_entry(competition_id: int, entry_id: int) -> Response:
    entry = _entry_in(_competition(competition_id), entry_id)
    body = entry_json(entry)
    body["result"] = reports.entry_feedback(get_session(), entry)
    return jsonify(entry=body)


@bp.patch("/api/v1/competitions/<int:competition_id>/entries/<int:entry_id>")
@access(Role.TEACHER, Role.ADMIN)
@documented(
    "修改报名（截止前；退回的作品保存后重新进入形式审查）",
    "Change an entry (before the deadline; a returned entry goes back to review)",
    tag="competitions",
    body=dict(ENTRY_DOC, row_version="读取时的版本", use_latest_version="改用最新上传的文件"),
)
def edit_entry(competition_id: int, entry_id: int) -> Response:
    session = get_session()
    entry = _entry_in(_competition(competition_id), entry_id)
    services.update_entry(session, require_user(), entry, request_data(), utcnow())
    session.commit()
    return jsonify(entry=entry_json(entry))


@bp.delete("/api/v1/competitions/<int:competition_id>/entries/<int:entry_id>")
@access(Role.TEACHER, Role.ADMIN)
@documented("撤回报名（截止前）", "Withdraw an entry (before the deadline)", tag="competitions")
def withdraw(competition_id: int, entry_id: int) -> Response:
    session = get_session()
    entry = _entry_in(_competition(competition_id), entry_id)
    services.withdraw(session, require_user(), entry, utcnow())
    session.commit()
    return jsonify(entry=entry_json(entry, with_checks=False))


@bp.post("/api/v1/competitions/<int:competition_id>/entries/<int:entry_id>/review")
@access(Role.ADMIN)
@documented(
    "形式审查：通过或退回（附理由）",
    "Formal review: pass, or return with a reason",
    tag="competitions",
    body={"passed": "true / false", "reason": "退回理由"},
)
def review(competition_id: int, entry_id: int) -> Response:
    session = get_session()
    entry = _entry_in(_competition(competition_id), entry_id)
    data = request_data()
    passed = data.get("passed") in (True, "true", "1", "on")
    services.review_entry(
        session, _admin(), entry, passed=passed, reason=str(data.get("reason") or "")
    )
    session.commit()
    return jsonify(entry=entry_json(entry))


# --- panel and assignment ----------------------------------------------------------------------


def _judge_json(j: Any, loads: dict[int, int]) -> dict[str, Any]:
    return {
        "user_id": j.user_id,
        "name": j.user.display_name,
        "username": j.user.username,
        "organisation": j.user.organisation.name,
        "categories": j.categories,
        "active": j.active,
        "dropped_reason": j.dropped_reason,
        "load": loads.get(j.user_id, 0),
    }


def _loads(competition: Competition) -> dict[int, int]:
    loads: dict[int, int] = {}
    for a in judging.current_assignments(get_session(), competition):
        loads[a.judge_user_id] = loads.get(a.judge_user_id, 0) + 1
    return loads


@bp.get("/api/v1/competitions/<int:competition_id>/judges")
@access(Role.ADMIN)
@documented("评委名单", "The panel", tag="competitions")
def judges(competition_id: int) -> Response:
    competition = _competition(competition_id)
    loads = _loads(competition)
    return jsonify(
        judges=[_judge_json(j, loads) for j in judging.judges_of(get_session(), competition)]
    )


@bp.post("/api/v1/competitions/<int:competition_id>/judges")
@access(Role.ADMIN)
@documented(
    "添加评委（及其专业类别）",
    "Add a judge (and her categories)",
    tag="competitions",
    body={"username": "评委账号", "categories": "类别（空为全部）"},
)
def add_judge(competition_id: int) -> tuple[Response, int]:
    session = get_session()
    competition = _competition(competition_id)
    judge = judging.add_judge(session, _admin(), competition, request_data())
    session.commit()
    return jsonify(judge=_judge_json(judge, _loads(competition))), 201


@bp.delete("/api/v1/competitions/<int:competition_id>/judges/<int:user_id>")
@access(Role.ADMIN)
@documented(
    "评委退出（未提交的任务撤销，已提交的评分保留）",
    "A judge drops out (unsubmitted assignments removed, submitted scores kept)",
    tag="competitions",
    body={"reason": "原因"},
)
def drop_judge(competition_id: int, user_id: int) -> Response:
    session = get_session()
    competition = _competition(competition_id)
    judge = next((j for j in judging.judges_of(session, competition) if j.user_id == user_id), None)
    if judge is None:
        raise NotFound("该用户不是本次评比的评委", "Not a judge of this competition")
    data = request_data() if request.content_length else {}
    removed = judging.drop_judge(
        session, _admin(), competition, judge, str(data.get("reason") or "")
    )
    session.commit()
    return jsonify(removed=removed)


def assignment_admin_json(a: JudgeAssignment) -> dict[str, Any]:
    return {
        "id": a.id,
        "entry_id": a.entry_id,
        "code": a.entry.code,
        "judge_id": a.judge_user_id,
        "judge": a.judge.display_name,
        "round": a.round,
        "status": a.status.value,
        "manual": a.manual,
    }


@bp.get("/api/v1/competitions/<int:competition_id>/assignments")
@access(Role.ADMIN)
@documented("本轮评审分配", "This round's assignments", tag="competitions")
def assignments(competition_id: int) -> Response:
    competition = _competition(competition_id)
    rows = judging.current_assignments(get_session(), competition)
    return jsonify(assignments=[assignment_admin_json(a) for a in rows], loads=_loads(competition))


@bp.post("/api/v1/competitions/<int:competition_id>/assignments")
@access(Role.ADMIN)
@documented(
    "自动分配评委（保留已有分配与评分；回避规则始终生效）",
    "Run the automatic assignment (existing ones and their scores are kept; conflicts never)",
    tag="competitions",
)
def run_assignment(competition_id: int) -> Response:
    session = get_session()
    competition = _competition(competition_id)
    plan = judging.run_assignment(session, _admin(), competition)
    session.commit()
    return jsonify(added=len(plan.assignments), shortfall=plan.shortfall, loads=plan.loads)


@bp.post("/api/v1/competitions/<int:competition_id>/assignments/override")
@access(Role.ADMIN)
@documented(
    "手动调整分配（记录原因；冲突的评委不能分配）",
    "Manual override (a logged reason; a conflicted judge is refused)",
    tag="competitions",
    body={
        "entry_id": "作品",
        "judge_id": "评委用户编号",
        "action": "add | remove",
        "reason": "原因",
    },
)
def override(competition_id: int) -> Response:
    session = get_session()
    competition = _competition(competition_id)
    data = request_data()
    entry = _entry_in(competition, _int(data.get("entry_id")))
    action = data.get("action")
    if action not in ("add", "remove"):
        raise InvalidInput("action 只能是 add 或 remove", "action must be add or remove")
    judging.override(
        session,
        _admin(),
        competition,
        entry,
        _int(data.get("judge_id")),
        add=action == "add",
        reason=str(data.get("reason") or ""),
    )
    session.commit()
    return jsonify(ok=True)


@bp.get("/api/v1/competitions/<int:competition_id>/assignments/explain")
@access(Role.ADMIN)
@documented(
    "某件作品的每位评委：已分配，或未分配的原因",
    "For one entry, every judge: assigned, or why not",
    tag="competitions",
    query={"entry_id": "作品编号"},
)
def explain(competition_id: int) -> Response:
    competition = _competition(competition_id)
    entry = _entry_in(competition, _int(request.args.get("entry_id")))
    return jsonify(code=entry.code, judges=judging.explain(get_session(), competition, entry))


def conflict_json(c: Any) -> dict[str, Any]:
    return {
        "id": c.id,
        "judge_id": c.judge_user_id,
        "organisation_id": c.organisation_id,
        "entry_id": c.entry_id,
        "note": c.note,
        "created_at": c.created_at.isoformat(),
    }


@bp.get("/api/v1/competitions/<int:competition_id>/conflicts")
@access(Role.JUDGE, Role.ADMIN)
@documented(
    "申报的回避：评委看自己的，管理员看全部",
    "Declared conflicts: a judge's own, every one for admins",
    tag="competitions",
)
def conflicts(competition_id: int) -> Response:
    user = require_user()
    competition = _competition(competition_id)
    rows = judging.conflicts_of(get_session(), competition, None if policy.is_admin(user) else user)
    return jsonify(conflicts=[conflict_json(c) for c in rows])


@bp.post("/api/v1/competitions/<int:competition_id>/conflicts")
@access(Role.JUDGE)
@documented(
    "评委申报回避的单位（分配时不会分到该单位及其街道的作品）",
    "A judge declares a conflict with a unit (its works and its street's are never assigned)",
    tag="competitions",
    body={"organisation_id": "单位编号", "note": "说明"},
)
def declare(competition_id: int) -> tuple[Response, int]:
    session = get_session()
    competition = _competition(competition_id)
    data = request_data()
    conflict = judging.declare_conflict(
        session,
        require_user(),
        competition,
        {"organisation_id": data.get("organisation_id"), "note": data.get("note")},
    )
    session.commit()
    return jsonify(conflict=conflict_json(conflict)), 201


def _int(raw: Any) -> int:
    return parse_id(raw, "", "record")


# --- results, objections -----------------------------------------------------------------------


@bp.get("/api/v1/competitions/<int:competition_id>/results")
@access(PUBLIC)
@documented(
    "结果：管理员可预览计算结果，公示后所有人可见公布的结果",
    "Results: a computed preview for admins; the published results once on notice",
    tag="competitions",
)
def read_results(competition_id: int) -> Response:
    session = get_session()
    competition = _competition(competition_id)
    user = current_user()
    if policy.is_admin(user) and competition.phase == Phase.JUDGING:
        preview = results.compute(session, competition)
        return jsonify(preview=True, **reports.preview_json(preview))
    if not policy.can_see_results(user, competition):
        raise NotFound("结果尚未公布", "The results are not published")
    return jsonify(
        preview=False,
        phase=competition.phase.value,
        notice_ends_at=competition.notice_ends_at.isoformat()
        if competition.notice_ends_at
        else None,
        results=reports.published_json(session, competition),
    )


@bp.post("/api/v1/competitions/<int:competition_id>/results")
@access(Role.ADMIN)
@documented(
    "公示结果（等同于 phase action=publish）",
    "Publish the results as a notice",
    tag="competitions",
    body={"notice_days": "公示天数（默认 7）", "force": "未提交的评分也发布"},
)
def publish(competition_id: int) -> Response:
    session = get_session()
    competition = _competition(competition_id)
    data = request_data()
    results.publish(
        session,
        _admin(),
        competition,
        utcnow(),
        notice_days=services.parse_notice_days(data.get("notice_days")),
        force=data.get("force") in (True, "true", "1", "on"),
    )
    session.commit()
    return jsonify(competition=competition_json(competition))


def objection_json(o: Objection) -> dict[str, Any]:
    label, label_en = OBJECTION_LABELS[o.status]
    return {
        "id": o.id,
        "entry_code": o.entry.code if o.entry else None,
        "reason": o.reason,
        "status": o.status.value,
        "status_label": label,
        "status_label_en": label_en,
        "answer": o.answer,
        "created_at": o.created_at.isoformat(),
        "answered_at": o.answered_at.isoformat() if o.answered_at else None,
    }


@bp.get("/api/v1/competitions/<int:competition_id>/objections")
@access(SIGNED_IN)
@documented(
    "异议：管理员看全部，其他人看自己提出的",
    "Objections: all for admins, one's own otherwise",
    tag="competitions",
)
def objections(competition_id: int) -> Response:
    user = require_user()
    competition = _competition(competition_id)
    rows = services.objections_of(
        get_session(), competition, None if policy.is_admin(user) else user
    )
    return jsonify(objections=[objection_json(o) for o in rows])


@bp.post("/api/v1/competitions/<int:competition_id>/objections")
@access(SIGNED_IN)
@documented(
    "公示期间提出异议",
    "Lodge an objection during the notice",
    tag="competitions",
    body={"entry_code": "作品编号（可选）", "reason": "理由"},
)
def lodge(competition_id: int) -> tuple[Response, int]:
    session = get_session()
    objection = services.lodge_objection(
        session, require_user(), _competition(competition_id), request_data(), utcnow()
    )
    session.commit()
    return jsonify(objection=objection_json(objection)), 201


@bp.post("/api/v1/competitions/<int:competition_id>/objections/<int:objection_id>/answer")
@access(Role.ADMIN)
@documented(
    "答复异议（成立/不成立，记入日志；可取消作品资格）",
    "Answer an objection (upheld or dismissed, logged; may disqualify the entry)",
    tag="competitions",
    body={"verdict": "upheld | dismissed", "answer": "答复", "disqualify": "取消资格"},
)
def answer(competition_id: int, objection_id: int) -> Response:
    session = get_session()
    competition = _competition(competition_id)
    objection = session.get(Objection, objection_id)
    if objection is None or objection.competition_id != competition.id:
        raise NotFound("找不到该异议", "No such objection")
    services.answer_objection(session, _admin(), objection, request_data())
    session.commit()
    return jsonify(objection=objection_json(objection))


# --- exports -----------------------------------------------------------------------------------


def _download(body: bytes, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/api/v1/competitions/<int:competition_id>/export.xlsx")
@access(Role.ADMIN)
@documented(
    "评审结果表（XLSX，每类一页）", "Result sheet (XLSX, a sheet per category)", tag="exports"
)
def export_xlsx(competition_id: int) -> Response:
    competition = _competition(competition_id)
    body = reports.result_sheet(get_session(), competition)
    return _download(body, XLSX, f"{competition.year}{competition.name}评审结果.xlsx")


@bp.get("/api/v1/competitions/<int:competition_id>/log.xlsx")
@access(Role.ADMIN)
@documented(
    "评比全过程记录（分配、评分历史、退回、异议）",
    "The competition's log (assignments, score history, reopenings, objections)",
    tag="exports",
)
def export_log(competition_id: int) -> Response:
    competition = _competition(competition_id)
    body = reports.log_workbook(get_session(), competition)
    return _download(body, XLSX, f"{competition.year}{competition.name}评审记录.xlsx")


@bp.get("/api/v1/competitions/<int:competition_id>/judges/<int:user_id>/sheet.pdf")
@access(Role.ADMIN, Role.JUDGE)
@documented(
    "评委评分表（PDF，存档用）", "A judge's scoring sheet (PDF, for the files)", tag="exports"
)
def scoring_sheet(competition_id: int, user_id: int) -> Response:
    user = require_user()
    if not policy.is_admin(user) and user.id != user_id:
        raise NotFound("找不到该评分表", "No such scoring sheet")
    competition = _competition(competition_id)
    body = reports.scoring_sheet(get_session(), competition, user_id)
    return _download(body, "application/pdf", f"{competition.year}{competition.name}评分表.pdf")


def _verify_url(code: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")
    return f"{base.rstrip('/')}/certificates/{code}"


@bp.get("/api/v1/competitions/<int:competition_id>/certificates.pdf")
@access(Role.ADMIN)
@documented("全部获奖证书（PDF）", "Every award certificate (PDF)", tag="exports")
def certificates(competition_id: int) -> Response:
    competition = _competition(competition_id)
    body = reports.certificates(get_session(), competition, _verify_url)
    return _download(body, "application/pdf", f"{competition.year}{competition.name}获奖证书.pdf")


@bp.get("/api/v1/competitions/<int:competition_id>/entries/<int:entry_id>/certificate.pdf")
@access(SIGNED_IN)
@documented("一件作品的获奖证书（PDF）", "One entry's certificate (PDF)", tag="exports")
def certificate(competition_id: int, entry_id: int) -> Response:
    entry = _entry_in(_competition(competition_id), entry_id)
    body = reports.certificates(get_session(), entry.competition, _verify_url, entry=entry)
    return _download(body, "application/pdf", f"{entry.code}获奖证书.pdf")


@bp.get("/api/v1/competitions/<int:competition_id>/collection.pdf")
@access(PUBLIC)
@documented(
    "优秀成果汇编（PDF，含封面、简介与二维码）",
    "The winners' collection (PDF with posters, summaries and QR codes)",
    tag="exports",
)
def collection(competition_id: int) -> Response:
    competition = _competition(competition_id)
    if competition.phase != Phase.FINAL and not policy.is_admin(current_user()):
        raise NotFound("结果确认后才有成果汇编", "The collection follows the final results")
    if not policy.can_see_results(current_user(), competition):
        raise NotFound("结果未公开", "The results are not public")
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")
    body = reports.collection(
        get_session(),
        competition,
        current_app.extensions["storage"],
        lambda rid: base.rstrip("/") + url_for("resources.detail_page", resource_id=rid),
    )
    return _download(
        body, "application/pdf", f"{competition.year}{competition.name}优秀成果汇编.pdf"
    )


@bp.get("/api/v1/certificates/<code>")
@access(PUBLIC)
@documented(
    "证书验证：返回获奖信息；伪造或无效的编号返回 404",
    "Verify a certificate: who won what; a forged or unknown code is 404",
    tag="exports",
)
def verify(code: str) -> Response:
    return jsonify(certificate=reports.verify(get_session(), code))
