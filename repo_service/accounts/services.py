"""Account services: the network's organisations and user creation."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
import zipfile
from collections.abc import Iterable
from typing import IO, Any

import openpyxl
from sqlalchemy import Select, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from repo_service.accounts.forms import Registration, parse_employed
from repo_service.accounts.models import (
    DISTRICT_COLLEGE,
    ROLE_LABELS,
    STREETS,
    Organisation,
    OrgKind,
    PasswordReset,
    Role,
    User,
    UserRole,
)
from repo_service.db import aware, utcnow
from repo_service.errors import Conflict, DomainError, InvalidInput, NotFound, TooLarge

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


def hash_secret(secret: str) -> str:
    """What is stored of a bearer secret (API token, reset link): its SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()


def verify_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def register_resident(session: Session, form: Registration) -> User:
    """A resident signs up with a real name; the mobile number is the login name."""
    if session.scalar(select(User.id).where(User.mobile == form.mobile)) is not None:
        raise Conflict(
            "该手机号码已注册，请直接登录",
            "This mobile number is already registered; sign in instead",
        )
    ensure_network(session)
    user = create_user(
        session,
        username=form.mobile,
        password=form.password,
        display_name=form.real_name,
        organisation=find_organisation(session, form.street),
        roles=[Role.RESIDENT],
    )
    user.mobile = form.mobile
    user.community = form.community
    user.birth_year = form.birth_year
    user.employed = form.employed
    session.flush()
    return user


STAFF_ROLES = frozenset({Role.ADMIN, Role.TEACHER, Role.JUDGE, Role.OPERATOR})

ROLE_NAMES = {label: role for role, (label, _en) in ROLE_LABELS.items()} | {
    r.value: r for r in Role
}


def parse_roles(values: Iterable[str]) -> set[Role]:
    roles = set()
    for raw in values:
        for part in str(raw).replace("，", ",").replace("、", ",").split(","):
            name = part.strip()
            if not name:
                continue
            if name not in ROLE_NAMES:
                raise InvalidInput(f"未知角色“{name}”", f"Unknown role {name!r}")
            roles.add(ROLE_NAMES[name])
    return roles


def create_staff_user(session: Session, data: dict[str, Any], roles: Iterable[str]) -> User:
    role_set = parse_roles(roles)
    if not role_set:
        raise InvalidInput("请至少选择一个角色", "Choose at least one role")
    ensure_network(session)
    return create_user(
        session,
        username=str(data.get("username", "")),
        password=str(data.get("password", "")),
        display_name=str(data.get("display_name", "")),
        organisation=find_organisation(session, str(data.get("organisation", DISTRICT_COLLEGE))),
        roles=role_set,
    )


XLSX_MAX_BYTES = 5 * 1024 * 1024
XLSX_MAX_UNPACKED = 50 * 1024 * 1024
XLSX_MAX_ROWS = 2000
XLSX_COLUMNS = {
    "用户名": "username",
    "username": "username",
    "姓名": "display_name",
    "name": "display_name",
    "密码": "password",
    "password": "password",
    "机构": "organisation",
    "organisation": "organisation",
    "角色": "roles",
    "roles": "roles",
}


def import_users_xlsx(session: Session, stream: IO[bytes]) -> int:
    """Create every user of the sheet, or none: a bad row stops the import with its row number.

    Columns (Chinese or English headers): 用户名, 姓名, 密码, 机构, 角色 (e.g. "教师,评委").
    """
    data = stream.read(XLSX_MAX_BYTES + 1)
    if len(data) > XLSX_MAX_BYTES:
        raise TooLarge("表格文件不能超过 5 MB", "The sheet must be at most 5 MB")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > XLSX_MAX_UNPACKED:
                raise TooLarge("表格解压后过大", "The sheet is too large once unpacked")
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput(
            "无法读取该文件，请上传 .xlsx 表格", "Cannot read the file; upload an .xlsx sheet"
        ) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [XLSX_COLUMNS.get(str(c).strip().lower() if c else "", "") for c in next(rows, ())]
    if not {"username", "password", "roles"} <= set(header):
        raise InvalidInput(
            "表头须包含：用户名、密码、角色（可选：姓名、机构）",
            "The header row needs username, password and roles (optional: name, organisation)",
        )
    created = 0
    for number, row in enumerate(rows, start=2):
        if number - 1 > XLSX_MAX_ROWS:
            raise TooLarge(
                f"一次最多导入 {XLSX_MAX_ROWS} 行", f"At most {XLSX_MAX_ROWS} rows per import"
            )
        record = {
            key: ("" if value is None else str(value).strip())
            for key, value in zip(header, row, strict=False)
            if key
        }
        if not any(record.values()):
            continue
        try:
            create_staff_user(session, record, [record.get("roles", "")])
        except DomainError as exc:
            raise type(exc)(
                f"第 {number} 行：{exc.message}", f"Row {number}: {exc.message_en}"
            ) from exc
        created += 1
    workbook.close()
    return created


# --- managing accounts ------------------------------------------------------------------------

RESET_HOURS = 72
MAX_NAME = 100


def _check_new_password(password: Any) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"新密码至少 {MIN_PASSWORD_LENGTH} 位",
            f"The new password needs at least {MIN_PASSWORD_LENGTH} characters",
        )
    if len(password) > 200:
        raise InvalidInput("新密码不能超过 200 个字符", "The new password is longer than 200")
    return password


def _set_password(user: User, password: str) -> None:
    user.password_hash = generate_password_hash(password)
    user.session_epoch += 1  # every other signed-in browser is signed out


def change_password(user: User, current: Any, new: Any) -> None:
    """The owner changes her password; her other sessions end (this one is renewed)."""
    if not isinstance(current, str) or not verify_password(user, current):
        raise InvalidInput("当前密码不正确", "The current password is wrong")
    new = _check_new_password(new)
    if verify_password(user, new):
        raise InvalidInput("新密码不能与当前密码相同", "The new password is the current one")
    _set_password(user, new)


def update_profile(user: User, data: dict[str, Any]) -> None:
    """What a user may change of herself: the name shown, and a resident's community and
    birth year (the mobile number is her login name and stays)."""
    if "display_name" in data:
        name = str(data["display_name"] or "").strip()
        if not name or len(name) > MAX_NAME:
            raise InvalidInput("姓名不能为空且不超过 100 个字符", "Name must be 1–100 characters")
        user.display_name = name
    if user.has_role(Role.RESIDENT):
        if "community" in data:
            community = str(data["community"] or "").strip()
            if len(community) > MAX_NAME:
                raise InvalidInput("社区名称不超过 100 个字符", "Community is at most 100 chars")
            user.community = community or None
        if "birth_year" in data:
            user.birth_year = _birth_year(data["birth_year"])
        if "employed" in data:
            user.employed = parse_employed(data)


def _birth_year(raw: Any) -> int | None:
    if raw in (None, ""):
        return None
    try:
        year = int(str(raw).strip())
    except ValueError:
        raise InvalidInput("出生年份必须是四位数字", "Birth year must be a 4-digit year") from None
    if not 1900 <= year <= utcnow().year:
        raise InvalidInput(
            f"出生年份应在 1900–{utcnow().year} 之间", f"Birth year must be 1900–{utcnow().year}"
        )
    return year


def user_query(text: str = "", role: Role | None = None) -> Select[User]:
    """Users whose login name, name or mobile contains ``text``, newest first."""
    query = select(User).order_by(User.id.desc())
    text = text.strip()
    if text:
        like = f"%{text.replace('%', '').replace('_', '')}%"
        query = query.where(
            User.username.ilike(like) | User.display_name.ilike(like) | User.mobile.ilike(like)
        )
    if role is not None:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    return query


def administer_user(session: Session, admin: User, user: User, data: dict[str, Any]) -> None:
    """An administrator edits a user: name, organisation, roles, enabled or disabled.

    Disabling ends the user's sessions and API tokens at once. An administrator cannot disable
    herself or take away her own administrator role (the district would be locked out)."""
    if "display_name" in data:
        update_profile(user, {"display_name": data["display_name"]})
    if "organisation" in data:
        user.organisation_id = find_organisation(session, str(data["organisation"])).id
    if "roles" in data:
        raw = data["roles"]
        roles = parse_roles(raw if isinstance(raw, list) else [raw])
        if not roles:
            raise InvalidInput("请至少选择一个角色", "Choose at least one role")
        if user.id == admin.id and Role.ADMIN not in roles:
            raise Conflict("不能取消自己的管理员角色", "You cannot remove your own admin role")
        if roles != user.roles:
            user.role_rows = [UserRole(role=r) for r in sorted(roles)]
    if "active" in data:
        active = data["active"]
        if not isinstance(active, bool):
            active = str(active).lower() in {"1", "true", "on", "yes"}
        if not active and user.id == admin.id:
            raise Conflict("不能停用自己的账号", "You cannot disable your own account")
        if user.is_active and not active:
            user.session_epoch += 1
        user.is_active = active
    session.flush()


def issue_password_reset(session: Session, admin: User, user: User) -> tuple[str, dt.datetime]:
    """A one-time secret for a reset link, valid ``RESET_HOURS``; earlier unused links of the
    user stop working."""
    if not user.is_active:
        raise Conflict("该账号已停用，请先启用", "This account is disabled; enable it first")
    now = utcnow()
    for old in session.scalars(
        select(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
        )
    ):
        old.used_at = now
    secret = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=RESET_HOURS)
    session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=hash_secret(secret),
            created_by_id=admin.id,
            expires_at=expires,
        )
    )
    session.flush()
    return secret, expires


def find_reset(session: Session, secret: str) -> PasswordReset:
    reset = session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == hash_secret(secret))
    )
    if (
        reset is None
        or reset.used_at is not None
        or aware(reset.expires_at) < utcnow()
        or not reset.user.is_active
    ):
        raise NotFound(
            "该重置链接无效、已使用或已过期，请联系管理员重新生成",
            "This reset link is invalid, used or expired; ask an administrator for a new one",
        )
    return reset


def use_reset(session: Session, secret: str, new: Any) -> User:
    reset = find_reset(session, secret)
    _set_password(reset.user, _check_new_password(new))
    reset.used_at = utcnow()
    session.flush()
    return reset.user
