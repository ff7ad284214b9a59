"""The search index: its mapping (core Elasticsearch only) and the documents built for it.

One index holds two kinds of documents: a resource, and each page of a textbook (so a hit can
say “第 37 页”). Chinese is stored three ways: segmented words (whitespace analyser), one token
per Han character (standard analyser, for exact phrases), and pinyin plus initials for typing
without a Chinese input method.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from search.text import Segmenter, Words, han_pinyin, normalise, segmenter, spell_run

INDEX = "resources"  # the alias searches go through; concrete indices are resources-<stamp>
BUILDING = "resources-building"  # the alias of an index being rebuilt, which also takes writes

WORDS = {"type": "text", "analyzer": "whitespace"}
CHARS = {"type": "text", "analyzer": "standard"}
# Fields searched by exact phrases of very common tokens (one syllable or letter each): pairs of
# neighbouring tokens are indexed too, so a phrase reads a few short lists of pairs instead of
# walking the postings of tokens that nearly every document holds. (Not on the highlighted
# Chinese text fields: the highlighter does not mark phrases matched through the pairs.)
PHRASE_WORDS = {**WORDS, "index_phrases": True}

MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "doc_type": {"type": "keyword"},  # resource | page
        "resource_id": {"type": "integer"},
        "page": {"type": "integer"},
        "visible": {"type": "boolean"},  # published and not deleted: what residents may see
        "visibility": {"type": "keyword"},  # the same as public/hidden, for suggestion contexts
        "title": {"type": "text", "analyzer": "standard", "fields": {"raw": {"type": "keyword"}}},
        "display_title": {"type": "keyword", "index": False, "doc_values": False},
        "title_words": WORDS,
        "title_pinyin": WORDS,
        "title_initials": WORDS,
        # One pinyin syllable (and one initial) per character, with positions, for pinyin and
        # initials typed joined across word boundaries (lajifenlei, ljfl): matched as phrases.
        "title_syllables": PHRASE_WORDS,
        "title_letters": PHRASE_WORDS,
        "tags": {"type": "keyword"},
        "tags_words": WORDS,
        "tags_pinyin": WORDS,
        "tags_syllables": PHRASE_WORDS,
        "tags_letters": PHRASE_WORDS,
        "summary": CHARS,
        "summary_words": WORDS,
        "summary_syllables": PHRASE_WORDS,  # the summary's first SPELLED_SUMMARY characters
        "summary_letters": PHRASE_WORDS,
        "body": CHARS,
        "body_words": WORDS,
        # A textbook's resource document also holds all its pages' text, unscored, so that it
        # matches whenever one of its pages does and facets can count resource documents alone.
        "pages": CHARS,
        "pages_words": WORDS,
        # The numbers of the page documents written with this resource document, read back
        # (real-time GET, no refresh needed) to delete the pages a change removed.
        "page_numbers": {"type": "integer", "index": False},
        "authors": {"type": "keyword"},
        "kind": {"type": "keyword"},
        "category": {"type": "keyword"},
        "audience": {"type": "keyword"},
        "organisation": {"type": "keyword"},
        "published_at": {"type": "date"},
        "duration": {"type": "float"},
        "views": {"type": "integer"},
        "awarded": {"type": "boolean"},
        "award": {"type": "keyword"},
        "poster": {"type": "boolean"},
        "suggest": {
            "type": "completion",
            "analyzer": "simple",
            "max_input_length": 100,
            # Suggestions are filtered like results: nothing hidden is ever offered.
            "contexts": [{"name": "visibility", "type": "category", "path": "visibility"}],
        },
    },
}

SCHEMA = 4  # the documents' shape: raise it when what the builders write changes meaning

SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"}


# Changes whenever the mapping or the documents' shape changes; an index built under another
# version is rebuilt (``search.indexer.ensure_current``).
MAPPING_VERSION = hashlib.sha256(
    json.dumps([MAPPINGS, SCHEMA], sort_keys=True).encode()
).hexdigest()[:12]


def mappings(words: Words) -> dict[str, Any]:
    """The mapping of a new index, recording the dictionary words its text was cut with."""
    meta = {
        "dictionary": [[w, f] for w, f in words],
        "dictionary_digest": segmenter(words).digest,
        "mapping_version": MAPPING_VERSION,
    }
    return {"_meta": meta, **MAPPINGS}


def words_of(meta: dict[str, Any]) -> Words:
    return tuple((str(w), int(f) if f is not None else None) for w, f in meta.get("dictionary", []))


def suggestions(title: str, seg: Segmenter | None = None) -> list[str]:
    """What the completion field offers for a title: itself, its words, its pinyin, initials."""
    seg = seg or segmenter()
    inputs = [normalise(title)]
    inputs += [w for w in seg.index_words(title).split() if len(w) > 1]
    initials = seg.pinyin_initials(title).split()
    inputs += [seg.pinyin_full(title).replace(" ", ""), initials[-1] if initials else ""]
    # The pinyin of each word, so a later word (shouji in 智能手机) also suggests the title.
    inputs += [p for p in han_pinyin(seg.index_words(title).split()) if len(p) > 3]
    seen: list[str] = []
    for item in inputs:
        if item and item not in seen:
            seen.append(item)
    return seen[:20]


def _shared(resource: dict[str, Any]) -> dict[str, Any]:
    """What a resource and each of its pages carry alike: filters, facets, ranking signals."""
    return {
        "resource_id": resource["id"],
        "visible": resource["visible"],
        "visibility": "public" if resource["visible"] else "hidden",
        "title": normalise(resource["title"]),
        "display_title": resource["title"],
        "kind": resource["kind"],
        "category": resource["category"],
        "audience": resource["audience"],
        "organisation": resource["organisation"],
        "published_at": resource.get("published_at"),
        "duration": resource.get("duration"),
        "views": resource.get("views", 0),
        "awarded": bool(resource.get("award")),
        "award": resource.get("award"),
        "poster": bool(resource.get("poster")),
    }


def _spelled(seg: Segmenter, text: str) -> str:
    """Full pinyin of every word and of the words inside it (智能手机: zhineng shouji
    zhinengshouji), so pinyin typed for part of a long word still matches."""
    words = seg.pinyin_full(text).split()
    return " ".join(dict.fromkeys([*words, *han_pinyin(seg.index_words(text).split())]))


SPELLED_SUMMARY = 200  # characters of a summary spelled in syllables: its first sentences


def _runs(texts: list[str]) -> tuple[list[str], list[str]]:
    """Syllables and letters of each text, one array value per text, so a phrase never runs
    from one tag into the next (arrays keep a position gap between values)."""
    runs = [spell_run(t) for t in texts if t.strip()]
    return [" ".join(s) for s, _l in runs], [" ".join(f) for _s, f in runs]


def resource_document(resource: dict[str, Any], seg: Segmenter | None = None) -> dict[str, Any]:
    """The indexed form of a resource, from plain values (see ``search.build``)."""
    seg = seg or segmenter()
    title = resource["title"]
    tags = resource.get("tags", [])
    summary = resource.get("summary", "")
    title_syllables, title_letters = _runs([title])
    tags_syllables, tags_letters = _runs(tags)
    summary_syllables, summary_letters = _runs([summary[:SPELLED_SUMMARY]])
    return {
        "doc_type": "resource",
        **_shared(resource),
        "title_words": seg.index_words(title),
        "title_pinyin": _spelled(seg, title),
        "title_initials": seg.pinyin_initials(title),
        "title_syllables": title_syllables,
        "title_letters": title_letters,
        "tags": tags,
        "tags_words": seg.index_words(" ".join(tags)),
        "tags_pinyin": _spelled(seg, " ".join(tags)),
        "tags_syllables": tags_syllables,
        "tags_letters": tags_letters,
        "summary": normalise(summary),
        "summary_words": seg.index_words(summary),
        "summary_syllables": summary_syllables,
        "summary_letters": summary_letters,
        "authors": resource.get("authors", []),
        "suggest": {"input": suggestions(title, seg)},
    }


def page_document(resource: dict[str, Any], number: int, text: str, words: str) -> dict[str, Any]:
    """One page of a textbook, carrying its resource's facets and visibility."""
    return {
        "doc_type": "page",
        **_shared(resource),
        "page": number,
        "body": normalise(text),
        "body_words": words,
    }


def documents(resource: dict[str, Any], seg: Segmenter | None = None) -> dict[str, dict[str, Any]]:
    """Every document of one resource, by id: ``r<id>`` and ``p<id>-<page>``."""
    seg = seg or segmenter()
    rid = resource["id"]
    pages = [(n, text, seg.index_words(text)) for n, text in resource.get("pages", [])]
    main = resource_document(resource, seg)
    if pages:
        main["pages"] = normalise(" ".join(text for _n, text, _w in pages))
        main["pages_words"] = " ".join(words for _n, _t, words in pages)
    main["page_numbers"] = [n for n, _t, _w in pages]
    docs = {f"r{rid}": main}
    for number, text, words in pages:
        docs[f"p{rid}-{number}"] = page_document(resource, number, text, words)
    return docs
