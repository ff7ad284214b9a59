"""Which judges review which entries: conflicts excluded, every entry covered, loads balanced.

Pure logic, so a plan can be previewed and every judge left out of an entry can be explained.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass


class Reason(enum.StrEnum):
    """Why a judge was not assigned to an entry; the first that applies is reported."""

    INACTIVE = "inactive"
    CO_AUTHOR = "co_author"
    SAME_ORGANISATION = "same_organisation"
    DECLARED_CONFLICT = "declared_conflict"
    NOT_EXPERT = "not_expert"
    LOAD = "load"


REASONS_ZH: dict[str, str] = {
    Reason.INACTIVE: "评委已停用",
    Reason.CO_AUTHOR: "评委是作者之一",
    Reason.SAME_ORGANISATION: "与作者同单位",
    Reason.DECLARED_CONFLICT: "评委申报了回避",
    Reason.NOT_EXPERT: "不属于评委的专业类别",
    Reason.LOAD: "其他评委任务更少或本作品评委已满",
}
REASONS_EN: dict[str, str] = {
    Reason.INACTIVE: "judge is inactive",
    Reason.CO_AUTHOR: "judge is an author",
    Reason.SAME_ORGANISATION: "same organisation as an author",
    Reason.DECLARED_CONFLICT: "judge declared a conflict of interest",
    Reason.NOT_EXPERT: "category outside the judge's expertise",
    Reason.LOAD: "other judges had fewer entries, or the entry already had enough judges",
}


@dataclass(frozen=True)
class JudgeInfo:
    id: int
    org_keys: frozenset[int]  # the judge's organisation and its street (the caller expands)
    categories: frozenset[str]  # expertise; empty = may judge any category
    active: bool = True


@dataclass(frozen=True)
class EntryInfo:
    id: int
    category: str
    author_ids: frozenset[int]  # user ids of the submitter and co-authors who have accounts
    org_keys: frozenset[int]  # organisations (and their streets) of every author


@dataclass(frozen=True)
class Kept:
    """An assignment that must stay (submitted scores, manual override), eligible or not."""

    entry_id: int
    judge_id: int


@dataclass(frozen=True)
class Skip:
    judge_id: int
    reason: Reason


@dataclass(frozen=True)
class Plan:
    assignments: list[tuple[int, int]]  # (entry_id, judge_id), new ones only
    skipped: dict[int, list[Skip]]  # entry_id → every judge not on it, by judge id
    shortfall: dict[int, int]  # entry_id → judges missing; only entries that are short
    loads: dict[int, int]  # judge_id → entries, kept ones included


def ineligibility(
    judge: JudgeInfo, entry: EntryInfo, declared: Collection[tuple[int, int]]
) -> Reason | None:
    """The first rule that forbids ``judge`` from reviewing ``entry``, or None."""
    if not judge.active:
        return Reason.INACTIVE
    if judge.id in entry.author_ids:
        return Reason.CO_AUTHOR
    if judge.org_keys & entry.org_keys:
        return Reason.SAME_ORGANISATION
    if (judge.id, entry.id) in declared:
        return Reason.DECLARED_CONFLICT
    if judge.categories and entry.category not in judge.categories:
        return Reason.NOT_EXPERT
    return None


def plan(
    entries: Sequence[EntryInfo],
    judges: Sequence[JudgeInfo],
    per_entry: int,
    kept: Sequence[Kept] = (),
    declared: Collection[tuple[int, int]] = (),
) -> Plan:
    """New assignments giving each entry ``per_entry`` judges, with the most even loads.

    Every entry gets as many eligible judges as it can (judges have no cap, so entries never
    compete for coverage). Among all such assignments the one chosen has the most even loads:
    greedy placement first, then moves along exchange paths while some judge has two or more
    entries more than a judge they could hand work to. Ties are broken by id, so the same
    input always gives the same plan.
    """
    if per_entry < 0:
        raise ValueError("per_entry must not be negative")
    entry_ids = sorted(e.id for e in entries)  # input order must not change the plan
    judge_ids = [j.id for j in judges]
    if len(set(entry_ids)) != len(entry_ids) or len(set(judge_ids)) != len(judge_ids):
        raise ValueError("entry and judge ids must be unique")
    known_entries, known_judges = set(entry_ids), set(judge_ids)
    declared = set(declared)

    kept_on: dict[int, set[int]] = {e: set() for e in entry_ids}
    for k in kept:
        if k.entry_id not in known_entries or k.judge_id not in known_judges:
            raise ValueError(f"kept assignment {k} names an unknown entry or judge")
        kept_on[k.entry_id].add(k.judge_id)

    # Judges are handled as bit positions, sorted by id, so the exchange search below works
    # on small integers and every tie falls to the lower id.
    ordered = sorted(judges, key=lambda j: j.id)
    position = {j.id: i for i, j in enumerate(ordered)}
    loads = [0] * len(ordered)
    for judge_set in kept_on.values():
        for judge_id in judge_set:
            loads[position[judge_id]] += 1

    reasons: dict[int, dict[int, Reason | None]] = {}
    candidates: dict[int, list[int]] = {}  # entry → positions of eligible judges not kept on it
    needed: dict[int, int] = {}
    for entry in entries:
        reasons[entry.id] = {j.id: ineligibility(j, entry, declared) for j in ordered}
        candidates[entry.id] = [
            position[j.id]
            for j in ordered
            if reasons[entry.id][j.id] is None and j.id not in kept_on[entry.id]
        ]
        needed[entry.id] = max(0, per_entry - len(kept_on[entry.id]))

    # Greedy: most constrained entries first, each taking the least loaded candidates.
    chosen: dict[int, set[int]] = {}
    for entry_id in sorted(entry_ids, key=lambda e: (len(candidates[e]), e)):
        picks = sorted(candidates[entry_id], key=lambda p: (loads[p], p))[: needed[entry_id]]
        chosen[entry_id] = set(picks)
        for p in picks:
            loads[p] += 1

    _balance(entry_ids, candidates, chosen, loads)

    assignments = sorted(
        (entry_id, ordered[p].id) for entry_id, picks in chosen.items() for p in picks
    )
    skipped: dict[int, list[Skip]] = {}
    shortfall: dict[int, int] = {}
    for entry_id in entry_ids:
        on_entry = kept_on[entry_id] | {ordered[p].id for p in chosen[entry_id]}
        skipped[entry_id] = [
            Skip(judge.id, reasons[entry_id][judge.id] or Reason.LOAD)
            for judge in ordered
            if judge.id not in on_entry
        ]
        missing = per_entry - len(on_entry)
        if missing > 0:
            shortfall[entry_id] = missing
    return Plan(
        assignments=assignments,
        skipped=skipped,
        shortfall=shortfall,
        loads={judge.id: loads[position[judge.id]] for judge in ordered},
    )


def _balance(
    entry_ids: Sequence[int],
    candidates: dict[int, list[int]],
    chosen: dict[int, set[int]],
    loads: list[int],
) -> None:
    """Move new assignments along exchange paths until no judge can shed a load gap of two.

    An edge a → b means some entry has a new assignment to judge a and could take judge b
    instead. Shifting one entry along each edge of a path from a to b lowers a's load by one,
    raises b's by one and leaves everyone else's alone. The load vectors reachable this way form
    an M-convex set, for which "no path from a to b with load(a) ≥ load(b) + 2" means the
    loads are as even as possible: the largest load is smallest and the smallest is largest.
    """
    candidate_masks = {e: sum(1 << p for p in candidates[e]) for e in entry_ids}
    while True:
        # out[a]: the judges that could take over one of a's new entries.
        out = [0] * len(loads)
        for entry_id in entry_ids:
            picks = chosen[entry_id]
            if not picks:
                continue
            free = candidate_masks[entry_id] & ~sum(1 << p for p in picks)
            if free:
                for p in picks:
                    out[p] |= free
        path = _improving_path(out, loads)
        if path is None:
            return
        for giver, taker in itertools.pairwise(path):
            entry_id = _witness(entry_ids, candidate_masks, chosen, giver, taker)
            chosen[entry_id].remove(giver)
            chosen[entry_id].add(taker)
        loads[path[0]] -= 1
        loads[path[-1]] += 1


def _improving_path(out: list[int], loads: list[int]) -> list[int] | None:
    """A shortest path from a most loaded judge to one with at least two entries fewer."""
    for source in sorted(range(len(loads)), key=lambda p: (-loads[p], p)):
        parent = {source: source}
        frontier = [source]
        while frontier:
            following = []
            for node in frontier:
                rest = out[node]
                while rest:
                    low = rest & -rest
                    rest ^= low
                    reached = low.bit_length() - 1
                    if reached not in parent:
                        parent[reached] = node
                        following.append(reached)
            frontier = following
        targets = [p for p in parent if loads[p] <= loads[source] - 2]
        if targets:
            target = min(targets, key=lambda p: (loads[p], p))
            path = [target]
            while path[-1] != source:
                path.append(parent[path[-1]])
            return path[::-1]
    return None


def _witness(
    entry_ids: Sequence[int],
    candidate_masks: dict[int, int],
    chosen: dict[int, set[int]],
    giver: int,
    taker: int,
) -> int:
    # Each step of a path removes only its giver and adds only its taker, so along a simple path
    # the entry that witnessed an edge before the path was applied still does when its turn comes.
    for entry_id in entry_ids:
        picks = chosen[entry_id]
        if giver in picks and taker not in picks and candidate_masks[entry_id] >> taker & 1:
            return entry_id
    raise AssertionError("exchange edge without an entry")  # pragma: no cover
