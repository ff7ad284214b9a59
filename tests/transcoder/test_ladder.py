"""Ladder planning: pure rules, checked over many source sizes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcoder.ladder import plan_ladder, plan_sprite, sprite_vtt

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


def test_sprite_vtt_covers_the_whole_duration() -> None:
    plan = plan_sprite(95.0, 1920, 1080)
    vtt = sprite_vtt(plan, 95.0, "sprite_%03d.jpg")
    assert vtt.startswith("WEBVTT")
    cues = [line for line in vtt.splitlines() if "-->" in line]
    assert cues[0].startswith("00:00:00.000 -->")
    assert cues[-1].endswith("00:01:35.000")
    assert "sprite_001.jpg#xywh=0,0,160,90" in vtt
