"""Re-entries: a work entered again in a later competition is flagged to the admin during formal
review, whether it is the very same file or the same video re-encoded; another video is not."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from flask import Flask

from repo_service.accounts.models import Role
from repo_service.db import utcnow
from repo_service.resources.models import ProcessingStatus, ResourceKind
from tests.factories import Client, competition_settings, create_resource, make_user
from tests.repo_service.test_uploads import upload_all
from tests.transcoder.conftest import wait_processed

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.usefixtures("celery_worker")]

# Moving pictures of their own: the suite's other videos are testsrc2, whose static bars hash
# alike at any length (a known blind spot of a 9x8 difference hash, see transcoder/fingerprint).
SOURCE = "mandelbrot=size=640x360:rate=25"
OTHER = "life=size=640x360:rate=25:mold=10:ratio=0.2:seed=7"


def _make(out: Path, *args: str) -> bytes:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args, str(out)], check=True, timeout=120)
    return out.read_bytes()


def _enter(app: Flask, teacher: Client, base: str, data: bytes, name: str) -> int:
    rid = create_resource(teacher, ResourceKind.VIDEO, title=name)
    done = upload_all(teacher, rid, f"{name}.mp4", data)
    assert done.status_code == 201, done.get_json()
    version = wait_processed(app, done.get_json()["version_id"])
    assert version.processing_status == ProcessingStatus.READY, version.processing_error_en
    assert len((version.media_info or {}).get("fingerprint", [])) == 16
    entered = teacher.post(f"{base}/entries", json={"resource_id": rid, "category": "老年教育"})
    assert entered.status_code == 201, entered.get_json()
    entry_id: int = entered.get_json()["entry"]["id"]
    return entry_id


def test_the_same_file_and_a_re_encoded_copy_are_flagged(app: Flask, tmp_path: Path) -> None:
    now = utcnow()
    admin = Client(app, make_user(app, Role.ADMIN, street="东山"))
    teacher = Client(app, make_user(app, Role.TEACHER, street="禄口"))
    tone = ["-f", "lavfi", "-i", "sine=frequency=330:duration=8"]
    x264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"]
    original = _make(
        tmp_path / "a.mp4", "-f", "lavfi", "-t", "8", "-i", SOURCE, *tone, *x264, "-shortest"
    )
    # Another resolution, frame rate, codec and container: what a teacher's re-export gives.
    reencoded = _make(
        tmp_path / "b.mkv", "-i", str(tmp_path / "a.mp4"), "-vf", "scale=426:240", "-r", "20",
        "-c:v", "mpeg4", "-q:v", "8", "-c:a", "libopus",
    )  # fmt: skip
    other = _make(
        tmp_path / "c.mp4", "-f", "lavfi", "-t", "8", "-i", OTHER, *tone, *x264, "-shortest"
    )

    bases = []
    for year in (now.year - 1, now.year):
        settings = competition_settings(now, year=year, name=f"{year}年微课评比", street_quota=None)
        comp = admin.post("/api/v1/competitions", json=settings).get_json()["competition"]
        base = f"/api/v1/competitions/{comp['id']}"
        assert admin.post(f"{base}/phase", json={"action": "open"}).status_code == 200
        bases.append(base)
    last_year, this_year = bases
    earlier = _enter(app, teacher, last_year, original, "去年的微课")
    earlier_code = admin.get(f"{last_year}/entries/{earlier}").get_json()["entry"]["code"]

    same = _enter(app, teacher, this_year, original, "原样再报")
    copy = _enter(app, teacher, this_year, reencoded, "重新导出再报")
    fresh = _enter(app, teacher, this_year, other, "全新作品")

    listed = admin.get(f"{this_year}/entries").get_json()["entries"]
    flags = {e["id"]: [(r["code"], r["reason"]) for r in e["reentry_of"]] for e in listed}
    assert flags[same] == [(earlier_code, "sha256")]
    assert flags[copy] == [(earlier_code, "fingerprint")]
    assert flags[fresh] == []
    # The formal review page says so in words.
    page = admin.get(f"/competitions/{this_year.rsplit('/', 1)[1]}/review")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert earlier_code in text
    assert "视频内容相同（重新编码）" in text
