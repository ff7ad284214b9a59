"""Chinese first, English available: the page language comes from ``?lang=`` or a cookie."""

from __future__ import annotations

from flask import Flask, Response, g, request

LANGUAGES = ("zh", "en")
COOKIE = "zx_lang"


def current_language() -> str:
    lang: str = g.get("lang", "zh")
    return lang


def init_i18n(app: Flask) -> None:
    @app.before_request
    def _pick_language() -> None:
        wanted = request.args.get("lang") or request.cookies.get(COOKIE) or "zh"
        g.lang = wanted if wanted in LANGUAGES else "zh"

    @app.after_request
    def _remember_language(response: Response) -> Response:
        chosen = request.args.get("lang")
        if chosen in LANGUAGES:
            response.set_cookie(
                COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
            )
        return response

    @app.context_processor
    def _inject() -> dict[str, object]:
        def t(zh: str, en: str) -> str:
            return en if current_language() == "en" else zh

        return {"t": t, "lang": current_language()}
