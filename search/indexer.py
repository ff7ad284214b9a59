"""Keeping the index true to the database: one resource at a time, replacing all its documents."""

from __future__ import annotations

from typing import Any

from elasticsearch import helpers

from search.client import SearchClient
from search.index import INDEX, MAPPINGS, SETTINGS, page_document, resource_document

FIRST_VERSION = f"{INDEX}-v1"


def ensure_index(search: SearchClient) -> str:
    """The alias, created over a first versioned index when missing; returns the alias name."""
    alias = search.name(INDEX)
    if not search.es.indices.exists_alias(name=alias):
        concrete = search.create_index(FIRST_VERSION, MAPPINGS, SETTINGS)
        search.es.indices.put_alias(index=concrete, name=alias)
    return alias


def document_ids(search: SearchClient, resource_id: int) -> list[str]:
    alias = search.name(INDEX)
    hits = search.es.search(
        index=alias, query={"term": {"resource_id": resource_id}}, source=False, size=10_000
    )["hits"]["hits"]
    return [h["_id"] for h in hits]


def sync_resource(search: SearchClient, resource_id: int, source: dict[str, Any] | None) -> int:
    """Make the index hold exactly the documents of ``source`` (none when it is None)."""
    alias = ensure_index(search)
    wanted: dict[str, dict[str, Any]] = {}
    if source is not None:
        wanted[f"r{resource_id}"] = resource_document(source)
        for number, text in source.get("pages", []):
            wanted[f"p{resource_id}-{number}"] = page_document(source, number, text)
    stale = [i for i in document_ids(search, resource_id) if i not in wanted]
    actions: list[dict[str, Any]] = [
        {"_op_type": "index", "_index": alias, "_id": doc_id, "_source": doc}
        for doc_id, doc in wanted.items()
    ]
    actions += [{"_op_type": "delete", "_index": alias, "_id": doc_id} for doc_id in stale]
    if actions:
        helpers.bulk(search.es, actions, refresh="wait_for")
    return len(actions)
