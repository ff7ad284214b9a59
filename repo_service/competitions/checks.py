"""Technical requirements of a competition, checked against what the transcoder measured.

Pure functions of plain data: the entry page, the formal review and the API show the same list
of checks, each with the value measured and the value required, so a teacher can fix a file and
upload it again before the deadline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from repo_service.errors import InvalidInput

Status = Literal["pass", "fail", "pending"]

# Names a teacher picks from, and the ffprobe format names each covers.
CONTAINERS = {
    "mp4": "mov,mp4,m4a,3gp,3g2,mj2",
    "mkv": "matroska,webm",
    "webm": "matroska,webm",
    "avi": "avi",
    "flv": "flv",
    "mpg": "mpeg",
    "ts": "mpegts",
    "wmv": "asf",
}
VIDEO_CODECS = ("h264", "hevc", "vp9", "av1", "mpeg4", "wmv2", "flv1", "mpeg2video")

# key -> (type, minimum, maximum) of a requirement's value
LABELS = {
    "min_width": ("最小宽度", "minimum width"),
    "min_height": ("最小高度", "minimum height"),
    "min_duration": ("最短时长（秒）", "shortest duration (s)"),
    "max_duration": ("最长时长（秒）", "longest duration (s)"),
    "max_size_mb": ("文件大小上限（MB）", "largest file (MB)"),
    "loudness_min": ("响度下限（LUFS）", "loudness minimum (LUFS)"),
    "loudness_max": ("响度上限（LUFS）", "loudness maximum (LUFS)"),
    "min_pages": ("最少页数", "fewest pages"),
    "max_pages": ("最多页数", "most pages"),
}
FIELDS: dict[str, tuple[type, float, float]] = {
    "min_width": (int, 1, 8192),
    "min_height": (int, 1, 8192),
    "min_duration": (float, 0, 4 * 3600),
    "max_duration": (float, 1, 4 * 3600),
    "max_size_mb": (float, 1, 20 * 1024),
    "loudness_min": (float, -70, 0),
    "loudness_max": (float, -70, 0),
    "min_pages": (int, 1, 5000),
    "max_pages": (int, 1, 5000),
}


@dataclass(frozen=True)
class Facts:
    """What is known of an entry's file (None: not measured yet)."""

    content_type: str
    size: int
    format_name: str | None = None
    video_codec: str | None = None
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    loudness: float | None = None
    has_audio: bool | None = None
    page_count: int | None = None
    scanned: bool | None = None
    processed: bool = False


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    label_en: str
    status: Status
    measured: str
    required: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "label_en": self.label_en,
            "status": self.status,
            "measured": self.measured,
            "required": self.required,
        }


def parse_requirements(raw: Any) -> dict[str, Any]:
    """Validate an admin's requirements; unknown keys and impossible ranges are refused."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, Mapping):
        raise InvalidInput("技术要求格式不正确", "requirements must be an object")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if value in (None, "", []):
            continue
        if key == "containers":
            names = _names(value, CONTAINERS, "封装格式", "containers")
            out[key] = names
        elif key == "video_codecs":
            out[key] = _names(value, dict.fromkeys(VIDEO_CODECS), "视频编码", "video_codecs")
        elif key == "text_layer":
            out[key] = bool(value) and str(value).lower() not in {"0", "false", "off"}
        elif key in FIELDS:
            out[key] = _number(key, value)
        else:
            raise InvalidInput(f"未知的技术要求：{key}", f"Unknown requirement: {key}")
    for low, high, zh, en in (
        ("min_duration", "max_duration", "时长", "duration"),
        ("loudness_min", "loudness_max", "响度", "loudness"),
        ("min_pages", "max_pages", "页数", "page count"),
    ):
        if low in out and high in out and out[low] > out[high]:
            raise InvalidInput(
                f"技术要求的{zh}下限大于上限", f"The {en} minimum is greater than its maximum"
            )
    return out


def _number(key: str, value: Any) -> float:
    kind, low, high = FIELDS[key]
    zh, en = LABELS[key]
    try:
        number = float(value)
        number = kind(number) if math.isfinite(number) else number
    except (TypeError, ValueError):
        raise InvalidInput(f"技术要求「{zh}」必须是数字", f"The {en} must be a number") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise InvalidInput(
            f"技术要求「{zh}」必须在 {low:g} 到 {high:g} 之间",
            f"The {en} must be between {low:g} and {high:g}",
        )
    return float(number) if kind is float else int(number)


def _names(value: Any, allowed: Mapping[str, Any], zh: str, en: str) -> list[str]:
    items = value.replace("，", ",").split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        raise InvalidInput(f"{zh}格式不正确", f"{en} must be a list")
    names = [str(i).strip().lower() for i in items if str(i).strip()]
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise InvalidInput(
            f"不支持的{zh}：{'、'.join(unknown)}", f"Unknown {en}: {', '.join(unknown)}"
        )
    return names


def clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _check(key: str, zh: str, en: str, ok: bool | None, measured: str, required: str) -> Check:
    status: Status = "pending" if ok is None else ("pass" if ok else "fail")
    return Check(key, zh, en, status, measured if ok is not None else "—", required)


def run_checks(req: Mapping[str, Any], facts: Facts) -> list[Check]:
    """Every requirement that applies to this kind of file, in a fixed order."""
    checks: list[Check] = []
    if "max_size_mb" in req:
        limit = float(req["max_size_mb"])
        checks.append(
            _check(
                "size",
                "文件大小",
                "File size",
                facts.size <= limit * 1024 * 1024,
                f"{facts.size / 1024 / 1024:.1f} MB",
                f"≤ {limit:g} MB",
            )
        )
    if facts.content_type.startswith("video/"):
        checks += _video_checks(req, facts)
    elif facts.content_type.startswith(("application/", "text/")):
        checks += _document_checks(req, facts)
    return checks


def _video_checks(req: Mapping[str, Any], f: Facts) -> list[Check]:
    known = f.processed and f.format_name is not None
    out: list[Check] = []
    if "containers" in req:
        wanted = {CONTAINERS[c] for c in req["containers"]}
        out.append(
            _check(
                "container",
                "封装格式",
                "Container",
                (f.format_name in wanted) if known else None,
                f.format_name or "",
                " / ".join(req["containers"]),
            )
        )
    if "video_codecs" in req:
        out.append(
            _check(
                "codec",
                "视频编码",
                "Video codec",
                (f.video_codec in req["video_codecs"]) if known else None,
                f.video_codec or "",
                " / ".join(req["video_codecs"]),
            )
        )
    if "min_width" in req or "min_height" in req:
        need_w, need_h = int(req.get("min_width", 1)), int(req.get("min_height", 1))
        ok = None
        if known and f.width and f.height:
            # A portrait phone video of 1080×1920 meets a 1920×1080 requirement.
            ok = max(f.width, f.height) >= max(need_w, need_h) and min(f.width, f.height) >= min(
                need_w, need_h
            )
        out.append(
            _check(
                "resolution",
                "分辨率",
                "Resolution",
                ok,
                f"{f.width}×{f.height}",
                f"≥ {need_w}×{need_h}",
            )
        )
    if "min_duration" in req or "max_duration" in req:
        low, high = float(req.get("min_duration", 0)), req.get("max_duration")
        ok = None
        if known and f.duration is not None:
            ok = f.duration >= low and (high is None or f.duration <= float(high))
        required = f"{clock(low)} – {clock(float(high))}" if high else f"≥ {clock(low)}"
        out.append(
            _check(
                "duration",
                "时长",
                "Duration",
                ok,
                clock(f.duration or 0),
                required,
            )
        )
    if "loudness_min" in req or "loudness_max" in req:
        low, high = float(req.get("loudness_min", -70)), float(req.get("loudness_max", 0))
        ok = None
        measured = ""
        if known:
            if f.has_audio is False:
                ok, measured = False, "无声音 / no audio"
            elif f.loudness is not None:
                ok, measured = low <= f.loudness <= high, f"{f.loudness:.1f} LUFS"
        out.append(_check("loudness", "响度", "Loudness", ok, measured, f"{low:g} – {high:g} LUFS"))
    return out


def _document_checks(req: Mapping[str, Any], f: Facts) -> list[Check]:
    known = f.processed and f.page_count is not None
    out: list[Check] = []
    if "min_pages" in req or "max_pages" in req:
        low, high = int(req.get("min_pages", 1)), req.get("max_pages")
        ok = None
        if known and f.page_count is not None:
            ok = f.page_count >= low and (high is None or f.page_count <= int(high))
        required = f"{low} – {int(high)}" if high else f"≥ {low}"
        out.append(_check("pages", "页数", "Pages", ok, str(f.page_count), required))
    if req.get("text_layer"):
        ok = (not f.scanned) if known and f.scanned is not None else None
        out.append(
            _check(
                "text_layer",
                "文字层（非扫描件）",
                "Text layer (not a scan)",
                ok,
                "扫描件 / scan" if f.scanned else "有文字 / text",
                "必须有 / required",
            )
        )
    return out


def facts_of(version: Any) -> Facts:
    """Facts from a ResourceVersion (kept duck-typed so this module stays free of the ORM)."""
    info: dict[str, Any] = version.media_info or {}
    status = getattr(version.processing_status, "value", version.processing_status)
    return Facts(
        content_type=version.content_type,
        size=version.size,
        format_name=info.get("format_name"),
        video_codec=info.get("video_codec"),
        width=info.get("display_width"),
        height=info.get("display_height"),
        duration=info.get("duration"),
        loudness=info.get("loudness_lufs"),
        has_audio=info.get("has_audio"),
        page_count=version.page_count,
        scanned=version.scanned,
        processed=status == "ready",
    )
