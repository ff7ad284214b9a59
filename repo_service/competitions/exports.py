"""Exports of a competition: the result sheet (XLSX), certificates and the catalogue (PDF).

Pure functions: plain, frozen data in, the file's bytes out. Nothing here touches the database,
the object store or Flask, so the views, the CLI and Celery tasks can all call them, and the
tests can check them on made-up data.

PDFs embed (a subset of) a TrueType CJK font, found at ``$ZX_PDF_FONT`` or at one of a few
known Debian paths (``fonts-wqy-zenhei`` is installed by ``infra/install``). Everything that a
user typed is escaped before it reaches reportlab's paragraph markup, and written to the
spreadsheet as text, never as a formula.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from repo_service.errors import ServiceUnavailable
from repo_service.qr import QUIET, dark_runs, qr_modules

__all__ = [
    "FONT_ENV",
    "CertificateData",
    "CollectionItem",
    "FontNotFound",
    "ScoringSheetRow",
    "SheetRow",
    "certificate_pdf",
    "certificates_pdf",
    "collection_pdf",
    "result_sheet_xlsx",
    "scoring_sheet_pdf",
]

# --------------------------------------------------------------------------------------------
# Plain data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    """One work's line in the result sheet of its category."""

    rank: int
    code: str
    title: str
    authors: str
    organisation: str
    category: str
    judge_totals: Sequence[float]
    score: float
    award: str | None
    note: str = ""


@dataclass(frozen=True)
class CertificateData:
    """What one certificate says; ``verify_url`` is what its QR code encodes."""

    code: str
    competition_name: str
    year: int
    award: str
    title: str
    authors: str
    organisation: str
    issued_on: datetime.date
    verify_url: str
    issuer: str


@dataclass(frozen=True)
class CollectionItem:
    """One work in the catalogue; ``poster_jpeg`` may be missing or not an image at all."""

    code: str
    title: str
    authors: str
    organisation: str
    category: str
    award: str
    summary: str
    poster_jpeg: bytes | None
    url: str


# Awards are listed best first when their names are known; others follow in order of appearance.
AWARD_ORDER = ("特等奖", "一等奖", "二等奖", "三等奖", "优秀奖", "入围奖", "鼓励奖")


def _ordered_awards(awards: Iterable[str]) -> list[str]:
    """The distinct awards, known ones best first, then the others as they came."""
    seen: list[str] = []
    for award in awards:
        if award not in seen:
            seen.append(award)

    def rank(award: str) -> tuple[int, int]:
        known = AWARD_ORDER.index(award) if award in AWARD_ORDER else len(AWARD_ORDER)
        return (known, seen.index(award))

    return sorted(seen, key=rank)


def _clip(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters, ending in … when cut."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --------------------------------------------------------------------------------------------
# Result sheet (XLSX)
# --------------------------------------------------------------------------------------------

SUMMARY_SHEET = "汇总"
NO_AWARD = "未获奖"
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
_SCORE_FORMAT = "0.00"


def _sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique (case-insensitively, as Excel compares) worksheet name for ``name``."""
    base = _SHEET_NAME_FORBIDDEN.sub("_", ILLEGAL_CHARACTERS_RE.sub("", name)).strip().strip("'")
    base = base[:31].strip() or "类别"
    candidate, n = base, 1
    while candidate.casefold() in taken or candidate.casefold() == "history":
        n += 1
        suffix = f"({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate.casefold())
    return candidate


def _set_text(cell: Any, value: str) -> None:
    """Write ``value`` as a text cell: never a formula, never an error code."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    cell.data_type = "s"  # openpyxl would take "=..." for a formula and "#N/A" for an error
    if value.startswith(_FORMULA_LEADS):
        cell.quotePrefix = True  # as Excel does for '=…: shown and kept as text when edited


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit_columns(ws: Any, widths: Mapping[int, int], caps: Mapping[int, int]) -> None:
    for col, width in widths.items():
        cap = caps.get(col, 40)
        ws.column_dimensions[get_column_letter(col)].width = max(6, min(cap, width + 2))


def _print_setup(ws: Any, header_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = header_rows
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _title_row(ws: Any, text: str, n_cols: int) -> None:
    _set_text(ws.cell(row=1, column=1), text)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    if n_cols > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n_cols)
    ws.row_dimensions[1].height = 30


def _header_row(ws: Any, headers: Sequence[str], widths: dict[int, int]) -> None:
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=2, column=col)
        _set_text(cell, header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        widths[col] = max(widths.get(col, 0), _display_width(header))
    ws.row_dimensions[2].height = 22
    ws.freeze_panes = "A3"


def _note_row(ws: Any, row: int, note: str, n_cols: int) -> None:
    cell = ws.cell(row=row, column=1)
    _set_text(cell, f"说明：{note}")
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if n_cols > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n_cols)
    ws.row_dimensions[row].height = max(20, 15 * (1 + _display_width(note) // 120))


def _category_sheet(ws: Any, title: str, rows: Sequence[SheetRow], criteria_note: str) -> None:
    n_judges = max((len(r.judge_totals) for r in rows), default=0)
    headers = [
        "名次",
        "作品编号",
        "作品名称",
        "作者",
        "单位",
        *(f"评委{i}" for i in range(1, n_judges + 1)),
        "最终得分",
        "奖项",
        "备注",
    ]
    n_cols = len(headers)
    widths: dict[int, int] = {}
    _title_row(ws, title, n_cols)
    _header_row(ws, headers, widths)
    wrapped = {3, 4, 5, n_cols}  # title, authors, organisation, note
    for r, row in enumerate(rows, start=3):
        texts = [row.code, row.title, row.authors, row.organisation]
        for col, text in enumerate(texts, start=2):
            _set_text(ws.cell(row=r, column=col), text)
            widths[col] = max(widths.get(col, 0), _display_width(text))
        ws.cell(row=r, column=1, value=int(row.rank))
        for j, total in enumerate(row.judge_totals):
            ws.cell(row=r, column=6 + j, value=float(total)).number_format = _SCORE_FORMAT
        score_col = 6 + n_judges
        ws.cell(row=r, column=score_col, value=float(row.score)).number_format = _SCORE_FORMAT
        ws.cell(row=r, column=score_col).font = Font(bold=True)
        if row.award:
            _set_text(ws.cell(row=r, column=score_col + 1), row.award)
            widths[score_col + 1] = max(widths[score_col + 1], _display_width(row.award))
        if row.note:
            _set_text(ws.cell(row=r, column=n_cols), row.note)
            widths[n_cols] = max(widths[n_cols], _display_width(row.note))
        for col in range(1, n_cols + 1):
            cell = ws.cell(row=r, column=col)
            cell.border = _BORDER
            cell.alignment = Alignment(
                horizontal="left" if col in wrapped else "center",
                vertical="center",
                wrap_text=col in wrapped,
            )
    for col in range(6, 7 + n_judges):
        widths[col] = max(widths.get(col, 0), 7)
    widths[1] = max(widths[1], 4)
    _fit_columns(ws, widths, {3: 44, 4: 28, 5: 30, n_cols: 30})
    if criteria_note:
        _note_row(ws, len(rows) + 4, criteria_note, n_cols)
    _print_setup(ws, "1:2")


def _summary_sheet(
    ws: Any,
    title: str,
    sheets: Sequence[tuple[str, Sequence[SheetRow]]],
    criteria_note: str,
) -> None:
    awards = _ordered_awards(r.award for _, rows in sheets for r in rows if r.award)
    if any(not r.award for _, rows in sheets for r in rows):
        awards.append(NO_AWARD)
    headers = ["类别", *awards, "合计"]
    n_cols = len(headers)
    widths: dict[int, int] = {}
    _title_row(ws, title, n_cols)
    _header_row(ws, headers, widths)
    totals = [0] * (len(awards) + 1)
    for r, (category, rows) in enumerate([*sheets, ("合计", ())], start=3):
        is_total = r == len(sheets) + 3
        _set_text(ws.cell(row=r, column=1), category)
        widths[1] = max(widths[1], _display_width(category))
        if is_total:
            counts = totals
        else:
            counts = [sum(1 for x in rows if (x.award or NO_AWARD) == a) for a in awards]
            counts.append(len(rows))
            totals = [t + c for t, c in zip(totals, counts, strict=True)]
        for col, count in enumerate(counts, start=2):
            ws.cell(row=r, column=col, value=count)
        for col in range(1, n_cols + 1):
            cell = ws.cell(row=r, column=col)
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="left" if col == 1 else "center")
            if is_total:
                cell.font = Font(bold=True)
    _fit_columns(ws, widths, {1: 30})
    if criteria_note:
        _note_row(ws, len(sheets) + 5, criteria_note, max(n_cols, 6))
    _print_setup(ws, "1:2")


def result_sheet_xlsx(
    competition_name: str,
    year: int,
    rows_by_category: Mapping[str, Sequence[SheetRow]],
    criteria_note: str = "",
) -> bytes:
    """The results as a workbook: a summary sheet 汇总, then one sheet per category.

    Rows are written in the order given (the caller ranks them); judges' totals and final
    scores are numbers shown with two decimals; every text cell is text, whatever it starts
    with.
    """
    book = openpyxl.Workbook()
    summary = book.active
    summary.title = SUMMARY_SHEET
    taken = {SUMMARY_SHEET.casefold()}
    sheets = list(rows_by_category.items())
    _summary_sheet(summary, f"{year}年{competition_name} 评审结果汇总", sheets, criteria_note)
    for category, rows in sheets:
        ws = book.create_sheet(_sheet_name(category, taken))
        title = f"{year}年{competition_name} 评审结果（{category}）"
        _category_sheet(ws, title, rows, criteria_note)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Fonts, markup, QR codes
# --------------------------------------------------------------------------------------------

FONT_ENV = "ZX_PDF_FONT"
# TrueType-outline CJK fonts that reportlab can embed (CFF-based Noto CJK it cannot).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


class FontNotFound(ServiceUnavailable):
    """No usable CJK TrueType font for the PDFs: the installation is incomplete (503)."""

    code = "pdf_font_missing"


def _font_path() -> str:
    override = os.environ.get(FONT_ENV, "").strip()
    if override:
        if not os.path.isfile(override):
            raise FontNotFound(
                f"生成 PDF 所需的中文字体不可用：{FONT_ENV}={override} 不是字体文件",
                f"{FONT_ENV}={override} is not a font file: point it at a TrueType-outline CJK "
                "font (.ttf or .ttc)",
            )
        return override
    for path in FONT_CANDIDATES:
        if os.path.isfile(path):
            return path
    raise FontNotFound(
        "生成 PDF 所需的中文字体未安装，请联系管理员运行 infra/install",
        f"No embeddable CJK TrueType font: install fonts-wqy-zenhei (infra/install does) or set "
        f"{FONT_ENV} to a .ttf/.ttc; looked at {', '.join(FONT_CANDIDATES)}",
    )


@functools.cache
def _register_font(path: str) -> str:
    name = "ZXCJK-" + hashlib.sha256(path.encode()).hexdigest()[:8]
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    except (TTFError, OSError) as exc:
        raise FontNotFound(
            "生成 PDF 所需的中文字体无法使用，请联系管理员",
            f"The font {path} cannot be embedded ({exc}); set {FONT_ENV} to a TrueType-outline "
            "CJK font",
        ) from exc
    # One face for every style, so that <b>/<i> in markup can never fail a lookup.
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return name


def _font() -> str:
    """The registered name of the CJK font; registered once per font file per process."""
    return _register_font(_font_path())


def pdf_font() -> str:
    """The CJK font for any PDF the service makes (certificates of learning too)."""
    return _font()


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _esc(text: str) -> str:
    """``text`` for reportlab's paragraph markup: shown literally, never interpreted."""
    text = _CONTROL.sub("", str(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


QR_QUIET = QUIET  # modules of white border, as the standard asks


@functools.lru_cache(maxsize=1024)
def _qr_path(value: str) -> tuple[int, str]:
    """The QR code of ``value`` (the module matrix of ``repo_service.qr``, level M): its side in
    modules, quiet zone included, and PDF path operators filling its dark modules, in module
    units with the origin bottom left. Made once per value."""
    modules = qr_modules(value)
    side = len(modules) + 2 * QR_QUIET
    ops: list[str] = []
    for r, row in enumerate(modules):
        y = side - QR_QUIET - r - 1
        for start, length in dark_runs(row):
            # A hair taller than a module, so that rows never show seams when rasterised.
            ops.append(f"{QR_QUIET + start} {y - 0.04:.2f} {length} 1.04 re")
    return side, "\n".join(ops)


def _draw_qr(canv: Any, value: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of ``value`` in the square (x, y, size), quiet zone included."""
    side, path = _qr_path(value)
    canv.saveState()
    canv.setFillColor(colors.white)
    canv.rect(x, y, size, size, stroke=0, fill=1)
    canv.setFillColor(colors.black)
    canv.transform(size / side, 0, 0, size / side, x, y)
    # The path is made once per value (see _qr_path) and reused wherever the code is shown.
    canv.addLiteral(path + "\nf")
    canv.restoreState()


def _style(name: str, size: float, **kw: Any) -> ParagraphStyle:
    kw.setdefault("leading", size * 1.45)
    return ParagraphStyle(name, fontName=_font(), fontSize=size, wordWrap="CJK", **kw)


# --------------------------------------------------------------------------------------------
# Certificates (PDF)
# --------------------------------------------------------------------------------------------

CERT_PAGE = landscape(A4)
_RED = colors.HexColor("#8B1A1A")
_GOLD = colors.HexColor("#C9A227")
_INK = colors.HexColor("#222222")
# Caps that keep even the smallest type on the page; real names and titles are far shorter.
_CERT_LIMITS = {"title": 240, "authors": 300, "organisation": 120, "competition": 120, "award": 40}


def _cert_body(cert: CertificateData, size: float, scale: float) -> list[Any]:
    def cap(key: str) -> int:
        return max(8, int(_CERT_LIMITS[key] * scale))

    who = _esc(_clip(cert.authors, cap("authors")))
    org = _esc(_clip(cert.organisation, cap("organisation")))
    title = _esc(_clip(cert.title, cap("title")))
    comp = _esc(_clip(cert.competition_name, cap("competition")))
    award = _esc(_clip(cert.award, cap("award")))
    first = _style("cert-who", size, leading=size * 1.7, textColor=_INK)
    body = _style("cert-body", size, leading=size * 1.7, firstLineIndent=2 * size, textColor=_INK)
    return [
        Paragraph(f"{who}（{org}）：" if org else f"{who}：", first),
        Paragraph(
            f"你的作品《{title}》在{cert.year}年{comp}中荣获"
            f'<font color="#8B1A1A" size="{size * 1.2:.1f}">{award}</font>。',
            body,
        ),
        Paragraph("特发此证，以资鼓励。", body),
    ]


def _fit_body(cert: CertificateData, width: float, height: float) -> tuple[list[Any], float]:
    """The body paragraphs at the largest type that fits; shortened as a last resort.

    With the caps of _CERT_LIMITS the text fits at 10 pt; the shorter caps after them are for
    a smaller body box, and the last of them (8 characters a field) fits any box at all.
    """
    paras: list[Any] = []
    total = 0.0
    for scale in (1.0, 0.7, 0.5, 0.35, 0.0):
        for size in (22, 20, 18, 16, 15, 14, 13, 12, 11, 10):
            paras = _cert_body(cert, size, scale)
            total = sum(p.wrap(width, height)[1] for p in paras) + size * 0.6 * (len(paras) - 1)
            if total <= height:
                return paras, total
    return paras, total


def _draw_certificate(canv: Any, cert: CertificateData) -> None:
    font = _font()
    w, h = CERT_PAGE
    # Frame: a strong outer line and a fine gold inner one.
    canv.setStrokeColor(_RED)
    canv.setLineWidth(3)
    canv.rect(22, 22, w - 44, h - 44, stroke=1, fill=0)
    canv.setStrokeColor(_GOLD)
    canv.setLineWidth(1)
    canv.rect(30, 30, w - 60, h - 60, stroke=1, fill=0)
    # Heading, set a little heavier by stroking its outline too.
    canv.saveState()
    canv.setFillColor(_RED)
    canv.setStrokeColor(_RED)
    canv.setLineWidth(0.9)
    canv.setFont(font, 46)
    canv.drawCentredString(w / 2, h - 120, "荣誉证书", mode=2, charSpace=18)
    canv.restoreState()
    canv.setFillColor(_INK)
    canv.setFont(font, 10)
    canv.drawRightString(w - 52, h - 54, f"证书编号：{_clip(cert.code, 48)}")
    # Body, centred vertically in its band.
    left, right, top, bottom = 100, w - 100, h - 155, 200
    paras, total = _fit_body(cert, right - left, top - bottom)
    y = top - max(0.0, (top - bottom - total) / 2) * 0.6
    for para in paras:
        _, ph = para.wrap(right - left, top - bottom)
        para.drawOn(canv, left, y - ph)
        y -= ph + para.style.fontSize * 0.6
    # Issuer and date, bottom right.
    issuer_text = _clip(cert.issuer, 40)
    sign = _style("cert-sign", 16 if len(issuer_text) <= 18 else 13, alignment=TA_CENTER)
    issuer = Paragraph(_esc(issuer_text), sign)
    issuer.wrap(300, 80)
    issuer.drawOn(canv, w - 90 - 300, 134)  # grows upwards, at most two lines
    canv.setFont(font, 16)
    canv.drawCentredString(w - 90 - 150, 112, _cn_date(cert.issued_on))
    # QR code to the verification page, bottom left, with its caption.
    qr_size = 96
    _draw_qr(canv, cert.verify_url, 64, 62, qr_size)
    canv.setFont(font, 10)
    canv.drawCentredString(64 + qr_size / 2, 48, "扫码验证")


def certificates_pdf(certs: Sequence[CertificateData]) -> bytes:
    """The certificates as one PDF, one A4 landscape page each, in the order given."""
    if not certs:
        raise ValueError("certificates_pdf needs at least one certificate")
    out = io.BytesIO()
    canv = pdfcanvas.Canvas(out, pagesize=CERT_PAGE, initialFontName=_font(), pageCompression=1)
    canv.setCreator("智学江宁")
    canv.setAuthor(_clip(certs[0].issuer, 120))
    canv.setSubject("荣誉证书")
    canv.setTitle(f"{certs[0].year}年{_clip(certs[0].competition_name, 120)} 荣誉证书")
    for cert in certs:
        _draw_certificate(canv, cert)
        canv.showPage()
    canv.save()
    return out.getvalue()


def certificate_pdf(cert: CertificateData) -> bytes:
    """One certificate: a single A4 landscape page."""
    return certificates_pdf([cert])


# --------------------------------------------------------------------------------------------
# Catalogue of works (PDF)
# --------------------------------------------------------------------------------------------

_MARGIN = 48.0
# A poster box is 1.7 x 2.2 inches: 640 px on the long side is near 300 dpi. Posters up to
# POSTER_MAX_PX are kept at their size (a JPEG decoded at 1/2, 1/4 or 1/8 usually lands there,
# which saves a costly resize); larger ones are scaled to POSTER_PX.
POSTER_PX = 640
POSTER_MAX_PX = 1000
_POSTER_W, _POSTER_H = 120.0, 160.0
_QR_SIZE = 74.0
_SUMMARY_LIMIT = 150
_TITLE_LIMIT = 160
_TEXT_LIMIT = 160


class _JpegReader(ImageReader):
    """JPEG bytes for reportlab, which embeds them as they are (DCTDecode) and never decodes
    them: the "pixels" that it digests to name the image (so that a poster shown twice is
    stored once) are the bytes' SHA-256, so hundreds of posters are never held decoded.

    This leans on how ``Canvas.drawImage`` treats an ImageReader with a JPEG behind it (4.2 to
    5.1 alike); the tests check the embedded image's size and pixels.
    """

    def __init__(self, jpeg: bytes) -> None:
        super().__init__(io.BytesIO(jpeg))
        self._digest = hashlib.sha256(jpeg).digest()
        self._dataA = None  # no alpha channel; reportlab reads this after getRGBData

    def getRGBData(self) -> bytes:  # noqa: N802 (reportlab's name)
        return self._digest


@dataclass(frozen=True)
class _Poster:
    reader: _JpegReader
    width: int
    height: int


_EXIF_ORIENTATION = 0x0112
POSTER_MAX_PIXELS = 60_000_000  # a poster larger than this is refused, unread (a bomb, likely)


def _load_poster(data: bytes) -> _Poster | None:
    """A print-ready JPEG of ``data``, or None when it is not an image that can be read.

    Every poster is decoded once, here: a small plain JPEG, to check that it decodes, is then
    embedded as it is; anything else (large, rotated, CMYK, PNG, …) is scaled down (a JPEG is
    decoded straight at a reduced scale) and saved as a JPEG. Thread-safe.
    """
    try:
        with PILImage.open(io.BytesIO(data)) as img:
            if img.width * img.height > POSTER_MAX_PIXELS:
                return None
            if (
                img.format == "JPEG"
                and img.mode in {"RGB", "L"}
                and max(img.size) <= POSTER_MAX_PX
                and img.getexif().get(_EXIF_ORIENTATION, 1) == 1
            ):
                img.load()  # a truncated or corrupt file fails here, not mid-build
                jpeg, size = data, img.size
            else:
                # The size it will be scaled to: a JPEG decodes straight at 1/2, 1/4 or 1/8.
                scale = min(1.0, POSTER_PX / max(img.size))
                img.draft("RGB", (int(img.width * scale), int(img.height * scale)))
                jpeg, size = _reencode(img)
        return _Poster(_JpegReader(jpeg), size[0], size[1])
    except (
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
        PILImage.DecompressionBombError,
        Warning,  # where warnings are errors (as in the tests), a quirky file is unreadable
    ):
        return None


def _load_posters(items: Sequence[CollectionItem]) -> list[_Poster | None]:
    """Each item's poster: identical bytes are decoded once, distinct ones on a few threads
    (Pillow decodes, scales and encodes without holding the GIL)."""
    datas = [item.poster_jpeg or b"" for item in items]
    digests = [hashlib.sha256(data).digest() if data else b"" for data in datas]
    distinct = {digest: data for digest, data in zip(digests, datas, strict=True) if data}
    workers = min(4, os.cpu_count() or 1, max(1, len(distinct) // 8))
    with ThreadPoolExecutor(workers, thread_name_prefix="poster") as pool:
        loaded = dict(zip(distinct, pool.map(_load_poster, distinct.values()), strict=True))
    return [loaded[digest] if digest else None for digest in digests]


def _reencode(img: Any) -> tuple[bytes, tuple[int, int]]:
    img = ImageOps.exif_transpose(img)
    if img.mode in {"RGBA", "LA", "PA"} or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        flat = PILImage.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        img = flat
    elif img.mode not in {"RGB", "L"}:
        img = img.convert("RGB")
    if max(img.size) > POSTER_MAX_PX:
        img.thumbnail((POSTER_PX, POSTER_PX))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue(), img.size


class _PosterBox(Flowable):
    """The poster scaled into its box keeping its aspect, or a neutral placeholder."""

    def __init__(self, poster: _Poster | None, width: float, height: float) -> None:
        super().__init__()
        self.poster, self.width, self.height = poster, width, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        if self.poster is None:
            canv.saveState()
            canv.setFillColor(colors.HexColor("#F2F2F2"))
            canv.setStrokeColor(colors.HexColor("#BBBBBB"))
            canv.setDash(3, 3)
            canv.rect(0, 0, self.width, self.height, stroke=1, fill=1)
            canv.setFillColor(colors.HexColor("#999999"))
            canv.setFont(_font(), 10)
            canv.drawCentredString(self.width / 2, self.height / 2 - 4, "暂无海报")
            canv.restoreState()
            return
        scale = min(self.width / self.poster.width, self.height / self.poster.height)
        pw, ph = self.poster.width * scale, self.poster.height * scale
        canv.drawImage(
            self.poster.reader, (self.width - pw) / 2, self.height - ph, width=pw, height=ph
        )


class _QrBox(Flowable):
    """A QR code with a caption underneath."""

    def __init__(self, value: str, size: float, caption: str) -> None:
        super().__init__()
        self.value, self.size, self.caption = value, size, caption
        self.width, self.height = size, size + 12

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        _draw_qr(self.canv, self.value, 0, 12, self.size)
        self.canv.setFont(_font(), 8)
        self.canv.setFillColor(colors.HexColor("#555555"))
        self.canv.drawCentredString(self.size / 2, 2, self.caption)


_TocEntry = tuple[int, str, int, str]  # level, markup, page, bookmark key


class _SketchCanvas(pdfcanvas.Canvas):
    """The canvas of a layout that is only measured: images and QR codes are left out."""

    def drawImage(self, *args: Any, **kwargs: Any) -> None:  # noqa: N802 (reportlab's name)
        pass

    def addLiteral(self, s: str, escaped: int = 1) -> None:  # noqa: N802 (reportlab's name)
        pass


class _CatalogueDoc(BaseDocTemplate):
    """Records where the marked flowables land (for the contents and the PDF outline)."""

    def __init__(self, out: io.BytesIO, title: str, font: str, *, cover: bool, save: bool) -> None:
        super().__init__(
            out,
            pagesize=A4,
            leftMargin=_MARGIN,
            rightMargin=_MARGIN,
            topMargin=_MARGIN,
            bottomMargin=_MARGIN + 6,
            title=title,
            author="智学江宁",
            creator="智学江宁",
            initialFontName=font,
        )
        self._doSave = save  # reportlab's switch: a layout that is only measured is not written
        self.font = font
        self.entries: list[_TocEntry] = []
        self.pages = 0
        frame = Frame(_MARGIN, _MARGIN + 6, A4[0] - 2 * _MARGIN, A4[1] - 2 * _MARGIN - 6)
        pages = PageTemplate(id="pages", frames=[frame], onPage=self._footer)
        self.addPageTemplates(
            [PageTemplate(id="cover", frames=[frame]), pages] if cover else [pages]
        )

    def _footer(self, canv: Any, doc: Any) -> None:
        canv.saveState()
        canv.setFont(self.font, 9)
        canv.setFillColor(colors.HexColor("#666666"))
        canv.drawCentredString(A4[0] / 2, _MARGIN - 16, f"第 {doc.page} 页")
        canv.restoreState()

    def afterPage(self) -> None:  # noqa: N802 (reportlab's hook name)
        self.pages += 1

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 (reportlab's hook name)
        entry = getattr(flowable, "zx_toc", None)
        if entry is None:
            return
        level, markup, plain, key = entry
        self.canv.bookmarkPage(key)
        if level < 2:
            self.canv.addOutlineEntry(plain, key, level=level, closed=level > 0)
        self.entries.append((level, markup, self.page, key))


def _group(items: Sequence[CollectionItem]) -> list[tuple[str, list[tuple[str, list[int]]]]]:
    """Item indexes by category (first appearance) then award (best first), input order kept."""
    by_cat: dict[str, dict[str, list[int]]] = {}
    for i, item in enumerate(items):
        by_cat.setdefault(item.category, {}).setdefault(item.award, []).append(i)
    return [
        (cat, [(award, awards[award]) for award in _ordered_awards(awards)])
        for cat, awards in by_cat.items()
    ]


class _Styles:
    def __init__(self) -> None:
        self.cover_title = _style("cover-title", 30, alignment=TA_CENTER, leading=44)
        self.cover_sub = _style("cover-sub", 22, alignment=TA_CENTER, leading=34)
        self.cover_text = _style("cover-text", 13, alignment=TA_CENTER, leading=22)
        self.toc_head = _style("toc-head", 22, alignment=TA_CENTER, spaceAfter=14)
        self.toc = [
            _style("toc0", 13, leading=20),
            _style("toc1", 11, leading=17, leftIndent=14),
            _style("toc2", 9.5, leading=14, leftIndent=28),
        ]
        self.toc_page = [
            _style(f"toc-page{n}", size, alignment=TA_RIGHT, leading=leading)
            for n, (size, leading) in enumerate([(13, 20), (11, 17), (9.5, 14)])
        ]
        self.category = _style(
            "category", 18, leading=26, spaceBefore=6, spaceAfter=4, textColor=_RED, keepWithNext=1
        )
        self.award = _style("award", 13, leading=20, spaceBefore=4, spaceAfter=4, keepWithNext=1)
        self.work_title = _style("work-title", 13, leading=18, spaceAfter=4, textColor=_INK)
        self.meta = _style("meta", 9.5, leading=14, textColor=colors.HexColor("#333333"))
        self.summary = _style(
            "summary", 9, leading=13.5, spaceBefore=4, textColor=colors.HexColor("#444444")
        )
        self.font = _font()


def _marked(flowable: Any, level: int, markup: str, plain: str, key: str) -> Any:
    flowable.zx_toc = (level, markup, plain, key)
    return flowable


def _work_block(
    item: CollectionItem, poster: _Poster | None, styles: _Styles, width: float, key: str
) -> Any:
    title = _clip(item.title, _TITLE_LIMIT)
    text = [
        Paragraph(_esc(title), styles.work_title),
        Paragraph(
            f"编号：{_esc(_clip(item.code, 40))}　类别：{_esc(_clip(item.category, 40))}　"
            f'奖项：<font color="#8B1A1A">{_esc(_clip(item.award, 40))}</font>',
            styles.meta,
        ),
        Paragraph(f"作者：{_esc(_clip(item.authors, _TEXT_LIMIT))}", styles.meta),
        Paragraph(f"单位：{_esc(_clip(item.organisation, _TEXT_LIMIT))}", styles.meta),
        Paragraph(_esc(_clip(item.summary, _SUMMARY_LIMIT)), styles.summary),
    ]
    qr_col = _QR_SIZE + 8
    table = Table(
        [[_PosterBox(poster, _POSTER_W, _POSTER_H), text, _QrBox(item.url, _QR_SIZE, "扫码查看")]],
        colWidths=[_POSTER_W + 12, width - _POSTER_W - 12 - qr_col, qr_col],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.font),  # else cells set Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("VALIGN", (2, 0), (2, 0), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 4),
                ("RIGHTPADDING", (1, 0), (1, 0), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#CCCCCC")),
            ]
        ),
    )
    markup = f"{_esc(_clip(item.code, 24))}　{_esc(_clip(item.title, 48))}"
    return _marked(table, 2, markup, title, key)


def _cover(
    competition_name: str, year: int, groups: Sequence[tuple[str, Any]], n: int, st: _Styles
) -> list[Any]:
    story: list[Any] = [
        Spacer(1, 180),
        Paragraph(_esc(f"{year}年{_clip(competition_name, 80)}"), st.cover_title),
        Spacer(1, 16),
        Paragraph("优秀成果汇编", st.cover_sub),
        Spacer(1, 60),
        Paragraph(f"共收录作品 {n} 件", st.cover_text),
    ]
    if groups:
        cats = "、".join(_esc(_clip(cat, 30)) for cat, _ in groups[:12])
        more = " 等" if len(groups) > 12 else ""
        story.append(Paragraph(f"类别：{cats}{more}", st.cover_text))
    return story


def _contents(
    entries: Sequence[_TocEntry], st: _Styles, width: float, *, links: bool = True
) -> list[Any]:
    """The table of contents: entries (linked to the works), page numbers right-aligned."""
    if not entries:
        return [Paragraph("目　录", st.toc_head), Paragraph("暂无作品", st.cover_text)]
    rows = [
        [
            Paragraph(f'<a href="#{key}">{markup}</a>' if links else markup, st.toc[level]),
            Paragraph(str(page), st.toc_page[level]),
        ]
        for level, markup, page, key in entries
    ]
    style: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), st.font),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    for r, (level, *_) in enumerate(entries):
        if level == 0:
            style.append(("TOPPADDING", (0, r), (-1, r), 8 if r else 0))
        else:
            style.append(("LINEBELOW", (0, r), (-1, r), 0.3, colors.HexColor("#BBBBBB"), 0, (1, 2)))
    table = Table(rows, colWidths=[width - 40, 40], style=TableStyle(style))
    return [Paragraph("目　录", st.toc_head), table]


def _body(
    items: Sequence[CollectionItem],
    st: _Styles,
    width: float,
    posters: Sequence[_Poster | None],
) -> list[Any]:
    """Category and award headings, each work's block; every category starts a page."""
    story: list[Any] = []
    for c, (category, awards) in enumerate(_group(items)):
        if c:
            story.append(PageBreak())
        cat = _clip(category, 60)
        story.append(_marked(Paragraph(_esc(cat), st.category), 0, _esc(cat), cat, f"c{c}"))
        for a, (award, indexes) in enumerate(awards):
            aw = _clip(award, 40)
            heading = Paragraph(_esc(aw), st.award)
            story.append(_marked(heading, 1, _esc(aw), aw, f"c{c}a{a}"))
            for i in indexes:
                story.append(_work_block(items[i], posters[i], st, width, f"w{i}"))
    return story


def collection_pdf(competition_name: str, year: int, items: Sequence[CollectionItem]) -> bytes:
    """The catalogue 优秀成果汇编: cover, contents, then one block per work.

    Works are grouped by category (in order of first appearance) and award (best first), each
    with its poster, particulars, summary and a QR code to its page. Posters that are missing
    or unreadable get a placeholder; identical posters are decoded once. Page numbers are in
    the footer; the contents and the PDF outline link to the works.
    """
    st = _Styles()
    title = f"{year}年{_clip(competition_name, 120)} 优秀成果汇编"
    width = A4[0] - 2 * _MARGIN - 12  # the frame's usable width: 6 pt padding either side

    posters = _load_posters(items)
    groups = _group(items)

    def lay_out(
        entries: Sequence[_TocEntry] | None, out: io.BytesIO | None = None
    ) -> _CatalogueDoc:
        """Lay out the body (entries None), the front matter (no out) or the whole (both).

        reportlab marks the flowables of a build (postponed, keep-with-next consumed), so each
        layout gets new ones; what is costly to make (posters, QR codes) is cached.
        """
        story: list[Any] = []
        if entries is not None:
            story += _cover(competition_name, year, groups, len(items), st)
            story += [NextPageTemplate("pages"), PageBreak()]
            story += _contents(entries, st, width, links=out is not None)
        if items and (entries is None or out is not None):
            story += [PageBreak()] if story else []
            story += _body(items, st, width, posters)
        doc = _CatalogueDoc(
            out or io.BytesIO(), title, st.font, cover=entries is not None, save=out is not None
        )
        doc.build(story, canvasmaker=_SketchCanvas if out is None else pdfcanvas.Canvas)
        return doc

    # The body is laid out once on its own: each category starts a page, so where a work lands
    # does not depend on what precedes the body. The front matter is then laid out until its
    # length settles, and the whole document is built with the page numbers known.
    placed = lay_out(None).entries if items else []
    front_pages = 2
    for _ in range(5):
        entries = [(lvl, markup, page + front_pages, key) for lvl, markup, page, key in placed]
        pages = lay_out(entries).pages
        if pages == front_pages:
            break
        front_pages = pages
    for _ in range(3):
        out = io.BytesIO()
        doc = lay_out(entries, out)
        if doc.entries == entries:
            break
        entries = doc.entries  # not expected: the front matter moved a work; set it right
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# A judge's scoring sheet (PDF)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoringSheetRow:
    """One entry a judge scored, for her 评分表 (scoring sheet)."""

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
