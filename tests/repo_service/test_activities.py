"""Offline activities: recording them, the QR sign-in, the sign-in sheet import (all rows or
none), the export, and who may touch which street's activities."""

from __future__ import annotations

import io
import re
import secrets
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import select

from repo_service.accounts.models import DISTRICT_COLLEGE, Organisation, OrgKind, Role, User
from repo_service.accounts.services import find_organisation
from repo_service.activities import services, sheets
from repo_service.activities.models import Activity, Attendance
from repo_service.db import utcnow
from repo_service.qr import QUIET, qr_modules, qr_svg
from tests.factories import Client, make_user

pytestmark = pytest.mark.integration

THIS_YEAR = utcnow().year


def new_mobile() -> str:
    return "13" + "".join(secrets.choice("0123456789") for _ in range(9))


def resident(app: Flask, name: str = "王秀英", birth_year: int | None = 1952) -> User:
    """A registered resident with a mobile number, as real-name registration leaves her."""
    user = make_user(app, Role.RESIDENT, display_name=name)
    with app.extensions["db"].session() as session:
        row = session.get(User, user.id)
        assert row is not None
        row.mobile = new_mobile()
        row.birth_year = birth_year
        session.flush()
        session.expunge(row)
    return row


def staff(app: Flask, role: Role, street: str) -> Client:
    return Client(app, make_user(app, role, street=street))


def activity_fields(**over: Any) -> dict[str, Any]:
    return {
        "title": "智能手机使用培训（第一期）",
        "kind": "elderly",
        "day": f"{THIS_YEAR}-03-15",
        "place": "秣陵街道社区教育中心 201 教室",
        "organiser": "李老师",
        "summary": "教老年人用手机挂号、付款、视频通话。",
    } | over


def create(client: Client, **over: Any) -> dict[str, Any]:
    response = client.post("/api/v1/activities", json=activity_fields(**over))
    assert response.status_code == 201, response.get_json()
    activity: dict[str, Any] = response.get_json()["activity"]
    return activity


def xlsx(
    rows: list[tuple[Any, ...]], header: tuple[str, ...] = ("姓名", "手机号", "出生年份")
) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: Client, activity_id: int, data: bytes, name: str = "签到表.xlsx") -> Any:
    return client.post(
        f"/api/v1/activities/{activity_id}/attendance/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def upload_raw(client: Client, activity_id: int, data: bytes) -> Any:
    """A multipart body made here: the test client spools a large one to a file it leaves open."""
    boundary = secrets.token_hex(8)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(
        f"/api/v1/activities/{activity_id}/attendance/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def attendance_rows(app: Flask, activity_id: int) -> list[Attendance]:
    with app.extensions["db"].session() as session:
        rows = list(
            session.scalars(
                select(Attendance)
                .where(Attendance.activity_id == activity_id)
                .order_by(Attendance.id)
            )
        )
        session.expunge_all()
    return rows


def secret_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


# --- recording activities ------------------------------------------------------------------------


def test_a_teacher_records_an_activity_and_every_field_is_checked(app: Flask) -> None:
    teacher = staff(app, Role.TEACHER, "秣陵")
    made = create(teacher)
    assert made["street"] == "秣陵街道社区教育中心"
    assert made["kind_label"] == "老年教育"
    assert made["signin_open"] is True
    assert re.fullmatch(r"http://localhost/activities/sign-in/[\w-]{20,40}", made["signin_url"])

    refusals = {
        "title": {"title": "  "},
        "kind": {"kind": "knitting"},
        "day": {"day": "15/03/2026"},
        "place": {"place": "室" * 201},
    }
    for field, over in refusals.items():
        response = teacher.post("/api/v1/activities", json=activity_fields(**over))
        assert response.status_code == 400, field
        error = response.get_json()["error"]
        assert error["field"] == field
        assert error["message"]
        assert error["message_en"]
    far = teacher.post("/api/v1/activities", json=activity_fields(day="2099-01-01"))
    assert far.get_json()["error"]["field"] == "day"
    assert "2099" not in far.get_json()["error"]["message"]

    changed = teacher.patch(
        f"/api/v1/activities/{made['id']}", json={"title": "智能手机培训", "signin_open": False}
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["activity"]["title"] == "智能手机培训"
    assert changed.get_json()["activity"]["signin_open"] is False
    listed = teacher.get(f"/api/v1/activities?year={THIS_YEAR}&kind=elderly").get_json()
    assert made["id"] in [a["id"] for a in listed["activities"]]

    # The page form makes one as well, and a bad field comes back with what was typed.
    page = teacher.http.post(
        "/activities/new",
        data={
            **activity_fields(title="家庭教育讲座"),
            "day": "not a day",
            "csrf_token": teacher.csrf,
        },
    )
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "活动日期格式不正确" in html
    assert "家庭教育讲座" in html
    assert 'name="day" value="not a day" required aria-invalid="true"' in html


def test_only_an_activity_nobody_attended_can_be_deleted(app: Flask) -> None:
    teacher = staff(app, Role.TEACHER, "秣陵")
    empty, attended = create(teacher), create(teacher, title="家庭教育讲座", kind="family")
    person = Client(app, resident(app))
    signed = person.post(f"/api/v1/activities/sign-in/{secret_of(attended['signin_url'])}")
    assert signed.status_code == 201
    refused = teacher.delete(f"/api/v1/activities/{attended['id']}")
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "has_attendance"
    assert "关闭签到" in refused.get_json()["error"]["message"]
    assert teacher.delete(f"/api/v1/activities/{empty['id']}").status_code == 204
    assert teacher.get(f"/api/v1/activities/{empty['id']}").status_code == 404


# --- the QR sign-in -------------------------------------------------------------------------------


def test_a_resident_signs_in_by_the_qr_code_once(app: Flask) -> None:
    teacher = staff(app, Role.TEACHER, "秣陵")
    made = create(teacher)
    path = f"/activities/sign-in/{secret_of(made['signin_url'])}"

    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].endswith(f"/login?next={path}")

    person = resident(app)
    phone = Client(app, person)
    page = phone.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert made["title"] in html
    assert "签到" in html
    assert 'id="signin-form"' in html

    first = phone.http.post(path, data={"csrf_token": phone.csrf})
    assert first.status_code == 302
    assert "签到成功" in phone.get(path).get_data(as_text=True)
    rows = attendance_rows(app, made["id"])
    assert [(r.user_id, r.name, r.mobile, r.birth_year, r.source) for r in rows] == [
        (person.id, "王秀英", person.mobile, 1952, "qr")
    ]

    again = phone.http.post(path, data={"csrf_token": phone.csrf}, follow_redirects=True)
    html = again.get_data(as_text=True)
    assert "已签到" in html
    assert "无需重复签到" in html
    assert 'id="signin-form"' not in html
    api = phone.post(f"/api/v1{path}")
    assert api.status_code == 200
    assert api.get_json()["already_signed_in"] is True
    assert len(attendance_rows(app, made["id"])) == 1

    # Without the form's token nothing is signed (a link in a chat cannot sign anyone in).
    other = Client(app, resident(app, name="赵桂兰"))
    assert other.http.post(path).status_code == 403
    assert len(attendance_rows(app, made["id"])) == 1

    # Closed: a new person is told so, the one who signed in still sees her sign-in.
    closing = teacher.patch(f"/api/v1/activities/{made['id']}", json={"signin_open": False})
    assert closing.status_code == 200
    closed = other.get(path)
    assert closed.status_code == 409
    assert "签到已结束" in closed.get_data(as_text=True)
    assert app.test_client().get(path).status_code == 409  # before being asked to sign in
    refused = other.post(f"/api/v1{path}")
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "signin_closed"
    assert "已签到" in phone.get(path).get_data(as_text=True)

    unknown = phone.get("/activities/sign-in/no-such-code")
    assert unknown.status_code == 404
    assert "签到二维码无效" in unknown.get_data(as_text=True)
    assert len(attendance_rows(app, made["id"])) == 1


def test_a_newcomer_scans_the_code_registers_and_comes_back_to_sign_in(app: Flask) -> None:
    made = create(staff(app, Role.TEACHER, "秣陵"))
    path = f"/activities/sign-in/{secret_of(made['signin_url'])}"
    phone = Client(app, None)  # no account yet
    to_login = phone.get(path)
    assert to_login.headers["Location"].endswith(f"/login?next={path}")
    login = phone.get(to_login.headers["Location"]).get_data(as_text=True)
    link = re.search(r'href="(/register\?next=[^"]+)"', login)
    assert link is not None, "the login page offers registration that keeps where she was going"
    form = phone.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert f'name="next" value="{path}"' in form
    fields = {
        "csrf_token": phone.csrf,
        "real_name": "钱桂英",
        "mobile": new_mobile(),
        "street": "秣陵",
        "community": "东旺社区",
        "birth_year": "1956",
        "password": "a-long-passphrase",
        "next": path,
    }
    bad = phone.http.post("/register", data=fields | {"birth_year": "很早"})
    assert bad.status_code == 400
    assert f'name="next" value="{path}"' in bad.get_data(as_text=True)  # kept through an error
    registered = phone.http.post("/register", data=fields)
    assert registered.status_code == 302
    assert registered.headers["Location"] == path
    assert 'id="signin-form"' in phone.get(path).get_data(as_text=True)
    # Somewhere else entirely is never where registration sends her.
    other = Client(app, None)
    away = other.http.post(
        "/register",
        data=fields | {"mobile": new_mobile(), "csrf_token": other.csrf, "next": "//evil.example"},
    )
    assert away.status_code == 302
    assert away.headers["Location"] == "/"


def test_the_qr_page_shows_a_code_that_holds_the_sign_in_address(app: Flask) -> None:
    teacher = staff(app, Role.TEACHER, "秣陵")
    made = create(teacher)
    page = teacher.get(f"/activities/{made['id']}/qr")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert made["signin_url"] in html
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    assert decode_svg(svg) == made["signin_url"]


# --- the sign-in sheet ---------------------------------------------------------------------------


def test_a_sheet_with_a_bad_row_is_refused_whole_then_the_fixed_one_goes_in(app: Flask) -> None:
    teacher = staff(app, Role.TEACHER, "秣陵")
    made = create(teacher)
    aid = made["id"]
    registered = resident(app, name="陈玉兰", birth_year=1948)
    also = resident(app, name="周建国", birth_year=None)
    m1, m2 = new_mobile(), new_mobile()
    rows: list[tuple[Any, ...]] = [
        ("陈玉兰", registered.mobile, None),
        ("刘德明", "1381234567", 1950),  # ten digits
        ("孙丽", int(m1), 1961.0),  # as Excel stores a typed number
        ("周建国", f"{also.mobile[:3]} {also.mobile[3:7]} {also.mobile[7:]}", 1955),
    ]
    refused = upload(teacher, aid, xlsx(rows))
    assert refused.status_code == 400
    error = refused.get_json()["error"]
    assert error["code"] == "sheet_rejected"
    assert error["errors"] == [
        {
            "row": 3,
            "column": "mobile",
            "message": "第 3 行：手机号“1381234567”不是以 1 开头的 11 位数字",
            "message_en": "Row 3: the mobile number '1381234567' is not 11 digits starting with 1",
        }
    ]
    assert "未导入任何一行" in error["message"]
    assert attendance_rows(app, aid) == []

    # Every kind of mistake is listed by its row, and still nothing is written.
    worse = upload(
        teacher,
        aid,
        xlsx(
            [
                ("", m1, None),
                ("李华", m2, 1850),
                ("李华", m2, "一九五零"),
                ("王", "23812345678", 2999),
            ]
        ),
    )
    assert worse.status_code == 400
    found = [(e["row"], e["column"]) for e in worse.get_json()["error"]["errors"]]
    assert found == [
        (2, "name"),
        (3, "birth_year"),
        (4, "mobile"),
        (4, "birth_year"),
        (5, "mobile"),
        (5, "birth_year"),
    ]
    assert "与第 3 行重复" in worse.get_json()["error"]["errors"][2]["message"]
    assert attendance_rows(app, aid) == []

    rows[1] = ("刘德明", m2, 1950)
    imported = upload(teacher, aid, xlsx(rows))
    assert imported.status_code == 200, imported.get_json()
    assert imported.get_json() | {"message": "", "message_en": ""} == {
        "added": 4,
        "linked": 2,
        "duplicates": [],
        "message": "",
        "message_en": "",
    }
    stored = {r.name: r for r in attendance_rows(app, aid)}
    assert stored["陈玉兰"].user_id == registered.id
    assert stored["陈玉兰"].birth_year == 1948  # from her account, the sheet left it empty
    assert stored["周建国"].user_id == also.id
    assert stored["周建国"].mobile == also.mobile
    assert stored["孙丽"].mobile == m1
    assert stored["孙丽"].birth_year == 1961
    assert stored["刘德明"].user_id is None
    assert {r.source for r in stored.values()} == {"xlsx"}

    # The same sheet again, plus one new person: the four are reported, not counted twice.
    m3 = new_mobile()
    again = upload(teacher, aid, xlsx([*rows, ("吴敏", m3, None)]))
    body = again.get_json()
    assert again.status_code == 200
    assert body["added"] == 1
    assert [d["row"] for d in body["duplicates"]] == [2, 3, 4, 5]
    assert "4 行此前已签到，已跳过（第 2、3、4、5 行）" in body["message"]
    assert len(attendance_rows(app, aid)) == 5

    # A registered resident on the sheet who then scans the code is already signed in.
    scanned = Client(app, registered).post(
        f"/api/v1/activities/sign-in/{secret_of(made['signin_url'])}"
    )
    assert scanned.status_code == 200
    assert scanned.get_json()["already_signed_in"] is True
    listed = teacher.get(f"/api/v1/activities/{aid}/attendance").get_json()
    assert listed["count"] == 5


def test_a_sheet_is_known_by_its_content_not_its_name(app: Flask, tmp_path: Path) -> None:
    teacher = staff(app, Role.TEACHER, "秣陵")
    aid = create(teacher)["id"]
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    impostors = {
        "text": b"\xe5\xa7\x93\xe5\x90\x8d,\xe6\x89\x8b\xe6\x9c\xba\xe5\x8f\xb7\n",
        "docx": docx.getvalue(),
        "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
        "broken": xlsx([("张三", new_mobile(), None)])[:-200],
    }
    for label, data in impostors.items():
        response = upload(teacher, aid, data, name="签到表.xlsx")
        assert response.status_code == 400, label
        assert response.get_json()["error"]["code"] in {"not_xlsx"}, label
    assert "另存为" in upload(teacher, aid, impostors["xls"]).get_json()["error"]["message"]
    too_big = upload_raw(teacher, aid, b"PK\x03\x04" + b"\0" * sheets.MAX_BYTES)
    assert too_big.status_code == 413
    no_header = upload(teacher, aid, xlsx([("张三", new_mobile())], header=("名字", "电话")))
    assert no_header.status_code == 400
    assert "表头" in no_header.get_json()["error"]["message"]
    # A real sheet under any name is read.
    named_oddly = upload(teacher, aid, xlsx([("张三", new_mobile(), None)]), name="名单.txt")
    assert named_oddly.status_code == 200
    assert named_oddly.get_json()["added"] == 1


def test_the_template_and_the_exported_attendance_read_back(app: Flask) -> None:
    teacher = staff(app, Role.TEACHER, "秣陵")
    made = create(teacher)
    template = teacher.get("/activities/sign-in-template.xlsx")
    assert template.status_code == 200
    assert template.mimetype == sheets.XLSX
    book = openpyxl.load_workbook(io.BytesIO(template.data))
    assert [c.value for c in book.worksheets[0][1]] == ["姓名", "手机号", "出生年份"]
    assert book.worksheets[0]["B2"].number_format == "@"
    # The blank template itself says there is nothing in it.
    empty = upload(teacher, made["id"], template.data)
    assert empty.status_code == 400
    assert "没有签到记录" in empty.get_json()["error"]["message"]

    person = resident(app)
    Client(app, person).post(f"/api/v1/activities/sign-in/{secret_of(made['signin_url'])}")
    hostile = new_mobile()
    assert upload(teacher, made["id"], xlsx([("-王明", hostile, 1960)])).status_code == 200
    exported = teacher.get(f"/activities/{made['id']}/attendance.xlsx")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(exported.data)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [v[:5] for v in values] == [
        [person.display_name, person.mobile, 1952, "扫码签到", "是"],
        ["-王明", hostile, 1960, "表格导入", "否"],
    ]
    assert sheet["A3"].data_type == "s"
    assert sheet["A3"].quotePrefix
    # Imported again, everybody in it is already there.
    back = upload(teacher, made["id"], exported.data).get_json()
    assert back["added"] == 0
    assert len(back["duplicates"]) == 2


# --- who may touch which activity ---------------------------------------------------------------


def school_under(app: Flask, street: str) -> int:
    with app.extensions["db"].session() as session:
        parent = find_organisation(session, street)
        school = Organisation(
            name=f"{street}社区居民学校{secrets.token_hex(3)}", kind=OrgKind.SCHOOL, parent=parent
        )
        session.add(school)
        session.flush()
        return school.id


def move_to(app: Flask, client: Client, organisation_id: int) -> None:
    with app.extensions["db"].session() as session:
        user = session.get(User, client.user.id if client.user else 0)
        assert user is not None
        user.organisation_id = organisation_id


def test_street_staff_manage_their_own_street_only(app: Flask) -> None:
    molin = staff(app, Role.TEACHER, "秣陵")
    school = school_under(app, "秣陵")
    made = create(molin, organisation_id=school)
    assert made["organisation_id"] == school
    assert made["street"] == "秣陵街道社区教育中心"
    aid = made["id"]

    for outsider in (staff(app, Role.TEACHER, "东山"), staff(app, Role.ADMIN, "东山")):
        for method, url in (
            ("GET", f"/api/v1/activities/{aid}"),
            ("PATCH", f"/api/v1/activities/{aid}"),
            ("DELETE", f"/api/v1/activities/{aid}"),
            ("GET", f"/api/v1/activities/{aid}/attendance"),
            ("GET", f"/activities/{aid}"),
            ("GET", f"/activities/{aid}/qr"),
            ("GET", f"/activities/{aid}/attendance.xlsx"),
            ("POST", f"/activities/{aid}/sign-in-state"),
        ):
            response = outsider.open(method, url, json={"title": "改名"})
            assert response.status_code == 404, (method, url)
        assert upload(outsider, aid, xlsx([("张三", new_mobile(), None)])).status_code == 404
        listed = outsider.get("/api/v1/activities?year=").get_json()["activities"]
        assert aid not in [a["id"] for a in listed]
        stolen = outsider.post("/api/v1/activities", json=activity_fields(organisation_id=school))
        assert stolen.status_code == 403
        assert stolen.get_json()["error"]["code"] == "outside_street"
        assert stolen.get_json()["error"]["field"] == "organisation_id"
    assert teacher_title(app, aid) == made["title"]

    # A teacher of a school under the street, the street's admin and the district's admins may.
    school_teacher = staff(app, Role.TEACHER, "秣陵")
    move_to(app, school_teacher, school)
    district = Client(app, make_user(app, Role.ADMIN, street=DISTRICT_COLLEGE))
    for insider in (school_teacher, staff(app, Role.ADMIN, "秣陵"), district):
        assert insider.get(f"/api/v1/activities/{aid}").status_code == 200
    # Residents, judges and operators do not reach the organiser's pages at all.
    for role in (Role.RESIDENT, Role.JUDGE, Role.OPERATOR):
        response = staff(app, role, "秣陵").get(f"/api/v1/activities/{aid}")
        assert response.status_code == 403


def teacher_title(app: Flask, activity_id: int) -> str:
    with app.extensions["db"].session() as session:
        activity = session.get(Activity, activity_id)
        assert activity is not None
        return activity.title


def test_the_list_filters_by_year_street_and_kind_and_counts_person_times(app: Flask) -> None:
    year = 2003  # a year no other test records activities in
    molin, dongshan = staff(app, Role.TEACHER, "秣陵"), staff(app, Role.TEACHER, "东山")
    a = create(molin, day=f"{year}-05-01", kind="sannong", title="果树修剪三农培训")
    b = create(molin, day=f"{year}-06-01", kind="party", title="党员冬训")
    c = create(dongshan, day=f"{year}-07-01", kind="sannong", title="稻田养虾培训")
    create(molin, day=f"{year + 1}-01-10", kind="sannong", title="下一年的培训")
    mobiles = [new_mobile() for _ in range(3)]
    upload(molin, a["id"], xlsx([(f"学员{i}", m, None) for i, m in enumerate(mobiles)]))
    upload(dongshan, c["id"], xlsx([("学员", mobiles[0], None)]))

    district = Client(app, make_user(app, Role.ADMIN, street=DISTRICT_COLLEGE))
    everything = district.get(f"/api/v1/activities?year={year}").get_json()
    assert [x["title"] for x in everything["activities"]] == [
        "稻田养虾培训",
        "党员冬训",
        "果树修剪三农培训",
    ]
    assert everything["total_attendance"] == 4
    street_id = a["street_id"]
    sannong = district.get(f"/api/v1/activities?year={year}&street={street_id}&kind=sannong")
    assert [(x["id"], x["attendance"]) for x in sannong.get_json()["activities"]] == [(a["id"], 3)]
    own = dongshan.get(f"/api/v1/activities?year={year}").get_json()
    assert [x["id"] for x in own["activities"]] == [c["id"]]
    assert district.get("/api/v1/activities?year=abc").get_json()["error"]["field"] == "year"

    page = district.get(f"/activities?year={year}&street={street_id}").get_data(as_text=True)
    assert "共 2 场活动，3 人次" in page
    assert "果树修剪三农培训" in page
    assert "党员冬训" in page
    assert "稻田养虾培训" not in page
    assert b["title"] in page


def test_the_list_comes_in_pages_and_exports_every_matching_activity(app: Flask) -> None:
    year = 2007  # a year no other test records activities in
    per_page = services.PER_PAGE
    molin, dongshan = staff(app, Role.TEACHER, "秣陵"), staff(app, Role.TEACHER, "东山")
    made = [
        create(molin, day=f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}", title=f"=培训{i}")
        for i in range(per_page + 2)
    ]
    other = create(dongshan, day=f"{year}-12-31", title="东山的培训")
    upload(
        molin, made[0]["id"], xlsx([("学员甲", new_mobile(), None), ("学员乙", new_mobile(), None)])
    )
    upload(dongshan, other["id"], xlsx([("学员丙", new_mobile(), None)]))
    newest_first = [
        a["id"] for a in sorted([*made, other], key=lambda a: (a["day"], a["id"]), reverse=True)
    ]

    district = Client(app, make_user(app, Role.ADMIN, street=DISTRICT_COLLEGE))
    first = district.get(f"/api/v1/activities?year={year}").get_json()
    second = district.get(f"/api/v1/activities?year={year}&page=2").get_json()
    assert (first["count"], first["pages"], first["page"], first["per_page"]) == (
        per_page + 3,
        2,
        1,
        per_page,
    )
    assert first["total_attendance"] == second["total_attendance"] == 3
    assert [a["id"] for a in first["activities"] + second["activities"]] == newest_first
    assert len(first["activities"]) == per_page
    beyond = district.get(f"/api/v1/activities?year={year}&page=3").get_json()
    assert (beyond["activities"], beyond["count"]) == ([], per_page + 3)
    for bad in ("0", "-1", "abc", "1.5", "9" * 20):
        refused = district.get(f"/api/v1/activities?year={year}&page={bad}")
        assert refused.status_code == 400, bad
        assert refused.get_json()["error"]["field"] == "page"
        assert "页码" in refused.get_json()["error"]["message"]

    page = district.get(f"/activities?year={year}&page=2").get_data(as_text=True)
    assert "共 53 场活动，3 人次（第 2 / 2 页）" in page
    assert f"year={year}" in page.split('rel="prev"')[0].rsplit("<a", 1)[1]
    assert page.count('class="count"') == 3
    assert "东山的培训" not in page  # the newest, on page 1
    wrong = district.get(f"/activities?year={year}&page=x")
    assert wrong.status_code == 400
    assert "页码必须是从 1 开始的整数" in wrong.get_data(as_text=True)
    assert "共 53 场活动，3 人次（第 1 / 2 页）" in wrong.get_data(as_text=True)  # filters kept

    export = district.get(f"/activities.xlsx?year={year}")
    assert export.status_code == 200
    assert export.mimetype == sheets.XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(export.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("日期", "活动名称")
    body, total = rows[1:-1], rows[-1]
    titles = {a["id"]: a["title"] for a in [*made, other]}
    assert [r[1] for r in body] == [titles[i] for i in newest_first]
    assert all(sheet.cell(row=n, column=2).data_type == "s" for n in range(2, len(rows)))
    assert body[0][4] == "东山街道社区教育中心"
    assert body[0][7] == 1
    assert (total[0], total[1], total[7]) == ("合计", f"共 {per_page + 3} 场活动", 3)

    # A street's staff export their street's activities only.
    own = openpyxl.load_workbook(io.BytesIO(dongshan.get(f"/activities.xlsx?year={year}").data))
    assert [r[1] for r in own.active.iter_rows(min_row=2, values_only=True)] == [
        "东山的培训",
        "共 1 场活动",
    ]
    assert district.get("/activities.xlsx?year=abc").status_code == 400


# --- pure pieces ------------------------------------------------------------------------------


@pytest.mark.unit
def test_sheet_rows_are_checked_one_by_one() -> None:
    good, errors = sheets.check_rows(
        [
            (2, " 张  三 ", "１３８-1234 5678", "1956年"),
            (3, None, None, None),  # a blank row is no row
            (4, "李四", 13812345678.0, None),
        ],
        2026,
    )
    assert [(r.row, r.name, r.mobile, r.birth_year) for r in good] == [
        (2, "张 三", "13812345678", 1956)
    ]
    assert [(e.row, e.column) for e in errors] == [(4, "mobile")]


def decode_svg(svg: str) -> str:
    """Paint the SVG's path of runs (M x y h n v1 h-n z) and read it with zbarimg."""
    side = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))  # type: ignore[union-attr]
    scale = 8
    image = Image.new("L", (side * scale, side * scale), 255)
    for x, y, n in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", svg):
        x0, y0 = int(x) * scale, int(y) * scale
        image.paste(0, (x0, y0, x0 + int(n) * scale, y0 + scale))
    zbar = shutil.which("zbarimg")
    assert zbar, "zbarimg is missing: install the Debian package zbar-tools (./infra/install)"
    path = Path(f"/tmp/qr-{secrets.token_hex(4)}.png")
    image.save(path)
    try:
        out = subprocess.run(
            [zbar, "--raw", "-q", str(path)], capture_output=True, text=True, check=False
        )
    finally:
        path.unlink()
    return out.stdout.strip()


@pytest.mark.unit
def test_the_svg_holds_every_dark_module_and_reads_back() -> None:
    value = "https://zhixue.example/activities/sign-in/AbC-123_xyz"
    svg = qr_svg(value, "签到 <b>")
    assert "<b>" not in svg
    assert "签到 &lt;b&gt;" in svg
    modules = qr_modules(value)
    painted = {
        (int(y) - QUIET, int(x) - QUIET + i)
        for x, y, n in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", svg)
        for i in range(int(n))
    }
    dark = {(r, c) for r, row in enumerate(modules) for c, on in enumerate(row) if on}
    assert painted == dark
    assert decode_svg(svg) == value
