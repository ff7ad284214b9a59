"""processing jobs renditions pages

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 18:20:41.630990
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("heading", sa.String(length=300), nullable=True),
        sa.Column("image_key", sa.String(length=250), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["resource_versions.id"],
            name=op.f("fk_document_pages_version_id_resource_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_pages")),
        sa.UniqueConstraint("version_id", "number", name=op.f("uq_document_pages_version_id")),
    )
    with op.batch_alter_table("document_pages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_pages_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "processing_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column(
            "step",
            sa.Enum(
                "probe",
                "ladder",
                "poster",
                "document",
                name="jobstep",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "running",
                "done",
                "failed",
                name="jobstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("percent", sa.Double(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_en", sa.Text(), nullable=True),
        sa.Column("stderr_tail", sa.Text(), nullable=True),
        sa.Column("output_prefix", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["resource_versions.id"],
            name=op.f("fk_processing_jobs_version_id_resource_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processing_jobs")),
        sa.UniqueConstraint("version_id", "step", name=op.f("uq_processing_jobs_version_id")),
    )
    with op.batch_alter_table("processing_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_processing_jobs_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_processing_jobs_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "renditions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("bitrate", sa.Integer(), nullable=False),
        sa.Column("playlist_key", sa.String(length=250), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["resource_versions.id"],
            name=op.f("fk_renditions_version_id_resource_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renditions")),
        sa.UniqueConstraint("version_id", "name", name=op.f("uq_renditions_version_id")),
    )
    with op.batch_alter_table("renditions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_renditions_version_id"), ["version_id"], unique=False)

    with op.batch_alter_table("resource_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("media_info", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("duration", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("master_key", sa.String(length=250), nullable=True))
        batch_op.add_column(sa.Column("poster_key", sa.String(length=250), nullable=True))
        batch_op.add_column(sa.Column("sprite_vtt_key", sa.String(length=250), nullable=True))
        batch_op.add_column(sa.Column("page_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("scanned", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("judge_copy_key", sa.String(length=250), nullable=True))
        batch_op.add_column(sa.Column("processing_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("processing_error_en", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("resource_versions", schema=None) as batch_op:
        batch_op.drop_column("processing_error_en")
        batch_op.drop_column("processing_error")
        batch_op.drop_column("judge_copy_key")
        batch_op.drop_column("scanned")
        batch_op.drop_column("page_count")
        batch_op.drop_column("sprite_vtt_key")
        batch_op.drop_column("poster_key")
        batch_op.drop_column("master_key")
        batch_op.drop_column("duration")
        batch_op.drop_column("media_info")

    with op.batch_alter_table("renditions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_renditions_version_id"))

    op.drop_table("renditions")
    with op.batch_alter_table("processing_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processing_jobs_version_id"))
        batch_op.drop_index(batch_op.f("ix_processing_jobs_status"))

    op.drop_table("processing_jobs")
    with op.batch_alter_table("document_pages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_pages_version_id"))

    op.drop_table("document_pages")
