"""JSON API helpers and the OpenAPI document built from the views' own declarations.

A view documents itself with ``@documented(summary_zh, summary_en, tag=..., body=...)``; the
document at ``/api/v1/openapi.json`` is assembled from the URL map, so it cannot drift from the
routes that exist. Each operation also lists the roles its ``@access`` declaration allows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request

from repo_service.access import PUBLIC, SIGNED_IN, access, declared_access
from repo_service.errors import InvalidInput

F = TypeVar("F", bound=Callable[..., Any])

bp = Blueprint("api", __name__)

MAX_JSON_BYTES = 64 * 1024


def documented(
    summary: str,
    summary_en: str,
    *,
    tag: str,
    body: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    raw_body: str | None = None,
) -> Callable[[F], F]:
    def mark(view: F) -> F:
        view.zx_doc = {  # type: ignore[attr-defined]
            "summary": summary,
            "summary_en": summary_en,
            "tag": tag,
            "body": body,
            "query": query,
            "raw_body": raw_body,
        }
        return view

    return mark


def request_data() -> dict[str, Any]:
    """The request's fields, from a JSON object or a form, with a clear 400 otherwise."""
    if request.mimetype == "application/json":
        if (request.content_length or 0) > MAX_JSON_BYTES:
            from repo_service.errors import TooLarge

            raise TooLarge("请求内容过大", f"JSON bodies are limited to {MAX_JSON_BYTES} bytes")
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise InvalidInput("请求体必须是 JSON 对象", "The request body must be a JSON object")
        return data
    return request.form.to_dict()


_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_TYPES = {"int": "integer", "string": "string", None: "string", "path": "string"}


def build_openapi(app: Flask) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        doc = getattr(view, "zx_doc", None)
        if view is None or doc is None:
            continue
        path = _PARAM.sub(r"{\2}", rule.rule)
        params = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": _TYPES.get(conv, "string")},
            }
            for conv, name in _PARAM.findall(rule.rule)
        ]
        for name, kind in (doc["query"] or {}).items():
            params.append(
                {"name": name, "in": "query", "required": False, "schema": {"type": kind}}
            )
        rules = declared_access(view) or frozenset()
        who = sorted(str(r) for r in rules)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            op: dict[str, Any] = {
                "summary": f"{doc['summary']} / {doc['summary_en']}",
                "tags": [doc["tag"]],
                "operationId": f"{rule.endpoint}.{method.lower()}",
                "x-access": who,
                "responses": {
                    "200": {"description": "OK"},
                    "400": {"$ref": "#/components/responses/Error"},
                    **(
                        {}
                        if PUBLIC in rules
                        else {
                            "401": {"$ref": "#/components/responses/Error"},
                            **(
                                {}
                                if SIGNED_IN in rules
                                else {"403": {"$ref": "#/components/responses/Error"}}
                            ),
                        }
                    ),
                },
            }
            if params:
                op["parameters"] = params
            if doc["body"]:
                props = {
                    k: ({"type": "string", "format": "binary"} if v == "file" else {"type": v})
                    for k, v in doc["body"].items()
                }
                media = (
                    "multipart/form-data" if "file" in doc["body"].values() else "application/json"
                )
                op["requestBody"] = {
                    "content": {media: {"schema": {"type": "object", "properties": props}}}
                }
            if doc["raw_body"]:
                op["requestBody"] = {
                    "content": {doc["raw_body"]: {"schema": {"type": "string", "format": "binary"}}}
                }
            paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "智学江宁 API / Zhixue Jiangning API",
            "version": "1",
            "description": 'Errors are `{"error": {"code", "message" (中文), "message_en"}}`. '
            "Authenticate with the session cookie plus `X-CSRF-Token` for writes, or with "
            "`Authorization: Bearer <personal token>`.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "responses": {
                "Error": {
                    "description": "Error with Chinese and English messages",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "error": {
                                        "type": "object",
                                        "properties": {
                                            "code": {"type": "string"},
                                            "message": {"type": "string"},
                                            "message_en": {"type": "string"},
                                        },
                                    }
                                },
                            }
                        }
                    },
                }
            },
        },
    }


@bp.get("/api/v1/openapi.json")
@access(PUBLIC)
def openapi_json() -> Response:
    return jsonify(build_openapi(current_app._get_current_object()))  # type: ignore[attr-defined]  # noqa: SLF001


@bp.get("/api/docs")
@access(PUBLIC)
def api_docs() -> str:
    spec = build_openapi(current_app._get_current_object())  # type: ignore[attr-defined]  # noqa: SLF001
    return render_template("api_docs.html", spec=spec)
