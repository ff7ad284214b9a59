"""From judges' rubric scores to a ranking and awards: pure rules, so results can be explained.

Everything here is on a 0–100 scale; rounding happens only where a rule compares scores.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

# Scores are compared after rounding to what the results page shows, so two entries that look
# equal on the page are treated as equal by the ranking.
DECIMALS = 2
# Guards floor() against 0.1 * 30 landing on 2.9999999999999996.
_FLOOR_EPSILON = 1e-9
TRIM_MIN_TOTALS = 5

TIE_BREAK_RULES_ZH = (
    "按总分（保留两位小数）从高到低排名。",
    "总分相同时，依次比较评分细则中指定的优先项得分平均值，高者在前。",
    "仍相同时，评委打分离散程度（标准差）较小者在前，即评委意见更一致者在前。",
    "仍相同时并列名次，其后名次顺延（如 1、2、2、4）。",
)
TIE_BREAK_RULES_EN = (
    "Entries are ranked by total score (to two decimals), highest first.",
    "Equal totals are separated by the mean scores of the rubric's tie-break criteria, "
    "in the order given, highest first.",
    "Still equal: the entry whose judges agree more (smaller standard deviation) comes first.",
    "Still equal: the entries share a rank and the next rank is skipped (1, 2, 2, 4).",
)


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    weight: float
    max_score: float
    counts: bool = True  # criteria marked not counting are excluded from the total

    def __post_init__(self) -> None:
        if not (math.isfinite(self.weight) and self.weight > 0):
            raise ValueError(f"criterion {self.id}: weight must be positive")
        if not (math.isfinite(self.max_score) and self.max_score > 0):
            raise ValueError(f"criterion {self.id}: max_score must be positive")


def weighted_total(criteria: Sequence[CriterionSpec], scores: Mapping[int, float]) -> float:
    """One judge's total for one entry on a 0–100 scale; scores of unknown criteria are ignored."""
    ids = [c.id for c in criteria]
    if len(set(ids)) != len(ids):
        raise ValueError("criterion ids must be unique")
    counting = [c for c in criteria if c.counts]
    if not counting:
        raise ValueError("the rubric has no counting criterion")
    parts = []
    for criterion in counting:
        if criterion.id not in scores:
            raise ValueError(f"criterion {criterion.id} has no score")
        score = scores[criterion.id]
        if not 0 <= score <= criterion.max_score:  # also rejects NaN
            raise ValueError(f"criterion {criterion.id}: score {score} outside [0, max]")
        parts.append(criterion.weight * score / criterion.max_score)
    return 100 * math.fsum(parts) / math.fsum(c.weight for c in counting)


def _mean_within(values: Sequence[float]) -> float:
    # fsum/n can land one ulp outside [min, max] (three times 0.1); a mean never should.
    return min(max(math.fsum(values) / len(values), min(values)), max(values))


def aggregate(totals: Sequence[float], method: Literal["mean", "trimmed"]) -> float:
    """An entry's score from its judges' totals."""
    if not totals:
        raise ValueError("no totals to aggregate")
    if method == "mean":
        return _mean_within(totals)
    if method == "trimmed":
        # Dropping extremes from three or four judges would discard too much of the panel.
        if len(totals) < TRIM_MIN_TOTALS:
            return _mean_within(totals)
        return _mean_within(sorted(totals)[1:-1])
    raise ValueError(f"unknown aggregation method: {method!r}")


@dataclass(frozen=True)
class Normalised:
    totals: dict[tuple[int, int], float]  # (judge_id, entry_id) → normalised total
    raw_judges: frozenset[int]  # judges whose totals were kept raw (too few entries, no spread)


def normalise(totals: Mapping[tuple[int, int], float], min_entries: int = 5) -> Normalised:
    """Remove each judge's leniency: per-judge z-scores mapped onto the pooled mean and spread.

    Keys are (judge_id, entry_id). A judge with fewer than ``min_entries`` entries has too small a
    sample to estimate leniency, and one who gave everyone the same total has no scale; both keep
    raw totals. Results are clamped to 0–100 so they read like any other total.
    """
    if not totals:
        return Normalised(totals={}, raw_judges=frozenset())
    pooled_mean = statistics.fmean(totals.values())
    pooled_sd = statistics.pstdev(totals.values())
    by_judge: dict[int, list[tuple[int, float]]] = {}
    for (judge_id, entry_id), total in totals.items():
        by_judge.setdefault(judge_id, []).append((entry_id, total))
    result: dict[tuple[int, int], float] = {}
    raw: set[int] = set()
    for judge_id, scored in by_judge.items():
        values = [total for _, total in scored]
        judge_mean = statistics.fmean(values)
        judge_sd = statistics.pstdev(values)
        if len(scored) < min_entries or judge_sd == 0:
            raw.add(judge_id)
            result.update(((judge_id, entry_id), total) for entry_id, total in scored)
            continue
        for entry_id, total in scored:
            rescaled = pooled_mean + (total - judge_mean) / judge_sd * pooled_sd
            result[judge_id, entry_id] = min(max(rescaled, 0.0), 100.0)
    return Normalised(totals=result, raw_judges=frozenset(raw))


def disagreement(totals: Sequence[float], threshold: float) -> bool:
    """Whether the judges' totals for one entry are far enough apart to ask for a review."""
    if not totals:
        return False
    return max(totals) - min(totals) > threshold


@dataclass(frozen=True)
class EntryScore:
    entry_id: int
    score: float
    tie_break: tuple[float, ...]  # means of the tie-break criteria, in the rubric's order
    spread: float  # population standard deviation of the judges' totals


@dataclass(frozen=True)
class Ranked:
    entry_id: int
    score: float
    rank: int
    tied: bool


def _order_key(entry: EntryScore) -> tuple[float, tuple[float, ...], float]:
    # Larger is better in every position, so the ranking sorts this key descending.
    return (
        round(entry.score, DECIMALS),
        tuple(round(value, DECIMALS) for value in entry.tie_break),
        -round(entry.spread, DECIMALS),
    )


def rank(entries: Sequence[EntryScore]) -> list[Ranked]:
    """Standard competition ranking by the rules in ``TIE_BREAK_RULES_EN``."""
    ids = [e.entry_id for e in entries]
    if len(set(ids)) != len(ids):
        raise ValueError("entry ids must be unique")
    keyed = [(_order_key(e), e) for e in entries]
    # Two stable sorts: entry id ascending within equal keys, keys descending overall.
    keyed.sort(key=lambda pair: pair[1].entry_id)
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    result: list[Ranked] = []
    start = 0
    while start < len(keyed):
        end = start
        while end < len(keyed) and keyed[end][0] == keyed[start][0]:
            end += 1
        tied = end - start > 1
        result.extend(
            Ranked(entry_id=e.entry_id, score=e.score, rank=start + 1, tied=tied)
            for _, e in keyed[start:end]
        )
        start = end
    return result


@dataclass(frozen=True)
class Tier:
    name: str
    count: int | None = None
    percent: float | None = None

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("an award tier needs a name")
        if (self.count is None) == (self.percent is None):
            raise ValueError(f"tier {self.name}: give exactly one of count and percent")
        if self.count is not None and self.count < 0:
            raise ValueError(f"tier {self.name}: count must not be negative")
        if self.percent is not None and not 0 <= self.percent <= 100:
            raise ValueError(f"tier {self.name}: percent must be within 0–100")

    def places(self, entries: int) -> int:
        if self.count is not None:
            return self.count
        assert self.percent is not None  # __post_init__ guarantees one of the two
        return math.floor(self.percent / 100 * entries + _FLOOR_EPSILON)


@dataclass(frozen=True)
class Allocation:
    awards: dict[int, str]  # entry_id → tier name; entries without an award are absent
    notes: list[tuple[str, str]]  # (zh, en) explanations of tied groups moved down


def _ids_text(ids: Sequence[int], separator: str) -> str:
    return separator.join(str(i) for i in ids)


def _moved_note(
    group_rank: int, ids: Sequence[int], tier: str, remaining: int, target: str | None
) -> tuple[str, str]:
    zh_ids, en_ids = _ids_text(ids, "、"), _ids_text(ids, ", ")
    head_zh = (
        f"并列第{group_rank}名的作品 {zh_ids} 共{len(ids)}件，"
        f"超出「{tier}」剩余名额（{remaining}个），"
    )
    head_en = (
        f"Entries {en_ids}, tied at rank {group_rank}, do not all fit into the {remaining} "
        f"remaining place(s) of {tier}"
    )
    if target is None:
        return head_zh + "均不获奖。", head_en + "; none of them receives an award."
    return head_zh + f"均改评「{target}」。", head_en + f"; all of them move to {target}."


def allocate(
    ranked: Sequence[Ranked],
    tiers: Sequence[Tier],
    eligible: Callable[[Ranked], bool] | None = None,
) -> Allocation:
    """Awards down the ranking, best tier first; a tier's places are never exceeded.

    Entries sharing a rank are treated alike: if they do not all fit into what is left of a
    tier, they all move to the next tier. Unused places do not carry over, so a lower tier
    never grows because a higher one was cut short by a tie. Ineligible entries take no place.
    """
    ordered = sorted(ranked, key=lambda r: (r.rank, r.entry_id))
    groups: list[list[Ranked]] = []
    for entry in ordered:
        if eligible is not None and not eligible(entry):
            continue
        if groups and groups[-1][0].rank == entry.rank:
            groups[-1].append(entry)
        else:
            groups.append([entry])
    awards: dict[int, str] = {}
    notes: list[tuple[str, str]] = []
    tier_index = 0
    remaining = tiers[0].places(len(ranked)) if tiers else 0
    for group in groups:
        ids = [r.entry_id for r in group]
        cut_short: list[tuple[str, int]] = []  # tiers the group skipped with places still left
        while tier_index < len(tiers) and len(group) > remaining:
            if remaining > 0:  # a full tier needs no explanation; a tie cutting it short does
                cut_short.append((tiers[tier_index].name, remaining))
            tier_index += 1
            if tier_index < len(tiers):
                remaining = tiers[tier_index].places(len(ranked))
        target = tiers[tier_index].name if tier_index < len(tiers) else None
        notes.extend(
            _moved_note(group[0].rank, ids, name, left, target) for name, left in cut_short
        )
        if target is None:
            break
        for entry_id in ids:
            awards[entry_id] = target
        remaining -= len(group)
    return Allocation(awards=awards, notes=notes)
