"""Demo data: one user per role in the district's real organisations, a few resources, a
micro-course competition taking entries, and a live session."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import subprocess
import tempfile
from pathlib import Path

from celery import Celery
from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_service.accounts.models import Role, User
from repo_service.accounts.services import create_user, ensure_network, find_organisation
from repo_service.db import utcnow
from repo_service.resources.models import Resource, ResourceKind, ResourceStatus
from repo_service.resources.services import ResourceFields, add_version, create_resource
from repo_service.storage import ObjectStorage

DEMO_PASSWORD = "jiangning2026"  # noqa: S105 - printed on purpose for the demo

DEMO_USERS = (
    ("admin", "区社区学院管理员", "江宁区社区学院", (Role.ADMIN,)),
    ("teacher", "王老师", "秣陵", (Role.TEACHER,)),
    ("judge", "李评委", "东山", (Role.JUDGE,)),
    ("resident", "张阿姨", "汤山", (Role.RESIDENT,)),
    ("operator", "演播室操作员", "江宁区社区学院", (Role.OPERATOR,)),
)


DEMO_RESOURCES = (
    # (owner, kind, title, category, audience, summary, status)
    (
        "teacher",
        ResourceKind.VIDEO,
        "智能手机入门：和家人视频通话",
        "老年教育/智能技术",
        "老年人",
        "一步一步教您用手机和子女视频聊天。",
        ResourceStatus.PUBLISHED,
    ),
    (
        "teacher",
        ResourceKind.TEXTBOOK,
        "茶叶种植技术（横溪街道校本教材）",
        "三农培训",
        "农民",
        "从选苗、施肥到采摘，适合茶农的实用教材。",
        ResourceStatus.PUBLISHED,
    ),
    (
        "teacher",
        ResourceKind.READER,
        "老年人防诈骗市民读本",
        "老年教育/智能技术",
        "老年人",
        "识别电话诈骗、保健品骗局的常见套路。",
        ResourceStatus.SUBMITTED,
    ),
)


def demo_pdf(title: str) -> bytes:
    """A one-page PDF (ASCII text: the built-in PDF fonts have no Chinese glyphs)."""
    stream = f"BT /F1 14 Tf 24 100 Td (Zhixue Jiangning demo: {title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 160] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return assemble_pdf(objects)


def assemble_pdf(objects: list[bytes]) -> bytes:
    """A PDF file from its numbered objects (object 1 the catalogue), with a correct xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def demo_video() -> bytes:
    """Five seconds of test picture and tone, made with ffmpeg."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.mp4"
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=640x360:rate=25:duration=5",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:duration=5",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-c:a",
                "aac",
                "-shortest",
                "-movflags",
                "+faststart",
                str(path),
            ],
            check=True,
        )
        return path.read_bytes()


def seed_resources(session: Session, storage: ObjectStorage, celery_app: Celery) -> int:
    """A few resources in the catalogue and one waiting for review (idempotent)."""
    created = 0
    for owner_name, kind, title, category, audience, summary, status in DEMO_RESOURCES:
        if session.scalar(select(Resource.id).where(Resource.title == title)) is not None:
            continue
        owner = session.scalar(select(User).where(User.username == owner_name))
        assert owner is not None
        resource = create_resource(
            session,
            owner,
            ResourceFields(kind, title, summary, category, audience, owner.display_name, ("示范",)),
        )
        body, name, ctype = (
            (demo_video(), f"{title}.mp4", "video/mp4")
            if kind == ResourceKind.VIDEO
            else (demo_pdf("community education reader"), f"{title}.pdf", "application/pdf")
        )
        key = f"demo/{secrets.token_hex(16)}"
        storage.put("originals", key, body, content_type=ctype)
        # The demo's worker transcodes it once this commits.
        add_version(
            session,
            celery_app,
            resource,
            object_key=key,
            filename=name,
            size=len(body),
            content_type=ctype,
            created_by_id=owner.id,
            expected_sha256=hashlib.sha256(body).hexdigest(),
        )
        resource.status = status
        if status == ResourceStatus.PUBLISHED:
            resource.published_at = utcnow()
        created += 1
    session.flush()
    return created


def seed_demo(session: Session) -> list[tuple[str, str, list[str]]]:
    ensure_network(session)
    logins = []
    for username, name, org_name, roles in DEMO_USERS:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            create_user(
                session,
                username=username,
                password=DEMO_PASSWORD,
                display_name=name,
                organisation=find_organisation(session, org_name),
                roles=roles,
            )
        logins.append((username, DEMO_PASSWORD, [r.value for r in roles]))
    return logins


DEMO_COMPETITION = "江宁区社区教育微课评比"


def demo_competition_settings(now: dt.datetime) -> dict[str, object]:
    """The district's yearly micro-course competition as an admin would set it up."""
    return {
        "name": f"{now.year}年{DEMO_COMPETITION}",
        "kind": "micro_course",
        "year": now.year,
        "description": "面向全区社区教育教师，征集老年智能技术、三农培训、青少年校外等主题微课。",
        "categories": ["老年教育/智能技术", "三农培训", "青少年校外", "职业技能"],
        "submission_opens_at": (now - dt.timedelta(days=1)).isoformat(),
        "submission_closes_at": (now + dt.timedelta(days=30)).isoformat(),
        "judging_opens_at": (now + dt.timedelta(days=31)).isoformat(),
        "judging_closes_at": (now + dt.timedelta(days=45)).isoformat(),
        "rounds": [{"name": "初评", "advance": 10}, {"name": "终评", "advance": None}],
        "judges_per_entry": 3,
        "street_quota": 3,
        "award_tiers": [
            {"name": "一等奖", "percent": 10},
            {"name": "二等奖", "percent": 20},
            {"name": "三等奖", "percent": 30},
        ],
        "aggregate": "trimmed",
        "requirements": {
            "containers": ["mp4"],
            "video_codecs": ["h264"],
            "min_width": 1280,
            "min_height": 720,
            "min_duration": 300,
            "max_duration": 900,
            "max_size_mb": 500,
            "loudness_min": -24,
            "loudness_max": -14,
        },
        "criteria": [
            {"name": "选题价值", "max_score": 15, "description": "贴近居民需要，主题明确"},
            {
                "name": "教学设计",
                "max_score": 30,
                "tie_break": 1,
                "description": "目标清楚，环节完整，适合成人学习",
                "levels": [
                    {"label": "优秀", "min": 26, "description": "设计新颖，层次分明"},
                    {"label": "良好", "min": 20, "description": "结构完整"},
                    {"label": "一般", "min": 0, "description": "环节缺失或目标不清"},
                ],
            },
            {"name": "内容科学性", "max_score": 25, "tie_break": 2},
            {"name": "呈现效果", "max_score": 20},
            {"name": "技术规范", "max_score": 10},
        ],
    }


def seed_competition(session: Session, now: dt.datetime) -> str | None:
    """The demo competition taking entries, with the demo judge on its panel and the demo
    teacher's micro-course entered (its technical checks show what to fix). Idempotent."""
    from repo_service.competitions import services
    from repo_service.competitions.models import Competition
    from repo_service.judging.services import add_judge

    name = f"{now.year}年{DEMO_COMPETITION}"
    admin = session.scalar(select(User).where(User.username == "admin"))
    teacher = session.scalar(select(User).where(User.username == "teacher"))
    assert admin is not None
    assert teacher is not None
    seeded = select(Competition.id).where(
        Competition.name == name, Competition.created_by_id == admin.id
    )
    if session.scalar(seeded) is not None:
        return None
    competition = services.create_competition(session, admin, demo_competition_settings(now))
    services.open_submissions(session, admin, competition)
    add_judge(session, admin, competition, {"username": "judge"})
    video = session.scalar(
        select(Resource).where(Resource.owner_id == teacher.id, Resource.kind == ResourceKind.VIDEO)
    )
    if video is not None:
        services.enter(
            session,
            teacher,
            competition,
            {"resource_id": video.id, "category": "老年教育/智能技术"},
            now,
        )
    return name
