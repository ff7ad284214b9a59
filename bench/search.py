"""Search at district scale: bulk indexing, query and suggestion latency, rebuild time.

Run with the services up (./infra/svc up redis s3 elasticsearch):

    PYTHONPATH=. python bench/search.py [--resources 100000] [--pages 200000] [--queries 400]

It works in a private namespace (SQLite file, index prefix, Redis database): generates
``--resources`` resources with Chinese titles and summaries, a fifth of them textbooks holding
``--pages`` pages between them, and loads them into the database. Then it measures:

- the rebuild from the database (segmentation, pinyin, bulk requests, alias swap) as wall time
  and documents per second, and a raw bulk run of the same documents already built, so the
  share taken by the Python side shows;
- search latency p50/p95 for a mixed query set (words, pinyin apart and joined, initials,
  tone marks, everyday words, phrases, exclusions, filters, browsing), overall and by kind, in
  the service (building the request, the node, shaping the answer) and
  through the HTTP API of a gunicorn process set up like ./infra/svc's, each as a ratio to a
  baseline measured in the same run: a bare ``match_all`` request to the node;
- suggestion latency p50/p95 for prefixes in characters, pinyin and initials.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from elasticsearch import helpers
from pypinyin import Style, lazy_pinyin

from infra.svc import gunicorn_argv
from repo_service import create_app
from repo_service.accounts.models import Role
from repo_service.accounts.services import create_user, ensure_network, find_organisation
from repo_service.config import load_config
from repo_service.migrate import upgrade
from search.build import batches
from search.index import documents, mappings
from search.indexer import reindex
from search.text import segmenter
from tests.search.loader import load

STREETS = ("东山", "秣陵", "汤山", "淳化", "禄口", "江宁", "谷里", "湖熟", "横溪", "麒麟")
CATEGORIES = {
    "老年教育/智能技术": [
        "智能手机",
        "微信视频",
        "移动支付",
        "网上挂号",
        "防诈骗",
        "打车软件",
        "健康码",
    ],
    "三农培训": [
        "茶叶种植",
        "草莓大棚",
        "稻虾共养",
        "电商直播",
        "苗木栽培",
        "螃蟹养殖",
        "菊花栽培",
    ],
    "职业技能": ["家政服务", "育婴师", "面点制作", "电工安全", "养老护理", "插花技艺", "收纳整理"],
    "青少年校外": ["科普实验", "书法入门", "非遗剪纸", "防溺水", "编程启蒙", "航模制作", "围棋"],
    "家庭教育": ["亲子沟通", "家庭教育促进法", "青春期心理", "隔代教养", "家庭阅读"],
    "党史学习": ["红色江宁", "党史故事", "革命先烈", "新时代文明实践"],
    "文化艺术": ["江宁织锦", "秦淮灯彩", "太极拳", "广场舞", "合唱", "摄影", "葫芦丝"],
    "健康养生": ["高血压饮食", "中医养生", "急救知识", "心肺复苏", "防跌倒", "八段锦"],
}
AUDIENCES = ("老年人", "农民", "青少年", "家长", "社区居民", "社区教育教师")
FORMS = ("入门", "基础", "进阶", "实操", "十讲", "微课", "指南", "技巧", "常见问题", "案例")
PLACES = ("汤山温泉", "牛首山", "阳山碑材", "杨柳村", "大塘金", "黄龙岘", "方山", "百家湖")
SENTENCES = (
    "本节介绍{t}的基本方法和注意事项。",
    "学员可以结合{p}的实际情况开展练习。",
    "请按照步骤逐项操作，遇到问题及时向老师请教。",
    "{t}需要耐心和细心，反复练习才能熟练掌握。",
    "社区学校定期组织{t}交流活动，欢迎居民参加。",
    "在{p}一带，许多居民已经通过学习掌握了{t}。",
    "课后请完成练习，并把心得分享给家人和邻居。",
    "安全第一，操作前请检查设备和环境。",
)


def generate(count: int, pages: int, rng: random.Random) -> list[dict[str, Any]]:
    books = max(1, count // 5)
    per_book = [pages // books + (1 if i < pages % books else 0) for i in range(books)]
    resources = []
    for i in range(count):
        category = rng.choice(list(CATEGORIES))
        topic = rng.choice(CATEGORIES[category])
        place = rng.choice(PLACES)
        street = rng.choice(STREETS)
        textbook = i < books
        title = f"{street}{topic}{rng.choice(FORMS)}（第{i % 97 + 1}期）"
        summary = (
            "".join(s.format(t=topic, p=place) for s in rng.sample(SENTENCES, 2))
            + f"适合{rng.choice(AUDIENCES)}学习。"
        )
        resources.append(
            {
                "title": title,
                "summary": summary,
                "tags": [topic, street],
                "kind": "textbook" if textbook else rng.choice(("video", "video", "courseware")),
                "category": category,
                "audience": rng.choice(AUDIENCES),
                "street": street,
                "year": rng.randint(2019, 2026),
                "duration": None if textbook else rng.randint(60, 3600),
                "views": int(rng.paretovariate(1.2) * 10),
                "award": rng.choice(("一等奖", "二等奖", "三等奖"))
                if rng.random() < 0.02
                else None,
                "status": "published" if rng.random() < 0.95 else "draft",
                "pages": [
                    "".join(
                        s.format(t=rng.choice(CATEGORIES[category]), p=rng.choice(PLACES))
                        for s in rng.sample(SENTENCES, 4)
                    )
                    for _ in range(per_book[i] if textbook else 0)
                ],
            }
        )
    return resources


# What residents type in everyday words (each has a synonym group shipped in search/).
EVERYDAY = (
    "反诈",
    "坐地铁",
    "交电费",
    "老人 摔跤",
    "血压高怎么吃",
    "带孙子",
    "网购",
    "抖音",
    "看病",
)


def query_set(
    resources: list[dict[str, Any]], n: int, rng: random.Random
) -> list[tuple[str, dict[str, str]]]:
    """``n`` queries as (kind, request arguments), the kinds taking turns."""
    topics = [t for ts in CATEGORIES.values() for t in ts]
    queries: list[tuple[str, dict[str, str]]] = []
    makers: list[tuple[str, Callable[[], dict[str, str]]]] = [
        ("words", lambda: {"q": rng.choice(topics)}),
        ("street + topic", lambda: {"q": f"{rng.choice(STREETS)} {rng.choice(topics)}"}),
        ("pinyin apart", lambda: {"q": " ".join(lazy_pinyin(rng.choice(topics)))}),
        (
            "initials",
            lambda: {"q": "".join(lazy_pinyin(rng.choice(topics), style=Style.FIRST_LETTER))},
        ),
        ("quoted place", lambda: {"q": f'"{rng.choice(PLACES)}"'}),
        ("exclusion", lambda: {"q": f"{rng.choice(topics)} -{rng.choice(FORMS)}"}),
        ("filtered", lambda: {"q": rng.choice(topics), "category": rng.choice(list(CATEGORIES))}),
        ("title fragment", lambda: {"q": rng.choice(resources)["title"][2:8]}),
        ("browsing", lambda: {"category": rng.choice(list(CATEGORIES)), "sort": "newest"}),
        (
            "sorted",
            lambda: {
                "q": rng.choice(topics),
                "year": str(rng.randint(2019, 2026)),
                "sort": "views",
            },
        ),
        # Typed across word boundaries: a title's middle in joined pinyin, then its initials.
        ("joined pinyin", lambda: {"q": "".join(lazy_pinyin(rng.choice(resources)["title"][1:6]))}),
        (
            "joined initials",
            lambda: {
                "q": "".join(
                    lazy_pinyin(rng.choice(resources)["title"][:4], style=Style.FIRST_LETTER)
                )
            },
        ),
        ("tone marks", lambda: {"q": "".join(lazy_pinyin(rng.choice(topics), style=Style.TONE))}),
        ("everyday words", lambda: {"q": rng.choice(EVERYDAY)}),
    ]
    for i in range(n):
        kind, make = makers[i % len(makers)]
        queries.append((kind, make()))
    rng.shuffle(queries)
    return queries


def prefixes(resources: list[dict[str, Any]], n: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(n):
        title = rng.choice(resources)["title"]
        kind = rng.randrange(3)
        if kind == 0:
            out.append(title[: rng.randint(1, 4)])
        elif kind == 1:
            out.append("".join(lazy_pinyin(title[:4]))[: rng.randint(2, 8)])
        else:
            out.append("".join(lazy_pinyin(title[:4], style=Style.FIRST_LETTER))[:3])
    return out


def timed(calls: list[Callable[[], Any]]) -> list[float]:
    times = []
    for call in calls:
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, times: list[float], baseline: float) -> None:
    p50, p95 = pct(times, 0.5), pct(times, 0.95)
    print(
        f"{name:<28} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
        f"(p95 / baseline p50: {p95 / baseline:5.1f}×, n={len(times)})"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_web(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """A gunicorn process set up like ./infra/svc's, answering searches."""
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    web = subprocess.Popen(
        [*gunicorn_argv(f"127.0.0.1:{port}", gunicorn=gunicorn), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                # The first search loads the dictionaries: it may take several seconds.
                if requests.get(f"{base}/api/v1/search", params={"q": "茶叶"}, timeout=60).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
    except BaseException:
        web.terminate()  # never leave a server behind
        raise
    return web, base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    rng = random.Random(args.seed)  # noqa: S311 - a reproducible corpus, not a secret
    run = secrets.token_hex(3)
    tmp = Path(tempfile.mkdtemp(prefix="zx-bench-search-"))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ZX_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "ZX_SEARCH_INDEX_PREFIX": f"zxb-{run}-",
        "ZX_S3_BUCKET_PREFIX": f"zxb-{run}-",
        "ZX_REDIS_URL": load_config()["REDIS_URL"].rsplit("/", 1)[0] + "/15",
        "ZX_SECRET_KEY": secrets.token_urlsafe(32),
        "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
    }
    os.environ.update({k: v for k, v in env.items() if k.startswith("ZX_")})
    app = create_app({"SKIP_BUCKET_SETUP": True})
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    db = app.extensions["db"]
    search = app.extensions["search"]
    web = None
    try:
        upgrade(db)
        started = time.perf_counter()
        resources = generate(args.resources, args.pages, rng)
        with db.session() as session:
            ensure_network(session)
            owner = create_user(
                session,
                username=f"bench-{run}",
                password="bench-password",
                display_name="bench",
                organisation=find_organisation(session, "秣陵"),
                roles=[Role.TEACHER],
            )
            owner_id = owner.id
        with db.session() as session:
            load(session, resources, owner_id)
        print(
            f"generated and loaded {len(resources)} resources, "
            f"{sum(len(r['pages']) for r in resources)} pages "
            f"in {time.perf_counter() - started:.1f} s"
        )

        assert segmenter().tokenizer is not None  # built once, as a long-running worker has it
        result = reindex(search, db.session, (), grace=0)
        rate = result.documents / result.seconds
        print(
            f"rebuild from the database: {result.documents} documents "
            f"({result.resources} resources) in {result.seconds:.1f} s = {rate:,.0f} documents/s"
        )

        # The same documents, built beforehand, bulk-loaded into a scratch index.
        with db.session() as session:
            sample = list(range(1, args.resources // 10 + 1))
            built = [
                {"_index": search.name("scratch"), "_id": doc_id, "_source": doc}
                for source in batches(session, sample)
                for doc_id, doc in documents(source).items()
            ]
        search.es.indices.create(index=search.name("scratch"), mappings=mappings(()))
        start = time.perf_counter()
        for ok, _item in helpers.parallel_bulk(
            search.es.options(request_timeout=120), built, thread_count=2, chunk_size=500
        ):
            assert ok
        raw = len(built) / (time.perf_counter() - start)
        search.es.indices.delete(index=search.name("scratch"))
        print(
            f"bulk of prebuilt documents: {raw:,.0f} documents/s "
            f"(rebuild rate / raw bulk rate: {rate / raw:.2f})"
        )

        queries = query_set(resources, args.queries, rng)
        typed = prefixes(resources, args.queries, rng)
        alias = search.name("resources")
        for _ in range(30):  # warm the node's caches and the tokenizer
            search.es.search(index=alias, query={"match_all": {}}, size=10)
        baseline_times = timed(
            [lambda: search.es.search(index=alias, query={"match_all": {}}, size=10)] * 200
        )
        baseline = pct(baseline_times, 0.5)
        p95 = pct(baseline_times, 0.95)
        print(f"{'baseline match_all':<28} p50 {baseline:7.1f} ms   p95 {p95:7.1f} ms")

        from search.views import run_search

        def in_service(params: dict[str, str]) -> Callable[[], Any]:
            def call() -> Any:
                with app.test_request_context("/api/v1/search", query_string=params):
                    return run_search()

            return call

        web, base = start_web(env)
        http = requests.Session()

        def over_http(path: str, params: dict[str, str]) -> Callable[[], Any]:
            def call() -> Any:
                response = http.get(f"{base}{path}", params=params, timeout=10)
                response.raise_for_status()
                return response

            return call

        # Each query is sent both ways, in alternating order, so neither way meets the node's
        # caches warmed by the other more often.
        warm, measured = queries[:30], queries[30:]
        for _kind, params in warm:
            in_service(params)()
            over_http("/api/v1/search", params)()
        service_times: list[float] = []
        http_times: list[float] = []
        by_kind: dict[str, list[float]] = {}
        for i, (kind, params) in enumerate(measured):
            pair = [
                (service_times, in_service(params)),
                (http_times, over_http("/api/v1/search", params)),
            ]
            for into, call in pair if i % 2 else reversed(pair):
                into.extend(timed([call]))
            by_kind.setdefault(kind, []).append(service_times[-1])
        report("search, in the service", service_times, baseline)
        report("search, HTTP API", http_times, baseline)
        for kind, times in sorted(by_kind.items()):
            report(f"  {kind}", times, baseline)
        for prefix in typed[:30]:
            http.get(f"{base}/api/v1/search/suggest", params={"q": prefix})
        report(
            "suggestions, HTTP API",
            timed([over_http("/api/v1/search/suggest", {"q": p}) for p in typed[30:]]),
            baseline,
        )
    finally:
        if web is not None:
            web.terminate()
            web.wait(timeout=20)
        search.drop_prefixed()
        storage = app.extensions["storage"]
        for role in ("originals", "media"):  # the web process made its buckets; empty ones
            if storage.client.bucket_exists(storage.bucket(role)):
                storage.client.remove_bucket(storage.bucket(role))
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
