"""Competition pages: the list, the set-up form, the overview with its phase buttons, entering a
work, an entry, the formal review, results with the public notice and objections, the winners'
collection and certificate verification.

Views stay thin: a form becomes the plain data the services take, one service call decides,
the session commits and the page redirects with a message. A refusal re-renders the same page
with everything that was typed, the service's message and the error's status.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from repo_service import policy
from repo_service.access import PUBLIC, SIGNED_IN, access, current_user, require_user
from repo_service.accounts.models import Organisation, Role, User
from repo_service.competitions import reports, results, services
from repo_service.competitions.checks import CONTAINERS, VIDEO_CODECS, clock
from repo_service.competitions.models import (
    ENTRY_STATUS_LABELS,
    KIND_LABELS,
    OBJECTION_LABELS,
    PHASE_LABELS,
    PHASE_ORDER,
    Competition,
    CompetitionKind,
    Entry,
    EntryStatus,
    Objection,
    ObjectionStatus,
    Phase,
)
from repo_service.db import aware, get_session, utcnow
from repo_service.errors import DomainError, NotFound
from repo_service.forms import Page, attempt, done, local_input, rendered
from repo_service.judging import services as judging
from repo_service.judging.models import ASSIGNMENT_LABELS
from repo_service.judging.scoring import TIE_BREAK_RULES_EN, TIE_BREAK_RULES_ZH
from repo_service.resources.models import AWARDS, Resource, ResourceStatus
from repo_service.resources.models import KIND_LABELS as RESOURCE_KIND_LABELS
from repo_service.resources.services import owned_query

bp = Blueprint("competitions_pages", __name__)


# --- shared by the competition and judging pages -------------------------------------------------


def load_competition(competition_id: int) -> Competition:
    return services.get_competition(get_session(), current_user(), competition_id)


def number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@bp.app_template_filter("local")
def _local_filter(moment: dt.datetime | None) -> str:
    return services.local(moment)


@bp.app_template_filter("clock")
def _clock_filter(seconds: float | None) -> str:
    return clock(seconds or 0)


@bp.context_processor
def labels() -> dict[str, Any]:
    """Labels every competition and judging template uses (the judging pages register it too)."""
    return {
        "phases": PHASE_LABELS,
        "phase_order": PHASE_ORDER,
        "resource_kinds": RESOURCE_KIND_LABELS,
        "kinds": KIND_LABELS,
        "entry_statuses": ENTRY_STATUS_LABELS,
        "objection_labels": OBJECTION_LABELS,
        "assignment_labels": ASSIGNMENT_LABELS,
        "awards": AWARDS,
        "is_admin": policy.is_admin(current_user()),
    }


# --- the set-up form ----------------------------------------------------------------------------

REQUIREMENT_NUMBERS = (
    "min_width",
    "min_height",
    "max_size_mb",
    "loudness_min",
    "loudness_max",
    "min_pages",
    "max_pages",
)
REQUIREMENT_MINUTES = ("min_duration", "max_duration")
WINDOWS = ("submission_opens_at", "submission_closes_at", "judging_opens_at", "judging_closes_at")


def settings_values(c: Competition | None) -> dict[str, Any]:
    """The set-up form's fields as text, for a competition or (None) a new one."""
    if c is None:
        return {
            "kind": CompetitionKind.MICRO_COURSE.value,
            "year": str(utcnow().astimezone(services.LOCAL).year),
            "judges_per_entry": "3",
            "aggregate": "mean",
            "disagreement_threshold": "15",
            "results_public": True,
            "rounds": [{"name": "评审", "advance": ""}],
            "tiers": [
                {"name": "一等奖", "mode": "percent", "value": "10"},
                {"name": "二等奖", "mode": "percent", "value": "20"},
                {"name": "三等奖", "mode": "percent", "value": "30"},
            ],
            "criteria": [],
            "req": {},
        }
    req = dict(c.requirements or {})
    req_values: dict[str, Any] = {
        "containers": req.get("containers", []),
        "video_codecs": req.get("video_codecs", []),
        "text_layer": bool(req.get("text_layer")),
    }
    for key in REQUIREMENT_NUMBERS:
        req_values[key] = number(req.get(key))
    for key in REQUIREMENT_MINUTES:
        req_values[key] = "" if req.get(key) is None else f"{float(req[key]) / 60:g}"
    return {
        "name": c.name,
        "kind": c.kind.value,
        "year": str(c.year),
        "description": c.description,
        "categories": "\n".join(c.categories),
        **{key: local_input(getattr(c, key)) for key in WINDOWS},
        "rounds": [
            {"name": r.get("name", ""), "advance": "" if r.get("advance") is None else r["advance"]}
            for r in c.rounds
        ],
        "judges_per_entry": str(c.judges_per_entry),
        "street_quota": "" if c.street_quota is None else str(c.street_quota),
        "tiers": [
            {
                "name": t["name"],
                "mode": "count" if "count" in t else "percent",
                "value": number(t.get("count", t.get("percent"))),
            }
            for t in c.award_tiers
        ],
        "aggregate": c.aggregate,
        "normalise": c.normalise,
        "disagreement_threshold": number(c.disagreement_threshold),
        "results_public": c.results_public,
        "req": req_values,
        "criteria": [
            {
                "name": k.name,
                "description": k.description,
                "max_score": number(k.max_score),
                "weight": number(k.weight),
                "counts": "1" if k.counts else "0",
                "tie_break": "" if k.tie_break is None else str(k.tie_break),
                "levels": "\n".join(
                    f"{lv['label']}:{number(lv['min'])}:{lv.get('description', '')}"
                    for lv in k.levels
                ),
            }
            for k in c.criteria
        ],
        "notice_ends_at": local_input(c.notice_ends_at),
    }


def _rows(form: MultiDict[str, str], prefix: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    """Table rows posted as parallel lists (round_name, round_advance…), blank rows dropped."""
    columns = [form.getlist(f"{prefix}_{f}") for f in fields]
    count = max((len(c) for c in columns), default=0)
    rows = []
    for i in range(count):
        row = {
            f: (col[i].strip() if i < len(col) else "")
            for f, col in zip(fields, columns, strict=True)
        }
        rows.append(row)
    return rows


def form_values(form: MultiDict[str, str]) -> dict[str, Any]:
    """What the set-up form sent, in the shape it is shown again (nothing typed is lost)."""
    req: dict[str, Any] = {
        "containers": form.getlist("req_containers"),
        "video_codecs": form.getlist("req_video_codecs"),
        "text_layer": "req_text_layer" in form,
    }
    for key in (*REQUIREMENT_NUMBERS, *REQUIREMENT_MINUTES):
        req[key] = form.get(f"req_{key}", "").strip()
    values: dict[str, Any] = {
        key: form.get(key, "")
        for key in (
            "name",
            "kind",
            "year",
            "description",
            "categories",
            *WINDOWS,
            "judges_per_entry",
            "street_quota",
            "aggregate",
            "disagreement_threshold",
            "notice_ends_at",
        )
    }
    values["normalise"] = "normalise" in form
    values["results_public"] = "results_public" in form
    values["rounds"] = _rows(form, "round", ("name", "advance"))
    values["tiers"] = _rows(form, "tier", ("name", "mode", "value"))
    values["criteria"] = _rows(
        form,
        "crit",
        ("name", "description", "max_score", "weight", "counts", "tie_break", "levels"),
    )
    values["req"] = req
    return values


def _seconds(minutes: str) -> Any:
    try:
        return round(float(minutes) * 60, 3)
    except ValueError:
        return minutes  # the service says what is wrong with it


def _levels(text: str) -> list[dict[str, str]]:
    """Level descriptors typed one a line as 标签:下限:说明."""
    levels = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in re.split("[:：]", line, maxsplit=2)]
        parts += [""] * (3 - len(parts))
        levels.append({"label": parts[0], "min": parts[1], "description": parts[2]})
    return levels


def _requirements(req: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("containers", "video_codecs"):
        if req.get(key):
            out[key] = list(req[key])
    for key in REQUIREMENT_NUMBERS:
        if req.get(key):
            out[key] = req[key]
    for key in REQUIREMENT_MINUTES:
        if req.get(key):
            out[key] = _seconds(req[key])
    if req.get("text_layer"):
        out["text_layer"] = True
    return out


def _blank(row: dict[str, str], *keys: str) -> bool:
    return not any(row.get(k) for k in keys)


def to_settings(values: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    """The form's values as ``services.parse_settings`` takes them, for the given keys."""
    tiers = []
    for row in values["tiers"]:
        if _blank(row, "name", "value"):
            continue
        mode = "count" if row.get("mode") == "count" else "percent"
        tiers.append({"name": row["name"], mode: row["value"]})
    settings: dict[str, Any] = {
        "name": values.get("name", ""),
        "kind": values.get("kind", ""),
        "year": values.get("year", ""),
        "description": values.get("description", ""),
        "categories": [c for c in str(values.get("categories", "")).splitlines() if c.strip()],
        **{key: values.get(key, "") for key in WINDOWS},
        "rounds": [
            {"name": r["name"], "advance": r["advance"]}
            for r in values["rounds"]
            if not _blank(r, "name", "advance")
        ],
        "judges_per_entry": values.get("judges_per_entry", ""),
        "street_quota": values.get("street_quota", ""),
        "award_tiers": tiers,
        "aggregate": values.get("aggregate") or "mean",
        "normalise": bool(values.get("normalise")),
        "disagreement_threshold": values.get("disagreement_threshold") or "15",
        "results_public": bool(values.get("results_public")),
        "requirements": _requirements(values["req"]),
        "criteria": [
            {
                "name": k["name"],
                "description": k["description"],
                "max_score": k["max_score"],
                "weight": k["weight"],
                "counts": k["counts"] != "0",
                "tie_break": k["tie_break"],
                "levels": _levels(k["levels"]),
            }
            for k in values["criteria"]
            if not _blank(k, "name", "max_score", "description", "levels")
        ],
    }
    return {key: value for key, value in settings.items() if key in keys}


def _editable(c: Competition | None) -> set[str]:
    return set(services.SETTINGS) if c is None else set(services.EDITABLE[c.phase])


def _settings_page(
    c: Competition | None, values: dict[str, Any], error: DomainError | None
) -> tuple[str, int]:
    return rendered(
        "competitions/edit.html",
        error,
        c=c,
        values=values,
        editable=_editable(c),
        kind_choices=list(CompetitionKind),
        containers=list(CONTAINERS),
        codecs=VIDEO_CODECS,
    )


# --- list, set-up -------------------------------------------------------------------------------


@bp.get("/competitions")
@access(PUBLIC)
def list_page() -> Page:
    rows = services.visible_competitions(get_session(), current_user())
    return render_template("competitions/list.html", rows=rows)


@bp.route("/competitions/new", methods=["GET", "POST"])
@access(Role.ADMIN)
def new_page() -> Page:
    if request.method == "GET":
        return _settings_page(None, settings_values(None), None)
    values = form_values(request.form)
    settings = to_settings(values, set(services.SETTINGS))
    made, error = attempt(
        lambda: services.create_competition(get_session(), require_user(), settings)
    )
    if made is None:
        return _settings_page(None, values, error)
    return done(
        "评比已创建（筹备中），确认设置后可开始征集",
        "Competition created as a draft; open submissions when the settings are right",
        ".overview_page",
        competition_id=made.id,
    )


@bp.route("/competitions/<int:competition_id>/edit", methods=["GET", "POST"])
@access(Role.ADMIN)
def edit_page(competition_id: int) -> Page:
    c = load_competition(competition_id)
    if request.method == "GET":
        return _settings_page(c, settings_values(c), None)
    values = form_values(request.form)
    editable = _editable(c)
    before = to_settings(settings_values(c), editable)
    # Only what changed is sent: an unchanged rubric is not replaced (its criteria keep their
    # ids and scores), and the log names the settings really edited.
    changes = {k: v for k, v in to_settings(values, editable).items() if before.get(k) != v}
    notice = values.get("notice_ends_at") or ""
    if c.phase == Phase.NOTICE and notice and notice != local_input(c.notice_ends_at):
        changes["notice_ends_at"] = notice
    if not changes:
        return done("没有修改", "Nothing changed", ".overview_page", competition_id=c.id)
    _, error = attempt(
        lambda: services.update_competition(get_session(), require_user(), c, changes)
    )
    if error is not None:
        return _settings_page(c, values, error)
    return done("评比设置已保存", "Settings saved", ".overview_page", competition_id=c.id)


@bp.post("/competitions/<int:competition_id>/copy")
@access(Role.ADMIN)
def copy_page(competition_id: int) -> Page:
    source = load_competition(competition_id)
    made, error = attempt(lambda: services.copy_competition(get_session(), require_user(), source))
    if made is None:
        return _list_with_error(error)
    return done(
        f"已复制为 {made.year} 年的评比（筹备中），请核对日期与设置",
        f"Copied as the {made.year} competition (a draft): check its dates and settings",
        ".edit_page",
        competition_id=made.id,
    )


def _list_with_error(error: DomainError | None) -> tuple[str, int]:
    rows = services.visible_competitions(get_session(), current_user())
    return rendered("competitions/list.html", error, rows=rows)


# --- overview and phases ------------------------------------------------------------------------


def _window_open(c: Competition) -> bool:
    now = utcnow()
    return c.phase == Phase.SUBMISSION and aware(c.submission_opens_at) <= now < aware(
        c.submission_closes_at
    )


def overview_with(
    c: Competition, error: DomainError | None = None, form: dict[str, str] | None = None
) -> tuple[str, int]:
    """The overview page again, with a refusal to show and what was typed (for other domains'
    forms placed on it, such as a judge's declared conflicts)."""
    return _overview(c, error, form)


def _overview(
    c: Competition, error: DomainError | None = None, form: dict[str, str] | None = None
) -> tuple[str, int]:
    session = get_session()
    user = current_user()
    mine: list[Entry] = []
    quota = None
    if user is not None:
        mine = list(
            session.scalars(
                policy.entries_of(user).where(Entry.competition_id == c.id).order_by(Entry.number)
            )
        )
        if c.street_quota and user.has_role(Role.TEACHER):
            street = policy.street_of(user.organisation)
            quota = {"street": street.name, "used": services.quota_usage(session, c, street.id)}
    seat = judging.panel_seat(session, c, user)
    return rendered(
        "competitions/overview.html",
        error,
        c=c,
        mine=mine,
        quota=quota,
        can_enter=_window_open(c) and user is not None and user.has_role(Role.TEACHER, Role.ADMIN),
        accepts=sorted(services.ACCEPTS[c.kind]),
        open_objections=services.open_objections(session, c) if policy.is_admin(user) else 0,
        counts=Counter(e.status for e in services.competition_entries(session, c))
        if policy.is_admin(user)
        else {},
        phase_form=form or {},
        seat=seat,
        my_conflicts=judging.conflicts_of(session, c, user) if seat else [],
        orgs=_organisations() if seat else [],
    )


@bp.get("/competitions/<int:competition_id>")
@access(PUBLIC)
def overview_page(competition_id: int) -> Page:
    return _overview(load_competition(competition_id))


PHASE_DONE = {
    "open": ("已开始征集作品", "Submissions are open"),
    "review": ("已进入形式审查", "Formal review has started"),
    "judging": ("已开始专家评审，评委可以评分", "Judging has started"),
}


def _phase(c: Competition, action: str, form: MultiDict[str, str]) -> tuple[str, str]:
    force = form.get("force") in ("1", "on", "true")
    days = services.parse_notice_days(form.get("notice_days")) if action == "publish" else 7
    counted = results.move_phase(
        get_session(), require_user(), c, action, utcnow(), force=force, notice_days=days
    )
    if action == "advance":
        moved = counted
        return (
            f"本轮结束，{moved} 件作品晋级第 {c.current_round} 轮",
            f"Round closed: {moved} entries go on to round {c.current_round}",
        )
    if action == "publish":
        return (
            f"结果已公示，公示至 {services.local(c.notice_ends_at)}",
            f"Results published for objections until {services.local(c.notice_ends_at)}",
        )
    if action == "finalise":
        return (
            f"结果已确认，颁发证书 {counted} 张",
            f"Results final: {counted} certificates issued",
        )
    return PHASE_DONE[action]


@bp.post("/competitions/<int:competition_id>/phase")
@access(Role.ADMIN)
def phase_page(competition_id: int) -> Page:
    c = load_competition(competition_id)
    form = request.form
    back = "results" if form.get("back") == "results" else "overview"
    message, error = attempt(lambda: _phase(c, form.get("action", ""), form))
    if message is None:
        if back == "results":
            return _results(c, error, phase_form=form.to_dict())
        return _overview(c, error, form.to_dict())
    return done(message[0], message[1], f".{back}_page", competition_id=c.id)


# --- entering a work, an entry ------------------------------------------------------------------


def _organisations() -> list[Organisation]:
    return list(get_session().scalars(select(Organisation).order_by(Organisation.id)))


def _my_works(user: User, c: Competition) -> tuple[list[Resource], list[Resource]]:
    """The user's works this competition accepts, and her PDF/DOCX files for the statement."""
    works, documents = [], []
    for r in get_session().scalars(owned_query(user)):
        version = r.current_version
        if version is None:
            continue
        if r.kind in services.ACCEPTS[c.kind]:
            works.append(r)
        if version.content_type in services.DOCUMENT_TYPES:
            documents.append(r)
    return works, documents


def member_rows(form: MultiDict[str, str]) -> list[dict[str, str]]:
    return [
        row
        for row in _rows(form, "member", ("name", "organisation_id", "organisation", "username"))
        if not _blank(row, "name", "organisation", "username")
    ]


def _entry_data(form: MultiDict[str, str]) -> dict[str, Any]:
    return {
        "resource_id": form.get("resource_id", ""),
        "category": form.get("category", ""),
        "statement_resource_id": form.get("statement_resource_id", ""),
        "members": member_rows(form),
    }


def _enter_page(
    c: Competition, values: dict[str, Any], error: DomainError | None
) -> tuple[str, int]:
    user = require_user()
    works, documents = _my_works(user, c)
    entered = {
        e.resource_id: e.code
        for e in get_session().scalars(
            policy.entries_of(user).where(
                Entry.competition_id == c.id, Entry.status != EntryStatus.WITHDRAWN
            )
        )
    }
    return rendered(
        "competitions/enter.html",
        error,
        c=c,
        values=values,
        works=works,
        documents=documents,
        entered=entered,
        orgs=_organisations(),
        is_open=_window_open(c),
    )


@bp.route("/competitions/<int:competition_id>/enter", methods=["GET", "POST"])
@access(Role.TEACHER, Role.ADMIN)
def enter_page(competition_id: int) -> Page:
    c = load_competition(competition_id)
    if request.method == "GET":
        values = {"resource_id": request.args.get("resource", ""), "members": []}
        return _enter_page(c, values, None)
    data = _entry_data(request.form)
    entry, error = attempt(
        lambda: services.enter(get_session(), require_user(), c, dict(data), utcnow())
    )
    if entry is None:
        return _enter_page(c, data, error)
    return done(
        f"报名成功，作品编号 {entry.code}；请查看技术检查结果",
        f"Entered as {entry.code}; check the technical results below",
        ".entry_page",
        entry_id=entry.id,
    )


def _load_entry(entry_id: int) -> Entry:
    return services.get_entry(get_session(), current_user(), entry_id)


def _entry_values(entry: Entry) -> dict[str, Any]:
    session = get_session()
    members = []
    for m in entry.members[1:]:
        linked = session.get(User, m.user_id) if m.user_id else None
        members.append(
            {
                "name": m.name,
                "organisation_id": str(m.organisation_id or ""),
                "organisation": "" if m.organisation_id else m.organisation_name,
                "username": linked.username if linked else "",
            }
        )
    return {
        "category": entry.category,
        "statement_resource_id": str(entry.statement_resource_id or ""),
        "members": members,
        "row_version": str(entry.row_version),
    }


def _entry_page(
    entry: Entry, values: dict[str, Any] | None = None, error: DomainError | None = None
) -> tuple[str, int]:
    user = require_user()
    c = entry.competition
    can_edit = policy.can_edit_entry(user, entry) and _window_open(c)
    documents = _my_works(user, c)[1] if can_edit else []
    newest = entry.resource.current_version
    return rendered(
        "competitions/entry.html",
        error,
        e=entry,
        c=c,
        checks=services.entry_checks(entry),
        feedback=reports.entry_feedback(get_session(), entry),
        can_edit=can_edit and entry.status not in (EntryStatus.WITHDRAWN, EntryStatus.DISQUALIFIED),
        can_withdraw=can_edit and entry.status != EntryStatus.WITHDRAWN,
        newer_file=newest is not None and newest.id != entry.version_id,
        values=values or _entry_values(entry),
        documents=documents,
        orgs=_organisations() if can_edit else [],
    )


@bp.get("/competitions/entries/<int:entry_id>")
@access(SIGNED_IN)
def entry_page(entry_id: int) -> Page:
    return _entry_page(_load_entry(entry_id))


@bp.post("/competitions/entries/<int:entry_id>/edit")
@access(Role.TEACHER, Role.ADMIN)
def edit_entry_page(entry_id: int) -> Page:
    entry = _load_entry(entry_id)
    form = request.form
    data: dict[str, Any] = {
        "category": form.get("category", ""),
        "statement_resource_id": form.get("statement_resource_id", ""),
        "members": member_rows(form),
        "row_version": form.get("row_version", ""),
        "use_latest_version": "use_latest_version" in form,
    }
    # Only what changed goes to the service: an unchanged statement keeps its version, and an
    # unchanged team is not rewritten.
    before = _entry_values(entry)
    changes = {
        key: data[key] for key in ("category", "statement_resource_id") if data[key] != before[key]
    }
    if _team(data["members"]) != _team(before["members"]):
        changes["members"] = data["members"]
    changes["row_version"] = data["row_version"]
    changes["use_latest_version"] = data["use_latest_version"]
    _, error = attempt(
        lambda: services.update_entry(get_session(), require_user(), entry, changes, utcnow())
    )
    if error is not None:
        return _entry_page(entry, data, error)
    return done("报名信息已保存", "Entry saved", ".entry_page", entry_id=entry.id)


def _team(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
    return [
        (
            r.get("name", ""),
            r.get("organisation_id", ""),
            "" if r.get("organisation_id") else r.get("organisation", ""),
            r.get("username", ""),
        )
        for r in rows
    ]


@bp.post("/competitions/entries/<int:entry_id>/withdraw")
@access(Role.TEACHER, Role.ADMIN)
def withdraw_page(entry_id: int) -> Page:
    entry = _load_entry(entry_id)
    _, error = attempt(lambda: services.withdraw(get_session(), require_user(), entry, utcnow()))
    if error is not None:
        return _entry_page(entry, None, error)
    return done(
        "已撤回报名，名额已释放；截止前可重新报名",
        "Entry withdrawn and its place freed; you may enter again before the deadline",
        ".entry_page",
        entry_id=entry.id,
    )


# --- formal review ------------------------------------------------------------------------------

REENTRY_REASONS = {
    "sha256": ("文件完全相同", "identical file"),
    "fingerprint": ("视频内容相同（重新编码）", "same video, re-encoded"),
}


def _review_page(
    c: Competition, error: DomainError | None = None, typed: dict[str, Any] | None = None
) -> tuple[str, int]:
    session = get_session()
    rows = []
    repeats = services.reentries_in(session, c)
    for entry in services.competition_entries(session, c):
        checks = services.entry_checks(entry)
        rows.append(
            {
                "e": entry,
                "checks": checks,
                "failed": [k for k in checks if k.status == "fail"],
                "pending": [k for k in checks if k.status == "pending"],
                "reentries": repeats.get(entry.id, []),
            }
        )
    return rendered(
        "competitions/review.html",
        error,
        c=c,
        rows=rows,
        reentry_reasons=REENTRY_REASONS,
        typed=typed or {},
        reviewable=c.phase in (Phase.SUBMISSION, Phase.REVIEW),
    )


@bp.get("/competitions/<int:competition_id>/review")
@access(Role.ADMIN)
def review_page(competition_id: int) -> Page:
    return _review_page(load_competition(competition_id))


@bp.post("/competitions/<int:competition_id>/review/<int:entry_id>")
@access(Role.ADMIN)
def review_entry_page(competition_id: int, entry_id: int) -> Page:
    c = load_competition(competition_id)
    entry = _load_entry(entry_id)
    if entry.competition_id != c.id:
        raise NotFound("找不到该参赛作品", "No such entry")
    passed = request.form.get("decision") == "pass"
    reason = request.form.get("reason", "")
    _, error = attempt(
        lambda: services.review_entry(
            get_session(), require_user(), entry, passed=passed, reason=reason
        )
    )
    if error is not None:
        return _review_page(c, error, {"entry_id": entry.id, "reason": reason})
    if passed:
        return done(
            f"{entry.code} 形式审查通过",
            f"{entry.code} passed formal review",
            ".review_page",
            competition_id=c.id,
            _anchor=f"entry-{entry.id}",
        )
    if c.phase == Phase.SUBMISSION:
        return done(
            f"{entry.code} 已退回，教师可在截止前修改后重新提交",
            f"{entry.code} returned: the teacher may fix it before the deadline",
            ".review_page",
            competition_id=c.id,
            _anchor=f"entry-{entry.id}",
        )
    return done(
        f"{entry.code} 未通过形式审查，不参加评审",
        f"{entry.code} did not pass formal review and is not judged",
        ".review_page",
        competition_id=c.id,
        _anchor=f"entry-{entry.id}",
    )


# --- results, notice, objections ----------------------------------------------------------------


def _results(
    c: Competition,
    error: DomainError | None = None,
    *,
    phase_form: dict[str, str] | None = None,
    objection_form: dict[str, str] | None = None,
) -> tuple[str, int]:
    session = get_session()
    user = current_user()
    admin = policy.is_admin(user)
    preview = results.compute(session, c) if admin and c.phase == Phase.JUDGING else None
    published = None
    if c.phase in (Phase.NOTICE, Phase.FINAL):
        if not policy.can_see_results(user, c):
            raise NotFound("结果尚未公布", "The results are not published")
        published = _by_category(c, results.published_results(session, c))
    elif not admin:
        raise NotFound("结果尚未公布", "The results are not published")
    now = utcnow()
    notice_open = (
        c.phase == Phase.NOTICE and c.notice_ends_at is not None and now < aware(c.notice_ends_at)
    )
    return rendered(
        "competitions/results.html",
        error,
        c=c,
        preview=preview,
        published=published,
        notice_open=notice_open,
        notice_over=c.phase == Phase.NOTICE and not notice_open,
        mine=services.objections_of(session, c, user) if user is not None else [],
        rules=list(zip(TIE_BREAK_RULES_ZH, TIE_BREAK_RULES_EN, strict=True)),
        phase_form=phase_form or {},
        objection_form=objection_form or {},
        letters=[chr(ord("A") + i) for i in range(26)],
        authors=reports.authors,
        units=reports.units,
    )


def _by_category(c: Competition, rows: list[Any]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {name: [] for name in c.categories}
    for r in rows:
        grouped.setdefault(r.entry.category, []).append(r)
    return grouped


@bp.get("/competitions/<int:competition_id>/results")
@access(PUBLIC)
def results_page(competition_id: int) -> Page:
    return _results(load_competition(competition_id))


@bp.post("/competitions/<int:competition_id>/objection")
@access(SIGNED_IN)
def objection_page(competition_id: int) -> Page:
    c = load_competition(competition_id)
    data = {
        "entry_code": request.form.get("entry_code", ""),
        "reason": request.form.get("reason", ""),
    }
    _, error = attempt(
        lambda: services.lodge_objection(get_session(), require_user(), c, dict(data), utcnow())
    )
    if error is not None:
        return _results(c, error, objection_form=data)
    return done(
        "异议已提交，管理员答复后会在此页显示",
        "Objection lodged; the answer will appear on this page",
        ".results_page",
        competition_id=c.id,
        _anchor="my-objections",
    )


def _objections_page(
    c: Competition, error: DomainError | None = None, typed: dict[str, Any] | None = None
) -> tuple[str, int]:
    session = get_session()
    rows = services.objections_of(session, c, None)
    answerers = {o.answered_by_id for o in rows if o.answered_by_id}
    names = {
        u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(answerers)))
    }
    return rendered(
        "competitions/objections.html",
        error,
        c=c,
        rows=rows,
        names=names,
        typed=typed or {},
        open_status=ObjectionStatus.OPEN,
    )


@bp.get("/competitions/<int:competition_id>/objections")
@access(Role.ADMIN)
def objections_page(competition_id: int) -> Page:
    return _objections_page(load_competition(competition_id))


@bp.post("/competitions/<int:competition_id>/objections/<int:objection_id>/answer")
@access(Role.ADMIN)
def answer_page(competition_id: int, objection_id: int) -> Page:
    c = load_competition(competition_id)
    objection = get_session().get(Objection, objection_id)
    if objection is None or objection.competition_id != c.id:
        raise NotFound("找不到该异议", "No such objection")
    data = {
        "verdict": request.form.get("verdict", ""),
        "answer": request.form.get("answer", ""),
        "disqualify": "disqualify" in request.form,
    }
    _, error = attempt(
        lambda: services.answer_objection(get_session(), require_user(), objection, dict(data))
    )
    if error is not None:
        return _objections_page(c, error, dict(data, objection_id=objection.id))
    return done(
        "异议已答复并记入评比记录",
        "Objection answered and logged",
        ".objections_page",
        competition_id=c.id,
    )


# --- the winners' collection, certificates ------------------------------------------------------


@bp.get("/competitions/<int:competition_id>/collection")
@access(PUBLIC)
def collection_page(competition_id: int) -> Page:
    c = load_competition(competition_id)
    user = current_user()
    if not policy.is_admin(user) and (
        c.phase != Phase.FINAL or not policy.can_see_results(user, c)
    ):
        raise NotFound("结果确认后才有优秀成果汇编", "The collection follows the final results")
    session = get_session()
    awards = {r.entry_id: r.award for r in results.published_results(session, c)}
    groups: dict[str, dict[str, list[Entry]]] = {}
    for entry in reports.collection_items(session, c):
        award = awards.get(entry.id) or ""
        groups.setdefault(entry.category, {}).setdefault(award, []).append(entry)
    return render_template(
        "competitions/collection.html",
        c=c,
        groups=groups,
        published=ResourceStatus.PUBLISHED,
        units=reports.units,
    )


@bp.get("/certificates/<code>")
@access(PUBLIC)
def certificate_page(code: str) -> Page:
    try:
        cert = reports.verify(get_session(), code)
    except NotFound as exc:
        return rendered("competitions/certificate.html", exc, cert=None, code=code)
    return render_template("competitions/certificate.html", error=None, cert=cert, code=code)


__all__ = ["attempt", "bp", "done", "labels", "load_competition", "rendered"]
