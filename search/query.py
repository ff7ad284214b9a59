"""From what a person types to an Elasticsearch request: pure logic, no network.

One box takes Chinese words, "quoted phrases", -exclusions, pinyin and initials, mixed. Words are
cut with jieba and matched on the word fields (title over tags over summary over body); ASCII
input is also tried as pinyin and initials; the whole query as a phrase earns a bonus. Only
visible (published) documents are returned unless the caller may see more. Results are grouped
by resource, so one textbook's pages do not fill the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from search.text import normalise, query_words

MAX_QUERY_CHARS = 200
FACETS = ("kind", "category", "audience", "organisation")
PHRASE = re.compile(r'"([^"]+)"')
ASCII_WORD = re.compile(r"^[a-z]+$")


class QueryTooLong(ValueError):
    pass


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    ascii: list[str] = field(default_factory=list)  # candidates for pinyin and initials

    @property
    def empty(self) -> bool:
        return not (self.words or self.phrases)


def parse(text: str) -> ParsedQuery:
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLong(f"query longer than {MAX_QUERY_CHARS} characters")
    text = normalise(text)
    parsed = ParsedQuery(phrases=[p.strip() for p in PHRASE.findall(text) if p.strip()])
    rest = PHRASE.sub(" ", text).replace('"', " ")  # an unbalanced quote is just dropped
    for token in rest.split():
        if token.startswith("-") and len(token) > 1:
            parsed.excluded += query_words(token[1:])
            continue
        words = query_words(token)
        parsed.words += words
        parsed.ascii += [w for w in words if ASCII_WORD.match(w)]
    return parsed


def build(
    text: str,
    filters: dict[str, str] | None = None,
    *,
    include_hidden: bool = False,
    page: int = 1,
    size: int = 10,
) -> dict[str, Any]:
    parsed = parse(text)
    should: list[dict[str, Any]] = []
    must: list[dict[str, Any]] = []
    if parsed.words:
        joined = " ".join(parsed.words)
        should += [
            {
                "multi_match": {
                    "query": joined,
                    "fields": ["title_words^6", "tags_words^4", "summary_words^2", "body_words"],
                    "operator": "and",
                }
            },
            {"match_phrase": {"title": {"query": joined.replace(" ", ""), "boost": 8}}},
            {"match_phrase": {"summary": {"query": joined.replace(" ", ""), "boost": 2}}},
            {"match_phrase": {"body": {"query": joined.replace(" ", "")}}},
        ]
    if parsed.ascii:
        # Index tokens are whole words in pinyin (zhinengshouji); people type syllables apart.
        pinyin = " ".join([*parsed.ascii, "".join(parsed.ascii)])
        should += [
            {"match": {"title_pinyin": {"query": pinyin, "boost": 4}}},
            {"match": {"tags_pinyin": {"query": pinyin, "boost": 2}}},
            {"match": {"title_initials": {"query": pinyin, "boost": 3}}},
        ]
    for phrase in parsed.phrases:
        must.append(
            {
                "multi_match": {
                    "query": phrase,
                    "type": "phrase",
                    "fields": ["title^4", "summary^2", "body"],
                }
            }
        )
    bool_query: dict[str, Any] = {"must": must, "filter": _filters(filters or {}, include_hidden)}
    if should:
        bool_query["should"] = should
        bool_query["minimum_should_match"] = 1
    if parsed.excluded:
        bool_query["must_not"] = [
            {
                "multi_match": {
                    "query": w,
                    "fields": ["title_words", "tags_words", "summary_words", "body_words"],
                }
            }
            for w in parsed.excluded
        ]
    return {
        "query": {"bool": bool_query},
        "collapse": {"field": "resource_id"},
        "from": (max(1, page) - 1) * size,
        "size": size,
        "aggs": {
            **{f: {"terms": {"field": f, "size": 20}} for f in FACETS},
            "resources": {"cardinality": {"field": "resource_id"}},
        },
        "highlight": {
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "fields": {
                "title": {"number_of_fragments": 0},
                "summary": {},
                "body": {"fragment_size": 80},
            },
        },
    }


def _filters(filters: dict[str, str], include_hidden: bool) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = [] if include_hidden else [{"term": {"visible": True}}]
    for name in FACETS:
        if filters.get(name):
            clauses.append({"term": {name: filters[name]}})
    return clauses
