"""Synonyms and everyday words, applied when a query is read (no index rebuild needed).

Residents write 反诈, 坐地铁 and 交电费 where the resources say 防范诈骗, 乘坐地铁 and 缴纳电费.
Groups of words that stand for each other come from ``synonyms.txt`` (shipped for the district's
domains) and from the groups admins add at ``/admin/search``. A query is read as segments, each
with the other words of its group (``Synonyms.expand``); the expanded query is searched beside
the query as typed and scores a little less, so a resource that uses the very words typed
still comes first.

A word matches where the query's words (as jieba cuts them) make it up exactly, or inside one
word when what is left on either side is a dictionary word more common than the whole
(坐地铁 = 坐 + 地铁, while 坐月子 stays whole), so a one-character word like 坐 is never
replaced inside an unrelated word.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from search.text import normalise

SHIPPED = Path(__file__).with_name("synonyms.txt")
SEPARATORS = re.compile(r"[,，、;；\s]+")
TERM = re.compile(r"^[\u4e00-\u9fffa-z0-9·]{1,20}$")
MAX_TERMS = 12
MAX_SPAN = 4  # query words joined to match one term
MAX_ALTERNATIVES = 8  # other wordings of one segment


class BadGroup(ValueError):
    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en


def parse_group(text: str) -> tuple[str, ...]:
    """The words of one group as typed (separated by commas, 、 or spaces), normalised and
    without repeats; a malformed group is refused with a message in both languages."""
    terms = tuple(dict.fromkeys(normalise(t) for t in SEPARATORS.split(text) if t.strip()))
    if len(terms) < 2:
        raise BadGroup(
            "一组至少要有两个词，用逗号或顿号隔开",
            "A group needs at least two words, comma-separated",
        )
    if len(terms) > MAX_TERMS:
        raise BadGroup(f"一组最多 {MAX_TERMS} 个词", f"A group holds at most {MAX_TERMS} words")
    for term in terms:
        if not TERM.match(term):
            raise BadGroup(
                f"“{term[:20]}”不是词语：每个词 1–20 个汉字、字母或数字，不含标点",
                f"“{term[:20]}” is not a word: 1–20 Chinese characters, letters or digits",
            )
    return terms


def group_key(terms: Iterable[str]) -> str:
    """One spelling of a group whatever the order of its words, for the unique constraint."""
    return ",".join(sorted(terms))


def shipped_groups(path: Path = SHIPPED) -> list[tuple[str, ...]]:
    return list(_shipped(str(path)))


@lru_cache(maxsize=4)
def _shipped(path: str) -> tuple[tuple[str, ...], ...]:
    groups = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        group = line.split("#", 1)[0].strip()
        if group:
            groups.append(parse_group(group))
    return tuple(groups)


@dataclass(frozen=True)
class Synonyms:
    """Each word of every group, with the other words it stands for."""

    table: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, groups: Iterable[Sequence[str]]) -> Synonyms:
        others: dict[str, dict[str, None]] = {}
        for group in groups:
            for term in group:
                alternatives = others.setdefault(term, {})
                alternatives.update(dict.fromkeys(t for t in group if t != term))
        return cls({term: tuple(alts) for term, alts in others.items()})

    def expand(
        self, words: Sequence[str], frequency: Callable[[str], int]
    ) -> list[tuple[str, tuple[str, ...]]]:
        """The query's words as segments, each with the other words it may be written as:
        老人 摔跤 → (老人: 老年人, 长者 …), (摔跤: 摔倒, 跌倒). Empty when no word has a
        synonym. A search then asks for every segment in any of its wordings, so all
        combinations count without listing them.

        ``frequency`` says how common a word is in the dictionary (0: not a word)."""
        if not self.table:
            return []
        segments: list[tuple[str, tuple[str, ...]]] = []
        i = 0
        while i < len(words):
            found = self._span(words, i)
            if found is not None:
                length, alternatives = found
                segments.append(("".join(words[i : i + length]), alternatives))
                i += length
                continue
            inside = self._inside(words[i], frequency)
            if inside is not None:
                before, term, after = inside
                segments += [(before, ())] if before else []
                segments.append((term, self.table[term]))
                segments += [(after, ())] if after else []
            else:
                segments.append((words[i], ()))
            i += 1
        if not any(alternatives for _w, alternatives in segments):
            return []
        return [(w, alternatives[:MAX_ALTERNATIVES]) for w, alternatives in segments]

    def _span(self, words: Sequence[str], start: int) -> tuple[int, tuple[str, ...]] | None:
        """The longest run of words from ``start`` that is a term."""
        for length in range(min(MAX_SPAN, len(words) - start), 0, -1):
            alternatives = self.table.get("".join(words[start : start + length]))
            if alternatives:
                return length, alternatives
        return None

    def _inside(self, word: str, frequency: Callable[[str], int]) -> tuple[str, str, str] | None:
        """The longest term inside ``word`` whose leftovers are words more common than the
        whole: 坐地铁 → 坐 + 地铁 (地铁 is far more common), but 坐月子 stays whole (a fixed
        expression, more common than 月子)."""
        if len(word) < 2 or len(word) > 12:
            return None
        whole = frequency(word)
        for size in range(len(word) - 1, 0, -1):
            for start in range(0, len(word) - size + 1):
                term = word[start : start + size]
                before, after = word[:start], word[start + size :]
                if term in self.table and all(
                    not p or frequency(p) > whole for p in (before, after)
                ):
                    return before, term, after
        return None


class SynonymSource:
    """The groups in force, read again when an admin changes them (a Redis token says so) and
    at least every ``ttl`` seconds, so each query costs one Redis read, not a database query."""

    def __init__(
        self,
        load: Callable[[], list[tuple[str, ...]]],
        token: Callable[[], str | None],
        ttl: float = 30.0,
    ) -> None:
        self._load = load
        self._token = token
        self.ttl = ttl
        self._cached: tuple[str | None, float, Synonyms] | None = None

    def forget(self) -> None:
        self._cached = None

    def current(self) -> Synonyms:
        token = self._token()
        cached = self._cached
        now = time.monotonic()
        if cached is not None and cached[0] == token and now - cached[1] < self.ttl:
            return cached[2]
        synonyms = Synonyms.of([*shipped_groups(), *self._load()])
        self._cached = (token, now, synonyms)
        return synonyms
