"""PPTX, PPT and DOC through LibreOffice: pages, page text and search hits as a PDF gets them;
hostile archives refused before LibreOffice runs; a conversion is fenced in time and network."""

from __future__ import annotations

import http.server
import io
import struct
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select

from repo_service.accounts.models import Role
from repo_service.processing.models import DocumentPage, JobStatus, ProcessingJob
from repo_service.resources.models import ProcessingStatus, ResourceKind
from tests.factories import Client, make_user
from tests.transcoder.conftest import upload_and_process
from transcoder import documents, office
from transcoder.errors import BadMedia, TransientFailure

SLIDES = [["茶叶种植", "选苗要点"], ["清明采摘", "明前茶品质最好"], ["炒制工艺", "杀青揉捻烘干"]]
PAGES = [["垃圾分类知识"], ["厨余垃圾投放"]]

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def _relationships(*items: tuple[str, str, str]) -> str:
    body = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"'
        + (' TargetMode="External"' if "://" in target else "")
        + "/>"
        for rid, kind, target in items
    )
    return f'{XML_HEAD}<Relationships xmlns="{PACKAGE}/relationships">{body}</Relationships>'


def _text_box(number: int, text: str) -> str:
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{number + 2}" name="text {number}"/>'
        '<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm>'
        f'<a:off x="457200" y="{457200 + number * 1371600}"/><a:ext cx="8229600" cy="1143000"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>'
        '<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="zh-CN" sz="3200"/>'
        f"<a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>"
    )


def _picture(rid: str) -> str:
    return (
        '<p:pic><p:nvPicPr><p:cNvPr id="20" name="picture"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>'
        f'<p:blipFill><a:blip r:link="{rid}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
        '<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1828800" cy="1828800"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
    )


def make_pptx(
    slides: list[list[str]],
    creator: str = "王老师",
    links: tuple[str, ...] = (),
    extra: dict[str, bytes | str] | None = None,
    method: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A presentation written part by part, as PowerPoint lays it out (without a master, which
    LibreOffice does not need); ``links`` are pictures on the first slide, linked not embedded."""
    slide_type = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
    overrides = "".join(
        f'<Override PartName="/ppt/slides/slide{n}.xml" ContentType="{slide_type}"/>'
        for n in range(1, len(slides) + 1)
    )
    types = (
        f'{XML_HEAD}<Types xmlns="{PACKAGE}/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/ppt/presentation.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>'
        f"{overrides}</Types>"
    )
    ids = "".join(f'<p:sldId id="{255 + n}" r:id="rId{n}"/>' for n in range(1, len(slides) + 1))
    presentation = (
        f'{XML_HEAD}<p:presentation xmlns:p="{P}" xmlns:a="{A}" xmlns:r="{R}">'
        f'<p:sldIdLst>{ids}</p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/>'
        '<p:notesSz cx="6858000" cy="9144000"/></p:presentation>'
    )
    core = (
        f'{XML_HEAD}<cp:coreProperties xmlns:cp="{PACKAGE}/metadata/core-properties" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{creator}</dc:creator>'
        f"<dc:title>{creator}的课件</dc:title></cp:coreProperties>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr(
            "_rels/.rels",
            _relationships(
                ("rId1", f"{R}/officeDocument", "ppt/presentation.xml"),
                ("rId2", f"{PACKAGE}/relationships/metadata/core-properties", "docProps/core.xml"),
            ),
        )
        z.writestr("docProps/core.xml", core)
        z.writestr("ppt/presentation.xml", presentation)
        z.writestr(
            "ppt/_rels/presentation.xml.rels",
            _relationships(
                *(
                    (f"rId{n}", f"{R}/slide", f"slides/slide{n}.xml")
                    for n in range(1, len(slides) + 1)
                )
            ),
        )
        for n, lines in enumerate(slides, start=1):
            shapes = "".join(_text_box(i, text) for i, text in enumerate(lines))
            if n == 1:
                shapes += "".join(_picture(f"rIdLink{i}") for i in range(len(links)))
            z.writestr(
                f"ppt/slides/slide{n}.xml",
                f'{XML_HEAD}<p:sld xmlns:p="{P}" xmlns:a="{A}" xmlns:r="{R}"><p:cSld><p:spTree>'
                '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
                f"<p:grpSpPr/>{shapes}</p:spTree></p:cSld></p:sld>",
            )
        if links:
            z.writestr(
                "ppt/slides/_rels/slide1.xml.rels",
                _relationships(*((f"rIdLink{i}", f"{R}/image", u) for i, u in enumerate(links))),
            )
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def make_fodt(pages: list[list[str]], creator: str = "王老师") -> str:
    """A flat OpenDocument text, one page per item (LibreOffice saves it as a DOC for us)."""
    office_ns = "urn:oasis:names:tc:opendocument:xmlns"
    body = "".join(
        ("<text:p text:style-name='Break'>" if n and i == 0 else "<text:p>") + f"{line}</text:p>"
        for n, lines in enumerate(pages)
        for i, line in enumerate(lines)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document xmlns:office="{office_ns}:office:1.0" '
        f'xmlns:text="{office_ns}:text:1.0" xmlns:style="{office_ns}:style:1.0" '
        f'xmlns:fo="{office_ns}:xsl-fo-compatible:1.0" xmlns:meta="{office_ns}:meta:1.0" '
        'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
        f"<office:meta><meta:initial-creator>{creator}</meta:initial-creator></office:meta>"
        '<office:automatic-styles><style:style style:name="Break" style:family="paragraph">'
        '<style:paragraph-properties fo:break-before="page"/></style:style>'
        "</office:automatic-styles>"
        f"<office:body><office:text>{body}</office:text></office:body></office:document>"
    )


def soffice_save_as(src: Path, fmt: str, profile: Path) -> Path:
    """Another format of ``src``, saved by LibreOffice (how the legacy test files are made)."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(src.parent),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    out = src.with_suffix(f".{fmt}")
    assert out.is_file(), f"LibreOffice made no {fmt} of {src.name}"
    return out


def make_ole(tree: dict[str, Any]) -> bytes:
    """A compound file (version 3, 512-byte sectors) holding empty streams (None) and
    storages (dicts); siblings are chained to the right, which every reader must follow."""
    entries: list[list[object]] = [["Root Entry", 5, 0xFFFFFFFF]]  # name, type, child

    def add(children: dict[str, Any]) -> int:
        first = 0xFFFFFFFF
        previous = None
        for name, sub in children.items():
            index = len(entries)
            entries.append([name, 1 if isinstance(sub, dict) else 2, 0xFFFFFFFF, 0xFFFFFFFF])
            if previous is None:
                first = index
            else:
                entries[previous][3] = index
            if isinstance(sub, dict):
                entries[index][2] = add(sub)
            previous = index
        return first

    entries[0][2] = add(tree)
    entries[0].append(0xFFFFFFFF)
    directory = b""
    for name, kind, child, right in entries:
        encoded = str(name).encode("utf-16-le") + b"\0\0"
        directory += (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(encoded), kind, 1, 0xFFFFFFFF, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", 0xFFFFFFFE, 0)
        )
    directory = directory.ljust(-(-len(directory) // 512) * 512, b"\0")
    dir_sectors = len(directory) // 512
    fat = [0xFFFFFFFD, *range(2, 1 + dir_sectors), 0xFFFFFFFE]
    fat_sector = struct.pack("<128I", *fat, *([0xFFFFFFFF] * (128 - len(fat))))
    header = (
        office.OLE_SIGNATURE
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack("<109I", 0, *([0xFFFFFFFF] * 108))
    )
    assert len(header) == 512
    return header + fat_sector + directory


@pytest.fixture(scope="module")
def office_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("office")
    profile = directory / "profile"
    pptx = directory / "lesson.pptx"
    pptx.write_bytes(make_pptx(SLIDES))
    copy = directory / "legacy.pptx"
    copy.write_bytes(pptx.read_bytes())
    fodt = directory / "notes.fodt"
    fodt.write_text(make_fodt(PAGES))
    return {
        "pptx": pptx,
        "ppt": soffice_save_as(copy, "ppt", profile),
        "doc": soffice_save_as(fodt, "doc", profile),
    }


EXPECTED = {"pptx": (office.PPTX, SLIDES), "ppt": (office.OLE, SLIDES), "doc": (office.OLE, PAGES)}


@pytest.mark.integration
@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_each_slide_or_page_becomes_an_image_and_its_text(
    office_files: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    content_type, expected = EXPECTED[kind]
    converted: list[bool] = []
    result = documents.process_office(
        office_files[kind], content_type, tmp_path, on_converted=lambda: converted.append(True)
    )
    assert converted == [True]
    assert [p.number for p in result.pages] == list(range(1, len(expected) + 1))
    for page, lines in zip(result.pages, expected, strict=True):
        for line in lines:
            assert line in page.text
        assert page.image is not None
        assert page.image.read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG
    assert result.scanned is False
    # The judge copy is the PDF, without the author LibreOffice carried over from the file.
    judge = PdfReader(io.BytesIO(result.judge_copy))
    assert len(judge.pages) == len(expected)
    assert "王老师" not in str(dict(judge.metadata or {}))


@pytest.mark.integration
def test_legacy_files_are_told_apart_by_their_streams(office_files: dict[str, Path]) -> None:
    assert office.ole_format(office_files["ppt"]) == "ppt"
    assert office.ole_format(office_files["doc"]) == "doc"
    assert "PowerPoint Document" in office.ole_root_names(office_files["ppt"])


@pytest.mark.unit
@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        ({"WordDocument": None, "1Table": None}, "doc"),
        ({"Pictures": None, "PowerPoint Document": None, "Current User": None}, "ppt"),
        # A Word document embedded in a deck sits one storage down: still a deck.
        ({"PowerPoint Document": None, "MBD0001": {"WordDocument": None}}, "ppt"),
    ],
)
def test_ole_root_streams_decide_the_format(
    tmp_path: Path,
    tree: dict[str, Any],
    expected: str,
) -> None:
    path = tmp_path / "legacy"
    path.write_bytes(make_ole(tree))
    assert office.ole_format(path) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (make_ole({"Workbook": None}), "不是 Word"),
        (make_ole({"MBD0001": {"WordDocument": None}}), "不是 Word"),
        (make_ole({"EncryptionInfo": None, "EncryptedPackage": None}), "密码"),
        (office.OLE_SIGNATURE + bytes(600), "已损坏"),
        (make_ole({"WordDocument": None})[:520], "已损坏"),
    ],
)
def test_other_ole_files_are_refused_clearly(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = tmp_path / "legacy"
    path.write_bytes(data)
    with pytest.raises(BadMedia) as refused:
        documents.process_office(path, office.OLE, tmp_path)
    assert fragment in refused.value.message
    assert not (tmp_path / "office").exists()  # LibreOffice never saw it


@pytest.mark.unit
def test_an_oversized_legacy_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "legacy"
    path.write_bytes(make_ole({"WordDocument": None}))
    monkeypatch.setattr(office, "OLE_MAX_BYTES", 1024)
    with pytest.raises(BadMedia, match="larger than"):
        office.ole_format(path)


def _size_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/presentation.xml", "<p:presentation/>")
        with z.open("ppt/media/image1.png", "w", force_zip64=True) as member:
            for _ in range(201):  # 201 MiB inflated, a few hundred KiB stored
                member.write(bytes(1024 * 1024))
    return out.getvalue()


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    f'<p:sld xmlns:p="{P}" xmlns:a="{A}"><a:t>&lol2;</a:t></p:sld>'
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE p:sld [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    f'<p:sld xmlns:p="{P}" xmlns:a="{A}"><a:t>&secret;</a:t></p:sld>'
)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (_size_bomb, "压缩炸弹"),
        (  # 2 MiB of zeros in a few KiB: the compression ratio alone gives it away
            lambda: make_pptx(SLIDES, extra={"ppt/media/image1.png": bytes(2 * 1024 * 1024)}),
            "压缩炸弹",
        ),
        (lambda: make_pptx(SLIDES, extra={"ppt/slides/slide9.xml": LAUGHS}), "实体"),
        (lambda: make_pptx(SLIDES, extra={"ppt/slides/slide9.xml": EXTERNAL}), "实体"),
        # Named as a picture but XML inside (its content type could declare it a slide).
        (lambda: make_pptx(SLIDES, extra={"ppt/media/image9.bin": LAUGHS}), "实体"),
        (  # in UTF-16, with its byte-order mark
            lambda: make_pptx(SLIDES, extra={"ppt/slides/slide9.xml": LAUGHS.encode("utf-16")}),
            "实体",
        ),
        (lambda: make_pptx(SLIDES, extra={"ppt/slides/slide9.xml": "<p:sld><a:t>"}), "已损坏"),
        (lambda: make_pptx(SLIDES)[:-200], "无法读取"),
    ],
)
def test_hostile_pptx_is_refused_before_libreoffice(
    tmp_path: Path, build: object, fragment: str
) -> None:
    path = tmp_path / "original"
    path.write_bytes(build())  # type: ignore[operator]
    with pytest.raises(BadMedia) as refused:
        documents.process_office(path, office.PPTX, tmp_path)
    assert fragment in refused.value.message
    assert refused.value.message_en
    assert not (tmp_path / "office").exists()  # LibreOffice never saw it


@pytest.mark.unit
def test_an_svg_picture_may_carry_a_bare_doctype(tmp_path: Path) -> None:
    svg = (
        '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    )
    path = tmp_path / "original"
    path.write_bytes(make_pptx(SLIDES, extra={"ppt/media/image1.svg": svg}))
    documents._check_pptx(path)
    path.write_bytes(make_pptx(SLIDES, extra={"ppt/media/image1.svg": LAUGHS}))
    with pytest.raises(BadMedia, match="entities"):
        documents._check_pptx(path)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.unit
def test_a_conversion_past_its_time_limit_is_killed_with_its_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = tmp_path / "pids"
    hanging = tmp_path / "soffice"
    hanging.write_text(f"#!/bin/sh\nsleep 300 &\necho $$ $! > {pids}\nsleep 300\n")
    hanging.chmod(0o755)
    monkeypatch.setattr(office, "SOFFICE", str(hanging))
    monkeypatch.setattr(office, "CONVERT_SECONDS", 2)
    src = tmp_path / "original"
    src.write_bytes(make_pptx(SLIDES))
    started = time.monotonic()
    with pytest.raises(BadMedia) as refused:
        documents.process_office(src, office.PPTX, tmp_path)
    assert time.monotonic() - started < 15
    assert "超时" in refused.value.message
    assert "2 s" in refused.value.message_en
    deadline = time.monotonic() + 5
    started_pids = [int(p) for p in pids.read_text().split()]
    while any(_alive(p) for p in started_pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in started_pids), "the script and its child are gone"


@pytest.mark.unit
def test_a_missing_libreoffice_is_a_transient_failure_not_bad_media(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "SOFFICE", str(tmp_path / "no-such-soffice"))
    src = tmp_path / "original"
    src.write_bytes(make_pptx(SLIDES))
    with pytest.raises(TransientFailure, match="not installed"):
        documents.process_office(src, office.PPTX, tmp_path)


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on loopback that records every request made to it."""
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_error(404)

        do_OPTIONS = do_HEAD = do_PROPFIND = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


@pytest.mark.integration
def test_linked_pictures_are_never_fetched(tmp_path: Path, listener: tuple[str, list[str]]) -> None:
    url, requests = listener
    local = tmp_path / "local.png"
    subprocess.run(
        [
            *("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=red:size=64x64"),
            *("-frames:v", "1", str(local)),
        ],
        check=True,
    )
    src = tmp_path / "original"
    src.write_bytes(make_pptx(SLIDES, links=[f"{url}/intranet.png", local.as_uri()]))
    result = documents.process_office(src, office.PPTX, tmp_path)
    assert requests == []
    assert "茶叶种植" in result.pages[0].text
    pdf = PdfReader(io.BytesIO(result.judge_copy))
    assert not list(pdf.pages[0].images)  # neither picture was read


@pytest.mark.unit
def test_conversions_get_no_network_where_the_system_allows_it(
    listener: tuple[str, list[str]],
) -> None:
    prefix = office._without_network()
    assert prefix, "this machine can make network namespaces: conversions must use one"
    port = listener[0].rsplit(":", 1)[1]
    probe = (
        "import socket\n"
        f"try: socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
        "except OSError: print('refused')\n"
        "else: print('connected')\n"
    )
    done = subprocess.run(
        [*prefix, "python3", "-c", probe], capture_output=True, text=True, check=True, timeout=30
    )
    assert done.stdout.strip() == "refused"
    assert listener[1] == []


@pytest.fixture(scope="module")
def teacher(app: Flask) -> Client:
    return Client(app, make_user(app, Role.TEACHER))


def _wait(check: object, timeout: float = 60) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()  # type: ignore[operator]
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("not in time")


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.usefixtures("celery_worker")
def test_pptx_courseware_ends_ready_with_pages_that_search_finds(
    app: Flask, teacher: Client
) -> None:
    rid, version = upload_and_process(
        app, teacher, make_pptx(SLIDES), "茶叶课件.pptx", ResourceKind.COURSEWARE
    )
    assert version.processing_status == ProcessingStatus.READY, version.processing_error_en
    assert version.page_count == 3
    with app.extensions["db"].session() as session:
        pages = session.scalars(
            select(DocumentPage)
            .where(DocumentPage.version_id == version.id)
            .order_by(DocumentPage.number)
        ).all()
        jobs = session.scalars(
            select(ProcessingJob).where(ProcessingJob.version_id == version.id)
        ).all()
    assert {j.status for j in jobs} == {JobStatus.DONE}
    assert "明前茶品质最好" in pages[1].text
    storage = app.extensions["storage"]
    for page in pages:
        assert page.image_key is not None
        assert storage.get_bytes("media", page.image_key)[:3] == b"\xff\xd8\xff"
    assert version.judge_copy_key is not None
    assert version.judge_copy_key.endswith(".pdf")
    assert storage.get_bytes("media", version.judge_copy_key).startswith(b"%PDF")

    admin = Client(app, make_user(app, Role.ADMIN))
    assert admin.post(f"/api/v1/resources/{rid}/publish").status_code == 200
    detail = Client(app, None).get(f"/resources/{rid}").get_data(as_text=True)
    assert 'id="page-2"' in detail
    assert "明前茶品质最好" in detail

    def page_hit() -> dict[str, object] | None:
        body = app.test_client().get("/api/v1/search", query_string={"q": "明前茶"}).get_json()
        return next((h for h in body["results"] if h["resource_id"] == rid), None)

    hit = _wait(page_hit)
    assert hit["page"] == 2  # type: ignore[index]
    assert hit["url"].endswith("#page-2")  # type: ignore[index]
