"""The search page and the search API."""

from __future__ import annotations

from typing import Any

from elastic_transport import TransportError
from flask import Blueprint, Response, current_app, jsonify, render_template, request

from repo_service.access import PUBLIC, access
from repo_service.api import documented
from repo_service.errors import InvalidInput, ServiceUnavailable
from search.index import INDEX
from search.query import FACETS, QueryTooLong, build

bp = Blueprint("search", __name__)
PAGE_SIZE = 10


def run_search() -> dict[str, Any]:
    text = request.args.get("q", "")
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        raise InvalidInput("页码必须是数字", "page must be a number") from None
    filters = {f: request.args[f] for f in FACETS if request.args.get(f)}
    try:
        body = build(text, filters, page=page, size=PAGE_SIZE)
    except QueryTooLong:
        raise InvalidInput(
            "搜索内容太长，请少于 200 个字", "The query is too long (200 characters at most)"
        ) from None
    search = current_app.extensions["search"]
    try:
        result = search.es.search(index=search.name(INDEX), **body)
    except TransportError as exc:
        raise ServiceUnavailable(
            "搜索服务暂时不可用，请稍后再试",
            "Search is unavailable for the moment; try again shortly",
        ) from exc
    hits = []
    for hit in result["hits"]["hits"]:
        src = hit["_source"]
        hits.append(
            {
                "resource_id": src["resource_id"],
                "title": src["title"],
                "page": src.get("page"),
                "kind": src["kind"],
                "category": src["category"],
                "organisation": src["organisation"],
                "highlight": hit.get("highlight", {}),
            }
        )
    aggs = result.get("aggregations", {})
    return {
        "query": text,
        "page": page,
        "total": aggs.get("resources", {}).get("value", 0),
        "results": hits,
        "facets": {
            f: {b["key"]: b["doc_count"] for b in aggs.get(f, {}).get("buckets", [])}
            for f in FACETS
        },
    }


@bp.get("/api/v1/search")
@access(PUBLIC)
@documented(
    '全文搜索（中文、拼音、首字母、"短语"、-排除）',
    'Full-text search (Chinese, pinyin, initials, "phrases", -exclusions)',
    tag="search",
    query={
        "q": "string",
        "page": "integer",
        "kind": "string",
        "category": "string",
        "audience": "string",
        "organisation": "string",
    },
)
def api_search() -> Response:
    return jsonify(run_search())


@bp.get("/search")
@access(PUBLIC)
def search_page() -> str:
    data = run_search() if request.args.get("q") else None
    return render_template("search.html", data=data, q=request.args.get("q", ""))
