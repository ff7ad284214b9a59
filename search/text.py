"""Chinese text for the index: normalised, segmented with jieba, and spelled in pinyin.

Elasticsearch here has only its core analyzers, so words are cut in Python: ``cut_for_search``
(overlapping words, for recall) when indexing, ``cut`` when querying, and the results go into
fields analysed by ``whitespace``. A :class:`Segmenter` holds one jieba tokenizer built with the
domain dictionary kept in this package (street names, 三农, 微课…) plus the words admins added;
each index records the added words it was built with, so queries are cut the same way.
Tokenizers are built on first use, never at import.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import jieba

DICTIONARY = Path(__file__).with_name("dictionary.txt")
_WORD = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)
_HAN = re.compile(r"[\u4e00-\u9fff]")

logging.getLogger("jieba").setLevel(logging.WARNING)

Words = tuple[tuple[str, int | None], ...]  # (word, frequency or None for jieba's guess)
CACHED_TEXT = 600  # characters: titles, tags and summaries are cached cuts, page text is not


@lru_cache(maxsize=65536)
def _spell(word: str, *, initials: bool = False) -> str:
    """The pinyin of ``word`` (or its initials). pypinyin is imported on first use: its
    dictionaries take about 55 MB, which a web process that never serves a search (uploads,
    playback) does not need to hold."""
    from pypinyin import Style, lazy_pinyin

    style = Style.FIRST_LETTER if initials else Style.NORMAL
    return "".join(lazy_pinyin(word, style=style))


def normalise(text: str) -> str:
    """Full-width to half-width, one case, no control characters, single spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return " ".join(text.split())


def _words(tokens: Iterable[str]) -> list[str]:
    return [t.strip() for t in tokens if t.strip() and _WORD.search(t)]


def dictionary_digest(words: Words) -> str:
    """A short name for a set of added words, stored with the index built from them."""
    joined = "\n".join(f"{w}\t{f or ''}" for w, f in sorted(words))
    return hashlib.sha256(joined.encode()).hexdigest()[:12]


class Segmenter:
    """Cuts and spells text with the repository dictionary plus ``extra`` words."""

    def __init__(self, extra: Words = ()) -> None:
        self.extra = extra
        self.digest = dictionary_digest(extra)
        self._tokenizer: jieba.Tokenizer | None = None
        self._lock = threading.Lock()
        # The same titles, tags and summaries are cut again on every change of a resource (a
        # publish rewrites all its documents): recent cuts of short texts are kept.
        self._index_cut = lru_cache(maxsize=4096)(self._cut_for_index)
        self._query_cut = lru_cache(maxsize=4096)(self._cut_for_query)

    @property
    def tokenizer(self) -> jieba.Tokenizer:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    tk = jieba.Tokenizer()
                    tk.initialize()
                    if DICTIONARY.is_file():
                        with DICTIONARY.open("rb") as words:  # given a path, jieba leaves it open
                            tk.load_userdict(words)
                    for word, freq in self.extra:
                        tk.add_word(word, freq=freq)
                    self._tokenizer = tk
        return self._tokenizer

    def index_words(self, text: str) -> str:
        """Words for the index (overlapping, for recall), space-separated."""
        if len(text) > CACHED_TEXT:  # page text: rarely cut twice, and large to keep
            return self._cut_for_index(text)
        return self._index_cut(text)

    def query_words(self, text: str) -> list[str]:
        """Words of a query, as a reader would split them."""
        return list(self._query_cut(text))

    def _cut_for_index(self, text: str) -> str:
        return " ".join(_words(self.tokenizer.cut_for_search(normalise(text))))

    def _cut_for_query(self, text: str) -> tuple[str, ...]:
        return tuple(_words(self.tokenizer.cut(normalise(text))))

    def pinyin_full(self, text: str) -> str:
        """Each word in full pinyin, syllables joined: 智能手机 挂号 → zhinengshouji guahao."""
        words = self.query_words(text)
        return " ".join(_spell(w) for w in words if _HAN.search(w) or w.isalnum())

    def pinyin_initials(self, text: str) -> str:
        """Initials per word and for the whole text: 智能手机挂号 → znsj gh znsjgh."""
        words = [w for w in self.query_words(text) if _HAN.search(w)]
        per_word = [_spell(w, initials=True) for w in words]
        whole = "".join(per_word)
        return " ".join([*per_word, whole] if len(per_word) > 1 else per_word)


def segmenter(extra: Words = ()) -> Segmenter:
    """The shared segmenter for a set of added words (a tokenizer costs about 1 s to build)."""
    return _segmenter(tuple(extra))


@lru_cache(maxsize=8)
def _segmenter(extra: Words) -> Segmenter:
    return Segmenter(extra)


def index_words(text: str) -> str:
    return segmenter().index_words(text)


def query_words(text: str) -> list[str]:
    return segmenter().query_words(text)


def pinyin_full(text: str) -> str:
    return segmenter().pinyin_full(text)


def pinyin_initials(text: str) -> str:
    return segmenter().pinyin_initials(text)


def han_pinyin(words: Iterable[str]) -> list[str]:
    """Full pinyin of the Chinese words among ``words``, so a homophone typo still matches."""
    return [_spell(w) for w in words if _HAN.search(w)]
