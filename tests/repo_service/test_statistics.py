"""The dashboard's figures equal the same figures computed here, independently, from the rows;
an admin of a street centre sees only that street."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from repo_service.accounts.models import DISTRICT_COLLEGE, Organisation, OrgKind, Role, User
from repo_service.accounts.services import find_organisation
from repo_service.activities.models import Activity, ActivityKind, Attendance
from repo_service.learning import totals
from repo_service.learning.models import CourseYear, LearningDay, LearningYear
from repo_service.learning.services import add_day_seconds
from repo_service.resources.models import Resource, ResourceKind, ResourceStatus
from tests.factories import Client, make_user

pytestmark = pytest.mark.integration

YEAR = 2031  # a year no other test writes to


def _user(app: Flask, street: str, birth: int, employed: bool) -> User:
    user = make_user(app, Role.RESIDENT, street=street)
    with app.extensions["db"].session() as session:
        row = session.get(User, user.id)
        assert row is not None
        row.birth_year, row.employed = birth, employed
        session.commit()
    return user


@pytest.fixture(scope="module")
def year_data(app: Flask) -> dict[str, Any]:
    r1 = _user(app, "东山", 1950, False)
    r2 = _user(app, "东山", 1990, True)
    r3 = _user(app, "秣陵", 1955, True)
    r4 = _user(app, "秣陵", 1985, False)  # learnt only in another year
    teacher = make_user(app, Role.TEACHER, street="东山")
    with app.extensions["db"].session() as session:
        courses = []
        for title, audience in (("统计测试课甲", "老年人"), ("统计测试课乙", "农民")):
            course = Resource(
                kind=ResourceKind.VIDEO,
                title=title,
                summary="",
                category="三农培训",
                audience=audience,
                organisation_id=teacher.organisation_id,
                owner_id=teacher.id,
                status=ResourceStatus.PUBLISHED,
            )
            session.add(course)
            courses.append(course)
        session.flush()
        a, b = courses
        for user, resource, day, seconds in (
            (r1, a, dt.date(YEAR, 3, 1), 600.0),
            (r1, a, dt.date(YEAR, 3, 2), 300.0),
            (r2, b, dt.date(YEAR, 6, 1), 1200.0),
            (r3, a, dt.date(YEAR, 9, 9), 60.0),
            (r4, b, dt.date(YEAR - 1, 12, 31), 999.0),
        ):
            noon_in_nanjing = dt.datetime(day.year, day.month, day.day, 4, tzinfo=dt.UTC)
            add_day_seconds(
                session,
                session.get(User, user.id),
                seconds,
                resource_id=resource.id,
                audience=resource.audience,
                now=noon_in_nanjing,
            )
        dongshan = find_organisation(session, "东山")
        moling = find_organisation(session, "秣陵")
        school = Organisation(name="统计测试村居民学校", kind=OrgKind.SCHOOL, parent_id=moling.id)
        session.add(school)
        session.flush()
        sannong = Activity(
            title="草莓种植培训",
            kind=ActivityKind.SANNONG,
            day=dt.date(YEAR, 4, 1),
            organisation_id=dongshan.id,
        )
        elderly = Activity(
            title="智能手机课",
            kind=ActivityKind.ELDERLY,
            day=dt.date(YEAR, 5, 1),
            organisation_id=school.id,
        )
        session.add_all([sannong, elderly])
        session.flush()
        session.add_all(
            [
                Attendance(activity_id=sannong.id, user_id=r1.id, name="r1", source="qr"),
                # r4 lives in 秣陵 and came to 东山's training: a 秣陵 participant, a 东山 sign-in.
                Attendance(activity_id=sannong.id, user_id=r4.id, name="r4", source="qr"),
                Attendance(
                    activity_id=sannong.id,
                    name="王大爷",
                    mobile="13900000001",
                    birth_year=1940,
                    source="xlsx",
                ),
                Attendance(activity_id=sannong.id, name="李四", source="xlsx"),
                Attendance(activity_id=elderly.id, user_id=r3.id, name="r3", source="qr"),
                Attendance(
                    activity_id=elderly.id,
                    name="王大爷",
                    mobile="13900000001",
                    birth_year=1940,
                    source="xlsx",
                ),
            ]
        )
        session.commit()
    admin = Client(app, make_user(app, Role.ADMIN, street=DISTRICT_COLLEGE))
    saved = admin.put(
        f"/api/v1/statistics/years/{YEAR}",
        json={
            "targets": {"participation_pct": 85, "sannong_times": 4},
            "populations": [
                {
                    "organisation_id": dongshan.id,
                    "residents": 10,
                    "elderly": 4,
                    "employed": 5,
                    "source": "测试统计年鉴",
                },
                {
                    "organisation_id": moling.id,
                    "residents": 20,
                    "elderly": 5,
                    "employed": 8,
                    "source": "测试统计年鉴",
                },
            ],
        },
    )
    assert saved.status_code == 200, saved.json
    return {
        "admin": admin,
        "dongshan": dongshan.id,
        "moling": moling.id,
        "courses": {c.title: c.id for c in courses},
    }


def expected(app: Flask, org_ids: set[int]) -> dict[str, Any]:
    """The figures, computed in Python from plain rows (no SQL aggregation): a resident with an
    account counts where she belongs, sign-ins where the activity was held."""
    with app.extensions["db"].session() as session:
        users = {u.id: u for u in session.scalars(select(User)).all()}
        days = [
            d
            for d in session.scalars(select(LearningDay)).all()
            if d.day.year == YEAR and users[d.user_id].organisation_id in org_ids
        ]
        of_year = {a.id: a for a in session.scalars(select(Activity)).all() if a.day.year == YEAR}
        every_sign_in = [
            x for x in session.scalars(select(Attendance)).all() if x.activity_id in of_year
        ]
    activities = {i: a for i, a in of_year.items() if a.organisation_id in org_ids}
    attendances = [x for x in every_sign_in if x.activity_id in activities]
    people: dict[str, tuple[int | None, bool | None]] = {}
    for d in days:
        people[f"u{d.user_id}"] = (users[d.user_id].birth_year, users[d.user_id].employed)
    for x in every_sign_in:
        if x.user_id is not None and users[x.user_id].organisation_id in org_ids:
            people[f"u{x.user_id}"] = (users[x.user_id].birth_year, users[x.user_id].employed)
    for x in attendances:
        if x.user_id is None:
            people[f"a{x.mobile or x.name}"] = (x.birth_year, None)
    return {
        "participants": len(people),
        "elderly_participants": sum(1 for b, _ in people.values() if b and b <= YEAR - 60),
        "employed_participants": sum(1 for _, e in people.values() if e),
        "online_learners": len({d.user_id for d in days}),
        "minutes_watched": round(sum(d.seconds for d in days) / 60, 1),
        "sannong_person_times": sum(
            1 for x in attendances if activities[x.activity_id].kind == ActivityKind.SANNONG
        ),
        "activity_person_times": len(attendances),
    }


def org_ids(app: Flask, street_id: int | None) -> set[int]:
    with app.extensions["db"].session() as session:
        rows = session.scalars(select(Organisation)).all()
        if street_id is None:
            return {o.id for o in rows}
        return {o.id for o in rows if street_id in (o.id, o.parent_id)}


def test_every_figure_equals_an_independent_count(app: Flask, year_data: dict[str, Any]) -> None:
    admin = year_data["admin"]
    whole = admin.get(f"/api/v1/statistics/dashboard?year={YEAR}").json
    for key, value in expected(app, org_ids(app, None)).items():
        assert whole["figures"][key] == value, key
    # By hand, for the record: 3 learners online, r4 at a training, 王大爷 once though at two
    # streets, 李四.
    assert whole["figures"]["participants"] == 6
    assert whole["figures"]["elderly_participants"] == 3  # r1, r3, 王大爷
    assert whole["figures"]["participation_pct"] == round(100 * 6 / 30, 1)
    assert whole["figures"]["population"]["residents"] == 30
    assert whole["targets"]["participation_pct"] == 85
    for street in whole["streets"]:
        mine = expected(app, org_ids(app, street["street_id"]))
        for key, value in mine.items():
            assert street[key] == value, (street["street"], key)
    dongshan = next(s for s in whole["streets"] if s["street_id"] == year_data["dongshan"])
    assert dongshan["sannong_person_times"] == 4  # r4 of 秣陵 among them
    assert dongshan["continuing_pct"] == round(100 * 1 / 5, 1)  # r2 of 5 employed
    moling = next(s for s in whole["streets"] if s["street_id"] == year_data["moling"])
    assert moling["participants"] == 3  # r3, r4 (at 东山's training), 王大爷 (at its school)
    top = whole["top_courses"]
    assert [c["title"] for c in top[:2]] == ["统计测试课乙", "统计测试课甲"]
    assert top[1]["learners"] == 2  # r1 and r3
    elderly_only = admin.get(f"/api/v1/statistics/dashboard?year={YEAR}&audience=老年人").json
    assert elderly_only["figures"]["online_learners"] == 2
    assert elderly_only["figures"]["minutes_watched"] == round(960 / 60, 1)


def test_the_page_and_the_export_show_the_same_numbers(
    app: Flask, year_data: dict[str, Any]
) -> None:
    admin = year_data["admin"]
    page = admin.get(f"/admin/dashboard?year={YEAR}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "20.0%" in html  # participation 6 / 30
    export = admin.get(f"/admin/dashboard.xlsx?year={YEAR}")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.data))
    streets = {row[0][:2]: row for row in book["各街道"].iter_rows(min_row=2, values_only=True)}
    assert streets["东山"][5] == 4  # 三农培训人次
    summary = {row[0]: row[1] for row in book["总览"].iter_rows(values_only=True)}
    assert summary["participants"] == 6


def test_a_street_admin_sees_only_her_street(app: Flask, year_data: dict[str, Any]) -> None:
    street_admin = Client(app, make_user(app, Role.ADMIN, street="东山"))
    own = street_admin.get(f"/api/v1/statistics/dashboard?year={YEAR}").json
    assert own["street"].startswith("东山")
    assert own["streets"] == []
    assert (
        own["figures"]["participants"]
        == expected(app, org_ids(app, year_data["dongshan"]))["participants"]
    )
    other = street_admin.get(f"/api/v1/statistics/dashboard?year={YEAR}&street=秣陵")
    assert other.status_code == 403
    refused = street_admin.put(
        f"/api/v1/statistics/years/{YEAR}",
        json={
            "populations": [
                {
                    "organisation_id": year_data["moling"],
                    "residents": 1,
                    "elderly": 0,
                    "employed": 0,
                    "source": "x",
                }
            ]
        },
    )
    assert refused.status_code == 403
    resident = Client(app, make_user(app, Role.RESIDENT))
    assert resident.get(f"/api/v1/statistics/dashboard?year={YEAR}").status_code == 403


def test_populations_are_checked(app: Flask, year_data: dict[str, Any]) -> None:
    admin = year_data["admin"]
    for body, field in (
        (
            {
                "organisation_id": year_data["dongshan"],
                "residents": 10,
                "elderly": 20,
                "employed": 1,
                "source": "x",
            },
            "residents",
        ),
        (
            {
                "organisation_id": year_data["dongshan"],
                "residents": 10,
                "elderly": 2,
                "employed": 1,
                "source": "",
            },
            "source",
        ),
        (
            {
                "organisation_id": year_data["dongshan"],
                "residents": "很多",
                "elderly": 2,
                "employed": 1,
                "source": "x",
            },
            "residents",
        ),
    ):
        response = admin.put(f"/api/v1/statistics/years/{YEAR}", json={"populations": [body]})
        assert response.status_code == 400, body
        assert response.json["error"]["field"] == field
    after = admin.get(f"/api/v1/statistics/dashboard?year={YEAR}").json
    assert after["figures"]["population"]["residents"] == 30  # nothing half-written


def test_the_yearly_totals_kept_by_the_heartbeats_equal_a_rebuild(
    app: Flask, year_data: dict[str, Any]
) -> None:
    def rows() -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
        with app.extensions["db"].session() as session:
            years = {
                (r.year, r.audience, r.user_id, r.seconds, r.live_seconds)
                for r in session.scalars(
                    select(LearningYear).where(LearningYear.year.in_([YEAR - 1, YEAR]))
                )
            }
            courses = {
                (r.year, r.resource_id, r.organisation_id, r.seconds, r.learners)
                for r in session.scalars(
                    select(CourseYear).where(CourseYear.year.in_([YEAR - 1, YEAR]))
                )
            }
        return years, courses

    kept = rows()
    # r1: all of it and as 老年人; r2 and r4: as 农民 too; r3: 老年人.
    assert len(kept[0]) == 8
    assert sum(r[3] for r in kept[0] if r[0] == YEAR and r[1] == "") == 2160.0
    # 课甲 by r1 on two days and r3: one learner each in 东山 and 秣陵.
    assert sorted(r[4] for r in kept[1] if r[0] == YEAR) == [1, 1, 1]
    with app.extensions["db"].engine.begin() as conn:
        totals.rebuild(conn, [YEAR - 1, YEAR])
    assert rows() == kept


def test_a_corrected_audience_moves_what_was_learnt_of_the_course(
    app: Flask, year_data: dict[str, Any]
) -> None:
    admin = year_data["admin"]
    course = year_data["courses"]["统计测试课甲"]  # 老年人: r1 (900 s) and r3 (60 s)

    def online(audience: str) -> tuple[int, float]:
        figures = admin.get(f"/api/v1/statistics/dashboard?year={YEAR}&audience={audience}")
        return figures.json["figures"]["online_learners"], figures.json["figures"][
            "minutes_watched"
        ]

    assert online("老年人") == (2, 16.0)
    assert online("农民") == (1, 20.0)  # r2
    try:
        moved = admin.patch(f"/api/v1/resources/{course}", json={"audience": "农民"})
        assert moved.status_code == 200, moved.json
        assert online("老年人") == (0, 0.0)
        assert online("农民") == (3, 36.0)
        whole = admin.get(f"/api/v1/statistics/dashboard?year={YEAR}").json["figures"]
        assert whole["online_learners"] == 3  # all of it is the same
    finally:
        admin.patch(f"/api/v1/resources/{course}", json={"audience": "老年人"})
    assert online("老年人") == (2, 16.0)
