"""The activities JSON API: recording activities, their attendance, the sign-in sheet import
and the QR sign-in."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from repo_service import policy
from repo_service.access import SIGNED_IN, access, require_user
from repo_service.accounts.models import Role
from repo_service.activities import services, sheets
from repo_service.activities.models import ACTIVITY_KIND_LABELS, Activity, Attendance
from repo_service.api import documented, request_data
from repo_service.db import get_session
from repo_service.errors import InvalidInput

bp = Blueprint("activities_api", __name__)

STAFF = (Role.ADMIN, Role.TEACHER)


def signin_url(activity: Activity) -> str:
    """The absolute address the activity's QR code holds."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    path = url_for("activities.signin_page", secret=activity.signin_secret)
    return str(base).rstrip("/") + path


def activity_json(activity: Activity, attendance: int | None = None) -> dict[str, Any]:
    zh, en = ACTIVITY_KIND_LABELS[activity.kind]
    street = policy.street_of(activity.organisation)
    return {
        "id": activity.id,
        "title": activity.title,
        "kind": activity.kind.value,
        "kind_label": zh,
        "kind_label_en": en,
        "day": activity.day.isoformat(),
        "place": activity.place,
        "organiser": activity.organiser,
        "summary": activity.summary,
        "organisation_id": activity.organisation_id,
        "organisation": activity.organisation.name,
        "street_id": street.id,
        "street": street.name,
        "signin_open": activity.signin_open,
        "signin_url": signin_url(activity),
        "attendance": attendance,
        "created_at": activity.created_at.isoformat(),
    }


def attendance_json(a: Attendance) -> dict[str, Any]:
    zh, en = services.SOURCE_LABELS.get(a.source, (a.source, a.source))
    return {
        "id": a.id,
        "name": a.name,
        "mobile": a.mobile,
        "birth_year": a.birth_year,
        "user_id": a.user_id,
        "source": a.source,
        "source_label": zh,
        "source_label_en": en,
        "created_at": a.created_at.isoformat(),
    }


def uploaded_sheet() -> bytes:
    """The sheet posted in the form field ``file``, read no further than the size limit."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise InvalidInput(
            "请选择要导入的签到表（.xlsx）", "Choose the sign-in sheet (.xlsx)", field="file"
        )
    return upload.stream.read(sheets.MAX_BYTES + 1)


def _activity(activity_id: int) -> Activity:
    return services.get_activity(get_session(), require_user(), activity_id)


FIELDS_DOC = {
    "title": "string",
    "kind": "string",
    "day": "string",
    "place": "string",
    "organiser": "string",
    "summary": "string",
    "organisation_id": "integer",
}


@bp.get("/api/v1/activities")
@access(*STAFF)
@documented(
    f"线下活动列表（本街道；区社区学院为全部），新的在前，每页 {services.PER_PAGE} 场，含签到人次；"
    "count、total_attendance 为全部符合条件的活动的场数和人次",
    f"Offline activities (your street's; the district's: all), newest first, "
    f"{services.PER_PAGE} a page, with their person-times; count and total_attendance are of "
    "every activity that matches",
    tag="activities",
    query={"year": "integer", "street": "integer", "kind": "string", "page": "integer"},
)
def list_activities() -> Response:
    session = get_session()
    filters = services.parse_filters(request.args)
    listed = services.list_activities(
        session, require_user(), filters, services.parse_page(request.args)
    )
    return jsonify(
        activities=[activity_json(a, n) for a, n in listed.rows],
        count=listed.count,
        total_attendance=listed.person_times,
        page=listed.page,
        pages=listed.pages,
        per_page=services.PER_PAGE,
    )


@bp.post("/api/v1/activities")
@access(*STAFF)
@documented(
    "登记线下活动（kind：sannong 三农培训、elderly 老年教育、family 家庭教育、continuing "
    "继续教育、youth 青少年校外教育、party 党员教育、other 其他；day：YYYY-MM-DD）",
    "Record an offline activity (kind: sannong, elderly, family, continuing, youth, party, "
    "other; day: YYYY-MM-DD; organisation_id: yours when left out)",
    tag="activities",
    body=FIELDS_DOC,
)
def create_activity() -> tuple[Response, int]:
    session = get_session()
    activity = services.create_activity(session, require_user(), request_data())
    session.commit()
    return jsonify(activity=activity_json(activity, 0)), 201


@bp.get("/api/v1/activities/<int:activity_id>")
@access(*STAFF)
@documented("线下活动详情", "An offline activity", tag="activities")
def read_activity(activity_id: int) -> Response:
    activity = _activity(activity_id)
    count = services.attendance_count(get_session(), activity)
    return jsonify(activity=activity_json(activity, count))


@bp.patch("/api/v1/activities/<int:activity_id>")
@access(*STAFF)
@documented(
    "修改线下活动；signin_open=false 关闭签到",
    "Edit an offline activity; signin_open=false closes the sign-in",
    tag="activities",
    body={**FIELDS_DOC, "signin_open": "boolean"},
)
def update_activity(activity_id: int) -> Response:
    session = get_session()
    activity = _activity(activity_id)
    services.update_activity(session, require_user(), activity, request_data())
    session.commit()
    return jsonify(activity=activity_json(activity, services.attendance_count(session, activity)))


@bp.delete("/api/v1/activities/<int:activity_id>")
@access(*STAFF)
@documented(
    "删除线下活动（仅限尚无人签到的活动）",
    "Delete an offline activity (only while nobody has signed in)",
    tag="activities",
)
def delete_activity(activity_id: int) -> tuple[str, int]:
    session = get_session()
    services.delete_activity(session, _activity(activity_id))
    session.commit()
    return "", 204


@bp.get("/api/v1/activities/<int:activity_id>/attendance")
@access(*STAFF)
@documented("活动签到名单", "Who signed in to an activity", tag="activities")
def list_attendance(activity_id: int) -> Response:
    activity = _activity(activity_id)
    rows = services.attendances(get_session(), activity)
    return jsonify(attendance=[attendance_json(a) for a in rows], count=len(rows))


@bp.post("/api/v1/activities/<int:activity_id>/attendance/import")
@access(*STAFF)
@documented(
    "导入签到表（XLSX，表头：姓名、手机号、出生年份可选；任一行有误则整表不导入，"
    "错误按行列出；已签到者跳过）",
    "Import a sign-in sheet (XLSX with 姓名, 手机号 and optionally 出生年份; one bad row and "
    "nothing is imported, errors listed by row; people already signed in are skipped)",
    tag="activities",
    body={"file": "file"},
)
def import_attendance(activity_id: int) -> Response:
    session = get_session()
    activity = _activity(activity_id)
    result = services.import_sheet(session, activity, uploaded_sheet())
    session.commit()
    return jsonify(result.as_dict())


@bp.post("/api/v1/activities/sign-in/<secret>")
@access(SIGNED_IN)
@documented(
    "扫码签到（重复签到不重复计数）",
    "Sign in to an activity by its QR code (signing in again counts once)",
    tag="activities",
)
def sign_in(secret: str) -> tuple[Response, int]:
    session = get_session()
    activity = services.activity_by_secret(session, secret)
    attendance, new = services.sign_in(session, require_user(), activity)
    session.commit()
    body = {
        "activity": {"title": activity.title, "day": activity.day.isoformat()},
        "attendance": attendance_json(attendance),
        "already_signed_in": not new,
    }
    return jsonify(body), 201 if new else 200
