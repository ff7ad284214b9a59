"""Public pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from repo_service.access import PUBLIC, access

bp = Blueprint("pages", __name__)


@bp.get("/")
@access(PUBLIC)
def home() -> str:
    return render_template("home.html")
