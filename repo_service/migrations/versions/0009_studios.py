"""studios, operators, audit log; live sessions gain a studio, a window, a kind and a replay

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 04:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "studios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("obs_host", sa.String(length=255), nullable=False),
        sa.Column("obs_port", sa.Integer(), nullable=False),
        sa.Column("obs_password_enc", sa.Text(), nullable=False),
        sa.Column("rtmp_url", sa.String(length=255), nullable=False),
        sa.Column("scene_lecture", sa.String(length=100), nullable=False),
        sa.Column("scene_pip", sa.String(length=100), nullable=False),
        sa.Column("scene_slides", sa.String(length=100), nullable=False),
        sa.Column("scene_meeting", sa.String(length=100), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("booking_seq", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_studios_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studios")),
        sa.UniqueConstraint("name", name=op.f("uq_studios_name")),
    )
    op.create_index(op.f("ix_studios_organisation_id"), "studios", ["organisation_id"])
    op.create_table(
        "studio_operators",
        sa.Column("studio_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["studio_id"],
            ["studios.id"],
            name=op.f("fk_studio_operators_studio_id_studios"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_studio_operators_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("studio_id", "user_id", name=op.f("pk_studio_operators")),
    )
    op.create_index(op.f("ix_studio_operators_user_id"), "studio_operators", ["user_id"])
    op.create_table(
        "studio_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("studio_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("elapsed_ms", sa.Double(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["studio_id"],
            ["studios.id"],
            name=op.f("fk_studio_actions_studio_id_studios"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_studio_actions_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studio_actions")),
    )
    op.create_index(op.f("ix_studio_actions_studio_id"), "studio_actions", ["studio_id"])
    op.create_index(op.f("ix_studio_actions_created_at"), "studio_actions", ["created_at"])
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.alter_column(
            "status",
            existing_type=sa.Enum(
                "scheduled", "live", "ended", name="livestatus", native_enum=False, length=16
            ),
            type_=sa.Enum(
                "scheduled",
                "live",
                "ended",
                "cancelled",
                name="livestatus",
                native_enum=False,
                length=16,
            ),
            existing_nullable=False,
        )
        batch_op.add_column(sa.Column("scheduled_end", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("studio_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum(
                    "live",
                    "recorded",
                    "meeting",
                    name="sessionkind",
                    native_enum=False,
                    length=16,
                ),
                server_default="live",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("teacher", sa.String(length=100), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("category", sa.String(length=50), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("audience", sa.String(length=50), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("scene", sa.String(length=20), server_default="lecture", nullable=False)
        )
        batch_op.add_column(sa.Column("record", sa.Boolean(), server_default="1", nullable=False))
        batch_op.add_column(
            sa.Column(
                "replay_status",
                sa.Enum(
                    "none",
                    "waiting",
                    "ingesting",
                    "ready",
                    "failed",
                    name="replaystatus",
                    native_enum=False,
                    length=16,
                ),
                server_default="none",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("replay_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("recording_path", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("replay_resource_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_live_sessions_studio_id"), ["studio_id"])
        batch_op.create_unique_constraint(
            batch_op.f("uq_live_sessions_recording_path"), ["recording_path"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_live_sessions_studio_id_studios"), "studios", ["studio_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_live_sessions_replay_resource_id_resources"),
            "resources",
            ["replay_resource_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_live_sessions_replay_resource_id_resources"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_live_sessions_studio_id_studios"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_live_sessions_recording_path"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_live_sessions_studio_id"))
        for column in (
            "replay_resource_id",
            "recording_path",
            "replay_error",
            "replay_status",
            "record",
            "scene",
            "audience",
            "category",
            "teacher",
            "kind",
            "studio_id",
            "scheduled_end",
        ):
            batch_op.drop_column(column)
    op.drop_index(op.f("ix_studio_actions_created_at"), table_name="studio_actions")
    op.drop_index(op.f("ix_studio_actions_studio_id"), table_name="studio_actions")
    op.drop_table("studio_actions")
    op.drop_index(op.f("ix_studio_operators_user_id"), table_name="studio_operators")
    op.drop_table("studio_operators")
    op.drop_index(op.f("ix_studios_organisation_id"), table_name="studios")
    op.drop_table("studios")
