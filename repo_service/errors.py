"""Typed domain errors and the one place that turns them into HTTP answers.

Every error carries a Chinese message (shown first) and an English one. API clients get
``{"error": {"code", "message", "message_en", ...}}``; pages get the error page.
"""

from __future__ import annotations

from typing import Any, ClassVar

import urllib3
from flask import Flask, Response, jsonify, redirect, render_template, request, url_for
from minio.error import MinioException
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "invalid"

    def __init__(self, message: str, message_en: str, **details: Any) -> None:
        super().__init__(message_en)
        self.message = message
        self.message_en = message_en
        self.details = details


class InvalidInput(DomainError):
    status = 400
    code = "invalid_input"


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TooLarge(DomainError):
    status = 413
    code = "too_large"


class ServiceUnavailable(DomainError):
    status = 503
    code = "service_unavailable"


# Chinese wording for the HTTP errors Werkzeug raises itself (routing, method, size…).
HTTP_MESSAGES_ZH = {
    400: "请求格式不正确",
    401: "请先登录",
    403: "没有权限执行此操作",
    404: "找不到该页面或资源",
    405: "不支持该请求方法",
    413: "请求内容过大",
    415: "不支持的内容类型",
    429: "请求过于频繁，请稍后再试",
    500: "服务器内部错误",
    503: "服务暂时不可用",
}


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(
    status: int, code: str, message: str, message_en: str, details: dict[str, Any] | None = None
) -> tuple[Response | str, int]:
    if wants_json():
        body: dict[str, Any] = {"code": code, "message": message, "message_en": message_en}
        if details:
            body.update(details)
        return jsonify(error=body), status
    return (
        render_template(
            "error.html", status=status, message=message, message_en=message_en, details=details
        ),
        status,
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(exc: DomainError) -> Any:
        if isinstance(exc, Unauthenticated) and not wants_json():
            return redirect(url_for("accounts.login_page", next=request.full_path.rstrip("?")))
        body, status = error_response(
            exc.status, exc.code, exc.message, exc.message_en, exc.details
        )
        retry_after = exc.details.get("retry_after")
        headers = {"Retry-After": str(retry_after)} if retry_after else {}
        return body, status, headers

    @app.errorhandler(MinioException)
    @app.errorhandler(urllib3.exceptions.HTTPError)
    def _storage_down(exc: Exception) -> Any:
        app.logger.warning("object storage error: %s", exc)
        return error_response(
            503,
            "storage_unavailable",
            "文件存储暂时不可用，请稍后重试；已上传的部分不会丢失",
            "File storage is unavailable; retry shortly, nothing already uploaded is lost",
        )

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> tuple[Response | str, int]:
        status = exc.code or 500
        zh = HTTP_MESSAGES_ZH.get(status, exc.name)
        return error_response(
            status, exc.name.lower().replace(" ", "_"), zh, exc.description or exc.name
        )
