"""Rebuilding and checking the index: without downtime, with the admins' dictionary, and
staying true to the database when Elasticsearch is down while resources are published."""

from __future__ import annotations

import itertools
import subprocess
import threading
import time
from typing import Any

import pytest
from elastic_transport import TransportError
from elasticsearch import ApiError
from sqlalchemy import select

from repo_service.accounts.models import Role
from repo_service.resources.models import Resource, ResourceStatus
from search.build import dictionary_words
from search.index import BUILDING, INDEX
from search.indexer import ReindexRunning, aliased, check, reindex, targets
from search.text import segmenter
from tests.conftest import ROOT
from tests.factories import Client, make_user
from tests.search.fixtures import Corpus

pytestmark = pytest.mark.integration


def live_index(corpus: Corpus) -> list[str]:
    search = corpus.app.extensions["search"]
    return aliased(search, search.name(INDEX))


def rebuild(corpus: Corpus) -> Any:
    db = corpus.app.extensions["db"]
    with db.session() as session:
        words = dictionary_words(session)
    return reindex(corpus.app.extensions["search"], db.session, words, grace=0.5)


def test_rebuild_swaps_the_alias_while_searches_keep_answering(corpus: Corpus) -> None:
    before = live_index(corpus)
    expected = corpus.app.test_client().get("/api/v1/search", query_string={"q": "智能手机"})
    expected_total = expected.get_json()["total"]
    assert expected_total > 0
    answers: list[tuple[int, int]] = []
    stop = threading.Event()

    def keep_searching() -> None:
        client = corpus.app.test_client()
        while not stop.is_set():
            response = client.get("/api/v1/search", query_string={"q": "智能手机"})
            answers.append((response.status_code, (response.get_json() or {}).get("total", -1)))

    threads = [threading.Thread(target=keep_searching) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        result = rebuild(corpus)
        time.sleep(0.5)  # searches keep running on the new index too
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert len(answers) > 20
    assert set(answers) == {(200, expected_total)}
    assert live_index(corpus) == [result.index] != before
    assert result.dropped == before
    search = corpus.app.extensions["search"]
    assert not search.es.indices.exists(index=before[0])
    assert aliased(search, search.name(BUILDING)) == []
    assert result.resources == len(corpus.ids)


def test_check_finds_missing_and_extra_documents_and_repairs_them(corpus: Corpus) -> None:
    search = corpus.app.extensions["search"]
    db = corpus.app.extensions["db"]
    assert check(search, db.session).differences == 0
    rid = next(iter(corpus.ids.values()))
    index = live_index(corpus)[0]
    search.es.delete(index=index, id=f"r{rid}", refresh=True)
    search.es.index(
        index=index,
        id="r999999",
        document={"doc_type": "resource", "resource_id": 999999, "visible": True, "title": "x"},
        refresh=True,
    )
    report = check(search, db.session)
    assert (report.missing, report.extra, report.stale) == ([f"r{rid}"], ["r999999"], [])
    runner = corpus.app.test_cli_runner()
    failed = runner.invoke(args=["search", "check"])
    assert failed.exit_code == 1
    assert "missing: 1" in failed.output
    assert "extra: 1" in failed.output
    fixed = runner.invoke(args=["search", "check", "--fix"])
    assert fixed.exit_code == 0
    assert "repaired resources: 2" in fixed.output
    clean = runner.invoke(args=["search", "check"])
    assert clean.exit_code == 0, clean.output
    assert "differences: 0" in clean.output


def test_dictionary_words_added_by_an_admin_apply_at_the_next_rebuild(corpus: Corpus) -> None:
    search = corpus.app.extensions["search"]
    admin = Client(corpus.app, make_user(corpus.app, Role.ADMIN))
    # Two neighbouring words of a title that the tokenizer keeps apart become one word.
    with corpus.app.extensions["db"].session() as session:
        resource = session.scalars(
            select(Resource).where(Resource.status == ResourceStatus.PUBLISHED)
        ).first()
        assert resource is not None
        rid, title = resource.id, resource.title
    pieces = [w for w in segmenter().query_words(title) if w.isalpha()]
    word = next(a + b for a, b in itertools.pairwise(pieces) if len(a + b) <= 8)
    assert word not in segmenter().index_words(title).split()

    added = admin.post("/api/v1/search/words", json={"word": word, "freq": 50000})
    assert added.status_code == 201, added.get_json()
    again = admin.post("/api/v1/search/words", json={"word": word})
    assert again.status_code == 409
    assert "已有" in again.get_json()["error"]["message"]
    for bad in ({"word": "a b"}, {"word": "<script>"}, {"word": word + "x", "freq": "lots"}):
        assert admin.post("/api/v1/search/words", json=bad).status_code == 400
    status = admin.get("/api/v1/search/status").get_json()
    assert status["words_pending"] is True
    assert word not in status["applied_words"]

    queued = admin.post("/api/v1/search/reindex")
    assert queued.status_code == 202, queued.get_json()
    assert admin.post("/api/v1/search/reindex").status_code == 409  # one rebuild at a time
    # The worker of this corpus is not running in this test: run the queued rebuild here.
    corpus.app.extensions["celery"].control.purge()
    from search.tasks import reindex_task

    with corpus.app.app_context():
        summary = reindex_task.run()
    assert summary["words"] == 1
    status = admin.get("/api/v1/search/status").get_json()
    assert status["operations"]["reindex"]["state"] == "done"
    assert status["words_pending"] is False
    assert word in status["applied_words"]
    doc = search.es.get(index=search.name(INDEX), id=f"r{rid}")["_source"]
    assert word in doc["title_words"].split()
    assert [seg.extra for _i, seg in targets(search)] == [((word, 50000),)]
    hits = admin.get("/api/v1/search", query_string={"q": word}).get_json()["results"]
    assert rid in [h["resource_id"] for h in hits[:5]]
    page = admin.get("/admin/search").get_data(as_text=True)
    assert word in page
    assert "重建索引" in page

    word_id = status["words"][0]["id"]
    assert admin.delete(f"/api/v1/search/words/{word_id}").status_code == 204
    assert admin.delete(f"/api/v1/search/words/{word_id}").status_code == 404
    assert admin.get("/api/v1/search/status").get_json()["words_pending"] is True
    # The same through the page's forms.
    assert admin.post("/admin/search/words", data={"word": "稻田养蟹"}).status_code == 302
    added_row = admin.get("/api/v1/search/words").get_json()["words"][0]
    assert added_row["word"] == "稻田养蟹"
    removed = admin.post(f"/admin/search/words/{added_row['id']}/delete")
    assert removed.status_code == 302
    assert admin.get("/api/v1/search/words").get_json()["words"] == []
    rebuild(corpus)


def svc(*args: str) -> None:
    subprocess.run([str(ROOT / "infra" / "svc"), *args], check=True, capture_output=True)


@pytest.mark.usefixtures("corpus_worker")
def test_publishing_while_search_is_down_catches_up(corpus: Corpus) -> None:
    search = corpus.app.extensions["search"]
    db = corpus.app.extensions["db"]
    admin = Client(corpus.app, make_user(corpus.app, Role.ADMIN))
    with db.session() as session:
        drafts = session.scalars(
            select(Resource.id).where(Resource.status == ResourceStatus.DRAFT).limit(2)
        ).all()
    assert len(drafts) == 2
    svc("down", "elasticsearch")
    try:
        for rid in drafts:
            published = admin.post(f"/api/v1/resources/{rid}/publish")
            assert published.status_code == 200, published.get_json()
        down = admin.get("/api/v1/search", query_string={"q": "茶叶"})
        assert down.status_code == 503
        assert "搜索服务暂时不可用" in down.get_json()["error"]["message"]
        time.sleep(3)  # the index tasks fail and are retried with backoff
    finally:
        svc("up", "elasticsearch")
    deadline = time.monotonic() + 120
    while True:
        try:
            report = check(search, db.session)
            if report.differences == 0:
                break
        except (TransportError, ApiError):  # the node is still starting
            report = None
        assert time.monotonic() < deadline, f"the index did not catch up: {report}"
        time.sleep(1)
    clean = corpus.app.test_cli_runner().invoke(args=["search", "check"])
    assert "differences: 0" in clean.output, clean.output
    listed = admin.get("/api/v1/search", query_string={"size": 50, "sort": "newest"}).get_json()
    found = {h["resource_id"] for h in listed["results"]}
    for page in range(2, 6):
        more = admin.get("/api/v1/search", query_string={"size": 50, "page": page}).get_json()
        found |= {h["resource_id"] for h in more["results"]}
    assert set(drafts) <= found


def test_an_index_left_by_a_dead_rebuild_blocks_until_forced(corpus: Corpus) -> None:
    search = corpus.app.extensions["search"]
    leftover = search.name("resources-19990101000000000000")
    search.es.indices.create(index=leftover)
    search.es.indices.put_alias(index=leftover, name=search.name(BUILDING))
    with pytest.raises(ReindexRunning):
        rebuild(corpus)
    runner = corpus.app.test_cli_runner()
    refused = runner.invoke(args=["search", "reindex"])
    assert refused.exit_code != 0
    assert "--force" in refused.output
    forced = runner.invoke(args=["search", "reindex", "--force"])
    assert forced.exit_code == 0, forced.output
    assert not search.es.indices.exists(index=leftover)
    assert aliased(search, search.name(BUILDING)) == []
    assert check(search, corpus.app.extensions["db"].session).differences == 0


def test_an_index_built_under_an_older_mapping_is_rebuilt_at_init(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = corpus.app.test_cli_runner()
    current = runner.invoke(args=["init-db"])
    assert current.exit_code == 0, current.output
    assert "rebuilt" not in current.output
    before = live_index(corpus)
    # This code meets an index whose mapping version is not its own, as after an upgrade.
    monkeypatch.setattr("search.indexer.MAPPING_VERSION", "an-older-one")
    upgraded = runner.invoke(args=["init-db"])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"search index rebuilt: {len(corpus.ids)} resources" in upgraded.output
    assert live_index(corpus) != before
