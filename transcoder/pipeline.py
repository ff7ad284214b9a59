"""Processing of one resource version, step by step, with a job row per step.

Each step is idempotent: its outputs go under a prefix fixed by its job row and are overwritten
on a re-run, and the rows it writes are replaced, so running a step twice gives the same result.
A step that finished is skipped when the task runs again (a redelivery after a worker died).
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from flask import Flask
from minio.error import S3Error
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from repo_service.db import utcnow
from repo_service.processing.models import (
    DocumentPage,
    JobStatus,
    JobStep,
    ProcessingJob,
    Rendition,
)
from repo_service.resources.models import ProcessingStatus, ResourceVersion
from repo_service.storage import MISSING_OBJECT, ObjectStorage
from transcoder import documents, encode, fingerprint, office, poster
from transcoder.errors import BadMedia, ProcessingError
from transcoder.ladder import plan_ladder, plan_sprite, sprite_vtt
from transcoder.probe import MediaInfo, loudness_from_stderr, probe

log = logging.getLogger(__name__)

VIDEO_STEPS = (JobStep.VERIFY, JobStep.PROBE, JobStep.LADDER, JobStep.POSTER)
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# PPTX, PPT and DOC become PDF through LibreOffice and then take the PDF path.
DOCUMENT_TYPES = {PDF, DOCX, *office.OFFICE_TYPES}
HEARTBEAT_SECONDS = 2.0
READ_PIECE = 4 * 1024 * 1024


def steps_for(content_type: str) -> tuple[JobStep, ...]:
    """Every version is verified first: the worker reads the original anyway, so the SHA-256
    is measured here rather than by a second full read in the web process."""
    if content_type.startswith("video/"):
        return VIDEO_STEPS
    if content_type in DOCUMENT_TYPES:
        return (JobStep.VERIFY, JobStep.DOCUMENT)
    return (JobStep.VERIFY,)


def ensure_jobs(
    session: Session, version: ResourceVersion, task_id: str | None
) -> list[ProcessingJob]:
    jobs = []
    for step in steps_for(version.content_type):
        job = session.scalar(
            select(ProcessingJob).where(
                ProcessingJob.version_id == version.id, ProcessingJob.step == step
            )
        )
        if job is None:
            job = ProcessingJob(
                version_id=version.id, step=step, output_prefix=f"v/{version.id}/{step.value}"
            )
            session.add(job)
        if task_id:
            job.task_id = task_id
        jobs.append(job)
    session.flush()
    return jobs


class Processor:
    """Runs the steps of one version inside a private temporary directory."""

    def __init__(self, app: Flask, version_id: int, task_id: str | None) -> None:
        self.app = app
        self.db = app.extensions["db"]
        self.storage: ObjectStorage = app.extensions["storage"]
        self.version_id = version_id
        self.task_id = task_id
        self.timeout_factor = float(app.config.get("TRANSCODE_TIMEOUT_FACTOR", 20))

    def run(self) -> str:
        with self.db.session() as session:
            version = session.get(ResourceVersion, self.version_id)
            if version is None:
                return "missing"
            if version.resource.deleted_at is not None or version.purged_at is not None:
                return "deleted"  # nothing to show it to; its files are being removed
            if version.processing_status == ProcessingStatus.FAILED:
                return "failed"  # final until someone retries it (which resets the status)
            jobs = ensure_jobs(session, version, self.task_id)
            if all(j.status == JobStatus.DONE for j in jobs):
                version.processing_status = ProcessingStatus.READY
                return "already done"
            version.processing_status = ProcessingStatus.PROCESSING
            version.processing_error = version.processing_error_en = None
            object_key, content_type = version.object_key, version.content_type
            steps = [j.step for j in jobs]
        with tempfile.TemporaryDirectory(prefix=f"zx-v{self.version_id}-") as tmp:
            work = Path(tmp)
            original = work / "original"
            self._download(object_key, original, steps)
            state: dict[str, Any] = {}
            for step in steps:
                if self._done(step):
                    continue
                body = partial(self._step, step, original, work, content_type, state)
                self._run_step(step, body)
        with self.db.session() as session:
            # The index hears of it from the commit (page text and duration are known now).
            self._version(session).processing_status = ProcessingStatus.READY
        return "ready"

    def _download(self, key: str, dest: Path, steps: list[JobStep]) -> None:
        """Fetch the original; one that is gone (its resource deleted and purged) is a
        permanent failure, recorded on the first step, never a reason to retry."""
        try:
            self.storage.download("originals", key, str(dest))
        except S3Error as exc:
            if exc.code not in MISSING_OBJECT | {"NoSuchBucket"}:
                raise
            gone = BadMedia(
                "原始文件已不存在（资源可能已被删除），无法处理；请重新上传",
                "The original file no longer exists (was the resource deleted?); upload it again",
            )
            first = next((step for step in steps if not self._done(step)), steps[0])
            self._fail(first, gone, permanent=True)
            raise gone from exc

    # --- bookkeeping ------------------------------------------------------------------------

    def _job(self, session: Session, step: JobStep) -> ProcessingJob:
        job = session.scalar(
            select(ProcessingJob).where(
                ProcessingJob.version_id == self.version_id, ProcessingJob.step == step
            )
        )
        assert job is not None
        return job

    def _version(self, session: Session) -> ResourceVersion:
        version = session.get(ResourceVersion, self.version_id)
        assert version is not None  # versions are never deleted, only their files
        return version

    def _done(self, step: JobStep) -> bool:
        with self.db.session() as session:
            return self._job(session, step).status == JobStatus.DONE

    def progress(self, step: JobStep) -> Callable[[float], None]:
        def report(percent: float) -> None:
            with self.db.session() as session:
                job = self._job(session, step)
                job.percent = round(percent, 1)
                job.heartbeat_at = utcnow()

        return report

    def _run_step(self, step: JobStep, body: Callable[[], None]) -> None:
        with self.db.session() as session:
            job = self._job(session, step)
            job.status = JobStatus.RUNNING
            job.attempts += 1
            job.started_at = job.heartbeat_at = utcnow()
            job.finished_at = None
            job.percent = 0.0
            job.error = job.error_en = job.stderr_tail = None
        try:
            body()
        except BadMedia as exc:
            self._fail(step, exc, permanent=True)
            raise
        except ProcessingError as exc:
            self._fail(step, exc, permanent=False)
            raise
        except Exception:
            with self.db.session() as session:
                job = self._job(session, step)
                job.status = JobStatus.QUEUED  # transient: the task retries
            raise
        with self.db.session() as session:
            job = self._job(session, step)
            job.status = JobStatus.DONE
            job.percent = 100.0
            job.finished_at = utcnow()

    def _fail(self, step: JobStep, exc: ProcessingError, *, permanent: bool) -> None:
        prefix = None
        with self.db.session() as session:
            job = self._job(session, step)
            job.status = JobStatus.FAILED if permanent else JobStatus.QUEUED
            job.error, job.error_en = exc.message, exc.message_en
            job.stderr_tail = (exc.stderr_tail or "")[-4000:] or None
            job.finished_at = utcnow()
            if permanent:
                version = self._version(session)
                version.processing_status = ProcessingStatus.FAILED
                version.processing_error, version.processing_error_en = exc.message, exc.message_en
                prefix = job.output_prefix
                # The steps after a final failure will not run: say so, rather than "queued".
                for later in session.scalars(
                    select(ProcessingJob).where(
                        ProcessingJob.version_id == self.version_id,
                        ProcessingJob.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)),
                        ProcessingJob.id != job.id,
                    )
                ):
                    later.status = JobStatus.SKIPPED
                    later.finished_at = utcnow()
        if permanent and prefix:
            self.storage.delete_prefix("media", prefix + "/")

    # --- the steps ----------------------------------------------------------------------------

    def _step(
        self, step: JobStep, original: Path, work: Path, content_type: str, state: dict[str, Any]
    ) -> None:
        if step == JobStep.VERIFY:
            self._verify(original)
        elif step == JobStep.PROBE:
            self._probe(original, state)
        elif step == JobStep.LADDER:
            self._ladder(original, work, state)
        elif step == JobStep.POSTER:
            self._poster(original, work, state)
        elif step == JobStep.DOCUMENT:
            self._document(original, work, content_type)

    def _verify(self, original: Path) -> None:
        digest = hashlib.sha256()
        with original.open("rb") as f:
            while piece := f.read(READ_PIECE):
                digest.update(piece)
        sha256 = digest.hexdigest()
        with self.db.session() as session:
            version = self._version(session)
            expected, key = version.expected_sha256, version.object_key
            if not expected or expected == sha256:
                version.sha256 = sha256
                return
        # The stored bytes are not the file the teacher has: nothing of it is kept.
        self.storage.delete("originals", key)
        raise BadMedia(
            f"文件校验失败：服务器收到的文件与您的文件不一致（SHA-256 {sha256[:12]}…，"
            f"应为 {expected[:12]}…），文件可能在传输中损坏，请重新上传",
            f"Checksum mismatch: the stored file is not the one you sent (SHA-256 "
            f"{sha256[:12]}…, expected {expected[:12]}…); it was removed, upload it again",
        )

    def _info(self, original: Path, state: dict[str, Any]) -> MediaInfo:
        if "info" not in state:
            state["info"] = probe(original)
        info: MediaInfo = state["info"]
        return info

    def _probe(self, original: Path, state: dict[str, Any]) -> None:
        info = self._info(original, state)
        with self.db.session() as session:
            version = self._version(session)
            version.media_info = info.as_dict()
            version.duration = info.duration

    def _ladder(self, original: Path, work: Path, state: dict[str, Any]) -> None:
        info = self._info(original, state)
        out = work / "ladder"
        out.mkdir()
        rungs = plan_ladder(info.display_width, info.display_height)
        sprite = plan_sprite(info.duration, info.display_width, info.display_height)
        args = encode.ladder_args(original, out, info, rungs, sprite)
        timeout = max(600.0, info.duration * self.timeout_factor)
        stderr = encode.run(args, info.duration, self.progress(JobStep.LADDER), timeout=timeout)
        loudness = loudness_from_stderr(stderr) if info.has_audio else None
        prefix = f"v/{self.version_id}/{JobStep.LADDER.value}"
        (out / "sprites.vtt").write_text(sprite_vtt(sprite, info.duration, "sprite_%03d.jpg"))
        master = out / "master.m3u8"
        files = sorted(p for p in out.rglob("*") if p.is_file() and p != master)
        self.storage.delete_prefix("media", prefix + "/")
        for path in files:  # segments and variant playlists first ...
            self._upload(path, f"{prefix}/{path.relative_to(out).as_posix()}")
        self._upload(master, f"{prefix}/master.m3u8")  # ... the master last: then it is complete
        bandwidths = _bandwidths(master.read_text())
        with self.db.session() as session:
            version = self._version(session)
            session.execute(delete(Rendition).where(Rendition.version_id == self.version_id))
            for rung in rungs:
                session.add(
                    Rendition(
                        version_id=self.version_id,
                        name=rung.name,
                        width=rung.width,
                        height=rung.height,
                        bitrate=bandwidths.get(f"v{rung.name}/index.m3u8", rung.video_kbps * 1000),
                        playlist_key=f"{prefix}/v{rung.name}/index.m3u8",
                    )
                )
            if info.has_audio:
                session.add(
                    Rendition(
                        version_id=self.version_id,
                        name="audio",
                        width=None,
                        height=None,
                        bitrate=bandwidths.get("vaudio/index.m3u8", 64000),
                        playlist_key=f"{prefix}/vaudio/index.m3u8",
                    )
                )
            version.master_key = f"{prefix}/master.m3u8"
            version.sprite_vtt_key = f"{prefix}/sprites.vtt"
            media_info = dict(version.media_info or info.as_dict())
            media_info["loudness_lufs"] = loudness
            version.media_info = media_info

    def _poster(self, original: Path, work: Path, state: dict[str, Any]) -> None:
        info = self._info(original, state)
        dest = work / "poster.jpg"
        poster.make_poster(original, dest, info)
        key = f"v/{self.version_id}/{JobStep.POSTER.value}/poster.jpg"
        self._upload(dest, key)
        card_key = key  # a poster already as small as a card is its own card
        if min(poster.POSTER_WIDTH, info.display_width) > poster.CARD_WIDTH:
            card = work / "card.jpg"
            poster.make_card(dest, card)
            if card.stat().st_size < dest.stat().st_size:  # a flat picture may not shrink
                card_key = f"v/{self.version_id}/{JobStep.POSTER.value}/card.jpg"
                self._upload(card, card_key)
        # For the competitions' re-entry check; a video it cannot sample still plays.
        try:
            prints: list[str] | None = fingerprint.to_hex(fingerprint.fingerprint(original, info))
        except fingerprint.FingerprintError as exc:
            log.warning("version %s: no fingerprint: %s", self.version_id, exc)
            prints = None
        with self.db.session() as session:
            version = self._version(session)
            version.poster_key = key
            media_info = dict(version.media_info or info.as_dict())
            media_info["card_key"] = card_key
            if prints is None:
                media_info.pop("fingerprint", None)
            else:
                media_info["fingerprint"] = prints
            version.media_info = media_info

    def _document(self, original: Path, work: Path, content_type: str) -> None:
        if content_type == PDF:
            result = documents.process_pdf(original, work)
        elif content_type == DOCX:
            result = documents.process_docx(original)
        else:
            # Half-way once LibreOffice is done; the heartbeat shows the step is alive.
            report = self.progress(JobStep.DOCUMENT)
            result = documents.process_office(
                original, content_type, work, on_converted=lambda: report(50.0)
            )
        # The judge copy of a converted file is its PDF, without the author's metadata.
        judge_type = DOCX if content_type == DOCX else PDF
        suffix = "docx" if judge_type == DOCX else "pdf"
        prefix = f"v/{self.version_id}/{JobStep.DOCUMENT.value}"
        self.storage.delete_prefix("media", prefix + "/")
        keys = {}
        for page in result.pages:
            if page.image is not None:
                keys[page.number] = f"{prefix}/page-{page.number:04d}.jpg"
                self._upload(page.image, keys[page.number])
        judge_key = f"{prefix}/judge-copy.{suffix}"
        self.storage.put("media", judge_key, result.judge_copy, content_type=judge_type)
        with self.db.session() as session:
            version = self._version(session)
            session.execute(delete(DocumentPage).where(DocumentPage.version_id == self.version_id))
            for page in result.pages:
                session.add(
                    DocumentPage(
                        version_id=self.version_id,
                        number=page.number,
                        text=page.text,
                        heading=page.heading,
                        image_key=keys.get(page.number),
                    )
                )
            version.page_count = len(result.pages)
            version.scanned = result.scanned
            version.judge_copy_key = judge_key

    def _upload(self, path: Path, key: str) -> None:
        ctype = (
            {
                ".m3u8": "application/vnd.apple.mpegurl",
                ".ts": "video/mp2t",
                ".vtt": "text/vtt",
            }.get(path.suffix)
            or mimetypes.guess_type(path.name)[0]
            or "application/octet-stream"
        )
        self.storage.put_file("media", key, str(path), content_type=ctype)


def _bandwidths(master: str) -> dict[str, int]:
    found: dict[str, int] = {}
    bandwidth = None
    for line in master.splitlines():
        if line.startswith("#EXT-X-STREAM-INF:"):
            for part in line.split(":", 1)[1].split(","):
                if part.startswith("BANDWIDTH="):
                    bandwidth = int(part.split("=", 1)[1])
        elif line and not line.startswith("#") and bandwidth is not None:
            found[line.strip()] = bandwidth
            bandwidth = None
    return found
