"""Sign-in sheets as XLSX: the blank template organisers fill in on paper's behalf, reading a
filled one back (every row checked before anything is kept), and the attendance list exported.

Reading trusts the file's content, never its name: an upload is an XLSX only if it is a zip
archive holding a workbook, and it is opened only after its unpacked size is known.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from repo_service.errors import InvalidInput, TooLarge

MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED = 20 * 1024 * 1024
MAX_ROWS = 5000
MAX_LISTED_ERRORS = 200
MAX_NAME = 100
FIRST_BIRTH_YEAR = 1900

NAME, MOBILE, BIRTH_YEAR = "姓名", "手机号", "出生年份"
HEADERS = {
    "姓名": "name",
    "name": "name",
    "手机号": "mobile",
    "手机号码": "mobile",
    "手机": "mobile",
    "mobile": "mobile",
    "出生年份": "birth_year",
    "出生年": "birth_year",
    "birth year": "birth_year",
    "birth_year": "birth_year",
}
MOBILE_RE = re.compile(r"1\d{10}")
_MOBILE_NOISE = re.compile(r"[\s\-()（）]")
_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class NotASheet(InvalidInput):
    code = "not_xlsx"


class SheetRejected(InvalidInput):
    """Some rows are wrong: none is kept, and every problem is listed by row."""

    code = "sheet_rejected"

    def __init__(self, errors: Sequence[RowError]) -> None:
        n = len(errors)
        super().__init__(
            f"表格中有 {n} 处错误，未导入任何一行；请改正后重新上传",
            f"The sheet has {n} error{'s' if n != 1 else ''}; no row was imported. "
            "Correct them and upload it again",
            field="file",
            error_count=n,
            errors=[e.as_dict() for e in errors[:MAX_LISTED_ERRORS]],
        )


@dataclass(frozen=True)
class SheetRow:
    row: int  # as Excel numbers it: the header is row 1
    name: str
    mobile: str
    birth_year: int | None


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "message": f"第 {self.row} 行：{self.message}",
            "message_en": f"Row {self.row}: {self.message_en}",
        }


# --- reading ------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as text: Excel stores a typed mobile number as a float, 13812345678.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return ILLEGAL_CHARACTERS_RE.sub("", str(value)).strip()


def check_rows(
    rows: Iterable[tuple[int, Any, Any, Any]], this_year: int
) -> tuple[list[SheetRow], list[RowError]]:
    """Check (row number, name, mobile, birth year) cells: the good rows and every error.

    Blank rows are skipped; a mobile number may be written with spaces, hyphens or full-width
    digits; a mobile number may appear once per sheet.
    """
    good: list[SheetRow] = []
    errors: list[RowError] = []
    first_seen: dict[str, int] = {}
    for number, raw_name, raw_mobile, raw_year in rows:
        name = " ".join(_text(raw_name).split())
        mobile = _MOBILE_NOISE.sub("", unicodedata.normalize("NFKC", _text(raw_mobile)))
        year_text = unicodedata.normalize("NFKC", _text(raw_year)).removesuffix("年").strip()
        if not (name or mobile or year_text):
            continue
        bad = len(errors)
        if not name:
            errors.append(RowError(number, "name", "姓名为空", "the name is empty"))
        elif len(name) > MAX_NAME:
            errors.append(
                RowError(
                    number,
                    "name",
                    f"姓名超过 {MAX_NAME} 个字符",
                    f"the name is longer than {MAX_NAME} characters",
                )
            )
        if not mobile:
            errors.append(RowError(number, "mobile", "手机号为空", "the mobile number is empty"))
        elif not MOBILE_RE.fullmatch(mobile):
            errors.append(
                RowError(
                    number,
                    "mobile",
                    f"手机号“{mobile[:20]}”不是以 1 开头的 11 位数字",
                    f"the mobile number {mobile[:20]!r} is not 11 digits starting with 1",
                )
            )
        elif mobile in first_seen:
            errors.append(
                RowError(
                    number,
                    "mobile",
                    f"手机号 {mobile} 与第 {first_seen[mobile]} 行重复",
                    f"the mobile number {mobile} repeats row {first_seen[mobile]}",
                )
            )
        else:
            first_seen[mobile] = number
        birth_year = None
        if year_text:
            birth_year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
            if birth_year is None or not FIRST_BIRTH_YEAR <= birth_year <= this_year:
                errors.append(
                    RowError(
                        number,
                        "birth_year",
                        f"出生年份“{year_text[:20]}”应为 {FIRST_BIRTH_YEAR}–{this_year} 之间的年份",
                        f"the birth year {year_text[:20]!r} must be a year from "
                        f"{FIRST_BIRTH_YEAR} to {this_year}",
                    )
                )
        if len(errors) == bad:
            good.append(SheetRow(number, name, mobile, birth_year))
    return good, errors


def _archive_check(data: bytes) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise NotASheet(
            "这是旧版 .xls 文件：请在 Excel 或 WPS 中“另存为”.xlsx 格式后上传",
            "This is an old .xls file: save it as .xlsx in Excel or WPS and upload that",
            field="file",
        )
    not_a_sheet = NotASheet(
        "文件不是 XLSX 表格：请上传用签到模板填写的 .xlsx 文件",
        "The file is not an XLSX sheet: upload the .xlsx made from the sign-in template",
        field="file",
    )
    if not data.startswith(b"PK\x03\x04"):
        raise not_a_sheet
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_a_sheet from None
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_a_sheet  # a Word document or any other zip archive
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise TooLarge(
            f"表格解压后超过 {MAX_UNPACKED // (1024 * 1024)} MB",
            f"The sheet is larger than {MAX_UNPACKED // (1024 * 1024)} MB once unpacked",
            field="file",
        )


def read_sheet(data: bytes, this_year: int) -> list[SheetRow]:
    """The rows of a filled sign-in sheet, all of them good, or an error saying what is wrong.

    The first worksheet's row 1 names the columns: 姓名 and 手机号, and 出生年份 if known
    (English names work too); other columns are ignored.
    """
    if len(data) > MAX_BYTES:
        raise TooLarge(
            f"表格文件不能超过 {MAX_BYTES // (1024 * 1024)} MB",
            f"The sheet must be at most {MAX_BYTES // (1024 * 1024)} MB",
            field="file",
        )
    if not data:
        raise InvalidInput(
            "请选择要导入的签到表", "Choose the sign-in sheet to import", field="file"
        )
    _archive_check(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise NotASheet(
            "无法读取该表格，文件可能已损坏：请用签到模板重新填写",
            "Cannot read the sheet; it may be damaged: fill in the sign-in template again",
            field="file",
        ) from exc
    try:
        return _rows_of(workbook, this_year)
    finally:
        workbook.close()


def _rows_of(workbook: Any, this_year: int) -> list[SheetRow]:
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = [HEADERS.get(_text(c).lower(), "") for c in next(rows, ())]
    if "name" not in header or "mobile" not in header:
        raise InvalidInput(
            "第 1 行须为表头：姓名、手机号（可选：出生年份）；请使用签到模板",
            "Row 1 must be the header: 姓名 (name), 手机号 (mobile), optionally 出生年份 "
            "(birth year); use the sign-in template",
            field="file",
        )
    at = {key: header.index(key) for key in ("name", "mobile", "birth_year") if key in header}

    def cell(row: tuple[Any, ...], key: str) -> Any:
        i = at.get(key)
        return row[i] if i is not None and i < len(row) else None

    cells: list[tuple[int, Any, Any, Any]] = []
    for number, row in enumerate(rows, start=2):
        picked = (cell(row, "name"), cell(row, "mobile"), cell(row, "birth_year"))
        if all(_text(v) == "" for v in picked):
            continue
        if len(cells) >= MAX_ROWS:
            raise TooLarge(
                f"一次最多导入 {MAX_ROWS} 行，请分成几个表格导入",
                f"At most {MAX_ROWS} rows per import: split the sheet",
                field="file",
            )
        cells.append((number, *picked))
    if not cells:
        raise InvalidInput(
            "表格中没有签到记录（表头下面是空的）",
            "The sheet has no sign-ins (nothing under the header)",
            field="file",
        )
    good, errors = check_rows(cells, this_year)
    if errors:
        raise SheetRejected(errors)
    return good


# --- writing ------------------------------------------------------------------------------------


def _set_text(cell: Any, value: str) -> None:
    """A text cell, never a formula: a name typed as "=1+1" stays those characters."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    cell.data_type = "s"
    if value.startswith(_FORMULA_LEADS):
        cell.quotePrefix = True


def _header(ws: Any, headers: Sequence[str], widths: Sequence[int]) -> None:
    for col, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=col)
        _set_text(cell, title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def _notes(ws: Any, lines: Sequence[str]) -> None:
    ws.column_dimensions["A"].width = 90
    for row, line in enumerate(lines, start=1):
        _set_text(ws.cell(row=row, column=1), line)
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)


def _saved(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


TEMPLATE_ROWS = 300  # rows whose mobile cells are pre-formatted as text


def template_xlsx() -> bytes:
    """The blank sign-in sheet: 姓名, 手机号, 出生年份, and a sheet of instructions."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "签到表"
    _header(ws, (NAME, MOBILE, BIRTH_YEAR), (16, 18, 12))
    for row in range(2, TEMPLATE_ROWS + 2):
        # As text, so that Excel neither shows 1.38E+10 nor drops anything from the number.
        ws.cell(row=row, column=2).number_format = "@"
    _notes(
        book.create_sheet("填写说明"),
        (
            "活动签到表填写说明 / How to fill in the sign-in sheet",
            "1. 在“签到表”中每位参加者填一行，第 1 行表头不要改动。"
            " One row per participant on the first sheet; keep row 1 as it is.",
            "2. 姓名、手机号必填；手机号为以 1 开头的 11 位数字，同一张表中不能重复。"
            " Name and mobile are required; a mobile is 11 digits starting with 1, once per sheet.",
            f"3. 出生年份可不填，填写时为 {FIRST_BIRTH_YEAR} 年至今年之间的四位年份（如 1956）。"
            " Birth year is optional: a 4-digit year such as 1956.",
            "4. 表格中有任何一行填写有误时整张表都不会导入，系统会按行号列出错误。"
            " If any row is wrong nothing is imported, and every error is listed by row.",
            "5. 已签到（扫码或此前导入）的人会被跳过，不会重复计数。"
            " People already signed in (by QR code or an earlier sheet) are skipped, not counted"
            " twice.",
            f"6. 每次最多 {MAX_ROWS} 行，文件不超过 {MAX_BYTES // (1024 * 1024)} MB。"
            f" At most {MAX_ROWS} rows and {MAX_BYTES // (1024 * 1024)} MB per file.",
        ),
    )
    return _saved(book)


@dataclass(frozen=True)
class AttendanceLine:
    name: str
    mobile: str
    birth_year: int | None
    source: str  # 扫码签到 / 表格导入
    registered: bool
    signed_at: str


def attendance_xlsx(about: Sequence[tuple[str, str]], lines: Sequence[AttendanceLine]) -> bytes:
    """The attendance of one activity. Its first sheet keeps the template's columns first, so
    it can be imported again (everyone in it is then reported as already signed in)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "签到名单"
    headers = (NAME, MOBILE, BIRTH_YEAR, "签到方式", "注册用户", "签到时间")
    _header(ws, headers, (16, 16, 10, 12, 10, 18))
    for row, line in enumerate(lines, start=2):
        _set_text(ws.cell(row=row, column=1), line.name)
        _set_text(ws.cell(row=row, column=2), line.mobile)
        if line.birth_year is not None:
            ws.cell(row=row, column=3, value=line.birth_year)
        _set_text(ws.cell(row=row, column=4), line.source)
        _set_text(ws.cell(row=row, column=5), "是" if line.registered else "否")
        _set_text(ws.cell(row=row, column=6), line.signed_at)
    info = book.create_sheet("活动信息")
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 60
    for row, (label, value) in enumerate((*about, ("人次", str(len(lines)))), start=1):
        _set_text(info.cell(row=row, column=1), label)
        info.cell(row=row, column=1).font = Font(bold=True)
        _set_text(info.cell(row=row, column=2), value)
        info.cell(row=row, column=2).alignment = Alignment(wrap_text=True)
    return _saved(book)


@dataclass(frozen=True)
class ActivityLine:
    day: dt.date
    title: str
    kind: str
    organisation: str
    street: str
    place: str
    organiser: str
    person_times: int


def activities_xlsx(lines: Sequence[ActivityLine]) -> bytes:
    """A list of activities, one per row, with the sum of their person-times below."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "线下活动"
    headers = ("日期", "活动名称", "类型", "举办单位", "所属街道", "地点", "主讲人或组织者", "人次")
    _header(ws, headers, (12, 36, 14, 22, 12, 24, 16, 8))
    for row, line in enumerate(lines, start=2):
        ws.cell(row=row, column=1, value=line.day).number_format = "yyyy-mm-dd"
        for column, text in enumerate(
            (line.title, line.kind, line.organisation, line.street, line.place, line.organiser),
            start=2,
        ):
            _set_text(ws.cell(row=row, column=column), text)
        ws.cell(row=row, column=8, value=line.person_times)
    last = len(lines) + 2
    _set_text(ws.cell(row=last, column=1), "合计")
    _set_text(ws.cell(row=last, column=2), f"共 {len(lines)} 场活动")
    for column in (1, 2):
        ws.cell(row=last, column=column).font = Font(bold=True)
    total = ws.cell(row=last, column=8, value=sum(line.person_times for line in lines))
    total.font = Font(bold=True)
    return _saved(book)
