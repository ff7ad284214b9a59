"""Results of a round: gather submitted scores, apply the pure scoring rules, publish, finalise.

The arithmetic lives in ``judging.scoring``; this module only reads rows into plain data and
writes the outcome back (results, awards on the resources, certificates).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from repo_service.accounts.models import User
from repo_service.competitions.models import (
    Certificate,
    Competition,
    Entry,
    EntryResult,
    EntryStatus,
    Phase,
)
from repo_service.competitions.services import (
    WrongPhase,
    local,
    log_event,
    new_certificate_code,
    open_objections,
    open_submissions,
    start_judging,
    start_review,
)
from repo_service.db import aware
from repo_service.errors import Conflict, InvalidInput
from repo_service.judging import scoring
from repo_service.judging.models import AssignmentStatus, JudgeAssignment, Score

NOTICE_DAYS = 7


@dataclass
class Outcome:
    entry: Entry
    judge_totals: list[float]  # in the order of the judges' anonymous letters
    score: float | None
    rank: int | None = None
    tied: bool = False
    award: str | None = None
    disagreement: bool = False
    missing: int = 0  # assignments not submitted yet


@dataclass
class Preview:
    round: int
    categories: dict[str, list[Outcome]]
    notes: list[tuple[str, str]] = field(default_factory=list)
    raw_judges: frozenset[int] = frozenset()
    missing: int = 0  # sheets assigned but not submitted
    unjudged: int = 0  # entries of the round that no judge has (none assigned, none submitted)

    @property
    def complete(self) -> bool:
        return self.missing == 0 and self.unjudged == 0


def _specs(competition: Competition) -> list[scoring.CriterionSpec]:
    return [
        scoring.CriterionSpec(id=c.id, weight=c.weight, max_score=c.max_score, counts=c.counts)
        for c in competition.criteria
    ]


def compute(  # noqa: PLR0912 (gathering, then one pass per rule in order)
    session: Session, competition: Competition, round_no: int | None = None
) -> Preview:
    round_no = round_no or competition.current_round
    entries = list(
        session.scalars(
            select(Entry)
            .where(
                Entry.competition_id == competition.id,
                Entry.status == EntryStatus.PASSED,
                Entry.round_reached >= round_no,
            )
            .order_by(Entry.number)
            .options(selectinload(Entry.resource))
        )
    )
    # Plain columns, not ORM objects: a competition has thousands of score rows.
    sheets = session.execute(
        select(JudgeAssignment.id, JudgeAssignment.entry_id, JudgeAssignment.judge_user_id).where(
            JudgeAssignment.competition_id == competition.id,
            JudgeAssignment.round == round_no,
            JudgeAssignment.status == AssignmentStatus.SUBMITTED,
        )
    ).all()
    unsubmitted = session.execute(
        select(JudgeAssignment.entry_id, func.count())
        .where(
            JudgeAssignment.competition_id == competition.id,
            JudgeAssignment.round == round_no,
            JudgeAssignment.status.in_([AssignmentStatus.ASSIGNED, AssignmentStatus.DRAFT]),
        )
        .group_by(JudgeAssignment.entry_id)
    ).all()
    given_by_sheet: dict[int, dict[int, float]] = defaultdict(dict)
    for sheet_id, criterion_id, value in session.execute(
        select(Score.assignment_id, Score.criterion_id, Score.value)
        .join(JudgeAssignment, JudgeAssignment.id == Score.assignment_id)
        .where(
            JudgeAssignment.competition_id == competition.id,
            JudgeAssignment.round == round_no,
            JudgeAssignment.status == AssignmentStatus.SUBMITTED,
            Score.value.is_not(None),
        )
    ):
        given_by_sheet[sheet_id][criterion_id] = float(value or 0)  # NULLs are filtered out above
    specs = _specs(competition)
    tie_criteria = sorted(
        (c for c in competition.criteria if c.tie_break is not None), key=lambda c: c.tie_break
    )
    raw: dict[tuple[int, int], float] = {}
    per_criterion: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    missing: dict[int, int] = {entry_id: int(n) for entry_id, n in unsubmitted}
    order: dict[tuple[int, int], int] = {}  # judges in assignment order: the letters A, B, C…
    for sheet_id, entry_id, judge_id in sheets:
        order[(judge_id, entry_id)] = sheet_id
        given = given_by_sheet.get(sheet_id, {})
        raw[(judge_id, entry_id)] = scoring.weighted_total(specs, given)
        for c in tie_criteria:
            if c.id in given:
                per_criterion[entry_id][c.id].append(given[c.id])
    totals = raw
    preview = Preview(round=round_no, categories={c: [] for c in competition.categories})
    if competition.normalise and raw:
        normalised = scoring.normalise(raw)
        totals = normalised.totals
        preview.raw_judges = normalised.raw_judges
    by_entry: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (judge_id, entry_id), total in totals.items():
        by_entry[entry_id].append((order[(judge_id, entry_id)], total))
    ranked_input: dict[str, list[scoring.EntryScore]] = defaultdict(list)
    outcomes: dict[int, Outcome] = {}  # by entry number: notes name entries as their codes do
    for entry in entries:
        judged = sorted(by_entry.get(entry.id, []))
        values = [t for _, t in judged]
        method: Any = competition.aggregate
        score = scoring.aggregate(values, method) if values else None
        outcome = Outcome(
            entry=entry,
            judge_totals=values,
            score=score,
            missing=missing.get(entry.id, 0),
            disagreement=bool(values)
            and scoring.disagreement(values, competition.disagreement_threshold),
        )
        outcomes[entry.number] = outcome
        preview.categories.setdefault(entry.category, []).append(outcome)
        if score is not None:
            tie = tuple(
                statistics.fmean(per_criterion[entry.id][c.id])
                if per_criterion[entry.id][c.id]
                else 0.0
                for c in tie_criteria
            )
            ranked_input[entry.category].append(
                scoring.EntryScore(
                    entry_id=entry.number,
                    score=score,
                    tie_break=tie,
                    spread=statistics.pstdev(values) if len(values) > 1 else 0.0,
                )
            )
    tiers = [scoring.Tier(**t) for t in competition.award_tiers]
    last = round_no >= competition.round_count
    for category, scored in ranked_input.items():
        ranked = scoring.rank(scored)
        for r in ranked:
            outcomes[r.entry_id].rank = r.rank
            outcomes[r.entry_id].tied = r.tied
        if last and tiers:
            allocation = scoring.allocate(ranked, tiers)
            for entry_id, award in allocation.awards.items():
                outcomes[entry_id].award = award
            preview.notes += [
                (f"「{category}」{zh}", f"{category}: {en}") for zh, en in allocation.notes
            ]
    for category, items in preview.categories.items():
        items.sort(key=lambda o: (o.rank is None, o.rank or 0, o.entry.number))
        preview.categories[category] = items
    preview.missing = sum(missing.values())
    preview.unjudged = sum(1 for o in outcomes.values() if o.score is None and not o.missing)
    return preview


def _store(session: Session, competition: Competition, preview: Preview) -> None:
    session.execute(
        delete(EntryResult).where(
            EntryResult.competition_id == competition.id, EntryResult.round == preview.round
        )
    )
    for items in preview.categories.values():
        for o in items:
            if o.score is None or o.rank is None:
                continue
            session.add(
                EntryResult(
                    competition_id=competition.id,
                    entry_id=o.entry.id,
                    round=preview.round,
                    score=round(o.score, 4),
                    rank=o.rank,
                    tied=o.tied,
                    award=o.award,
                    judge_totals=[round(t, 4) for t in o.judge_totals],
                    disagreement=o.disagreement,
                )
            )


def _require_complete(preview: Preview, force: bool) -> None:
    if force:
        return
    if preview.unjudged:
        raise Conflict(
            f"有 {preview.unjudged} 件作品没有评委评分（请先分配评委）",
            f"{preview.unjudged} entries have no judge and no score (assign judges first)",
        )
    if preview.missing:
        raise Conflict(
            f"还有 {preview.missing} 份评分未提交",
            f"{preview.missing} score sheets are not submitted",
        )


def advance(session: Session, admin: User, competition: Competition, *, force: bool = False) -> int:
    """Close a round that is not the last: the top of each category go on to the next round."""
    if competition.phase != Phase.JUDGING or competition.is_last_round:
        raise WrongPhase("只有非最后一轮评审可以晋级", "Only a round before the last advances")
    preview = compute(session, competition)
    _require_complete(preview, force)
    quota = int(competition.rounds[competition.current_round - 1].get("advance") or 0)
    moved = 0
    for items in preview.categories.values():
        for o in items:
            if o.rank is not None and o.rank <= quota:
                o.entry.round_reached = competition.current_round + 1
                moved += 1
    _store(session, competition, preview)
    log_event(session, competition, admin, "advanced", round=competition.current_round, moved=moved)
    competition.current_round += 1
    return moved


def publish(
    session: Session,
    admin: User,
    competition: Competition,
    now: dt.datetime,
    *,
    notice_days: int = NOTICE_DAYS,
    force: bool = False,
) -> Preview:
    """Publish the last round's results as a public notice (公示) ending after ``notice_days``."""
    if competition.phase != Phase.JUDGING or not competition.is_last_round:
        raise WrongPhase(
            "只有最后一轮评审结束后可以公示结果", "Results are published after the last round"
        )
    preview = compute(session, competition)
    _require_complete(preview, force)
    _store(session, competition, preview)
    competition.phase = Phase.NOTICE
    competition.published_at = now
    competition.notice_ends_at = now + dt.timedelta(days=notice_days)
    log_event(
        session,
        competition,
        admin,
        "published",
        notice_ends_at=competition.notice_ends_at.isoformat(),
        forced=force and bool(preview.missing),
    )
    return preview


def finalise(session: Session, admin: User, competition: Competition, now: dt.datetime) -> int:
    """After the notice, with every objection answered: results final, awards set on the
    resources (the search index follows them), certificates issued. Returns certificates made."""
    if competition.phase != Phase.NOTICE:
        raise WrongPhase("只有公示期的评比可以确认结果", "Only results on notice can be finalised")
    assert competition.notice_ends_at is not None
    if now < aware(competition.notice_ends_at):
        raise Conflict(
            f"公示期到 {local(competition.notice_ends_at)} 结束，之后才能确认结果、颁发证书",
            "The notice period has not ended; results are final after it",
        )
    waiting = open_objections(session, competition)
    if waiting:
        raise Conflict(
            f"还有 {waiting} 条异议未答复，答复后才能颁发证书",
            f"{waiting} objections are unanswered; answer them before issuing certificates",
        )
    preview = compute(session, competition)  # disqualifications from objections drop out here
    _store(session, competition, preview)
    made = 0
    for items in preview.categories.values():
        for o in items:
            if o.award:  # an award recorded on a resource otherwise stays as it was
                o.entry.resource.award = o.award
                session.add(
                    Certificate(code=new_certificate_code(), entry_id=o.entry.id, award=o.award)
                )
                made += 1
    competition.phase = Phase.FINAL
    competition.finalised_at = now
    log_event(session, competition, admin, "finalised", certificates=made)
    return made


def published_results(session: Session, competition: Competition) -> list[EntryResult]:
    """The stored results of the last round, in category and rank order."""
    rows = session.scalars(
        select(EntryResult)
        .join(Entry, Entry.id == EntryResult.entry_id)
        .where(
            EntryResult.competition_id == competition.id,
            EntryResult.round == competition.current_round,
            Entry.status == EntryStatus.PASSED,
        )
        .order_by(Entry.category, EntryResult.rank, Entry.number)
        .options(selectinload(EntryResult.entry).selectinload(Entry.resource))
    )
    return list(rows)


def summary(preview: Preview) -> dict[str, Any]:
    return {
        "round": preview.round,
        "complete": preview.complete,
        "missing": preview.missing,
        "unjudged": preview.unjudged,
        "notes": [{"message": zh, "message_en": en} for zh, en in preview.notes],
        "raw_judges": sorted(preview.raw_judges),
    }


PHASE_ACTIONS = ("open", "review", "judging", "advance", "publish", "finalise")


def move_phase(
    session: Session,
    admin: User,
    competition: Competition,
    action: str,
    now: dt.datetime,
    *,
    force: bool = False,
    notice_days: int = NOTICE_DAYS,
) -> int | None:
    """One step of the competition, as the admin's buttons and the API name them. Returns the
    entries that went on (advance) or the certificates issued (finalise), else None."""
    if action == "open":
        open_submissions(session, admin, competition)
    elif action == "review":
        start_review(session, admin, competition, now)
    elif action == "judging":
        start_judging(session, admin, competition)
    elif action == "advance":
        return advance(session, admin, competition, force=force)
    elif action == "publish":
        publish(session, admin, competition, now, notice_days=notice_days, force=force)
    elif action == "finalise":
        return finalise(session, admin, competition, now)
    else:
        raise InvalidInput(
            "未知的操作，可选：" + "、".join(PHASE_ACTIONS),
            "action must be one of " + ", ".join(PHASE_ACTIONS),
        )
    return None
