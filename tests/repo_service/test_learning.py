"""Learning records from heartbeats: merged intervals, idempotent resends, resume, credit hours,
the learner's day totals and the certificate."""

from __future__ import annotations

import io
import secrets
from typing import Any

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import func, select

from repo_service.accounts.models import Role
from repo_service.db import utcnow
from repo_service.errors import InvalidInput
from repo_service.learning.models import LearningDay, LearningRecord, LearningYear
from repo_service.learning.services import merge, parse_intervals, today
from repo_service.resources.models import (
    ProcessingStatus,
    Resource,
    ResourceKind,
    ResourceStatus,
    ResourceVersion,
)
from tests.factories import Client, make_user


@pytest.mark.unit
def test_merge_joins_overlaps_and_counts_only_new_seconds() -> None:
    merged, added = merge([], [(0, 10), (5, 15), (20, 30)])
    assert merged == [[0, 15], [20, 30]]
    assert added == 25
    again, added_again = merge(merged, [(0, 10), (20, 30)])
    assert again == merged
    assert added_again == 0  # a resent heartbeat adds nothing
    joined, gap = merge(merged, [(14, 21)])
    assert joined == [[0, 30]]
    assert gap == 5


@pytest.mark.unit
def test_intervals_are_checked_and_clipped_to_the_media() -> None:
    assert parse_intervals([[50, 70]], duration=60) == [(50, 60)]
    assert parse_intervals([[70, 80]], duration=60) == []
    for bad in ([[5, 1]], [[0, 601]], [["a", 2]], [[-1, 2]], [[0, float("nan")]], "x", [[1]]):
        with pytest.raises(InvalidInput):
            parse_intervals(bad, duration=600)


def course(app: Flask, duration: float = 300.0) -> int:
    owner = make_user(app, Role.TEACHER)
    with app.extensions["db"].session() as session:
        resource = Resource(
            kind=ResourceKind.VIDEO,
            title=f"学习记录测试课 {secrets.token_hex(3)}",
            summary="",
            category="老年教育/智能技术",
            audience="老年人",
            organisation_id=owner.organisation_id,
            owner_id=owner.id,
            status=ResourceStatus.PUBLISHED,
            published_at=utcnow(),
        )
        session.add(resource)
        session.flush()
        session.add(
            ResourceVersion(
                resource_id=resource.id,
                number=1,
                object_key=f"t/learning-{secrets.token_hex(6)}",
                original_filename="课.mp4",
                size=1,
                content_type="video/mp4",
                processing_status=ProcessingStatus.READY,
                created_by_id=owner.id,
                master_key=f"v/learning-{secrets.token_hex(4)}/master.m3u8",
                duration=duration,
            )
        )
        session.commit()
        return resource.id


def beat(client: Client, resource_id: int, intervals: list[list[float]], position: float) -> Any:
    return client.post(
        "/api/v1/learning/heartbeats",
        json={"resource_id": resource_id, "intervals": intervals, "position": position},
    )


@pytest.mark.integration
def test_heartbeats_make_a_record_that_resends_do_not_inflate(app: Flask) -> None:
    rid = course(app, duration=300)
    learner = make_user(app, Role.RESIDENT)
    client = Client(app, learner)
    first = beat(client, rid, [[0, 30]], 30)  # 15 s of wall time at 2x: 30 s of media
    assert first.status_code == 200, first.json
    assert first.json["watched_seconds"] == 30
    assert beat(client, rid, [[0, 30]], 30).json["watched_seconds"] == 30  # resent
    # A seek from 30 to 200: the player reports two stretches, the skipped part never.
    body = beat(client, rid, [[30, 40], [200, 230]], 230).json
    assert body["watched_seconds"] == 70
    assert body["position"] == 230
    assert body["completed"] is False
    with app.extensions["db"].session() as session:
        day_seconds = session.scalar(
            select(func.sum(LearningDay.seconds)).where(LearningDay.user_id == learner.id)
        )
    assert day_seconds == pytest.approx(70)
    assert year_totals(app, learner.id) == {"": (70, 0), "老年人": (70, 0)}
    # Watching the rest: 90 % completes it.
    body = beat(client, rid, [[40, 200], [230, 272]], 272).json
    assert body["watched_seconds"] == 272
    assert body["completed"] is True
    assert body["credit_hours"] == round(272 / 2700, 2)
    assert 'data-resume="272.0"' in client.get(f"/resources/{rid}").get_data(as_text=True)
    assert client.get(f"/api/v1/learning/records/{rid}").json["position"] == 272
    beat(client, rid, [[272, 296]], 296)
    page = client.get(f"/resources/{rid}").get_data(as_text=True)
    assert 'data-resume="0.0"' in page  # stopped at the very end: the next play starts over


def year_totals(app: Flask, user_id: int) -> dict[str, tuple[float, float]]:
    """Her yearly totals this year: audience -> (seconds, of which live)."""
    with app.extensions["db"].session() as session:
        return {
            row.audience: (row.seconds, row.live_seconds)
            for row in session.scalars(
                select(LearningYear).where(
                    LearningYear.user_id == user_id, LearningYear.year == today().year
                )
            )
        }


@pytest.mark.integration
def test_resume_position_is_on_the_course_page(app: Flask) -> None:
    rid = course(app, duration=600)
    client = Client(app, make_user(app, Role.RESIDENT))
    beat(client, rid, [[0, 95.5]], 95.5)
    page = client.get(f"/resources/{rid}").get_data(as_text=True)
    assert 'data-resume="95.5"' in page
    assert (
        Client(app, None).get(f"/resources/{rid}").get_data(as_text=True).count("data-heartbeat")
        == 0
    )


@pytest.mark.integration
def test_bad_and_unauthorised_heartbeats_are_refused_and_write_nothing(app: Flask) -> None:
    rid = course(app)
    learner = make_user(app, Role.RESIDENT)
    client = Client(app, learner)
    assert (
        Client(app, None)
        .post("/api/v1/learning/heartbeats", json={"resource_id": rid, "intervals": [[0, 5]]})
        .status_code
        == 401
    )
    for body in (
        {"resource_id": "x", "intervals": []},
        {"resource_id": rid, "intervals": [[10, 5]]},
        {"resource_id": rid, "intervals": [[0, 5]] * 61},
        {"resource_id": rid, "intervals": [[0, 5]], "position": -3},
    ):
        response = client.post("/api/v1/learning/heartbeats", json=body)
        assert response.status_code == 400, body
        assert response.json["error"]["message"]
        assert response.json["error"]["message_en"]
    assert beat(client, 10**9, [[0, 5]], 5).status_code == 404
    with app.extensions["db"].session() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(LearningRecord)
                .where(LearningRecord.user_id == learner.id)
            )
            == 0
        )


@pytest.mark.integration
def test_my_learning_page_and_the_certificate(app: Flask) -> None:
    rid = course(app, duration=2700)
    learner = make_user(app, Role.RESIDENT, display_name="张阿姨")
    client = Client(app, learner)
    beat(client, rid, [[0, 600], [600, 1200]], 1200)
    page = client.get("/me/learning")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "学习记录测试课" in text
    assert "44%" in text
    year = utcnow().year
    pdf = client.get(f"/api/v1/learning/certificate?from={year}-01-01&to={year}-12-31")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    content = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "张阿姨" in content
    assert "20" in content  # 1200 s = 20 minutes
    assert "0.44" in content  # credit hours
    bad = client.get("/api/v1/learning/certificate?from=2026-13-01")
    assert bad.status_code == 400
    records = client.get("/api/v1/learning/records").json
    assert records["records"][0]["watched_seconds"] == 1200


@pytest.mark.integration
def test_live_attendance_counts_each_beat_once(app: Flask) -> None:
    from repo_service.accounts.services import ensure_network
    from studio.services import create_live_session

    with app.extensions["db"].session() as session:
        live = create_live_session(
            session, title="直播出勤", organisation_id=ensure_network(session).id
        )
        session.commit()
        live_id = live.id
    learner = make_user(app, Role.RESIDENT)
    client = Client(app, learner)
    body = {"live_session_id": live_id, "seconds": 15, "beat": 1, "viewer": "abc123def456"}
    first = client.post("/api/v1/learning/heartbeats", json=body)
    assert first.status_code == 200
    assert first.json["counted_seconds"] == 15
    again = client.post("/api/v1/learning/heartbeats", json=body)  # resent after a lost answer
    assert again.json["duplicate"] is True
    client.post("/api/v1/learning/heartbeats", json={**body, "beat": 2, "seconds": 500})
    with app.extensions["db"].session() as session:
        seconds = session.scalar(
            select(func.sum(LearningDay.seconds)).where(
                LearningDay.user_id == learner.id, LearningDay.live_session_id == live_id
            )
        )
    assert seconds == 75  # 15 + a beat capped at 60 s
    assert year_totals(app, learner.id) == {"": (75, 75)}  # a live class for everyone
    missing = client.post("/api/v1/learning/heartbeats", json={**body, "live_session_id": 10**9})
    assert missing.status_code == 404


@pytest.mark.integration
def test_two_beats_at_once_both_count(app: Flask) -> None:
    """Two tabs (or a resend crossing a new beat) of one learner write one record."""
    import threading

    rid = course(app, duration=3000)
    learner = make_user(app, Role.RESIDENT)
    tabs = [Client(app, learner), Client(app, learner)]
    start = threading.Barrier(2)
    failures: list[int] = []

    def send(tab: Client, interval: list[float]) -> None:
        start.wait()
        response = beat(tab, rid, [interval], interval[1])
        if response.status_code != 200:
            failures.append(response.status_code)

    for pair in range(15):
        base = pair * 100.0
        threads = [
            threading.Thread(target=send, args=(tabs[0], [base, base + 20])),
            threading.Thread(target=send, args=(tabs[1], [base + 50, base + 70])),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert not failures
    record = Client(app, learner).get(f"/api/v1/learning/records/{rid}").json
    assert record["watched_seconds"] == 15 * 40
    with app.extensions["db"].session() as session:
        days = session.scalar(
            select(func.sum(LearningDay.seconds)).where(LearningDay.user_id == learner.id)
        )
    assert days == pytest.approx(15 * 40)  # the days agree with the record
    assert year_totals(app, learner.id)[""] == (15 * 40, 0)  # and so does her year
