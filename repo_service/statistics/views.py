"""Dashboards of the year's targets (admins; an admin of a street centre sees that street), the
populations they are measured against, and the XLSX export of every table."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request
from openpyxl import Workbook
from sqlalchemy import select
from werkzeug.wrappers.response import Response as BaseResponse

from repo_service.access import access, require_user
from repo_service.accounts.models import Organisation, OrgKind, Role, User
from repo_service.accounts.services import find_organisation
from repo_service.activities.models import ACTIVITY_KIND_LABELS, ActivityKind
from repo_service.api import documented, request_data
from repo_service.db import get_session
from repo_service.errors import Forbidden, InvalidInput
from repo_service.forms import attempt, done
from repo_service.learning.services import today
from repo_service.policy import street_of
from repo_service.statistics import queries
from repo_service.statistics.models import Population, YearTargets
from repo_service.vocabulary.services import Vocabulary, audiences, english_names

bp = Blueprint("statistics", __name__)
TAG = "statistics"


def own_street(user: User) -> Organisation | None:
    """The street an admin of a street centre (or of a school under it) is limited to; None for
    the district college's admins, who see every street."""
    street = street_of(user.organisation)
    return None if street.kind == OrgKind.DISTRICT else street


def _year() -> int:
    raw = request.args.get("year") or str(today().year)
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise InvalidInput("年份应为 2000–2100", "The year must be 2000-2100", field="year")
    return int(raw)


def _audience() -> str | None:
    audience = (request.args.get("audience") or "").strip() or None
    if audience is not None and audience not in english_names(get_session(), Vocabulary.AUDIENCES):
        raise InvalidInput(
            f"没有“{audience}”这个对象", f"Unknown audience {audience!r}", field="audience"
        )
    return audience


def _street(user: User) -> Organisation | None:
    """The street asked for (``?street=``), within what this admin may see."""
    limit = own_street(user)
    name = (request.args.get("street") or "").strip()
    if not name:
        return limit
    street = find_organisation(get_session(), name)
    if street.kind != OrgKind.STREET:
        raise InvalidInput(f"“{name}”不是街道", f"{name!r} is not a street", field="street")
    if limit is not None and street.id != limit.id:
        raise Forbidden("您只能查看本街道的统计", "You may only see your own street's figures")
    return street


def dashboard_data(user: User) -> dict[str, Any]:
    session = get_session()
    year, audience, street = _year(), _audience(), _street(user)
    scope = queries.scope_of(session, street, year, audience)
    target = queries.targets(session, year)
    counts = queries.tallies(session, scope)  # by organisation: the streets' rows add them up
    return {
        "year": year,
        "street": street.name if street else None,
        "audience": audience,
        "targets": {
            "participation_pct": target.participation_pct,
            "elderly_pct": target.elderly_pct,
            "sannong_times": target.sannong_times,
            "continuing_pct": target.continuing_pct,
            "online_learners": target.online_learners,
        },
        "figures": queries.figures(session, scope, street, counts=queries.total(counts)),
        "last_year_online_learners": queries.online_learners(
            session, queries.scope_of(session, street, year - 1, audience)
        ),
        "streets": queries.by_street(session, year, audience, counts) if street is None else [],
        "top_courses": queries.top_courses(session, scope),
        "activities": queries.activities_by_kind(session, scope),
        "competitions": queries.competition_figures(session, scope),
    }


ADMINS = (Role.ADMIN,)


@bp.get("/api/v1/statistics/dashboard")
@access(*ADMINS)
@documented(
    "年度目标与完成情况（全区或本街道）",
    "The year's targets and where the district (or a street) stands",
    tag=TAG,
    query={"year": "年份", "street": "街道（如 东山）", "audience": "对象（筛选线上学习）"},
)
def dashboard_api() -> Response:
    return jsonify(dashboard_data(require_user()))


@bp.get("/admin/dashboard")
@access(*ADMINS)
def dashboard_page() -> str:
    user = require_user()
    data = dashboard_data(user)
    return render_template(
        "statistics/dashboard.html",
        data=data,
        kinds={k.value: v for k, v in ACTIVITY_KIND_LABELS.items()},
        street_names=[s.name for s in queries.streets(get_session())]
        if own_street(user) is None
        else [],
        audiences=audiences(get_session()),
    )


SHEETS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "各街道",
        [
            ("street", "街道"),
            ("participants", "参与人数"),
            ("participation_pct", "参与率%"),
            ("elderly_participants", "老年参与人数"),
            ("elderly_pct", "老年覆盖率%"),
            ("sannong_person_times", "三农培训人次"),
            ("employed_participants", "从业人员参与人数"),
            ("continuing_pct", "继续教育参与率%"),
            ("online_learners", "实名线上学习人数"),
            ("minutes_watched", "观看分钟"),
            ("live_learners", "直播学习人数"),
            ("activity_person_times", "线下活动人次"),
        ],
    ),
    ("热门课程", [("title", "课程"), ("minutes", "观看分钟"), ("learners", "学习人数")]),
    ("线下活动", [("kind", "类别"), ("activities", "活动数"), ("person_times", "人次")]),
]


@bp.get("/admin/dashboard.xlsx")
@access(*ADMINS)
def dashboard_xlsx() -> Response:
    data = dashboard_data(require_user())
    book = Workbook()
    summary = book.active
    summary.title = "总览"
    summary.append(["年份", data["year"]])
    summary.append(["范围", data["street"] or "全区"])
    if data["audience"]:
        summary.append(["对象", data["audience"]])
    for key, value in data["figures"].items():
        if key not in {"population", "year", "scope", "audience"}:
            summary.append([key, value])
    pop = data["figures"]["population"]
    if pop:
        summary.append(["常住居民（来源）", pop["residents"], pop["source"]])
        summary.append(["老年人口", pop["elderly"]])
        summary.append(["从业人员", pop["employed"]])
    rows = {
        "各街道": data["streets"] or [{"street": data["street"], **data["figures"]}],
        "热门课程": data["top_courses"],
        "线下活动": [
            {**r, "kind": ACTIVITY_KIND_LABELS[ActivityKind(r["kind"])][0]}
            for r in data["activities"]
        ],
    }
    for title, columns in SHEETS:
        sheet = book.create_sheet(title)
        sheet.append([label for _, label in columns])
        for row in rows[title]:
            # Text stays text: a value starting with "=" is never read as a formula.
            sheet.append([_cell(row.get(key)) for key, _ in columns])
    out = io.BytesIO()
    book.save(out)
    name = f"dashboard-{data['year']}.xlsx"
    return Response(
        out.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value
    return value


# --- populations and targets ---------------------------------------------------------------------


def save_year(session: Any, user: User, year: int, data: dict[str, Any]) -> None:
    """Targets (district admins) and the populations of the streets an admin may see."""
    limit = own_street(user)
    if limit is None and "targets" in data:
        t = data["targets"] or {}
        row = session.get(YearTargets, year) or YearTargets(year=year)
        for key, low, high in (
            ("participation_pct", 0, 100),
            ("elderly_pct", 0, 100),
            ("continuing_pct", 0, 100),
            ("sannong_times", 0, 10**7),
            ("online_learners", 0, 10**8),
        ):
            if key in t:
                setattr(row, key, _bounded(t[key], key, low, high))
        session.add(row)
    for item in data.get("populations") or []:
        org = session.get(
            Organisation, int(_bounded(item.get("organisation_id"), "organisation_id", 1, 10**9))
        )
        if org is None or org.kind not in {OrgKind.STREET, OrgKind.DISTRICT}:
            raise InvalidInput(
                "只能为街道或全区填写人口数",
                "Populations are per street or district",
                field="organisation_id",
            )
        if limit is not None and org.id != limit.id:
            raise Forbidden("您只能填写本街道的人口数", "You may only enter your own street's")
        source = str(item.get("source") or "").strip()
        numbers = {
            k: int(_bounded(item.get(k), k, 0, 10**8)) for k in ("residents", "elderly", "employed")
        }
        if not any(numbers.values()):
            continue  # an empty row of the form
        if not source or len(source) > 300:
            raise InvalidInput(
                f"请注明{org.name}人口数的来源（如：2025 年统计年鉴）",
                f"Say where {org.name}'s numbers come from",
                field="source",
            )
        if numbers["elderly"] > numbers["residents"] or numbers["employed"] > numbers["residents"]:
            raise InvalidInput(
                f"{org.name}：老年人口和从业人员不能多于常住居民",
                f"{org.name}: elderly and employed cannot exceed residents",
                field="residents",
            )
        row = session.scalar(
            select(Population).where(Population.year == year, Population.organisation_id == org.id)
        ) or Population(year=year, organisation_id=org.id)
        row.residents, row.elderly, row.employed = (
            numbers["residents"],
            numbers["elderly"],
            numbers["employed"],
        )
        row.source = source
        row.updated_by_id = user.id
        session.add(row)
    session.flush()


def _bounded(value: Any, field: str, low: float, high: float) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise InvalidInput(
            f"{field} 必须是数字", f"{field} must be a number", field=field
        ) from None
    if not low <= number <= high:
        raise InvalidInput(f"{field} 超出范围", f"{field} is out of range", field=field)
    return number


@bp.put("/api/v1/statistics/years/<int:year>")
@access(*ADMINS)
@documented(
    "填写某年的目标（区管理员）和各街道人口数（含来源）",
    "Enter a year's targets (district admins) and the streets' populations with their source",
    tag=TAG,
    body={
        "targets": "{participation_pct, elderly_pct, sannong_times, continuing_pct, "
        "online_learners}",
        "populations": "[{organisation_id, residents, elderly, employed, source}]",
    },
)
def save_year_api(year: int) -> Response:
    session = get_session()
    save_year(session, require_user(), year, request_data())
    session.commit()
    return jsonify({"ok": True})


@bp.get("/admin/populations")
@access(*ADMINS)
def populations_page() -> str:
    user = require_user()
    year = _year()
    return _populations(user, year, None)


def _populations(user: User, year: int, error: Any) -> Any:
    session = get_session()
    limit = own_street(user)
    orgs = [limit] if limit else queries.streets(session)
    rows = {
        p.organisation_id: p
        for p in session.scalars(select(Population).where(Population.year == year)).all()
    }
    return render_template(
        "statistics/populations.html",
        year=year,
        orgs=orgs,
        rows=rows,
        targets=queries.targets(session, year),
        district=limit is None,
        error=error,
    ), (error.status if error else 200)


@bp.post("/admin/populations")
@access(*ADMINS)
def populations_form() -> BaseResponse | tuple[str, int]:
    user = require_user()
    year = _year()
    form = request.form
    data: dict[str, Any] = {
        "targets": {
            k: form[k]
            for k in (
                "participation_pct",
                "elderly_pct",
                "sannong_times",
                "continuing_pct",
                "online_learners",
            )
            if form.get(k)
        },
        "populations": [
            {
                "organisation_id": org_id,
                "residents": form.get(f"residents_{org_id}") or 0,
                "elderly": form.get(f"elderly_{org_id}") or 0,
                "employed": form.get(f"employed_{org_id}") or 0,
                "source": form.get(f"source_{org_id}", ""),
            }
            for org_id in form.getlist("org")
        ],
    }
    _, error = attempt(lambda: save_year(get_session(), user, year, data))
    if error is not None:
        return _populations(user, year, error)
    return done("已保存", "Saved", "statistics.dashboard_page", year=year)
