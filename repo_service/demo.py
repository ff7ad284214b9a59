"""Demo data: one user per role in the district's real organisations, and a live session."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_service.accounts.models import Role, User
from repo_service.accounts.services import create_user, ensure_network, find_organisation
from studio.models import LiveSession
from studio.services import create_live_session

DEMO_PASSWORD = "jiangning2026"  # noqa: S105 - printed on purpose for the demo

DEMO_USERS = (
    ("admin", "区社区学院管理员", "江宁区社区学院", (Role.ADMIN,)),
    ("teacher", "王老师", "秣陵", (Role.TEACHER,)),
    ("judge", "李评委", "东山", (Role.JUDGE,)),
    ("resident", "张阿姨", "汤山", (Role.RESIDENT,)),
    ("operator", "演播室操作员", "江宁区社区学院", (Role.OPERATOR,)),
)


def seed_demo(session: Session) -> tuple[list[tuple[str, str, list[str]]], LiveSession]:
    district = ensure_network(session)
    logins = []
    for username, name, org_name, roles in DEMO_USERS:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            create_user(
                session,
                username=username,
                password=DEMO_PASSWORD,
                display_name=name,
                organisation=find_organisation(session, org_name),
                roles=roles,
            )
        logins.append((username, DEMO_PASSWORD, [r.value for r in roles]))
    live = session.scalar(select(LiveSession).order_by(LiveSession.id).limit(1))
    if live is None:
        live = create_live_session(
            session, title="演播室示范课：智能手机入门", organisation_id=district.id
        )
    return logins, live
