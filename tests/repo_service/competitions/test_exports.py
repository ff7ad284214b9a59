"""Competition exports read back as a person (or a phone) would: cells, text, fonts, QR codes."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest
from PIL import Image, ImageDraw

from repo_service.competitions import exports
from repo_service.competitions.exports import (
    CertificateData,
    CollectionItem,
    FontNotFound,
    SheetRow,
    certificate_pdf,
    certificates_pdf,
    collection_pdf,
    result_sheet_xlsx,
)

pytestmark = pytest.mark.unit

HOSTILE = "<b>&amp;</b>"


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        package = {"zbarimg": "zbar-tools"}.get(name, "poppler-utils")
        pytest.fail(f"{name} is missing: install the Debian package {package} (./infra/install)")
    return path


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def render(data: bytes, tmp_path: Path, page: int, dpi: int = 150) -> Path:
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(data)
    prefix = tmp_path / f"page{page}-{dpi}"
    pages = ["-f", str(page), "-l", str(page), "-singlefile"]
    command = [tool("pdftoppm"), "-r", str(dpi), "-png", *pages, str(pdf), str(prefix)]
    subprocess.run(command, check=True, timeout=60)
    return prefix.with_suffix(".png")


def qr_codes(png: Path) -> list[str]:
    result = subprocess.run(
        [tool("zbarimg"), "--raw", "-q", str(png)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return result.stdout.split()


def font_rows(data: bytes, tmp_path: Path) -> list[list[str]]:
    pdf = tmp_path / "fonts.pdf"
    pdf.write_bytes(data)
    out = subprocess.run(
        [tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def assert_cjk_font_embedded(data: bytes, tmp_path: Path) -> None:
    rows = font_rows(data, tmp_path)
    assert rows, "no fonts at all"
    for row in rows:
        # name type(1-2 words) encoding emb sub uni object ID: emb is 5th from the end
        assert row[-5] == "yes", f"font not embedded: {row}"
    assert any("TrueType" in row for row in rows)


def jpeg(size: tuple[int, int] = (320, 180), colour: str = "steelblue") -> bytes:
    img = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(img)
    draw.rectangle((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill="orange")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Result sheet
# --------------------------------------------------------------------------------------------


def sheet_rows() -> dict[str, list[SheetRow]]:
    micro = [
        SheetRow(1, "WK-001", "家门口的智能手机课", "张三、李四", "东山街道社区教育中心", "微课",
                 [92.5, 90.0, 91.25], 91.25, "一等奖", "推荐市赛"),
        SheetRow(2, "WK-002", "=HYPERLINK(\"http://evil\")", "王五", "秣陵街道", "微课",
                 [88.0, 87.5, 89.0], 88.17, "二等奖"),
        SheetRow(3, "WK-003", "-5℃的冬夜", "赵六", "@汤山", "微课",
                 [80.0, 81.0, 79.5], 80.17, None),
    ]  # fmt: skip
    courseware = [
        SheetRow(
            1, "KJ-001", "+1 的力量", "钱七", "淳化街道", "课件", [95.0, 94.0], 94.5, "一等奖"
        ),
        SheetRow(2, "KJ-002", "#N/A", "孙八", "湖熟街道", "课件", [70.0, 71.0], 70.5, "优秀奖"),
    ]
    return {"微课": micro, "课件": courseware}


def load(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_one_sheet_per_category_with_exact_values() -> None:
    book = load(result_sheet_xlsx("社区教育微课大赛", 2026, sheet_rows()))
    assert book.sheetnames == ["汇总", "微课", "课件"]
    ws = book["微课"]
    assert ws["A1"].value == "2026年社区教育微课大赛 评审结果（微课）"
    headers = [c.value for c in ws[2]]
    assert headers == [
        "名次", "作品编号", "作品名称", "作者", "单位", "评委1", "评委2", "评委3",
        "最终得分", "奖项", "备注",
    ]  # fmt: skip
    assert [c.value for c in ws[3]] == [
        1, "WK-001", "家门口的智能手机课", "张三、李四", "东山街道社区教育中心",
        92.5, 90.0, 91.25, 91.25, "一等奖", "推荐市赛",
    ]  # fmt: skip
    assert [ws.cell(row=r, column=1).value for r in (3, 4, 5)] == [1, 2, 3]
    assert [ws.cell(row=r, column=9).value for r in (3, 4, 5)] == [91.25, 88.17, 80.17]
    assert [ws.cell(row=r, column=10).value for r in (3, 4, 5)] == ["一等奖", "二等奖", None]
    assert ws["I4"].number_format == "0.00"
    assert ws["F3"].number_format == "0.00"
    kj = book["课件"]
    assert [c.value for c in kj[2]][5:8] == ["评委1", "评委2", "最终得分"]
    assert [c.value for c in kj[4]][:3] == [2, "KJ-002", "#N/A"]
    assert [kj["F3"].value, kj["G3"].value, kj["H3"].value] == [95.0, 94.0, 94.5]


def test_sheet_layout_for_screen_and_print() -> None:
    book = load(result_sheet_xlsx("大赛", 2026, sheet_rows(), criteria_note="去掉最高分和最低分"))
    ws = book["微课"]
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$2"
    assert "A1:K1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width
    assert ws.column_dimensions["C"].width <= 44
    notes = [c.value for row in ws.iter_rows() for c in row if c.value and "说明" in str(c.value)]
    assert notes == ["说明：去掉最高分和最低分"]


def test_summary_counts_per_category_and_award() -> None:
    ws = load(result_sheet_xlsx("大赛", 2026, sheet_rows()))["汇总"]
    table = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=5)]
    assert table == [
        ["类别", "一等奖", "二等奖", "优秀奖", "未获奖", "合计"],
        ["微课", 1, 1, 0, 1, 3],
        ["课件", 1, 0, 1, 0, 2],
        ["合计", 2, 1, 1, 1, 5],
    ]


def test_text_that_looks_like_a_formula_stays_text() -> None:
    data = result_sheet_xlsx("=大赛", 2026, sheet_rows())
    book = load(data)
    ws = book["微课"]
    for ref, value in [("C4", '=HYPERLINK("http://evil")'), ("C5", "-5℃的冬夜"), ("E5", "@汤山")]:
        assert ws[ref].data_type == "s"
        assert ws[ref].value == value
        assert ws[ref].quotePrefix
    assert book["课件"]["C3"].value == "+1 的力量"
    assert book["课件"]["C4"].data_type == "s"  # not the error value #N/A
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert "<f>" not in z.read(name).decode(), f"a formula in {name}"
    values_only = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    assert values_only["微课"]["C4"].value == '=HYPERLINK("http://evil")'


def test_sheet_names_are_valid_and_unique() -> None:
    row = SheetRow(1, "X-1", "t", "a", "o", "c", [1.0], 1.0, "一等奖")
    cats = [
        "微课/课件: [A]*?",
        "微课_课件_ _A___",
        "汇总",
        "长" * 40,
        "长" * 40 + "二",
        "'引号'",
        "",
    ]
    book = load(result_sheet_xlsx("大赛", 2026, {c: [row] for c in cats}))
    names = book.sheetnames
    assert names[0] == "汇总"
    assert len(names) == len(cats) + 1
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'")
    # The title keeps the category as the teacher typed it.
    assert book[names[1]]["A1"].value == "2026年大赛 评审结果（微课/课件: [A]*?）"


def test_empty_category_and_no_categories() -> None:
    book = load(result_sheet_xlsx("大赛", 2026, {"微课": []}))
    assert [c.value for c in book["微课"][2]] == ["名次", "作品编号", "作品名称", "作者", "单位",
                                                "最终得分", "奖项", "备注"]  # fmt: skip
    assert load(result_sheet_xlsx("大赛", 2026, {})).sheetnames == ["汇总"]


# --------------------------------------------------------------------------------------------
# Certificates
# --------------------------------------------------------------------------------------------


def certificate(**changes: Any) -> CertificateData:
    fields: dict[str, Any] = {
        "code": "ZX-2026-WK-0001",
        "competition_name": "江宁区社区教育微课大赛",
        "year": 2026,
        "award": "一等奖",
        "title": "家门口的课堂：老年人智能手机使用指南",
        "authors": "张三、李四",
        "organisation": "东山街道社区教育中心",
        "issued_on": datetime.date(2026, 12, 1),
        "verify_url": "https://zhixue.example.org/c/verify/ZX-2026-WK-0001?k=3f9a",
        "issuer": "江宁区社区教育指导中心",
    }
    fields.update(changes)
    return CertificateData(**fields)


def test_certificate_text_font_and_qr(tmp_path: Path) -> None:
    cert = certificate()
    data = certificate_pdf(cert)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert width > height  # landscape
    text = squeeze(reader.pages[0].extract_text())
    for part in [
        "荣誉证书",
        "张三、李四（东山街道社区教育中心）：",
        "你的作品《家门口的课堂：老年人智能手机使用指南》在2026年江宁区社区教育微课大赛中荣获",
        "一等奖。",
        "特发此证，以资鼓励。",
        "江宁区社区教育指导中心",
        "2026年12月1日",
        "证书编号：ZX-2026-WK-0001",
        "扫码验证",
    ]:
        assert part in text, part
    assert_cjk_font_embedded(data, tmp_path)
    assert qr_codes(render(data, tmp_path, 1)) == [cert.verify_url]


def test_long_title_and_many_authors_wrap_inside_the_page(tmp_path: Path) -> None:
    title = "基于社区学习共同体的老年人数字素养提升路径研究与实践" * 4
    authors = "、".join(f"作者{i:02d}" for i in range(30))
    data = certificate_pdf(certificate(title=title, authors=authors, issuer="江宁区教育局" * 6))
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    text = squeeze(page.extract_text())
    assert f"《{title}》" in text
    assert all(f"作者{i:02d}" in text for i in range(30))
    width, height = (float(v) for v in page.mediabox[2:])
    starts: list[tuple[float, float]] = []

    def visit(txt: str, cm: Any, tm: Any, *_: Any) -> None:
        if txt.strip():
            starts.append((cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]))

    page.extract_text(visitor_text=visit)
    assert starts
    for x, y in starts:
        assert 30 < x < width - 30, (x, y)
        assert 30 < y < height - 30, (x, y)
    # Nothing runs past the frame: the page's outer margin is blank all round.
    img = Image.open(render(data, tmp_path, 1, dpi=72)).convert("L")
    w, h = img.size
    for box in [(0, 0, 16, h), (w - 16, 0, w, h), (0, 0, w, 16), (0, h - 16, w, h)]:
        assert img.crop(box).getextrema()[0] >= 250, box


def test_absurdly_long_fields_are_cut_short_on_one_page(tmp_path: Path) -> None:
    data = certificate_pdf(
        certificate(
            title="长" * 5000,
            authors="、".join(["欧阳某某"] * 800),
            organisation="单位" * 500,
            competition_name="大赛" * 300,
            award="特别奖" * 50,
            issuer="颁发单位" * 100,
            code="C" * 300,
        )
    )
    pages = pdf_text(data)
    assert len(pages) == 1
    assert "…" in pages[0]
    img = Image.open(render(data, tmp_path, 1, dpi=72)).convert("L")
    w, h = img.size
    for box in [(0, 0, 16, h), (w - 16, 0, w, h), (0, 0, w, 16), (0, h - 16, w, h)]:
        assert img.crop(box).getextrema()[0] >= 250, box


def test_hostile_text_is_shown_literally_on_a_certificate() -> None:
    data = certificate_pdf(certificate(title=f"甲{HOSTILE}乙", authors="A & B <i>C</i>"))
    text = pdf_text(data)[0]
    assert f"《甲{HOSTILE}乙》" in squeeze(text)
    assert "A & B <i>C</i>" in text


def test_an_address_too_long_for_a_qr_code_is_refused() -> None:
    with pytest.raises(ValueError, match="too long for a QR code"):
        certificate_pdf(certificate(verify_url="https://x.example/" + "a" * 3000))


def test_batch_of_certificates_one_page_each() -> None:
    certs = [
        certificate(code=f"ZX-{i:04d}", verify_url=f"https://x.example/v/{i}") for i in range(7)
    ]
    data = certificates_pdf(certs)
    pages = pdf_text(data)
    assert len(pages) == 7
    assert [bool(re.search(f"ZX-{i:04d}", p)) for i, p in enumerate(pages)] == [True] * 7
    with pytest.raises(ValueError, match="at least one"):
        certificates_pdf([])


def test_missing_or_unusable_font_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(exports.FONT_ENV, str(tmp_path / "nowhere.ttf"))
    with pytest.raises(FontNotFound, match="ZX_PDF_FONT"):
        certificate_pdf(certificate())
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"this is not a font" * 100)
    monkeypatch.setenv(exports.FONT_ENV, str(bogus))
    with pytest.raises(FontNotFound, match="cannot be embedded"):
        certificate_pdf(certificate())


# --------------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------------


def collection_items() -> list[CollectionItem]:
    poster = jpeg()
    items = []
    for i in range(12):
        category = "微课" if i % 2 == 0 else "课件"
        award = ["一等奖", "二等奖", "三等奖"][i % 3]
        items.append(
            CollectionItem(
                code=f"ZX-{i:03d}",
                title=f"社区作品第{i}号《邻里守望》",
                authors="张三、李四",
                organisation="东山街道社区教育中心",
                category=category,
                award=award,
                summary="本作品以社区居民的真实生活为素材，讲述邻里互助的故事。" * 3,
                poster_jpeg=poster,
                url=f"https://zhixue.example.org/w/{i}",
            )
        )
    items[1] = CollectionItem(**{**items[1].__dict__, "poster_jpeg": None})
    items[2] = CollectionItem(**{**items[2].__dict__, "poster_jpeg": b"\xff\xd8 not a jpeg"})
    items[3] = CollectionItem(**{**items[3].__dict__, "title": f"危险{HOSTILE}标题"})
    items[4] = CollectionItem(**{**items[4].__dict__, "summary": "很长的简介。" * 200})
    return items


def test_collection_contents_pages_and_qr_codes(tmp_path: Path) -> None:
    items = collection_items()
    data = collection_pdf("江宁区社区教育微课大赛", 2026, items)
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [page.extract_text() for page in reader.pages]
    assert 4 <= len(pages) <= 10
    assert "优秀成果汇编" in pages[0]
    assert "2026年江宁区社区教育微课大赛" in squeeze(pages[0])
    assert "目录" in squeeze(pages[1])
    body = squeeze("".join(pages[2:]))
    for item in items:
        assert squeeze(item.title) in body, item.title
    assert f"危险{HOSTILE}标题" in body
    assert "很长的简介。" * 5 in body  # a long summary is cut short, and says so
    assert "很长的简介。" * 100 not in body
    assert "…" in body
    assert "暂无海报" in body
    assert "第 3 页" in pages[2]
    # The contents list every work under its category and award, with the page it is on.
    contents = " ".join(" ".join(pages[1:3]).split())
    for item in items:
        page = next(n for n, text in enumerate(pages[2:], start=3) if item.code in text)
        assert f"{item.code} {item.title} {page}" in contents, item.code
    assert contents.index("微课") < contents.index("课件")
    assert [o.title for o in reader.outline if not isinstance(o, list)] == ["微课", "课件"]
    assert_cjk_font_embedded(data, tmp_path)
    # A phone pointed at a work's QR code lands on that work's page.
    target = items[5]
    page_no = next(n for n, text in enumerate(pages, start=1) if target.code in text and n > 2)
    codes = qr_codes(render(data, tmp_path, page_no))
    assert target.url in codes
    assert set(codes) <= {item.url for item in items}


def test_posters_are_scaled_decoded_once_and_never_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = jpeg((2400, 1600), "darkgreen")
    rgba = Image.new("RGBA", (300, 400), (255, 0, 0, 128))
    png = io.BytesIO()
    rgba.save(png, "PNG")
    truncated = big[: len(big) // 3]
    posters = [big, png.getvalue(), truncated, b"", b"GIF89a garbage", big, big]
    items = [
        CollectionItem(f"P{i}", f"海报{i}", "a", "o", "微课", "一等奖", "s", p, f"https://x/{i}")
        for i, p in enumerate(posters)
    ]
    calls: list[int] = []
    load_poster = exports._load_poster

    def counting(data: bytes) -> Any:
        calls.append(len(data))
        return load_poster(data)

    monkeypatch.setattr(exports, "_load_poster", counting)
    data = collection_pdf("大赛", 2026, items)
    assert sorted(calls) == sorted({len(p) for p in posters if p})  # each distinct one once
    reader = pypdf.PdfReader(io.BytesIO(data))
    sizes = [
        (int(x["/Width"]), int(x["/Height"]))
        for page in reader.pages
        for x in (page["/Resources"].get("/XObject") or {}).values()
        if x.get_object()["/Subtype"] == "/Image"
        for x in [x.get_object()]
    ]
    assert (exports.POSTER_PX, 427) in sizes  # the big poster, scaled down
    assert (300, 400) in sizes  # the transparent PNG, flattened
    assert max(max(s) for s in sizes) <= exports.POSTER_MAX_PX
    text = squeeze("".join(page.extract_text() for page in reader.pages))
    assert text.count("暂无海报") == 3  # truncated, empty and garbage bytes
    # What is embedded is a real JPEG of the poster, stored once however often it is shown.
    embedded = {
        (img.image.size, img.image.getpixel((5, 5))) for page in reader.pages for img in page.images
    }
    assert len(embedded) == 2
    (green,) = [pixel for size, pixel in embedded if size == (exports.POSTER_PX, 427)]
    assert abs(green[0] - 0) + abs(green[1] - 100) + abs(green[2] - 0) < 30  # darkgreen
    assert len(reader.pages[-1].images) == 1  # the last two works share the page and poster


def test_empty_collection() -> None:
    pages = pdf_text(collection_pdf("大赛", 2026, []))
    assert len(pages) == 2
    assert "暂无作品" in pages[1]


@pytest.mark.slow
def test_three_hundred_works_in_a_few_seconds() -> None:
    poster = jpeg()
    items = [
        CollectionItem(
            code=f"W{i:03d}",
            title=f"作品{i}：社区里的终身学习故事",
            authors="张三、李四、王五",
            organisation="江宁区某街道社区教育中心",
            category=["微课", "课件", "读本"][i % 3],
            award=["一等奖", "二等奖", "三等奖", "优秀奖"][i % 4],
            summary="本作品记录社区居民终身学习的点滴。" * 12,
            poster_jpeg=None if i % 10 == 0 else poster,
            url=f"https://zhixue.example.org/w/{i}",
        )
        for i in range(300)
    ]
    started = time.monotonic()
    data = collection_pdf("江宁区社区教育微课大赛", 2026, items)
    elapsed = time.monotonic() - started
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert 300 / 4 < len(reader.pages) < 300 / 2 + 20
    assert elapsed < 30, f"{elapsed:.1f} s for 300 works"
