"""A judge's scoring sheet (评分表) as a PDF for the bureau's files: one table row per entry
scored, the criteria as columns, her comments under each row, and a line for her signature."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from repo_service.competitions.exports import _esc, _font, _style


@dataclass(frozen=True)
class ScoringSheetRow:
    code: str
    title: str
    category: str
    round: int
    scores: Sequence[float | None]  # in the rubric's order
    comments: Sequence[str]
    submitted_on: datetime.date | None


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def scoring_sheet_pdf(
    competition_name: str,
    year: int,
    judge_name: str,
    criteria: Sequence[tuple[str, float]],
    rows: Sequence[ScoringSheetRow],
) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=36,
        rightMargin=36,
        topMargin=36,
        bottomMargin=36,
        title=f"{year}年{competition_name} 评分表",
        author="智学江宁",
    )
    head = _style("sheet-head", 16, alignment=1)
    cell = _style("sheet-cell", 9)
    note = _style("sheet-note", 8, textColor=colors.HexColor("#444444"))
    header = ["作品编号", "作品名称", "类别", "轮次"]
    header += [f"{name}\n（{maximum:g}）" for name, maximum in criteria]
    header += ["提交日期"]
    data: list[list[object]] = [[Paragraph(_esc(h).replace("\n", "<br/>"), cell) for h in header]]
    style = [
        ("FONTNAME", (0, 0), (-1, -1), _font()),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for row in rows:
        data.append(
            [
                Paragraph(_esc(row.code), cell),
                Paragraph(_esc(row.title[:120]), cell),
                Paragraph(_esc(row.category), cell),
                str(row.round),
                *[_number(v) for v in row.scores],
                row.submitted_on.isoformat() if row.submitted_on else "",
            ]
        )
        if row.comments:
            data.append([Paragraph(_esc("；".join(row.comments))[:3000], note)])
            style.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
    width = landscape(A4)[0] - 72
    fixed = [80.0, 0.0, 70.0, 32.0, *[52.0] * len(criteria), 64.0]
    fixed[1] = max(120.0, width - sum(fixed))
    table = Table(data, colWidths=fixed, repeatRows=1)
    table.setStyle(TableStyle(style))
    story = [
        Paragraph(_esc(f"{year}年{competition_name} 评委评分表"), head),
        Spacer(1, 8),
        Paragraph(_esc(f"评委：{judge_name}    共 {len(rows)} 件作品"), cell),
        Spacer(1, 8),
        table,
        Spacer(1, 28),
        Paragraph(_esc("评委签名：____________________    日期：____________________"), cell),
    ]
    doc.build(story)
    return out.getvalue()
