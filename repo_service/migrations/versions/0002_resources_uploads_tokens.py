"""resources uploads tokens

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 17:56:37.110608
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "video",
                "courseware",
                "textbook",
                "reader",
                name="resourcekind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=50), nullable=False),
        sa.Column("audience", sa.String(length=50), nullable=False),
        sa.Column("authors", sa.String(length=300), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "published",
                "returned",
                name="resourcestatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_resources_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_resources_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resources")),
    )
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resources_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_resources_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_resources_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_resources_status"), ["status"], unique=False)

    op.create_table(
        "resource_tags",
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_tags_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resource_id", "tag", name=op.f("pk_resource_tags")),
    )
    with op.batch_alter_table("resource_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resource_tags_tag"), ["tag"], unique=False)

    op.create_table(
        "resource_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("object_key", sa.String(length=200), nullable=False),
        sa.Column("original_filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "processing_status",
            sa.Enum(
                "uploaded",
                "processing",
                "ready",
                "failed",
                name="processingstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("processing_queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_resource_versions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_versions_resource_id_resources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_versions")),
        sa.UniqueConstraint("object_key", name=op.f("uq_resource_versions_object_key")),
        sa.UniqueConstraint("resource_id", "number", name=op.f("uq_resource_versions_resource_id")),
    )
    with op.batch_alter_table("resource_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resource_versions_resource_id"), ["resource_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_resource_versions_sha256"), ["sha256"], unique=False)

    op.create_table(
        "upload_sessions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "video",
                "courseware",
                "textbook",
                "reader",
                name="resourcekind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("chunk_size", sa.Integer(), nullable=False),
        sa.Column("declared_sha256", sa.String(length=64), nullable=True),
        sa.Column("object_key", sa.String(length=200), nullable=False),
        sa.Column("s3_upload_id", sa.String(length=200), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "completed",
                "aborted",
                "expired",
                name="uploadstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["resource_id"], ["resources.id"], name=op.f("fk_upload_sessions_resource_id_resources")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_upload_sessions_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["resource_versions.id"],
            name=op.f("fk_upload_sessions_version_id_resource_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload_sessions")),
        sa.UniqueConstraint("object_key", name=op.f("uq_upload_sessions_object_key")),
    )
    with op.batch_alter_table("upload_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_upload_sessions_last_activity_at"), ["last_activity_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_upload_sessions_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_upload_sessions_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_upload_sessions_active_checksum",
            ["user_id", "declared_sha256"],
            unique=True,
            sqlite_where=sa.text("status = 'open' AND declared_sha256 IS NOT NULL"),
            postgresql_where=sa.text("status = 'open' AND declared_sha256 IS NOT NULL"),
        )

    op.create_table(
        "upload_chunks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.String(length=32), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("etag", sa.String(length=100), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["upload_sessions.id"],
            name=op.f("fk_upload_chunks_upload_id_upload_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload_chunks")),
        sa.UniqueConstraint("upload_id", "index", name=op.f("uq_upload_chunks_upload_id")),
    )
    with op.batch_alter_table("upload_chunks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_upload_chunks_upload_id"), ["upload_id"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mobile", sa.String(length=11), nullable=True))
        batch_op.add_column(sa.Column("community", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("birth_year", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.create_unique_constraint(batch_op.f("uq_users_mobile"), ["mobile"])


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_mobile"), type_="unique")
        batch_op.drop_column("session_epoch")
        batch_op.drop_column("birth_year")
        batch_op.drop_column("community")
        batch_op.drop_column("mobile")

    with op.batch_alter_table("upload_chunks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_upload_chunks_upload_id"))

    op.drop_table("upload_chunks")
    with op.batch_alter_table("upload_sessions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_upload_sessions_active_checksum",
            sqlite_where=sa.text("status = 'open' AND declared_sha256 IS NOT NULL"),
            postgresql_where=sa.text("status = 'open' AND declared_sha256 IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_upload_sessions_user_id"))
        batch_op.drop_index(batch_op.f("ix_upload_sessions_status"))
        batch_op.drop_index(batch_op.f("ix_upload_sessions_last_activity_at"))

    op.drop_table("upload_sessions")
    with op.batch_alter_table("resource_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_versions_sha256"))
        batch_op.drop_index(batch_op.f("ix_resource_versions_resource_id"))

    op.drop_table("resource_versions")
    with op.batch_alter_table("resource_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_tags_tag"))

    op.drop_table("resource_tags")
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resources_status"))
        batch_op.drop_index(batch_op.f("ix_resources_owner_id"))
        batch_op.drop_index(batch_op.f("ix_resources_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_resources_deleted_at"))

    op.drop_table("resources")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
