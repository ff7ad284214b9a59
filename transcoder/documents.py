"""Text and page images from PDF, DOCX and the Office files LibreOffice turns into PDF (PPTX,
PPT, DOC), and judge copies without author metadata.

A DOCX or PPTX is a ZIP archive: its declared sizes and entry count are checked before anything
is inflated, and its XML is parsed with entity expansion and DTDs refused (for a PPTX, every XML
part, before LibreOffice reads any of them).
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from transcoder import office
from transcoder.errors import BadMedia

MAX_PAGES = 2000
DOCX_MAX_ENTRIES = 2000
DOCX_MAX_UNPACKED = 200 * 1024 * 1024
DOCX_MAX_RATIO = 200  # inflated / compressed, per entry
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADING = re.compile(r"^(heading|标题)\s*\d|^\d$", re.IGNORECASE)


@dataclass
class Page:
    number: int
    text: str
    heading: str | None = None
    image: Path | None = None


@dataclass
class DocumentResult:
    pages: list[Page]
    scanned: bool
    judge_copy: bytes


def process_pdf(src: Path, workdir: Path) -> DocumentResult:
    try:
        reader = PdfReader(str(src), strict=False)
        count = len(reader.pages)
    except (PdfReadError, ValueError, OSError) as exc:
        raise BadMedia(
            "无法读取该 PDF 文件（文件可能已损坏或加密）",
            "The PDF cannot be read (damaged or encrypted)",
        ) from exc
    if count > MAX_PAGES:
        raise BadMedia(
            f"PDF 页数 {count} 超过上限 {MAX_PAGES}", f"{count} pages exceed the cap of {MAX_PAGES}"
        )
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        except (PdfReadError, ValueError, KeyError, TypeError):
            text = ""
        pages.append(Page(number, text.strip()))
    scanned = count > 0 and not any(p.text for p in pages)
    images = workdir / "pages"
    images.mkdir(exist_ok=True)
    result = subprocess.run(
        [
            "pdftoppm",
            "-jpeg",
            "-scale-to",
            "480",
            "-f",
            "1",
            "-l",
            str(count),
            str(src),
            str(images / "p"),
        ],
        capture_output=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise BadMedia(
            "PDF 页面无法渲染",
            "The PDF pages cannot be rendered",
        )
    for path in images.glob("p-*.jpg"):
        number = int(path.stem.rsplit("-", 1)[1])
        if 1 <= number <= count:
            pages[number - 1].image = path
    return DocumentResult(pages=pages, scanned=scanned, judge_copy=_pdf_without_metadata(reader))


def _pdf_without_metadata(reader: PdfReader) -> bytes:
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.add_metadata({"/Producer": "Zhixue Jiangning"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _check_archive(archive: zipfile.ZipFile, label: str = "DOCX") -> None:
    entries = archive.infolist()
    if len(entries) > DOCX_MAX_ENTRIES:
        raise BadMedia(
            f"{label} 文件包含的条目过多", f"The {label} has more than {DOCX_MAX_ENTRIES} entries"
        )
    if sum(e.file_size for e in entries) > DOCX_MAX_UNPACKED:
        raise BadMedia(
            f"{label} 文件解压后过大（疑似压缩炸弹）",
            f"The {label} is too large once unpacked (a zip bomb?)",
        )
    for e in entries:
        if (
            e.compress_size
            and e.file_size / e.compress_size > DOCX_MAX_RATIO
            and e.file_size > 1024 * 1024
        ):
            raise BadMedia(
                f"{label} 文件压缩比异常（疑似压缩炸弹）",
                f"The {label} has an abnormal compression ratio (a zip bomb?)",
            )


def process_docx(src: Path) -> DocumentResult:
    try:
        with zipfile.ZipFile(src) as archive:
            _check_archive(archive)
            xml = archive.read("word/document.xml")
            judge_copy = _docx_without_metadata(archive)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise BadMedia("无法读取该 DOCX 文件", "The DOCX cannot be read") from exc
    try:
        root = ElementTree.fromstring(xml, forbid_dtd=True)
    except (DefusedXmlException, ElementTree.ParseError) as exc:
        raise BadMedia(
            "DOCX 内容不合规（含有实体或 DTD）", "The DOCX XML is refused (entities or a DTD)"
        ) from exc
    sections: list[Page] = [Page(1, "")]
    for paragraph in root.iter(f"{W}p"):
        text = "".join(t.text or "" for t in paragraph.iter(f"{W}t")).strip()
        if not text:
            continue
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        is_heading = style is not None and HEADING.search(style.get(f"{W}val", "") or "")
        if is_heading and sections[-1].text:
            sections.append(Page(len(sections) + 1, "", heading=text))
        elif is_heading:
            sections[-1].heading = text
        sections[-1].text = f"{sections[-1].text}\n{text}".strip()
    return DocumentResult(pages=sections, scanned=False, judge_copy=judge_copy)


BLANK_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/"></cp:coreProperties>'
)
BLANK_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"</Properties>"
)


BLANK_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
    b"</Properties>"
)


def _docx_without_metadata(archive: zipfile.ZipFile) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for entry in archive.infolist():
            if entry.filename == "docProps/core.xml":
                copy.writestr(entry.filename, BLANK_CORE)
            elif entry.filename == "docProps/app.xml":
                copy.writestr(entry.filename, BLANK_APP)
            elif entry.filename == "docProps/custom.xml":
                copy.writestr(entry.filename, BLANK_CUSTOM)
            else:
                copy.writestr(entry, archive.read(entry))
    return out.getvalue()


def process_office(
    src: Path,
    content_type: str,
    workdir: Path,
    on_converted: Callable[[], None] | None = None,
) -> DocumentResult:
    """A PPTX, PPT or DOC read as the PDF LibreOffice makes of it: a page per slide or page."""
    if content_type == office.PPTX:
        _check_pptx(src)
        kind = "pptx"
    else:
        kind = office.ole_format(src)
    pdf = office.convert_to_pdf(src, kind, workdir)
    if on_converted is not None:
        on_converted()
    return process_pdf(pdf, workdir)


def _check_pptx(src: Path) -> None:
    try:
        with zipfile.ZipFile(src) as archive:
            _check_archive(archive, "PPTX")
            if "ppt/presentation.xml" not in archive.namelist():
                raise BadMedia("无法读取该 PPTX 文件", "The PPTX cannot be read")
            for entry in archive.infolist():
                if not entry.is_dir():
                    _check_part(archive, entry)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        # Damaged deflate data, a cut-off file, an unknown compression method, an encrypted entry
        raise BadMedia("无法读取该 PPTX 文件", "The PPTX cannot be read") from exc


def _check_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Refuse an XML part with a DTD or entities, whatever its name: [Content_Types].xml can
    declare any part XML. Pictures and media are told apart by their first bytes, unread."""
    with archive.open(entry) as part:
        head = part.read(64)
        if not _looks_like_xml(head):
            return
        data = head + part.read()
    # An SVG picture may carry a bare DOCTYPE (drawing programs write one); entities stay refused.
    forbid_dtd = not entry.filename.lower().endswith(".svg")
    try:
        ElementTree.fromstring(data, forbid_dtd=forbid_dtd)
    except DefusedXmlException as exc:
        raise BadMedia(
            "PPTX 内容不合规（含有实体或 DTD）", "The PPTX XML is refused (entities or a DTD)"
        ) from exc
    except ElementTree.ParseError as exc:
        raise BadMedia(
            f"PPTX 文件已损坏（{entry.filename} 不是完整的 XML）",
            f"The PPTX is damaged ({entry.filename} is not well-formed XML)",
        ) from exc


def _looks_like_xml(head: bytes) -> bool:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(bom)
    # UTF-16 without a mark shows NULs between the characters.
    return head.lstrip(b" \t\r\n\x00").startswith(b"<")
