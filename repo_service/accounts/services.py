"""Account services: the network's organisations and user creation."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from typing import IO, Any

import openpyxl
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from repo_service.accounts.forms import Registration
from repo_service.accounts.models import (
    DISTRICT_COLLEGE,
    ROLE_LABELS,
    STREETS,
    Organisation,
    OrgKind,
    Role,
    User,
    UserRole,
)
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
