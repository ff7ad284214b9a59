"""categories and audiences become tables admins extend, seeded with the former constants

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 05:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The values as the code held them until this revision, plus the audiences the residents'
# portal asked for. Written out here, not imported: a migration must not change with the code.
CATEGORIES = (
    ("老年教育/智能技术", "Elderly education / smart devices"),
    ("职业技能", "Vocational skills"),
    ("三农培训", "Rural training"),
    ("青少年校外", "Youth out-of-school"),
    ("家庭教育", "Family education"),
    ("党史学习", "Party history"),
    ("文化艺术", "Culture and arts"),
    ("健康养生", "Health"),
)
AUDIENCES = (
    ("老年人", "Elderly learners"),
    ("农民", "Farmers"),
    ("青少年", "Young people"),
    ("家长", "Parents"),
    ("社区居民", "All residents"),
    ("社区教育教师", "Community-education teachers"),
    ("从业人员", "Employed people"),
    ("党员", "Party members"),
)


def _create(name: str, rows: tuple[tuple[str, str], ...]) -> None:
    table = op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.String(length=50), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("name_zh", name=op.f(f"uq_{name}_name_zh")),
    )
    op.bulk_insert(
        table,
        [
            {"name_zh": zh, "name_en": en, "position": i, "is_active": True}
            for i, (zh, en) in enumerate(rows, start=1)
        ],
    )


def upgrade() -> None:
    _create("categories", CATEGORIES)
    _create("audiences", AUDIENCES)


def downgrade() -> None:
    op.drop_table("audiences")
    op.drop_table("categories")
