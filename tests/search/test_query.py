"""Search through the API on the real node: words, pinyin, initials, phrases, facets, safety."""

from __future__ import annotations

import os

import pytest
from flask import Flask

from repo_service import create_app
from repo_service.app import dispose_app
from search.index import INDEX
from search.indexer import sync_resources
from search.query import build, parse
from tests.conftest import free_port

# An organisation of its own, so facet counts are not mixed with other tests' documents.
ORG = "谷里街道 张溪社区居民学校（检索测试）"
BASE = {
    "kind": "video",
    "audience": "老年人",
    "organisation": ORG,
    "summary": "",
}
CORPUS = [
    BASE
    | {
        "id": 9001,
        "title": "智能手机预约挂号入门",
        "category": "老年教育/智能技术",
        "tags": ["智能手机", "挂号"],
        "summary": "手把手教老年人在手机上预约挂号。",
        "visible": True,
    },
    BASE
    | {
        "id": 9002,
        "title": "老年人防诈骗：识别电话骗局",
        "category": "老年教育/智能技术",
        "tags": ["防诈骗"],
        "authors": ["王秀英"],
        "visible": True,
    },
    BASE
    | {
        "id": 9003,
        "title": "茶叶种植技术",
        "category": "三农培训",
        "tags": ["茶叶"],
        "kind": "textbook",
        "visible": True,
        "pages": [(37, "清明前后采摘的明前茶品质最好。"), (38, "夏茶的管理要点。")],
    },
    BASE
    | {
        "id": 9004,
        "title": "智能手机挂号（未发布草稿）",
        "category": "老年教育/智能技术",
        "visible": False,
    },
    BASE
    | {
        "id": 9005,
        "title": "智能手机拍照技巧",
        "category": "老年教育/智能技术",
        "tags": ["智能手机"],
        "visible": True,
    },
]


@pytest.mark.unit
def test_parse_phrases_exclusions_and_broken_quotes() -> None:
    parsed = parse('"明前茶" 种植 -夏茶 zhineng "unbalanced')
    assert parsed.phrases == ["明前茶"]
    assert parsed.excluded == ["夏茶"]
    assert "种植" in parsed.words
    assert "zhineng" in parsed.ascii
    body = build("智能手机")
    assert {"term": {"visible": True}} in body["query"]["function_score"]["query"]["bool"]["filter"]
    assert body["collapse"] == {"field": "resource_id"}


@pytest.fixture(scope="module")
def indexed(app: Flask) -> None:
    search = app.extensions["search"]
    sync_resources(search, {int(doc["id"]): doc for doc in CORPUS})  # type: ignore[misc]
    search.es.indices.refresh(index=search.name(INDEX))  # writes are not waited for


def ids(client: object, q: str, **params: str) -> list[int]:
    response = client.get("/api/v1/search", query_string={"q": q, **params})  # type: ignore[attr-defined]
    assert response.status_code == 200, response.get_json()
    return [r["resource_id"] for r in response.get_json()["results"]]


@pytest.mark.integration
@pytest.mark.usefixtures("indexed")
@pytest.mark.parametrize(
    ("q", "expected", "absent"),
    [
        ("智能手机 挂号", 9001, 9004),
        ("预约挂号", 9001, 9004),
        ("zhineng shouji", 9001, 9004),
        ("znsj", 9001, 9004),
        ("防诈骗", 9002, None),
        ("fangzhapian", 9002, None),
        ('"明前茶"', 9003, None),
        ("茶叶 种植 技术", 9003, None),
        ("智能手机 -拍照", 9001, 9005),
        ("王秀英", 9002, None),
    ],
)
def test_query_table(client: object, q: str, expected: int, absent: int | None) -> None:
    found = ids(client, q)
    assert expected in found[:5], (q, found)
    if absent is not None:
        assert absent not in found, (q, found)


@pytest.mark.integration
@pytest.mark.usefixtures("indexed")
def test_page_hits_facets_and_highlights(client: object) -> None:
    body = client.get("/api/v1/search", query_string={"q": "明前茶"}).get_json()  # type: ignore[attr-defined]
    hit = body["results"][0]
    assert (hit["resource_id"], hit["page"]) == (9003, 37)
    assert "<mark>" in "".join(hit["highlight"]["body"])
    facets = client.get(  # type: ignore[attr-defined]
        "/api/v1/search", query_string={"q": "智能手机", "organisation": ORG}
    ).get_json()["facets"]
    counts = {v["value"]: v["count"] for v in facets["category"]}
    assert counts["老年教育/智能技术"] == 2  # the hidden draft is not counted
    only = ids(client, "智能手机", category="三农培训")
    assert only == []
    page = client.get("/search", query_string={"q": "明前茶"}).get_data(as_text=True)  # type: ignore[attr-defined]
    assert "第 37 页" in page


@pytest.mark.integration
@pytest.mark.usefixtures("indexed")
@pytest.mark.parametrize("q", ['"unbalanced', "a:b OR (c AND", "*?~^\\/[]{}", "智能手机" * 5])
def test_hostile_queries_get_a_normal_answer(client: object, q: str) -> None:
    response = client.get("/api/v1/search", query_string={"q": q})  # type: ignore[attr-defined]
    assert response.status_code == 200


@pytest.mark.integration
def test_too_long_is_400_and_search_down_is_503(client: object, test_env: dict[str, str]) -> None:
    long = client.get("/api/v1/search", query_string={"q": "茶" * 10_000})  # type: ignore[attr-defined]
    assert long.status_code == 400
    assert "太长" in long.get_json()["error"]["message"]
    saved = dict(os.environ)
    os.environ.update({**test_env, "ZX_SEARCH_URL": f"http://127.0.0.1:{free_port()}"})
    try:
        broken = create_app({"TESTING": True, "SKIP_BUCKET_SETUP": True})
    finally:
        os.environ.clear()
        os.environ.update(saved)
    response = broken.test_client().get("/api/v1/search", query_string={"q": "茶叶"})
    assert response.status_code == 503
    assert "搜索服务暂时不可用" in response.get_json()["error"]["message"]
    dispose_app(broken)
