"""What admins add to search: dictionary words (applied at the next reindex) and synonym groups
(applied at once); and the marks of resources whose documents are behind."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from repo_service.db import Base, utcnow


class SearchWord(Base):
    __tablename__ = "search_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(30), unique=True)
    freq: Mapped[int | None]  # None: let jieba pick a frequency that keeps the word whole
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DirtyResource(Base):
    """A resource whose search documents are behind the database.

    Written by the on-commit hook (``search.signals``) in the very transaction that changed the
    resource, so the mark is as durable as the change; deleted by ``search.apply_dirty`` once
    the documents are written, only if no newer change marked it again meanwhile
    (``generation`` grows with every mark).
    """

    __tablename__ = "search_dirty"

    resource_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(default=1)
    marked_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class SearchSynonym(Base):
    """A group of words that stand for each other in queries, added by an admin (the shipped
    groups live in ``search/synonyms.txt``)."""

    __tablename__ = "search_synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[str] = mapped_column(String(400))  # the words, comma-separated, as entered
    key: Mapped[str] = mapped_column(String(400), unique=True)  # the words sorted
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
