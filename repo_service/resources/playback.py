"""Playback: playlists rewritten per viewer, segments served straight from object storage.

The master playlist points at the service's own variant playlists; each variant playlist is
answered with short-lived presigned URLs for its segments, so the right to watch is checked on
every playlist request and segment bytes never pass through the web process.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable

from flask import Blueprint, Response, current_app, jsonify, redirect, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from repo_service.access import PUBLIC, access, current_user
from repo_service.accounts.auth import csrf_exempt
from repo_service.api import documented
from repo_service.db import get_session
from repo_service.errors import Forbidden, NotFound
from repo_service.processing.models import DocumentPage, Rendition
from repo_service.resources.models import ProcessingStatus, ResourceVersion
from repo_service.resources.services import ProcessingFailed, count_play, get_visible
from repo_service.storage import ObjectStorage

log = logging.getLogger(__name__)

bp = Blueprint("playback", __name__)

SEGMENT = re.compile(r"^seg_\d{5}\.ts$")
VARIANT = re.compile(r"^v(\w+)/index\.m3u8$")
SPRITE = re.compile(r"^(sprite_\d{3}\.jpg)(#xywh=\d+,\d+,\d+,\d+)$")
PLAYLIST_TYPE = "application/vnd.apple.mpegurl"


def _storage() -> ObjectStorage:
    storage: ObjectStorage = current_app.extensions["storage"]
    return storage


def _playable(resource_id: int) -> ResourceVersion:
    """The newest version that can be played.

    A new upload that failed leaves an older ready version playing. With nothing ready, a failed
    current version answers 409 with the reason, so the player does not wait for processing
    that will never finish; otherwise the video is still being processed (404).
    """
    resource = get_visible(get_session(), current_user(), resource_id)
    ready = [v for v in resource.versions if v.master_key]
    if ready:
        return ready[-1]
    current = resource.current_version
    if current is not None and current.processing_status == ProcessingStatus.FAILED:
        raise ProcessingFailed(
            current, "该视频处理失败，不能播放", "This video failed processing and cannot be played"
        )
    raise NotFound("该视频还在处理中，暂时不能播放", "This video is still being processed")


def _viewer() -> str:
    """Who is watching: the account, or (signed out) a hash of address and browser."""
    user = current_user()
    if user is not None:
        return f"u{user.id}"
    seen = f"{request.remote_addr}|{request.user_agent.string}".encode()
    return "a" + hashlib.sha256(seen).hexdigest()[:16]


@bp.post("/api/v1/resources/<int:resource_id>/plays")
@access(PUBLIC)
@documented(
    "记录一次播放（播放器开始播放时调用；同一观众每小时计一次）",
    "Record a play (sent by the player when playback starts; once per viewer per hour)",
    tag="playback",
)
@csrf_exempt  # anonymous viewers have no session to hold a token; a count is all it changes
def record_play(resource_id: int) -> Response:
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        raise Forbidden("不接受来自其他网站的请求", "Requests from other sites are refused")
    session = get_session()
    resource = get_visible(session, current_user(), resource_id)
    counted = count_play(session, current_app.extensions["redis"], resource, _viewer())
    session.commit()
    return jsonify(counted=counted)


def rewrite(text: str, replace: Callable[[str], str | None]) -> str:
    """Each line as ``replace`` maps it (None keeps the line as it is)."""
    return "\n".join(replace(line.strip()) or line for line in text.splitlines()) + "\n"


def master_playlist(version: ResourceVersion, variant_url: Callable[[str], str]) -> Response:
    """The version's master playlist with each variant pointing at ``variant_url(name)``."""
    assert version.master_key is not None
    text = _storage().get_bytes("media", version.master_key).decode()

    def to_variant(line: str) -> str | None:
        match = VARIANT.fullmatch(line)
        return variant_url(match.group(1)) if match else None

    return playlist_response(rewrite(text, to_variant))


def variant_playlist(version: ResourceVersion, name: str) -> Response:
    """One rendition's playlist with its segments as short-lived links to the store."""
    rendition = (
        get_session().query(Rendition).filter_by(version_id=version.id, name=name).one_or_none()
    )
    if rendition is None:
        raise NotFound("没有该清晰度", "No such rendition")
    storage = _storage()
    base = rendition.playlist_key.rsplit("/", 1)[0]
    seconds = current_app.config["S3_PRESIGN_SECONDS"] + 4 * 3600  # long enough to watch it
    text = storage.get_bytes("media", rendition.playlist_key).decode()

    def to_segment(line: str) -> str | None:
        if not SEGMENT.fullmatch(line):
            return None
        return storage.presigned_get("media", f"{base}/{line}", seconds=seconds)

    return playlist_response(rewrite(text, to_segment))


def playlist_response(text: str) -> Response:
    response = Response(text, mimetype=PLAYLIST_TYPE)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/api/v1/resources/<int:resource_id>/hls/master.m3u8")
@access(PUBLIC)
@documented("HLS 主播放列表", "HLS master playlist", tag="playback")
def master(resource_id: int) -> Response:
    return master_playlist(
        _playable(resource_id),
        lambda name: url_for("playback.variant", resource_id=resource_id, name=name),
    )


@bp.get("/api/v1/resources/<int:resource_id>/hls/<name>/index.m3u8")
@access(PUBLIC)
@documented(
    "HLS 分辨率播放列表（分片为限时链接）",
    "HLS variant playlist (segments as short-lived URLs)",
    tag="playback",
)
def variant(resource_id: int, name: str) -> Response:
    return variant_playlist(_playable(resource_id), name)


@bp.get("/api/v1/resources/<int:resource_id>/thumbnails.vtt")
@access(PUBLIC)
@documented("拖动预览缩略图（WebVTT）", "Seek-preview thumbnails (WebVTT)", tag="playback")
def thumbnails(resource_id: int) -> Response:
    version = _playable(resource_id)
    if not version.sprite_vtt_key:
        raise NotFound("没有缩略图", "No thumbnails")
    storage = _storage()
    base = version.sprite_vtt_key.rsplit("/", 1)[0]
    urls: dict[str, str] = {}

    def to_sheet(line: str) -> str | None:
        match = SPRITE.fullmatch(line)
        if not match:
            return None
        sheet = match.group(1)
        if sheet not in urls:
            urls[sheet] = storage.presigned_get("media", f"{base}/{sheet}", seconds=4 * 3600)
        return urls[sheet] + match.group(2)

    text = storage.get_bytes("media", version.sprite_vtt_key).decode()
    response = Response(rewrite(text, to_sheet), mimetype="text/vtt")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/resources/<int:resource_id>/poster")
@access(PUBLIC)
@documented(
    "封面图（跳转到限时链接）；size=card：列表卡片用的小图",
    "Poster image (redirect to a short-lived URL); size=card: the small one for course cards",
    tag="playback",
    query={"size": "card：小图（约 480 像素宽）；不填：原封面"},
)
def poster(resource_id: int) -> BaseResponse:
    resource = get_visible(get_session(), current_user(), resource_id)
    with_poster = [v for v in resource.versions if v.poster_key]
    if not with_poster:
        raise NotFound("没有封面", "No poster")
    newest = with_poster[-1]
    key = newest.poster_key
    if request.args.get("size") == "card":  # versions made before cards had none: the poster
        key = (newest.media_info or {}).get("card_key") or key
    assert key is not None
    return redirect(
        _storage().presigned_get("media", key, seconds=current_app.config["S3_PRESIGN_SECONDS"])
    )


def _pages(resource_id: int) -> list[DocumentPage]:
    resource = get_visible(get_session(), current_user(), resource_id)
    version = resource.current_version
    if version is None:
        return []
    return list(
        get_session().scalars(
            select(DocumentPage)
            .where(DocumentPage.version_id == version.id)
            .order_by(DocumentPage.number)
        )
    )


@bp.get("/api/v1/resources/<int:resource_id>/pages")
@access(PUBLIC)
@documented("教材的逐页文字与页面图", "A document's pages: text and page images", tag="playback")
def api_pages(resource_id: int) -> Response:
    return jsonify(
        pages=[
            {
                "number": p.number,
                "heading": p.heading,
                "text": p.text,
                "image_url": (
                    url_for("playback.page_image", resource_id=resource_id, number=p.number)
                    if p.image_key
                    else None
                ),
            }
            for p in _pages(resource_id)
        ]
    )


@bp.get("/resources/<int:resource_id>/pages/<int:number>/image")
@access(PUBLIC)
@documented("教材页面图（跳转到限时链接）", "A page image (redirect)", tag="playback")
def page_image(resource_id: int, number: int) -> BaseResponse:
    page = next((p for p in _pages(resource_id) if p.number == number), None)
    if page is None or page.image_key is None:
        raise NotFound("没有这一页", "No such page")
    return redirect(
        _storage().presigned_get(
            "media", page.image_key, seconds=current_app.config["S3_PRESIGN_SECONDS"]
        )
    )
