"""Upload sessions and the chunks that have arrived."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_service.db import Base, str_enum, utcnow
from repo_service.resources.models import ResourceKind


class UploadStatus(enum.StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    ABORTED = "aborted"
    EXPIRED = "expired"


class UploadSession(Base):
    __tablename__ = "upload_sessions"
    __table_args__ = (
        # One active upload per (user, checksum): picking the same file again resumes it.
        Index(
            "uq_upload_sessions_active_checksum",
            "user_id",
            "declared_sha256",
            unique=True,
            sqlite_where=text("status = 'open' AND declared_sha256 IS NOT NULL"),
            postgresql_where=text("status = 'open' AND declared_sha256 IS NOT NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, unguessable
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind, 24))
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    chunk_size: Mapped[int]
    declared_sha256: Mapped[str | None] = mapped_column(String(64))
    object_key: Mapped[str] = mapped_column(String(200), unique=True)
    s3_upload_id: Mapped[str] = mapped_column(String(200))
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id"))
    status: Mapped[UploadStatus] = mapped_column(
        str_enum(UploadStatus, 16),
        default=UploadStatus.OPEN,
        index=True,
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("resource_versions.id"))

    chunks: Mapped[list[UploadChunk]] = relationship(
        cascade="all, delete-orphan", order_by="UploadChunk.index", lazy="selectin"
    )

    @property
    def total_chunks(self) -> int:
        return max(1, -(-self.size // self.chunk_size))

    def chunk_length(self, index: int) -> int:
        if index < self.total_chunks - 1:
            return self.chunk_size
        return self.size - self.chunk_size * (self.total_chunks - 1)


class UploadChunk(Base):
    __tablename__ = "upload_chunks"
    __table_args__ = (UniqueConstraint("upload_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[str] = mapped_column(
        ForeignKey("upload_sessions.id", ondelete="CASCADE"), index=True
    )
    index: Mapped[int]
    size: Mapped[int]
    etag: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
