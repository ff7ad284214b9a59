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

from search.synonyms import Synonyms
from search.text import (
    Segmenter,
    han_pinyin,
    normalise,
    plain_pinyin,
    segmenter,
    spell_run,
    split_syllables,
    split_typing,
)

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
# Words of a question typed as asked (老人怎么用手机付钱呢): not required of a resource.
QUESTION_WORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "么",
        "怎么",
        "怎样",
        "怎么样",
        "如何",
        "什么",
        "哪里",
        "哪儿",
        "哪些",
        "为什么",
        "请问",
        "一下",
        "有没有",
        "能不能",
        "可不可以",
        "用",
    ]
)
ASCII_TYPED = re.compile(r"^[a-z0-9' :]+$")
MAX_SUGGESTIONS = 10
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
    # With synonyms: the query's segments, each with its wordings (as words), the segment's
    # own first; empty when no word has a synonym.
    segments: list[list[list[str]]] = field(default_factory=list)
    # Chinese words of two characters or more that no dictionary knows: jieba made them of
    # characters it could not place, often a typo for a word that sounds the same (草梅).
    unknown: list[str] = field(default_factory=list)

    @property
    def content(self) -> list[str]:
        """The words without the question words around them (血压高怎么吃 → 血压高, 吃), which
        no resource needs to contain; all of them when nothing else is left."""
        kept = [w for w in self.words if w not in QUESTION_WORDS]
        return kept or self.words

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


def parse(text: str, seg: Segmenter | None = None, synonyms: Synonyms | None = None) -> ParsedQuery:
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
        typed = plain_pinyin(token) if token.isascii() else token
        words = seg.query_words(typed)
        parsed.tokens.append(typed)
        parsed.words += words
        parsed.ascii += [w for w in words if ASCII_WORD.match(w)]
    parsed.unknown = [
        w for w in parsed.words if len(w) > 1 and HAN.search(w) and not seg.frequency(w)
    ]
    if synonyms is not None and parsed.words:
        parsed.segments = [
            [seg.query_words(own) or [own], *(seg.query_words(a) or [a] for a in alternatives)]
            for own, alternatives in synonyms.expand(parsed.content, seg.frequency)
        ]
    return parsed


def _sounds(token: str) -> int:
    """How many syllables ``token`` is as pinyin (0: not pinyin, so initials)."""
    ways = split_syllables(token)
    return len(ways[0]) if ways else 0


def _spelled_clauses(parsed: ParsedQuery) -> list[dict[str, Any]]:
    """Pinyin and initials typed joined, matched as phrases of syllables or letters, so they
    run across the words jieba cut (lajifenlei, ljfl → 垃圾分类) in titles, tags and the
    start of summaries. A single syllable is left to the word fields: it sounds like too
    many characters to count as a match of its own."""
    runs: list[list[str]] = []
    initials: list[str] = []
    candidates = list(parsed.ascii)
    if len(parsed.ascii) > 1:
        candidates.append("".join(parsed.ascii))  # laji fenlei → lajifenlei too
    for token in dict.fromkeys(candidates):
        ways = split_syllables(token)
        if ways:
            runs += [w for w in ways if len(w) > 1]
        elif 2 <= len(token) <= 16:
            initials.append(token)
    should: list[dict[str, Any]] = []
    for run in runs:
        phrase = " ".join(run)
        should += [
            {"match_phrase": {"title_syllables": {"query": phrase, "boost": 3.5}}},
            {"match_phrase": {"tags_syllables": {"query": phrase, "boost": 2}}},
            {"match_phrase": {"summary_syllables": {"query": phrase, "boost": 1}}},
        ]
        if len(run) >= 4:  # shoujiguahao: 手机 and 挂号 with 预约 between them in the title
            should.append(
                {"match_phrase": {"title_syllables": {"query": phrase, "slop": 4, "boost": 1}}}
            )
    for token in initials:
        phrase = " ".join(token)
        should += [
            {"match_phrase": {"title_letters": {"query": phrase, "boost": 3}}},
            {"match_phrase": {"tags_letters": {"query": phrase, "boost": 1.5}}},
        ]
        if len(token) >= 4:  # shorter runs of letters occur by chance in any summary
            should += [
                {"match_phrase": {"summary_letters": {"query": phrase, "boost": 0.5}}},
                {"match_phrase": {"title_letters": {"query": phrase, "slop": 2, "boost": 0.5}}},
            ]
    return should


def _synonym_clause(parsed: ParsedQuery, word_fields: list[str]) -> dict[str, Any] | None:
    """The query in other words of the same meaning (反诈 → 防范诈骗; 老人 摔跤 → 老年人
    跌倒): each segment matches in any of its wordings, and the whole scores below the words
    as typed."""
    if not parsed.segments:
        return None
    must: list[dict[str, Any]] = []  # one clause per segment
    bonus: list[dict[str, Any]] = []
    for wordings in parsed.segments:
        must.append(
            {
                "bool": {
                    "should": [
                        {
                            "multi_match": {
                                "query": " ".join(words),
                                "fields": word_fields,
                                "operator": "and",
                            }
                        }
                        for words in wordings
                    ]
                }
            }
        )
        # A wording found whole in a title earns a bonus: a phrase of words, which costs far
        # less than a phrase of characters (every wording of every segment is tried).
        bonus += [
            {"match_phrase": {"title_words": {"query": " ".join(words), "boost": 2}}}
            for words in wordings[1:]
            if len("".join(words)) > 1
        ]
    # Most segments must match, as the words typed must in the cross-field clause.
    required = {"bool": {"should": must, "minimum_should_match": "2<75%"}}
    return {"bool": {"must": [required], "should": bonus, "boost": 0.7}}


def _text_clauses(parsed: ParsedQuery) -> list[dict[str, Any]]:
    should: list[dict[str, Any]] = []
    word_fields = ["title_words^6", "tags_words^4", "summary_words^2", "body_words"]
    if parsed.words:
        joined = " ".join(parsed.content)
        solid = "".join(parsed.words)
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
        han = [w for w in parsed.content if HAN.search(w)]
        if han:
            # A homophone typo sounds the same: match by pinyin, by words of two characters or
            # more (one syllable sounds like too many characters) and by the whole run.
            sounds = han_pinyin(w for w in han if len(w) > 1)
            whole = "".join(han)
            spelled = " ".join([*sounds, "".join(han_pinyin(han))])
            should += [
                {"match": {"title_pinyin": {"query": spelled, "boost": 1.5}}},
                {"match": {"tags_pinyin": {"query": spelled, "boost": 1}}},
                # One wrong character in a longer word: most characters still match.
                {
                    "match": {
                        "title": {
                            "query": whole,
                            "minimum_should_match": "3<75%",
                            "boost": 0.5,
                        }
                    }
                },
            ]
            # 草梅 sounds like 草莓 across the words a title was cut into. Only for words no
            # dictionary knows: a phrase of common syllables is costly, and a known word
            # already matches as itself.
            for word in parsed.unknown:
                phrase = " ".join(spell_run(word)[0])
                should.append({"match_phrase": {"title_syllables": {"query": phrase, "boost": 1}}})
        # Other wordings in title, tags and summary only: page text would cost the most and
        # its matches say the least.
        synonym = _synonym_clause(parsed, word_fields[:3])
        if synonym is not None:
            should.append(synonym)
    if parsed.tokens:
        should.append({"terms": {"authors": parsed.tokens[:10], "boost": 3}})
    if parsed.ascii:
        # Index tokens are whole words in pinyin (zhinengshouji); people type syllables apart.
        # A lone syllable (jiao) matches a one-character word at a small weight only.
        single = [t for t in parsed.ascii if _sounds(t) == 1]
        several = [t for t in parsed.ascii if t not in single]
        joined = "".join(parsed.ascii)
        pinyin = " ".join(dict.fromkeys([*several, *([joined] if len(parsed.ascii) > 1 else [])]))
        if pinyin:
            should += [
                {"match": {"title_pinyin": {"query": pinyin, "boost": 4}}},
                {"match": {"tags_pinyin": {"query": pinyin, "boost": 2}}},
                {"match": {"title_initials": {"query": pinyin, "boost": 3}}},
            ]
        if single:
            should.append({"match": {"title_pinyin": {"query": " ".join(single), "boost": 0.3}}})
        if _sounds(joined) != 1:
            should.append(
                {
                    "match": {
                        "title_pinyin": {
                            "query": joined,
                            "fuzziness": "AUTO",
                            "prefix_length": 1,
                            "boost": 1,
                        }
                    }
                }
            )
        should += _spelled_clauses(parsed)
    return should


def _highlight(parsed: ParsedQuery) -> dict[str, Any]:
    """Highlights by whole words and phrases, so single characters are not marked everywhere."""
    words = [*parsed.words, *(w for wordings in parsed.segments for ws in wordings for w in ws)]
    terms = [*parsed.phrases, *dict.fromkeys(w for w in words if HAN.search(w) or len(w) > 2)]
    fields: dict[str, Any] = {}
    for name, options in (
        ("title", {"number_of_fragments": 0}),
        ("summary", {"number_of_fragments": 2, "fragment_size": 80}),
        ("body", {"number_of_fragments": 2, "fragment_size": 80}),
    ):
        marks = [{"match_phrase": {name: t}} for t in terms]
        fields[name] = options | ({"highlight_query": {"bool": {"should": marks}}} if terms else {})
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
    synonyms: Synonyms | None = None,
) -> dict[str, Any]:
    """The search request: ``text`` may be empty, which lists everything the filters allow."""
    filters = filters or Filters()
    parsed = parse(text, seg, synonyms)
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


def suggestion_body(prefix: str, *, size: int = 8) -> dict[str, Any]:
    """Titles for what has been typed so far, one per resource and up to ``size`` of them,
    ranked like search results (how well they match, then recent, watched, awarded).

    Characters match anywhere in a title (a title starting with them first); pinyin matches
    the start of a word's pinyin (zhinengsh → 智能手机) or runs of syllables across words,
    the last one still being typed (laonian, shouji); initials match runs of first letters
    (znsj, ljfl)."""
    text = normalise(prefix)[:50]
    should: list[dict[str, Any]] = []
    if HAN.search(text):
        should += [
            {"prefix": {"title.raw": {"value": text, "boost": 3}}},
            {"match_phrase_prefix": {"title": {"query": text, "boost": 2}}},
        ]
    elif ASCII_TYPED.match(text):
        typed = "".join(plain_pinyin(t) for t in text.split())
        should += [
            {"prefix": {"title_pinyin": {"value": typed, "boost": 2}}},
            {"prefix": {"title_initials": {"value": typed, "boost": 1.5}}},
        ]
        sounds = split_typing(typed)
        if sounds:
            should.append({"match_phrase_prefix": {"title_syllables": {"query": " ".join(sounds)}}})
        else:
            should.append({"match_phrase_prefix": {"title_letters": {"query": " ".join(typed)}}})
    else:
        should.append({"match_phrase_prefix": {"title": {"query": text}}})
    query = {
        "bool": {
            "should": should,
            "minimum_should_match": 1,
            "filter": [{"term": {"visible": True}}, {"term": {"doc_type": "resource"}}],
        }
    }
    return {
        "query": ranking(query),
        "size": max(1, min(size, MAX_SUGGESTIONS)),
        "_source": ["title", "display_title", "resource_id"],
        "track_total_hits": False,
    }
