"""Security headers on every answer, and no session for visitors who have none.

The Content-Security-Policy allows scripts and styles from the service only (no inline code),
media, images and requests to the object store's public address as well (HLS segments, page
images and direct uploads go there) and the RTMP server's live HLS, and ``blob:`` for
hls.js's worker and media source. Pages are never framed by another site.

An anonymous visitor gets no cookie until a page with a form needs one (sign in, register), so a
public page is the same answer for everyone and a proxy may cache it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, get_flashed_messages, request


def store_origin(config: dict[str, Any]) -> str:
    scheme = "https" if config["S3_PUBLIC_SECURE"] else "http"
    return f"{scheme}://{config['S3_PUBLIC_ENDPOINT']}"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(config: dict[str, Any]) -> str:
    store = store_origin(config)
    live = origin(config["LIVE_HLS_URL"])  # the RTMP server's HLS of live classes
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": f"'self' data: blob: {store}",
        "media-src": f"'self' blob: {store} {live}",
        "connect-src": f"'self' {store} {live}",
        "worker-src": "'self' blob:",
        "frame-src": "'self'",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def has_session() -> bool:
    """Whether this visitor has a session: a cookie came, or this request started one (a form
    asked for its token). Touching ``session`` itself would mark the answer ``Vary: Cookie``."""
    return current_app.config["SESSION_COOKIE_NAME"] in request.cookies or g.get(
        "session_started", False
    )


def flashes() -> list[str]:
    """The flashed messages, without starting a session for a visitor who has none."""
    return [str(m) for m in get_flashed_messages()] if has_session() else []


def init_security(app: Flask) -> None:
    policy = content_security_policy(app.config)

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault(
            "Permissions-Policy", "geolocation=(), microphone=(self), camera=(self), payment=()"
        )
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    app.jinja_env.globals["flashes"] = flashes
    app.jinja_env.globals["has_session"] = has_session
