"""What a competition gives back: published results, a teacher's feedback, and the files for
the bureau (result sheet, scoring sheets, log, certificates, the winners' collection).

Rows are read here into the plain data of ``competitions.exports``, whose functions make the
files; judges appear to teachers only as letters (评委A, 评委B…).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any

import openpyxl
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from repo_service.competitions import exports, results
from repo_service.competitions.models import (
    Certificate,
    Competition,
    CompetitionEvent,
    Entry,
    EntryResult,
    EntryStatus,
    Phase,
)
from repo_service.competitions.services import LOCAL
from repo_service.db import aware
from repo_service.errors import NotFound
from repo_service.judging.models import (
    ASSIGNMENT_LABELS,
    AssignmentStatus,
    JudgeAssignment,
    ScoreEvent,
)
from repo_service.judging.services import judge_letters
from repo_service.storage import ObjectStorage

ISSUER = "南京市江宁区社区教育指导中心"

# The log's actions in the bureau's words.
ACTIONS = {
    "created": "创建评比",
    "copied": "复制往年评比",
    "edited": "修改设置",
    "phase": "推进阶段",
    "entered": "报名",
    "entry_edited": "修改报名",
    "withdrawn": "撤回报名",
    "reviewed": "形式审查",
    "judge_added": "添加评委",
    "judge_dropped": "评委退出",
    "conflict_declared": "评委申报回避",
    "assignment_run": "自动分配评委",
    "assignment_override": "手动调整分配",
    "scores_submitted": "提交评分",
    "scores_reopened": "退回评分",
    "identity_flag": "报告可识别作者身份",
    "advanced": "本轮结束、晋级",
    "published": "公示结果",
    "notice_changed": "调整公示截止时间",
    "objection": "提出异议",
    "objection_answered": "答复异议",
    "finalised": "确认结果、颁发证书",
}
SCORE_ACTIONS = {"draft": "保存草稿", "submit": "提交", "reopen": "退回"}


def authors(entry: Entry) -> str:
    return "、".join(m.name for m in entry.members)


def units(entry: Entry) -> str:
    names: list[str] = []
    for m in entry.members:
        if m.organisation_name and m.organisation_name not in names:
            names.append(m.organisation_name)
    return "、".join(names)


def preview_json(preview: results.Preview) -> dict[str, Any]:
    return dict(
        results.summary(preview),
        categories={
            category: [
                {
                    "entry_id": o.entry.id,
                    "code": o.entry.code,
                    "title": o.entry.title,
                    "judge_totals": [round(t, 2) for t in o.judge_totals],
                    "score": None if o.score is None else round(o.score, 2),
                    "rank": o.rank,
                    "tied": o.tied,
                    "award": o.award,
                    "disagreement": o.disagreement,
                    "missing": o.missing,
                }
                for o in items
            ]
            for category, items in preview.categories.items()
        },
    )


def published_json(session: Session, competition: Competition) -> list[dict[str, Any]]:
    return [
        {
            "code": r.entry.code,
            "title": r.entry.title,
            "resource_id": r.entry.resource_id,
            "category": r.entry.category,
            "authors": authors(r.entry),
            "organisation": units(r.entry),
            "score": round(r.score, 2),
            "rank": r.rank,
            "tied": r.tied,
            "award": r.award,
        }
        for r in results.published_results(session, competition)
    ]


def entry_feedback(session: Session, entry: Entry) -> dict[str, Any] | None:
    """An entrant's result and the judges' comments, once the results are published."""
    competition = entry.competition
    if competition.phase not in (Phase.NOTICE, Phase.FINAL):
        return None
    rows = session.scalars(
        select(EntryResult).where(EntryResult.entry_id == entry.id).order_by(EntryResult.round)
    ).all()
    names = {c.id: c.name for c in competition.criteria}
    rounds = []
    for r in rows:
        submitted = list(
            session.scalars(
                select(JudgeAssignment).where(
                    JudgeAssignment.entry_id == entry.id,
                    JudgeAssignment.round == r.round,
                    JudgeAssignment.status == AssignmentStatus.SUBMITTED,
                )
            )
        )
        letters = judge_letters(submitted)
        rounds.append(
            {
                "round": r.round,
                "score": round(r.score, 2),
                "rank": r.rank,
                "tied": r.tied,
                "award": r.award,
                "judges": [
                    {
                        "judge": f"评委{letters[a.judge_user_id]}",
                        "scores": {names[s.criterion_id]: s.value for s in a.scores},
                        "comments": {
                            names[s.criterion_id]: s.comment for s in a.scores if s.comment
                        },
                        "overall": a.overall_comment,
                        "timed": [{"at": t.at_seconds, "text": t.text} for t in a.timed_comments],
                    }
                    for a in sorted(submitted, key=lambda a: letters[a.judge_user_id])
                ],
            }
        )
    certificate = session.scalar(select(Certificate).where(Certificate.entry_id == entry.id))
    return {
        "rounds": rounds,
        "certificate": certificate.code if certificate else None,
    }


# --- files -------------------------------------------------------------------------------------


def _sheet_rows(session: Session, competition: Competition) -> dict[str, list[exports.SheetRow]]:
    by_category: dict[str, list[exports.SheetRow]] = {c: [] for c in competition.categories}
    if competition.phase in (Phase.NOTICE, Phase.FINAL):
        for r in results.published_results(session, competition):
            by_category.setdefault(r.entry.category, []).append(
                exports.SheetRow(
                    rank=r.rank,
                    code=r.entry.code,
                    title=r.entry.title,
                    authors=authors(r.entry),
                    organisation=units(r.entry),
                    category=r.entry.category,
                    judge_totals=[round(t, 2) for t in r.judge_totals],
                    score=round(r.score, 2),
                    award=r.award,
                    note="并列" if r.tied else "",
                )
            )
        return by_category
    preview = results.compute(session, competition)
    for category, items in preview.categories.items():
        for o in items:
            if o.score is None or o.rank is None:
                continue
            by_category.setdefault(category, []).append(
                exports.SheetRow(
                    rank=o.rank,
                    code=o.entry.code,
                    title=o.entry.title,
                    authors=authors(o.entry),
                    organisation=units(o.entry),
                    category=category,
                    judge_totals=[round(t, 2) for t in o.judge_totals],
                    score=round(o.score, 2),
                    award=o.award,
                    note="；".join(
                        n
                        for n in (
                            "并列" if o.tied else "",
                            "评委分歧较大" if o.disagreement else "",
                            f"缺 {o.missing} 份评分" if o.missing else "",
                            "预览，未公示",
                        )
                        if n
                    ),
                )
            )
    return by_category


def result_sheet(session: Session, competition: Competition) -> bytes:
    note = "；".join(
        f"{c.name}（满分 {c.max_score:g}，权重 {c.weight:g}）" for c in competition.criteria
    )
    return exports.result_sheet_xlsx(
        competition.name, competition.year, _sheet_rows(session, competition), criteria_note=note
    )


def _award_data(
    session: Session,
    competition: Competition,
    verify_url: Callable[[str], str],
    entry: Entry | None = None,
) -> list[exports.CertificateData]:
    query = (
        select(Certificate)
        .join(Entry, Entry.id == Certificate.entry_id)
        .where(Entry.competition_id == competition.id)
        .order_by(Entry.category, Entry.number)
        .options(selectinload(Certificate.entry).selectinload(Entry.resource))
    )
    if entry is not None:
        query = query.where(Certificate.entry_id == entry.id)
    out = []
    for cert in session.scalars(query):
        issued = aware(cert.issued_at).astimezone(LOCAL).date()
        out.append(
            exports.CertificateData(
                code=cert.code,
                competition_name=competition.name,
                year=competition.year,
                award=cert.award,
                title=cert.entry.title,
                authors=authors(cert.entry),
                organisation=units(cert.entry),
                issued_on=issued,
                verify_url=verify_url(cert.code),
                issuer=ISSUER,
            )
        )
    return out


def certificates(
    session: Session,
    competition: Competition,
    verify_url: Callable[[str], str],
    entry: Entry | None = None,
) -> bytes:
    data = _award_data(session, competition, verify_url, entry)
    if not data:
        raise NotFound(
            "还没有颁发证书（结果确认后颁发）", "No certificates yet: they follow the final results"
        )
    return exports.certificates_pdf(data)


def verify(session: Session, code: str) -> dict[str, Any]:
    """Who won what, for a printed certificate's code; an unknown code is refused."""
    cleaned = code.strip().upper()
    cert = session.scalar(select(Certificate).where(Certificate.code == cleaned))
    if cert is None or cert.entry.status == EntryStatus.DISQUALIFIED:
        raise NotFound(
            "证书编号无效：没有这张证书，可能是伪造或输入有误",
            "This certificate number is not valid: no such certificate was issued",
        )
    entry = cert.entry
    competition = entry.competition
    return {
        "code": cert.code,
        "competition": competition.name,
        "competition_id": competition.id,
        "year": competition.year,
        "award": cert.award,
        "title": entry.title,
        "entry_code": entry.code,
        "authors": authors(entry),
        "organisation": units(entry),
        "issued_on": aware(cert.issued_at).astimezone(LOCAL).date().isoformat(),
        "issuer": ISSUER,
    }


def collection_items(session: Session, competition: Competition) -> list[Entry]:
    """The winners in catalogue order: category, then award, then rank."""
    order = {t["name"]: i for i, t in enumerate(competition.award_tiers)}
    rows = [r for r in results.published_results(session, competition) if r.award]
    rows.sort(
        key=lambda r: (
            competition.categories.index(r.entry.category)
            if r.entry.category in competition.categories
            else 99,
            order.get(r.award or "", 99),
            r.rank,
            r.entry.number,
        )
    )
    return [r.entry for r in rows]


def collection(
    session: Session,
    competition: Competition,
    storage: ObjectStorage,
    work_url: Callable[[int], str],
) -> bytes:
    items = []
    awards = {
        r.entry_id: r.award for r in results.published_results(session, competition) if r.award
    }
    for entry in collection_items(session, competition):
        poster = None
        keyed = [v for v in entry.resource.versions if v.poster_key]
        if keyed and keyed[-1].poster_key:
            try:
                poster = storage.get_bytes("media", keyed[-1].poster_key)
            except Exception:  # noqa: BLE001 (a missing poster leaves a placeholder box)
                poster = None
        items.append(
            exports.CollectionItem(
                code=entry.code,
                title=entry.title,
                authors=authors(entry),
                organisation=units(entry),
                category=entry.category,
                award=awards[entry.id] or "",
                summary=entry.summary,
                poster_jpeg=poster,
                url=work_url(entry.resource_id),
            )
        )
    if not items:
        raise NotFound("还没有获奖作品", "No awarded works yet")
    return exports.collection_pdf(competition.name, competition.year, items)


def scoring_sheet(session: Session, competition: Competition, judge_user_id: int) -> bytes:
    """A judge's scores and comments on every entry she scored, for the bureau's files."""
    assignments = list(
        session.scalars(
            select(JudgeAssignment)
            .join(Entry, Entry.id == JudgeAssignment.entry_id)
            .where(
                JudgeAssignment.competition_id == competition.id,
                JudgeAssignment.judge_user_id == judge_user_id,
                JudgeAssignment.status == AssignmentStatus.SUBMITTED,
            )
            .order_by(JudgeAssignment.round, Entry.number)
        )
    )
    if not assignments:
        raise NotFound("该评委没有已提交的评分", "This judge has no submitted scores")
    judge = assignments[0].judge
    criteria = [(c.id, c.name, c.max_score) for c in competition.criteria]
    rows = [
        exports.ScoringSheetRow(
            code=a.entry.code,
            title=a.entry.title,
            category=a.entry.category,
            round=a.round,
            scores=[
                next((s.value for s in a.scores if s.criterion_id == cid), None)
                for cid, _, _ in criteria
            ],
            comments=[
                f"{name}：{s.comment}"
                for cid, name, _ in criteria
                for s in a.scores
                if s.criterion_id == cid and s.comment
            ]
            + ([f"总评：{a.overall_comment}"] if a.overall_comment else []),
            submitted_on=aware(a.submitted_at).astimezone(LOCAL).date() if a.submitted_at else None,
        )
        for a in assignments
    ]
    return exports.scoring_sheet_pdf(
        competition.name,
        competition.year,
        judge.display_name,
        [(name, maximum) for _, name, maximum in criteria],
        rows,
    )


def log_workbook(session: Session, competition: Competition) -> bytes:
    """The whole competition's record: events, assignments, and every version of every score."""
    book = openpyxl.Workbook()
    events = book.active
    assert events is not None
    events.title = "过程记录"
    events.append(["时间", "操作人", "操作", "作品编号", "详情"])
    codes = {
        e.id: e.code
        for e in session.scalars(select(Entry).where(Entry.competition_id == competition.id))
    }
    for ev in session.scalars(
        select(CompetitionEvent)
        .where(CompetitionEvent.competition_id == competition.id)
        .order_by(CompetitionEvent.id)
    ):
        events.append(
            [
                _when(ev.at),
                ev.actor.display_name if ev.actor else "系统",
                ACTIONS.get(ev.action, ev.action),
                codes.get(ev.entry_id or 0, ""),
                _text(json.dumps(ev.detail, ensure_ascii=False)),
            ]
        )
    sheet = book.create_sheet("评审分配")
    sheet.append(["作品编号", "评委", "轮次", "状态", "手动调整", "分配时间", "提交时间"])
    assignments = list(
        session.scalars(
            select(JudgeAssignment)
            .where(JudgeAssignment.competition_id == competition.id)
            .order_by(JudgeAssignment.round, JudgeAssignment.entry_id, JudgeAssignment.id)
        )
    )
    for a in assignments:
        sheet.append(
            [
                a.entry.code,
                a.judge.display_name,
                a.round,
                ASSIGNMENT_LABELS[a.status][0],
                "是" if a.manual else "",
                _when(a.created_at),
                _when(a.submitted_at),
            ]
        )
    history = book.create_sheet("评分历史")
    history.append(["作品编号", "评委", "操作", "操作人", "时间", "原因", "分数与评语"])
    by_id = {a.id: a for a in assignments}
    for change in session.scalars(
        select(ScoreEvent).where(ScoreEvent.assignment_id.in_(list(by_id))).order_by(ScoreEvent.id)
    ):
        a = by_id[change.assignment_id]
        history.append(
            [
                a.entry.code,
                a.judge.display_name,
                SCORE_ACTIONS.get(change.action, change.action),
                change.actor.display_name,
                _when(change.at),
                _text(change.reason or ""),
                _text(json.dumps(change.snapshot, ensure_ascii=False)),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _when(moment: dt.datetime | None) -> str:
    return aware(moment).astimezone(LOCAL).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _text(value: str) -> str:
    """Typed text is never a formula in the workbook."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
