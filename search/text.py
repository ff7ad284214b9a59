"""Chinese text for the index: normalised, segmented with jieba, and spelled in pinyin.

Elasticsearch here has only its core analyzers, so words are cut in Python: ``cut_for_search``
(overlapping words, for recall) when indexing, ``cut`` when querying, and the results go into
fields analysed by ``whitespace``. The tokenizer is built on first use, with the domain
dictionary kept in this package (street names, 三农, 微课…), never at import.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import cache
from pathlib import Path

import jieba
from pypinyin import Style, lazy_pinyin

DICTIONARY = Path(__file__).with_name("dictionary.txt")
_WORD = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_lock = threading.Lock()

logging.getLogger("jieba").setLevel(logging.WARNING)


def normalise(text: str) -> str:
    """Full-width to half-width, one case, no control characters, single spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return " ".join(text.split())


@cache
def tokenizer(dictionary: Path = DICTIONARY) -> jieba.Tokenizer:
    with _lock:
        tk = jieba.Tokenizer()
        tk.initialize()
        if dictionary.is_file():
            with dictionary.open("rb") as words:  # given a path, jieba leaves the file open
                tk.load_userdict(words)
        return tk


def _words(tokens: object) -> list[str]:
    return [t.strip() for t in tokens if t.strip() and _WORD.search(t)]  # type: ignore[attr-defined]


def index_words(text: str) -> str:
    """Words for the index (overlapping, for recall), space-separated."""
    return " ".join(_words(tokenizer().cut_for_search(normalise(text))))


def query_words(text: str) -> list[str]:
    """Words of a query, as a reader would split them."""
    return _words(tokenizer().cut(normalise(text)))


def pinyin_full(text: str) -> str:
    """Each word spelled in full pinyin, syllables joined: 智能手机 挂号 → zhinengshouji guahao."""
    words = query_words(text)
    return " ".join("".join(lazy_pinyin(w)) for w in words if _HAN.search(w) or w.isalnum())


def pinyin_initials(text: str) -> str:
    """Initial letters per word and for the whole text: 智能手机挂号 → znsj gh znsjgh."""
    words = [w for w in query_words(text) if _HAN.search(w)]
    per_word = ["".join(lazy_pinyin(w, style=Style.FIRST_LETTER)) for w in words]
    whole = "".join(per_word)
    return " ".join([*per_word, whole] if len(per_word) > 1 else per_word)
