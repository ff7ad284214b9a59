"""The one wrapper the rest of the system uses to talk to Elasticsearch.

Index names carry a configurable prefix, so a test run, a street deployment and the district
can share one cluster without touching each other's indices.
"""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch


class SearchClient:
    def __init__(
        self, url: str, index_prefix: str = "zx-", timeout: float = 5.0, shards: int = 2
    ) -> None:
        self.url = url
        self.index_prefix = index_prefix
        self.shards = shards  # primary shards of each new resources index
        self.es = Elasticsearch(url, request_timeout=timeout, max_retries=1, retry_on_timeout=False)

    def name(self, index: str) -> str:
        return f"{self.index_prefix}{index}"

    def health(self, timeout: float = 2.0) -> str:
        """Return the cluster status (green/yellow); raise if the node does not answer."""
        # GET / is absent on some builds; _cluster/health is always there.
        result = self.es.options(request_timeout=timeout).cluster.health()
        status = str(result["status"])
        if status == "red":
            raise RuntimeError("cluster status is red")
        return status

    def create_index(
        self, index: str, mappings: dict[str, Any], settings: dict[str, Any] | None = None
    ) -> str:
        name = self.name(index)
        if not self.es.indices.exists(index=name):
            self.es.indices.create(
                index=name,
                mappings=mappings,
                settings=settings or {"number_of_shards": 1, "number_of_replicas": 0},
            )
        return name

    def index_document(
        self, index: str, doc_id: str, document: dict[str, Any], *, refresh: bool = False
    ) -> None:
        self.es.index(index=self.name(index), id=doc_id, document=document, refresh=refresh or None)

    def refresh(self, index: str) -> None:
        self.es.indices.refresh(index=self.name(index))

    def search(self, index: str, **body: Any) -> dict[str, Any]:
        return dict(self.es.search(index=self.name(index), **body))

    def drop_prefixed(self) -> None:
        """Delete every index under this client's prefix (test isolation, teardown)."""
        indices = self.es.indices.get(index=f"{self.index_prefix}*", expand_wildcards="all")
        for name in indices:
            self.es.indices.delete(index=name)

    def close(self) -> None:
        self.es.close()


def init_search(config: dict[str, Any]) -> SearchClient:
    return SearchClient(
        config["SEARCH_URL"],
        config["SEARCH_INDEX_PREFIX"],
        config["SEARCH_TIMEOUT"],
        config["SEARCH_SHARDS"],
    )
