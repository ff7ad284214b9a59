"""Resource lifecycle, visibility, downloads and safe rendering."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from flask import Flask

from repo_service.accounts.models import Role
from repo_service.resources.models import ResourceKind
from repo_service.resources.sweep import purge_deleted
from tests.factories import Client, create_resource, make_user
from tests.repo_service.test_uploads import upload_all

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def people(app: Flask) -> dict[str, Client]:
    return {
        "teacher": Client(app, make_user(app, Role.TEACHER)),
        "other": Client(app, make_user(app, Role.TEACHER, street="汤山")),
        "admin": Client(app, make_user(app, Role.ADMIN)),
        "resident": Client(app, make_user(app, Role.RESIDENT)),
        "anonymous": Client(app, None),
    }


def with_file(client: Client, media: dict[str, Path], **fields: object) -> int:
    rid = create_resource(client, ResourceKind.TEXTBOOK, **fields)
    assert upload_all(client, rid, "教材.pdf", media["pdf"].read_bytes()).status_code == 201
    return rid


def test_lifecycle_draft_submit_return_resubmit_publish_unpublish(
    people: dict[str, Client], media: dict[str, Path]
) -> None:
    teacher, admin, resident = people["teacher"], people["admin"], people["resident"]
    empty = create_resource(teacher)
    refused = teacher.post(f"/api/v1/resources/{empty}/submit")
    assert refused.status_code == 409
    assert "请先上传文件" in refused.get_json()["error"]["message"]

    rid = with_file(teacher, media)
    assert (
        teacher.post(f"/api/v1/resources/{rid}/submit").get_json()["resource"]["status"]
        == "submitted"
    )
    assert teacher.post(f"/api/v1/resources/{rid}/publish").status_code == 403
    no_reason = admin.post(f"/api/v1/resources/{rid}/return", json={"reason": " "})
    assert no_reason.status_code == 400
    returned = admin.post(f"/api/v1/resources/{rid}/return", json={"reason": "请补充教学目标"})
    body = returned.get_json()["resource"]
    assert (body["status"], body["return_reason"]) == ("returned", "请补充教学目标")
    assert "请补充教学目标" in teacher.get("/my/resources").get_data(as_text=True)
    assert teacher.post(f"/api/v1/resources/{rid}/submit").status_code == 200
    assert resident.get(f"/api/v1/resources/{rid}").status_code == 404
    published = admin.post(f"/api/v1/resources/{rid}/publish").get_json()["resource"]
    assert published["status"] == "published"
    assert resident.get(f"/api/v1/resources/{rid}").status_code == 200
    listed = [
        r["id"] for r in resident.get("/api/v1/resources?kind=textbook").get_json()["resources"]
    ]
    assert rid in listed
    assert admin.post(f"/api/v1/resources/{rid}/unpublish").status_code == 200
    assert resident.get(f"/api/v1/resources/{rid}").status_code == 404
    assert rid not in [r["id"] for r in resident.get("/api/v1/resources").get_json()["resources"]]


def test_drafts_are_visible_only_to_owner_and_admin(
    people: dict[str, Client], media: dict[str, Path]
) -> None:
    rid = with_file(people["teacher"], media)
    for who, expected in [("teacher", 200), ("admin", 200), ("other", 404), ("resident", 404)]:
        assert people[who].get(f"/api/v1/resources/{rid}").status_code == expected, who
        assert people[who].get(f"/resources/{rid}").status_code == expected, who
    assert people["anonymous"].get(f"/api/v1/resources/{rid}").status_code == 404
    edit = people["other"].patch(f"/api/v1/resources/{rid}", json={"title": "改标题"})
    assert edit.status_code == 404  # the draft does not exist for them
    assert people["other"].delete(f"/api/v1/resources/{rid}").status_code == 404


def test_download_redirects_to_a_short_lived_url_and_unpublishing_revokes_new_ones(
    app: Flask, people: dict[str, Client], media: dict[str, Path]
) -> None:
    teacher, admin, resident = people["teacher"], people["admin"], people["resident"]
    rid = with_file(teacher, media)
    assert resident.get(f"/resources/{rid}/download").status_code == 404
    admin.post(f"/api/v1/resources/{rid}/publish")
    response = resident.get(f"/resources/{rid}/download")
    assert response.status_code == 302
    url = response.headers["Location"]
    assert "X-Amz-Expires=300" in url
    fetched = requests.get(url, timeout=10)
    assert fetched.content == media["pdf"].read_bytes()
    disposition = fetched.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # Saved under the resource's title, not the name on the uploader's disk.
    title = resident.get(f"/api/v1/resources/{rid}").get_json()["resource"]["title"]
    assert quote(f"{title}.pdf") in disposition
    assert quote("教材.pdf") not in disposition
    # Reading online stays in the site: without page images yet, the resource's own page.
    preview = resident.get(f"/resources/{rid}/preview")
    assert (preview.status_code, preview.headers["Location"]) == (302, f"/resources/{rid}")
    admin.post(f"/api/v1/resources/{rid}/unpublish")
    assert resident.get(f"/resources/{rid}/download").status_code == 404
    assert people["anonymous"].get(f"/resources/{rid}/download").status_code == 404


def test_soft_delete_hides_at_once_and_the_sweep_removes_the_objects(
    app: Flask, people: dict[str, Client], media: dict[str, Path]
) -> None:
    teacher = people["teacher"]
    rid = with_file(teacher, media)
    key = _object_key(app, rid)
    storage = app.extensions["storage"]
    assert storage.exists("originals", key)
    assert teacher.delete(f"/api/v1/resources/{rid}").status_code == 204
    assert teacher.get(f"/api/v1/resources/{rid}").status_code == 404
    assert storage.exists("originals", key)  # until the sweep runs
    with app.extensions["db"].session() as session:
        assert purge_deleted(session, storage) >= 1
    assert not storage.exists("originals", key)
    with app.extensions["db"].session() as session:
        assert purge_deleted(session, storage) == 0  # idempotent


def _object_key(app: Flask, rid: int) -> str:
    from repo_service.resources.models import Resource

    with app.extensions["db"].session() as session:
        resource = session.get(Resource, rid)
        assert resource is not None
        return resource.versions[0].object_key


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_an_xss_title_is_escaped_on_every_page_that_shows_it(
    people: dict[str, Client], media: dict[str, Path]
) -> None:
    teacher, admin = people["teacher"], people["admin"]
    rid = with_file(teacher, media, title=XSS, summary=XSS, authors=XSS, tags=[XSS[:40]])
    assert teacher.post(f"/api/v1/resources/{rid}/submit").status_code == 200
    while_submitted = [
        (teacher, "/my/resources"),
        (teacher, f"/resources/{rid}"),
        (teacher, f"/resources/{rid}/edit"),
        (admin, "/review"),
    ]
    rendered = [(url, client.get(url).get_data(as_text=True)) for client, url in while_submitted]
    assert admin.post(f"/api/v1/resources/{rid}/publish").status_code == 200
    once_published = [
        (people["resident"], "/resources"),
        (people["anonymous"], f"/resources/{rid}"),
    ]
    rendered += [(url, client.get(url).get_data(as_text=True)) for client, url in once_published]
    for url, html in rendered:
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url


def test_metadata_is_validated_with_clear_messages(people: dict[str, Client]) -> None:
    teacher = people["teacher"]
    cases = [
        ({"title": ""}, "标题"),
        ({"title": "x" * 201}, "200"),
        ({"category": "炼金术"}, "学科分类"),
        ({"kind": "hologram"}, "资源类型"),
        ({"tags": [f"t{i}" for i in range(11)]}, "标签"),
        ({"title": "a\x00b"}, "非法字符"),
    ]
    from tests.factories import resource_fields

    for change, fragment in cases:
        response = teacher.post("/api/v1/resources", json=resource_fields() | change)
        assert response.status_code == 400, change
        assert fragment in response.get_json()["error"]["message"], change
        assert response.get_json()["error"]["message_en"]
    not_json = teacher.post(
        "/api/v1/resources", data="{", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 400
