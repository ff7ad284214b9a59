"""Offline activities: recording them, the QR sign-in, the sign-in sheet import and the lists.

Every function takes the session and the acting user. Who may touch which activity is decided in
``repo_service.policy``: admins and teachers manage the activities of their own street (a
street centre and the schools under it), the district college's staff those of every street. An
activity out of reach is "not found", so its existence is not disclosed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from repo_service import policy
from repo_service.accounts.models import Organisation, OrgKind, User
from repo_service.activities import sheets
from repo_service.activities.models import ACTIVITY_KIND_LABELS, Activity, ActivityKind, Attendance
from repo_service.db import aware, utcnow
from repo_service.errors import Conflict, Forbidden, InvalidInput, NotFound

LOCAL = ZoneInfo("Asia/Shanghai")
FIRST_DAY = dt.date(2000, 1, 1)
DAYS_AHEAD = 366  # an activity may be recorded up to a year before it takes place
LIMITS = {"title": 200, "place": 200, "organiser": 100, "summary": 5000}
SOURCE_LABELS = {"qr": ("扫码签到", "QR code"), "xlsx": ("表格导入", "Sheet import")}


class SigninClosed(Conflict):
    code = "signin_closed"


class HasAttendance(Conflict):
    code = "has_attendance"


class OutsideStreet(Forbidden):
    code = "outside_street"


def today() -> dt.date:
    return utcnow().astimezone(LOCAL).date()


def local(moment: dt.datetime) -> str:
    return aware(moment).astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")


# --- the fields of an activity -------------------------------------------------------------------

_NAMES = {
    "title": ("活动名称", "Title"),
    "kind": ("活动类型", "Kind"),
    "place": ("活动地点", "Place"),
    "day": ("活动日期", "Date"),
    "organiser": ("主讲人或组织者", "Organiser"),
    "summary": ("活动简介", "Summary"),
    "organisation_id": ("举办单位", "Organisation"),
    "signin_open": ("签到状态", "Sign-in"),
}


def _text(data: Mapping[str, Any], key: str, *, required: bool) -> str:
    zh, en = _NAMES[key]
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{zh}应为文字", f"{en} must be text", field=key)
    text = (value or "").strip()
    if "\x00" in text:
        raise InvalidInput(f"{zh}含有非法字符", f"{en} contains a forbidden character", field=key)
    if required and not text:
        raise InvalidInput(f"请填写{zh}", f"{en} is required", field=key)
    limit = LIMITS[key]
    if len(text) > limit:
        raise InvalidInput(
            f"{zh}不能超过 {limit} 个字符", f"{en} must be at most {limit} characters", field=key
        )
    return text


def _kind(raw: Any) -> ActivityKind:
    try:
        return ActivityKind(str(raw or "").strip())
    except ValueError:
        choices = "、".join(zh for zh, _en in ACTIVITY_KIND_LABELS.values())
        raise InvalidInput(
            f"请选择活动类型（{choices}）",
            f"Choose a kind: {', '.join(k.value for k in ActivityKind)}",
            field="kind",
        ) from None


def _day(raw: Any) -> dt.date:
    text = str(raw or "").strip()
    if not text:
        raise InvalidInput("请填写活动日期", "The date is required", field="day")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "活动日期格式不正确（例如 2026-03-01）",
            "The date must look like 2026-03-01",
            field="day",
        ) from None
    last = today() + dt.timedelta(days=DAYS_AHEAD)
    if not FIRST_DAY <= day <= last:
        raise InvalidInput(
            f"活动日期应在 {FIRST_DAY} 至 {last} 之间",
            f"The date must be from {FIRST_DAY} to {last}",
            field="day",
        )
    return day


def _organisation(session: Session, user: User, raw: Any) -> Organisation:
    if isinstance(raw, bool):
        raw = None
    try:
        org_id = int(str(raw).strip()) if isinstance(raw, (int, str)) else 0
    except ValueError:
        org_id = 0
    org = session.get(Organisation, org_id) if 0 < org_id < 2**63 else None
    if org is None:
        raise InvalidInput("请选择举办单位", "Choose the organisation", field="organisation_id")
    if not policy.can_hold_activity(user, org):
        raise OutsideStreet(
            "只能为本街道社区教育中心及其下属居民学校登记活动",
            "You may record activities of your own street centre and its schools only",
            field="organisation_id",
        )
    return org


def _signin_open(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "on", "open"}:
        return True
    if text in {"0", "false", "off", "closed"}:
        return False
    raise InvalidInput(
        "签到状态应为 true（开放）或 false（关闭）",
        "signin_open must be true or false",
        field="signin_open",
    )


def _apply(session: Session, user: User, activity: Activity, data: Mapping[str, Any]) -> None:
    """Set the fields present in ``data`` (a new activity: every required one)."""
    new = activity.id is None
    if "title" in data or new:
        activity.title = _text(data, "title", required=True)
    if "kind" in data or new:
        activity.kind = _kind(data.get("kind"))
    if "day" in data or new:
        activity.day = _day(data.get("day"))
    for key in ("place", "organiser", "summary"):
        if key in data or new:
            setattr(activity, key, _text(data, key, required=False))
    if "organisation_id" in data:
        activity.organisation = _organisation(session, user, data["organisation_id"])
        activity.organisation_id = activity.organisation.id
    elif new:
        activity.organisation = user.organisation
        activity.organisation_id = user.organisation_id
    if "signin_open" in data:
        activity.signin_open = _signin_open(data["signin_open"])


# --- recording activities ------------------------------------------------------------------------


def get_activity(session: Session, user: User, activity_id: int) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None or not policy.can_manage_activity(user, activity):
        raise NotFound("找不到该活动", "No such activity")
    return activity


def create_activity(session: Session, user: User, data: Mapping[str, Any]) -> Activity:
    activity = Activity(created_by_id=user.id)
    _apply(session, user, activity, data)
    session.add(activity)
    session.flush()
    return activity


def update_activity(
    session: Session, user: User, activity: Activity, data: Mapping[str, Any]
) -> None:
    _apply(session, user, activity, data)
    session.flush()


def set_signin(activity: Activity, *, open_: bool) -> None:
    activity.signin_open = open_


def attendance_count(session: Session, activity: Activity) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Attendance)
            .where(Attendance.activity_id == activity.id)
        )
        or 0
    )


def delete_activity(session: Session, activity: Activity) -> None:
    """Only an activity nobody has signed in to: a person-time, once counted, stays."""
    count = attendance_count(session, activity)
    if count:
        raise HasAttendance(
            f"该活动已有 {count} 人次签到，不能删除；如不再签到，请关闭签到",
            f"{count} people have signed in to this activity, so it cannot be deleted; "
            "close the sign-in instead",
            attendance=count,
        )
    session.delete(activity)
    session.flush()


# --- lists ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    street_id: int | None = None
    kind: ActivityKind | None = None


def parse_filters(args: Mapping[str, str], *, default_year: int | None = None) -> Filters:
    """``year`` (empty: every year), ``street`` (an organisation id), ``kind``."""
    year_text = (args.get("year") if "year" in args else str(default_year or "")) or ""
    year = None
    if year_text.strip():
        try:
            year = int(year_text)
        except ValueError:
            year = 0
        if not FIRST_DAY.year <= year <= today().year + 1:
            raise InvalidInput("年份无效", "The year is not valid", field="year")
    street_id = None
    if (args.get("street") or "").strip():
        try:
            street_id = int(args["street"])
        except ValueError:
            raise InvalidInput("街道无效", "The street is not valid", field="street") from None
    kind = _kind(args["kind"]) if (args.get("kind") or "").strip() else None
    return Filters(year=year, street_id=street_id, kind=kind)


def _filtered(session: Session, user: User, filters: Filters) -> Select[Any]:
    query = policy.activities_of(user)
    if filters.year is not None:
        query = query.where(
            Activity.day >= dt.date(filters.year, 1, 1),
            Activity.day < dt.date(filters.year + 1, 1, 1),
        )
    if filters.street_id is not None:
        street = session.get(Organisation, filters.street_id)
        if street is None:
            raise InvalidInput("街道无效", "The street is not valid", field="street")
        query = query.where(Activity.organisation_id.in_(policy.organisations_in(street)))
    if filters.kind is not None:
        query = query.where(Activity.kind == filters.kind)
    return query


PER_PAGE = 50


def parse_page(args: Mapping[str, str]) -> int:
    """``page``: a whole number from 1 (1 when left out)."""
    text = (args.get("page") or "").strip() or "1"
    page = int(text) if text.isdigit() and len(text) <= 6 else 0
    if page < 1:
        raise InvalidInput(
            "页码必须是从 1 开始的整数", "The page must be a whole number from 1", field="page"
        )
    return page


@dataclass(frozen=True)
class ActivityList:
    """One page of the activities that match (all of them when no page was asked for), and
    what all of them add up to."""

    rows: list[tuple[Activity, int]]  # each activity with its person-times
    count: int  # activities that match, on every page
    person_times: int  # their sign-ins, on every page
    page: int
    pages: int


def list_activities(
    session: Session, user: User, filters: Filters, page: int | None = 1
) -> ActivityList:
    """The activities ``user`` manages that match, newest first, each with its person-times:
    page ``page`` of ``PER_PAGE``, or every one when ``page`` is None (the export)."""
    filtered = _filtered(session, user, filters)
    matching = filtered.subquery()
    count = session.scalar(select(func.count()).select_from(matching)) or 0
    person_times = (
        session.scalar(
            select(func.count())
            .select_from(Attendance)
            .where(Attendance.activity_id.in_(select(matching.c.id)))
        )
        or 0
    )
    signed = (
        select(func.count())
        .where(Attendance.activity_id == Activity.id)
        .correlate(Activity)
        .scalar_subquery()
    )
    query = (
        filtered.add_columns(signed)
        .options(selectinload(Activity.organisation))
        .order_by(Activity.day.desc(), Activity.id.desc())
    )
    if page is None:
        page, pages = 1, 1
    else:
        query = query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)
        pages = max(1, -(-count // PER_PAGE))
    rows = [(row[0], int(row[1])) for row in session.execute(query).all()]
    return ActivityList(rows, count, person_times, page, pages)


def list_xlsx(session: Session, user: User, filters: Filters) -> bytes:
    """Every activity that matches, as the list shows them, with their person-times."""
    listed = list_activities(session, user, filters, page=None)
    return sheets.activities_xlsx(
        [
            sheets.ActivityLine(
                day=a.day,
                title=a.title,
                kind=ACTIVITY_KIND_LABELS[a.kind][0],
                organisation=a.organisation.name,
                street=street_name(a),
                place=a.place,
                organiser=a.organiser,
                person_times=n,
            )
            for a, n in listed.rows
        ]
    )


def street_choices(session: Session, user: User) -> list[Organisation]:
    """The streets a user may filter by: her own, or (district staff) every street."""
    street = policy.street_scope(user)
    if street is not None:
        return [street]
    return list(
        session.scalars(
            select(Organisation)
            .where(Organisation.kind == OrgKind.STREET)
            .order_by(Organisation.id)
        )
    )


def organisation_choices(session: Session, user: User) -> list[Organisation]:
    """The organisations a user may record an activity for."""
    query = select(Organisation).order_by(Organisation.id)
    street = policy.street_scope(user)
    if street is not None:
        query = query.where(Organisation.id.in_(policy.organisations_in(street)))
    return list(session.scalars(query))


def year_choices(session: Session, user: User) -> list[int]:
    """Every year from the first activity in reach to this one, newest first."""
    first = session.scalar(
        policy.activities_of(user).with_only_columns(func.min(Activity.day)).order_by(None)
    )
    start = min(first.year if first else today().year, today().year)
    return list(range(today().year, start - 1, -1))


def street_name(activity: Activity) -> str:
    return policy.street_of(activity.organisation).name


# --- signing in by QR code ----------------------------------------------------------------------


def activity_by_secret(session: Session, secret: str) -> Activity:
    activity = (
        session.scalar(select(Activity).where(Activity.signin_secret == secret))
        if 0 < len(secret) <= 40
        else None
    )
    if activity is None:
        raise NotFound(
            "签到二维码无效：请向活动组织者确认",
            "This sign-in code is not valid: ask the organiser",
        )
    return activity


def closed_error(activity: Activity) -> SigninClosed:
    return SigninClosed(
        f"“{activity.title}”的签到已结束，如需补签请联系活动组织者",
        f"Sign-in for {activity.title!r} has closed; ask the organiser to add you",
    )


def attendance_of(session: Session, user: User, activity: Activity) -> Attendance | None:
    """The user's sign-in at the activity: by her account, or by her mobile from a sheet."""
    matches = [Attendance.user_id == user.id]
    if user.mobile:
        matches.append(Attendance.mobile == user.mobile)
    return session.scalar(
        select(Attendance)
        .where(Attendance.activity_id == activity.id, or_(*matches))
        .order_by(Attendance.id)
        .limit(1)
    )


def sign_in(session: Session, user: User, activity: Activity) -> tuple[Attendance, bool]:
    """Sign ``user`` in once: (her attendance, whether it is new). Signing in again changes
    nothing; a sheet row with her mobile number is linked to her account instead."""
    existing = attendance_of(session, user, activity)
    if existing is not None:
        if existing.user_id is None:
            existing.user_id = user.id
            session.flush()
        return existing, False
    if not activity.signin_open:
        raise closed_error(activity)
    attendance = Attendance(
        activity_id=activity.id,
        user_id=user.id,
        name=user.display_name,
        mobile=user.mobile,
        birth_year=user.birth_year,
        source="qr",
    )
    session.add(attendance)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        # The same person twice at once (a double tap): the other request signed her in.
        session.expunge(attendance)
        existing = attendance_of(session, user, activity)
        if existing is None:
            raise Conflict(
                "签到未完成，请再试一次", "The sign-in did not go through; try again"
            ) from None
        return existing, False
    return attendance, True


# --- the sign-in sheet ----------------------------------------------------------------------------


@dataclass
class ImportResult:
    added: int = 0
    linked: int = 0
    duplicates: list[sheets.SheetRow] = field(default_factory=list)

    def message(self) -> tuple[str, str]:
        zh = f"已导入 {self.added} 人次，其中 {self.linked} 人关联了注册用户"
        en = f"Imported {self.added} sign-ins, {self.linked} of them linked to registered users"
        if self.duplicates:
            rows = "、".join(str(d.row) for d in self.duplicates[:20])
            more = " 等" if len(self.duplicates) > 20 else ""
            zh += f"；{len(self.duplicates)} 行此前已签到，已跳过（第 {rows} 行{more}）"
            en += (
                f"; {len(self.duplicates)} row(s) already signed in were skipped "
                f"(row {', '.join(str(d.row) for d in self.duplicates[:20])}{more and ' …'})"
            )
        return zh, en

    def as_dict(self) -> dict[str, Any]:
        zh, en = self.message()
        return {
            "added": self.added,
            "linked": self.linked,
            "duplicates": [
                {"row": d.row, "name": d.name, "mobile": d.mobile} for d in self.duplicates
            ],
            "message": zh,
            "message_en": en,
        }


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def import_sheet(session: Session, activity: Activity, data: bytes) -> ImportResult:
    """Add every row of a filled sign-in sheet, or none (see ``sheets.read_sheet``).

    A row whose mobile number is a registered user's is linked to her account; a row of someone
    already signed in (by QR code or an earlier sheet) is skipped and reported, not an error.
    """
    rows = sheets.read_sheet(data, today().year)
    users: dict[str, User] = {}
    for chunk in _chunks([r.mobile for r in rows]):
        users.update(
            (u.mobile, u)
            for u in session.scalars(select(User).where(User.mobile.in_(chunk)))
            if u.mobile
        )
    present = session.execute(
        select(Attendance.mobile, Attendance.user_id).where(Attendance.activity_id == activity.id)
    ).all()
    present_mobiles = {m for m, _u in present if m}
    present_users = {u for _m, u in present if u}
    result = ImportResult()
    for row in rows:
        user = users.get(row.mobile)
        if row.mobile in present_mobiles or (user is not None and user.id in present_users):
            result.duplicates.append(row)
            continue
        session.add(
            Attendance(
                activity_id=activity.id,
                user_id=user.id if user else None,
                name=row.name,
                mobile=row.mobile,
                birth_year=row.birth_year or (user.birth_year if user else None),
                source="xlsx",
            )
        )
        result.added += 1
        result.linked += user is not None
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict(
            "导入时恰有人扫码签到，未导入任何一行；请再导入一次",
            "Someone signed in by QR code during the import; nothing was imported: import again",
        ) from None
    return result


# --- attendance lists ----------------------------------------------------------------------------


def attendances(session: Session, activity: Activity) -> list[Attendance]:
    return list(
        session.scalars(
            select(Attendance)
            .where(Attendance.activity_id == activity.id)
            .order_by(Attendance.created_at, Attendance.id)
        )
    )


def attendance_xlsx(session: Session, activity: Activity) -> bytes:
    kind_zh, _en = ACTIVITY_KIND_LABELS[activity.kind]
    about = (
        ("活动名称", activity.title),
        ("活动类型", kind_zh),
        ("活动日期", activity.day.isoformat()),
        ("活动地点", activity.place),
        ("举办单位", activity.organisation.name),
        ("所属街道", street_name(activity)),
        ("主讲人或组织者", activity.organiser),
    )
    lines = [
        sheets.AttendanceLine(
            name=a.name,
            mobile=a.mobile or "",
            birth_year=a.birth_year,
            source=SOURCE_LABELS.get(a.source, (a.source, a.source))[0],
            registered=a.user_id is not None,
            signed_at=local(a.created_at),
        )
        for a in attendances(session, activity)
    ]
    return sheets.attendance_xlsx(about, lines)
