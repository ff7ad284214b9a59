"""Technical requirements: what an admin may ask for, and each check against measured facts."""

from __future__ import annotations

import pytest

from repo_service.competitions.checks import Facts, parse_requirements, run_checks
from repo_service.errors import InvalidInput

pytestmark = pytest.mark.unit

REQ = parse_requirements(
    {
        "containers": "mp4",
        "video_codecs": ["h264"],
        "min_width": 1920,
        "min_height": 1080,
        "min_duration": 300,
        "max_duration": 900,
        "max_size_mb": 500,
        "loudness_min": -24,
        "loudness_max": -14,
        "min_pages": 10,
        "text_layer": True,
    }
)


def video(**over: object) -> Facts:
    facts: dict[str, object] = {
        "content_type": "video/mp4",
        "size": 200 * 1024 * 1024,
        "format_name": "mov,mp4,m4a,3gp,3g2,mj2",
        "video_codec": "h264",
        "width": 1920,
        "height": 1080,
        "duration": 612.0,
        "loudness": -18.3,
        "has_audio": True,
        "processed": True,
    }
    facts.update(over)
    return Facts(**facts)  # type: ignore[arg-type]


def statuses(facts: Facts) -> dict[str, str]:
    return {c.key: c.status for c in run_checks(REQ, facts)}


def test_a_conforming_video_passes_every_video_check() -> None:
    checks = run_checks(REQ, video())
    assert [c.key for c in checks] == [
        "size", "container", "codec", "resolution", "duration", "loudness"
    ]  # fmt: skip
    assert {c.status for c in checks} == {"pass"}
    by_key = {c.key: c for c in checks}
    assert by_key["duration"].measured == "10:12"
    assert by_key["duration"].required == "5:00 – 15:00"
    assert by_key["loudness"].measured == "-18.3 LUFS"


def test_each_failure_names_what_was_measured() -> None:
    got = statuses(
        video(width=1280, height=720, duration=200.0, loudness=-30.0, video_codec="hevc",
              format_name="matroska,webm", size=600 * 1024 * 1024)
    )  # fmt: skip
    assert got == {
        "size": "fail", "container": "fail", "codec": "fail", "resolution": "fail",
        "duration": "fail", "loudness": "fail",
    }  # fmt: skip


def test_a_portrait_phone_video_meets_a_landscape_resolution() -> None:
    assert statuses(video(width=1080, height=1920))["resolution"] == "pass"


def test_a_silent_video_fails_loudness_and_unprocessed_ones_are_pending() -> None:
    assert statuses(video(has_audio=False, loudness=None))["loudness"] == "fail"
    pending = statuses(video(processed=False, format_name=None))
    assert pending == dict.fromkeys(pending, "pending") | {"size": "pass"}


def test_documents_are_checked_for_pages_and_a_text_layer() -> None:
    pdf = Facts(content_type="application/pdf", size=1000, page_count=8, scanned=True,
                processed=True)  # fmt: skip
    assert statuses(pdf) == {"size": "pass", "pages": "fail", "text_layer": "fail"}
    good = Facts(content_type="application/pdf", size=1000, page_count=12, scanned=False,
                 processed=True)  # fmt: skip
    assert statuses(good) == {"size": "pass", "pages": "pass", "text_layer": "pass"}


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"min_duration": "abc"}, "最短时长"),
        ({"min_duration": 900, "max_duration": 300}, "下限大于上限"),
        ({"loudness_min": 5}, "响度下限"),
        ({"containers": ["mov"]}, "封装格式"),
        ({"bitrate": 1}, "未知的技术要求"),
        ({"max_size_mb": "nan"}, "文件大小上限"),
        ("mp4", "格式不正确"),
    ],
)
def test_impossible_requirements_are_refused_in_words(raw: object, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_requirements(raw)
    assert fragment in caught.value.message
