"""The perceptual fingerprint: re-encodes of a video match it, other videos do not, and the
pipeline stores one with every video version (or none, when its frames cannot all be read)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from flask import Flask

from repo_service.accounts.models import Role
from repo_service.resources.models import ProcessingStatus
from tests.factories import Client, make_user
from tests.transcoder.conftest import upload_and_process
from transcoder import fingerprint as fp
from transcoder.probe import probe

unit = pytest.mark.unit
# Tests that run ffmpeg and nothing else are marked as test_sprites's are.
local_ffmpeg = pytest.mark.integration

ALL = (1 << 64) - 1

# Each of these must be the same video as the first, within the bound (mean bits per frame).
REENCODED = [
    ("landscape.mp4", "landscape-360p.webm", 2.0),  # VP9 in WebM, 640x360, CRF 45: measured 0
    ("landscape.mp4", "landscape-480p.avi", 2.0),  # MPEG-4 part 2 in AVI, 25 fps: 0
    ("mandelbrot.mp4", "mandelbrot-240p.mkv", 3.0),  # 426x240, 15 fps, 150 kb/s: 1.06
]
# Each pair is two videos, at least this far apart (the threshold is 8).
DIFFERENT = [
    ("mandelbrot.mp4", "mandelbrot-6s.mp4", 12.0),  # the same zoom cut 6 s long: 14.7
    ("landscape.mp4", "mandelbrot.mp4", 16.0),  # 21.2
    ("landscape.mp4", "testsrc.mp4", 30.0),  # 42.1
    ("landscape.mp4", "life.mp4", 20.0),  # 26.3
    ("landscape.mp4", "smptebars.mp4", 30.0),  # 38.0
    ("landscape.mp4", "navy.mp4", 12.0),  # a flat picture: 16.0
    ("mandelbrot.mp4", "life.mp4", 20.0),  # 32.1
    ("testsrc.mp4", "smptebars.mp4", 25.0),  # 34.1
]


@pytest.fixture(scope="module")
def prints(inputs: dict[str, Path]) -> dict[str, list[int]]:
    names = {name for pair in REENCODED + DIFFERENT for name in pair[:2]}
    names |= {"black.mp4", "testsrc2-6s.mp4"}
    return {name: fp.fingerprint(inputs[name], probe(inputs[name])) for name in sorted(names)}


# --- pure -------------------------------------------------------------------------------------


@unit
def test_dhash_sets_a_bit_where_a_pixel_is_brighter_than_its_right_neighbour() -> None:
    falling = bytes(range(200, 200 - 9 * 10, -10)) * 8  # every row darkens to the right
    assert fp.dhash(falling) == ALL
    assert fp.dhash(bytes(reversed(falling))) == 0
    assert fp.dhash(bytes([90] * 72)) == 0  # flat
    first_pair_only = bytes([100, 50] + [50] * 7) + bytes([50] * 63)
    assert fp.dhash(first_pair_only) == 1 << 63  # top-left pair is the highest bit
    within_deadband = bytes([50 + fp.DEADBAND, 50] + [50] * 7) + bytes([50] * 63)
    assert fp.dhash(within_deadband) == 0


@unit
def test_samples_are_at_the_middle_of_equal_parts() -> None:
    assert fp.sample_times(16.0, 4) == [2.0, 6.0, 10.0, 14.0]
    assert len(fp.sample_times(600.0)) == fp.FRAMES == 16


@unit
def test_distance_is_the_mean_hamming_distance_over_the_common_prefix() -> None:
    assert fp.distance([0, ALL], [0, ALL]) == 0
    assert fp.distance([0, 0], [ALL, 0b111]) == (64 + 3) / 2
    assert fp.distance([0, 0, ALL], [0b1, 0b11]) == 1.5  # the third frame has no partner
    assert fp.distance([], [1, 2]) == 64
    assert fp.distance([1], []) == 64


@unit
def test_same_video_uses_the_threshold_and_never_matches_blank_videos() -> None:
    textured = [0x1818181818181818] * 16  # 16 bits per frame, like testsrc2
    near = [h ^ 0xFF for h in textured]  # 8 bits differ in each frame
    assert fp.same_video(textured, textured)
    assert fp.same_video(textured, near, threshold=8.0)
    assert not fp.same_video(textured, near, threshold=7.9)
    assert not fp.same_video([0] * 16, [0] * 16)  # two flat videos: equal, proving nothing
    assert not fp.same_video(textured, [])


@unit
def test_hex_round_trip() -> None:
    values = [0, 1, ALL, 0x0123456789ABCDEF]
    texts = fp.to_hex(values)
    assert texts == ["0000000000000000", "0000000000000001", "f" * 16, "0123456789abcdef"]
    assert fp.from_hex(texts) == values


# --- real files ---------------------------------------------------------------------------------


@local_ffmpeg
@pytest.mark.parametrize(("first", "second", "bound"), REENCODED)
def test_a_re_encoded_copy_is_the_same_video(
    prints: dict[str, list[int]], first: str, second: str, bound: float
) -> None:
    assert len(prints[second]) == 16
    assert fp.distance(prints[first], prints[second]) <= bound
    assert fp.same_video(prints[first], prints[second])
    assert fp.same_video(fp.from_hex(fp.to_hex(prints[first])), prints[second])


@local_ffmpeg
@pytest.mark.parametrize(("first", "second", "bound"), DIFFERENT)
def test_another_video_is_not_the_same(
    prints: dict[str, list[int]], first: str, second: str, bound: float
) -> None:
    assert fp.distance(prints[first], prints[second]) >= bound
    assert not fp.same_video(prints[first], prints[second])


@local_ffmpeg
def test_two_blank_videos_are_not_the_same(prints: dict[str, list[int]]) -> None:
    assert fp.distance(prints["navy.mp4"], prints["black.mp4"]) == 0  # both hash to nothing
    assert not fp.same_video(prints["navy.mp4"], prints["black.mp4"])


@local_ffmpeg
@pytest.mark.xfail(
    strict=True,
    reason="known blind spot: testsrc2's colour bars dominate every 9x8 picture, so the pattern "
    "at other times (a 6 s cut) hashes alike (measured 0.06); slides of one template too",
)
def test_a_static_layout_at_other_times_is_not_the_same(prints: dict[str, list[int]]) -> None:
    assert not fp.same_video(prints["landscape.mp4"], prints["testsrc2-6s.mp4"])


@local_ffmpeg
@pytest.mark.parametrize("name", ["landscape.mp4", "mandelbrot-240p.mkv", "life.mp4"])
def test_seeking_per_frame_and_one_pass_pick_the_same_frames(
    inputs: dict[str, Path], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    info = probe(inputs[name])
    one_pass = fp.fingerprint(inputs[name], info)
    monkeypatch.setattr(fp, "FULL_PASS_MAX_FRAMES", 0)
    assert fp.fingerprint(inputs[name], info) == one_pass


@local_ffmpeg
@pytest.mark.parametrize("full_pass_max", [0, fp.FULL_PASS_MAX_FRAMES])
def test_a_missing_frame_is_an_error(
    inputs: dict[str, Path], monkeypatch: pytest.MonkeyPatch, full_pass_max: int
) -> None:
    monkeypatch.setattr(fp, "FULL_PASS_MAX_FRAMES", full_pass_max)
    info = probe(inputs["short-picture.mp4"])  # 3 s of picture, 4 s of sound
    with pytest.raises(fp.FingerprintError):
        fp.fingerprint(inputs["short-picture.mp4"], info)
    longer = dataclasses.replace(info, duration=40.0)
    with pytest.raises(fp.FingerprintError):
        fp.fingerprint(inputs["landscape.mp4"], longer)


# --- the pipeline -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def teacher(app: Flask) -> Client:
    return Client(app, make_user(app, Role.TEACHER))


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.usefixtures("celery_worker")
def test_a_processed_video_carries_its_fingerprint(
    app: Flask, teacher: Client, inputs: dict[str, Path], prints: dict[str, list[int]]
) -> None:
    _rid, version = upload_and_process(app, teacher, inputs["landscape.mp4"].read_bytes(), "a.mp4")
    assert version.processing_status == ProcessingStatus.READY, version.processing_error_en
    assert version.media_info is not None
    stored = version.media_info["fingerprint"]
    assert len(stored) == 16
    assert all(len(text) == 16 and int(text, 16) >= 0 for text in stored)
    assert fp.from_hex(stored) == prints["landscape.mp4"]
    assert version.media_info["display_width"] == 1920  # the probe's fields are kept


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.usefixtures("celery_worker")
def test_a_video_whose_frames_cannot_all_be_sampled_is_ready_without_one(
    app: Flask, teacher: Client, inputs: dict[str, Path]
) -> None:
    data = inputs["short-picture.mp4"].read_bytes()
    _rid, version = upload_and_process(app, teacher, data, "short.mp4")
    assert version.processing_status == ProcessingStatus.READY, version.processing_error_en
    assert version.poster_key
    assert version.media_info is not None
    assert "fingerprint" not in version.media_info
