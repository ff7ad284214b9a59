"""Filters the pages share: sizes, durations, and what a file is in words people use."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from flask import Flask

from repo_service.accounts.models import ROLE_LABELS, Role

KiB, MiB, GiB = 1024, 1024**2, 1024**3

FILE_KINDS = {
    "pdf": ("PDF 文档", "PDF document"),
    "docx": ("Word 文档", "Word document"),
    "doc": ("Word 文档", "Word document"),
    "pptx": ("PPT 演示文稿", "PowerPoint slides"),
    "ppt": ("PPT 演示文稿", "PowerPoint slides"),
    "mp4": ("MP4 视频", "MP4 video"),
    "mov": ("MOV 视频", "MOV video"),
    "mkv": ("MKV 视频", "MKV video"),
    "webm": ("WebM 视频", "WebM video"),
    "avi": ("AVI 视频", "AVI video"),
}


def human_size(n: int | None) -> str:
    if not n:
        return "0 KB" if n == 0 else ""
    for unit, size in (("GB", GiB), ("MB", MiB), ("KB", KiB)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return "1 KB"  # people read sizes in KB at the smallest: a 200-byte file is not "0.0 MB"


def clock(seconds: float | None) -> str:
    """A duration as a player shows it: 5:07, 1:02:03."""
    if seconds is None or seconds < 0:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def extension(filename: str) -> str:
    return PurePosixPath(filename).suffix.lower().lstrip(".")


def file_kind(filename: str) -> tuple[str, str]:
    """What a file is, in words (PPT 演示文稿), from its name's extension."""
    ext = extension(filename)
    return FILE_KINDS.get(ext, (f"{ext.upper()} 文件" if ext else "文件", f"{ext.upper()} file"))


LOCAL = ZoneInfo("Asia/Shanghai")


def localtime(moment: dt.datetime | None) -> str:
    """A stored time (UTC) as people in Jiangning read it: 2026-12-02 08:30."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")


def role_label(role: str) -> tuple[str, str]:
    return ROLE_LABELS.get(Role(role), (str(role), str(role)))


def init_templating(app: Flask) -> None:
    app.jinja_env.filters["human_size"] = human_size
    app.jinja_env.filters["clock"] = clock
    app.jinja_env.filters["file_kind"] = file_kind
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["role_label"] = role_label
