"""The search index: its mapping (core Elasticsearch only) and the documents built for it.

One index holds two kinds of documents: a resource, and each page of a textbook (so a hit can
say “第 37 页”). Chinese is stored three ways: segmented words (whitespace analyser), one token
per Han character (standard analyser, for exact phrases), and pinyin plus initials for typing
without a Chinese input method.
"""

from __future__ import annotations

from typing import Any

from search.text import index_words, normalise, pinyin_full, pinyin_initials

INDEX = "resources"  # the alias; concrete indices are resources-v<N>

WORDS = {"type": "text", "analyzer": "whitespace"}
CHARS = {"type": "text", "analyzer": "standard"}

MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "doc_type": {"type": "keyword"},  # resource | page
        "resource_id": {"type": "integer"},
        "page": {"type": "integer"},
        "visible": {"type": "boolean"},  # published and not deleted: what residents may see
        "visibility": {"type": "keyword"},  # the same as public/hidden, for suggestion contexts
        "title": {"type": "text", "analyzer": "standard", "fields": {"raw": {"type": "keyword"}}},
        "title_words": WORDS,
        "title_pinyin": WORDS,
        "title_initials": WORDS,
        "tags": {"type": "keyword"},
        "tags_words": WORDS,
        "tags_pinyin": WORDS,
        "summary": CHARS,
        "summary_words": WORDS,
        "body": CHARS,
        "body_words": WORDS,
        "authors": {"type": "keyword"},
        "kind": {"type": "keyword"},
        "category": {"type": "keyword"},
        "audience": {"type": "keyword"},
        "organisation": {"type": "keyword"},
        "published_at": {"type": "date"},
        "duration": {"type": "float"},
        "views": {"type": "integer"},
        "awarded": {"type": "boolean"},
        "suggest": {
            "type": "completion",
            "analyzer": "simple",
            "max_input_length": 100,
            # Suggestions are filtered like results: nothing hidden is ever offered.
            "contexts": [{"name": "visibility", "type": "category", "path": "visibility"}],
        },
    },
}

SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0}


def suggestions(title: str) -> list[str]:
    """What the completion field offers for a title: itself, its words, its pinyin, initials."""
    inputs = [normalise(title)]
    inputs += [w for w in index_words(title).split() if len(w) > 1]
    inputs += [pinyin_full(title).replace(" ", ""), pinyin_initials(title).split()[-1:][0]]
    seen: list[str] = []
    for item in inputs:
        if item and item not in seen:
            seen.append(item)
    return seen[:20]


def resource_document(resource: dict[str, Any]) -> dict[str, Any]:
    """The indexed form of a resource, from plain values (see ``search.build``)."""
    title = resource["title"]
    tags = resource.get("tags", [])
    return {
        "doc_type": "resource",
        "resource_id": resource["id"],
        "visible": resource["visible"],
        "visibility": "public" if resource["visible"] else "hidden",
        "title": normalise(title),
        "title_words": index_words(title),
        "title_pinyin": pinyin_full(title),
        "title_initials": pinyin_initials(title),
        "tags": tags,
        "tags_words": index_words(" ".join(tags)),
        "tags_pinyin": pinyin_full(" ".join(tags)),
        "summary": normalise(resource.get("summary", "")),
        "summary_words": index_words(resource.get("summary", "")),
        "authors": resource.get("authors", []),
        "kind": resource["kind"],
        "category": resource["category"],
        "audience": resource["audience"],
        "organisation": resource["organisation"],
        "published_at": resource.get("published_at"),
        "duration": resource.get("duration"),
        "views": resource.get("views", 0),
        "awarded": resource.get("awarded", False),
        "suggest": {"input": suggestions(title)},
    }


def page_document(resource: dict[str, Any], number: int, text: str) -> dict[str, Any]:
    """One page of a textbook, carrying its resource's facets and visibility."""
    return {
        "doc_type": "page",
        "resource_id": resource["id"],
        "page": number,
        "visible": resource["visible"],
        "visibility": "public" if resource["visible"] else "hidden",
        "title": normalise(resource["title"]),
        "body": normalise(text),
        "body_words": index_words(text),
        "kind": resource["kind"],
        "category": resource["category"],
        "audience": resource["audience"],
        "organisation": resource["organisation"],
        "published_at": resource.get("published_at"),
    }
