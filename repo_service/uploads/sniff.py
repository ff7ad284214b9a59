"""Content types decided from the bytes, never from the file name the client sent."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from typing import IO

from repo_service.resources.models import ResourceKind

HEAD_BYTES = 64 * 1024

VIDEO_TYPES = {
    "video/mp4",
    "video/quicktime",
    "video/3gpp",
    "video/x-matroska",
    "video/webm",
    "video/x-msvideo",
    "video/x-flv",
    "video/mpeg",
    "video/mp2t",
    "video/x-ms-asf",
}
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OLE = "application/x-ole-storage"  # legacy .doc/.ppt

ALLOWED_TYPES: dict[ResourceKind, set[str]] = {
    ResourceKind.VIDEO: VIDEO_TYPES,
    ResourceKind.COURSEWARE: {PDF, DOCX, PPTX, OLE},
    ResourceKind.TEXTBOOK: {PDF, DOCX},
    ResourceKind.READER: {PDF, DOCX},
}

ALLOWED_EXTENSIONS: dict[ResourceKind, set[str]] = {
    ResourceKind.VIDEO: {
        "mp4",
        "m4v",
        "mov",
        "3gp",
        "mkv",
        "webm",
        "avi",
        "flv",
        "mpg",
        "mpeg",
        "ts",
        "wmv",
        "asf",
    },
    ResourceKind.COURSEWARE: {"pdf", "docx", "pptx", "doc", "ppt"},
    ResourceKind.TEXTBOOK: {"pdf", "docx"},
    ResourceKind.READER: {"pdf", "docx"},
}


def _mp4_family(head: bytes) -> str:
    brand = head[8:12]
    if brand.startswith(b"qt"):
        return "video/quicktime"
    if brand.startswith(b"3g"):
        return "video/3gpp"
    return "video/mp4"


# (test on the first bytes, content type or a function of the head): first match wins.
SIGNATURES: list[tuple[Callable[[bytes], bool], str | Callable[[bytes], str]]] = [
    (lambda h: h[4:8] == b"ftyp", _mp4_family),
    (lambda h: h[4:8] in {b"moov", b"mdat", b"wide", b"free"}, "video/quicktime"),
    (
        lambda h: h.startswith(b"\x1a\x45\xdf\xa3"),
        lambda h: "video/webm" if b"webm" in h[:64] else "video/x-matroska",
    ),
    (lambda h: h.startswith(b"RIFF") and h[8:12] == b"AVI ", "video/x-msvideo"),
    (lambda h: h.startswith(b"FLV\x01"), "video/x-flv"),
    (lambda h: h.startswith(b"\x00\x00\x01\xba"), "video/mpeg"),
    (lambda h: len(h) >= 376 and h[0] == 0x47 and h[188] == 0x47, "video/mp2t"),
    (lambda h: h.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"), "video/x-ms-asf"),
    (lambda h: h.startswith(b"%PDF-"), PDF),
    (lambda h: h.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), OLE),
]


def sniff(head: bytes, archive: IO[bytes] | None = None) -> str | None:
    """The content type of a file from its first bytes (and, for a ZIP, its directory).

    ``archive`` is a seekable view of the whole file, read only for ZIP-based formats.
    """
    for test, result in SIGNATURES:
        if test(head):
            return result if isinstance(result, str) else result(head)
    if head.startswith(b"PK\x03\x04") and archive is not None:
        return _office_type(archive)
    return None


def _office_type(fileobj: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "ppt/presentation.xml" in names:
        return PPTX
    return None


def describe_refusal(head: bytes) -> tuple[str, str]:
    """Why a file was refused, in words a teacher understands."""
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"#EXTM3U"):
        return (
            "该文件是播放列表（HLS），不是视频文件",
            "The file is a playlist (HLS), not a video",
        )
    if b"\x00" not in head[:4096]:
        return (
            "该文件是文本文件，不是所选类型的文件",
            "The file is text, not a file of the chosen kind",
        )
    return ("无法识别的文件格式", "The file format is not recognised")
