"""Search client against the real Elasticsearch node."""

from __future__ import annotations

import pytest
from flask import Flask

pytestmark = pytest.mark.integration

MAPPINGS = {
    "properties": {
        # Chinese is segmented before indexing: words separated by spaces.
        "title_words": {"type": "text", "analyzer": "whitespace"},
        # One token per Han character, for exact phrases.
        "title_chars": {"type": "text", "analyzer": "standard"},
        "street": {"type": "keyword"},
        "suggest": {"type": "completion", "analyzer": "simple"},
    }
}


def test_index_refresh_and_search_a_chinese_document(app: Flask) -> None:
    search = app.extensions["search"]
    assert search.health() in {"green", "yellow"}
    search.create_index("smoke", MAPPINGS)
    search.index_document(
        "smoke",
        "1",
        {
            "title_words": "老年人 智能 手机 挂号 入门",
            "title_chars": "老年人智能手机挂号入门",
            "street": "秣陵",
            "suggest": ["老年人智能手机挂号入门"],
        },
    )
    search.index_document(
        "smoke",
        "2",
        {
            "title_words": "茶叶 种植 技术",
            "title_chars": "茶叶种植技术",
            "street": "横溪",
            "suggest": ["茶叶种植技术"],
        },
    )
    search.refresh("smoke")

    result = search.search(
        "smoke",
        query={"match": {"title_words": "手机 挂号"}},
        highlight={"fields": {"title_words": {}}},
    )
    hits = result["hits"]["hits"]
    assert [h["_id"] for h in hits] == ["1"]
    assert "<em>手机</em>" in hits[0]["highlight"]["title_words"][0]

    phrase = search.search("smoke", query={"match_phrase": {"title_chars": "种植技术"}})
    assert [h["_id"] for h in phrase["hits"]["hits"]] == ["2"]

    facets = search.search("smoke", size=0, aggs={"street": {"terms": {"field": "street"}}})
    counts = {b["key"]: b["doc_count"] for b in facets["aggregations"]["street"]["buckets"]}
    assert counts == {"秣陵": 1, "横溪": 1}
