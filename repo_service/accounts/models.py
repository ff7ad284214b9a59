"""Organisations, users and roles."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_service.db import Base, str_enum, utcnow


class OrgKind(enum.StrEnum):
    DISTRICT = "district"  # 区社区学院
    STREET = "street"  # 街道社区教育中心
    SCHOOL = "school"  # 社区（村）居民学校


class Role(enum.StrEnum):
    ADMIN = "admin"
    TEACHER = "teacher"
    JUDGE = "judge"
    RESIDENT = "resident"
    OPERATOR = "operator"


ROLE_LABELS = {
    Role.ADMIN: ("管理员", "Administrator"),
    Role.TEACHER: ("教师", "Teacher"),
    Role.JUDGE: ("评委", "Judge"),
    Role.RESIDENT: ("居民", "Resident"),
    Role.OPERATOR: ("演播室操作员", "Studio operator"),
}

DISTRICT_COLLEGE = "江宁区社区学院"
STREETS = ("东山", "秣陵", "汤山", "淳化", "禄口", "江宁", "谷里", "湖熟", "横溪", "麒麟")


class Organisation(Base):
    __tablename__ = "organisations"
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        CheckConstraint("(kind = 'district') = (parent_id IS NULL)", name="district_is_root"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[OrgKind] = mapped_column(str_enum(OrgKind, 16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    parent: Mapped[Organisation | None] = relationship(remote_side=[id])


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Real-name learners (居民): mobile number, community and birth year (elderly statistics).
    mobile: Mapped[str | None] = mapped_column(String(11), unique=True)
    community: Mapped[str | None] = mapped_column(String(100))
    birth_year: Mapped[int | None]
    # 从业人员 (in work): the denominator of the continuing-education target.
    employed: Mapped[bool | None]
    # Bumped on password change or "sign out everywhere": older session cookies stop working.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")

    organisation: Mapped[Organisation] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


class ApiToken(Base):
    """A personal token for scripts and the studio agent; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists to tell tokens apart
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(
        str_enum(Role, 16),
        primary_key=True,
    )


class PasswordReset(Base):
    """A one-time link an administrator hands to a user who forgot the password; only the
    SHA-256 of its secret is stored, and it works once, within its time."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
