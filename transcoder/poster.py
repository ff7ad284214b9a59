"""A poster frame chosen away from black and flat frames (fades, title cards, lens caps)."""

from __future__ import annotations

import statistics
import subprocess
from pathlib import Path
from typing import Any

import ffmpeg

from transcoder.errors import BadMedia
from transcoder.probe import INPUT_OPTIONS, MediaInfo

CANDIDATES = (0.25, 0.1, 0.5, 0.75, 0.9)
MIN_MEAN_LUMA = 28  # of 255
MIN_SPREAD = 12  # standard deviation: a uniform frame is not a poster


def frame_stats(src: Path, at: float) -> tuple[float, float]:
    args = (
        ffmpeg.input(str(src), ss=at, **INPUT_OPTIONS)["v:0"]
        .filter("scale", 32, 18)
        .output("pipe:1", vframes=1, format="rawvideo", pix_fmt="gray", map_metadata=-1)
        .global_args("-v", "error", "-nostdin")
        .get_args()
    )
    raw = subprocess.run(["ffmpeg", *args], capture_output=True, timeout=60, check=False).stdout
    if not raw:
        return 0.0, 0.0
    return statistics.fmean(raw), statistics.pstdev(raw)


def choose_time(src: Path, info: MediaInfo) -> float:
    best_at, best_score = info.duration * CANDIDATES[0], -1.0
    for fraction in CANDIDATES:
        at = min(info.duration * fraction, max(0.0, info.duration - 0.1))
        mean, spread = frame_stats(src, at)
        if mean >= MIN_MEAN_LUMA and spread >= MIN_SPREAD:
            return at
        score = mean + spread
        if score > best_score:
            best_at, best_score = at, score
    return best_at


POSTER_WIDTH = 1280


def _still(stream: Any, dest: Path, quality: int, timeout: int, zh: str, en: str) -> None:
    """Write one frame of ``stream`` as a JPEG at ``dest``; BadMedia (in words) when ffmpeg
    cannot."""
    args = (
        stream.output(str(dest), vframes=1, map_metadata=-1, **{"q:v": quality})
        .global_args("-v", "error", "-nostdin", "-y")
        .get_args()
    )
    result = subprocess.run(["ffmpeg", *args], capture_output=True, timeout=timeout, check=False)
    if result.returncode != 0 or not dest.exists():
        raise BadMedia(zh, en, stderr_tail=result.stderr.decode(errors="replace")[-2000:])


def make_poster(src: Path, dest: Path, info: MediaInfo, max_width: int = POSTER_WIDTH) -> float:
    """Write the poster JPEG; return the time it was taken from."""
    at = choose_time(src, info)
    width = min(max_width, info.display_width)
    _still(
        ffmpeg.input(str(src), ss=at, **INPUT_OPTIONS)["v:0"].filter(
            "scale", width - width % 2, -2
        ),
        dest,
        3,
        120,
        "无法从视频中截取封面",
        "No poster frame could be taken from the video",
    )
    return at


CARD_WIDTH = 480  # a course card in a list: a phone's width at 1.25x, two columns on a desktop


def make_card(poster: Path, dest: Path, width: int = CARD_WIDTH) -> None:
    """The poster made small for course cards (a list of them weighs a tenth of the posters)."""
    _still(
        ffmpeg.input(str(poster)).filter("scale", f"min({width},iw)", -2),
        dest,
        5,
        60,
        "无法生成封面缩略图",
        "No card image could be made from the poster",
    )
