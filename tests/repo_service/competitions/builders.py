"""A competition brought to its judging phase through the API, for tests of what follows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask

from repo_service.accounts.models import Role
from repo_service.db import utcnow
from tests.factories import Client, competition_settings, drafts_with_a_file, make_user


def in_judging(app: Flask) -> dict[str, Any]:
    """Two works of one teacher (with a co-author who has an account), two judges, one judge
    per entry, judging open."""
    now = utcnow()
    admin = Client(app, make_user(app, Role.ADMIN, street="东山"))
    owner_user = make_user(app, Role.TEACHER, street="秣陵", display_name="作者甲")
    coauthor_user = make_user(app, Role.TEACHER, street="谷里", display_name="合作者乙")
    owner, coauthor = Client(app, owner_user), Client(app, coauthor_user)
    stranger = Client(app, make_user(app, Role.TEACHER, street="淳化"))
    judges = [Client(app, make_user(app, Role.JUDGE, street=s)) for s in ("汤山", "横溪")]
    comp = admin.post(
        "/api/v1/competitions", json=competition_settings(now, judges_per_entry=1)
    ).get_json()["competition"]
    base = f"/api/v1/competitions/{comp['id']}"
    admin.post(f"{base}/phase", json={"action": "open"})
    entries, resources = [], []
    for title in ("作品一", "作品二"):
        (rid,) = drafts_with_a_file(app, owner_user, [title])
        resources.append(rid)
        entered = owner.post(
            f"{base}/entries",
            json={
                "resource_id": rid,
                "category": "职业技能",
                "members": [{"name": "合作者乙", "username": coauthor_user.username}],
            },
        )
        assert entered.status_code == 201, entered.get_json()
        entries.append(entered.get_json()["entry"]["id"])
    past = (now - dt.timedelta(minutes=1)).isoformat()
    admin.patch(base, json={"submission_closes_at": past, "judging_opens_at": past})
    admin.post(f"{base}/phase", json={"action": "review"})
    for entry_id in entries:
        admin.post(f"{base}/entries/{entry_id}/review", json={"passed": True})
    for judge in judges:
        admin.post(f"{base}/judges", json={"username": judge.user.username})  # type: ignore[union-attr]
    assert admin.post(f"{base}/assignments").get_json()["added"] == 2
    assert admin.post(f"{base}/phase", json={"action": "judging"}).status_code == 200
    desks = [j.get("/api/v1/judging/assignments").get_json()["assignments"] for j in judges]
    assert [len(d) for d in desks] == [1, 1]  # loads balanced
    return {
        "base": base,
        "admin": admin,
        "owner": owner,
        "coauthor": coauthor,
        "stranger": stranger,
        "judges": judges,
        "entries": entries,
        "resources": resources,
        "assignments": [d[0]["id"] for d in desks],
        "judge_ids": [j.user.id for j in judges],  # type: ignore[union-attr]
    }
