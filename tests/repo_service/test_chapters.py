"""Chapters of a course: typed as lines by a teacher, shown as jumps on the course page."""

from __future__ import annotations

import pytest
from flask import Flask

from repo_service.accounts.models import Role
from repo_service.errors import InvalidInput
from repo_service.resources.services import chapters_text, parse_chapters
from tests.factories import Client, create_resource, make_user


@pytest.mark.unit
def test_chapter_lines_are_read_and_written_back() -> None:
    text = "00:00 开场\n02:30 第二步：挂号\n\n1:02:05 总结"
    chapters = parse_chapters(text)
    assert chapters == ((0.0, "开场"), (150.0, "第二步：挂号"), (3725.0, "总结"))
    as_rows = [{"t": t, "title": title} for t, title in chapters]
    assert chapters_text(as_rows) == "00:00 开场\n02:30 第二步：挂号\n1:02:05 总结"
    assert parse_chapters([{"t": 5, "title": "一"}, {"t": 9.5, "title": "二"}]) == (
        (5.0, "一"),
        (9.5, "二"),
    )
    assert parse_chapters("") == ()


@pytest.mark.unit
@pytest.mark.parametrize(
    "bad",
    [
        "2:30",  # no title
        "02:75 标题",  # 75 seconds
        "02:30 后面\n01:00 前面",  # not in order
        "abc 标题",
        [{"t": "x", "title": "a"}],
        42,
        "\n".join(f"{i:02d}:00 第{i}章" for i in range(61)),
    ],
)
def test_bad_chapters_are_refused_with_the_field(bad: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_chapters(bad)
    assert refused.value.details["field"] == "chapters"


@pytest.mark.integration
def test_chapters_are_kept_when_an_edit_leaves_them_out(app: Flask) -> None:
    teacher = Client(app, make_user(app, Role.TEACHER))
    rid = create_resource(teacher, title="带章节的微课")
    url = f"/api/v1/resources/{rid}"
    saved = teacher.patch(url, json={"chapters": "00:10 第一步\n01:00 第二步"})
    assert saved.status_code == 200, saved.get_json()
    expected = [{"t": 10.0, "title": "第一步"}, {"t": 60.0, "title": "第二步"}]
    assert saved.get_json()["resource"]["chapters"] == expected
    again = teacher.patch(url, json={"title": "改名的微课"})
    assert again.status_code == 200
    assert again.get_json()["resource"]["chapters"] == expected
    bad = teacher.patch(url, json={"chapters": "10 秒 第一步"})
    assert bad.status_code == 400
    assert bad.get_json()["error"]["field"] == "chapters"
    assert teacher.get(url).get_json()["resource"]["chapters"] == expected
