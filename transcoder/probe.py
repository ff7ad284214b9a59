"""Probe and validate an original before anything decodes it for real.

ffprobe runs with a demuxer allow-list and file-only protocols: an HLS playlist, concat list or
image sequence disguised as a video is refused here and never follows a reference to another
file. The caps keep a hostile or absurd file from tying up a worker.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from transcoder.errors import BadMedia

# Demuxers we accept (ffmpeg's short names). Everything else, hls and concat included, is refused.
ALLOWED_DEMUXERS = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,flv,mpeg,mpegts,asf"
ALLOWED_FORMATS = {
    "mov,mp4,m4a,3gp,3g2,mj2",
    "matroska,webm",
    "avi",
    "flv",
    "mpeg",
    "mpegts",
    "asf",
}
INPUT_OPTIONS = {"format_whitelist": ALLOWED_DEMUXERS, "protocol_whitelist": "file"}

MAX_WIDTH = 4096
MAX_HEIGHT = 4096
MAX_DURATION = 4 * 3600.0
MAX_FPS = 120.0


@dataclass(frozen=True)
class MediaInfo:
    format_name: str
    duration: float
    bitrate: int | None
    video_codec: str
    width: int
    height: int
    rotation: int
    display_width: int
    display_height: int
    fps: float
    has_audio: bool
    audio_codec: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _fraction(value: str | None) -> float:
    if not value or value in {"0/0", "N/A"}:
        return 0.0
    num, _, den = value.partition("/")
    try:
        return float(num) / float(den or 1)
    except (ValueError, ZeroDivisionError):
        return 0.0


def _rotation(stream: dict[str, Any]) -> int:
    for side in stream.get("side_data_list", []) or []:
        if "rotation" in side:
            return int(float(side["rotation"])) % 360
    tag = (stream.get("tags") or {}).get("rotate")
    return int(tag) % 360 if tag and tag.lstrip("-").isdigit() else 0


def probe(path: Path) -> MediaInfo:
    with path.open("rb") as file:
        head = file.read(16)
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"#EXTM3U"):
        raise BadMedia(
            "该文件是 HLS 播放列表，不是视频文件", "The file is an HLS playlist, not a video"
        )
    try:
        data = ffmpeg.probe(str(path), cmd="ffprobe", **INPUT_OPTIONS)
    except ffmpeg.Error as exc:
        tail = (exc.stderr or b"").decode(errors="replace")[-2000:]
        raise BadMedia(
            "无法识别该视频文件（格式不受支持或文件已损坏）",
            "The video cannot be read (unsupported format or damaged file)",
            stderr_tail=tail,
        ) from exc
    fmt = data.get("format", {})
    format_name = str(fmt.get("format_name", ""))
    if format_name not in ALLOWED_FORMATS:
        raise BadMedia(
            f"不支持的容器格式：{format_name}", f"Unsupported container format: {format_name}"
        )
    streams = data.get("streams", [])
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video"
            and not (s.get("disposition") or {}).get("attached_pic")
        ),
        None,
    )
    if video is None or not video.get("width") or not video.get("height"):
        raise BadMedia("文件中没有视频画面", "The file has no video stream")
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    width, height = int(video["width"]), int(video["height"])
    rotation = _rotation(video)
    dw, dh = (height, width) if rotation in {90, 270} else (width, height)
    duration = float(fmt.get("duration") or video.get("duration") or 0)
    fps = _fraction(video.get("avg_frame_rate")) or _fraction(video.get("r_frame_rate"))
    if duration <= 0:
        raise BadMedia(
            "无法确定视频时长（文件可能不完整）",
            "The duration is unknown (the file may be truncated)",
        )
    if width > MAX_WIDTH or height > MAX_HEIGHT:
        raise BadMedia(
            f"分辨率 {width}×{height} 超过上限 {MAX_WIDTH}×{MAX_HEIGHT}",
            f"Resolution {width}x{height} exceeds the cap of {MAX_WIDTH}x{MAX_HEIGHT}",
        )
    if duration > MAX_DURATION:
        raise BadMedia(
            f"时长 {duration / 3600:.1f} 小时超过上限 {MAX_DURATION / 3600:.0f} 小时",
            f"Duration {duration / 3600:.1f} h exceeds the cap of {MAX_DURATION / 3600:.0f} h",
        )
    if fps > MAX_FPS:
        raise BadMedia(
            f"帧率 {fps:.0f} 超过上限 {MAX_FPS:.0f}",
            f"Frame rate {fps:.0f} exceeds the cap of {MAX_FPS:.0f}",
        )
    info = MediaInfo(
        format_name=format_name,
        duration=duration,
        bitrate=int(fmt["bit_rate"]) if str(fmt.get("bit_rate", "")).isdigit() else None,
        video_codec=str(video.get("codec_name")),
        width=width,
        height=height,
        rotation=rotation,
        display_width=dw,
        display_height=dh,
        fps=fps,
        has_audio=audio is not None,
        audio_codec=str(audio.get("codec_name")) if audio else None,
    )
    _check_decodes(path)
    return info


def _check_decodes(path: Path) -> None:
    """Decode the first frames: a stream that probes but cannot be decoded is refused now."""
    args = (
        ffmpeg.input(str(path), **INPUT_OPTIONS)["v:0"]
        .output("-", format="null", frames=5)
        .global_args("-v", "error", "-xerror")
        .get_args()
    )
    result = subprocess.run(["ffmpeg", *args], capture_output=True, timeout=120, check=False)
    if result.returncode != 0:
        raise BadMedia(
            "视频画面无法解码（文件可能已损坏）",
            "The video stream cannot be decoded (the file may be damaged)",
            stderr_tail=result.stderr.decode(errors="replace")[-2000:],
        )


def loudness_from_stderr(stderr: str) -> float | None:
    """Integrated loudness (LUFS) from the JSON that loudnorm prints at the end of a run."""
    start = stderr.rfind("{")
    end = stderr.rfind("}")
    if start < 0 or end < start:
        return None
    try:
        value = json.loads(stderr[start : end + 1]).get("input_i")
        return float(value) if value not in (None, "-inf", "inf") else None
    except (ValueError, TypeError):
        return None
