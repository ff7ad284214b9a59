"""Chinese segmentation, pinyin and the index mapping against the real node."""

from __future__ import annotations

import pytest
from flask import Flask

from search.index import MAPPINGS, SETTINGS, page_document, resource_document
from search.text import index_words, normalise, pinyin_full, pinyin_initials, query_words


@pytest.mark.unit
def test_normalise_folds_width_and_case() -> None:
    assert normalise("ＡＢＣ　智能手机\x00挂号") == "abc 智能手机 挂号"


@pytest.mark.unit
def test_words_use_the_domain_dictionary() -> None:
    assert "秣陵街道" in index_words("秣陵街道社区教育中心的微课")
    assert "微课" in index_words("秣陵街道社区教育中心的微课").split()
    assert query_words("老年人 防诈骗") == ["老年人", "防诈骗"]


@pytest.mark.unit
def test_pinyin_and_initials() -> None:
    assert pinyin_full("智能手机挂号") == "zhinengshouji guahao"
    assert pinyin_initials("智能手机挂号") == "znsj gh znsjgh"


def corpus() -> list[dict[str, object]]:
    base = {
        "visible": True,
        "kind": "video",
        "audience": "老年人",
        "organisation": "秣陵街道社区教育中心",
    }
    return [
        base
        | {
            "id": 1,
            "title": "智能手机入门：视频通话",
            "category": "老年教育/智能技术",
            "tags": ["智能手机"],
        },
        base
        | {
            "id": 2,
            "title": "老年人防诈骗指南",
            "category": "老年教育/智能技术",
            "tags": ["防诈骗"],
        },
        base
        | {
            "id": 3,
            "title": "茶叶种植技术",
            "category": "三农培训",
            "tags": ["茶叶"],
            "kind": "textbook",
        },
        base
        | {
            "id": 4,
            "title": "草稿：智能手机挂号",
            "category": "老年教育/智能技术",
            "visible": False,
        },
    ]


@pytest.mark.integration
def test_words_pinyin_and_initials_find_the_right_resources(app: Flask) -> None:
    search = app.extensions["search"]
    search.create_index("text-probe", MAPPINGS, SETTINGS)
    for resource in corpus():
        search.index_document("text-probe", f"r{resource['id']}", resource_document(resource))
    tea = corpus()[2]
    page = "清明前后采摘的明前茶品质最好。"
    search.index_document("text-probe", "p3-37", page_document(tea, 37, page, index_words(page)))
    search.refresh("text-probe")

    def ids(query: dict[str, object]) -> list[object]:
        body = {"bool": {"must": [query], "filter": [{"term": {"visible": True}}]}}
        hits = search.search("text-probe", query=body)["hits"]["hits"]
        return [(h["_source"]["resource_id"], h["_source"].get("page")) for h in hits]

    assert ids({"match": {"title_words": " ".join(query_words("智能手机"))}}) == [(1, None)]
    assert ids({"match": {"title_pinyin": "zhinengshouji"}}) == [(1, None)]
    assert ids({"match": {"title_initials": "fzp"}}) == [(2, None)]
    assert ids({"match_phrase": {"body": "明前茶"}}) == [(3, 37)]
    public = {
        "prefix": "zhinengs",
        "completion": {"field": "suggest", "contexts": {"visibility": ["public"]}},
    }
    suggested = search.search("text-probe", suggest={"s": public})
    options = {o["_source"]["resource_id"] for o in suggested["suggest"]["s"][0]["options"]}
    assert options == {1}  # the hidden draft about 智能手机 is not offered
