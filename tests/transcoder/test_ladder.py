"""Ladder planning: pure rules, checked over many source sizes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcoder.ladder import OWN_SIZE_MIN_STEP, RUNGS, plan_ladder, plan_sprite, sprite_vtt

pytestmark = pytest.mark.unit


@given(st.integers(16, 4096), st.integers(16, 4096))
def test_rungs_never_upscale_keep_orientation_and_are_even(width: int, height: int) -> None:
    rungs = plan_ladder(width, height)
    assert rungs
    for rung in rungs:
        assert rung.width % 2 == 0
        assert rung.height % 2 == 0
        assert rung.width <= max(width, 2) + 1
        assert rung.height <= max(height, 2) + 1
        if height > width:
            assert rung.height >= rung.width
        elif width > height:
            assert rung.width >= rung.height
    heights = [min(r.width, r.height) for r in rungs]
    assert heights == sorted(heights)
    assert len({r.name for r in rungs}) == len(rungs)


@given(st.integers(16, 4096), st.integers(16, 4096))
def test_the_best_rung_keeps_nearly_every_line_up_to_the_top_rung(width: int, height: int) -> None:
    best = max(min(r.width, r.height) for r in plan_ladder(width, height))
    wanted = min(width, height, RUNGS[-1][0])
    assert best * OWN_SIZE_MIN_STEP >= wanted - 1


def test_typical_sources() -> None:
    assert [(r.name, r.width, r.height) for r in plan_ladder(1920, 1080)] == [
        ("360p", 640, 360),
        ("720p", 1280, 720),
        ("1080p", 1920, 1080),
    ]
    assert [(r.name, r.width, r.height) for r in plan_ladder(1080, 1920)] == [
        ("360p", 360, 640),
        ("720p", 720, 1280),
        ("1080p", 1080, 1920),
    ]
    assert [r.name for r in plan_ladder(3840, 2160)] == ["360p", "720p", "1080p"]
    assert [(r.width, r.height) for r in plan_ladder(320, 240)] == [(320, 240)]


def test_sources_between_rungs_keep_a_rung_at_their_own_size() -> None:
    def ladder(width: int, height: int) -> list[tuple[str, int, int]]:
        return [(r.name, r.width, r.height) for r in plan_ladder(width, height)]

    # An old FLV, a PAL DVD (stored and shown 16:9), a 4:3 webcam, a portrait phone clip.
    assert ladder(854, 480) == [("360p", 640, 360), ("480p", 854, 480)]
    assert ladder(720, 576) == [("360p", 450, 360), ("576p", 720, 576)]
    assert ladder(1024, 576) == [("360p", 640, 360), ("576p", 1024, 576)]
    assert ladder(640, 480) == [("360p", 480, 360), ("480p", 640, 480)]
    assert ladder(480, 854) == [("360p", 360, 640), ("480p", 480, 854)]
    assert ladder(1600, 900)[-1] == ("900p", 1600, 900)
    # Barely above a rung: nothing worth a rung of its own.
    assert ladder(1312, 738) == [("360p", 640, 360), ("720p", 1280, 720)]
    # Above the top rung: no rung bigger than 1080p.
    assert ladder(2560, 1440)[-1] == ("1080p", 1920, 1080)


def test_a_rung_at_its_own_size_costs_between_its_neighbours() -> None:
    low, own = plan_ladder(854, 480)
    assert low.video_kbps < own.video_kbps < RUNGS[1][1]
    assert own.audio_kbps == low.audio_kbps
    _, mid, own = plan_ladder(1600, 900)
    assert mid.video_kbps < own.video_kbps < RUNGS[2][1]


def test_sprite_vtt_covers_the_whole_duration() -> None:
    plan = plan_sprite(95.0, 1920, 1080)
    vtt = sprite_vtt(plan, 95.0, "sprite_%03d.jpg")
    assert vtt.startswith("WEBVTT")
    cues = [line for line in vtt.splitlines() if "-->" in line]
    assert cues[0].startswith("00:00:00.000 -->")
    assert cues[-1].endswith("00:01:35.000")
    assert "sprite_001.jpg#xywh=0,0,160,90" in vtt
