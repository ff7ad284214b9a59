"""Categories and audiences: the admin page and the JSON API."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from repo_service.access import PUBLIC, access, current_user
from repo_service.accounts.models import Role
from repo_service.api import documented, request_data
from repo_service.db import get_session
from repo_service.errors import DomainError
from repo_service.vocabulary import services
from repo_service.vocabulary.models import Term
from repo_service.vocabulary.services import LABELS, Vocabulary

bp = Blueprint("vocabulary", __name__)

TERM_BODY = {"name_zh": "string", "name_en": "string", "position": "integer"}


def term_json(term: Term, used: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": term.id,
        "name_zh": term.name_zh,
        "name_en": term.name_en,
        "position": term.position,
        "is_active": term.is_active,
    }
    if used is not None:
        body["resources"] = used
    return body


def _listing(with_usage: bool) -> dict[str, list[dict[str, Any]]]:
    db = get_session()
    listing = {}
    for kind in Vocabulary:
        used = services.usage(db, kind) if with_usage else {}
        listing[kind.value] = [
            term_json(t, used.get(t.name_zh, 0) if with_usage else None)
            for t in services.terms(db, kind)
        ]
    return listing


def _page(error: DomainError | None = None, kind: str | None = None) -> str | tuple[str, int]:
    html = render_template(
        "vocabulary/admin.html",
        listing=_listing(with_usage=True),
        labels={k.value: v for k, v in LABELS.items()},
        error=error,
        failed_kind=kind,
        form=request.form if error else {},
    )
    return (html, error.status) if error else html


@bp.get("/admin/vocabulary")
@access(Role.ADMIN)
def admin_page() -> str | tuple[str, int]:
    return _page()


@bp.post("/admin/vocabulary/<kind>")
@access(Role.ADMIN)
def add_page(kind: str) -> str | tuple[str, int] | BaseResponse:
    vocabulary = services.vocabulary(kind)
    db = get_session()
    try:
        term = services.add_term(db, vocabulary, request.form.to_dict())
        db.commit()
    except DomainError as exc:
        db.rollback()
        return _page(exc, kind)
    flash(f"已添加“{term.name_zh}”，表单里立即可选|Added {term.name_en}")
    return redirect(url_for("vocabulary.admin_page") + f"#{kind}")


@bp.post("/admin/vocabulary/<kind>/<int:term_id>")
@access(Role.ADMIN)
def update_page(kind: str, term_id: int) -> str | tuple[str, int] | BaseResponse:
    vocabulary = services.vocabulary(kind)
    db = get_session()
    try:
        term = services.update_term(db, vocabulary, term_id, request.form.to_dict())
        db.commit()
    except DomainError as exc:
        db.rollback()
        return _page(exc, kind)
    flash(f"已保存“{term.name_zh}”|Saved {term.name_en}")
    return redirect(url_for("vocabulary.admin_page") + f"#{kind}-{term.id}")


@bp.get("/api/v1/vocabulary")
@access(PUBLIC)
@documented(
    "学科分类与适用对象（含已停用的；表单只提供启用的）",
    "Categories and audiences (deactivated ones too; forms offer the active ones)",
    tag="vocabulary",
)
def api_list() -> Response:
    user = current_user()
    return jsonify(_listing(with_usage=user is not None and Role.ADMIN in user.roles))


@bp.post("/api/v1/vocabulary/<kind>")
@access(Role.ADMIN)
@documented(
    "新增一个学科分类（categories）或适用对象（audiences）",
    "Add a category (categories) or an audience (audiences)",
    tag="vocabulary",
    body=TERM_BODY,
)
def api_add(kind: str) -> tuple[Response, int]:
    vocabulary = services.vocabulary(kind)
    db = get_session()
    term = services.add_term(db, vocabulary, request_data())
    db.commit()
    return jsonify(term=term_json(term)), 201


@bp.patch("/api/v1/vocabulary/<kind>/<int:term_id>")
@access(Role.ADMIN)
@documented(
    "修改英文名称、调整顺序、停用或重新启用（中文名称不能改）",
    "Rename the English label, move, deactivate or activate again (the Chinese name is fixed)",
    tag="vocabulary",
    body={"name_en": "string", "position": "integer", "is_active": "boolean"},
)
def api_update(kind: str, term_id: int) -> Response:
    vocabulary = services.vocabulary(kind)
    db = get_session()
    term = services.update_term(db, vocabulary, term_id, request_data())
    db.commit()
    return jsonify(term=term_json(term))
