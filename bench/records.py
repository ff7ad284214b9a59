"""Learning records at district scale: heartbeats of concurrent viewers, the year's dashboards.

Run with the services up (./infra/svc up redis s3 elasticsearch, and postgres for the second
database):

    PYTHONPATH=. python bench/records.py [--quick] [--database sqlite|postgresql|both]
        [--viewers 2000] [--minutes 2] [--residents 100000] [--heartbeats 5000000]
        [--rounds 3] [--pairs 50] [--parts heartbeats,dashboards] [--redis-db 12]

``--quick`` is ``--viewers 200 --minutes 0.5 --residents 10000 --heartbeats 200000 --rounds 2``.
``--database`` defaults to both when var/services.env names a PostgreSQL cluster (ZX_PG_URL)
that answers and its driver is installed, else to SQLite alone (said so); asking for
``postgresql`` when it cannot be used stops with the reason.

Each database works in a private namespace: a SQLite file, or a scratch PostgreSQL database
(created on the cluster of ZX_PG_URL and dropped at the end), bucket and index prefixes and a
Redis database it finds empty (flushed at the end). For each one:

1. **A year of data**, generated in the database directly (bulk inserts; COPY on PostgreSQL,
   then ANALYZE as autovacuum would; SQLite is left without ANALYZE, as the application leaves
   it): ``--residents`` real-name residents over the ten streets and their schools (about 30 %
   aged 60 or more, the employed flagged), their learning days of the year equivalent to
   ``--heartbeats`` heartbeats of 15 s (one row per learner, day and course: sittings of about
   20 heartbeats, some at 2x; a few live classes), the learning records and the yearly totals
   (``learning.totals.rebuild``) they add up to,
   offline activities with their attendances (三农 among them, people from sign-in sheets
   without an account too), the populations of the streets.
2. **Heartbeats**: ``--viewers`` of those residents, each with an API token, watch one of 50
   courses and send ``POST /api/v1/learning/heartbeats`` every 15 s (starts staggered over the
   first 15 s; one new stretch of 15 s of media, or 30 s for the fifth watching at 2x) for
   ``--minutes``, through a gunicorn process set up like ./infra/svc's (2 workers x 4 threads,
   keep-alive 5 s). The client is one event loop, a task per beat, on connections kept as
   ./infra/svc's nginx keeps its upstream connections to the app (up to 32 idle, let go after
   4 s), so that it takes little of the two cores from the service. A failed beat is resent like the
   player resends it (twice, after 0.5 s and 1 s). It reports p50/p95/p99 of the first attempts,
   how late the client sent beats behind the schedule and how long after it was due each was
   answered, the CPU time the web workers spent per request, sent/answered/resent/lost, and
   checks the database afterwards: every viewer's ``watched_seconds`` and learning day equal
   what it sent.
   Baseline, measured just before on the same schedule: the same POST without a
   ``resource_id`` (signed in by token, answered 400 without touching the records).
   Then ``--pairs`` viewers, one after the other, each send two beats with different stretches
   at the same moment (a resend of stored stretches crossing a new beat): both must be in the
   record, and the record must agree with the learning days.
3. **Dashboards**: ``GET /api/v1/statistics/dashboard?year=`` for the district and each street,
   without and with an audience filter, ``--rounds`` times (the district's three times a
   round), one request at a time, as a district admin,
   p50/p95 per kind; baseline: ``GET /api/v1/learning/records`` by the same admin (token, one
   indexed sum on the same tables). Then where the district's answer spends its time, by
   function of ``repo_service/statistics/queries.py`` called in this process.

At the end the figures of both databases are printed side by side with the targets (heartbeat
p95 < 50 ms with no heartbeat lost; dashboard p95 < 300 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dotenv import dotenv_values
from flask import Flask
from sqlalchemy import JSON, Table, create_engine, event, func, select, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from infra.svc import gunicorn_argv
from repo_service import create_app
from repo_service.accounts.auth import TOKEN_PREFIX, hash_token, issue_token
from repo_service.accounts.models import (
    STREETS,
    ApiToken,
    Organisation,
    OrgKind,
    Role,
    User,
    UserRole,
)
from repo_service.accounts.services import create_user, ensure_network, find_organisation
from repo_service.activities.models import Activity, ActivityKind, Attendance
from repo_service.config import load_config
from repo_service.db import Database, utcnow
from repo_service.learning import totals
from repo_service.learning.models import (
    COMPLETION_SHARE,
    LearningDay,
    LearningRecord,
    LearningYear,
)
from repo_service.learning.services import today
from repo_service.migrate import upgrade
from repo_service.resources.models import (
    ProcessingStatus,
    Resource,
    ResourceKind,
    ResourceStatus,
    ResourceVersion,
)
from repo_service.statistics import queries
from repo_service.statistics.models import Population
from studio.models import LiveSession, LiveStatus

BEAT_SECONDS = 15
VIEWING_COURSES = 50
RESENDS = (0.5, 1.0)  # the player's waits before it sends a failed beat again
SCHOOLS_PER_STREET = 6
ONLINE_SHARE = 0.4  # residents who learn online during the year
SITTING_BEATS = 20  # mean heartbeats in one learner's sitting with a course on a day
LIVE_SHARE = 0.03  # learning days in a live class rather than a course
ACTIVITIES_PER_100K = 2400
# Street sizes differ: the larger ones get more residents.
STREET_WEIGHTS = (16, 14, 8, 6, 9, 13, 6, 8, 7, 13)
KIND_WEIGHTS = {
    ActivityKind.SANNONG: 15,
    ActivityKind.ELDERLY: 25,
    ActivityKind.FAMILY: 12,
    ActivityKind.CONTINUING: 12,
    ActivityKind.YOUTH: 12,
    ActivityKind.PARTY: 12,
    ActivityKind.OTHER: 12,
}
COURSE_SUBJECTS = {
    "老年教育/智能技术": ("老年人", ["智能手机入门", "微信视频通话", "移动支付", "防诈骗"]),
    "三农培训": ("农民", ["茶叶种植", "草莓大棚", "稻虾共养", "电商直播"]),
    "职业技能": ("从业人员", ["家政服务", "育婴师", "面点制作", "养老护理"]),
    "青少年校外": ("青少年", ["科普实验", "书法入门", "非遗剪纸", "防溺水"]),
    "家庭教育": ("家长", ["亲子沟通", "家庭教育促进法", "隔代教养"]),
    "党史学习": ("党员", ["红色江宁", "党史故事"]),
    "文化艺术": ("社区居民", ["江宁织锦", "太极拳", "合唱"]),
    "健康养生": ("老年人", ["高血压饮食", "中医养生", "防跌倒"]),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "秀英桂兰建国志强海燕德明玉梅春华永红国庆文军丽娟"


# --- figures ---------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def load() -> str:
    """The machine's load, printed beside each part: other work on the same cores shows."""
    one, five, _ = os.getloadavg()
    return f"[load {one:.1f}/{five:.1f} on {os.cpu_count()} cores]"


def ms(values: list[float]) -> str:
    return f"p50 {pct(values, 0.5):7.1f} ms  p95 {pct(values, 0.95):7.1f} ms"


class Summary:
    """Figures of every database, printed side by side at the end."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, str]] = {}
        self.targets: dict[str, str] = {}
        self.order: list[str] = []

    def put(self, database: str, name: str, value: str, target: str = "") -> None:
        if name not in self.rows:
            self.rows[name] = {}
            self.order.append(name)
        self.rows[name][database] = value
        if target:
            self.targets[name] = target

    def print(self, databases: list[str]) -> None:
        print()
        head = f"{'figure':<52}" + "".join(f"{d:>30}" for d in databases) + "   target"
        print(head)
        print("-" * len(head))
        for name in self.order:
            values = "".join(f"{self.rows[name].get(d, '-'):>30}" for d in databases)
            print(f"{name:<52}{values}   {self.targets.get(name, '')}")


# --- databases -------------------------------------------------------------------------------


def pg_url() -> str | None:
    if os.environ.get("ZX_PG_URL"):
        return os.environ["ZX_PG_URL"]
    data_dir = Path(os.environ.get("ZX_DATA_DIR") or ROOT / "var")
    path = Path(os.environ.get("ZX_SERVICES_ENV") or data_dir / "services.env")
    return dotenv_values(path).get("ZX_PG_URL") if path.is_file() else None


def pg_unusable(url: str | None) -> str | None:
    """Why PostgreSQL cannot be benchmarked here, or None when it can."""
    if not url:
        return "no ZX_PG_URL (in the environment or var/services.env): ./infra/svc up postgres"
    try:
        import psycopg  # noqa: F401 - the driver the URL names
    except ImportError:
        return (
            "the psycopg driver is not installed in this Python environment "
            f"({sys.executable}); ./infra/install installs it (pyproject: psycopg[binary])"
        )
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect is the answer
        return f"PostgreSQL at {make_url(url).render_as_string()} does not answer ({exc})"
    finally:
        engine.dispose()
    return None


@contextmanager
def scratch_database(kind: str, run: str, tmp: Path) -> Iterator[str]:
    """A database of this run's own: a SQLite file, or a PostgreSQL database dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'records.db'}"
        return
    admin_url = make_url(pg_url() or "")
    name = f"zxb_records_{run}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url: URL = admin_url.set(database=name)
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def bulk(
    conn: Connection, table: Table, columns: list[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    """Insert rows fast: COPY on PostgreSQL, executemany on SQLite."""
    count = 0
    if conn.dialect.name == "postgresql":
        as_json = [isinstance(table.c[c].type, JSON) for c in columns]
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(v) if j and v is not None else v
                        for v, j in zip(row, as_json, strict=True)
                    ]
                )
                count += 1
        return count
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(dict(zip(columns, row, strict=True)))
        if len(chunk) == 20_000:
            conn.execute(table.insert(), chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        conn.execute(table.insert(), chunk)
        count += len(chunk)
    return count


def next_id(conn: Connection, table: Table) -> int:
    return int(conn.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1


def fix_sequences(conn: Connection, tables: list[Table]) -> None:
    """Rows inserted with their ids: PostgreSQL's sequences move past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        sequence = f"pg_get_serial_sequence('{table.name}', 'id')"
        latest = f"SELECT coalesce(max(id), 1) FROM {table.name}"  # noqa: S608 - our own tables
        conn.execute(text(f"SELECT setval({sequence}, ({latest}))"))


# --- a year of data --------------------------------------------------------------------------


@dataclass
class World:
    """What the generated year holds that the measurements need."""

    year: int
    residents: list[int]  # user ids
    courses: list[int]  # resource ids; the first VIEWING_COURSES are watched during the run
    durations: dict[int, float]
    learnt: dict[int, set[int]]  # user id -> courses with a record
    admin_token: str
    audiences: list[str]
    counts: dict[str, int] = field(default_factory=dict)


def name_of(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


def generate(
    db: Database, args: argparse.Namespace, rng: random.Random, run: str, longest: float
) -> World:
    year = args.year
    start = dt.date(year, 1, 1)
    days = (dt.date(year, 12, 31) - start).days + 1
    with db.session() as session:
        ensure_network(session)
        streets = [find_organisation(session, s) for s in STREETS]
        schools: list[list[int]] = []
        for street in streets:
            made = [
                Organisation(
                    name=f"{street.name[:2]}第{i + 1}社区居民学校",
                    kind=OrgKind.SCHOOL,
                    parent_id=street.id,
                )
                for i in range(SCHOOLS_PER_STREET)
            ]
            session.add_all(made)
            session.flush()
            schools.append([o.id for o in made])
        owner = create_user(
            session,
            username=f"zxb-teacher-{run}",
            password="bench-password",
            display_name="基准教师",
            organisation=streets[0],
            roles=[Role.TEACHER],
        )
        admin = create_user(
            session,
            username=f"zxb-admin-{run}",
            password="bench-password",
            display_name="基准管理员",
            organisation=session.scalar(
                select(Organisation).where(Organisation.kind == OrgKind.DISTRICT)
            ),
            roles=[Role.ADMIN],
        )
        _, admin_token = issue_token(session, admin, "bench")
        courses, durations, audiences = make_courses(session, args.courses, owner, rng, longest)
        lives = []
        for i in range(30):
            live = LiveSession(
                title=f"直播课堂 {i + 1}",
                public_name=f"zxb{run}{i}",
                status=LiveStatus.ENDED,
                organisation_id=rng.choice(streets).id,
                created_by_id=owner.id,
                started_at=dt.datetime(year, 1, 1, 2, tzinfo=dt.UTC) + dt.timedelta(days=12 * i),
            )
            session.add(live)
            lives.append(live)
        session.flush()
        live_ids = [live.id for live in lives]
        street_ids = [s.id for s in streets]

    counts: dict[str, int] = {}
    users_table = User.__table__
    password_hash = generate_password_hash("bench-password")  # one hash for everyone: fast
    born_before = year - 60
    with db.engine.begin() as conn:
        first = next_id(conn, users_table)
        residents: list[int] = []
        by_street: list[list[tuple[int, str, str, int]]] = [[] for _ in STREETS]
        profile: dict[int, tuple[int, bool | None]] = {}
        rows = []
        created = dt.datetime(year - 1, 6, 1, tzinfo=dt.UTC)
        for i in range(args.residents):
            uid = first + i
            s = rng.choices(range(len(STREETS)), weights=STREET_WEIGHTS)[0]
            org = street_ids[s] if rng.random() < 0.3 else rng.choice(schools[s])
            elderly = rng.random() < 0.3
            birth = (
                rng.randint(born_before - 30, born_before)
                if elderly
                else rng.randint(born_before + 1, year - 8)
            )
            age = year - birth
            employed: bool | None = 18 <= age < 60 and rng.random() < 0.65
            if rng.random() < 0.05:
                employed = None  # not said
            name = name_of(rng)
            mobile = str(13_000_000_000 + uid)
            rows.append(
                (
                    uid,
                    f"zxb{run}r{uid}",
                    name,
                    password_hash,
                    org,
                    True,
                    created,
                    mobile,
                    f"{STREETS[s]}第{rng.randint(1, 20)}社区",
                    birth,
                    employed,
                    0,
                )
            )
            residents.append(uid)
            by_street[s].append((uid, name, mobile, birth))
            profile[uid] = (birth, employed)
        columns = [
            "id",
            "username",
            "display_name",
            "password_hash",
            "organisation_id",
            "is_active",
            "created_at",
            "mobile",
            "community",
            "birth_year",
            "employed",
            "session_epoch",
        ]
        counts["users"] = bulk(conn, users_table, columns, rows)
        bulk(
            conn,
            UserRole.__table__,
            ["user_id", "role"],
            ((uid, Role.RESIDENT.value) for uid in residents),
        )
        fix_sequences(conn, [users_table])

        learnt = learning_year(
            conn, rng, residents, profile, courses, durations, live_ids, year, days, args
        )
        counts.update(learnt.pop("counts"))  # type: ignore[arg-type]
        counts.update(activities_year(conn, rng, by_street, street_ids, schools, year, days))
        populations(conn, by_street, street_ids, year)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return World(
        year=year,
        residents=residents,
        courses=courses,
        durations=durations,
        learnt=learnt["records"],  # type: ignore[arg-type]
        admin_token=admin_token,
        audiences=audiences,
        counts=counts,
    )


def make_courses(
    session: Session, count: int, owner: User, rng: random.Random, longest: float
) -> tuple[list[int], dict[int, float], list[str]]:
    """Published videos, each with a transcoded version (master playlist and duration)."""
    subjects = list(COURSE_SUBJECTS.items())
    made = []
    for i in range(count):
        category, (audience, topics) = subjects[i % len(subjects)]
        resource = Resource(
            kind=ResourceKind.VIDEO,
            title=f"{rng.choice(topics)}（第{i // len(subjects) + 1}讲）",
            summary="",
            category=category,
            audience=audience,
            organisation_id=owner.organisation_id,
            owner_id=owner.id,
            status=ResourceStatus.PUBLISHED,
            published_at=utcnow(),
        )
        session.add(resource)
        made.append(resource)
    session.flush()
    durations = {}
    for resource in made:
        # The watched courses are long enough for every viewer's run without clipping.
        duration = float(rng.randint(1200, 3600)) + longest
        session.add(
            ResourceVersion(
                resource_id=resource.id,
                number=1,
                object_key=f"zxb/records-{secrets.token_hex(8)}",
                original_filename="课.mp4",
                size=1,
                content_type="video/mp4",
                processing_status=ProcessingStatus.READY,
                created_by_id=owner.id,
                master_key=f"zxb/records-{resource.id}/master.m3u8",
                duration=duration,
            )
        )
        durations[resource.id] = duration
    session.flush()
    audiences = sorted({a for a, _ in COURSE_SUBJECTS.values()}, key=lambda a: a != "老年人")
    return [r.id for r in made], durations, audiences


def learning_year(
    conn: Connection,
    rng: random.Random,
    residents: list[int],
    profile: dict[int, tuple[int, bool | None]],
    courses: list[int],
    durations: dict[int, float],
    live_ids: list[int],
    year: int,
    days: int,
    args: argparse.Namespace,
) -> dict[str, object]:
    """Learning days adding up to ``--heartbeats`` beats, and the records they make."""
    learners = [uid for uid in residents if rng.random() < ONLINE_SHARE]
    # Some learn much more than others; the elderly a little more than the rest.
    weights = [
        rng.paretovariate(1.5) * (1.3 if profile[uid][0] <= year - 60 else 1.0) for uid in learners
    ]
    popularity = [1 / (rank + 1) ** 0.8 for rank in range(len(courses))]
    shuffled = courses[:]
    rng.shuffle(shuffled)  # the watched courses are not all the most popular
    start = dt.date(year, 1, 1)
    cells: dict[tuple[int, int, str], list[Any]] = {}
    beats = 0
    batch = 50_000
    while beats < args.heartbeats:
        users = rng.choices(learners, weights=weights, k=batch)
        picked = rng.choices(shuffled, weights=popularity, k=batch)
        for uid, course in zip(users, picked, strict=True):
            if beats >= args.heartbeats:
                break
            n = 1 + int(rng.expovariate(1 / (SITTING_BEATS - 1)))
            beats += n
            day = rng.randrange(days)
            if rng.random() < LIVE_SHARE:
                live = rng.choice(live_ids)
                key = (uid, day, f"l{live}")
                seconds = float(n * BEAT_SECONDS)
                target = None
            else:
                key = (uid, day, f"r{course}")
                seconds = float(n * BEAT_SECONDS * (2 if rng.random() < 0.2 else 1))
                live, target = None, course
            cell = cells.get(key)
            if cell is None:
                cells[key] = [target, live, seconds]
            else:
                cell[2] += seconds
    counts = {
        "learning_days": bulk(
            conn,
            LearningDay.__table__,
            ["user_id", "day", "subject", "resource_id", "live_session_id", "seconds"],
            (
                (uid, start + dt.timedelta(days=day), subject, rid, live, seconds)
                for (uid, day, subject), (rid, live, seconds) in cells.items()
            ),
        ),
        "learners": len(learners),
        "heartbeats": beats,
    }
    # The yearly totals the figures read, as the application's rebuild makes them from the days.
    totals.rebuild(conn, [year])
    counts["learning_years"] = int(
        conn.scalar(select(func.count()).where(LearningYear.year == year)) or 0
    )
    # One record per learner and course: what the days add up to, from the start of the media.
    records: dict[tuple[int, int], list[Any]] = {}
    for (uid, day, _subject), (rid, _live, seconds) in cells.items():
        if rid is None:
            continue
        rec = records.setdefault((uid, rid), [0.0, day, day])
        rec[0] += seconds
        rec[1], rec[2] = min(rec[1], day), max(rec[2], day)
    learnt: dict[int, set[int]] = defaultdict(set)

    def record_rows() -> Iterator[tuple[Any, ...]]:
        for (uid, rid), (seconds, first, last) in records.items():
            learnt[uid].add(rid)
            duration = durations[rid]
            watched = min(seconds, duration)
            last_at = dt.datetime(year, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=last)
            yield (
                uid,
                rid,
                [[0.0, watched]],
                watched,
                duration,
                watched,
                last_at if watched >= COMPLETION_SHARE * duration else None,
                dt.datetime(year, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=first),
                last_at,
            )

    counts["learning_records"] = bulk(
        conn,
        LearningRecord.__table__,
        [
            "user_id",
            "resource_id",
            "intervals",
            "watched_seconds",
            "duration",
            "position",
            "completed_at",
            "first_at",
            "last_at",
        ],
        record_rows(),
    )
    return {"counts": counts, "records": learnt}


def activities_year(
    conn: Connection,
    rng: random.Random,
    by_street: list[list[tuple[int, str, str, int]]],
    street_ids: list[int],
    schools: list[list[int]],
    year: int,
    days: int,
) -> dict[str, int]:
    """Offline activities of every kind over the streets, with their sign-ins: residents with
    an account, and people from sign-in sheets (some without a mobile number)."""
    residents = sum(len(s) for s in by_street)
    count = max(20, round(ACTIVITIES_PER_100K * residents / 100_000))
    table = Activity.__table__
    first = next_id(conn, table)
    kinds = list(KIND_WEIGHTS)
    anonymous = [
        [
            (
                name_of(rng),
                None if rng.random() < 0.3 else str(15_900_000_000 + s * 10_000_000 + j),
                rng.randint(year - 85, year - 18),
            )
            for j in range(max(5, len(people) // 10))
        ]
        for s, people in enumerate(by_street)
    ]
    activities, attendances = [], []
    created = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    for i in range(count):
        aid = first + i
        s = rng.choices(range(len(STREETS)), weights=STREET_WEIGHTS)[0]
        kind = rng.choices(kinds, weights=list(KIND_WEIGHTS.values()))[0]
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(days))
        org = street_ids[s] if rng.random() < 0.4 else rng.choice(schools[s])
        activities.append(
            (
                aid,
                f"{STREETS[s]}{kind.value}活动 {i + 1}",
                kind.value,
                "社区活动室",
                day,
                "基准",
                "",
                org,
                f"zxb{aid}-{secrets.token_hex(6)}",
                False,
                created,
            )
        )
        size = rng.randint(10, 70)
        real = min(len(by_street[s]), round(size * 0.85))
        for uid, name, mobile, birth in rng.sample(by_street[s], real):
            attendances.append((aid, uid, name, mobile, birth, "qr", created))
        seen = set()
        for name, mobile, birth in rng.sample(anonymous[s], min(len(anonymous[s]), size - real)):
            if (mobile or name) in seen:
                continue
            seen.add(mobile or name)
            attendances.append((aid, None, name, mobile, birth, "xlsx", created))
    bulk(
        conn,
        table,
        [
            "id",
            "title",
            "kind",
            "place",
            "day",
            "organiser",
            "summary",
            "organisation_id",
            "signin_secret",
            "signin_open",
            "created_at",
        ],
        activities,
    )
    fix_sequences(conn, [table])
    bulk(
        conn,
        Attendance.__table__,
        ["activity_id", "user_id", "name", "mobile", "birth_year", "source", "created_at"],
        attendances,
    )
    return {"activities": count, "attendances": len(attendances)}


def populations(
    conn: Connection,
    by_street: list[list[tuple[int, str, str, int]]],
    street_ids: list[int],
    year: int,
) -> None:
    """Every street's population is its generated residents (the elderly: aged 60 or more; the
    employed as flagged)."""
    employed = dict(
        conn.execute(
            select(User.organisation_id, func.count())
            .where(User.employed.is_(True))
            .group_by(User.organisation_id)
        ).all()
    )
    parents = dict(conn.execute(select(Organisation.id, Organisation.parent_id)).all())
    per_street: Counter[int] = Counter()
    for org, n in employed.items():
        per_street[org if org in street_ids else parents.get(org)] += n
    rows = [
        (
            year,
            street_ids[s],
            len(people),
            sum(1 for *_, birth in people if birth <= year - 60),
            per_street[street_ids[s]],
            "基准测试生成数据",
            utcnow(),
        )
        for s, people in enumerate(by_street)
    ]
    bulk(
        conn,
        Population.__table__,
        ["year", "organisation_id", "residents", "elderly", "employed", "source", "updated_at"],
        rows,
    )


# --- the web process -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_web(env: dict[str, str], token: str) -> tuple[subprocess.Popen[bytes], str]:
    """A gunicorn process set up like ./infra/svc's."""
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    web = subprocess.Popen(
        [*gunicorn_argv(f"127.0.0.1:{port}", gunicorn=gunicorn), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            if web.poll() is not None:
                raise SystemExit(f"gunicorn exited with status {web.returncode}")
            try:
                answer = requests.get(
                    f"{base}/api/v1/learning/records",
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=30,
                )
                if answer.ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            raise SystemExit("gunicorn did not answer within a minute")
    except BaseException:
        stop_web(web)  # never leave a server behind
        raise
    return web, base


def stop_web(web: subprocess.Popen[bytes]) -> None:
    web.terminate()
    try:
        web.wait(timeout=30)
    except subprocess.TimeoutExpired:
        web.kill()
        web.wait(timeout=10)


# --- heartbeats ------------------------------------------------------------------------------


@dataclass
class Viewer:
    user_id: int
    token: str
    course: int
    start: float  # media position of the first stretch
    speed: int
    offset: float  # seconds after the start of the run of the first beat
    beats: int = 0  # beats scheduled

    def stretch(self, k: int) -> tuple[float, float]:
        a = self.start + k * BEAT_SECONDS * self.speed
        return a, a + BEAT_SECONDS * self.speed


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # first attempts, ms
    lags: list[float] = field(default_factory=list)  # sent after the beat was due, ms
    since_due: list[float] = field(default_factory=list)  # answered after it was due, ms
    sent: int = 0
    first_ok: int = 0
    resent: int = 0
    lost: int = 0
    statuses: Counter[str] = field(default_factory=Counter)  # of every failed attempt
    answered: dict[int, float] = field(default_factory=dict)  # viewer -> media seconds

    def add(self, other: Outcome) -> None:
        self.latencies += other.latencies
        self.lags += other.lags
        self.since_due += other.since_due
        self.sent += other.sent
        self.first_ok += other.first_ok
        self.resent += other.resent
        self.lost += other.lost
        self.statuses.update(other.statuses)
        for v, s in other.answered.items():
            self.answered[v] = self.answered.get(v, 0.0) + s


def make_viewers(
    session: Session, world: World, count: int, rng: random.Random, seconds: float
) -> list[Viewer]:
    """The first ``count`` residents, each with an API token (inserted in bulk) and a course of
    the watched ones she has no record of yet."""
    users = world.residents[:count]
    secrets_ = {uid: TOKEN_PREFIX + secrets.token_urlsafe(32) for uid in users}
    now = utcnow()
    bulk(
        session.connection(),
        ApiToken.__table__,
        ["user_id", "name", "token_hash", "prefix", "created_at"],
        ((uid, "bench", hash_token(s), s[:10], now) for uid, s in secrets_.items()),
    )
    session.commit()
    viewers = []
    watched = world.courses[:VIEWING_COURSES]
    for uid in users:
        fresh = [c for c in watched if c not in world.learnt.get(uid, ())]
        course = rng.choice(fresh or watched)
        speed = 2 if rng.random() < 0.2 else 1
        offset = rng.uniform(0, BEAT_SECONDS)
        beats = max(0, int((seconds - offset) // BEAT_SECONDS) + 1) if offset < seconds else 0
        room = world.durations[course] - (beats + 2) * BEAT_SECONDS * speed  # and two more
        viewers.append(
            Viewer(
                user_id=uid,
                token=secrets_[uid],
                course=course,
                start=float(rng.randint(0, max(0, int(room) - 1))),
                speed=speed,
                offset=offset,
                beats=beats,
            )
        )
    return viewers


class Upstream:
    """Keep-alive HTTP/1.1 connections to the web service, kept as nginx keeps its upstream
    ones (``keepalive 16`` per nginx worker, two workers; an idle one let go after 4 s, before
    gunicorn's own 5 s): a request takes an idle connection or opens a new one."""

    IDLE = 32
    IDLE_SECONDS = 4.0

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.idle: list[tuple[float, asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def post(self, path: str, token: str, body: bytes) -> int:
        """The status of one POST (an OSError or asyncio.IncompleteReadError when the
        connection fails)."""
        now = time.monotonic()
        while self.idle:
            since, reader, writer = self.idle.pop()
            if now - since < self.IDLE_SECONDS and not reader.at_eof():
                break
            writer.close()
        else:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(
                (
                    f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                    f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n"
                ).encode()
                + body
            )
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            fields = {
                name.strip().lower(): value.strip()
                for name, _, value in (line.partition(":") for line in lines[1:] if line)
            }
            await reader.readexactly(int(fields["content-length"]))
        except BaseException:
            writer.close()
            raise
        if fields.get("connection", "").lower() == "close" or len(self.idle) >= self.IDLE:
            writer.close()
        else:
            self.idle.append((time.monotonic(), reader, writer))
        return status

    def close(self) -> None:
        for _since, _reader, writer in self.idle:
            writer.close()
        self.idle.clear()


def run_schedule(
    base: str,
    viewers: list[Viewer],
    body: Callable[[Viewer, int], dict[str, Any]],
    expect: int,
) -> tuple[Outcome, float]:
    """Every viewer's beats at their times, each beat a task of one event loop sending through
    ``Upstream`` (a client that costs the two cores little beside the service it measures);
    returns the outcome and the wall time."""
    address = urlsplit(base)
    path = "/api/v1/learning/heartbeats"
    out = Outcome()

    async def beat(upstream: Upstream, t0: float, due: float, i: int, k: int) -> None:
        loop = asyncio.get_running_loop()
        await asyncio.sleep(max(0.0, t0 + due - loop.time()))
        viewer = viewers[i]
        payload = body(viewer, k)
        data = json.dumps(payload).encode()
        out.lags.append((loop.time() - t0 - due) * 1000)
        out.sent += 1
        for attempt in range(len(RESENDS) + 1):
            start = loop.time()
            try:
                status = str(await upstream.post(path, viewer.token, data))
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
                status = type(exc).__name__
            if attempt == 0:
                out.latencies.append((loop.time() - start) * 1000)
                out.since_due.append((loop.time() - t0 - due) * 1000)
            if status == str(expect):
                if attempt == 0:
                    out.first_ok += 1
                else:
                    out.resent += 1
                if "intervals" in payload:
                    a, b = payload["intervals"][0]
                    out.answered[i] = out.answered.get(i, 0.0) + (b - a)
                return
            out.statuses[status] += 1
            if attempt < len(RESENDS):
                await asyncio.sleep(RESENDS[attempt])
        out.lost += 1

    async def schedule() -> None:
        upstream = Upstream(address.hostname or "127.0.0.1", address.port or 80)
        t0 = asyncio.get_running_loop().time() + 0.5
        try:
            await asyncio.gather(
                *(
                    beat(upstream, t0, viewer.offset + k * BEAT_SECONDS, i, k)
                    for i, viewer in enumerate(viewers)
                    for k in range(viewer.beats)
                )
            )
        finally:
            upstream.close()

    started = time.perf_counter()
    asyncio.run(schedule())
    return out, time.perf_counter() - started


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by gunicorn's workers (the children of ``pid``)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


def phase(
    web_pid: int,
    base: str,
    viewers: list[Viewer],
    body: Callable[[Viewer, int], dict[str, Any]],
    expect: int,
    name: str,
) -> tuple[Outcome, float]:
    """One schedule run, printed with the CPU time the web workers and this process spent."""
    server, client = server_cpu(web_pid), time.process_time()
    out, wall = run_schedule(base, viewers, body, expect)
    server, client = server_cpu(web_pid) - server, time.process_time() - client
    print_outcome(name, out, wall)
    print(
        f"  {'':<26} CPU per request: web workers {1000 * server / max(1, out.sent):.1f} ms, "
        f"this client {1000 * client / max(1, out.sent):.1f} ms; the web workers used "
        f"{server / wall:.2f} of the {os.cpu_count()} cores {load()}"
    )
    return out, 1000 * server / max(1, out.sent)


def beat_body(viewer: Viewer, k: int) -> dict[str, Any]:
    a, b = viewer.stretch(k)
    return {"resource_id": viewer.course, "intervals": [[a, b]], "position": b}


def noop_body(_viewer: Viewer, _k: int) -> dict[str, Any]:
    return {"position": 0}  # no resource_id: 400 once the token has signed the viewer in


def print_outcome(name: str, out: Outcome, wall: float) -> None:
    print(
        f"  {name:<26} {ms(out.latencies)}  p99 {pct(out.latencies, 0.99):7.1f} ms  "
        f"({out.sent} sent in {wall:.0f} s = {out.sent / wall:.0f}/s; "
        f"sent late by p95 {pct(out.lags, 0.95):.0f} ms, max {max(out.lags, default=0):.0f} ms; "
        f"answered after it was due: p95 {pct(out.since_due, 0.95):.0f} ms)"
    )
    failed = ", ".join(f"{k}: {v}" for k, v in out.statuses.most_common()) or "none"
    print(
        f"  {'':<26} answered at once {out.first_ok}, after a resend {out.resent}, "
        f"lost {out.lost}; failed attempts: {failed}"
    )


def check_records(db: Database, viewers: list[Viewer], out: Outcome) -> tuple[int, float]:
    """Viewers whose record or learning days differ from what they sent, and by how much in
    all (seconds)."""
    wanted = {v.user_id: (v.course, out.answered.get(i, 0.0)) for i, v in enumerate(viewers)}
    watched: dict[int, float] = {}
    days: dict[int, float] = defaultdict(float)
    ids = list(wanted)
    with db.engine.connect() as conn:
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            for uid, rid, seconds in conn.execute(
                select(
                    LearningRecord.user_id,
                    LearningRecord.resource_id,
                    LearningRecord.watched_seconds,
                ).where(LearningRecord.user_id.in_(part))
            ):
                if wanted[uid][0] == rid:
                    watched[uid] = float(seconds)
            for uid, subject, seconds in conn.execute(
                select(LearningDay.user_id, LearningDay.subject, LearningDay.seconds).where(
                    LearningDay.user_id.in_(part), LearningDay.day >= today() - dt.timedelta(1)
                )
            ):
                if subject == f"r{wanted[uid][0]}":
                    days[uid] += float(seconds)
    wrong, difference = 0, 0.0
    for uid, (_course, sent) in wanted.items():
        off = abs(watched.get(uid, 0.0) - sent) + abs(days.get(uid, 0.0) - sent)
        if off > 0.01:
            wrong += 1
            difference += off
    return wrong, difference


def heartbeats(
    db: Database,
    web_pid: int,
    base: str,
    world: World,
    args: argparse.Namespace,
    rng: random.Random,
    name: str,
    summary: Summary,
) -> None:
    seconds = args.minutes * 60
    with db.session() as session:
        viewers = make_viewers(session, world, args.viewers, rng, seconds)
    per_second = len(viewers) / BEAT_SECONDS
    print(
        f"2. heartbeats: {len(viewers)} viewers, a beat each every {BEAT_SECONDS} s "
        f"(about {per_second:.0f}/s), {sum(v.speed == 2 for v in viewers)} at 2x {load()}"
    )
    base_viewers = [
        Viewer(v.user_id, v.token, v.course, v.start, v.speed, v.offset, v.beats) for v in viewers
    ]
    baseline_seconds = min(seconds, 30.0)
    for v in base_viewers:
        v.beats = (
            max(0, int((baseline_seconds - v.offset) // BEAT_SECONDS) + 1)
            if v.offset < baseline_seconds
            else 0
        )
    noop, noop_cpu = phase(
        web_pid, base, base_viewers, noop_body, 400, f"baseline no-op ({baseline_seconds:.0f} s)"
    )
    beats, beat_cpu = phase(web_pid, base, viewers, beat_body, 200, f"heartbeats ({seconds:.0f} s)")
    wrong, difference = check_records(db, viewers, beats)
    sent_seconds = sum(beats.answered.values())
    print(
        f"  {'in the database':<26} {len(viewers) - wrong} of {len(viewers)} viewers' records "
        f"and learning days hold exactly what they sent ({sent_seconds:,.0f} media seconds); "
        f"{wrong} differ by {difference:,.1f} s in all {load()}"
    )
    base_p50 = pct(noop.latencies, 0.5)
    p95 = pct(beats.latencies, 0.95)
    print(f"  heartbeat p95 / baseline p50: {p95 / base_p50:.1f}x")
    summary.put(
        name,
        "heartbeat p50 / p95 / p99 (ms)",
        " / ".join(f"{pct(beats.latencies, q):.1f}" for q in (0.5, 0.95, 0.99)),
        "p95 < 50 ms",
    )
    summary.put(
        name,
        "baseline no-op POST p50 / p95 (ms)",
        " / ".join(f"{pct(noop.latencies, q):.1f}" for q in (0.5, 0.95)),
    )
    summary.put(name, "heartbeat p95 / baseline p50", f"{p95 / base_p50:.1f}x")
    summary.put(
        name, "web CPU per request: no-op / heartbeat (ms)", f"{noop_cpu:.1f} / {beat_cpu:.1f}"
    )
    summary.put(
        name,
        "beats sent late / answered after due, p95 (ms)",
        f"{pct(beats.lags, 0.95):.0f} / {pct(beats.since_due, 0.95):.0f}",
    )
    summary.put(
        name,
        "beats sent / at once / resent / lost",
        f"{beats.sent} / {beats.first_ok} / {beats.resent} / {beats.lost}",
        "0 lost",
    )
    summary.put(name, "viewers whose DB record differs", f"{wrong} of {len(viewers)}", "0")
    lost, unequal, pairs = simultaneous(db, base, viewers[: args.pairs])
    print(
        f"  {'two beats at once':<26} {pairs} viewers sent two different stretches at the same "
        f"moment (a resend crossing a new beat): {lost} records lost a stretch, {unequal} "
        f"records differ from the learning days"
    )
    summary.put(name, "two beats at once: records losing one", f"{lost} of {pairs}", "0")


def watched(db: Database, viewers: list[Viewer]) -> dict[int, tuple[float, float]]:
    """Each viewer's watched seconds of her course, and her learning days' seconds for it."""
    out: dict[int, tuple[float, float]] = {}
    with db.engine.connect() as conn:
        for v in viewers:
            record = conn.scalar(
                select(LearningRecord.watched_seconds).where(
                    LearningRecord.user_id == v.user_id, LearningRecord.resource_id == v.course
                )
            )
            days = conn.scalar(
                select(func.coalesce(func.sum(LearningDay.seconds), 0.0)).where(
                    LearningDay.user_id == v.user_id, LearningDay.subject == f"r{v.course}"
                )
            )
            out[v.user_id] = (float(record or 0.0), float(days or 0.0))
    return out


def simultaneous(db: Database, base: str, viewers: list[Viewer]) -> tuple[int, int, int]:
    """Each viewer, one after the other, sends two beats with different stretches at the same
    moment (the player resending stored stretches while a new beat goes out). Returns the
    records that lost a stretch, the records that differ from the learning days, and the
    viewers tried."""
    before = watched(db, viewers)
    url = f"{base}/api/v1/learning/heartbeats"
    failed: Counter[str] = Counter()
    for viewer in viewers:
        gate = threading.Barrier(2)

        def send(k: int, viewer: Viewer = viewer, gate: threading.Barrier = gate) -> None:
            a, b = viewer.stretch(viewer.beats + k)
            gate.wait()
            answer = requests.post(
                url,
                json={"resource_id": viewer.course, "intervals": [[a, b]], "position": b},
                headers={"Authorization": f"Bearer {viewer.token}", "Connection": "close"},
                timeout=30,
            )
            if answer.status_code != 200:
                failed[str(answer.status_code)] += 1

        pair = [threading.Thread(target=send, args=(k,)) for k in (0, 1)]
        for t in pair:
            t.start()
        for t in pair:
            t.join()
    if failed:
        print(f"  two beats at once: failed answers {dict(failed)}")
    after = watched(db, viewers)
    lost = unequal = 0
    for v in viewers:
        record, days = after[v.user_id]
        if record + 0.01 < before[v.user_id][0] + 2 * BEAT_SECONDS * v.speed:
            lost += 1
        if abs(record - days) > 0.01:
            unequal += 1
    return lost, unequal, len(viewers)


# --- dashboards ------------------------------------------------------------------------------


def dashboards(
    db: Database, base: str, world: World, args: argparse.Namespace, name: str, summary: Summary
) -> None:
    print(
        f"3. dashboards of {world.year}: the district and {len(STREETS)} streets, without and "
        f"with an audience, {args.rounds} rounds {load()}"
    )
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {world.admin_token}"

    def get(path: str, params: dict[str, Any]) -> tuple[float, dict[str, Any]]:
        start = time.perf_counter()
        answer = http.get(f"{base}{path}", params=params, timeout=300)
        elapsed = (time.perf_counter() - start) * 1000
        if answer.status_code != 200:
            raise SystemExit(f"{path} {params}: {answer.status_code} {answer.text[:300]}")
        return elapsed, answer.json()

    for _ in range(20):
        get("/api/v1/learning/records", {})
    trivial = [get("/api/v1/learning/records", {})[0] for _ in range(100)]
    print(f"  {'baseline: my records':<34} {ms(trivial)}")
    _, first = get("/api/v1/statistics/dashboard", {"year": world.year})  # warm
    f = first["figures"]
    print(
        f"  the district's figures: participants {f['participants']:,} "
        f"({f['participation_pct']} %), aged 60+ {f['elderly_participants']:,} "
        f"({f['elderly_pct']} %), 三农 person-times {f['sannong_person_times']:,}, employed "
        f"{f['employed_participants']:,} ({f['continuing_pct']} %), online learners "
        f"{f['online_learners']:,}, minutes {f['minutes_watched']:,.0f}, live learners "
        f"{f['live_learners']:,}, activity person-times {f['activity_person_times']:,}"
    )
    kinds: dict[str, list[float]] = defaultdict(list)
    for r in range(args.rounds):
        audience = world.audiences[r % len(world.audiences)]
        # The district's answers are sampled three times a round, each street's once.
        asked = [(None, None), (None, audience)] * 3
        asked += [(street, a) for street in STREETS for a in (None, audience)]
        for street, wanted in asked:
            params: dict[str, Any] = {"year": world.year}
            if street:
                params["street"] = street
            if wanted:
                params["audience"] = wanted
            kind = ("street" if street else "district") + (" + audience" if wanted else "")
            kinds[kind].append(get("/api/v1/statistics/dashboard", params)[0])
    base_p50 = pct(trivial, 0.5)
    everything: list[float] = []
    for kind in ("district", "district + audience", "street", "street + audience"):
        times = kinds[kind]
        everything += times
        print(
            f"  {'dashboard, ' + kind:<34} {ms(times)}  max {max(times):7.1f} ms  "
            f"(p95 / baseline p50: {pct(times, 0.95) / base_p50:.0f}x, n={len(times)})"
        )
        summary.put(
            name,
            f"dashboard {kind} p50 / p95 (ms)",
            f"{pct(times, 0.5):.0f} / {pct(times, 0.95):.0f}",
            "p95 < 300 ms",
        )
    summary.put(name, "dashboard, all kinds, p95 (ms)", f"{pct(everything, 0.95):.0f}", "< 300 ms")
    summary.put(
        name,
        "baseline my records p50 / p95 (ms)",
        f"{pct(trivial, 0.5):.1f} / {pct(trivial, 0.95):.1f}",
    )
    breakdown(db, world, name, summary)


def dashboard_parts(
    session: Session, year: int, audience: str | None
) -> list[tuple[str, Callable[[], Any]]]:
    """What ``statistics.views.dashboard_data`` calls for the district, in its order."""
    scope = queries.scope_of(session, None, year, audience)
    before = queries.scope_of(session, None, year - 1, audience)
    counts = queries.tallies(session, scope)
    return [
        ("tallies (by organisation)", lambda: queries.tallies(session, scope)),
        (
            "figures",
            lambda: queries.figures(session, scope, None, counts=queries.total(counts)),
        ),
        ("  (of which anonymous)", lambda: queries.anonymous(session, scope)),
        ("online learners the year before", lambda: queries.online_learners(session, before)),
        ("by_street (10 streets)", lambda: queries.by_street(session, year, audience, counts)),
        ("top_courses", lambda: queries.top_courses(session, scope)),
        ("activities_by_kind", lambda: queries.activities_by_kind(session, scope)),
        ("competition_figures", lambda: queries.competition_figures(session, scope)),
    ]


def breakdown(db: Database, world: World, name: str, summary: Summary) -> None:
    """Where the district's dashboard spends its time and how many SQL statements it sends, by
    function of the statistics queries, called in this process (best of 2)."""
    statements = [0]

    def counted(*_args: Any) -> None:
        statements[0] += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        with Session(db.engine) as session:
            for audience in (None, world.audiences[0]):
                label = "district" + (f" + audience {audience}" if audience else "")
                print(f"  the {label} dashboard in this process, by function (best of 2):")
                total, sent = 0.0, 0
                for part, call in dashboard_parts(session, world.year, audience):
                    best = float("inf")
                    for _ in range(2):
                        statements[0] = 0
                        start = time.perf_counter()
                        call()
                        best = min(best, (time.perf_counter() - start) * 1000)
                    print(f"    {part:<30} {best:8.1f} ms  {statements[0]:4d} statements")
                    if not part.startswith(" "):
                        total, sent = total + best, sent + statements[0]
                print(f"    {'in all':<30} {total:8.1f} ms  {sent:4d} statements")
                summary.put(
                    name,
                    ("district + audience" if audience else "district")
                    + " dashboard in process (ms / SQL)",
                    f"{total:.0f} / {sent}",
                )
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)


# --- one database ----------------------------------------------------------------------------


def drop_namespace(app: Flask | None, redis_url: str) -> None:
    if app is not None:
        app.extensions["search"].drop_prefixed()
        storage = app.extensions["storage"]
        for role in ("originals", "media"):  # the web process made its buckets; empty ones
            bucket = storage.bucket(role)
            if storage.client.bucket_exists(bucket):
                storage.client.remove_bucket(bucket)
        from repo_service.app import dispose_app

        dispose_app(app)
    client = redis.Redis.from_url(redis_url)
    try:
        client.flushdb()
    finally:
        client.close()


def bench_database(kind: str, args: argparse.Namespace, redis_url: str, summary: Summary) -> None:
    run = secrets.token_hex(3)
    rng = random.Random(args.seed)  # noqa: S311 - a reproducible district, not a secret
    tmp = Path(tempfile.mkdtemp(prefix="zx-bench-records-"))
    name = "SQLite" if kind == "sqlite" else "PostgreSQL"
    print(f"\n=== {name} ===")
    app: Flask | None = None
    web: subprocess.Popen[bytes] | None = None
    try:
        with scratch_database(kind, run, tmp) as url:
            env = {
                **os.environ,
                "PYTHONPATH": os.pathsep.join(
                    p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
                ),
                "ZX_DATABASE_URL": url,
                "ZX_SEARCH_INDEX_PREFIX": f"zxb-{run}-",
                "ZX_S3_BUCKET_PREFIX": f"zxb-{run}-",
                "ZX_REDIS_URL": redis_url,
                "ZX_SECRET_KEY": secrets.token_urlsafe(32),
                "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
            }
            os.environ.update({k: v for k, v in env.items() if k.startswith("ZX_")})
            app = create_app({"SKIP_BUCKET_SETUP": True})
            db: Database = app.extensions["db"]
            try:
                upgrade(db)
                started = time.perf_counter()
                longest = (args.minutes * 60 / BEAT_SECONDS + 4) * BEAT_SECONDS * 2
                world = generate(db, args, rng, run, longest)
                took = time.perf_counter() - started
                c = world.counts
                print(
                    f"1. a year ({world.year}) generated in {took:.1f} s: {c['users']:,} residents "
                    f"({c['learners']:,} learning online), {c['heartbeats']:,} heartbeats as "
                    f"{c['learning_days']:,} learning days (learner x day x course; "
                    f"{c['learning_years']:,} yearly totals rows) and "
                    f"{c['learning_records']:,} learning records, {c['activities']:,} activities "
                    f"with {c['attendances']:,} attendances, {len(world.courses)} courses"
                )
                summary.put(name, "generation (s)", f"{took:.1f}")
                summary.put(name, "learning_days rows", f"{c['learning_days']:,}")
                web, base = start_web(env, world.admin_token)
                if "heartbeats" in args.parts:
                    heartbeats(db, web.pid, base, world, args, rng, name, summary)
                if "dashboards" in args.parts:
                    dashboards(db, base, world, args, name, summary)
            finally:
                if web is not None:
                    stop_web(web)
                db.dispose()
    finally:
        drop_namespace(app, redis_url)
        shutil.rmtree(tmp, ignore_errors=True)


def check_redis(url: str) -> None:
    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        if client.dbsize():
            raise SystemExit(
                f"Redis database {url} is in use (a test run or another benchmark): "
                "choose another with --redis-db"
            )
    finally:
        client.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to try it out")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"))
    parser.add_argument("--viewers", type=int, default=2000)
    parser.add_argument("--minutes", type=float, default=2.0, help="of heartbeats")
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--heartbeats", type=int, default=5_000_000, help="in the year's data")
    parser.add_argument("--courses", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3, help="of the 22 dashboards")
    parser.add_argument("--pairs", type=int, default=50, help="viewers sending two beats at once")
    parser.add_argument("--year", type=int, default=today().year - 1)
    parser.add_argument("--redis-db", type=int, default=12, help="an empty Redis database")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--parts",
        default="heartbeats,dashboards",
        help="what to measure after generating the year: heartbeats, dashboards or both",
    )
    args = parser.parse_args()
    if args.quick:
        args.viewers, args.minutes, args.residents = 200, 0.5, 10_000
        args.heartbeats, args.courses, args.rounds = 200_000, 100, 2
    if args.viewers > args.residents:
        raise SystemExit("--viewers cannot exceed --residents (viewers are residents)")
    if args.courses < VIEWING_COURSES:
        raise SystemExit(f"--courses must be at least {VIEWING_COURSES}")

    why_not = pg_unusable(pg_url())
    if args.database is None:
        args.database = "both" if why_not is None else "sqlite"
        if why_not:
            print(f"PostgreSQL left out: {why_not}")
    elif args.database in {"postgresql", "both"} and why_not:
        raise SystemExit(f"--database {args.database}: PostgreSQL cannot be used: {why_not}")
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]

    redis_url = load_config()["REDIS_URL"].rsplit("/", 1)[0] + f"/{args.redis_db}"
    check_redis(redis_url)
    # Stopped by SIGTERM (timeout, kill): clean up as after Ctrl-C, the web process included.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    summary = Summary()
    for kind in kinds:
        bench_database(kind, args, redis_url, summary)
    summary.print(["SQLite" if k == "sqlite" else "PostgreSQL" for k in kinds])
    return 0


if __name__ == "__main__":
    sys.exit(main())
