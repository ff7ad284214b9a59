"""Keeping the index true to the database.

Searches go through the alias ``resources``; each concrete index is named after the moment it
was built (``resources-20261128203000123456``) and records in its mapping's ``_meta`` the
dictionary words its text was cut with. Writes for one resource replace all its documents in
every index that takes writes: the live one and, while a rebuild runs, the one being built
(alias ``resources-building``). A rebuild reads the database in batches, catches up on what
changed while it ran, swaps the alias in one atomic request and drops the old index.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, cast

from elastic_transport import TransportError
from elasticsearch import ApiError, BadRequestError, NotFoundError, helpers
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from repo_service.processing.models import ProcessingJob
from repo_service.resources.models import Resource, ResourceVersion
from search.build import all_ids, batches, resource_sources
from search.client import SearchClient
from search.index import (
    BUILDING,
    INDEX,
    MAPPING_VERSION,
    SETTINGS,
    documents,
    mappings,
    words_of,
)
from search.text import Segmenter, Words, segmenter

log = logging.getLogger(__name__)

SessionFactory = Callable[[], AbstractContextManager[Session]]
Progress = Callable[[int, int], None]

# A change may be written by a task that read the database just before the rebuild read it;
# the catch-up pass looks this far back before the rebuild began.
CATCH_UP_MARGIN = dt.timedelta(seconds=30)
BULK_TIMEOUT = 120  # seconds for one bulk or refresh request during a rebuild


class ReindexRunning(RuntimeError):
    pass


def outage(exc: TransportError | ApiError) -> bool:
    """The node is away or says "not now" (starting, shards not yet allocated, overloaded):
    worth retrying, and nothing the request could have done better."""
    return isinstance(exc, TransportError) or exc.status_code in (429, 502, 503, 504)


def _settings(search: SearchClient) -> dict[str, Any]:
    return SETTINGS | {"number_of_shards": search.shards}


def new_index_name(search: SearchClient) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f")
    return search.name(f"{INDEX}-{stamp}")


def ensure_index(search: SearchClient, words: Words = ()) -> str:
    """The alias, created over a first index when missing; returns the alias name.

    The first index has a fixed name, so two workers that find no alias at the same moment
    create one index between them (the second creation is refused and ignored), never two
    indices under one alias.
    """
    alias = search.name(INDEX)
    if not search.es.indices.exists_alias(name=alias):
        concrete = search.name(f"{INDEX}-{0:020d}")
        try:
            search.es.indices.create(
                index=concrete, mappings=mappings(words), settings=_settings(search)
            )
        except BadRequestError as exc:
            if exc.error != "resource_already_exists_exception":
                raise
        search.es.indices.put_alias(index=concrete, name=alias)
    return alias


def aliased(search: SearchClient, alias: str) -> list[str]:
    try:
        return sorted(search.es.indices.get_alias(name=alias))
    except NotFoundError:
        return []


def dictionary_of(search: SearchClient, index: str) -> Words:
    """The dictionary words a concrete index was built with."""
    mapping = search.es.indices.get_mapping(index=index)
    return words_of(mapping[index]["mappings"].get("_meta", {}))


_targets: dict[str, tuple[float, list[tuple[str, Segmenter]]]] = {}
TARGETS_TTL = 5.0  # seconds; far inside the rebuild's catch-up margin


def targets(search: SearchClient) -> list[tuple[str, Segmenter]]:
    """Every index that takes writes, with the segmenter its text must be cut with.

    Looked up at most every few seconds: a rebuild that starts meanwhile is caught up by its
    own pass over whatever changed since 30 s before it began.
    """
    key = search.name(INDEX)
    now = time.monotonic()
    cached = _targets.get(key)
    if cached is not None and now - cached[0] < TARGETS_TTL:
        return cached[1]
    names = aliased(search, key) + aliased(search, search.name(BUILDING))
    found = [(name, segmenter(dictionary_of(search, name))) for name in dict.fromkeys(names)]
    if found:
        _targets[key] = (now, found)
    return found


def warm_segmenter(search: SearchClient) -> None:
    """Build the live index's segmenter now (jieba's dictionary takes about 1 s to load), or
    the default one when search cannot be asked."""
    try:
        seg = query_segmenter(search)
    except (TransportError, ApiError):
        seg = segmenter()
    seg.index_words("江宁区社区教育")
    seg.pinyin_full("江宁区社区教育")  # pypinyin's dictionaries load on first use, too


_active: dict[str, tuple[float, Segmenter]] = {}
_active_lock = threading.Lock()


def query_segmenter(search: SearchClient, ttl: float = 5.0) -> Segmenter:
    """The segmenter of the index searches go to, looked up at most every ``ttl`` seconds."""
    key = search.name(INDEX)
    now = time.monotonic()
    cached = _active.get(key)
    if cached is not None and now - cached[0] < ttl:
        return cached[1]
    names = aliased(search, key)
    seg = segmenter(dictionary_of(search, names[0])) if names else segmenter()
    with _active_lock:
        _active[key] = (now, seg)
    return seg


def _written_pages(
    search: SearchClient, index: str, resource_ids: list[int]
) -> dict[int, list[int]]:
    """The page numbers last written for each resource, by real-time GET (no refresh needed:
    a page document indexed a moment ago is found as well)."""
    found: dict[int, list[int]] = {}
    answer = search.es.mget(
        index=index, ids=[f"r{rid}" for rid in resource_ids], source_includes=["page_numbers"]
    )
    for doc in answer["docs"]:
        if doc.get("found"):
            found[int(doc["_id"][1:])] = list(doc["_source"].get("page_numbers") or [])
    return found


def sync_resources(
    search: SearchClient, sources: dict[int, dict[str, Any] | None], chunk: int = 500
) -> int:
    """Make every written index hold exactly the documents of each source (none for None).

    Writes are not waited for: they become searchable at the index's next refresh (1 s), so
    one call applies hundreds of resources in a few bulk requests.
    """
    ensure_index(search)
    try:
        return _sync(search, sources, targets(search), chunk)
    except NotFoundError:
        # An index dropped by a rebuild since the targets were looked up: look again.
        _targets.clear()
        return _sync(search, sources, targets(search), chunk)


def _sync(
    search: SearchClient,
    sources: dict[int, dict[str, Any] | None],
    written: list[tuple[str, Segmenter]],
    chunk: int,
) -> int:
    count = 0
    items = list(sources.items())
    for start in range(0, len(items), chunk):
        part = dict(items[start : start + chunk])
        actions: list[dict[str, Any]] = []
        for index, seg in written:
            wanted: dict[str, dict[str, Any]] = {}
            for source in part.values():
                if source is not None:
                    wanted |= documents(source, seg)
            before = _written_pages(search, index, list(part))
            stale = [f"r{rid}" for rid, source in part.items() if source is None]
            stale += [f"p{rid}-{n}" for rid, numbers in before.items() for n in numbers]
            actions += [
                {"_op_type": "index", "_index": index, "_id": doc_id, "_source": doc}
                for doc_id, doc in wanted.items()
            ]
            actions += [
                {"_op_type": "delete", "_index": index, "_id": i}
                for i in dict.fromkeys(stale)
                if i not in wanted
            ]
        if actions:
            _, errors = helpers.bulk(search.es, actions, raise_on_error=False)
            # Deleting a page document that is not there (never written) is no failure.
            failures = [
                e
                for e in cast(list[dict[str, Any]], errors)
                if next(iter(e.values())).get("status") != 404
            ]
            if failures:
                raise helpers.BulkIndexError(f"{len(failures)} document(s) failed", failures)
        count += len(actions)
    return count


@dataclass
class ReindexResult:
    index: str
    resources: int = 0
    documents: int = 0
    caught_up: int = 0
    dropped: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _changed_since(session: Session, since: dt.datetime) -> list[int]:
    edited = select(Resource.id).where(
        or_(Resource.updated_at >= since, Resource.deleted_at >= since)
    )
    processed = (
        select(ResourceVersion.resource_id)
        .join(ProcessingJob, ProcessingJob.version_id == ResourceVersion.id)
        .where(ProcessingJob.finished_at >= since)
    )
    return sorted(set(session.scalars(edited)) | set(session.scalars(processed)))


def reindex(
    search: SearchClient,
    sessions: SessionFactory,
    words: Words,
    *,
    progress: Progress | None = None,
    batch: int = 500,
    grace: float = TARGETS_TTL + 1,
    force: bool = False,
    settle: float = TARGETS_TTL,
) -> ReindexResult:
    """Build a new index from the database, swap the alias to it, drop the old one.

    ``force`` drops an index left half-built by a rebuild that died; use it only when no
    other rebuild can be running. Writers look up the indices to write at most every
    ``TARGETS_TTL`` seconds, so the rebuild waits ``settle`` after announcing the new index
    (every writer then writes to it too) and ``grace`` before dropping the old one (no writer
    still writes to it).
    """
    began = time.monotonic()
    alias = ensure_index(search)
    building = search.name(BUILDING)
    leftover = aliased(search, building)
    if leftover and not force:
        raise ReindexRunning("a rebuild is already running")
    for name in leftover:
        log.warning("dropping %s, left half-built by an earlier rebuild", name)
        search.es.indices.delete(index=name, ignore_unavailable=True)
    new = new_index_name(search)
    result = ReindexResult(index=new)
    search.es.indices.create(
        index=new, mappings=mappings(words), settings=_settings(search) | {"refresh_interval": "-1"}
    )
    try:
        search.es.indices.put_alias(index=new, name=building)
        time.sleep(settle)
        started = dt.datetime.now(dt.UTC) - CATCH_UP_MARGIN
        seg = segmenter(words)
        with sessions() as session:
            ids = all_ids(session)

        def actions() -> Iterator[dict[str, Any]]:
            with sessions() as session:
                for source in batches(session, ids, batch):
                    for doc_id, doc in documents(source, seg).items():
                        yield {"_index": new, "_id": doc_id, "_source": doc}
                    result.resources += 1
                    if progress is not None and result.resources % batch == 0:
                        progress(result.resources, len(ids))

        for ok, item in helpers.parallel_bulk(
            search.es.options(request_timeout=BULK_TIMEOUT),
            actions(),
            thread_count=2,
            chunk_size=500,
            max_chunk_bytes=20 * 2**20,
        ):
            if not ok:  # parallel_bulk raises on errors by default; this guards a changed default
                raise RuntimeError(f"bulk indexing failed: {item}")
            result.documents += 1
        if progress is not None:
            progress(result.resources, len(ids))

        search.es.indices.put_settings(index=new, settings={"refresh_interval": "1s"})
        search.es.options(request_timeout=BULK_TIMEOUT).indices.refresh(index=new)
        # What changed while the database was being read is written again from the database.
        with sessions() as session:
            changed = _changed_since(session, started)
            sources = resource_sources(session, changed) if changed else {}
        sync_resources(search, sources)
        result.caught_up = len(sources)

        old = aliased(search, alias)
        search.es.indices.update_aliases(
            actions=[
                *({"remove": {"index": name, "alias": alias}} for name in old),
                {"add": {"index": new, "alias": alias}},
                {"remove": {"index": new, "alias": building}},
            ]
        )
    except BaseException:
        search.es.indices.delete(index=new, ignore_unavailable=True)
        raise
    time.sleep(grace)  # searches already sent to the old index finish first
    for name in old:
        search.es.indices.delete(index=name, ignore_unavailable=True)
    result.dropped = old
    result.seconds = time.monotonic() - began
    return result


def is_current(search: SearchClient) -> bool:
    """True when the live index exists and was built under this code's mapping."""
    live = aliased(search, search.name(INDEX))
    if not live:
        return False
    mapping = search.es.indices.get_mapping(index=live[0])[live[0]]["mappings"]
    return bool(mapping.get("_meta", {}).get("mapping_version") == MAPPING_VERSION)


def ensure_current(
    search: SearchClient, sessions: SessionFactory, words: Words
) -> ReindexResult | None:
    """Rebuild the index when it is missing or was built under an older mapping (after an
    upgrade); searches keep using the old index meanwhile. Returns None when nothing was done."""
    if is_current(search):
        return None
    return reindex(search, sessions, words)


@dataclass
class CheckReport:
    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    extra: list[str] = field(default_factory=list)  # in the index, not in the database
    stale: list[str] = field(default_factory=list)  # present, but shown or hidden wrongly
    expected: int = 0
    indexed: int = 0

    @property
    def differences(self) -> int:
        return len(self.missing) + len(self.extra) + len(self.stale)

    def resource_ids(self) -> list[int]:
        ids = {int(i[1:].split("-")[0]) for i in self.missing + self.extra + self.stale}
        return sorted(ids)


def check(search: SearchClient, sessions: SessionFactory, batch: int = 500) -> CheckReport:
    """Compare the index with the database, document by document."""
    alias = ensure_index(search)
    expected: dict[str, bool] = {}
    with sessions() as session:
        for source in batches(session, all_ids(session), batch):
            for doc_id in documents_ids(source):
                expected[doc_id] = source["visible"]
    indexed: dict[str, bool] = {
        hit["_id"]: hit["_source"]["visible"]
        for hit in helpers.scan(
            search.es,
            index=alias,
            query={"query": {"match_all": {}}},
            _source=["visible"],
            size=5000,
        )
    }
    report = CheckReport(expected=len(expected), indexed=len(indexed))
    report.missing = sorted(set(expected) - set(indexed))
    report.extra = sorted(set(indexed) - set(expected))
    report.stale = sorted(i for i in set(expected) & set(indexed) if expected[i] != indexed[i])
    return report


def documents_ids(source: dict[str, Any]) -> list[str]:
    rid = source["id"]
    return [f"r{rid}", *(f"p{rid}-{number}" for number, _text in source.get("pages", []))]


def repair(search: SearchClient, sessions: SessionFactory, report: CheckReport) -> int:
    """Rewrite, from the database, every resource the check found a difference in."""
    ids = report.resource_ids()
    with sessions() as session:
        sources = resource_sources(session, ids) if ids else {}
    sync_resources(search, sources)
    # A repair is followed by a look at the result: make it visible now, not at the next refresh.
    search.es.indices.refresh(index=search.name(INDEX))
    return len(sources)
