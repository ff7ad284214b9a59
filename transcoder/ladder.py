"""Which renditions to make from a source: pure logic, no ffmpeg.

Rungs are named by their short side (360p, 720p, 1080p) so portrait phone videos keep their
orientation; a source is never upscaled. A source whose short side sits between two rungs (an
old 854×480 FLV, a 720×576 PAL DVD) also gets a rung at its own size, so its best rendition
keeps every line it has; so does a source smaller than the lowest rung. Dimensions are even,
as H.264 4:2:0 requires.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# (short side, video kbit/s, audio kbit/s) — bitrates for H.264 'veryfast' at up to 30 fps.
RUNGS = ((360, 800, 96), (720, 2500, 128), (1080, 5000, 128))
AUDIO_ONLY_KBPS = 64
MAX_FPS = 30.0
MAX_THUMBNAILS = 100  # seek-preview thumbnails per video, all on one 10×10 sheet
# A source's own size becomes a rung only when it has at least this many times the lines of the
# rung below: a 738-line source gains nothing visible from a rung of its own beside 720p.
OWN_SIZE_MIN_STEP = 1.2


@dataclass(frozen=True)
class Rung:
    name: str
    width: int
    height: int
    video_kbps: int
    audio_kbps: int

    @property
    def maxrate_kbps(self) -> int:
        return int(self.video_kbps * 1.25)

    @property
    def bufsize_kbps(self) -> int:
        return self.video_kbps * 2


def even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def plan_ladder(display_width: int, display_height: int) -> list[Rung]:
    """Rungs for a source shown at ``display_width``×``display_height`` (after rotation)."""
    if display_width <= 0 or display_height <= 0:
        raise ValueError("source dimensions must be positive")
    portrait = display_height > display_width
    short, long = sorted((display_width, display_height))
    rungs = []
    for target, video_kbps, audio_kbps in RUNGS:
        if target > short:
            break
        scaled_long = even(long * target / short)
        w, h = (target, scaled_long) if portrait else (scaled_long, target)
        rungs.append(Rung(f"{target}p", w, h, video_kbps, audio_kbps))
    if not rungs:  # smaller than the lowest rung
        rungs.append(_own_size(display_width, display_height))
    elif short < RUNGS[-1][0] and short >= OWN_SIZE_MIN_STEP * int(rungs[-1].name[:-1]):
        rungs.append(_own_size(display_width, display_height))  # between two rungs
    return rungs


def _own_size(display_width: int, display_height: int) -> Rung:
    """A rung at the source's own size, its bitrate set by its pixel count.

    Between two rungs the video bitrate is interpolated by pixels, and the audio is that of the
    rung below; under the lowest rung the bitrate shrinks with the picture (at least 200 kbit/s).
    """
    w, h = even(display_width), even(display_height)
    pixels = w * h
    short = min(display_width, display_height)
    below = [r for r in RUNGS if r[0] <= short]
    above = [r for r in RUNGS if r[0] > short]
    if not below:
        first = RUNGS[0]
        video_kbps = max(200, int(first[1] * pixels / _pixels(first[0])))
        return Rung(f"{min(w, h)}p", w, h, video_kbps, first[2])
    low, high = below[-1], above[0]
    share = (pixels - _pixels(low[0])) / (_pixels(high[0]) - _pixels(low[0]))
    video_kbps = round(low[1] + min(1.0, max(0.0, share)) * (high[1] - low[1]))
    return Rung(f"{min(w, h)}p", w, h, video_kbps, low[2])


def _pixels(short_side: int) -> int:
    """Pixels of a 16:9 picture with this short side (the shape the rung bitrates are set for)."""
    return even(short_side * 16 / 9) * short_side


def output_fps(source_fps: float) -> float:
    """Constant output frame rate: the source's, capped, with a sane floor for odd metadata."""
    if source_fps <= 0:
        return 25.0
    return min(MAX_FPS, max(10.0, round(source_fps, 3)))


@dataclass(frozen=True)
class SpritePlan:
    """Seek-preview thumbnails: one every ``interval`` seconds from 0, ``count`` in all, tiled
    ``columns``×``rows`` per sheet.

    The encoder picks exactly these thumbnails (the first frame at or after each multiple of the
    interval), so the WebVTT map built from the plan names only sheets that are written.
    """

    interval: float  # seconds between thumbnails
    columns: int
    rows: int
    width: int
    height: int
    count: int

    @property
    def sheets(self) -> int:
        return -(-self.count // (self.columns * self.rows))


# The last thumbnail starts at least this long before the end: a probe's duration can run a
# frame or two past the last decoded picture, and a thumbnail planned there would never be made.
SPRITE_END_MARGIN = 0.5


def plan_sprite(duration: float, display_width: int, display_height: int) -> SpritePlan:
    """About 100 thumbnails whatever the length, never closer than 2 s apart, all on one sheet.

    A video shorter than the interval still gets one thumbnail (its first frame), and a short
    video's sheet is only as large as its thumbnails need.
    """
    interval = max(2.0, math.ceil(duration * 10 / MAX_THUMBNAILS) / 10)
    last_start = max(0.0, duration - SPRITE_END_MARGIN)
    count = max(1, min(MAX_THUMBNAILS, math.ceil(last_start / interval)))
    columns = min(10, count)
    rows = -(-count // columns)
    width = 160 if display_width >= display_height else 90
    height = even(width * display_height / display_width)
    return SpritePlan(interval, columns, rows, width, height, count)


def sprite_vtt(plan: SpritePlan, duration: float, sheet_url: str) -> str:
    """WebVTT mapping time ranges to regions of the sprite sheets (``sheet_url % n``).

    Each cue runs from its thumbnail to the next one; the last runs to the end of the video.
    """
    lines = ["WEBVTT", ""]
    per_sheet = plan.columns * plan.rows
    for i in range(plan.count):
        start = i * plan.interval
        end = duration if i == plan.count - 1 else start + plan.interval
        sheet, cell = divmod(i, per_sheet)
        row, col = divmod(cell, plan.columns)
        x, y = col * plan.width, row * plan.height
        lines += [
            f"{_ts(start)} --> {_ts(max(end, start + 0.001))}",
            f"{sheet_url % (sheet + 1)}#xywh={x},{y},{plan.width},{plan.height}",
            "",
        ]
    return "\n".join(lines)


def _ts(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"
