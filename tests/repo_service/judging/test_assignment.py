"""Judge assignment: no conflicted judge, full coverage, even loads, every omission explained."""

from __future__ import annotations

import itertools
import random
import time
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repo_service.judging.assignment import (
    REASONS_EN,
    REASONS_ZH,
    EntryInfo,
    JudgeInfo,
    Kept,
    Plan,
    Reason,
    Skip,
    plan,
)

pytestmark = pytest.mark.unit

CATEGORIES = ("微课", "课件", "教材")


def expected_reason(
    judge: JudgeInfo, entry: EntryInfo, declared: set[tuple[int, int]]
) -> str | None:
    """The conflict rules, restated here so the tests do not trust the module's own check."""
    if not judge.active:
        return "inactive"
    if judge.id in entry.author_ids:
        return "co_author"
    if judge.org_keys & entry.org_keys:
        return "same_organisation"
    if (judge.id, entry.id) in declared:
        return "declared_conflict"
    if judge.categories and entry.category not in judge.categories:
        return "not_expert"
    return None


Instance = tuple[list[EntryInfo], list[JudgeInfo], int, list[Kept], set[tuple[int, int]]]


@st.composite
def instances(draw: st.DrawFn, max_entries: int = 25, max_judges: int = 10) -> Instance:
    """Random rounds with overlapping organisations, judge-authors, expertise and conflicts."""
    judge_ids = draw(st.lists(st.integers(1, 40), min_size=1, max_size=max_judges, unique=True))
    judges = [
        JudgeInfo(
            id=judge_id,
            org_keys=draw(st.frozensets(st.integers(0, 7), max_size=2)),
            categories=draw(st.frozensets(st.sampled_from(CATEGORIES), max_size=2)),
            active=draw(st.sampled_from([True, True, True, False])),
        )
        for judge_id in judge_ids
    ]
    entry_ids = draw(st.lists(st.integers(100, 200), max_size=max_entries, unique=True))
    entries = [
        EntryInfo(
            id=entry_id,
            category=draw(st.sampled_from(CATEGORIES)),
            # Author ids share the range of judge ids, so judges are sometimes co-authors.
            author_ids=draw(st.frozensets(st.integers(1, 60), max_size=3)),
            org_keys=draw(st.frozensets(st.integers(0, 7), max_size=2)),
        )
        for entry_id in entry_ids
    ]
    pairs = [(j, e) for j in judge_ids for e in entry_ids]
    declared = set(draw(st.lists(st.sampled_from(pairs), max_size=8))) if pairs else set()
    kept = (
        [Kept(e, j) for j, e in draw(st.lists(st.sampled_from(pairs), max_size=6))] if pairs else []
    )
    per_entry = draw(st.integers(0, 6))
    return entries, judges, per_entry, kept, declared


@st.composite
def open_instances(draw: st.DrawFn) -> tuple[list[EntryInfo], list[JudgeInfo], int]:
    """Rounds where every judge may review every entry."""
    n_judges = draw(st.integers(1, 10))
    judges = [
        JudgeInfo(j, frozenset({j}), draw(st.sampled_from([frozenset(), frozenset(CATEGORIES)])))
        for j in range(1, n_judges + 1)
    ]
    entries = [
        EntryInfo(e, draw(st.sampled_from(CATEGORIES)), frozenset({1000 + e}), frozenset({-e}))
        for e in range(100, 100 + draw(st.integers(0, 25)))
    ]
    return entries, judges, draw(st.integers(0, n_judges))


def on_entry(result: Plan, kept: list[Kept], entry_id: int) -> list[int]:
    new = [j for e, j in result.assignments if e == entry_id]
    return new + sorted({k.judge_id for k in kept if k.entry_id == entry_id})


@settings(deadline=None)
@given(instances())
def test_no_rule_is_ever_broken_and_every_entry_is_covered(instance: Instance) -> None:
    entries, judges, per_entry, kept, declared = instance
    result = plan(entries, judges, per_entry, kept=kept, declared=declared)
    judge_by_id = {j.id: j for j in judges}
    entry_by_id = {e.id: e for e in entries}
    kept_pairs = {(k.entry_id, k.judge_id) for k in kept}

    assert len(set(result.assignments)) == len(result.assignments)
    assert result.assignments == sorted(result.assignments)
    for entry_id, judge_id in result.assignments:
        assert expected_reason(judge_by_id[judge_id], entry_by_id[entry_id], declared) is None
        assert (entry_id, judge_id) not in kept_pairs

    for entry in entries:
        kept_here = {j for e, j in kept_pairs if e == entry.id}
        eligible = {j.id for j in judges if expected_reason(j, entry, declared) is None} - kept_here
        total = len(on_entry(result, kept, entry.id))
        assert total == max(len(kept_here), min(per_entry, len(kept_here) + len(eligible)))
        assert result.shortfall.get(entry.id, 0) == max(0, per_entry - total)
    assert all(missing > 0 for missing in result.shortfall.values())

    loads = Counter(j for _, j in result.assignments) + Counter(j for _, j in kept_pairs)
    assert result.loads == {j.id: loads[j.id] for j in judges}


@settings(deadline=None)
@given(instances())
def test_every_judge_left_out_is_explained_with_the_right_reason(instance: Instance) -> None:
    entries, judges, per_entry, kept, declared = instance
    result = plan(entries, judges, per_entry, kept=kept, declared=declared)
    assert set(result.skipped) == {e.id for e in entries}
    for entry in entries:
        assigned = set(on_entry(result, kept, entry.id))
        skipped = result.skipped[entry.id]
        assert [s.judge_id for s in skipped] == sorted(j.id for j in judges if j.id not in assigned)
        judge_by_id = {j.id: j for j in judges}
        for skip in skipped:
            wanted = expected_reason(judge_by_id[skip.judge_id], entry, declared) or "load"
            assert skip.reason == wanted
            if skip.reason == Reason.LOAD:
                # An eligible judge is only left out of an entry that has enough judges.
                assert entry.id not in result.shortfall


@settings(deadline=None)
@given(open_instances())
def test_with_everyone_eligible_every_entry_is_full_and_loads_differ_by_at_most_one(
    instance: tuple[list[EntryInfo], list[JudgeInfo], int],
) -> None:
    entries, judges, per_entry = instance
    result = plan(entries, judges, per_entry)
    assert result.shortfall == {}
    assert len(result.assignments) == per_entry * len(entries)
    assert max(result.loads.values()) - min(result.loads.values()) <= 1


def _best_possible_loads(
    entries: list[EntryInfo],
    judges: list[JudgeInfo],
    per_entry: int,
    kept: list[Kept],
    declared: set[tuple[int, int]],
) -> tuple[int, int]:
    """By brute force: the smallest achievable largest load and largest achievable smallest."""
    kept_pairs = {(k.entry_id, k.judge_id) for k in kept}
    base = Counter(j for _, j in kept_pairs)
    options = []
    for entry in entries:
        kept_here = {j for e, j in kept_pairs if e == entry.id}
        eligible = sorted(
            j.id
            for j in judges
            if expected_reason(j, entry, declared) is None and j.id not in kept_here
        )
        size = min(max(0, per_entry - len(kept_here)), len(eligible))
        options.append(list(itertools.combinations(eligible, size)))
    best_max, best_min = None, None
    for choice in itertools.product(*options):
        loads = base + Counter(j for picks in choice for j in picks)
        values = [loads[j.id] for j in judges]
        best_max = max(values) if best_max is None else min(best_max, max(values))
        best_min = min(values) if best_min is None else max(best_min, min(values))
    assert best_max is not None
    assert best_min is not None
    return best_max, best_min


@settings(deadline=None, max_examples=300)
@given(instances(max_entries=4, max_judges=4))
def test_loads_are_as_even_as_any_valid_assignment_allows(instance: Instance) -> None:
    entries, judges, per_entry, kept, declared = instance
    per_entry = min(per_entry, 3)  # keeps the brute force small
    result = plan(entries, judges, per_entry, kept=kept, declared=declared)
    best_max, best_min = _best_possible_loads(entries, judges, per_entry, kept, declared)
    assert max(result.loads.values()) == best_max
    assert min(result.loads.values()) == best_min


@settings(deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_the_same_round_gives_the_same_plan_in_any_input_order(
    instance: Instance, rng: random.Random
) -> None:
    entries, judges, per_entry, kept, declared = instance
    first = plan(entries, judges, per_entry, kept=kept, declared=declared)
    assert plan(entries, judges, per_entry, kept=kept, declared=declared) == first
    entries, judges, kept = entries[:], judges[:], kept[:]
    rng.shuffle(entries)
    rng.shuffle(judges)
    rng.shuffle(kept)
    assert plan(entries, judges, per_entry, kept=kept, declared=declared) == first


def test_a_conflicted_judge_is_skipped_with_the_reason() -> None:
    judges = [
        JudgeInfo(1, org_keys=frozenset({10, 1}), categories=frozenset()),  # 秣陵 centre, street 1
        JudgeInfo(2, org_keys=frozenset({20, 2}), categories=frozenset({"微课"})),
        JudgeInfo(3, org_keys=frozenset({30, 3}), categories=frozenset({"教材"})),
        JudgeInfo(4, org_keys=frozenset({40, 4}), categories=frozenset(), active=False),
        JudgeInfo(5, org_keys=frozenset({50, 5}), categories=frozenset()),
        JudgeInfo(6, org_keys=frozenset({60, 6}), categories=frozenset()),
    ]
    entry = EntryInfo(100, "微课", author_ids=frozenset({77, 5}), org_keys=frozenset({11, 1}))
    result = plan([entry], judges, per_entry=1, declared={(6, 100)})
    assert result.assignments == [(100, 2)]
    assert result.skipped[100] == [
        Skip(1, Reason.SAME_ORGANISATION),
        Skip(3, Reason.NOT_EXPERT),
        Skip(4, Reason.INACTIVE),
        Skip(5, Reason.CO_AUTHOR),
        Skip(6, Reason.DECLARED_CONFLICT),
    ]
    assert REASONS_ZH[result.skipped[100][0].reason] == "与作者同单位"
    assert REASONS_EN["same_organisation"] == "same organisation as an author"
    assert result.shortfall == {}
    assert result.loads == {1: 0, 2: 1, 3: 0, 4: 0, 5: 0, 6: 0}

    short = plan([entry], judges, per_entry=3, declared={(6, 100)})
    assert short.shortfall == {100: 2}


def test_kept_assignments_count_and_are_not_repeated() -> None:
    judges = [JudgeInfo(j, frozenset({j}), frozenset()) for j in (1, 2, 3)]
    entries = [EntryInfo(e, "微课", frozenset(), frozenset()) for e in (100, 101, 102)]
    # Judge 1 already scored two entries, so the new work goes to judges 2 and 3.
    result = plan(entries, judges, per_entry=1, kept=[Kept(100, 1), Kept(101, 1)])
    assert result.assignments in ([(102, 2)], [(102, 3)])
    assert result.assignments == [(102, 2)]  # lower id wins an equal load
    assert result.loads == {1: 2, 2: 1, 3: 0}
    assert [s.judge_id for s in result.skipped[100]] == [2, 3]
    assert all(s.reason == "load" for s in result.skipped[100])


def test_every_reason_has_labels() -> None:
    assert set(REASONS_ZH) == set(REASONS_EN) == set(Reason)


def test_bad_input_is_refused() -> None:
    judge = JudgeInfo(1, frozenset(), frozenset())
    entry = EntryInfo(100, "微课", frozenset(), frozenset())
    with pytest.raises(ValueError, match="negative"):
        plan([entry], [judge], per_entry=-1)
    with pytest.raises(ValueError, match="unique"):
        plan([entry, entry], [judge], per_entry=1)
    with pytest.raises(ValueError, match="unknown"):
        plan([entry], [judge], per_entry=1, kept=[Kept(100, 2)])


def test_a_district_round_plans_well_under_a_second() -> None:
    rng = random.Random(7)
    judges = [
        JudgeInfo(
            j,
            frozenset({rng.randrange(12), 100 + rng.randrange(3)}),
            frozenset(rng.sample(CATEGORIES, rng.randrange(3))),
        )
        for j in range(30)
    ]
    entries = [
        EntryInfo(
            1000 + e,
            rng.choice(CATEGORIES),
            frozenset({rng.randrange(60)}),
            frozenset({rng.randrange(12), 100 + rng.randrange(3)}),
        )
        for e in range(300)
    ]
    declared = {(rng.randrange(30), 1000 + rng.randrange(300)) for _ in range(50)}
    started = time.perf_counter()
    result = plan(entries, judges, per_entry=5, declared=declared)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0
    assert sum(result.shortfall.values()) + len(result.assignments) == 1500
