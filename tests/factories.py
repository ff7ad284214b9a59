"""Factories and signed-in clients for tests."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from repo_service.accounts.models import Role, User
from repo_service.accounts.services import create_user, ensure_network, find_organisation
from repo_service.resources.models import Resource, ResourceKind
from repo_service.resources.services import add_version

PASSWORD = "correct horse battery"


def make_user(
    app: Flask,
    *roles: Role,
    street: str = "秣陵",
    name: str | None = None,
    display_name: str | None = None,
) -> User:
    with app.extensions["db"].session() as session:
        ensure_network(session)
        user = create_user(
            session,
            username=name or f"u-{roles[0].value}-{secrets.token_hex(4)}",
            password=PASSWORD,
            display_name=display_name or f"测试{roles[0].value}",
            organisation=find_organisation(session, street),
            roles=roles,
        )
        session.expunge(user)
    return user


class Client:
    """A test client signed in as one user, sending the CSRF token with every write."""

    def __init__(self, app: Flask, user: User | None) -> None:
        self.app = app
        self.user = user
        self.http: FlaskClient = app.test_client()
        self.csrf = secrets.token_urlsafe(16)
        with self.http.session_transaction() as session:
            session["csrf"] = self.csrf
            if user is not None:
                session["uid"] = user.id
                session["epoch"] = user.session_epoch

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf, "Accept": "application/json", **(headers or {})}

    def get(self, url: str, **kw: Any) -> TestResponse:
        return self.http.get(url, **kw)

    def post(self, url: str, headers: dict[str, str] | None = None, **kw: Any) -> TestResponse:
        return self.http.post(url, headers=self._headers(headers), **kw)

    def put(self, url: str, headers: dict[str, str] | None = None, **kw: Any) -> TestResponse:
        return self.http.put(url, headers=self._headers(headers), **kw)

    def patch(self, url: str, headers: dict[str, str] | None = None, **kw: Any) -> TestResponse:
        return self.http.patch(url, headers=self._headers(headers), **kw)

    def delete(self, url: str, headers: dict[str, str] | None = None, **kw: Any) -> TestResponse:
        return self.http.delete(url, headers=self._headers(headers), **kw)

    def open(self, method: str, url: str, **kw: Any) -> TestResponse:
        return self.http.open(
            url, method=method, headers=self._headers(kw.pop("headers", None)), **kw
        )


def resource_fields(kind: ResourceKind = ResourceKind.VIDEO, **over: Any) -> dict[str, Any]:
    return {
        "kind": kind.value,
        "title": "智能手机挂号入门",
        "summary": "教老年人用手机预约挂号。",
        "category": "老年教育/智能技术",
        "audience": "老年人",
        "authors": "王老师",
        "tags": ["智能手机", "挂号"],
    } | over


def create_resource(client: Client, kind: ResourceKind = ResourceKind.VIDEO, **over: Any) -> int:
    response = client.post("/api/v1/resources", json=resource_fields(kind, **over))
    assert response.status_code == 201, response.get_json()
    rid: int = response.get_json()["resource"]["id"]
    return rid


def competition_settings(now: dt.datetime, **over: Any) -> dict[str, Any]:
    """A micro-course competition taking entries now, judged after the deadline in an hour."""
    return {
        "name": f"{now.year}年微课评比（测试）",
        "kind": "micro_course",
        "year": now.year,
        "categories": ["老年教育", "职业技能"],
        "submission_opens_at": (now - dt.timedelta(hours=2)).isoformat(),
        "submission_closes_at": (now + dt.timedelta(hours=1)).isoformat(),
        "judging_opens_at": (now + dt.timedelta(hours=1)).isoformat(),
        "judging_closes_at": (now + dt.timedelta(days=10)).isoformat(),
        "judges_per_entry": 2,
        "street_quota": 2,
        "award_tiers": [
            {"name": "一等奖", "count": 1},
            {"name": "二等奖", "count": 1},
            {"name": "三等奖", "percent": 40},
        ],
        "criteria": [
            {
                "name": "教学设计",
                "max_score": 60,
                "tie_break": 1,
                "levels": [{"label": "优秀", "min": 50, "description": "目标清楚，环节完整"}],
            },
            {"name": "呈现效果", "max_score": 40},
            {"name": "创新加分", "max_score": 5, "counts": False},
        ],
    } | over


def drafts_with_a_file(app: Flask, owner: User, titles: list[str], summary: str = "") -> list[int]:
    """Drafts as a teacher leaves them after uploading, ready for an admin to publish (their
    versions name no stored file and are not processed)."""
    ids = []
    with app.extensions["db"].session() as session:
        for title in titles:
            resource = Resource(
                kind=ResourceKind.VIDEO,
                title=title,
                summary=summary,
                category="职业技能",
                audience="社区居民",
                organisation_id=owner.organisation_id,
                owner_id=owner.id,
            )
            session.add(resource)
            session.flush()
            add_version(
                session,
                app.extensions["celery"],
                resource,
                object_key=f"t/draft-{resource.id}-{secrets.token_hex(6)}",
                filename="x.mp4",
                size=1,
                content_type="video/mp4",
                created_by_id=owner.id,
                process=False,
            )
            ids.append(resource.id)
    return ids
