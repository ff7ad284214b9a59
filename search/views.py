"""The search page, suggestions, and the index administration page, each with its JSON API."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import uuid
from collections.abc import Iterator
from typing import Any

import redis
from elastic_transport import TransportError
from elasticsearch import ApiError, NotFoundError
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as BaseResponse

from repo_service.access import PUBLIC, access, require_user
from repo_service.accounts.models import Role
from repo_service.api import documented, request_data
from repo_service.db import get_session
from repo_service.errors import Conflict, InvalidInput, NotFound, ServiceUnavailable
from repo_service.resources.models import KIND_LABELS, ResourceKind
from repo_service.vocabulary import services as vocabulary
from search.client import SearchClient
from search.index import BUILDING, INDEX
from search.indexer import aliased, dictionary_of, outage, query_segmenter
from search.models import SearchSynonym, SearchWord
from search.operations import OPERATIONS, Operations
from search.query import (
    DURATION_LABELS,
    FACETS,
    MAX_SUGGESTIONS,
    BadFilter,
    QueryTooLong,
    build,
    parse,
    parse_filters,
    suggest_body,
    suggestion_body,
)
from search.synonyms import (
    BadGroup,
    Synonyms,
    SynonymSource,
    group_key,
    parse_group,
    shipped_groups,
)

bp = Blueprint("search", __name__)
PAGE_SIZE = 10
WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9·]{2,30}$")
UNAVAILABLE = (
    "搜索服务暂时不可用，请稍后再试",
    "Search is unavailable for the moment; try again shortly",
)
FACET_LABELS = {
    "kind": ("类型", "Kind"),
    "category": ("类别", "Category"),
    "audience": ("对象", "Audience"),
    "organisation": ("单位", "Organisation"),
    "year": ("年份", "Year"),
    "duration": ("时长", "Duration"),
    "awarded": ("评比获奖", "Awarded"),
}


def _search() -> SearchClient:
    search: SearchClient = current_app.extensions["search"]
    return search


@contextlib.contextmanager
def _node_answers() -> Iterator[None]:
    """An outage of the node (or its index missing) becomes a 503 with a message; any other
    error from it is a fault of ours and stays one."""
    try:
        yield
    except (TransportError, ApiError) as exc:
        if not (outage(exc) or isinstance(exc, NotFoundError)):
            raise
        raise ServiceUnavailable(*UNAVAILABLE) from exc


def _value_label(
    facet: str, key: str, english: dict[str, dict[str, str]] | None = None
) -> tuple[str, str]:
    if english and facet in english:  # categories and audiences, as the admins named them
        return key, english[facet].get(key, key)
    if facet == "kind" and key in ResourceKind.__members__.values():
        return KIND_LABELS[ResourceKind(key)]
    if facet == "duration":
        return DURATION_LABELS.get(key, (key, key))
    if facet == "awarded":
        return ("获奖", "Awarded") if key == "true" else ("未获奖", "Not awarded")
    return key, key


def _facets(aggs: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    facets: dict[str, list[dict[str, Any]]] = {}
    db = get_session()
    english = {
        "category": vocabulary.english_names(db, vocabulary.Vocabulary.CATEGORIES),
        "audience": vocabulary.english_names(db, vocabulary.Vocabulary.AUDIENCES),
    }
    for name in FACETS:
        buckets = aggs.get(name, {}).get("values", {}).get("buckets", [])
        values = []
        for bucket in buckets:
            key = bucket.get("key_as_string", bucket["key"])
            if name == "awarded":
                key = "true" if bucket["key"] in (1, True, "true") else "false"
            count = bucket["doc_count"]
            if count:
                zh, en = _value_label(name, str(key), english)
                values.append({"value": str(key), "count": count, "label": zh, "label_en": en})
        facets[name] = values
    return facets


def _hit(hit: dict[str, Any]) -> dict[str, Any]:
    src = hit["_source"]
    highlight = {
        k: [f.replace("</mark><mark>", "") for f in v] for k, v in hit.get("highlight", {}).items()
    }
    published = src.get("published_at")
    return {
        "resource_id": src["resource_id"],
        "title": src.get("display_title", src["title"]),
        "page": src.get("page"),
        "kind": src["kind"],
        "kind_label": _value_label("kind", src["kind"])[0],
        "category": src["category"],
        "audience": src["audience"],
        "organisation": src["organisation"],
        "duration": src.get("duration"),
        "views": src.get("views", 0),
        "award": src.get("award"),
        "year": int(published[:4]) if published else None,
        "poster_url": (
            url_for("playback.poster", resource_id=src["resource_id"], size="card")
            if src.get("poster")
            else None
        ),
        "url": url_for("resources.detail_page", resource_id=src["resource_id"])
        + (f"#page-{src['page']}" if src.get("page") else ""),
        "highlight": highlight,
    }


def did_you_mean(search: SearchClient, text: str, limit: int = 3) -> list[str]:
    """Titles close to what was typed, for a query that found nothing."""
    solid = parse(text).text.replace(" ", "")
    if not solid:
        return []
    result = search.es.search(
        index=search.name(INDEX), **suggest_body(solid, size=limit, fuzzy=True)
    )
    options = result.get("suggest", {}).get("titles", [{}])[0].get("options", [])
    titles = (o["_source"].get("display_title", o["_source"]["title"]) for o in options)
    return list(dict.fromkeys(titles))[:limit]


def _synonym_token_key() -> str:
    return f"zx:search-synonyms:{current_app.config['SEARCH_INDEX_PREFIX']}"


def _synonym_token() -> str | None:
    try:
        raw = current_app.extensions["redis"].get(_synonym_token_key())
    except redis.RedisError:  # Redis away: the cached groups serve until their time runs out
        return None
    return raw.decode() if isinstance(raw, bytes) else raw


def _added_groups() -> list[tuple[str, ...]]:
    rows = get_session().scalars(select(SearchSynonym.terms).order_by(SearchSynonym.id))
    return [tuple(t.split(",")) for t in rows]


def current_synonyms() -> Synonyms:
    """The synonym groups in force for this application (shipped and added)."""
    source: SynonymSource | None = current_app.extensions.get("search_synonyms")
    if source is None:
        source = SynonymSource(_added_groups, _synonym_token)
        current_app.extensions["search_synonyms"] = source
    return source.current()


def run_search() -> dict[str, Any]:
    text = request.args.get("q", "")
    try:
        page = max(1, int(request.args.get("page", "1")))
        size = max(1, min(50, int(request.args.get("size", str(PAGE_SIZE)))))
    except ValueError:
        raise InvalidInput("页码和每页条数必须是数字", "page and size must be numbers") from None
    try:
        filters = parse_filters(request.args)
    except BadFilter as exc:
        raise InvalidInput(exc.message_zh, exc.message_en, field=exc.name) from None
    search = _search()
    try:
        with _node_answers():
            body = build(
                text,
                filters,
                page=page,
                size=size,
                seg=query_segmenter(search),
                synonyms=current_synonyms(),
            )
            result = search.es.search(index=search.name(INDEX), **body)
            aggs = result.get("aggregations", {})
            total = aggs.get("total", {}).get("doc_count", 0)
            suggestions = did_you_mean(search, text) if total == 0 and text.strip() else []
    except QueryTooLong:
        raise InvalidInput(
            "搜索内容太长，请少于 200 个字", "The query is too long (200 characters at most)"
        ) from None
    return {
        "query": text,
        "page": page,
        "size": size,
        "pages": max(1, -(-min(total, 1000) // size)),
        "sort": filters.sort,
        "filters": filters.values,
        "total": total,
        "results": [_hit(h) for h in result["hits"]["hits"]],
        "facets": _facets(aggs),
        "did_you_mean": suggestions,
    }


SEARCH_QUERY = {
    "q": "string",
    "page": "integer",
    "size": "integer",
    "sort": "string",
    "kind": "string",
    "category": "string",
    "audience": "string",
    "organisation": "string",
    "year": "integer",
    "duration": "string",
    "awarded": "boolean",
}


@bp.get("/api/v1/search")
@access(PUBLIC)
@documented(
    '全文搜索（中文、拼音、首字母、"短语"、-排除）；可按类型、类别、对象、单位、年份、时长、获奖筛选',
    'Full-text search (Chinese, pinyin, initials, "phrases", -exclusions) with filters and facets',
    tag="search",
    query=SEARCH_QUERY,
)
def api_search() -> Response:
    return jsonify(run_search())


def search_url(**changes: Any) -> str:
    """This search page's address with some arguments changed (None removes one)."""
    args: dict[str, Any] = {k: v for k, v in request.args.items() if v}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    return url_for("search.search_page", **args)


@bp.get("/search")
@access(PUBLIC)
def search_page() -> str:
    browsing = request.args.get("q") or any(request.args.get(f) for f in FACETS)
    data = run_search() if browsing else None
    return render_template(
        "search.html",
        data=data,
        q=request.args.get("q", ""),
        labels=FACET_LABELS,
        args=request.args,
        search_url=search_url,
    )


@bp.get("/api/v1/search/suggest")
@access(PUBLIC)
@documented(
    "输入提示：每个资源一条，按与搜索相同的信号排序（汉字、拼音、首字母）",
    "Suggestions as you type: one per resource, ranked like search",
    tag="search",
    query={"q": "string", "size": "integer"},
)
def api_suggest() -> Response:
    text = request.args.get("q", "")
    if len(text) > 50:
        raise InvalidInput("输入提示最多 50 个字", "Suggestions take at most 50 characters")
    try:
        size = int(request.args.get("size", "8"))
    except ValueError:
        raise InvalidInput("size 必须是数字", "size must be a number", field="size") from None
    if not 1 <= size <= MAX_SUGGESTIONS:
        raise InvalidInput(
            f"size 须在 1–{MAX_SUGGESTIONS} 之间",
            f"size must be 1–{MAX_SUGGESTIONS}",
            field="size",
        )
    if not text.strip():
        return jsonify(suggestions=[])
    search = _search()
    with _node_answers():
        result = search.es.search(index=search.name(INDEX), **suggestion_body(text, size=size))
    found = [
        {
            "resource_id": hit["_source"]["resource_id"],
            "title": hit["_source"].get("display_title", hit["_source"]["title"]),
            "url": url_for("resources.detail_page", resource_id=hit["_source"]["resource_id"]),
        }
        for hit in result["hits"]["hits"]
    ]
    response = jsonify(suggestions=found)
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


# --- administration ---------------------------------------------------------------------------


def _operations() -> Operations:
    return Operations(current_app.extensions["redis"], current_app.config["SEARCH_INDEX_PREFIX"])


def _words() -> list[SearchWord]:
    return list(get_session().scalars(select(SearchWord).order_by(SearchWord.word)))


def _word_json(w: SearchWord) -> dict[str, Any]:
    return {"id": w.id, "word": w.word, "freq": w.freq, "created_at": w.created_at.isoformat()}


def _synonym_json(row: SearchSynonym) -> dict[str, Any]:
    return {
        "id": row.id,
        "terms": row.terms.split(","),
        "created_at": row.created_at.isoformat(),
    }


def _synonyms_listing() -> dict[str, Any]:
    rows = get_session().scalars(select(SearchSynonym).order_by(SearchSynonym.id.desc()))
    return {
        "added": [_synonym_json(r) for r in rows],
        "shipped": [list(g) for g in shipped_groups()],
    }


def index_status() -> dict[str, Any]:
    search = _search()
    words = _words()
    status: dict[str, Any] = {
        "words": [_word_json(w) for w in words],
        "synonyms": _synonyms_listing(),
        "operations": {name: _operations().get(name) for name in OPERATIONS},
        "available": True,
    }
    try:
        live = aliased(search, search.name(INDEX))
        building = aliased(search, search.name(BUILDING))
        status["index"] = live[0] if live else None
        status["building"] = building[0] if building else None
        if live:
            applied = dictionary_of(search, live[0])
            status["documents"] = search.es.count(index=live[0])["count"]
            status["applied_words"] = [w for w, _f in applied]
            status["words_pending"] = set(applied) != {(w.word, w.freq) for w in words}
    except (TransportError, ApiError) as exc:
        status["available"] = False
        status["error"] = str(exc)[:200]
    return status


def _start(name: str, *args: Any) -> dict[str, Any]:
    ops = _operations()
    if not ops.claim(name):
        raise Conflict(
            "上一次操作还在进行，请等它完成" if name == "check" else "索引正在重建，请等它完成",
            f"A {name} is already running; wait for it to finish",
        )
    try:
        task = current_app.extensions["celery"].send_task(f"search.{name}", args=args)
    except Exception as exc:
        ops.update(name, state="idle")
        raise ServiceUnavailable(
            "任务队列暂时不可用，请稍后重试", "The task queue is unavailable; try again later"
        ) from exc
    ops.update(name, task_id=task.id, requested_by=require_user().username)
    return ops.get(name)


@bp.get("/admin/search")
@access(Role.ADMIN)
def admin_page() -> str:
    return render_template("search_admin.html", status=index_status())


@bp.get("/api/v1/search/status")
@access(Role.ADMIN)
@documented("索引状态、词典与后台操作进度", "Index status, dictionary and operations", tag="search")
def api_status() -> Response:
    return jsonify(index_status())


@bp.post("/api/v1/search/reindex")
@access(Role.ADMIN)
@documented(
    "从数据库重建索引（不停机）并应用词典", "Rebuild the index without downtime", tag="search"
)
def api_reindex() -> tuple[Response, int]:
    return jsonify(operation=_start("reindex")), 202


@bp.post("/api/v1/search/check")
@access(Role.ADMIN)
@documented(
    "核对索引与数据库；fix=true 时修复差异",
    "Compare the index with the database; fix=true repairs differences",
    tag="search",
    body={"fix": "boolean"},
)
def api_check() -> tuple[Response, int]:
    fix = request_data().get("fix") in (True, "true", "1", "on")
    return jsonify(operation=_start("check", fix)), 202


def _add_word(data: dict[str, Any]) -> SearchWord:
    word = str(data.get("word", "")).strip()
    if not WORD.match(word):
        raise InvalidInput(
            "词语须为 2–30 个汉字、字母或数字，不含空格和标点",
            "A word is 2–30 Chinese characters, letters or digits, without spaces or punctuation",
            field="word",
        )
    raw_freq = data.get("freq")
    freq: int | None = None
    if raw_freq not in (None, ""):
        try:
            freq = int(str(raw_freq))
        except ValueError:
            freq = -1
        if not 1 <= freq <= 1_000_000:
            raise InvalidInput("词频须为 1–1000000 的整数", "freq must be 1–1000000", field="freq")
    session = get_session()
    row = SearchWord(word=word, freq=freq, created_by_id=require_user().id)
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"词典里已有“{word}”", f"“{word}” is already in the dictionary") from None
    return row


def _delete_word(word_id: int) -> None:
    session = get_session()
    row = session.get(SearchWord, word_id)
    if row is None:
        raise NotFound("词典里没有这个词", "No such word in the dictionary")
    session.delete(row)
    session.commit()


def _synonyms_changed() -> None:
    """Every web process reads the groups again at its next query."""
    source: SynonymSource | None = current_app.extensions.get("search_synonyms")
    if source is not None:
        source.forget()
    try:
        current_app.extensions["redis"].set(_synonym_token_key(), uuid.uuid4().hex)
    except redis.RedisError:  # the other processes catch up within SynonymSource.ttl
        current_app.logger.warning("synonyms changed but Redis is away", exc_info=True)


def _add_synonyms(data: dict[str, Any]) -> SearchSynonym:
    raw = data.get("terms", "")
    if isinstance(raw, list):
        raw = ",".join(str(t) for t in raw)
    if not isinstance(raw, str) or len(raw) > 400:
        raise InvalidInput(
            "请填写一组词，用逗号或顿号隔开（最多 400 个字）",
            "Give one group of words, comma-separated (400 characters at most)",
            field="terms",
        )
    try:
        terms = parse_group(raw)
    except BadGroup as exc:
        raise InvalidInput(exc.message_zh, exc.message_en, field="terms") from None
    key = group_key(terms)
    if key in {group_key(g) for g in shipped_groups()}:
        raise Conflict("自带的同义词里已有这一组", "This group is already among the shipped ones")
    session = get_session()
    row = SearchSynonym(terms=",".join(terms), key=key, created_by_id=require_user().id)
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("已经添加过这一组同义词", "This group has been added already") from None
    _synonyms_changed()
    return row


def _delete_synonyms(group_id: int) -> None:
    session = get_session()
    row = session.get(SearchSynonym, group_id)
    if row is None:
        raise NotFound("没有这组同义词", "No such synonym group")
    session.delete(row)
    session.commit()
    _synonyms_changed()


@bp.get("/api/v1/search/synonyms")
@access(Role.ADMIN)
@documented(
    "同义词与口语词：自带的组和管理员添加的组",
    "Synonym groups: shipped and added by admins",
    tag="search",
)
def api_synonyms() -> Response:
    return jsonify(_synonyms_listing())


@bp.post("/api/v1/search/synonyms")
@access(Role.ADMIN)
@documented(
    "添加一组同义词（立即生效，无需重建索引）",
    "Add a synonym group (applies at once, no rebuild)",
    tag="search",
    body={"terms": "string"},
)
def api_add_synonyms() -> tuple[Response, int]:
    return jsonify(group=_synonym_json(_add_synonyms(request_data()))), 201


@bp.delete("/api/v1/search/synonyms/<int:group_id>")
@access(Role.ADMIN)
@documented("删除一组同义词", "Remove a synonym group", tag="search")
def api_delete_synonyms(group_id: int) -> tuple[str, int]:
    _delete_synonyms(group_id)
    return "", 204


@bp.post("/admin/search/synonyms")
@access(Role.ADMIN)
def add_synonyms_page() -> BaseResponse:
    row = _add_synonyms(request.form.to_dict())
    flash(f"已添加同义词：{'、'.join(row.terms.split(','))}，搜索立即生效|Synonym group added")
    return redirect(url_for("search.admin_page") + "#synonyms")


@bp.post("/admin/search/synonyms/<int:group_id>/delete")
@access(Role.ADMIN)
def delete_synonyms_page(group_id: int) -> BaseResponse:
    _delete_synonyms(group_id)
    flash("已删除这组同义词|Synonym group removed")
    return redirect(url_for("search.admin_page") + "#synonyms")


@bp.get("/api/v1/search/words")
@access(Role.ADMIN)
@documented("词典里管理员添加的词", "Words admins added to the dictionary", tag="search")
def api_words() -> Response:
    return jsonify(words=[_word_json(w) for w in _words()])


@bp.post("/api/v1/search/words")
@access(Role.ADMIN)
@documented(
    "添加分词词语（重建索引后生效）",
    "Add a word (applied at the next rebuild)",
    tag="search",
    body={"word": "string", "freq": "integer"},
)
def api_add_word() -> tuple[Response, int]:
    return jsonify(word=_word_json(_add_word(request_data()))), 201


@bp.delete("/api/v1/search/words/<int:word_id>")
@access(Role.ADMIN)
@documented("删除分词词语", "Remove a word", tag="search")
def api_delete_word(word_id: int) -> tuple[str, int]:
    _delete_word(word_id)
    return "", 204


@bp.post("/admin/search/words")
@access(Role.ADMIN)
def add_word_page() -> BaseResponse:
    _add_word(request.form.to_dict())
    return redirect(url_for("search.admin_page"))


@bp.post("/admin/search/words/<int:word_id>/delete")
@access(Role.ADMIN)
def delete_word_page(word_id: int) -> BaseResponse:
    _delete_word(word_id)
    return redirect(url_for("search.admin_page"))


@bp.post("/admin/search/reindex")
@access(Role.ADMIN)
def reindex_page() -> BaseResponse:
    _start("reindex")
    return redirect(url_for("search.admin_page"))


@bp.post("/admin/search/check")
@access(Role.ADMIN)
def check_page() -> BaseResponse:
    _start("check", request.form.get("fix") == "1")
    return redirect(url_for("search.admin_page"))


@bp.app_template_filter("since")
def since_filter(timestamp: float | None) -> str:
    if not timestamp:
        return ""
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
