"""Score aggregation, ranking and awards: the published rules hold for any input."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repo_service.judging.scoring import (
    TIE_BREAK_RULES_EN,
    TIE_BREAK_RULES_ZH,
    CriterionSpec,
    EntryScore,
    Ranked,
    Tier,
    aggregate,
    allocate,
    disagreement,
    normalise,
    rank,
    weighted_total,
)

pytestmark = pytest.mark.unit

totals_0_100 = st.floats(0, 100, allow_nan=False)


@st.composite
def rubric_summing_to_100(draw: st.DrawFn) -> tuple[list[CriterionSpec], dict[int, float]]:
    """Criteria whose weights equal their maxima and whose maxima sum to 100, with scores."""
    cuts = sorted(draw(st.sets(st.integers(1, 99), max_size=6)))
    bounds = [0, *cuts, 100]
    maxima = [high - low for low, high in itertools.pairwise(bounds)]
    criteria = [CriterionSpec(id=i, weight=m, max_score=m) for i, m in enumerate(maxima)]
    scores = {c.id: draw(st.floats(0, c.max_score)) for c in criteria}
    return criteria, scores


@given(rubric_summing_to_100())
def test_weights_equal_to_maxima_summing_to_100_give_the_plain_sum(
    rubric: tuple[list[CriterionSpec], dict[int, float]],
) -> None:
    criteria, scores = rubric
    assert weighted_total(criteria, scores) == pytest.approx(sum(scores.values()), abs=1e-9)


@given(rubric_summing_to_100(), st.floats(0.1, 50), st.floats(0.1, 50), st.data())
def test_non_counting_criteria_are_ignored(
    rubric: tuple[list[CriterionSpec], dict[int, float]],
    weight: float,
    maximum: float,
    data: st.DataObject,
) -> None:
    criteria, scores = rubric
    extra = CriterionSpec(id=99, weight=weight, max_score=maximum, counts=False)
    with_extra = [*criteria, extra]
    assert weighted_total(with_extra, scores) == weighted_total(criteria, scores)
    # Its score is not even checked: a comment-only criterion may be left blank.
    scored = {**scores, 99: data.draw(st.floats(-10, 200))}
    assert weighted_total(with_extra, scored) == weighted_total(criteria, scores)


@given(
    st.lists(
        st.tuples(st.floats(0.1, 10), st.floats(1, 20), st.floats(0, 1)), min_size=1, max_size=6
    )
)
def test_any_weighted_total_lies_on_the_0_to_100_scale(
    specs: list[tuple[float, float, float]],
) -> None:
    criteria = [CriterionSpec(i, weight, maximum) for i, (weight, maximum, _) in enumerate(specs)]
    scores = {i: fraction * maximum for i, (_, maximum, fraction) in enumerate(specs)}
    assert 0 <= weighted_total(criteria, scores) <= 100 + 1e-9


def test_weighted_total_example() -> None:
    criteria = [CriterionSpec(1, weight=2, max_score=10), CriterionSpec(2, weight=1, max_score=5)]
    # (2 * 8/10 + 1 * 5/5) / 3 = 2.6 / 3
    assert weighted_total(criteria, {1: 8, 2: 5}) == pytest.approx(260 / 3)


@pytest.mark.parametrize("bad", [-0.5, 10.01, math.nan])
def test_a_score_outside_the_range_is_refused(bad: float) -> None:
    criteria = [CriterionSpec(1, 1, 10), CriterionSpec(2, 1, 10)]
    with pytest.raises(ValueError, match="outside"):
        weighted_total(criteria, {1: 5, 2: bad})


def test_a_missing_score_and_a_bad_rubric_are_refused() -> None:
    criteria = [CriterionSpec(1, 1, 10), CriterionSpec(2, 1, 10)]
    with pytest.raises(ValueError, match="no score"):
        weighted_total(criteria, {1: 5})
    with pytest.raises(ValueError, match="no counting"):
        weighted_total([CriterionSpec(1, 1, 10, counts=False)], {})
    with pytest.raises(ValueError, match="unique"):
        weighted_total([CriterionSpec(1, 1, 10), CriterionSpec(1, 1, 5)], {1: 1})
    with pytest.raises(ValueError, match="weight"):
        CriterionSpec(1, 0, 10)
    with pytest.raises(ValueError, match="max_score"):
        CriterionSpec(1, 1, -1)


@given(st.lists(totals_0_100, min_size=1, max_size=12))
def test_trimmed_mean_drops_one_highest_and_one_lowest_from_five_totals(
    totals: list[float],
) -> None:
    trimmed = aggregate(totals, "trimmed")
    mean = aggregate(totals, "mean")
    assert min(totals) <= trimmed <= max(totals)
    assert min(totals) <= mean <= max(totals)
    if len(totals) < 5:
        assert trimmed == mean
    else:
        kept = sum(totals) - max(totals) - min(totals)
        assert trimmed == pytest.approx(kept / (len(totals) - 2), abs=1e-9)


def test_aggregate_examples() -> None:
    assert aggregate([10, 10, 20, 30, 30], "trimmed") == pytest.approx(20)  # one 10, one 30 go
    assert aggregate([0, 100, 50, 50], "trimmed") == pytest.approx(50)  # four: plain mean
    assert aggregate([0, 80, 80, 80, 80], "trimmed") == pytest.approx(80)
    assert aggregate([0, 80, 80, 80, 80], "mean") == pytest.approx(64)
    assert aggregate([0.1, 0.1, 0.1], "mean") == 0.1
    with pytest.raises(ValueError, match="no totals"):
        aggregate([], "mean")
    with pytest.raises(ValueError, match="unknown"):
        aggregate([1.0], "median")  # type: ignore[arg-type]


@given(st.lists(st.floats(0, 90), min_size=5, max_size=10, unique=True))
def test_a_judge_ten_points_more_lenient_gets_the_same_normalised_totals(
    totals: list[float],
) -> None:
    strict = {(1, entry): total for entry, total in enumerate(totals)}
    lenient = {(2, entry): total + 10 for entry, total in enumerate(totals)}
    result = normalise({**strict, **lenient})
    assert result.raw_judges == frozenset()
    for entry in range(len(totals)):
        assert result.totals[1, entry] == pytest.approx(result.totals[2, entry], abs=1e-6)
        assert 0 <= result.totals[1, entry] <= 100


@given(st.dictionaries(st.tuples(st.integers(1, 4), st.integers(1, 12)), totals_0_100))
def test_normalise_keeps_every_key_and_raw_judges_unchanged(
    totals: dict[tuple[int, int], float],
) -> None:
    result = normalise(totals)
    assert result.totals.keys() == totals.keys()
    counts: dict[int, int] = {}
    for judge, _ in totals:
        counts[judge] = counts.get(judge, 0) + 1
    for judge, count in counts.items():
        spread = {t for (j, _), t in totals.items() if j == judge}
        assert (judge in result.raw_judges) == (count < 5 or len(spread) == 1)
    for key, total in totals.items():
        if key[0] in result.raw_judges:
            assert result.totals[key] == total
        assert 0 <= result.totals[key] <= 100


def test_normalise_example() -> None:
    # Judge 1 spreads 60..80, judge 2 spreads 70..90 over the same five entries; judge 3 saw
    # only three entries and judge 4 gave everyone 75: both keep their raw totals.
    totals = {(1, e): 60.0 + 5 * e for e in range(5)}
    totals |= {(2, e): 70.0 + 5 * e for e in range(5)}
    totals |= {(3, e): 50.0 for e in range(3)} | {(4, e): 75.0 for e in range(5)}
    result = normalise(totals)
    assert result.raw_judges == {3, 4}
    assert result.totals[3, 0] == 50.0
    assert result.totals[4, 4] == 75.0
    assert result.totals[1, 0] == pytest.approx(result.totals[2, 0])
    assert result.totals[1, 4] > result.totals[1, 3] > result.totals[1, 0]
    assert normalise({}).totals == {}


def test_disagreement() -> None:
    assert disagreement([60, 75, 81], threshold=20)
    assert not disagreement([60, 75, 80], threshold=20)
    assert not disagreement([], threshold=0)


def _strictly_better(a: EntryScore, b: EntryScore) -> bool:
    """The published rules, restated independently of the implementation."""
    if round(a.score, 2) != round(b.score, 2):
        return round(a.score, 2) > round(b.score, 2)
    ta = [round(v, 2) for v in a.tie_break]
    tb = [round(v, 2) for v in b.tie_break]
    if ta != tb:
        return ta > tb
    return round(a.spread, 2) < round(b.spread, 2)


entry_scores = st.lists(
    st.builds(
        EntryScore,
        entry_id=st.integers(1, 60),
        # Few distinct values, some differing only past the second decimal, so ties are common.
        score=st.sampled_from([70.0, 80.0, 80.004, 79.996, 90.0]),
        tie_break=st.tuples(st.sampled_from([7.0, 8.0, 8.001]), st.sampled_from([5.0, 6.0])),
        spread=st.sampled_from([1.0, 2.0, 2.004]),
    ),
    max_size=25,
    unique_by=lambda e: e.entry_id,
)


@given(entry_scores)
def test_ranks_are_standard_competition_ranks(entries: list[EntryScore]) -> None:
    ranked = rank(entries)
    assert sorted(r.entry_id for r in ranked) == sorted(e.entry_id for e in entries)
    by_id = {e.entry_id: e for e in entries}
    for r in ranked:
        entry = by_id[r.entry_id]
        better = sum(_strictly_better(other, entry) for other in entries)
        assert r.rank == 1 + better
        level = [o for o in entries if not _strictly_better(o, entry)]
        level = [o for o in level if not _strictly_better(entry, o)]
        assert r.tied == (len(level) > 1)
        assert r.score == entry.score
    assert [(r.rank, r.entry_id) for r in ranked] == sorted((r.rank, r.entry_id) for r in ranked)


def test_tie_break_order_examples() -> None:
    ranked = rank(
        [
            EntryScore(1, 85.0, (8.0, 9.0), 3.0),
            EntryScore(2, 90.0, (7.0, 5.0), 9.0),  # best score wins whatever else
            EntryScore(3, 85.0, (8.0, 9.5), 3.0),  # second tie-break criterion decides
            EntryScore(4, 85.0, (9.0, 1.0), 8.0),  # first tie-break criterion decides
            EntryScore(5, 85.0, (8.0, 9.0), 2.0),  # judges agree more than on entry 1
            EntryScore(6, 85.0, (8.0, 9.0), 3.001),  # equal to entry 1 once rounded
            EntryScore(7, 84.996, (1.0, 1.0), 0.0),  # 85.00 shown, so it is a tie on score
        ]
    )
    assert [(r.entry_id, r.rank, r.tied) for r in ranked] == [
        (2, 1, False),
        (4, 2, False),
        (3, 3, False),
        (5, 4, False),
        (1, 5, True),
        (6, 5, True),
        (7, 7, False),
    ]


def test_competition_ranking_skips_after_a_tie() -> None:
    ranked = rank([EntryScore(i, s, (), 0.0) for i, s in [(1, 90), (2, 80), (3, 80), (4, 70)]])
    assert [r.rank for r in ranked] == [1, 2, 2, 4]
    with pytest.raises(ValueError, match="unique"):
        rank([EntryScore(1, 90, (), 0.0), EntryScore(1, 80, (), 0.0)])


def test_tie_break_rules_are_published_in_both_languages() -> None:
    assert len(TIE_BREAK_RULES_ZH) == len(TIE_BREAK_RULES_EN) == 4
    assert all(TIE_BREAK_RULES_ZH)
    assert all(TIE_BREAK_RULES_EN)


tiers_strategy = st.lists(
    st.one_of(
        st.builds(Tier, name=st.just("t"), count=st.integers(0, 6)),
        st.builds(Tier, name=st.just("t"), percent=st.floats(0, 100)),
    ),
    max_size=4,
).map(lambda tiers: [Tier(f"tier{i}", t.count, t.percent) for i, t in enumerate(tiers)])

ranked_lists = st.lists(st.integers(0, 3), max_size=30).map(
    # Score steps of 0 make ties; ranks come from the real ranking so the input is realistic.
    lambda steps: rank(
        [EntryScore(i, 100.0 - sum(steps[: i + 1]), (), 0.0) for i in range(len(steps))]
    )
)


@given(ranked_lists, tiers_strategy, st.sets(st.integers(0, 29)))
def test_awards_never_exceed_a_tier_and_never_split_a_tie(
    ranked: list[Ranked], tiers: list[Tier], ineligible: set[int]
) -> None:
    allocation = allocate(ranked, tiers, eligible=lambda r: r.entry_id not in ineligible)
    tier_index = {t.name: i for i, t in enumerate(tiers)}
    for tier in tiers:
        cap = tier.places(len(ranked))
        assert sum(1 for name in allocation.awards.values() if name == tier.name) <= cap
    assert not set(allocation.awards) & ineligible
    eligible_ranked = [r for r in ranked if r.entry_id not in ineligible]
    for better in eligible_ranked:
        for worse in eligible_ranked:
            if better.rank == worse.rank:
                assert allocation.awards.get(better.entry_id) == allocation.awards.get(
                    worse.entry_id
                )
            elif better.rank < worse.rank and worse.entry_id in allocation.awards:
                # A better entry never ends up with a lower award, or with none.
                assert better.entry_id in allocation.awards
                assert (
                    tier_index[allocation.awards[better.entry_id]]
                    <= tier_index[allocation.awards[worse.entry_id]]
                )


@given(ranked_lists, st.lists(st.integers(0, 6), min_size=1, max_size=4))
def test_without_ties_every_place_is_filled_in_order(
    ranked: list[Ranked], counts: list[int]
) -> None:
    untied = rank([EntryScore(r.entry_id, -r.entry_id, (), 0.0) for r in ranked])
    tiers = [Tier(f"tier{i}", count=c) for i, c in enumerate(counts)]
    allocation = allocate(untied, tiers)
    expected = [t.name for t in tiers for _ in range(t.count or 0)][: len(untied)]
    assert [allocation.awards[r.entry_id] for r in untied[: len(expected)]] == expected
    assert len(allocation.awards) == len(expected)
    assert allocation.notes == []


def _ranked(ranks: list[int]) -> list[Ranked]:
    tied = {r for r in ranks if ranks.count(r) > 1}
    return [Ranked(i + 1, 100.0 - r, r, r in tied) for i, r in enumerate(ranks)]


def test_percent_places_are_floored() -> None:
    assert Tier("一等奖", percent=15).places(10) == 1
    assert Tier("一等奖", percent=29).places(100) == 29  # 0.29 * 100 is 28.999… in binary
    assert Tier("一等奖", percent=10).places(9) == 0
    allocation = allocate(_ranked(list(range(1, 11))), [Tier("一等奖", percent=25)])
    assert allocation.awards == {1: "一等奖", 2: "一等奖"}


def test_a_tie_that_does_not_fit_moves_down_whole_and_places_do_not_carry_over() -> None:
    ranked = _ranked([1, 2, 2, 4, 5, 6])
    tiers = [Tier("一等奖", count=2), Tier("二等奖", count=3), Tier("三等奖", count=1)]
    allocation = allocate(ranked, tiers)
    # One first prize stays unused; the second tier does not grow to four because of it.
    assert allocation.awards == {1: "一等奖", 2: "二等奖", 3: "二等奖", 4: "二等奖", 5: "三等奖"}
    [(zh, en)] = allocation.notes
    assert "2、3" in zh
    assert "一等奖" in zh
    assert "二等奖" in zh
    assert "2, 3" in en
    assert "rank 2" in en


def test_a_tie_too_large_for_the_last_tier_gets_nothing_with_a_note() -> None:
    allocation = allocate(_ranked([1, 2, 2, 2]), [Tier("一等奖", count=1), Tier("二等奖", count=2)])
    assert allocation.awards == {1: "一等奖"}
    [(zh, en)] = allocation.notes
    assert "不获奖" in zh
    assert "none of them" in en


def test_ineligible_entries_take_no_place() -> None:
    ranked = _ranked([1, 2, 3, 4])
    allocation = allocate(
        ranked, [Tier("一等奖", count=1), Tier("二等奖", count=1)], eligible=lambda r: r.rank != 1
    )
    assert allocation.awards == {2: "一等奖", 3: "二等奖"}


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"count": 1, "percent": 10.0}, {"count": -1}, {"percent": 120.0}],
)
def test_a_tier_needs_exactly_one_valid_size(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="tier"):
        Tier("一等奖", **kwargs)  # type: ignore[arg-type]
