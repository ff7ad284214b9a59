"""Inputs made by ffmpeg and by hand for the transcoder tests (nothing large is committed)."""

from __future__ import annotations

import io
import re
import shlex
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from repo_service.demo import assemble_pdf
from repo_service.resources.models import ProcessingStatus, Resource, ResourceKind, ResourceVersion
from repo_service.resources.services import add_version
from tests.factories import Client, create_resource
from tests.repo_service.test_uploads import upload_all

# name -> ffmpeg arguments ({src} is a test picture, {tone} a 4 s sine, {out} the file).
RECIPES = {
    # With an author's name in its metadata, which no output may carry.
    "landscape.mp4": "{src:1920x1080:30:4} {tone} {x264} -c:a aac -metadata title=王老师的微课 "
    "-metadata artist=王老师 -shortest {out}",
    # Stored 1920x1080 with rotation metadata, shown as 1080x1920 (a phone held upright).
    "portrait-stored.mp4": "{src:1920x1080:30:4} {tone} {x264} -c:a aac -shortest {out}",
    "portrait.mp4": "-i {dir}/portrait-stored.mp4 -c copy -metadata:s:v:0 rotate=90 {out}",
    # Variable frame rate: frames dropped irregularly, timestamps kept.
    "vfr.mkv": "{src:1280x720:30:4} {tone} -vf select='not(mod(n\\,3))+lt(t\\,1)' -fps_mode vfr "
    "{x264} -c:a aac -shortest {out}",
    "noaudio.mp4": "{src:854x480:25:4} {x264} {out}",
    "audioonly.m4a": "{tone} -c:a aac {out}",
    "lesson.wmv": "{src:640x480:25:4} {tone} -c:v wmv2 -c:a wmav2 -shortest {out}",
    "lesson.flv": "{src:640x360:25:4} {tone} -c:v flv1 -c:a mp3 -ar 44100 -shortest {out}",
    "hevc.mp4": "{src:1280x720:25:4} {tone} -c:v libx265 -preset ultrafast -tag:v hvc1 -c:a aac "
    "-shortest {out}",
    "uhd.mp4": "{src:3840x2160:25:2} {x264} {out}",
    # For the fingerprint: re-encodes of one video (smaller, another codec, container and rate)...
    "landscape-360p.webm": "-i {dir}/landscape.mp4 -vf scale=640:360 -c:v libvpx-vp9 -crf 45 "
    "-b:v 0 -deadline realtime -cpu-used 8 -c:a libopus {out}",
    "landscape-480p.avi": "-i {dir}/landscape.mp4 -vf scale=854:480 -r 25 -c:v mpeg4 -q:v 12 "
    "-c:a mp3 {out}",
    "mandelbrot.mp4": "-f lavfi -i mandelbrot=size=640x360:rate=25 -t 4 {x264} {out}",
    "mandelbrot-240p.mkv": "-i {dir}/mandelbrot.mp4 -vf scale=426:240 -r 15 -c:v libx264 "
    "-preset veryfast -b:v 150k {out}",
    # ... and other videos: the same zoom cut longer, other patterns, blank pictures.
    "mandelbrot-6s.mp4": "-f lavfi -i mandelbrot=size=640x360:rate=25 -t 6 {x264} {out}",
    "testsrc.mp4": "-f lavfi -i testsrc=size=640x360:rate=25:duration=4 {x264} {out}",
    "life.mp4": "-f lavfi -i life=size=320x240:rate=25:mold=10:ratio=0.1:seed=7 -t 4 {x264} {out}",
    "smptebars.mp4": "-f lavfi -i smptebars=size=640x360:rate=25 -t 4 {x264} {out}",
    "navy.mp4": "-f lavfi -i color=c=navy:size=640x360:rate=25 -t 4 {x264} {out}",
    "black.mp4": "-f lavfi -i color=c=black:size=640x360:rate=25 -t 4 {x264} {out}",
    "testsrc2-6s.mp4": "{src:640x360:25:6} {x264} {out}",
    # The picture ends a second before the sound: the last samples have no frame.
    "short-picture.mp4": "{src:320x240:25:3} {tone} {x264} -c:a aac {out}",
}


def _expand(recipe: str, directory: Path, out: Path) -> list[str]:
    def source(match: re.Match[str]) -> str:
        size, rate, duration = match.group(1).split(":")
        return f"-f lavfi -i testsrc2=size={size}:rate={rate}:duration={duration}"

    text = re.sub(r"\{src:([^}]+)\}", source, recipe)
    text = text.format(
        tone="-f lavfi -i sine=frequency=500:duration=4",
        x264="-c:v libx264 -preset ultrafast -pix_fmt yuv420p",
        dir=directory,
        out=out,
    )
    return shlex.split(text)


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("transcoder-inputs")
    files = {}
    for name, recipe in RECIPES.items():
        files[name] = directory / name
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", *_expand(recipe, directory, files[name])],
            check=True,
            timeout=300,
        )
    whole = files["landscape.mp4"].read_bytes()
    files["truncated.mp4"] = directory / "truncated.mp4"
    files["truncated.mp4"].write_bytes(whole[: len(whole) // 2])  # the moov atom at the end is gone
    return files


def make_docx(paragraphs: list[tuple[str | None, str]], creator: str = "张老师") -> bytes:
    body = "".join(
        "<w:p>"
        + (f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else "")
        + f"<w:r><w:t>{text}</w:t></w:r></w:p>"
        for style, text in paragraphs
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{creator}</dc:creator></cp:coreProperties>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document)
        z.writestr("docProps/core.xml", core)
    return out.getvalue()


def make_docx_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "word/document.xml", b"<w:document>" + b" " * (300 * 1024 * 1024) + b"</w:document>"
        )
    return out.getvalue()


def make_docx_entities() -> bytes:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", laughs)
    return out.getvalue()


def scanned_pdf(jpeg: bytes, width: int, height: int) -> bytes:
    """A PDF whose only page is an image: no text layer, as a scanner makes it."""
    content = f"q {width} 0 0 {height} 0 0 cm /Im0 Do Q".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
        b"/Resources << /XObject << /Im0 5 0 R >> >> >>" % (width, height),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
        % (width, height, len(jpeg))
        + jpeg
        + b"\nendstream",
    ]
    return assemble_pdf(objects)


def wait_processed(app: Flask, version_id: int, timeout: float = 180) -> ResourceVersion:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.extensions["db"].session() as session:
            version = session.get(ResourceVersion, version_id)
            assert version is not None
            if version.processing_status in {ProcessingStatus.READY, ProcessingStatus.FAILED}:
                session.expunge(version)
                return version
        time.sleep(0.5)
    raise AssertionError(f"version {version_id} was not processed within {timeout} s")


def upload_and_process(
    app: Flask, client: Client, data: bytes, name: str, kind: ResourceKind = ResourceKind.VIDEO
) -> tuple[int, ResourceVersion]:
    rid = create_resource(client, kind, title=name)
    done = upload_all(client, rid, name, data)
    assert done.status_code == 201, done.get_json()
    return rid, wait_processed(app, done.get_json()["version_id"])


def media_keys(app: Flask, version_id: int) -> list[str]:
    storage = app.extensions["storage"]
    return [
        o.object_name
        for o in storage.client.list_objects(
            storage.bucket("media"), prefix=f"v/{version_id}/", recursive=True
        )
    ]


def ffprobe(path: Path | str, *extra: str) -> dict[str, Any]:
    import json

    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            *extra,
            "-show_format",
            "-show_streams",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def stored_version(app: Flask, teacher: Client, data: bytes, name: str = "long.mp4") -> int:
    """A version whose original is in the store, with no processing queued yet."""
    assert teacher.user is not None
    key = f"t/resilience-{time.monotonic_ns()}"
    app.extensions["storage"].put("originals", key, data, content_type="video/mp4")
    with app.extensions["db"].session() as session:
        resource = Resource(
            kind=ResourceKind.VIDEO,
            title="韧性测试",
            summary="",
            category="职业技能",
            audience="社区居民",
            organisation_id=teacher.user.organisation_id,
            owner_id=teacher.user.id,
        )
        session.add(resource)
        session.flush()
        version = add_version(
            session,
            app.extensions["celery"],
            resource,
            object_key=key,
            filename=name,
            size=len(data),
            content_type="video/mp4",
            created_by_id=teacher.user.id,
            process=False,
        )
        return version.id
