"""Public live pages: classes on air now and the ones coming up."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from repo_service.access import PUBLIC, access
from repo_service.db import get_session, utcnow
from studio.models import LiveSession, LiveStatus

bp = Blueprint("live_pages", __name__, template_folder="templates")

UPCOMING = 20


def live_hls_url(live: LiveSession) -> str:
    return f"{current_app.config['LIVE_HLS_URL'].rstrip('/')}/{live.public_name}.m3u8"


@bp.get("/live")
@access(PUBLIC)
def live_page() -> str:
    db = get_session()
    on_air = db.scalars(
        select(LiveSession)
        .where(LiveSession.status == LiveStatus.LIVE)
        .order_by(LiveSession.started_at.desc())
    ).all()
    upcoming = db.scalars(
        select(LiveSession)
        .where(
            LiveSession.status == LiveStatus.SCHEDULED,
            (LiveSession.scheduled_start.is_(None)) | (LiveSession.scheduled_start >= utcnow()),
        )
        .order_by(LiveSession.scheduled_start.is_(None), LiveSession.scheduled_start)
        .limit(UPCOMING)
    ).all()
    return render_template(
        "live.html",
        on_air=[(live, live_hls_url(live)) for live in on_air],
        upcoming=upcoming,
    )
