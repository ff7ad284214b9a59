"""Categories and audiences as admins keep them: added, renamed, moved and deactivated through
the API and the admin page, and what forms offer and writes accept follows at once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from repo_service.accounts.models import Role
from tests.factories import Client, create_resource, make_user, resource_fields

pytestmark = pytest.mark.integration

SEEDED_CATEGORIES = [
    ("老年教育/智能技术", "Elderly education / smart devices"),
    ("职业技能", "Vocational skills"),
    ("三农培训", "Rural training"),
    ("青少年校外", "Youth out-of-school"),
    ("家庭教育", "Family education"),
    ("党史学习", "Party history"),
    ("文化艺术", "Culture and arts"),
    ("健康养生", "Health"),
]


@pytest.fixture(scope="module")
def people(app: Flask) -> dict[str, Client]:
    return {
        "admin": Client(app, make_user(app, Role.ADMIN)),
        "teacher": Client(app, make_user(app, Role.TEACHER)),
        "resident": Client(app, make_user(app, Role.RESIDENT)),
        "anonymous": Client(app, None),
    }


@pytest.fixture
def added(people: dict[str, Client]) -> Iterator[list[tuple[str, int]]]:
    """Terms a test adds, deactivated afterwards: the run's other tests see the seeded lists."""
    terms: list[tuple[str, int]] = []
    yield terms
    for kind, term_id in terms:
        people["admin"].patch(f"/api/v1/vocabulary/{kind}/{term_id}", json={"is_active": False})


def listing(client: Client) -> dict[str, list[dict[str, Any]]]:
    response = client.get("/api/v1/vocabulary")
    assert response.status_code == 200
    body: dict[str, list[dict[str, Any]]] = response.get_json()
    return body


def offered(html: str, field: str) -> list[str]:
    """The values a page's <select name=field> offers."""
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, field
    return [v for v in re.findall(r'<option value="([^"]*)"', select.group(1)) if v]


def add(client: Client, kind: str, added: list[tuple[str, int]], **body: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/vocabulary/{kind}", json=body)
    assert response.status_code == 201, response.get_json()
    term: dict[str, Any] = response.get_json()["term"]
    added.append((kind, term["id"]))
    return term


def test_the_lists_start_as_before_with_employed_people_and_party_members(
    people: dict[str, Client],
) -> None:
    lists = listing(people["anonymous"])
    categories = [(t["name_zh"], t["name_en"]) for t in lists["categories"]]
    assert categories[: len(SEEDED_CATEGORIES)] == SEEDED_CATEGORIES
    audiences = {t["name_zh"]: t for t in lists["audiences"]}
    assert audiences["从业人员"]["name_en"] == "Employed people"
    assert audiences["党员"]["name_en"] == "Party members"
    assert audiences["老年人"]["is_active"]
    assert "resources" not in audiences["老年人"]  # counts are for admins
    assert "resources" in listing(people["admin"])["audiences"][0]

    teacher = people["teacher"]
    employed = teacher.post("/api/v1/resources", json=resource_fields(audience="从业人员"))
    assert employed.status_code == 201, employed.get_json()
    assert employed.get_json()["resource"]["audience"] == "从业人员"
    unknown = teacher.post("/api/v1/resources", json=resource_fields(audience="外星人"))
    assert unknown.status_code == 400
    error = unknown.get_json()["error"]
    assert error["field"] == "audience"
    assert "适用对象「外星人」不在可选范围内" in error["message"]
    assert "Unknown audience" in error["message_en"]
    assert "党员" in error["allowed"]
    missing = teacher.post("/api/v1/resources", json=resource_fields(category=""))
    assert missing.status_code == 400
    assert missing.get_json()["error"]["field"] == "category"


def test_an_admin_adds_an_audience_that_forms_offer_and_writes_accept_at_once(
    people: dict[str, Client], added: list[tuple[str, int]]
) -> None:
    admin, teacher = people["admin"], people["teacher"]
    term = add(admin, "audiences", added, name_zh=" 退役军人 ", name_en="Veterans")
    assert (term["name_zh"], term["name_en"], term["is_active"]) == ("退役军人", "Veterans", True)
    assert term["position"] == len(listing(admin)["audiences"])  # last unless told otherwise
    assert "退役军人" in offered(teacher.get("/upload").get_data(as_text=True), "audience")
    assert "退役军人" in offered(teacher.get("/resources/new").get_data(as_text=True), "audience")
    rid = create_resource(teacher, audience="退役军人")
    assert teacher.get(f"/api/v1/resources/{rid}").get_json()["resource"]["audience"] == "退役军人"

    # The same Chinese name twice, the seeded ones included: 409, nothing written.
    before = listing(admin)
    for name in ("退役军人", "党员"):
        again = admin.post("/api/v1/vocabulary/audiences", json={"name_zh": name, "name_en": "x"})
        assert again.status_code == 409
        assert name in again.get_json()["error"]["message"]
        assert again.get_json()["error"]["message_en"]
    bad = [
        ({"name_en": "No Chinese"}, "name_zh"),
        ({"name_zh": "缺英文"}, "name_en"),
        ({"name_zh": "长" * 51, "name_en": "Long"}, "name_zh"),
        ({"name_zh": "换行\u0007", "name_en": "Bell"}, "name_zh"),
        ({"name_zh": "数字", "name_en": 5}, "name_en"),
        ({"name_zh": "位置", "name_en": "Position", "position": "first"}, "position"),
        ({"name_zh": "位置", "name_en": "Position", "position": 0}, "position"),
    ]
    for body, field in bad:
        response = admin.post("/api/v1/vocabulary/audiences", json=body)
        assert response.status_code == 400, (body, response.get_json())
        error = response.get_json()["error"]
        assert error["field"] == field, body
        assert error["message"]
        assert error["message_en"]
    assert admin.post("/api/v1/vocabulary/streets", json={"name_zh": "a"}).status_code == 404
    assert listing(admin) == before


def test_rename_the_english_label_and_reorder(
    people: dict[str, Client], added: list[tuple[str, int]]
) -> None:
    admin = people["admin"]
    term = add(admin, "categories", added, name_zh="法律常识", name_en="Law")
    renamed = admin.patch(
        f"/api/v1/vocabulary/categories/{term['id']}", json={"name_en": "Everyday law"}
    )
    assert renamed.status_code == 200
    assert renamed.get_json()["term"]["name_en"] == "Everyday law"

    first = admin.patch(f"/api/v1/vocabulary/categories/{term['id']}", json={"position": 1})
    assert first.status_code == 200
    names = [t["name_zh"] for t in listing(admin)["categories"]]
    assert names[:2] == ["法律常识", "老年教育/智能技术"]
    assert [t["position"] for t in listing(admin)["categories"]] == list(range(1, len(names) + 1))
    home = people["anonymous"].get("/").get_data(as_text=True)
    tiles = re.search(r'<ul class="tiles">(.*?)</ul>', home, re.S)
    assert tiles is not None
    assert tiles.group(1).index("法律常识") < tiles.group(1).index("老年教育/智能技术")
    back = admin.patch(f"/api/v1/vocabulary/categories/{term['id']}", json={"position": 999})
    assert back.status_code == 200
    assert listing(admin)["categories"][-1]["name_zh"] == "法律常识"
    assert [(t["name_zh"], t["name_en"]) for t in listing(admin)["categories"]][
        : len(SEEDED_CATEGORIES)
    ] == SEEDED_CATEGORIES

    # The Chinese name is what resources store: it never changes; bad input changes nothing.
    before = listing(admin)
    for body, status, field in (
        ({"name_zh": "法律知识"}, 400, "name_zh"),
        ({"name_en": ""}, 400, "name_en"),
        ({"name_en": "Law", "position": -3}, 400, "position"),
        ({"name_en": "Law", "is_active": "maybe"}, 400, "is_active"),
    ):
        response = admin.patch(f"/api/v1/vocabulary/categories/{term['id']}", json=body)
        assert response.status_code == status, body
        assert response.get_json()["error"]["field"] == field
    assert listing(admin) == before
    assert admin.patch("/api/v1/vocabulary/categories/999999", json={}).status_code == 404


def test_deactivated_terms_leave_the_forms_but_stay_valid_for_existing_resources(
    people: dict[str, Client], added: list[tuple[str, int]]
) -> None:
    admin, teacher = people["admin"], people["teacher"]
    term = add(admin, "audiences", added, name_zh="新市民", name_en="Newcomers")
    rid = create_resource(teacher, audience="新市民")

    off = admin.patch(f"/api/v1/vocabulary/audiences/{term['id']}", json={"is_active": False})
    assert off.status_code == 200
    assert off.get_json()["term"]["is_active"] is False
    assert "新市民" not in offered(teacher.get("/upload").get_data(as_text=True), "audience")
    assert "新市民" not in offered(teacher.get("/resources/new").get_data(as_text=True), "audience")
    refused = teacher.post("/api/v1/resources", json=resource_fields(audience="新市民"))
    assert refused.status_code == 400
    assert refused.get_json()["error"]["field"] == "audience"
    assert "已停用" in refused.get_json()["error"]["message"]

    # The resource that has it keeps it through edits, by API and on its page.
    edited = teacher.patch(f"/api/v1/resources/{rid}", json={"title": "新市民办事指南"})
    assert edited.status_code == 200, edited.get_json()
    assert edited.get_json()["resource"]["audience"] == "新市民"
    page = teacher.get(f"/resources/{rid}/edit").get_data(as_text=True)
    assert offered(page, "audience")[-1] == "新市民"
    assert '<option value="新市民" selected>' in page
    form = resource_fields(title="新市民办事指南（二）", audience="新市民", tags="指南")
    saved = teacher.post(f"/resources/{rid}/edit", data=form)
    assert saved.status_code == 302
    # …but another resource cannot move to it.
    other = create_resource(teacher)
    moved = teacher.patch(f"/api/v1/resources/{other}", json={"audience": "新市民"})
    assert moved.status_code == 400

    on = admin.patch(f"/api/v1/vocabulary/audiences/{term['id']}", json={"is_active": "true"})
    assert on.get_json()["term"]["is_active"] is True
    assert "新市民" in offered(teacher.get("/upload").get_data(as_text=True), "audience")


def test_the_admin_page_adds_moves_and_deactivates(
    people: dict[str, Client], added: list[tuple[str, int]]
) -> None:
    admin = people["admin"]
    page = admin.get("/admin/vocabulary")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "学科分类" in html
    assert "从业人员" in html
    created = admin.post(
        "/admin/vocabulary/audiences",
        data={"name_zh": "残疾人", "name_en": "People with disabilities"},
        headers={"Accept": "text/html"},
    )
    assert created.status_code == 302
    term = next(t for t in listing(admin)["audiences"] if t["name_zh"] == "残疾人")
    added.append(("audiences", term["id"]))
    again = admin.post(
        "/admin/vocabulary/audiences",
        data={"name_zh": "残疾人", "name_en": "Again"},
        headers={"Accept": "text/html"},
    )
    assert again.status_code == 409
    assert "已有适用对象「残疾人」" in again.get_data(as_text=True)
    up = admin.post(
        f"/admin/vocabulary/audiences/{term['id']}",
        data={"name_en": "Disabled people", "position": "1"},
        headers={"Accept": "text/html"},
    )
    assert up.status_code == 302
    first = listing(admin)["audiences"][0]
    assert (first["name_zh"], first["name_en"]) == ("残疾人", "Disabled people")
    off = admin.post(
        f"/admin/vocabulary/audiences/{term['id']}",
        data={"name_en": "Disabled people", "is_active": "0"},
        headers={"Accept": "text/html"},
    )
    assert off.status_code == 302
    assert "已停用" in admin.get("/admin/vocabulary").get_data(as_text=True)
    # Put back where it was, so the other tests see the seeded order.
    admin.patch(f"/api/v1/vocabulary/audiences/{term['id']}", json={"position": 999})


def test_only_admins_change_the_lists(people: dict[str, Client]) -> None:
    term_id = listing(people["admin"])["audiences"][0]["id"]
    for who, status in (("teacher", 403), ("resident", 403), ("anonymous", 401)):
        client = people[who]
        body = {"name_zh": "党员之家", "name_en": "x"}
        assert client.post("/api/v1/vocabulary/audiences", json=body).status_code == status
        assert (
            client.patch(
                f"/api/v1/vocabulary/audiences/{term_id}", json={"is_active": False}
            ).status_code
            == status
        )
        page = client.get("/admin/vocabulary", headers={"Accept": "application/json"})
        assert page.status_code == status
        assert client.get("/api/v1/vocabulary").status_code == 200
    assert "党员之家" not in [t["name_zh"] for t in listing(people["admin"])["audiences"]]
    assert listing(people["admin"])["audiences"][0]["is_active"]
