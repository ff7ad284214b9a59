"""Account services: the network's organisations and user creation."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from repo_service.accounts.models import (
    DISTRICT_COLLEGE,
    STREETS,
    Organisation,
    OrgKind,
    Role,
    User,
    UserRole,
)
from repo_service.errors import Conflict, InvalidInput, NotFound

MIN_PASSWORD_LENGTH = 8


def ensure_network(session: Session) -> Organisation:
    """Create the district college and the ten street centres if missing; return the district."""
    district = session.scalar(select(Organisation).where(Organisation.kind == OrgKind.DISTRICT))
    if district is None:
        district = Organisation(name=DISTRICT_COLLEGE, kind=OrgKind.DISTRICT)
        session.add(district)
        session.flush()
    existing = set(
        session.scalars(select(Organisation.name).where(Organisation.parent_id == district.id))
    )
    for street in STREETS:
        name = f"{street}街道社区教育中心"
        if name not in existing:
            session.add(Organisation(name=name, kind=OrgKind.STREET, parent_id=district.id))
    session.flush()
    return district


def find_organisation(session: Session, name: str) -> Organisation:
    """Find an organisation by its full name or by its street's short name (东山, 秣陵…)."""
    org = session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None and name in STREETS:
        org = session.scalar(
            select(Organisation).where(Organisation.name == f"{name}街道社区教育中心")
        )
    if org is None:
        raise NotFound(f"找不到机构“{name}”", f"No organisation named {name!r}")
    return org


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    display_name: str,
    organisation: Organisation,
    roles: Iterable[Role],
) -> User:
    username = username.strip()
    if not username or len(username) > 64:
        raise InvalidInput("用户名不能为空且不超过 64 个字符", "Username must be 1–64 characters")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"密码至少 {MIN_PASSWORD_LENGTH} 位",
            f"Password needs at least {MIN_PASSWORD_LENGTH} characters",
        )
    role_set = {Role(r) for r in roles}
    if not role_set:
        raise InvalidInput("至少需要一个角色", "At least one role is required")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"用户名“{username}”已存在", f"Username {username!r} is taken")
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        password_hash=generate_password_hash(password),
        organisation_id=organisation.id,
    )
    user.role_rows = [UserRole(role=r) for r in sorted(role_set)]
    session.add(user)
    session.flush()
    return user


def verify_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)
