"""Object rules on top of the route matrix: who may see or touch which entry, assignment, sheet
and result. A refusal of someone else's object is 404 (its existence is not disclosed), and of
one's own object beyond one's rights 403."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.factories import Client
from tests.repo_service.competitions.builders import in_judging

pytestmark = pytest.mark.integration


def test_object_rules(app: Flask) -> None:
    w = in_judging(app)
    base, (e1, _e2) = w["base"], w["entries"]
    a_first, a_second = w["assignments"]
    j_first, j_second = w["judges"]
    entry = f"{base}/entries/{e1}"
    cases: list[tuple[str, Client, str, str, int]] = [
        ("owner reads her entry", w["owner"], "GET", entry, 200),
        ("co-author reads it", w["coauthor"], "GET", entry, 200),
        ("co-author may not change it", w["coauthor"], "PATCH", entry, 403),
        ("co-author may not withdraw it", w["coauthor"], "DELETE", entry, 403),
        ("another teacher does not see it", w["stranger"], "GET", entry, 404),
        ("another teacher cannot change it", w["stranger"], "PATCH", entry, 404),
        ("a judge does not see entries", j_first, "GET", entry, 404),
        ("a judge's own assignment", j_first, "GET", f"/api/v1/judging/assignments/{a_first}", 200),
        ("not another judge's", j_first, "GET", f"/api/v1/judging/assignments/{a_second}", 404),
        ("nor its scores", j_first, "POST", f"/api/v1/judging/assignments/{a_second}/scores", 404),
        ("nor its history", j_first, "GET", f"/api/v1/judging/assignments/{a_second}/scores", 404),
        ("nor its video", j_first, "GET",
         f"/api/v1/judging/assignments/{a_second}/hls/master.m3u8", 404),
        ("nor its document", j_first, "GET", f"/judging/assignments/{a_second}/document", 404),
        ("nor declare on it", j_first, "POST", f"/api/v1/judging/assignments/{a_second}/conflict",
         404),
        ("the second judge has hers", j_second, "GET",
         f"/api/v1/judging/assignments/{a_second}", 200),
        ("a judge's own sheet (nothing submitted yet)", j_first, "GET",
         f"{base}/judges/{w['judge_ids'][0]}/sheet.pdf", 404),
        ("not another judge's sheet", j_first, "GET",
         f"{base}/judges/{w['judge_ids'][1]}/sheet.pdf", 404),
        ("results are not public while judging", w["owner"], "GET", f"{base}/results", 404),
        ("the admin previews them", w["admin"], "GET", f"{base}/results", 200),
        ("no objection outside the notice", w["stranger"], "POST", f"{base}/objections", 409),
        ("an entered work cannot be deleted", w["owner"], "DELETE",
         f"/api/v1/resources/{w['resources'][0]}", 409),
        ("an entry of another competition's path", w["owner"], "GET",
         f"/api/v1/competitions/{int(base.rsplit('/', 1)[1]) + 999}/entries/{e1}", 404),
    ]  # fmt: skip
    problems = []
    for label, client, method, url, expected in cases:
        body = {"row_version": 1, "reason": "x"} if method == "POST" else {}
        response = client.open(method, url, json=body)
        if response.status_code != expected:
            problems.append(f"{label}: {method} {url} → {response.status_code}, want {expected}")
    assert not problems, "\n".join(problems)
