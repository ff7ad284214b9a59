"""Categories and audiences as rows admins extend, instead of constants in code.

Resources and live sessions store the Chinese name itself (a string, not a key), so a name
never changes once given; a term that is no longer wanted is deactivated, not deleted: old
records keep a valid value, forms stop offering it.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from repo_service.db import Base

NAME_ZH_MAX = 50  # the width of resources.category / resources.audience
NAME_EN_MAX = 100


class Term(Base):
    """The columns both lists share (each list is a table of its own)."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(NAME_ZH_MAX), unique=True)
    name_en: Mapped[str] = mapped_column(String(NAME_EN_MAX))
    position: Mapped[int]  # forms list terms by position, then id
    is_active: Mapped[bool] = mapped_column(default=True)


class Category(Term):
    __tablename__ = "categories"


class Audience(Term):
    __tablename__ = "audiences"
