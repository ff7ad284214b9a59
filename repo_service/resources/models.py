"""Resources, their versions and tags."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_service.accounts.models import Organisation, User
from repo_service.db import Base, str_enum, utcnow


class ResourceKind(enum.StrEnum):
    VIDEO = "video"  # 微课视频
    COURSEWARE = "courseware"  # 课件
    TEXTBOOK = "textbook"  # 校本教材
    READER = "reader"  # 市民读本


KIND_LABELS = {
    ResourceKind.VIDEO: ("微课视频", "Micro-course video"),
    ResourceKind.COURSEWARE: ("课件", "Courseware"),
    ResourceKind.TEXTBOOK: ("校本教材", "School-based textbook"),
    ResourceKind.READER: ("市民读本", "Citizen reader"),
}

AWARDS = ("一等奖", "二等奖", "三等奖", "优秀奖")


class ResourceStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for review
    PUBLISHED = "published"
    RETURNED = "returned"  # sent back to the owner with a reason


STATUS_LABELS = {
    ResourceStatus.DRAFT: ("草稿", "Draft"),
    ResourceStatus.SUBMITTED: ("待审核", "Submitted for review"),
    ResourceStatus.PUBLISHED: ("已发布", "Published"),
    ResourceStatus.RETURNED: ("已退回", "Returned"),
}


class ProcessingStatus(enum.StrEnum):
    UPLOADED = "uploaded"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


PROCESSING_LABELS = {
    ProcessingStatus.UPLOADED: ("已上传，等待处理", "Uploaded, waiting to be processed"),
    ProcessingStatus.PROCESSING: ("处理中", "Processing"),
    ProcessingStatus.READY: ("处理完成", "Ready"),
    ProcessingStatus.FAILED: ("处理失败", "Processing failed"),
}


class Resource(Base):
    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(50))
    audience: Mapped[str] = mapped_column(String(50))
    authors: Mapped[str] = mapped_column(String(300), default="")  # comma-separated names
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[ResourceStatus] = mapped_column(
        str_enum(ResourceStatus), default=ResourceStatus.DRAFT, index=True
    )
    return_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[dt.datetime | None]
    deleted_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    view_count: Mapped[int] = mapped_column(default=0, server_default="0")
    award: Mapped[str | None] = mapped_column(String(20))
    # Chapters of a course: [{"t": seconds, "title": …}] in time order.
    chapters: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default="[]"
    )  # 一等奖… when a competition awarded it

    organisation: Mapped[Organisation] = relationship()
    owner: Mapped[User] = relationship()
    tag_rows: Mapped[list[ResourceTag]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ResourceTag.tag"
    )
    versions: Mapped[list[ResourceVersion]] = relationship(
        back_populates="resource", order_by="ResourceVersion.number", lazy="selectin"
    )

    @property
    def tags(self) -> list[str]:
        return [t.tag for t in self.tag_rows]

    @property
    def current_version(self) -> ResourceVersion | None:
        return self.versions[-1] if self.versions else None


class ResourceTag(Base):
    __tablename__ = "resource_tags"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class ResourceVersion(Base):
    __tablename__ = "resource_versions"
    __table_args__ = (UniqueConstraint("resource_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"), index=True)
    number: Mapped[int]
    object_key: Mapped[str] = mapped_column(String(200), unique=True)
    original_filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(100))
    # What the uploader declared, and what the worker's first step measured from the stored
    # object (None until then); a mismatch fails the version and removes the object.
    expected_sha256: Mapped[str | None] = mapped_column(String(64))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    processing_status: Mapped[ProcessingStatus] = mapped_column(
        str_enum(ProcessingStatus), default=ProcessingStatus.UPLOADED
    )
    processing_queued_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Set when the resource is deleted; the sweep removes the object and then sets purged_at.
    purged_at: Mapped[dt.datetime | None]
    # What processing found and made (filled in by the transcoder).
    media_info: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    duration: Mapped[float | None]
    master_key: Mapped[str | None] = mapped_column(String(250))
    poster_key: Mapped[str | None] = mapped_column(String(250))
    sprite_vtt_key: Mapped[str | None] = mapped_column(String(250))
    page_count: Mapped[int | None]
    scanned: Mapped[bool | None]  # a PDF without a text layer
    judge_copy_key: Mapped[str | None] = mapped_column(String(250))
    processing_error: Mapped[str | None] = mapped_column(Text)
    processing_error_en: Mapped[str | None] = mapped_column(Text)

    resource: Mapped[Resource] = relationship(back_populates="versions")
