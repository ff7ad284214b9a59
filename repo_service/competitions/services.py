"""Competition rules: set-up, phases, entries with quotas and deadlines, formal review,
objections, and the competition's log.

Locks are decided here from the phase and the windows, with the clock passed in, so a request
after the deadline is refused by the server whatever page it came from.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from repo_service import policy
from repo_service.accounts.models import Organisation, User
from repo_service.competitions.checks import Check, facts_of, parse_requirements, run_checks
from repo_service.competitions.models import (
    KIND_CODES,
    Competition,
    CompetitionEvent,
    CompetitionKind,
    Entry,
    EntryMember,
    EntryStatus,
    Objection,
    ObjectionStatus,
    Phase,
)
from repo_service.db import aware, utcnow
from repo_service.errors import Conflict, Forbidden, InvalidInput, NotFound
from repo_service.judging.models import AssignmentStatus, Criterion, JudgeAssignment
from repo_service.resources.models import (
    AWARDS,
    ProcessingStatus,
    Resource,
    ResourceKind,
    ResourceVersion,
)
from repo_service.resources.services import clean_text, parse_id

LOCAL = ZoneInfo("Asia/Shanghai")
MAX_MEMBERS = 8
MAX_CATEGORIES = 30
MAX_CRITERIA = 20
MAX_TIERS = 8
DOCUMENT_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

# Which resources a competition of each kind takes.
ACCEPTS = {
    CompetitionKind.MICRO_COURSE: {ResourceKind.VIDEO},
    CompetitionKind.TEXTBOOK: {ResourceKind.TEXTBOOK},
    CompetitionKind.READER: {ResourceKind.READER},
    CompetitionKind.BRAND: set(ResourceKind),
}


class EntriesClosed(Conflict):
    code = "entries_closed"


class QuotaFull(Conflict):
    code = "quota_full"


class WrongPhase(Conflict):
    code = "wrong_phase"


# --- time --------------------------------------------------------------------------------------


def parse_moment(value: Any, zh: str, en: str) -> dt.datetime:
    """An ISO date-time; without a zone it is Beijing time (what a datetime-local field sends)."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = str(value or "").strip()
        if not text:
            raise InvalidInput(f"请填写{zh}", f"{en} is required")
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput(
                f"{zh}格式不正确（例如 2026-03-01T09:00）",
                f"{en} must be an ISO date-time such as 2026-03-01T09:00",
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL)
    return moment.astimezone(dt.UTC)


def local(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return aware(moment).astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")


def log_event(
    session: Session,
    competition: Competition,
    actor: User | None,
    action: str,
    entry: Entry | None = None,
    **detail: Any,
) -> None:
    session.add(
        CompetitionEvent(
            competition_id=competition.id,
            actor_id=actor.id if actor else None,
            action=action,
            entry_id=entry.id if entry else None,
            detail=detail,
        )
    )


# --- set-up ------------------------------------------------------------------------------------


def _int(value: Any, zh: str, en: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(f"{zh}必须是整数", f"{en} must be a whole number") from None
    if not low <= number <= high:
        raise InvalidInput(
            f"{zh}必须在 {low} 到 {high} 之间", f"{en} must be between {low} and {high}"
        )
    return number


def _float(value: Any, zh: str, en: str, low: float, high: float) -> float:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(f"{zh}必须是数字", f"{en} must be a number") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise InvalidInput(
            f"{zh}必须在 {low:g} 到 {high:g} 之间", f"{en} must be between {low:g} and {high:g}"
        )
    return number


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "on", "yes"}


def _list(value: Any, zh: str, en: str) -> list[Any]:
    if isinstance(value, str):
        return [v for v in value.replace("，", ",").replace("\n", ",").split(",") if v.strip()]
    if isinstance(value, list):
        return value
    raise InvalidInput(f"{zh}格式不正确", f"{en} must be a list")


def parse_categories(value: Any) -> list[str]:
    names: list[str] = []
    for raw in _list(value, "类别", "categories"):
        name = clean_text(raw, "类别名称", "Category name", 50)
        if name not in names:
            names.append(name)
    if not names:
        raise InvalidInput("至少设置一个参赛类别", "At least one category is required")
    if len(names) > MAX_CATEGORIES:
        raise InvalidInput(f"类别最多 {MAX_CATEGORIES} 个", f"At most {MAX_CATEGORIES} categories")
    return names


def parse_rounds(value: Any) -> list[dict[str, Any]]:
    if value not in (None, "") and not isinstance(value, list):
        raise InvalidInput("评审轮次格式不正确", "rounds must be a list")
    rounds = value
    if not rounds:
        return [{"name": "评审", "advance": None}]
    out = []
    for i, raw in enumerate(rounds):
        if not isinstance(raw, dict):
            raise InvalidInput("评审轮次格式不正确", "each round must be an object")
        last = i == len(rounds) - 1
        advance = raw.get("advance")
        out.append(
            {
                "name": clean_text(raw.get("name"), "轮次名称", "Round name", 20),
                "advance": None
                if last
                else _int(advance, "晋级数量", "Number advancing", 1, 10000),
            }
        )
    if len(out) > 4:
        raise InvalidInput("评审轮次最多 4 轮", "At most 4 rounds")
    return out


def parse_tiers(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise InvalidInput("请设置奖项及名额", "Award tiers are required")
    if len(value) > MAX_TIERS:
        raise InvalidInput(f"奖项最多 {MAX_TIERS} 个", f"At most {MAX_TIERS} award tiers")
    tiers = []
    for raw in value:
        if not isinstance(raw, dict):
            raise InvalidInput("奖项格式不正确", "each award tier must be an object")
        name = clean_text(raw.get("name"), "奖项名称", "Award name", 20)
        if name not in AWARDS:
            raise InvalidInput(
                "奖项只能是" + "、".join(AWARDS), "award must be one of " + ", ".join(AWARDS)
            )
        count, percent = raw.get("count"), raw.get("percent")
        if (count in (None, "")) == (percent in (None, "")):
            raise InvalidInput(
                f"「{name}」请填写名额数或比例（二选一）",
                f"Give {name} either a count or a percentage",
            )
        tier: dict[str, Any] = {"name": name}
        if count not in (None, ""):
            tier["count"] = _int(count, "获奖名额", "Award count", 0, 10000)
        else:
            tier["percent"] = _float(percent, "获奖比例", "Award percentage", 0, 100)
        tiers.append(tier)
    if len({t["name"] for t in tiers}) != len(tiers):
        raise InvalidInput("奖项不能重复", "Award tiers must differ")
    total_percent = sum(t.get("percent", 0) for t in tiers)
    if total_percent > 100:
        raise InvalidInput("各奖项比例之和不能超过 100%", "Percentages must not exceed 100 in all")
    return tiers


def parse_criteria(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise InvalidInput("评分标准至少要有一项", "The rubric needs at least one criterion")
    if len(value) > MAX_CRITERIA:
        raise InvalidInput(f"评分项最多 {MAX_CRITERIA} 项", f"At most {MAX_CRITERIA} criteria")
    out = []
    for raw in value:
        if not isinstance(raw, dict):
            raise InvalidInput("评分项格式不正确", "each criterion must be an object")
        name = clean_text(raw.get("name"), "评分项名称", "Criterion name", 60)
        max_score = _float(raw.get("max_score"), f"「{name}」满分", f"{name}: maximum", 0.5, 1000)
        weight_raw = raw.get("weight")
        weight = (
            max_score
            if weight_raw in (None, "")
            else _float(weight_raw, f"「{name}」权重", f"{name}: weight", 0.01, 1000)
        )
        levels: list[dict[str, Any]] = []
        raw_levels = raw.get("levels") or []
        if not isinstance(raw_levels, list):
            raise InvalidInput(f"「{name}」的评分等级格式不正确", f"{name}: levels must be a list")
        for level in raw_levels:
            if not isinstance(level, dict):
                raise InvalidInput("评分等级格式不正确", "each level must be an object")
            levels.append(
                {
                    "label": clean_text(level.get("label"), "等级名称", "Level label", 20),
                    "min": _float(level.get("min"), "等级下限", "Level minimum", 0, max_score),
                    "description": clean_text(
                        level.get("description"),
                        "等级说明",
                        "Level description",
                        500,
                        required=False,
                    ),
                }
            )
        tie = raw.get("tie_break")
        out.append(
            {
                "name": name,
                "description": clean_text(
                    raw.get("description"), "评分说明", "Description", 1000, required=False
                ),
                "weight": weight,
                "max_score": max_score,
                "counts": _bool(raw.get("counts", True)),
                "tie_break": None
                if tie in (None, "")
                else _int(tie, "并列排序", "Tie-break", 1, 20),
                "levels": sorted(levels, key=lambda lv: -float(lv["min"])),
            }
        )
    if len({c["name"] for c in out}) != len(out):
        raise InvalidInput("评分项名称不能重复", "Criterion names must differ")
    if not any(c["counts"] for c in out):
        raise InvalidInput("至少一项评分计入总分", "At least one criterion must count")
    return out


SETTINGS = (
    "name",
    "kind",
    "year",
    "description",
    "categories",
    "submission_opens_at",
    "submission_closes_at",
    "judging_opens_at",
    "judging_closes_at",
    "rounds",
    "judges_per_entry",
    "street_quota",
    "award_tiers",
    "aggregate",
    "normalise",
    "disagreement_threshold",
    "results_public",
    "requirements",
    "criteria",
)


def parse_settings(  # noqa: PLR0912 (one flat branch per optional setting)
    data: dict[str, Any], *, partial: bool
) -> dict[str, Any]:
    """Validated settings; with ``partial`` only the keys present are checked and returned."""
    unknown = set(data) - set(SETTINGS) - {"notice_ends_at", "csrf_token"}
    if unknown:
        raise InvalidInput(
            f"未知字段：{'、'.join(sorted(unknown))}",
            f"Unknown fields: {', '.join(sorted(unknown))}",
        )
    out: dict[str, Any] = {}

    def has(key: str) -> bool:
        return key in data or not partial

    if has("name"):
        out["name"] = clean_text(data.get("name"), "评比名称", "Name", 120)
    if has("kind"):
        try:
            out["kind"] = CompetitionKind(str(data.get("kind")))
        except ValueError:
            raise InvalidInput("评比类型无效", "Unknown competition kind") from None
    if has("year"):
        out["year"] = _int(data.get("year"), "年度", "Year", 2000, 2100)
    if "description" in data:
        out["description"] = clean_text(
            data.get("description"), "说明", "Description", 5000, required=False
        )
    if has("categories"):
        out["categories"] = parse_categories(data.get("categories"))
    for key, zh, en in (
        ("submission_opens_at", "征集开始时间", "Submission opening"),
        ("submission_closes_at", "征集截止时间", "Submission deadline"),
        ("judging_opens_at", "评审开始时间", "Judging opening"),
        ("judging_closes_at", "评审截止时间", "Judging deadline"),
    ):
        if has(key):
            out[key] = parse_moment(data.get(key), zh, en)
    if has("rounds"):
        out["rounds"] = parse_rounds(data.get("rounds"))
    if has("judges_per_entry"):
        out["judges_per_entry"] = _int(
            data.get("judges_per_entry", 3), "每件作品评委数", "Judges per entry", 1, 15
        )
    if "street_quota" in data:
        raw = data.get("street_quota")
        out["street_quota"] = (
            None
            if raw in (None, "", 0, "0")
            else _int(raw, "每个街道每类名额", "Places per street", 1, 1000)
        )
    if has("award_tiers"):
        out["award_tiers"] = parse_tiers(data.get("award_tiers"))
    if "aggregate" in data:
        if data["aggregate"] not in ("mean", "trimmed"):
            raise InvalidInput(
                "汇总方式只能是平均分或去掉最高最低分", "aggregate must be mean or trimmed"
            )
        out["aggregate"] = data["aggregate"]
    if "normalise" in data:
        out["normalise"] = _bool(data["normalise"])
    if "disagreement_threshold" in data:
        out["disagreement_threshold"] = _float(
            data["disagreement_threshold"], "分歧提醒阈值", "Disagreement threshold", 1, 100
        )
    if "results_public" in data:
        out["results_public"] = _bool(data["results_public"])
    if "requirements" in data:
        out["requirements"] = parse_requirements(data.get("requirements"))
    if has("criteria"):
        out["criteria"] = parse_criteria(data.get("criteria"))
    return out


def _check_windows(c: Competition) -> None:
    opens, closes = aware(c.submission_opens_at), aware(c.submission_closes_at)
    j_opens, j_closes = aware(c.judging_opens_at), aware(c.judging_closes_at)
    if not opens < closes:
        raise InvalidInput(
            "征集截止时间必须晚于开始时间", "The submission window must end after it opens"
        )
    if not j_opens < j_closes:
        raise InvalidInput(
            "评审截止时间必须晚于开始时间", "The judging window must end after it opens"
        )
    if j_opens < closes:
        raise InvalidInput(
            "评审应在征集截止之后开始", "Judging must open after the submission deadline"
        )


def _apply(session: Session, competition: Competition, settings: dict[str, Any]) -> None:
    criteria = settings.pop("criteria", None)
    for key, value in settings.items():
        setattr(competition, key, value)
    if criteria is not None:
        set_criteria(session, competition, criteria)


def set_criteria(
    session: Session, competition: Competition, criteria: list[dict[str, Any]]
) -> None:
    """Replace the rubric; refused once any judge has saved a score against it."""
    if competition.criteria:
        scored = session.scalar(
            select(func.count())
            .select_from(JudgeAssignment)
            .where(
                JudgeAssignment.competition_id == competition.id,
                JudgeAssignment.status.in_([AssignmentStatus.DRAFT, AssignmentStatus.SUBMITTED]),
            )
        )
        if scored:
            raise Conflict(
                "评委已开始评分，评分标准不能再修改",
                "Judges have started scoring: the rubric is fixed",
            )
    competition.criteria.clear()
    session.flush()
    for position, c in enumerate(criteria, start=1):
        competition.criteria.append(Criterion(position=position, **c))


def code_prefix(session: Session, kind: CompetitionKind, year: int) -> str:
    """2026-WK for the year's first micro-course competition, 2026-WK2 for a second one."""
    base = f"{year}-{KIND_CODES[kind]}"
    taken = set(
        session.scalars(
            select(Competition.code_prefix).where(Competition.code_prefix.like(base + "%"))
        )
    )
    n = 1
    while (base if n == 1 else f"{base}{n}") in taken:
        n += 1
    return base if n == 1 else f"{base}{n}"


def create_competition(session: Session, admin: User, data: dict[str, Any]) -> Competition:
    settings = parse_settings(data, partial=False)
    competition = Competition(created_by_id=admin.id, phase=Phase.DRAFT, current_round=1)
    _apply(session, competition, settings)
    competition.code_prefix = code_prefix(session, competition.kind, competition.year)
    competition.requirements = competition.requirements or {}
    _check_windows(competition)
    session.add(competition)
    session.flush()
    log_event(session, competition, admin, "created")
    return competition


# What may still change in each phase (the rubric only until scoring starts, checked apart).
EDITABLE = {
    Phase.DRAFT: set(SETTINGS),
    Phase.SUBMISSION: set(SETTINGS) - {"kind", "year"},
    Phase.REVIEW: {
        "name",
        "description",
        "judging_opens_at",
        "judging_closes_at",
        "rounds",
        "judges_per_entry",
        "award_tiers",
        "aggregate",
        "normalise",
        "disagreement_threshold",
        "results_public",
        "criteria",
        "submission_closes_at",
    },
    Phase.JUDGING: {
        "name",
        "description",
        "judging_closes_at",
        "award_tiers",
        "aggregate",
        "normalise",
        "disagreement_threshold",
        "results_public",
        "criteria",
    },
    Phase.NOTICE: {"name", "description", "results_public"},
    Phase.FINAL: {"name", "description", "results_public"},
}


def update_competition(
    session: Session, admin: User, competition: Competition, data: dict[str, Any]
) -> None:
    settings = parse_settings(data, partial=True)
    notice = data.get("notice_ends_at")
    frozen = set(settings) - EDITABLE[competition.phase]
    if frozen:
        raise WrongPhase(
            f"当前阶段不能修改：{'、'.join(sorted(frozen))}",
            f"These settings cannot change in this phase: {', '.join(sorted(frozen))}",
        )
    if "street_quota" in settings and settings["street_quota"] != competition.street_quota:
        standing = session.scalar(
            select(func.count())
            .select_from(Entry)
            .where(Entry.competition_id == competition.id, Entry.status != EntryStatus.WITHDRAWN)
        )
        if standing:
            raise WrongPhase(
                "已有作品报名，街道名额不能再改",
                "Places per street are fixed once works are entered",
            )
    changed = sorted(settings)
    _apply(session, competition, settings)
    if notice not in (None, ""):
        if competition.phase != Phase.NOTICE:
            raise WrongPhase("只有公示期间可以调整公示截止时间", "Only a notice can be extended")
        before = competition.notice_ends_at
        competition.notice_ends_at = parse_moment(notice, "公示截止时间", "Notice end")
        changed.append("notice_ends_at")
        # Shortening a notice is allowed (a mandated period may be shorter) but never silent.
        log_event(
            session,
            competition,
            admin,
            "notice_changed",
            before=aware(before).isoformat() if before else None,
            after=competition.notice_ends_at.isoformat(),
        )
    _check_windows(competition)
    session.flush()
    log_event(session, competition, admin, "edited", fields=changed)


def _next_year(moment: dt.datetime) -> dt.datetime:
    moment = aware(moment)
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + 1, day=28)


def copy_competition(session: Session, admin: User, source: Competition) -> Competition:
    """Next year's competition from this one: settings, rubric, tiers and requirements; no
    entries, judges or results. Dates move on a year and it starts as a draft."""
    year = source.year + 1
    name = source.name.replace(str(source.year), str(year))
    if name == source.name:
        name = f"{source.name}（{year}）"
    copy = Competition(
        name=name[:120],
        kind=source.kind,
        year=year,
        code_prefix=code_prefix(session, source.kind, year),
        description=source.description,
        categories=list(source.categories),
        submission_opens_at=_next_year(source.submission_opens_at),
        submission_closes_at=_next_year(source.submission_closes_at),
        judging_opens_at=_next_year(source.judging_opens_at),
        judging_closes_at=_next_year(source.judging_closes_at),
        rounds=[dict(r) for r in source.rounds],
        judges_per_entry=source.judges_per_entry,
        street_quota=source.street_quota,
        award_tiers=[dict(t) for t in source.award_tiers],
        aggregate=source.aggregate,
        normalise=source.normalise,
        disagreement_threshold=source.disagreement_threshold,
        results_public=source.results_public,
        requirements=dict(source.requirements),
        phase=Phase.DRAFT,
        current_round=1,
        copied_from_id=source.id,
        created_by_id=admin.id,
    )
    for c in source.criteria:
        copy.criteria.append(
            Criterion(
                position=c.position,
                name=c.name,
                description=c.description,
                weight=c.weight,
                max_score=c.max_score,
                counts=c.counts,
                tie_break=c.tie_break,
                levels=[dict(lv) for lv in c.levels],
            )
        )
    session.add(copy)
    session.flush()
    log_event(session, copy, admin, "copied", source=source.id)
    return copy


def get_competition(session: Session, user: User | None, competition_id: int) -> Competition:
    competition = session.get(Competition, competition_id)
    if competition is None or not policy.can_see_competition(user, competition):
        raise NotFound("找不到该评比", "No such competition")
    return competition


def visible_competitions(session: Session, user: User | None) -> list[Competition]:
    query = select(Competition).order_by(Competition.year.desc(), Competition.id.desc())
    if not policy.is_admin(user):
        query = query.where(Competition.phase != Phase.DRAFT)
    return list(session.scalars(query))


# --- phases ------------------------------------------------------------------------------------


def open_submissions(session: Session, admin: User, competition: Competition) -> None:
    if competition.phase != Phase.DRAFT:
        raise WrongPhase("只有筹备中的评比可以开始征集", "Only a competition being set up can open")
    if not competition.criteria:
        raise Conflict("请先设置评分标准", "Set up the rubric first")
    competition.phase = Phase.SUBMISSION
    log_event(session, competition, admin, "phase", phase=Phase.SUBMISSION.value)


def start_review(session: Session, admin: User, competition: Competition, now: dt.datetime) -> None:
    if competition.phase != Phase.SUBMISSION:
        raise WrongPhase("只有征集阶段之后可以进入形式审查", "Formal review follows submission")
    if now < aware(competition.submission_closes_at):
        raise Conflict(
            f"征集截止（{local(competition.submission_closes_at)}）后才能进入形式审查",
            "Formal review starts after the submission deadline",
        )
    competition.phase = Phase.REVIEW
    log_event(session, competition, admin, "phase", phase=Phase.REVIEW.value)


def start_judging(session: Session, admin: User, competition: Competition) -> None:
    if competition.phase != Phase.REVIEW:
        raise WrongPhase("只有形式审查之后可以开始评审", "Judging follows formal review")
    waiting = session.scalar(
        select(func.count())
        .select_from(Entry)
        .where(Entry.competition_id == competition.id, Entry.status == EntryStatus.ENTERED)
    )
    if waiting:
        raise Conflict(
            f"还有 {waiting} 件作品未完成形式审查", f"{waiting} entries still await formal review"
        )
    assigned = session.scalar(
        select(func.count())
        .select_from(JudgeAssignment)
        .where(
            JudgeAssignment.competition_id == competition.id,
            JudgeAssignment.round == competition.current_round,
            JudgeAssignment.status != AssignmentStatus.REMOVED,
        )
    )
    if not assigned:
        raise Conflict("请先分配评委", "Assign judges first")
    competition.phase = Phase.JUDGING
    log_event(session, competition, admin, "phase", phase=Phase.JUDGING.value)


# --- entries -----------------------------------------------------------------------------------


def require_open(competition: Competition, now: dt.datetime) -> None:
    """Entries change only in the submission phase and window; the server is the lock."""
    if competition.phase != Phase.SUBMISSION or now >= aware(competition.submission_closes_at):
        raise EntriesClosed(
            f"作品征集已截止（{local(competition.submission_closes_at)}），不能再提交或修改",
            "Submissions are closed: entries can no longer be made or changed",
            deadline=aware(competition.submission_closes_at).isoformat(),
        )
    if now < aware(competition.submission_opens_at):
        raise EntriesClosed(
            f"作品征集将于 {local(competition.submission_opens_at)} 开始",
            "Submissions have not opened yet",
        )


def _own_resource(session: Session, user: User, raw: Any, zh: str, en: str) -> Resource:
    if raw in (None, ""):
        raise InvalidInput(f"请选择{zh}", f"Choose the {en}")
    resource = session.get(Resource, parse_id(raw, zh, en))
    if resource is None or resource.deleted_at is not None or resource.owner_id != user.id:
        raise NotFound(f"找不到您的{zh}", f"No such {en} of yours")
    return resource


def _entry_version(resource: Resource, zh: str, en: str) -> ResourceVersion:
    usable = [v for v in resource.versions if v.processing_status != ProcessingStatus.FAILED]
    if not usable:
        raise Conflict(
            f"{zh}还没有可用的文件，请先上传", f"The {en} has no usable file; upload one first"
        )
    return usable[-1]


def _judgeable(version: ResourceVersion) -> None:
    """Judges get a copy without author metadata: made for videos, PDF and DOCX only."""
    if not (version.content_type.startswith("video/") or version.content_type in DOCUMENT_TYPES):
        raise InvalidInput(
            "参赛作品必须是视频、PDF 或 DOCX 文件（评审用副本只能由这些格式生成）",
            "An entry must be a video, a PDF or a DOCX file: judge copies are made from these",
        )


def _members(session: Session, user: User, raw: Any) -> list[EntryMember]:
    """The entrant first, then the team as entered: a name, a unit (from the network or typed),
    and an account name when the co-author has one (conflicts and access follow it)."""
    members = [
        EntryMember(
            position=1,
            name=user.display_name,
            organisation_id=user.organisation_id,
            organisation_name=user.organisation.name,
            user_id=user.id,
        )
    ]
    items = raw if isinstance(raw, list) else []
    if raw not in (None, "") and not isinstance(raw, list):
        raise InvalidInput("团队成员格式不正确", "team members must be a list")
    if len(items) > MAX_MEMBERS - 1:
        raise InvalidInput(f"团队成员最多 {MAX_MEMBERS} 人", f"At most {MAX_MEMBERS} team members")
    for raw_member in items:
        if not isinstance(raw_member, dict):
            raise InvalidInput("团队成员格式不正确", "each team member must be an object")
        name = clean_text(raw_member.get("name"), "成员姓名", "Member name", 100)
        org: Organisation | None = None
        if raw_member.get("organisation_id") not in (None, ""):
            org = session.get(
                Organisation, _int(raw_member["organisation_id"], "单位", "unit", 1, 10**9)
            )
            if org is None:
                raise InvalidInput("成员单位不存在", "No such organisation")
        linked = None
        username = str(raw_member.get("username") or "").strip()
        if username:
            linked = session.scalar(select(User).where(User.username == username))
            if linked is None:
                raise InvalidInput(f"找不到用户名 {username}", f"No user named {username}")
            if org is None:
                org = linked.organisation
        org_name = (
            org.name
            if org
            else clean_text(raw_member.get("organisation"), "成员单位", "Member's unit", 100)
        )
        if linked is not None and linked.id == user.id:
            continue
        members.append(
            EntryMember(
                position=len(members) + 1,
                name=name,
                organisation_id=org.id if org else None,
                organisation_name=org_name,
                user_id=linked.id if linked else None,
            )
        )
    return members


def _statement(session: Session, user: User, raw: Any) -> tuple[int | None, int | None]:
    if raw in (None, ""):
        return None, None
    resource = _own_resource(session, user, raw, "教学设计说明", "design statement")
    version = _entry_version(resource, "教学设计说明", "design statement")
    if version.content_type not in DOCUMENT_TYPES:
        raise InvalidInput(
            "教学设计说明必须是 PDF 或 DOCX 文件", "The design statement must be a PDF or DOCX"
        )
    return resource.id, version.id


def _category(competition: Competition, raw: Any) -> str:
    category = str(raw or "").strip()
    if category not in competition.categories:
        raise InvalidInput(
            "请选择本次评比设置的类别：" + "、".join(competition.categories),
            "Choose one of the competition's categories",
        )
    return category


def quota_usage(session: Session, competition: Competition, street_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Entry.category, func.count())
        .where(
            Entry.competition_id == competition.id,
            Entry.street_id == street_id,
            Entry.quota_place.is_not(None),
        )
        .group_by(Entry.category)
    ).all()
    used = dict.fromkeys(competition.categories, 0)
    used.update({category: int(n) for category, n in rows})
    return used


def _take_place(session: Session, competition: Competition, entry: Entry) -> None:
    """The lowest free place of the street in the category; the unique constraint settles a
    race between two teachers taking the last one."""
    if competition.street_quota is None:
        entry.quota_place = None
        return
    with session.no_autoflush:  # the entry's new category must not be written with its old place
        taken = set(
            session.scalars(
                select(Entry.quota_place).where(
                    Entry.competition_id == competition.id,
                    Entry.street_id == entry.street_id,
                    Entry.category == entry.category,
                    Entry.quota_place.is_not(None),
                    Entry.id != (entry.id or 0),
                )
            )
        )
    free = [p for p in range(1, competition.street_quota + 1) if p not in taken]
    if not free:
        raise QuotaFull(
            f"{entry.street.name if entry.street else '本街道'}在「{entry.category}」类别的"
            f"名额已用完（{competition.street_quota}/{competition.street_quota}）",
            f"Your street has used all {competition.street_quota} places in {entry.category}",
            used=len(taken),
            quota=competition.street_quota,
        )
    entry.quota_place = free[0]


def _replace_members(session: Session, entry: Entry, members: list[EntryMember]) -> None:
    """The old team rows go before the new ones are written: positions are unique."""
    if entry.id is not None and entry.members:
        entry.members.clear()
        session.flush()
    entry.members = members


def _flush_place(session: Session, competition: Competition, entry: Entry) -> None:
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        if "quota_place" not in str(exc.orig):
            raise Conflict(
                "有人同时在报名，请再提交一次", "Someone entered at the same moment; submit again"
            ) from None
        raise QuotaFull(
            "名额刚被同街道的其他作品占用，请刷新后重试",
            "The last place was just taken by another entry from your street; reload and retry",
        ) from None


def enter(
    session: Session, user: User, competition: Competition, data: dict[str, Any], now: dt.datetime
) -> Entry:
    require_open(competition, now)
    resource = _own_resource(session, user, data.get("resource_id"), "参赛作品", "work")
    if resource.kind not in ACCEPTS[competition.kind]:
        raise InvalidInput(
            "该资源的类型不能参加本次评比", "This kind of resource cannot enter this competition"
        )
    version = _entry_version(resource, "参赛作品", "work")
    _judgeable(version)
    category = _category(competition, data.get("category"))
    members = _members(session, user, data.get("members"))
    statement_id, statement_version_id = _statement(
        session, user, data.get("statement_resource_id")
    )
    street = policy.street_of(user.organisation)
    existing = session.scalar(
        select(Entry).where(
            Entry.competition_id == competition.id, Entry.resource_id == resource.id
        )
    )
    if existing is not None and existing.status != EntryStatus.WITHDRAWN:
        raise Conflict(
            f"该作品已报名（编号 {existing.code}）",
            f"This work is already entered as {existing.code}",
        )
    entry = existing or Entry(competition_id=competition.id, resource_id=resource.id)
    if existing is None:
        number = (
            session.scalar(
                select(func.max(Entry.number)).where(Entry.competition_id == competition.id)
            )
            or 0
        ) + 1
        entry.number = number
        entry.code = f"{competition.code_prefix}-{number:03d}"
        session.add(entry)
    entry.version_id = version.id
    entry.title, entry.summary = resource.title, resource.summary
    entry.category = category
    entry.organisation_id = user.organisation_id
    entry.street_id = street.id
    entry.street = street
    entry.submitted_by_id = user.id
    entry.statement_resource_id = statement_id
    entry.statement_version_id = statement_version_id
    entry.status = EntryStatus.ENTERED
    entry.return_reason = None
    _replace_members(session, entry, members)
    entry.row_version = (entry.row_version or 0) + 1
    _take_place(session, competition, entry)
    _flush_place(session, competition, entry)
    log_event(session, competition, user, "entered", entry, version=version.number)
    return entry


def get_entry(session: Session, user: User | None, entry_id: int) -> Entry:
    entry = session.get(Entry, entry_id)
    if entry is None or not policy.can_see_entry(user, entry):
        raise NotFound("找不到该参赛作品", "No such entry")
    return entry


def _check_version(entry: Entry, data: dict[str, Any]) -> None:
    sent = data.get("row_version")
    if sent not in (None, "") and str(sent) != str(entry.row_version):
        raise Conflict(
            "该报名已在别处修改，请刷新后再改", "This entry was changed elsewhere; reload it first"
        )


def update_entry(
    session: Session, user: User, entry: Entry, data: dict[str, Any], now: dt.datetime
) -> None:
    """Change category, team, statement, or move to the work's newest file; a returned entry
    that is saved goes back to formal review."""
    if not policy.can_edit_entry(user, entry):
        raise Forbidden("只有报名的教师可以修改", "Only the teacher who entered it may change it")
    competition = entry.competition
    require_open(competition, now)
    if entry.status in (EntryStatus.WITHDRAWN, EntryStatus.DISQUALIFIED):
        raise Conflict("该报名已撤回，请重新报名", "This entry was withdrawn; enter the work again")
    _check_version(entry, data)
    if "category" in data:
        category = _category(competition, data["category"])
        if category != entry.category:
            # Nothing is written until the new category has a place (its old one is held).
            with session.no_autoflush:
                entry.category = category
                _take_place(session, competition, entry)
    if "members" in data:
        _replace_members(session, entry, _members(session, user, data["members"]))
    if "statement_resource_id" in data:
        entry.statement_resource_id, entry.statement_version_id = _statement(
            session, user, data["statement_resource_id"]
        )
    if _bool(data.get("use_latest_version", False)):
        version = _entry_version(entry.resource, "参赛作品", "work")
        _judgeable(version)
        entry.version_id = version.id
    entry.title, entry.summary = entry.resource.title, entry.resource.summary
    # A changed entry is reviewed again, whether it had passed or been returned.
    entry.status = EntryStatus.ENTERED
    entry.row_version += 1
    _flush_place(session, competition, entry)
    log_event(session, competition, user, "entry_edited", entry)


def withdraw(session: Session, user: User, entry: Entry, now: dt.datetime) -> None:
    if not policy.can_edit_entry(user, entry):
        raise Forbidden("只有报名的教师可以撤回", "Only the teacher who entered it may withdraw it")
    require_open(entry.competition, now)
    if entry.status == EntryStatus.WITHDRAWN:
        return
    entry.status = EntryStatus.WITHDRAWN
    entry.quota_place = None
    entry.row_version += 1
    log_event(session, entry.competition, user, "withdrawn", entry)


def entry_checks(entry: Entry) -> list[Check]:
    return run_checks(entry.competition.requirements or {}, facts_of(entry.version))


def review_entry(
    session: Session, admin: User, entry: Entry, *, passed: bool, reason: str = ""
) -> None:
    """Formal review (形式审查): pass, or return with a reason the teacher sees."""
    competition = entry.competition
    if competition.phase not in (Phase.SUBMISSION, Phase.REVIEW):
        raise WrongPhase("评审开始后不能再做形式审查", "Formal review ends when judging starts")
    if entry.status in (EntryStatus.WITHDRAWN, EntryStatus.DISQUALIFIED):
        raise Conflict("该报名已撤回", "This entry was withdrawn")
    if passed:
        entry.status = EntryStatus.PASSED
        entry.return_reason = None
    else:
        entry.status = EntryStatus.RETURNED
        entry.return_reason = clean_text(reason, "退回理由", "Reason", 2000)
        # Judges assigned during review lose it from their desks; a new run fills the gaps.
        session.execute(
            update(JudgeAssignment)
            .where(
                JudgeAssignment.entry_id == entry.id,
                JudgeAssignment.status != AssignmentStatus.REMOVED,
            )
            .values(status=AssignmentStatus.REMOVED)
            .execution_options(synchronize_session="fetch")
        )
    entry.reviewed_at = utcnow()
    entry.row_version += 1
    log_event(
        session, competition, admin, "reviewed", entry, passed=passed, reason=entry.return_reason
    )


def competition_entries(session: Session, competition: Competition) -> list[Entry]:
    """Every entry with what the review and the admin's lists show, loaded in batches."""
    return list(
        session.scalars(
            select(Entry)
            .where(Entry.competition_id == competition.id)
            .order_by(Entry.number)
            .options(
                selectinload(Entry.resource),
                selectinload(Entry.version),
                selectinload(Entry.organisation),
                selectinload(Entry.street),
            )
        )
    )


# --- re-entries --------------------------------------------------------------------------------


# A re-encode keeps the length: only entries within this many seconds are compared by picture.
SAME_LENGTH_SECONDS = 2.0


def reentries_in(session: Session, competition: Competition) -> dict[int, list[dict[str, Any]]]:
    """For every entry of a competition, the other competitions' entries it repeats: the same
    bytes (SHA-256), or the same video re-encoded (perceptual fingerprints of sampled frames,
    compared only between videos of about the same length). One pass for the whole review."""
    from transcoder.fingerprint import from_hex, same_video  # pure functions, no I/O

    def rows(*where: Any) -> list[Any]:
        return list(
            session.execute(
                select(
                    Entry.id,
                    Entry.code,
                    Competition.name,
                    Competition.year,
                    ResourceVersion.sha256,
                    ResourceVersion.duration,
                    ResourceVersion.media_info,
                )
                .join(ResourceVersion, ResourceVersion.id == Entry.version_id)
                .join(Competition, Competition.id == Entry.competition_id)
                .where(Entry.status != EntryStatus.WITHDRAWN, *where)
            )
        )

    def prints(info: dict[str, Any] | None) -> list[int] | None:
        texts = (info or {}).get("fingerprint")
        return from_hex(texts) if texts else None

    others = rows(Entry.competition_id != competition.id)
    by_sha: dict[str, list[Any]] = {}
    videos = []
    for other in others:
        if other.sha256:
            by_sha.setdefault(other.sha256, []).append(other)
        theirs = prints(other.media_info)
        if theirs and other.duration is not None:
            videos.append((other.duration, theirs, other))
    videos.sort(key=lambda v: v[0])
    found: dict[int, list[dict[str, Any]]] = {}
    for mine in rows(Entry.competition_id == competition.id):
        matches: dict[int, tuple[Any, str]] = {}
        for other in by_sha.get(mine.sha256 or "", []):
            matches[other.id] = (other, "sha256")
        fingerprint = prints(mine.media_info)
        if fingerprint and mine.duration is not None:
            low = bisect.bisect_left(
                videos, mine.duration - SAME_LENGTH_SECONDS, key=lambda v: v[0]
            )
            for duration, theirs, other in videos[low:]:
                if duration > mine.duration + SAME_LENGTH_SECONDS:
                    break
                if other.id not in matches and same_video(fingerprint, theirs):
                    matches[other.id] = (other, "fingerprint")
        found[mine.id] = [
            {
                "entry_id": other.id,
                "code": other.code,
                "competition": other.name,
                "year": other.year,
                "reason": reason,
            }
            for other, reason in sorted(matches.values(), key=lambda m: m[0].code)
        ]
    return found


# --- identity flags, objections ----------------------------------------------------------------


def flag_identity(session: Session, judge: User, entry: Entry, note: str) -> None:
    note = clean_text(note, "说明", "Note", 1000, required=False) or "评委报告可识别作者身份"
    # Every report is kept: a second judge's note does not replace the first.
    entry.identity_flag = f"{entry.identity_flag}；{note}" if entry.identity_flag else note
    log_event(session, entry.competition, judge, "identity_flag", entry, note=entry.identity_flag)


def lodge_objection(
    session: Session, user: User, competition: Competition, data: dict[str, Any], now: dt.datetime
) -> Objection:
    if competition.phase != Phase.NOTICE or (
        competition.notice_ends_at and now >= aware(competition.notice_ends_at)
    ):
        raise WrongPhase("只有公示期间可以提出异议", "Objections are taken during the notice only")
    entry = None
    code = str(data.get("entry_code") or "").strip()
    if code:
        entry = session.scalar(
            select(Entry).where(Entry.competition_id == competition.id, Entry.code == code)
        )
        if entry is None:
            raise InvalidInput(f"本次评比没有编号为 {code} 的作品", f"No entry {code} here")
    objection = Objection(
        competition_id=competition.id,
        entry_id=entry.id if entry else None,
        user_id=user.id,
        reason=clean_text(data.get("reason"), "异议理由", "Reason", 3000),
    )
    session.add(objection)
    session.flush()
    log_event(session, competition, user, "objection", entry, objection=objection.id)
    return objection


def answer_objection(
    session: Session, admin: User, objection: Objection, data: dict[str, Any]
) -> None:
    competition = session.get(Competition, objection.competition_id)
    assert competition is not None
    if competition.phase != Phase.NOTICE:
        raise WrongPhase("只有公示期间可以答复异议", "Objections are answered during the notice")
    if objection.status != ObjectionStatus.OPEN:
        raise Conflict("该异议已答复", "This objection has been answered")
    verdict = str(data.get("verdict") or "")
    if verdict not in ("upheld", "dismissed"):
        raise InvalidInput("请选择异议成立或不成立", "verdict must be upheld or dismissed")
    objection.status = ObjectionStatus(verdict)
    objection.answer = clean_text(data.get("answer"), "答复", "Answer", 3000)
    objection.answered_by_id = admin.id
    objection.answered_at = utcnow()
    disqualify = verdict == "upheld" and _bool(data.get("disqualify", False))
    if disqualify:
        if objection.entry is None:
            raise InvalidInput("该异议未指明作品，不能取消资格", "The objection names no entry")
        objection.entry.status = EntryStatus.DISQUALIFIED
        objection.entry.quota_place = None
    log_event(
        session,
        competition,
        admin,
        "objection_answered",
        objection.entry,
        objection=objection.id,
        verdict=verdict,
        answer=objection.answer,
        disqualified=disqualify,
    )


def open_objections(session: Session, competition: Competition) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Objection)
            .where(
                Objection.competition_id == competition.id,
                Objection.status == ObjectionStatus.OPEN,
            )
        )
        or 0
    )


def new_certificate_code() -> str:
    """16 characters from an alphabet without look-alikes: unguessable, easy to type."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def parse_notice_days(raw: Any) -> int:
    if raw in (None, ""):
        return 7
    return _int(raw, "公示天数", "Notice days", 1, 60)


def objections_of(session: Session, competition: Competition, user: User | None) -> list[Objection]:
    """Every objection (for the admin) or the ones this user lodged."""
    query = select(Objection).where(Objection.competition_id == competition.id)
    if user is not None:
        query = query.where(Objection.user_id == user.id)
    return list(session.scalars(query.order_by(Objection.id)))
