"""From what a person types to an Elasticsearch request: pure logic, no network.

One box takes Chinese words, "quoted phrases", -exclusions, pinyin and initials, mixed. Words are
cut with jieba and matched on the word fields (title over tags over summary over body); ASCII
input is also tried as pinyin and initials; Chinese words are also tried by their pinyin, so a
homophone typo (智能手级) still finds 智能手机, and by their characters, so one wrong character
in a longer word is forgiven; the whole query as a phrase earns a bonus. Recent, much-watched
and awarded resources are nudged up. Only visible (published) documents are returned unless the
caller may see more. Results are grouped by resource, so one textbook's pages do not fill the
page, and facet counts count resources, not documents.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from search.text import Segmenter, han_pinyin, normalise, segmenter

MAX_QUERY_CHARS = 200
MAX_PAGE_SIZE = 50
MAX_OFFSET = 1000  # deep pages cost the node more than anyone reads
TERM_FACETS = ("kind", "category", "audience", "organisation")
FACETS = (*TERM_FACETS, "year", "duration", "awarded")
DURATIONS: dict[str, tuple[int | None, int | None]] = {
    "short": (None, 300),
    "medium": (300, 900),
    "long": (900, 1800),
    "longer": (1800, None),
}
DURATION_LABELS = {
    "short": ("5 分钟以内", "Under 5 min"),
    "medium": ("5–15 分钟", "5–15 min"),
    "long": ("15–30 分钟", "15–30 min"),
    "longer": ("30 分钟以上", "Over 30 min"),
}
SORTS = {
    "relevance": ["_score"],
    "newest": [{"published_at": {"order": "desc", "missing": "_last"}}, "_score"],
    "views": [{"views": {"order": "desc"}}, "_score"],
}
PHRASE = re.compile(r'"([^"]+)"')
ASCII_WORD = re.compile(r"^[a-z]+$")
HAN = re.compile(r"[\u4e00-\u9fff]")


class QueryTooLong(ValueError):
    pass


class BadFilter(ValueError):
    def __init__(self, name: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.name = name
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    ascii: list[str] = field(default_factory=list)  # candidates for pinyin and initials
    tokens: list[str] = field(default_factory=list)  # as typed between spaces (author names)

    @property
    def empty(self) -> bool:
        return not (self.words or self.phrases)

    @property
    def text(self) -> str:
        """The positive part of the query, as one string."""
        return " ".join([*self.phrases, *self.words])


@dataclass
class Filters:
    values: dict[str, Any] = field(default_factory=dict)
    sort: str = "relevance"

    def clause(self, name: str) -> dict[str, Any]:
        value = self.values[name]
        if name in TERM_FACETS:
            return {"term": {name: value}}
        if name == "year":
            return {
                "range": {"published_at": {"gte": f"{value}-01-01", "lt": f"{value + 1}-01-01"}}
            }
        if name == "duration":
            low, high = DURATIONS[value]
            bounds = ({"gte": low} if low is not None else {}) | (
                {"lt": high} if high is not None else {}
            )
            return {"range": {"duration": bounds}}
        return {"term": {"awarded": value}}

    def clauses(self, without: str | None = None) -> list[dict[str, Any]]:
        return [self.clause(n) for n in FACETS if n in self.values and n != without]


def parse_filters(args: Mapping[str, str]) -> Filters:
    """Filters from request arguments; a malformed value is refused, naming the argument."""
    filters = Filters()
    for name in TERM_FACETS:
        value = (args.get(name) or "").strip()
        if len(value) > 100:
            raise BadFilter(name, f"筛选条件 {name} 太长", f"The {name} filter is too long")
        if value:
            filters.values[name] = value
    if args.get("year"):
        year = args["year"]
        if not (year.isdigit() and len(year) == 4 and 1990 <= int(year) <= 2100):
            raise BadFilter("year", "年份必须是四位数字，例如 2025", "year must be like 2025")
        filters.values["year"] = int(year)
    if args.get("duration"):
        if args["duration"] not in DURATIONS:
            raise BadFilter(
                "duration",
                "时长只能是 short、medium、long 或 longer",
                "duration must be short, medium, long or longer",
            )
        filters.values["duration"] = args["duration"]
    if args.get("awarded"):
        if args["awarded"] not in ("true", "false", "1", "0"):
            raise BadFilter(
                "awarded", "awarded 只能是 true 或 false", "awarded must be true or false"
            )
        filters.values["awarded"] = args["awarded"] in ("true", "1")
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadFilter(
            "sort",
            "排序只能是 relevance、newest 或 views",
            "sort must be relevance, newest or views",
        )
    filters.sort = sort
    return filters


def parse(text: str, seg: Segmenter | None = None) -> ParsedQuery:
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLong(f"query longer than {MAX_QUERY_CHARS} characters")
    seg = seg or segmenter()
    text = normalise(text)
    parsed = ParsedQuery(phrases=[p.strip() for p in PHRASE.findall(text) if p.strip()])
    rest = PHRASE.sub(" ", text).replace('"', " ")  # an unbalanced quote is just dropped
    for token in rest.split():
        if token.startswith("-") and len(token) > 1:
            parsed.excluded += seg.query_words(token[1:])
            continue
        words = seg.query_words(token)
        parsed.tokens.append(token)
        parsed.words += words
        parsed.ascii += [w for w in words if ASCII_WORD.match(w)]
    return parsed


def _text_clauses(parsed: ParsedQuery) -> list[dict[str, Any]]:
    should: list[dict[str, Any]] = []
    word_fields = ["title_words^6", "tags_words^4", "summary_words^2", "body_words"]
    if parsed.words:
        joined = " ".join(parsed.words)
        solid = joined.replace(" ", "")
        should += [
            {"multi_match": {"query": joined, "fields": word_fields, "operator": "and"}},
            # Words spread over title, tags and summary, or most of them present there (page
            # text must hold every word: a page with one common word is not a hit).
            {
                "multi_match": {
                    "query": joined,
                    "fields": word_fields[:3],
                    "type": "cross_fields",
                    "minimum_should_match": "2<75%",
                    "boost": 0.5,
                }
            },
            {"match_phrase": {"title": {"query": solid, "boost": 8}}},
            {"match_phrase": {"summary": {"query": solid, "boost": 2}}},
            {"match_phrase": {"body": {"query": solid}}},
            # A textbook matches through its pages without a score of its own, so the best page
            # stands for it in the results.
            {
                "constant_score": {
                    "filter": {"match": {"pages_words": {"query": joined, "operator": "and"}}},
                    "boost": 0,
                }
            },
        ]
        han = [w for w in parsed.words if HAN.search(w)]
        if han:
            sounds = han_pinyin(han)
            spelled = " ".join([*sounds, "".join(sounds)])
            should += [
                # A homophone typo sounds the same: match by pinyin.
                {"match": {"title_pinyin": {"query": spelled, "boost": 1.5}}},
                {"match": {"tags_pinyin": {"query": spelled, "boost": 1}}},
                # One wrong character in a longer word: most characters still match.
                {
                    "match": {
                        "title": {
                            "query": "".join(han),
                            "minimum_should_match": "3<75%",
                            "boost": 0.5,
                        }
                    }
                },
            ]
    if parsed.tokens:
        should.append({"terms": {"authors": parsed.tokens[:10], "boost": 3}})
    if parsed.ascii:
        # Index tokens are whole words in pinyin (zhinengshouji); people type syllables apart.
        pinyin = " ".join([*parsed.ascii, "".join(parsed.ascii)])
        should += [
            {"match": {"title_pinyin": {"query": pinyin, "boost": 4}}},
            {"match": {"tags_pinyin": {"query": pinyin, "boost": 2}}},
            {"match": {"title_initials": {"query": pinyin, "boost": 3}}},
            {
                "match": {
                    "title_pinyin": {
                        "query": "".join(parsed.ascii),
                        "fuzziness": "AUTO",
                        "prefix_length": 1,
                        "boost": 1,
                    }
                }
            },
        ]
    return should


def _highlight(parsed: ParsedQuery) -> dict[str, Any]:
    """Highlights by whole words and phrases, so single characters are not marked everywhere."""
    terms = [*parsed.phrases, *[w for w in parsed.words if HAN.search(w) or len(w) > 2]]
    fields: dict[str, Any] = {}
    for name, options in (
        ("title", {"number_of_fragments": 0}),
        ("summary", {"number_of_fragments": 2, "fragment_size": 80}),
        ("body", {"number_of_fragments": 2, "fragment_size": 80}),
    ):
        words = [{"match_phrase": {name: t}} for t in terms]
        fields[name] = options | ({"highlight_query": {"bool": {"should": words}}} if terms else {})
    return {"pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html", "fields": fields}


def _facet_aggs(filters: Filters) -> dict[str, Any]:
    """Facet counts over resource documents only: each resource counts once (its own document
    matches whenever one of its pages does), and exactly, with no distinct counting."""
    values: dict[str, dict[str, Any]] = {
        # Every shard reports up to 500 values, so counts stay exact across shards.
        **{f: {"terms": {"field": f, "size": 100, "shard_size": 500}} for f in TERM_FACETS},
        "year": {
            "date_histogram": {
                "field": "published_at",
                "calendar_interval": "year",
                "format": "yyyy",
                "min_doc_count": 1,
            }
        },
        "duration": {
            "range": {
                "field": "duration",
                "keyed": False,
                "ranges": [
                    {
                        "key": key,
                        **({"from": lo} if lo is not None else {}),
                        **({"to": hi} if hi is not None else {}),
                    }
                    for key, (lo, hi) in DURATIONS.items()
                ],
            }
        },
        "awarded": {"terms": {"field": "awarded", "size": 2}},
    }
    resource_docs = {"term": {"doc_type": "resource"}}
    # Each facet counts with every other selected filter applied but not its own, so the
    # other values of a facet in use still show how many they would give.
    return {
        name: {
            "filter": {"bool": {"filter": [resource_docs, *filters.clauses(without=name)]}},
            "aggs": {"values": agg},
        }
        for name, agg in values.items()
    } | {"total": {"filter": {"bool": {"filter": [resource_docs, *filters.clauses()]}}}}


def ranking(query: dict[str, Any]) -> dict[str, Any]:
    """Relevance times a small nudge (at most about ×1.5) for recent, watched, awarded."""
    return {
        "function_score": {
            "query": query,
            "functions": [
                {"weight": 1},
                {
                    "gauss": {
                        "published_at": {
                            "origin": "now",
                            "offset": "30d",
                            "scale": "730d",
                            "decay": 0.5,
                        }
                    },
                    "weight": 0.15,
                },
                {
                    "field_value_factor": {"field": "views", "modifier": "log1p", "missing": 0},
                    "weight": 0.05,
                },
                {"filter": {"term": {"awarded": True}}, "weight": 0.1},
            ],
            "score_mode": "sum",
            "boost_mode": "multiply",
        }
    }


def build(
    text: str,
    filters: Filters | None = None,
    *,
    include_hidden: bool = False,
    page: int = 1,
    size: int = 10,
    seg: Segmenter | None = None,
) -> dict[str, Any]:
    """The search request: ``text`` may be empty, which lists everything the filters allow."""
    filters = filters or Filters()
    parsed = parse(text, seg)
    size = max(1, min(size, MAX_PAGE_SIZE))
    offset = min((max(1, page) - 1) * size, MAX_OFFSET)
    must: list[dict[str, Any]] = [
        {
            "bool": {
                "should": [
                    {
                        "multi_match": {
                            "query": p,
                            "type": "phrase",
                            "fields": ["title^4", "summary^2", "body"],
                        }
                    },
                    {"constant_score": {"filter": {"match_phrase": {"pages": p}}, "boost": 0}},
                ]
            }
        }
        for p in parsed.phrases
    ]
    bool_query: dict[str, Any] = {
        "must": must,
        "filter": [] if include_hidden else [{"term": {"visible": True}}],
    }
    should = _text_clauses(parsed)
    if should:
        bool_query["should"] = should
        bool_query["minimum_should_match"] = 1
    elif not must:
        # Browsing: without words to find in pages, each resource's own document stands for it.
        bool_query["filter"].append({"term": {"doc_type": "resource"}})
    if parsed.excluded:
        bool_query["must_not"] = [
            {
                "multi_match": {
                    "query": w,
                    "fields": ["title_words", "tags_words", "summary_words", "body_words"],
                }
            }
            for w in parsed.excluded
        ] + [{"match_phrase": {"title": w}} for w in parsed.excluded]
    body: dict[str, Any] = {
        "query": ranking({"bool": bool_query}),
        "post_filter": {"bool": {"filter": filters.clauses()}},
        "collapse": {"field": "resource_id"},
        "sort": SORTS[filters.sort],
        "from": offset,
        "size": size,
        "aggs": _facet_aggs(filters),
        "track_total_hits": False,
    }
    if not parsed.empty:
        body["highlight"] = _highlight(parsed)
    return body


def suggest_body(prefix: str, *, size: int = 8, fuzzy: bool = False) -> dict[str, Any]:
    """Completion suggestions for what has been typed, from visible resources only."""
    completion: dict[str, Any] = {
        "field": "suggest",
        "size": size,
        "skip_duplicates": True,
        "contexts": {"visibility": ["public"]},
    }
    if fuzzy:
        completion["fuzzy"] = {"fuzziness": "AUTO", "unicode_aware": True}
    return {
        "suggest": {"titles": {"prefix": normalise(prefix)[:50], "completion": completion}},
        "_source": ["title", "display_title", "resource_id"],
    }
