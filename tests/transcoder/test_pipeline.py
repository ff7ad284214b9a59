"""Real worker, ffmpeg and object store: valid inputs play, bad ones fail clearly."""

from __future__ import annotations

import statistics
import subprocess
from pathlib import Path

import m3u8
import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import select

from repo_service.accounts.models import Role
from repo_service.processing.models import DocumentPage, JobStatus, ProcessingJob, Rendition
from repo_service.resources.models import ProcessingStatus, ResourceKind
from tests.factories import Client, make_user
from tests.transcoder.conftest import (
    ffprobe,
    make_docx,
    make_docx_bomb,
    make_docx_entities,
    media_keys,
    scanned_pdf,
    upload_and_process,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.usefixtures("celery_worker")]


@pytest.fixture(scope="module")
def teacher(app: Flask) -> Client:
    return Client(app, make_user(app, Role.TEACHER))


def download_rendition(app: Flask, playlist_key: str, dest: Path) -> Path:
    storage = app.extensions["storage"]
    base = playlist_key.rsplit("/", 1)[0]
    dest.mkdir(parents=True, exist_ok=True)
    for obj in storage.client.list_objects(
        storage.bucket("media"), prefix=base + "/", recursive=True
    ):
        name = obj.object_name.rsplit("/", 1)[1]
        storage.download("media", obj.object_name, str(dest / name))
    return dest / "index.m3u8"


def mean_luma(image: Path) -> float:
    raw = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(image),
            "-vf",
            "scale=32:18,format=gray",
            "-f",
            "rawvideo",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return statistics.fmean(raw)


VALID = {
    # input: (display width, display height, has audio)
    "landscape.mp4": (1920, 1080, True),
    "portrait.mp4": (1080, 1920, True),
    "vfr.mkv": (1280, 720, True),
    "noaudio.mp4": (854, 480, False),
    "lesson.wmv": (640, 480, True),
    "lesson.flv": (640, 360, True),
    "hevc.mp4": (1280, 720, True),
    "uhd.mp4": (3840, 2160, False),
}


@pytest.mark.parametrize("name", sorted(VALID))
def test_every_valid_video_becomes_a_playable_ladder(
    app: Flask, teacher: Client, inputs: dict[str, Path], tmp_path: Path, name: str
) -> None:
    width, height, has_audio = VALID[name]
    rid, version = upload_and_process(app, teacher, inputs[name].read_bytes(), name)
    assert version.processing_status == ProcessingStatus.READY, version.processing_error_en
    assert version.media_info is not None
    assert (version.media_info["display_width"], version.media_info["display_height"]) == (
        width,
        height,
    )
    storage = app.extensions["storage"]
    master = m3u8.loads(storage.get_bytes("media", version.master_key).decode())
    assert master.is_variant
    with app.extensions["db"].session() as session:
        renditions = session.scalars(
            select(Rendition).where(Rendition.version_id == version.id)
        ).all()
        jobs = session.scalars(
            select(ProcessingJob).where(ProcessingJob.version_id == version.id)
        ).all()
    assert {j.status for j in jobs} == {JobStatus.DONE}
    assert all(j.percent == 100 for j in jobs)
    video = [r for r in renditions if r.name != "audio"]
    assert video, "at least one video rung"
    assert ("audio" in {r.name for r in renditions}) == has_audio
    assert len(master.playlists) == len(renditions)
    for rendition in video:
        assert rendition.width is not None
        assert rendition.height is not None
        assert rendition.width <= width
        assert rendition.height <= height
        assert (rendition.height > rendition.width) == (height > width)  # orientation kept
        local = download_rendition(app, rendition.playlist_key, tmp_path / rendition.name)
        probe = ffprobe(local, "-protocol_whitelist", "file", "-allowed_extensions", "ALL")
        stream = next(s for s in probe["streams"] if s["codec_type"] == "video")
        assert (stream["width"], stream["height"]) == (rendition.width, rendition.height)
        assert abs(float(probe["format"]["duration"]) - version.duration) < 1.0  # type: ignore[operator]
        assert ("audio" in {s["codec_type"] for s in probe["streams"]}) == has_audio
        assert "王老师" not in str(probe)  # no metadata from the original
    poster = tmp_path / "poster.jpg"
    storage.download("media", version.poster_key, str(poster))
    assert mean_luma(poster) > 28  # not a black frame
    card = tmp_path / "card.jpg"  # the small one course cards show
    card_key = version.media_info["card_key"]  # type: ignore[index]
    storage.download("media", card_key, str(card))
    own = card_key == version.poster_key  # a poster as small as a card is its own card
    if width >= 960:  # half the width or less: a card of its own, always smaller
        assert not own
    with Image.open(card) as small, Image.open(poster) as big:
        assert small.width <= 480 or own
        assert own or small.width < big.width
    assert own or card.stat().st_size < poster.stat().st_size
    for size, file in (("", "/poster.jpg?"), ("?size=card", "/" + card_key.rsplit("/", 1)[1])):
        answer = teacher.get(f"/resources/{rid}/poster{size}")
        assert answer.status_code == 302
        assert file in answer.headers["Location"]
    vtt = storage.get_bytes("media", version.sprite_vtt_key).decode()
    assert vtt.startswith("WEBVTT")
    assert "#xywh=" in vtt


def test_portrait_rotation_is_applied(app: Flask, teacher: Client, inputs: dict[str, Path]) -> None:
    _rid, version = upload_and_process(
        app, teacher, inputs["portrait.mp4"].read_bytes(), "竖屏.mp4"
    )
    with app.extensions["db"].session() as session:
        names = {
            r.name: (r.width, r.height)
            for r in session.scalars(select(Rendition).where(Rendition.version_id == version.id))
        }
    assert names["720p"] == (720, 1280)
    assert version.media_info is not None
    assert version.media_info["rotation"] in {90, 270}


@pytest.mark.parametrize(
    ("name", "fragment"),
    [("truncated.mp4", "无法识别"), ("audioonly.m4a", "没有视频")],
)
def test_bad_media_fails_with_a_stored_error_and_no_output(
    app: Flask, teacher: Client, inputs: dict[str, Path], name: str, fragment: str
) -> None:
    data = inputs[name].read_bytes()
    upload_name = name.replace(".m4a", ".mp4")
    _rid, version = upload_and_process(app, teacher, data, upload_name)
    assert version.processing_status == ProcessingStatus.FAILED
    assert version.processing_error is not None
    assert fragment in version.processing_error
    assert version.processing_error_en
    with app.extensions["db"].session() as session:
        probe_job = session.scalar(
            select(ProcessingJob).where(
                ProcessingJob.version_id == version.id, ProcessingJob.step == "probe"
            )
        )
    assert probe_job is not None
    assert probe_job.status == JobStatus.FAILED
    assert probe_job.attempts == 1  # permanent: not retried
    assert media_keys(app, version.id) == []


def test_a_playlist_disguised_as_mp4_is_refused_and_reads_no_other_file(
    app: Flask, teacher: Client, tmp_path: Path
) -> None:
    from repo_service.processing.services import queue_processing
    from repo_service.resources.models import ResourceVersion
    from tests.transcoder.conftest import stored_version, wait_processed

    secret = tmp_path / "secret.ts"
    marker = b"ZX-SECRET-" + b"7" * 64
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x240:duration=1",
            "-c:v",
            "libx264",
            "-metadata",
            f"title={marker.decode()}",
            "-f",
            "mpegts",
            str(secret),
        ],
        check=True,
    )
    playlist = f"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n{secret}\n#EXT-X-ENDLIST\n".encode()
    storage = app.extensions["storage"]
    version_id = stored_version(app, teacher, playlist, name="lesson.mp4")
    with app.extensions["db"].session() as session:
        version = session.get(ResourceVersion, version_id)
        assert version is not None
        queue_processing(session, app.extensions["celery"], version)
    result = wait_processed(app, version_id)
    assert result.processing_status == ProcessingStatus.FAILED
    assert result.processing_error is not None
    assert "播放列表" in result.processing_error
    for key in media_keys(app, version_id):
        assert marker not in storage.get_bytes("media", key)
    assert media_keys(app, version_id) == []


def test_pdf_text_per_page_images_and_judge_copy(
    app: Flask, teacher: Client, media: dict[str, Path]
) -> None:
    _rid, version = upload_and_process(
        app, teacher, media["pdf"].read_bytes(), "教材.pdf", ResourceKind.TEXTBOOK
    )
    assert version.processing_status == ProcessingStatus.READY, version.processing_error_en
    assert version.page_count == 1
    assert version.scanned is False
    with app.extensions["db"].session() as session:
        pages = session.scalars(
            select(DocumentPage).where(DocumentPage.version_id == version.id)
        ).all()
    assert "Jiangning community textbook" in pages[0].text
    storage = app.extensions["storage"]
    assert storage.get_bytes("media", pages[0].image_key)[:3] == b"\xff\xd8\xff"  # a JPEG
    copy = storage.get_bytes("media", version.judge_copy_key)
    assert copy.startswith(b"%PDF")


def test_scanned_pdf_is_flagged_not_failed(app: Flask, teacher: Client, tmp_path: Path) -> None:
    jpeg = tmp_path / "scan.jpg"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=400x300",
            "-frames:v",
            "1",
            str(jpeg),
        ],
        check=True,
    )
    data = scanned_pdf(jpeg.read_bytes(), 400, 300)
    _rid, version = upload_and_process(app, teacher, data, "扫描件.pdf", ResourceKind.TEXTBOOK)
    assert version.processing_status == ProcessingStatus.READY, version.processing_error_en
    assert version.scanned is True
    assert version.page_count == 1


def test_docx_sections_by_heading_and_judge_copy_without_author(
    app: Flask, teacher: Client
) -> None:
    import io
    import zipfile

    data = make_docx(
        [
            ("Heading1", "第一章 茶叶种植"),
            (None, "选苗要点。"),
            ("Heading1", "第二章 采摘"),
            (None, "清明前后采摘。"),
        ]
    )
    _rid, version = upload_and_process(app, teacher, data, "读本.docx", ResourceKind.READER)
    assert version.processing_status == ProcessingStatus.READY, version.processing_error_en
    with app.extensions["db"].session() as session:
        pages = session.scalars(
            select(DocumentPage)
            .where(DocumentPage.version_id == version.id)
            .order_by(DocumentPage.number)
        ).all()
    assert [p.heading for p in pages] == ["第一章 茶叶种植", "第二章 采摘"]
    assert "清明前后采摘" in pages[1].text
    copy = app.extensions["storage"].get_bytes("media", version.judge_copy_key)
    with zipfile.ZipFile(io.BytesIO(copy)) as z:
        assert "张老师" not in z.read("docProps/core.xml").decode()


@pytest.mark.parametrize(
    ("maker", "fragment"), [(make_docx_bomb, "压缩炸弹"), (make_docx_entities, "实体")]
)
def test_hostile_docx_is_refused_before_inflating(
    app: Flask, teacher: Client, maker: object, fragment: str
) -> None:
    data = maker()  # type: ignore[operator]
    _rid, version = upload_and_process(app, teacher, data, "恶意.docx", ResourceKind.READER)
    assert version.processing_status == ProcessingStatus.FAILED
    assert version.processing_error is not None
    assert fragment in version.processing_error


def test_admin_lists_failed_jobs_and_retries_them(
    app: Flask, teacher: Client, inputs: dict[str, Path]
) -> None:
    _rid, version = upload_and_process(
        app, teacher, inputs["truncated.mp4"].read_bytes(), "坏文件.mp4"
    )
    admin = Client(app, make_user(app, Role.ADMIN))
    listed = admin.get("/api/v1/jobs?status=failed").get_json()["jobs"]
    mine = [j for j in listed if j["version_id"] == version.id]
    assert mine
    assert mine[0]["error"]
    assert mine[0]["stderr_tail"] is not None
    assert teacher.post(f"/api/v1/versions/{version.id}/retry", json={}).status_code == 403
    assert admin.post(f"/api/v1/versions/{version.id}/retry", json={}).status_code == 202
    from tests.transcoder.conftest import wait_processed

    again = wait_processed(app, version.id)
    assert again.processing_status == ProcessingStatus.FAILED
    with app.extensions["db"].session() as session:
        probe_job = session.scalar(
            select(ProcessingJob).where(
                ProcessingJob.version_id == version.id, ProcessingJob.step == "probe"
            )
        )
        assert probe_job is not None
        assert probe_job.attempts == 2
    page = admin.get("/admin/jobs?status=failed").get_data(as_text=True)
    assert "无法识别" in page
    bad_filter = admin.get("/api/v1/jobs?status=exploded")
    assert bad_filter.status_code == 400
