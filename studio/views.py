"""RTMP server callbacks (nginx-rtmp ``on_publish`` / ``on_publish_done``).

nginx-rtmp allows a publish on any 2xx answer and refuses it on 4xx. The encoder publishes to
``live/<public name>?key=<secret>``; nginx passes the publish arguments along in the callback,
so the secret never names a file or appears in a playlist URL.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging

from flask import Blueprint, Response, current_app, request

from repo_service.access import PUBLIC, access
from repo_service.accounts.auth import csrf_exempt
from repo_service.db import get_session
from studio.services import authorise_publish, publish_done

bp = Blueprint("rtmp", __name__, url_prefix="/rtmp")
log = logging.getLogger(__name__)


def _callback_allowed() -> bool:
    expected = current_app.config["RTMP_CALLBACK_SECRET"]
    given = request.args.get("secret", "")
    return bool(expected) and hmac.compare_digest(expected, given)


@bp.post("/on_publish")
@access(PUBLIC)  # authenticated by the shared secret in the callback URL
@csrf_exempt
def on_publish() -> Response:
    if not _callback_allowed():
        return Response("forbidden\n", status=403, mimetype="text/plain")
    session = get_session()
    grace = dt.timedelta(minutes=int(current_app.config["LIVE_GRACE_MINUTES"]))
    live = authorise_publish(
        session, request.form.get("name", ""), request.form.get("key", ""), grace=grace
    )
    if live is None:
        session.rollback()
        log.warning("refused RTMP publish from %s", request.form.get("addr", "?"))
        return Response("unknown or closed stream key\n", status=403, mimetype="text/plain")
    session.commit()
    log.info("RTMP publish accepted for live session %s", live.id)
    return Response("", status=204)


@bp.post("/on_publish_done")
@access(PUBLIC)
@csrf_exempt
def on_publish_done() -> Response:
    if not _callback_allowed():
        return Response("forbidden\n", status=403, mimetype="text/plain")
    session = get_session()
    publish_done(session, request.form.get("name", ""))
    session.commit()
    return Response("", status=204)
