"""How often search finds the right resource, by kind of query: the share of queries whose
resources all rank in the first five.

Run with the services up (./infra/svc up redis s3 elasticsearch):

    PYTHONPATH=. python bench/search_quality.py

It loads the test corpus (``tests/search/corpus.py``) into a private namespace (SQLite file,
index prefix, Redis database), builds the index, and sends three query sets through the
service's search: the query table of the search tests (words, phrases, pinyin apart, initials,
typos, page text, exclusions, places), the queries residents type (joined pinyin and initials,
tone marks, pinyin of summary words, synonyms, everyday words), which the tests also assert,
and a held-out set of the same kinds written against resources no tuning looked at, which no
test asserts. Each line prints hits / queries per kind; the misses are listed at the end.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repo_service import create_app
from repo_service.accounts.models import Role
from repo_service.accounts.services import create_user, ensure_network, find_organisation
from repo_service.config import load_config
from repo_service.migrate import upgrade
from search.indexer import reindex
from search.views import run_search
from tests.search.corpus import HELD_OUT, QUERIES, RESOURCES, TYPED
from tests.search.loader import load


def main() -> None:
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    run = secrets.token_hex(3)
    tmp = Path(tempfile.mkdtemp(prefix="zx-bench-quality-"))
    os.environ.update(
        {
            "ZX_DATABASE_URL": f"sqlite:///{tmp / 'quality.db'}",
            "ZX_SEARCH_INDEX_PREFIX": f"zxq-{run}-",
            "ZX_S3_BUCKET_PREFIX": f"zxq-{run}-",
            "ZX_REDIS_URL": load_config()["REDIS_URL"].rsplit("/", 1)[0] + "/15",
            "ZX_SECRET_KEY": secrets.token_urlsafe(32),
        }
    )
    app = create_app({"SKIP_BUCKET_SETUP": True})
    db = app.extensions["db"]
    search = app.extensions["search"]
    try:
        upgrade(db)
        with db.session() as session:
            ensure_network(session)
            owner = create_user(
                session,
                username=f"quality-{run}",
                password="quality-password",
                display_name="quality",
                organisation=find_organisation(session, "秣陵"),
                roles=[Role.TEACHER],
            )
            owner_id = owner.id
        with db.session() as session:
            ids = load(session, RESOURCES, owner_id)
        keys = {rid: r["key"] for rid, r in zip(ids, RESOURCES, strict=True)}
        reindex(search, db.session, (), grace=0)

        def top5(q: str) -> list[str]:
            with app.test_request_context("/api/v1/search", query_string={"q": q, "size": 5}):
                return [keys[h["resource_id"]] for h in run_search()["results"]]

        sets = {
            "query table of the tests": [("table", q, must) for q, must, _n in QUERIES],
            "typed as residents type (asserted by the tests)": [
                (k, q, must) for k, q, must, _n in TYPED
            ],
            "held out (not asserted, not tuned for)": HELD_OUT,
        }
        misses: list[str] = []
        for name, queries in sets.items():
            hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for kind, q, must in queries:
                found = top5(q)
                hit = all(m in found for m in must)
                hits[kind][0] += int(hit)
                hits[kind][1] += 1
                if not hit:
                    misses.append(f"  [{name[:9]}] {kind}: {q!r} wanted {must}, got {found}")
            total = [sum(h[0] for h in hits.values()), sum(h[1] for h in hits.values())]
            print(f"{name}: {total[0]}/{total[1]} in the first five")
            for kind, (found_count, count) in hits.items():
                share = 100 * found_count / count
                print(f"  {kind:<18} {found_count:3d}/{count:<3d} ({share:5.1f} %)")
        if misses:
            print("misses:")
            print("\n".join(misses))
    finally:
        search.drop_prefixed()
        app.extensions["redis"].flushdb()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
