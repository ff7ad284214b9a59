"""A learner's certificate of learning for a period (PDF, A4 portrait)."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from repo_service.accounts.models import User
from repo_service.competitions.exports import pdf_font
from repo_service.learning.models import CREDIT_HOUR_SECONDS, LearningDay, LearningRecord
from repo_service.resources.models import Resource

ROWS_PER_PAGE = 28


def render(session: Session, user: User, start: dt.date, end: dt.date) -> bytes:
    """Courses learnt between ``start`` and ``end`` (by the days their seconds were learnt), with
    the seconds of that period, the credit hours and whether each was completed."""
    per_course = session.execute(
        select(
            Resource.title,
            func.sum(LearningDay.seconds),
            LearningRecord.completed_at,
        )
        .join(Resource, Resource.id == LearningDay.resource_id)
        .outerjoin(
            LearningRecord,
            (LearningRecord.resource_id == LearningDay.resource_id)
            & (LearningRecord.user_id == LearningDay.user_id),
        )
        .where(LearningDay.user_id == user.id, LearningDay.day >= start, LearningDay.day <= end)
        .group_by(Resource.id, Resource.title, LearningRecord.completed_at)
        .order_by(func.sum(LearningDay.seconds).desc())
    ).all()
    live_seconds = float(
        session.scalar(
            select(func.coalesce(func.sum(LearningDay.seconds), 0.0)).where(
                LearningDay.user_id == user.id,
                LearningDay.live_session_id.is_not(None),
                LearningDay.day >= start,
                LearningDay.day <= end,
            )
        )
        or 0.0
    )
    font = pdf_font()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setTitle(f"学习证明 {user.display_name}")
    width, height = A4
    total = sum(float(s or 0) for _, s, _ in per_course) + live_seconds

    def header() -> float:
        c.setFont(font, 22)
        c.drawCentredString(width / 2, height - 30 * mm, "学习证明")
        c.setFont(font, 11)
        c.drawCentredString(width / 2, height - 37 * mm, "Certificate of learning")
        c.setFont(font, 12)
        y = height - 50 * mm
        org = user.organisation.name if user.organisation else ""
        c.drawString(20 * mm, y, f"学员：{user.display_name}　　单位：{org}")
        c.drawString(20 * mm, y - 7 * mm, f"期间：{start:%Y年%m月%d日} 至 {end:%Y年%m月%d日}")
        c.drawString(
            20 * mm,
            y - 14 * mm,
            f"合计学习 {total / 60:.0f} 分钟，折合 {total / CREDIT_HOUR_SECONDS:.2f} 学时"
            f"（45 分钟为 1 学时）；完成课程 {sum(1 for *_, done in per_course if done)} 门",
        )
        c.setStrokeColor(colors.grey)
        c.line(20 * mm, y - 19 * mm, width - 20 * mm, y - 19 * mm)
        c.setFont(font, 10)
        c.drawString(20 * mm, y - 25 * mm, "课程")
        c.drawRightString(width - 55 * mm, y - 25 * mm, "学习分钟")
        c.drawRightString(width - 38 * mm, y - 25 * mm, "学时")
        c.drawRightString(width - 20 * mm, y - 25 * mm, "完成")
        return y - 32 * mm

    y = header()
    rows = [(title, float(seconds or 0), done is not None) for title, seconds, done in per_course]
    if live_seconds:
        rows.append(("直播课堂（合计）", live_seconds, False))
    if not rows:
        c.drawString(20 * mm, y, "这段时间还没有学习记录。")
    for index, (title, seconds, done) in enumerate(rows):
        if index and index % ROWS_PER_PAGE == 0:
            c.showPage()
            y = header()
        c.setFont(font, 10)
        c.drawString(20 * mm, y, title if len(title) <= 34 else title[:33] + "…")
        c.drawRightString(width - 55 * mm, y, f"{seconds / 60:.0f}")
        c.drawRightString(width - 38 * mm, y, f"{seconds / CREDIT_HOUR_SECONDS:.2f}")
        c.drawRightString(width - 20 * mm, y, "是" if done else "")
        y -= 7 * mm
    c.setFont(font, 9)
    c.setFillColor(colors.grey)
    c.drawString(
        20 * mm,
        15 * mm,
        "智学江宁 · 江宁区社区学院　本证明依据平台记录的实际观看时长生成"
        "（暂停、后台与拖动跳过的时间不计）。",
    )
    c.save()
    return out.getvalue()
