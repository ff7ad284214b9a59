"""Which renditions to make from a source: pure logic, no ffmpeg.

Rungs are named by their short side (360p, 720p, 1080p) so portrait phone videos keep their
orientation; a source is never upscaled, and a source smaller than the lowest rung gets one
rung at its own size. Dimensions are even, as H.264 4:2:0 requires.
"""

from __future__ import annotations

from dataclasses import dataclass

# (short side, video kbit/s, audio kbit/s) — bitrates for H.264 'veryfast' at up to 30 fps.
RUNGS = ((360, 800, 96), (720, 2500, 128), (1080, 5000, 128))
AUDIO_ONLY_KBPS = 64
MAX_FPS = 30.0


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
    if not rungs:  # smaller than the lowest rung: keep its own size
        w, h = even(display_width), even(display_height)
        video_kbps = max(200, int(RUNGS[0][1] * (w * h) / (640 * 360)))
        rungs.append(Rung(f"{min(w, h)}p", w, h, video_kbps, RUNGS[0][2]))
    return rungs


def output_fps(source_fps: float) -> float:
    """Constant output frame rate: the source's, capped, with a sane floor for odd metadata."""
    if source_fps <= 0:
        return 25.0
    return min(MAX_FPS, max(10.0, round(source_fps, 3)))


@dataclass(frozen=True)
class SpritePlan:
    interval: float  # seconds between thumbnails
    columns: int
    rows: int
    width: int
    height: int

    def sheets(self, duration: float) -> int:
        per_sheet = self.columns * self.rows
        return max(1, -(-self.count(duration) // per_sheet))

    def count(self, duration: float) -> int:
        return max(1, int(duration // self.interval) + 1)


def plan_sprite(duration: float, display_width: int, display_height: int) -> SpritePlan:
    # About 100 thumbnails whatever the length, never closer than 2 s apart.
    interval = max(2.0, round(duration / 100, 1))
    width = 160 if display_width >= display_height else 90
    height = even(width * display_height / display_width)
    return SpritePlan(interval=interval, columns=10, rows=10, width=width, height=height)


def sprite_vtt(plan: SpritePlan, duration: float, sheet_url: str) -> str:
    """WebVTT mapping time ranges to regions of the sprite sheets (``sheet_url % n``)."""
    lines = ["WEBVTT", ""]
    per_sheet = plan.columns * plan.rows
    for i in range(plan.count(duration)):
        start = i * plan.interval
        end = min(duration, start + plan.interval)
        if end <= start:
            break
        sheet, cell = divmod(i, per_sheet)
        row, col = divmod(cell, plan.columns)
        x, y = col * plan.width, row * plan.height
        lines += [
            f"{_ts(start)} --> {_ts(end)}",
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
