"""Search over a realistic Chinese corpus on the real node: the query table, facets against the
database, filters, sorting, highlights, suggestions and visibility."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select

from repo_service.resources.models import Resource, ResourceStatus
from search.query import DURATIONS
from tests.search.corpus import QUERIES, RESOURCES, SHARED_PREFIXES, TYPED, published
from tests.search.fixtures import Corpus

pytestmark = pytest.mark.integration
BY_KEY = {r["key"]: r for r in RESOURCES}


def search(corpus: Corpus, **params: Any) -> dict[str, Any]:
    response = corpus.app.test_client().get("/api/v1/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def keys(corpus: Corpus, results: list[dict[str, Any]]) -> list[str | None]:
    return [corpus.key_of(r["resource_id"]) for r in results]


def test_corpus_is_large_and_varied() -> None:
    assert len(RESOURCES) >= 200
    assert len(QUERIES) >= 40
    assert len({r["category"] for r in RESOURCES}) == 8
    assert sum(1 for r in RESOURCES if len(r["pages"]) > 1) >= 20


@pytest.mark.parametrize(("q", "must", "must_not"), QUERIES, ids=[q for q, _m, _n in QUERIES])
def test_query_table(corpus: Corpus, q: str, must: list[str], must_not: list[str]) -> None:
    top = keys(corpus, search(corpus, q=q, size=5)["results"])
    for key in must:
        assert key in top, f"{q!r}: {key} ({BY_KEY[key]['title']}) not in top 5: {top}"
    everything = keys(corpus, search(corpus, q=q, size=50)["results"])
    for key in must_not:
        assert key not in everything, f"{q!r}: {key} must not be found"


@pytest.mark.parametrize(
    ("kind", "q", "must", "must_not"), TYPED, ids=[f"{k}:{q}" for k, q, _m, _n in TYPED]
)
def test_queries_as_residents_type(
    corpus: Corpus, kind: str, q: str, must: list[str], must_not: list[str]
) -> None:
    top = keys(corpus, search(corpus, q=q, size=5)["results"])
    for key in must:
        assert key in top, f"{kind} {q!r}: {key} ({BY_KEY[key]['title']}) not in top 5: {top}"
    everything = keys(corpus, search(corpus, q=q, size=50)["results"])
    for key in must_not:
        assert key not in everything, f"{q!r}: {key} must not be found"


def test_typed_queries_cover_every_kind() -> None:
    kinds = Counter(k for k, _q, _m, _n in TYPED)
    assert len(TYPED) >= 30
    assert set(kinds) == {
        "joined pinyin",
        "joined initials",
        "tone marks",
        "summary pinyin",
        "synonyms",
        "everyday words",
    }
    assert min(kinds.values()) >= 5


def test_a_single_syllable_never_outranks_a_word(corpus: Corpus) -> None:
    # 交 sounds like 教 (jiao); the resource about paying the electricity bill comes first.
    assert keys(corpus, search(corpus, q="交电费", size=1)["results"]) == ["utility-bills"]
    # Typed in pinyin, the word match (电费) beats any title holding a lone jiao.
    assert keys(corpus, search(corpus, q="jiao dianfei", size=1)["results"]) == ["utility-bills"]


@pytest.mark.parametrize("prefix", SHARED_PREFIXES)
def test_a_shared_prefix_suggests_several_resources(corpus: Corpus, prefix: str) -> None:
    body = corpus.app.test_client().get("/api/v1/search/suggest", query_string={"q": prefix})
    found = body.get_json()["suggestions"]
    ids = [s["resource_id"] for s in found]
    assert len(ids) == len(set(ids))
    chinese = prefix if not prefix.isascii() else {"laonian": "老年", "shouji": "手机"}[prefix]
    holding = [r for r in published() if chinese in r["title"]]
    assert len(holding) >= 3
    assert len(found) == min(8, len(holding)), [s["title"] for s in found]
    assert all(chinese in s["title"] for s in found), [s["title"] for s in found]


def test_text_found_only_in_pages_is_a_page_hit(corpus: Corpus) -> None:
    page_hits = 0
    for q, must, _n in QUERIES:
        for hit in search(corpus, q=q, size=5)["results"]:
            if corpus.key_of(hit["resource_id"]) in must and hit["page"] is not None:
                page_hits += 1
                assert hit["url"].endswith(f"#page-{hit['page']}")
                assert "<mark>" in "".join(hit["highlight"].get("body", []))
    assert page_hits >= 4


def _database_counts(corpus: Corpus, **where: Any) -> dict[str, Counter[str]]:
    """Facet counts computed from the database: published, not deleted, resources."""
    counts: dict[str, Counter[str]] = {
        f: Counter() for f in ("kind", "category", "audience", "organisation", "year")
    }
    counts |= {"duration": Counter(), "awarded": Counter()}
    with corpus.app.extensions["db"].session() as session:
        rows = session.scalars(
            select(Resource).where(
                Resource.status == ResourceStatus.PUBLISHED, Resource.deleted_at.is_(None)
            )
        ).all()
        for r in rows:
            version = r.current_version
            duration = version.duration if version else None
            values = {
                "kind": r.kind.value,
                "category": r.category,
                "audience": r.audience,
                "organisation": r.organisation.name,
                "year": str(r.published_at.year) if r.published_at else None,
                "awarded": "true" if r.award else "false",
                "duration": next(
                    (
                        k
                        for k, (lo, hi) in DURATIONS.items()
                        if duration is not None
                        and (lo is None or duration >= lo)
                        and (hi is None or duration < hi)
                    ),
                    None,
                ),
            }
            if any(values[f] != str(v) for f, v in where.items()):
                continue
            for facet, value in values.items():
                if value is not None:
                    counts[facet][value] += 1
    return counts


@pytest.mark.parametrize(
    "where",
    [{}, {"category": "三农培训"}, {"kind": "textbook"}, {"year": 2024}, {"awarded": "true"}],
    ids=["all", "category", "kind", "year", "awarded"],
)
def test_facet_counts_equal_database_counts(corpus: Corpus, where: dict[str, Any]) -> None:
    body = search(corpus, **where)
    expected = _database_counts(corpus, **where)
    for facet, values in body["facets"].items():
        if facet in where:
            continue  # a facet in use counts as if it were not (other values stay visible)
        got = {v["value"]: v["count"] for v in values}
        assert got == dict(expected[facet]), facet
    assert body["total"] == sum(expected["kind"].values())


def test_filters_and_sorting(corpus: Corpus) -> None:
    newest = search(corpus, sort="newest", size=50)["results"]
    years = [h["year"] for h in newest]
    assert years == sorted(years, reverse=True)
    watched = search(corpus, sort="views", size=50)["results"]
    views = [h["views"] for h in watched]
    assert views == sorted(views, reverse=True)
    assert views[0] > 0
    short = search(corpus, duration="short", size=50)["results"]
    assert short
    assert all(h["duration"] < 300 and h["kind"] == "video" for h in short)
    awarded = search(corpus, awarded="true", size=50)
    assert awarded["results"]
    assert all(h["award"] for h in awarded["results"])
    assert awarded["total"] == sum(1 for r in published() if r["award"])
    assert all(h["year"] == 2023 for h in search(corpus, year=2023, size=50)["results"])
    for bad in ({"year": "20x4"}, {"duration": "forever"}, {"sort": "random"}, {"awarded": "yes"}):
        response = corpus.app.test_client().get("/api/v1/search", query_string=bad)
        assert response.status_code == 400
        assert response.get_json()["error"]["field"] == next(iter(bad))


def test_pagination_does_not_repeat_resources(corpus: Corpus) -> None:
    first = search(corpus, q="老年人", size=5, page=1)
    second = search(corpus, q="老年人", size=5, page=2)
    seen = [h["resource_id"] for h in first["results"] + second["results"]]
    assert len(seen) == len(set(seen)) == 10
    assert first["pages"] >= 2


def test_titles_are_highlighted_by_whole_words(corpus: Corpus) -> None:
    hit = search(corpus, q="茶叶")["results"][0]
    assert "<mark>茶叶</mark>" in hit["highlight"]["title"][0]


def test_nothing_unpublished_is_ever_found_or_suggested(corpus: Corpus) -> None:
    hidden = [r for r in RESOURCES if r["status"] != "published"]
    assert len(hidden) >= 10
    client = corpus.app.test_client()
    listed = set()
    for page in range(1, 6):
        listed |= {h["resource_id"] for h in search(corpus, size=50, page=page)["results"]}
    assert len(listed) == len(published())
    for r in hidden:
        rid = corpus.ids[r["key"]]
        assert rid not in listed
        assert rid not in {
            h["resource_id"] for h in search(corpus, q=r["title"], size=50)["results"]
        }
        suggested = client.get("/api/v1/search/suggest", query_string={"q": r["title"][:4]})
        assert rid not in {s["resource_id"] for s in suggested.get_json()["suggestions"]}


def test_suggestions_by_characters_pinyin_and_initials(corpus: Corpus) -> None:
    client = corpus.app.test_client()
    title = next(r["title"] for r in published() if r["title"].startswith("智能手机"))
    for typed in ("智能手", "zhinengsh", "znsj"):
        body = client.get("/api/v1/search/suggest", query_string={"q": typed}).get_json()
        titles = [s["title"] for s in body["suggestions"]]
        assert any(t.startswith("智能手机") for t in titles), (typed, titles, title)
    # The pinyin of a word inside a title suggests it too.
    body = client.get("/api/v1/search/suggest", query_string={"q": "shouji"}).get_json()
    titles = [s["title"] for s in body["suggestions"]]
    assert titles
    assert all("手机" in t for t in titles), titles
    assert client.get("/api/v1/search/suggest", query_string={"q": "x" * 51}).status_code == 400
    assert client.get("/api/v1/search/suggest", query_string={"q": " "}).get_json() == {
        "suggestions": []
    }


def test_did_you_mean_when_nothing_is_found(corpus: Corpus) -> None:
    title = next(r["title"] for r in published() if len(r["title"]) >= 6 and r["title"].isalpha())
    typo = title[:3] + "鑫" + title[4:]
    body = search(corpus, q=f'"{typo}"')
    assert body["total"] == 0
    assert title.lower() in body["did_you_mean"], (typo, body["did_you_mean"])


def test_pinyin_of_a_word_inside_a_longer_word_finds_it(corpus: Corpus) -> None:
    # 智能手机 is one word to the segmenter; "shouji guahao" still finds the phone course.
    top = keys(corpus, search(corpus, q="shouji guahao", size=5)["results"])
    assert "phone-register" in top


def test_results_show_titles_as_written(corpus: Corpus) -> None:
    title = next(r["title"] for r in published() if "：" in r["title"])
    hits = search(corpus, q=title.split("：")[0], size=50)["results"]
    assert title in [h["title"] for h in hits]  # full-width punctuation kept for display
