"""A perceptual fingerprint of a video: a difference hash (dHash) of frames sampled across it, so
the same lesson re-encoded (another resolution, bitrate, frame rate, codec or container) is
recognised as a re-entry of an earlier competition's work.

Frame i of n is the first frame at or after (i + 0.5) / n of the duration. Each is reduced to grey
and squeezed to 9x8 pixels whatever its aspect; its 64 bits say, row by row, whether each pixel is
brighter than its right-hand neighbour by more than ``DEADBAND`` (so a flat area gives the same zero
bits in every encoding rather than coding noise).

Decoding: a video of more than ``FULL_PASS_MAX_FRAMES`` frames is sampled by one short ffmpeg run
per frame, each seeking in its input, so it decodes at most one group of pictures: 4.4-4.8 s on two
cores for 10 minutes of 1080p testsrc2 from x264 (on a busier machine 7 s, against 22 s for one run
decoding every frame). A shorter video is decoded in one run that keeps the sampled frames. One run
with a seeking input per frame was no faster but holds all 16 decoders at once: 0.55 GB for 1080p
and 2.6 GB for 4K, against 0.08 and 0.2 GB one at a time.

Measured mean distances (tests/transcoder/test_fingerprint.py keeps some of them): re-encodes 0-1.4
(mandelbrot, testsrc2, down to 320x180 mpeg4 at q 31 or 100 kb/s VP9), up to 7.1 for the game of
life (every cell changes every frame) halved to 15 fps; other videos 14.7-52, except a 25 % longer
cut of one zoom, 9.1, and blank ones (equal, and never a match). Known blind spots: a static layout
that dominates the picture (testsrc2's colour bars, slides of one template) hashes alike at any
time, so such videos differ only in detail a 9x8 picture does not keep (testsrc2 cut 6 s long:
0.06); and black borders are not cropped, so a copy letterboxed into another aspect measures 10 and
is not recognised.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

# The comparison below runs in the web process (formal review); decoding is the worker's, so
# ffmpeg-python and the prober are imported only where frames are decoded.
if TYPE_CHECKING:
    import ffmpeg

    from transcoder.probe import MediaInfo

FRAMES = 16
BITS = 64
WIDTH, HEIGHT = 9, 8
DEADBAND = 2  # of 255: a smaller step between neighbours is no edge
# One pass decodes every frame; a seek per sample about half a group of pictures each (250
# frames is x264's default group) and starts ffmpeg again: one pass is cheaper up to about here.
FULL_PASS_MAX_FRAMES = 1500
# Mean differing bits per frame: re-encodes measure up to 7.1, different videos 9.1 and more.
SAME_VIDEO_THRESHOLD = 8.0
# Fewer set bits than this per frame on average: a flat or blank video, which proves nothing.
FEATURELESS_BITS = 2.0


class FingerprintError(Exception):
    """The sampled frames could not all be decoded."""


def sample_times(duration: float, frames: int = FRAMES) -> list[float]:
    return [duration * (i + 0.5) / frames for i in range(frames)]


def dhash(pixels: bytes) -> int:
    """The 64 bits of one 9x8 grey picture, row by row, the top-left pair the highest bit."""
    value = 0
    for row in range(HEIGHT):
        line = pixels[row * WIDTH : (row + 1) * WIDTH]
        for left, right in pairwise(line):
            value = value << 1 | (left > right + DEADBAND)
    return value


def _tiny(stream: ffmpeg.nodes.FilterableStream) -> ffmpeg.nodes.FilterableStream:
    return stream.filter("scale", WIDTH, HEIGHT, flags="area").filter("format", "gray")


def _decode(stream: ffmpeg.nodes.FilterableStream, timeout: float, **output: object) -> bytes:
    args = (
        stream.output("pipe:1", format="rawvideo", pix_fmt="gray", map_metadata=-1, **output)
        .global_args("-v", "error", "-nostdin")
        .get_args()
    )
    try:
        result = subprocess.run(
            ["ffmpeg", *args], capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise FingerprintError(f"ffmpeg took more than {timeout:.0f} s") from exc
    if result.returncode != 0:
        tail = result.stderr.decode(errors="replace")[-500:]
        raise FingerprintError(f"ffmpeg failed ({result.returncode}): {tail}")
    return result.stdout


def _frame_at(src: Path, at: float) -> bytes:
    import ffmpeg

    from transcoder.probe import INPUT_OPTIONS

    stream = ffmpeg.input(str(src), ss=f"{at:.6f}", **INPUT_OPTIONS)["v:0"]
    return _decode(_tiny(stream), 120.0, vframes=1)


def _frames_in_one_pass(src: Path, times: Sequence[float], duration: float) -> bytes:
    # Each sample is the first frame whose time reaches its target, the frame a seek gives.
    import ffmpeg

    from transcoder.probe import INPUT_OPTIONS

    picks = "+".join(f"gte(t,{at:.6f})*(isnan(prev_t)+lt(prev_t,{at:.6f}))" for at in times)
    stream = ffmpeg.input(str(src), **INPUT_OPTIONS)["v:0"].filter("select", picks)
    return _decode(_tiny(stream), max(120.0, duration * 10), fps_mode="passthrough")


def fingerprint(src: Path, info: MediaInfo, frames: int = FRAMES) -> list[int]:
    """One 64-bit dHash per sampled frame, in time order; FingerprintError if any sampled
    frame cannot be decoded."""
    if frames < 1:
        raise ValueError("at least one frame is sampled")
    times = sample_times(info.duration, frames)
    size = WIDTH * HEIGHT
    if info.duration * (info.fps or 30.0) <= FULL_PASS_MAX_FRAMES:
        raw = _frames_in_one_pass(src, times, info.duration)
    else:
        pieces = []
        for at in times:
            piece = _frame_at(src, at)
            if len(piece) != size:
                raise FingerprintError(f"no frame could be decoded at {at:.2f} s")
            pieces.append(piece)
        raw = b"".join(pieces)
    if len(raw) != size * frames:
        raise FingerprintError(f"{len(raw) // size} of {frames} sampled frames were decoded")
    return [dhash(raw[i : i + size]) for i in range(0, len(raw), size)]


def distance(a: Sequence[int], b: Sequence[int]) -> float:
    """Mean Hamming distance per frame (0-64) over the frames both have, in order; 64 when
    either has none."""
    common = min(len(a), len(b))
    if common == 0:
        return float(BITS)
    return sum((x ^ y).bit_count() for x, y in zip(a, b, strict=False)) / common


def featureless(prints: Sequence[int]) -> bool:
    """A flat or blank video (a colour, black, horizontal stripes): its hash says nothing."""
    if not prints:
        return True
    return sum(p.bit_count() for p in prints) / len(prints) < FEATURELESS_BITS


def same_video(a: Sequence[int], b: Sequence[int], threshold: float = SAME_VIDEO_THRESHOLD) -> bool:
    """Whether two fingerprints are of one video; never for a featureless one (two blank
    videos have equal hashes without being the same)."""
    if featureless(a[: len(b)]) or featureless(b[: len(a)]):
        return False
    return distance(a, b) <= threshold


def to_hex(prints: Sequence[int]) -> list[str]:
    return [f"{p:016x}" for p in prints]


def from_hex(texts: Sequence[str]) -> list[int]:
    return [int(t, 16) for t in texts]
