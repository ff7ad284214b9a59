"""Seek-preview sprites made by the real ladder command: the WebVTT map names only sheets that
exist, and every region it points at lies inside its sheet, whatever the video's length."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.transcoder.conftest import _expand, ffprobe
from transcoder import encode
from transcoder.ladder import plan_ladder, plan_sprite, sprite_vtt
from transcoder.probe import probe

pytestmark = pytest.mark.integration

CUE = re.compile(r"^(sprite_\d{3}\.jpg)#xywh=(\d+),(\d+),(\d+),(\d+)$")

# name -> (ffmpeg recipe in the transcoder factory's notation, seconds of video)
SHORT_VIDEOS = {
    # Shorter than half the 2 s thumbnail interval: the case that once wrote no sheet at all.
    "blink.mp4": "{src:320x240:25:0.6} -f lavfi -i sine=duration=0.6 {x264} -c:a aac -shortest "
    "{out}",
    # Three thumbnails, the last 0.6 s from the end; NTSC rate; MPEG-TS whose clock starts at 1.4 s.
    "ntsc.ts": "{src:640x360:30000/1001:4.6} {x264} -output_ts_offset 1.4 {out}",
    # Portrait, silent.
    "upright.mp4": "{src:360x640:30:2.2} {x264} {out}",
}


@pytest.fixture(scope="module")
def short_videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("short-videos")
    files = {}
    for name, recipe in SHORT_VIDEOS.items():
        files[name] = directory / name
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", *_expand(recipe, directory, files[name])],
            check=True,
            timeout=120,
        )
    return files


def _ladder(src: Path, out: Path) -> str:
    """Run the ladder command as the pipeline does; return the WebVTT map it would store."""
    info = probe(src)
    rungs = plan_ladder(info.display_width, info.display_height)
    sprite = plan_sprite(info.duration, info.display_width, info.display_height)
    out.mkdir()
    encode.run(
        encode.ladder_args(src, out, info, rungs, sprite, preset="ultrafast"),
        info.duration,
        lambda _percent: None,
        timeout=120,
    )
    return sprite_vtt(sprite, info.duration, "sprite_%03d.jpg")


@pytest.mark.parametrize("name", sorted(SHORT_VIDEOS))
def test_every_sheet_the_thumbnail_map_names_is_written(
    name: str, short_videos: dict[str, Path], tmp_path: Path
) -> None:
    vtt = _ladder(short_videos[name], tmp_path / "ladder")
    references = [line for line in vtt.splitlines() if line.startswith("sprite_")]
    assert references, vtt
    cues = [CUE.fullmatch(line) for line in references]
    assert all(cues), vtt
    sheets = {m.group(1) for m in cues if m}
    written = {p.name for p in tmp_path.glob("ladder/sprite_*.jpg")}
    assert sheets <= written, f"the map names {sorted(sheets - written)}, never written"
    for match in cues:
        assert match is not None
        image = ffprobe(tmp_path / "ladder" / match.group(1))["streams"][0]
        x, y, w, h = (int(match.group(i)) for i in range(2, 6))
        assert x + w <= image["width"], match.group(0)
        assert y + h <= image["height"], match.group(0)


def test_a_video_shorter_than_a_second_gets_one_thumbnail_for_its_whole_length(
    short_videos: dict[str, Path], tmp_path: Path
) -> None:
    vtt = _ladder(short_videos["blink.mp4"], tmp_path / "ladder")
    assert [line for line in vtt.splitlines() if "-->" in line] == ["00:00:00.000 --> 00:00:00.600"]
    sheet = ffprobe(tmp_path / "ladder" / "sprite_001.jpg")["streams"][0]
    assert (sheet["width"], sheet["height"]) == (160, 120)  # one thumbnail, not a 10×10 grid


def test_a_late_starting_stream_gets_a_thumbnail_every_two_seconds_on_one_row(
    short_videos: dict[str, Path], tmp_path: Path
) -> None:
    vtt = _ladder(short_videos["ntsc.ts"], tmp_path / "ladder")
    starts = [line.split(" --> ")[0] for line in vtt.splitlines() if "-->" in line]
    assert starts == ["00:00:00.000", "00:00:02.000", "00:00:04.000"]
    sheet = ffprobe(tmp_path / "ladder" / "sprite_001.jpg")["streams"][0]
    assert (sheet["width"], sheet["height"]) == (3 * 160, 90)
