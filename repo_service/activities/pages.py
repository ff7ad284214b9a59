"""Activity pages: the list with its filters and person-times, the form, an activity with its
attendance, sheet import and export, the QR code to show at the activity, and the page a
resident's phone opens from that code.

Views stay thin: a form becomes the data the services take, one service call decides, the
session commits and the page redirects with a message; a refusal re-renders the same page with
what was typed, the service's message and the error's status.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from repo_service.access import PUBLIC, SIGNED_IN, NotSignedIn, access, current_user, require_user
from repo_service.accounts.models import Role
from repo_service.activities import services, sheets
from repo_service.activities.models import ACTIVITY_KIND_LABELS, Activity, ActivityKind
from repo_service.activities.views import signin_url, uploaded_sheet
from repo_service.db import get_session
from repo_service.errors import InvalidInput
from repo_service.forms import attempt, done, rendered
from repo_service.qr import qr_svg
from repo_service.storage import content_disposition

bp = Blueprint("activities", __name__)

STAFF = (Role.ADMIN, Role.TEACHER)
Page = str | tuple[str, int] | BaseResponse
FORM_FIELDS = ("title", "kind", "day", "place", "organiser", "summary", "organisation_id")


def masked(mobile: str | None) -> str:
    """A mobile number as a list on a shared screen shows it: 138****5678."""
    if not mobile:
        return ""
    return mobile[:3] + "****" + mobile[-4:] if len(mobile) == 11 else mobile


@bp.context_processor
def labels() -> dict[str, Any]:
    return {
        "activity_kinds": ACTIVITY_KIND_LABELS,
        "attendance_sources": services.SOURCE_LABELS,
        "masked": masked,
        "street_name": services.street_name,
    }


def _activity(activity_id: int) -> Activity:
    return services.get_activity(get_session(), require_user(), activity_id)


def _download(body: bytes, name: str) -> Response:
    response = Response(body, mimetype=sheets.XLSX)
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the list -----------------------------------------------------------------------------------


@bp.get("/activities")
@access(*STAFF)
def list_page() -> Page:
    session = get_session()
    user = require_user()
    error: InvalidInput | None = None
    try:
        filters = services.parse_filters(request.args, default_year=services.today().year)
    except InvalidInput as exc:
        filters, error = services.Filters(), exc
    try:
        page = services.parse_page(request.args)
    except InvalidInput as exc:  # the first page, with the filters as asked
        page, error = 1, error or exc
    listed = services.list_activities(session, user, filters, page)
    # The filters as the list's links and the export carry them on.
    kept = {
        "year": "" if filters.year is None else filters.year,
        "street": filters.street_id or "",
        "kind": filters.kind.value if filters.kind else "",
    }
    return rendered(
        "activities/list.html",
        error,
        listed=listed,
        kept=kept,
        filters=filters,
        years=services.year_choices(session, user),
        streets=services.street_choices(session, user),
        kinds=list(ActivityKind),
    )


@bp.get("/activities.xlsx")
@access(*STAFF)
def list_export_page() -> Response:
    filters = services.parse_filters(request.args, default_year=services.today().year)
    body = services.list_xlsx(get_session(), require_user(), filters)
    year = "全部年度" if filters.year is None else f"{filters.year}年"
    return _download(body, f"线下活动{year}.xlsx")


# --- the form -----------------------------------------------------------------------------------


def _form_page(activity: Activity | None, values: dict[str, Any], error: Any) -> tuple[str, int]:
    session = get_session()
    return rendered(
        "activities/edit.html",
        error,
        activity=activity,
        values=values,
        kinds=list(ActivityKind),
        organisations=services.organisation_choices(session, require_user()),
    )


def _values(activity: Activity | None) -> dict[str, Any]:
    if activity is None:
        user = require_user()
        return {"day": services.today().isoformat(), "organisation_id": user.organisation_id}
    return {
        "title": activity.title,
        "kind": activity.kind.value,
        "day": activity.day.isoformat(),
        "place": activity.place,
        "organiser": activity.organiser,
        "summary": activity.summary,
        "organisation_id": activity.organisation_id,
    }


@bp.route("/activities/new", methods=["GET", "POST"])
@access(*STAFF)
def new_page() -> Page:
    if request.method == "GET":
        return _form_page(None, _values(None), None)
    data = {k: request.form.get(k, "") for k in FORM_FIELDS}
    made, error = attempt(lambda: services.create_activity(get_session(), require_user(), data))
    if made is None:
        return _form_page(None, data, error)
    return done(
        "活动已登记，可以出示签到二维码了",
        "The activity is recorded; you can show its sign-in QR code now",
        "activities.detail_page",
        activity_id=made.id,
    )


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@access(*STAFF)
def edit_page(activity_id: int) -> Page:
    activity = _activity(activity_id)
    if request.method == "GET":
        return _form_page(activity, _values(activity), None)
    data = {k: request.form.get(k, "") for k in FORM_FIELDS}
    _out, error = attempt(
        lambda: services.update_activity(get_session(), require_user(), activity, data)
    )
    if error is not None:
        return _form_page(activity, data, error)
    return done("已保存", "Saved", "activities.detail_page", activity_id=activity.id)


# --- one activity ---------------------------------------------------------------------------------


def _detail(activity: Activity, error: Any = None) -> tuple[str, int]:
    session = get_session()
    rows = services.attendances(session, activity)
    return rendered(
        "activities/detail.html",
        error,
        activity=activity,
        rows=rows,
        registered=sum(1 for a in rows if a.user_id is not None),
        signin_url=signin_url(activity),
        limits={"rows": sheets.MAX_ROWS, "mb": sheets.MAX_BYTES // (1024 * 1024)},
    )


@bp.get("/activities/<int:activity_id>")
@access(*STAFF)
def detail_page(activity_id: int) -> Page:
    return _detail(_activity(activity_id))


@bp.post("/activities/<int:activity_id>/import")
@access(*STAFF)
def import_page(activity_id: int) -> Page:
    activity = _activity(activity_id)
    data = uploaded_sheet() if request.files.get("file") else b""
    result, error = attempt(lambda: services.import_sheet(get_session(), activity, data))
    if result is None:
        return _detail(activity, error)
    zh, en = result.message()
    return done(zh, en, "activities.detail_page", activity_id=activity.id)


@bp.post("/activities/<int:activity_id>/sign-in-state")
@access(*STAFF)
def signin_state_page(activity_id: int) -> Page:
    activity = _activity(activity_id)
    open_ = request.form.get("open") == "1"
    services.set_signin(activity, open_=open_)
    get_session().commit()
    back = "activities.qr_page" if request.form.get("back") == "qr" else "activities.detail_page"
    if open_:
        return done("签到已重新开放", "Sign-in is open again", back, activity_id=activity.id)
    return done("签到已关闭", "Sign-in is closed", back, activity_id=activity.id)


@bp.post("/activities/<int:activity_id>/delete")
@access(*STAFF)
def delete_page(activity_id: int) -> Page:
    activity = _activity(activity_id)
    title = activity.title
    _out, error = attempt(lambda: services.delete_activity(get_session(), activity))
    if error is not None:
        return _detail(activity, error)
    return done(f"已删除活动“{title}”", f"Deleted {title!r}", "activities.list_page")


@bp.get("/activities/<int:activity_id>/qr")
@access(*STAFF)
def qr_page(activity_id: int) -> Page:
    activity = _activity(activity_id)
    url = signin_url(activity)
    label = f"签到二维码：{activity.title} / Sign-in QR code"
    return render_template(
        "activities/qr.html",
        activity=activity,
        signin_url=url,
        # The SVG is made here from the URL alone (escaped inside): safe to put in the page.
        qr=Markup(qr_svg(url, label)),  # noqa: S704
        count=services.attendance_count(get_session(), activity),
    )


@bp.get("/activities/<int:activity_id>/attendance.xlsx")
@access(*STAFF)
def export_page(activity_id: int) -> Response:
    activity = _activity(activity_id)
    body = services.attendance_xlsx(get_session(), activity)
    return _download(body, f"{activity.day.isoformat()}{activity.title}签到名单.xlsx")


@bp.get("/activities/sign-in-template.xlsx")
@access(*STAFF)
def template_page() -> Response:
    return _download(sheets.template_xlsx(), "活动签到表模板.xlsx")


# --- the page the QR code opens -------------------------------------------------------------------


@bp.get("/activities/sign-in/<secret>")
@access(PUBLIC)
def signin_page(secret: str) -> Page:
    """An unknown code or a closed sign-in says so before anyone has to sign in; otherwise a
    visitor signs in first and comes back here to confirm."""
    session = get_session()
    activity = services.activity_by_secret(session, secret)
    user = current_user()
    existing = services.attendance_of(session, user, activity) if user else None
    if existing is None and not activity.signin_open:
        raise services.closed_error(activity)
    if user is None:
        raise NotSignedIn("请先登录再签到", "Please sign in first, then confirm")
    return render_template("activities/signin.html", activity=activity, attendance=existing)


@bp.post("/activities/sign-in/<secret>")
@access(SIGNED_IN)
def signin_confirm_page(secret: str) -> Page:
    session = get_session()
    activity = services.activity_by_secret(session, secret)
    out, error = attempt(lambda: services.sign_in(session, require_user(), activity))
    if out is None:
        return rendered("activities/signin.html", error, activity=activity, attendance=None)
    _attendance, new = out
    if new:
        flash("签到成功|You are signed in")
    else:
        flash("您已签到，无需重复签到|You had already signed in; nothing was added")
    return redirect(url_for("activities.signin_page", secret=secret))
