"""Public pages."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from repo_service import policy
from repo_service.access import PUBLIC, access
from repo_service.accounts.models import STREETS
from repo_service.competitions.models import Competition, Phase
from repo_service.db import get_session
from repo_service.resources import services
from repo_service.resources.models import KIND_LABELS, STATUS_LABELS, Resource
from repo_service.vocabulary import services as vocabulary

bp = Blueprint("pages", __name__)

NEWEST = 8


@bp.get("/")
@access(PUBLIC)
def home() -> str:
    db = get_session()
    published = services.published_query().order_by(None)
    newest = db.scalars(
        published.order_by(Resource.published_at.desc(), Resource.id.desc())
        .limit(NEWEST)
        .options(selectinload(Resource.versions), selectinload(Resource.organisation))
    ).all()
    counted = published.with_only_columns(Resource.category, func.count()).group_by(
        Resource.category
    )
    recent = db.scalars(select(Competition).order_by(Competition.id.desc()).limit(12)).all()
    collections = [c for c in recent if c.phase == Phase.FINAL and policy.can_see_results(None, c)][
        :4
    ]
    return render_template(
        "home.html",
        collections=collections,
        newest=newest,
        by_category=dict(db.execute(counted).all()),
        categories=vocabulary.categories(db),
        streets=STREETS,
        kinds=KIND_LABELS,
        statuses=STATUS_LABELS,
    )
