"""Job ledger, renditions and document pages.

The transcoder writes these; the web shows them. One job row per (version, step) carries the
step's status, percent done, attempts, task id, times and the tail of ffmpeg's stderr.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from repo_service.db import Base, str_enum, utcnow


class JobStep(enum.StrEnum):
    VERIFY = "verify"  # the stored original is the file the uploader sent (SHA-256)
    PROBE = "probe"  # inspect and validate the original
    LADDER = "ladder"  # one ffmpeg run: HLS renditions, audio-only, sprite, loudness
    POSTER = "poster"  # a poster frame away from black frames
    DOCUMENT = "document"  # text per page, page images, judge copy


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # permanent: bad media, or transient retries exhausted
    SKIPPED = "skipped"  # not run because an earlier step failed for good


JOB_STATUS_LABELS = {
    JobStatus.QUEUED: ("排队中", "Queued"),
    JobStatus.RUNNING: ("处理中", "Running"),
    JobStatus.DONE: ("完成", "Done"),
    JobStatus.FAILED: ("失败", "Failed"),
    JobStatus.SKIPPED: ("已跳过", "Skipped"),
}

STEP_LABELS = {
    JobStep.VERIFY: ("校验文件", "Verify"),
    JobStep.PROBE: ("检查文件", "Inspect"),
    JobStep.LADDER: ("转码", "Transcode"),
    JobStep.POSTER: ("封面", "Poster"),
    JobStep.DOCUMENT: ("文档处理", "Document"),
}


class ProcessingJob(Base):
    __tablename__ = "processing_jobs"
    __table_args__ = (UniqueConstraint("version_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("resource_versions.id"), index=True)
    step: Mapped[JobStep] = mapped_column(str_enum(JobStep, 16))
    status: Mapped[JobStatus] = mapped_column(
        str_enum(JobStatus, 16), default=JobStatus.QUEUED, index=True
    )
    percent: Mapped[float] = mapped_column(default=0.0)
    attempts: Mapped[int] = mapped_column(default=0)
    task_id: Mapped[str | None] = mapped_column(String(64))
    queued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    heartbeat_at: Mapped[dt.datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    error_en: Mapped[str | None] = mapped_column(Text)
    stderr_tail: Mapped[str | None] = mapped_column(Text)
    output_prefix: Mapped[str | None] = mapped_column(String(200))


class Rendition(Base):
    __tablename__ = "renditions"
    __table_args__ = (UniqueConstraint("version_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("resource_versions.id"), index=True)
    name: Mapped[str] = mapped_column(String(20))  # "360p", "720p", "audio"
    width: Mapped[int | None]
    height: Mapped[int | None]
    bitrate: Mapped[int]  # bits per second, video + audio
    playlist_key: Mapped[str] = mapped_column(String(250))


class DocumentPage(Base):
    __tablename__ = "document_pages"
    __table_args__ = (UniqueConstraint("version_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("resource_versions.id"), index=True)
    number: Mapped[int]  # 1-based page (PDF) or section (DOCX)
    text: Mapped[str] = mapped_column(Text, default="")
    heading: Mapped[str | None] = mapped_column(String(300))
    image_key: Mapped[str | None] = mapped_column(String(250))


def media_summary(info: dict[str, Any] | None) -> str:
    if not info:
        return ""
    parts = [f"{info.get('display_width')}×{info.get('display_height')}"]
    if info.get("duration"):
        parts.append(f"{float(info['duration']):.0f} s")
    return " · ".join(parts)
