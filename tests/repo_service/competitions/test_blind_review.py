"""Blind review with real files: names, units and file names planted in a video's metadata, a
PDF's and a DOCX's author fields and the uploads' own names never reach a judge, in any answer,
playlist, segment, poster or document she receives."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import m3u8
import pypdf
import pytest
import requests
from flask import Flask

from repo_service.accounts.models import Role
from repo_service.db import utcnow
from repo_service.resources.models import ProcessingStatus, ResourceKind
from tests.factories import Client, competition_settings, create_resource, make_user
from tests.repo_service.test_uploads import upload_all
from tests.transcoder.conftest import ffprobe, make_docx, wait_processed

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.usefixtures("celery_worker")]

NAME = "蒋冬梅"
UNIT = "湖熟街道社区教育中心"
FILE_WORD = "终稿"


def _markers() -> list[bytes]:
    words = [NAME, UNIT, FILE_WORD, "Jiang Dongmei"]
    out = []
    for word in words:
        out += [word.encode(), word.encode("utf-16-be"), word.encode("utf-16-le")]
    return out


def _clean(data: bytes, where: str) -> None:
    for marker in _markers():
        assert marker not in data, f"{marker!r} reached the judge in {where}"


def _video(tmp_path: Path) -> bytes:
    out = tmp_path / "v.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=6",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=6",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-metadata", f"title={NAME}的微课{FILE_WORD}", "-metadata", f"artist={NAME}",
         "-metadata", f"comment={UNIT} Jiang Dongmei", "-shortest", str(out)],
        check=True, timeout=120,
    )  # fmt: skip
    return out.read_bytes()


def _pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata(
        {
            "/Author": NAME,
            "/Creator": UNIT,
            "/Title": f"{NAME}{FILE_WORD}",
            "/Subject": "Jiang Dongmei",
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload(app: Flask, teacher: Client, data: bytes, name: str, kind: ResourceKind) -> int:
    rid = create_resource(teacher, kind, title="乡村振兴中的社区教育", authors=NAME)
    done = upload_all(teacher, rid, name, data)
    assert done.status_code == 201, done.get_json()
    version = wait_processed(app, done.get_json()["version_id"])
    assert version.processing_status == ProcessingStatus.READY, version.processing_error_en
    return rid


def _follow(judge: Client, url: str) -> bytes:
    """What the judge's browser gets for ``url``: our answer, or the object it redirects to."""
    response = judge.get(url)
    if response.status_code in (302, 303):
        location = response.headers["Location"]
        _clean(location.encode(), f"the redirect of {url}")
        fetched = requests.get(location, timeout=30)
        assert fetched.status_code == 200, location
        _clean(fetched.headers.get("Content-Disposition", "").encode(), f"{url} headers")
        return fetched.content
    assert response.status_code == 200, (url, response.status_code)
    return response.data


def test_no_author_trace_reaches_a_judge(app: Flask, tmp_path: Path) -> None:
    now = utcnow()
    admin = Client(app, make_user(app, Role.ADMIN, street="东山"))
    teacher_user = make_user(app, Role.TEACHER, street="湖熟", display_name=NAME)
    teacher = Client(app, teacher_user)
    judge = Client(app, make_user(app, Role.JUDGE, street="汤山", display_name="评委丙"))

    video = _upload(
        app, teacher, _video(tmp_path), f"{NAME}-微课{FILE_WORD}.mp4", ResourceKind.VIDEO
    )
    book = _upload(app, teacher, _pdf(), f"{NAME}-教材{FILE_WORD}.pdf", ResourceKind.TEXTBOOK)
    statement = _upload(
        app,
        teacher,
        make_docx([(None, "教学设计说明")], creator=NAME),
        f"{NAME}-教学设计{FILE_WORD}.docx",
        ResourceKind.COURSEWARE,
    )

    settings = competition_settings(now, kind="brand", name="品牌项目评选", street_quota=None)
    comp = admin.post("/api/v1/competitions", json=settings).get_json()["competition"]
    base = f"/api/v1/competitions/{comp['id']}"
    assert admin.post(f"{base}/phase", json={"action": "open"}).status_code == 200
    for rid in (video, book):
        entered = teacher.post(
            f"{base}/entries",
            json={
                "resource_id": rid,
                "category": "老年教育",
                "statement_resource_id": statement,
                "members": [{"name": "Jiang Dongmei", "organisation": UNIT}],
            },
        )
        assert entered.status_code == 201, entered.get_json()
    past = (now - dt.timedelta(minutes=1)).isoformat()
    admin.patch(base, json={"submission_closes_at": past, "judging_opens_at": past})
    assert admin.post(f"{base}/phase", json={"action": "review"}).status_code == 200
    for e in admin.get(f"{base}/entries").get_json()["entries"]:
        admin.post(f"{base}/entries/{e['id']}/review", json={"passed": True})
    admin.post(f"{base}/judges", json={"username": judge.user.username})  # type: ignore[union-attr]
    assert admin.post(f"{base}/assignments").get_json()["added"] == 2
    assert admin.post(f"{base}/phase", json={"action": "judging"}).status_code == 200

    desk = judge.get("/api/v1/judging/assignments")
    _clean(desk.data, "the desk JSON")
    assignments = desk.get_json()["assignments"]
    assert {a["media"]["kind"] for a in assignments} == {"video", "document"}
    seen = 0
    for a in assignments:
        one = judge.get(f"/api/v1/judging/assignments/{a['id']}")
        _clean(one.data, "the assignment JSON")
        media: dict[str, Any] = a["media"]
        statement_copy = _follow(judge, media["statement"])
        _clean(statement_copy, "the design statement")
        with zipfile.ZipFile(io.BytesIO(statement_copy)) as z:
            for name in z.namelist():
                _clean(z.read(name), f"statement part {name}")
        if media["kind"] == "document":
            copy = _follow(judge, media["document"])
            _clean(copy, "the document")
            meta = pypdf.PdfReader(io.BytesIO(copy)).metadata or {}
            assert NAME not in " ".join(str(v) for v in meta.values())
            continue
        _clean(_follow(judge, media["poster"]), "the poster")
        master = judge.get(media["hls"])
        _clean(master.data, "the master playlist")
        for playlist in m3u8.loads(master.get_data(as_text=True)).playlists:
            variant = judge.get(urljoin(media["hls"], playlist.uri))
            _clean(variant.data, "a variant playlist")
            for segment in m3u8.loads(variant.get_data(as_text=True)).segments:
                body = requests.get(segment.uri, timeout=30).content
                _clean(body, "a segment")
                seen += 1
        (tmp_path / "seg.ts").write_bytes(body)
        tags = ffprobe(tmp_path / "seg.ts").get("format", {}).get("tags", {})
        assert NAME not in str(tags)
    assert seen >= 2
