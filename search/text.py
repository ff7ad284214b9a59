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


def _plain_latin(char: str) -> str:
    """A Latin letter without its tone mark (à → a); ü with or without a tone is written v,
    as pinyin is typed on a keyboard (lǜ → lv)."""
    if not "\u00c0" <= char <= "\u024f" and not "\u1e00" <= char <= "\u1eff":
        return char
    parts = unicodedata.normalize("NFD", char)
    if parts[0] == "u" and "\u0308" in parts:
        return "v"
    return "".join(c for c in parts if unicodedata.category(c) != "Mn")


def normalise(text: str) -> str:
    """Full-width to half-width, one case, no control characters, no tone marks on Latin
    letters, single spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isascii():
        text = "".join(_plain_latin(c) for c in text)
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

    def frequency(self, text: str) -> int:
        """How common ``text`` is as a word of the dictionary (jieba's, the domain's, the
        admins'); 0 when it is not a word."""
        return int(self.tokenizer.FREQ.get(text) or 0)

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


# --- syllables: pinyin that runs across word boundaries ---------------------------------------

_ALNUM = re.compile(r"[a-z0-9]+")


def _not_han(chunk: str) -> str:
    return "\x00" + chunk


@lru_cache(maxsize=16384)
def spell_run(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The text as a run of pinyin syllables, one per Chinese character, with Latin words and
    numbers kept whole, and the first letters of the Chinese syllables alone:
    垃圾分类，从我做起 → (la ji fen lei cong wo zuo qi), (l j f l c w z q).

    pypinyin reads the whole text, so a character with two readings is read as its neighbours
    want (银行 → hang). Indexed with positions, a phrase of syllables matches pinyin typed
    joined (lajifenlei), starting and ending anywhere, not only at jieba's word boundaries; the
    letters do the same for initials (ljfl). Latin words are left out of the letters, so
    initials typed for the Chinese run on across them."""
    from pypinyin import lazy_pinyin

    sounds: list[str] = []
    firsts: list[str] = []
    for item in lazy_pinyin(normalise(text), errors=_not_han):
        if item.startswith("\x00"):
            sounds += _ALNUM.findall(item[1:])
        elif item.isascii() and item.isalpha():
            sounds.append(item)
            firsts.append(item[0])
    return tuple(sounds), tuple(firsts)


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every toneless Mandarin syllable pypinyin knows (about 420), with ü written v."""
    from pypinyin.pinyin_dict import pinyin_dict

    found: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = normalise(reading)
            if plain.isascii() and plain.isalpha():
                found.add(plain)
    # Readings of interjections (hm, ng, m) would let almost any initials pass as pinyin.
    return frozenset(s for s in found if any(v in s for v in "aeiouv"))


_TONE_NUMBERS = re.compile(r"^(?:[a-z]+[1-5])+[a-z]*$")


def plain_pinyin(token: str) -> str:
    """Typed pinyin with tone numbers or ``u:`` made plain: tai4ji2quan2 → taijiquan, lu:4 →
    lv. A token whose digits do not follow syllables (mp4, 5g) is left as it is."""
    token = token.replace("u:", "v")
    if _TONE_NUMBERS.match(token):
        parts = re.findall(r"([a-z]+)[1-5]", token)
        known = pinyin_syllables()
        if all(p in known for p in parts):
            return re.sub(r"[1-5]", "", token)
    return token


def split_syllables(token: str, limit: int = 3) -> list[list[str]]:
    """The ways ``token`` splits into the fewest pinyin syllables (at most ``limit``): xian →
    [xian]; fangan → [fang an], [fan gan]; ljfl → [] (initials, not pinyin).
    An apostrophe or space marks a boundary the typist chose (xi'an)."""
    known = pinyin_syllables()
    pieces = [p for p in re.split(r"['\s]+", token) if p]
    ways: list[list[str]] = [[]]
    for piece in pieces:
        if len(piece) > 60:
            return []
        # best[i]: the splits of piece[i:], fewest syllables first, a few kept at each point.
        best: list[list[list[str]]] = [[] for _ in range(len(piece) + 1)]
        best[len(piece)] = [[]]
        for i in range(len(piece) - 1, -1, -1):
            found: list[list[str]] = []
            for j in range(min(len(piece), i + 6), i, -1):
                head = piece[i:j]
                if head in known:
                    found += [[head, *rest] for rest in best[j]]
            found.sort(key=len)
            best[i] = found[:limit]
        if not best[0]:
            return []
        ways = [[*w, *tail] for w in ways for tail in best[0]][:limit]
    # Only the fewest syllables: typed joined, jiao is 交 (not ji ao), and a split with more
    # syllables would find phrases nobody meant.
    fewest = min(len(w) for w in ways)
    return [w for w in ways if len(w) == fewest][:limit]


@lru_cache(maxsize=1)
def _syllable_starts() -> frozenset[str]:
    return frozenset(s[:i] for s in pinyin_syllables() for i in range(1, len(s) + 1))


def split_typing(token: str) -> list[str]:
    """Pinyin being typed, as whole syllables and the start of the next one: zhinengsh →
    [zhi, neng, sh]; [] when it is not pinyin (initials such as znsj)."""
    for cut in range(len(token), 0, -1):
        head, tail = token[:cut], token[cut:]
        if tail and tail not in _syllable_starts():
            continue
        ways = split_syllables(head)
        if ways:
            return [*ways[0], *([tail] if tail else [])]
    return [token] if token in _syllable_starts() else []
