"""The judging JSON API and the judge's blind media: desk, scores, history, conflicts.

Everything a judge receives from here is built from the entry's anonymous code, category, title
and summary, and from judge copies: no author, unit, original file name or resource id. The
media answers are playlists rewritten to this blueprint and short-lived links to objects whose
keys hold only numbers.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, redirect, url_for
from werkzeug.wrappers import Response as BaseResponse

from repo_service.access import access, require_user
from repo_service.accounts.models import Role
from repo_service.api import documented, request_data
from repo_service.competitions.models import KIND_LABELS
from repo_service.db import get_session, utcnow
from repo_service.errors import NotFound
from repo_service.judging import services
from repo_service.judging.models import ASSIGNMENT_LABELS, JudgeAssignment
from repo_service.resources.playback import master_playlist, variant_playlist
from repo_service.storage import ObjectStorage

bp = Blueprint("judging_api", __name__)

DOC_SUFFIX = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


def criterion_json(c: Any) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "description": c.description,
        "max_score": c.max_score,
        "weight": c.weight,
        "counts": c.counts,
        "levels": c.levels,
    }


def blind_json(a: JudgeAssignment) -> dict[str, Any]:
    """What a judge may know of an assignment: never who made the work."""
    entry = a.entry
    competition = entry.competition
    version = entry.version
    is_video = version.content_type.startswith("video/")
    media: dict[str, Any] = {"kind": "video" if is_video else "document"}
    if is_video:
        media["hls"] = url_for("judging_api.master", assignment_id=a.id)
        media["poster"] = url_for("judging_api.poster", assignment_id=a.id)
        media["duration"] = version.duration
        media["ready"] = bool(version.master_key)
    else:
        media["document"] = url_for("judging_api.document", assignment_id=a.id)
        media["ready"] = bool(version.judge_copy_key)
        media["pages"] = version.page_count
    if entry.statement_version_id:
        media["statement"] = url_for("judging_api.statement", assignment_id=a.id)
    label, label_en = ASSIGNMENT_LABELS[a.status]
    return {
        "id": a.id,
        "code": entry.code,
        "category": entry.category,
        "title": entry.title,
        "summary": entry.summary,
        "competition": {
            "id": competition.id,
            "name": competition.name,
            "kind": competition.kind.value,
            "kind_label": KIND_LABELS[competition.kind][0],
        },
        "round": a.round,
        "status": a.status.value,
        "status_label": label,
        "status_label_en": label_en,
        "row_version": a.row_version,
        "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
        "criteria": [criterion_json(c) for c in competition.criteria],
        "scores": {str(s.criterion_id): s.value for s in a.scores},
        "comments": {str(s.criterion_id): s.comment for s in a.scores},
        "overall_comment": a.overall_comment,
        "timed_comments": [{"at": t.at_seconds, "text": t.text} for t in a.timed_comments],
        "media": media,
    }


def _storage() -> ObjectStorage:
    storage: ObjectStorage = current_app.extensions["storage"]
    return storage


def _mine(assignment_id: int) -> JudgeAssignment:
    """The judge's own assignment (admins may look too)."""
    return services.get_assignment(get_session(), require_user(), assignment_id)


@bp.get("/api/v1/judging/assignments")
@access(Role.JUDGE)
@documented("评委的评审任务（匿名编号）", "A judge's desk: her assignments, by code", tag="judging")
def desk() -> Response:
    rows = services.desk(get_session(), require_user())
    return jsonify(assignments=[blind_json(a) for a in rows])


@bp.get("/api/v1/judging/assignments/<int:assignment_id>")
@access(Role.JUDGE, Role.ADMIN)
@documented("一项评审任务", "One assignment", tag="judging")
def read(assignment_id: int) -> Response:
    return jsonify(assignment=blind_json(_mine(assignment_id)))


@bp.post("/api/v1/judging/assignments/<int:assignment_id>/scores")
@access(Role.JUDGE)
@documented(
    "保存评分草稿或提交评分（需带 row_version；提交后锁定）",
    "Save a draft or submit scores (send row_version; submitted scores are locked)",
    tag="judging",
    body={
        "row_version": "整数：读取时的版本 / the version read",
        "scores": "{criterion_id: 分数}；只改列出的项，null 清空 / only those named change",
        "comments": "{criterion_id: 评语}；同上 / likewise",
        "overall_comment": "总评",
        "timed_comments": "[{at: 秒, text}]",
        "submit": "true 提交 / false 草稿",
    },
)
def save(assignment_id: int) -> Response:
    session = get_session()
    judge = require_user()
    a = services.get_assignment(session, judge, assignment_id)
    data = request_data()
    submit = data.get("submit") in (True, "true", "1", 1, "on")
    services.save_scores(session, judge, a, data, utcnow(), submit=submit)
    session.commit()
    return jsonify(assignment=blind_json(a))


@bp.get("/api/v1/judging/assignments/<int:assignment_id>/scores")
@access(Role.JUDGE, Role.ADMIN)
@documented("评分的修改历史", "The history of an assignment's scores", tag="judging")
def score_history(assignment_id: int) -> Response:
    session = get_session()
    a = _mine(assignment_id)
    events = services.history(session, a)
    return jsonify(
        history=[
            {
                "action": e.action,
                "at": e.at.isoformat(),
                "by_admin": e.actor_id != a.judge_user_id,
                "reason": e.reason,
                "snapshot": e.snapshot,
            }
            for e in events
        ]
    )


@bp.post("/api/v1/judging/assignments/<int:assignment_id>/reopen")
@access(Role.ADMIN)
@documented(
    "退回已提交的评分（需填写原因，记入日志）",
    "Reopen submitted scores (a logged reason)",
    tag="judging",
    body={"reason": "原因 / reason"},
)
def reopen(assignment_id: int) -> Response:
    session = get_session()
    a = _mine(assignment_id)
    services.reopen(session, require_user(), a, str(request_data().get("reason") or ""))
    session.commit()
    return jsonify(status=a.status.value, row_version=a.row_version)


@bp.post("/api/v1/judging/assignments/<int:assignment_id>/conflict")
@access(Role.JUDGE)
@documented(
    "声明回避这件作品（任务撤销，管理员重新分配）",
    "Declare a conflict with this entry (the assignment is withdrawn)",
    tag="judging",
    body={"note": "说明 / note"},
)
def conflict(assignment_id: int) -> Response:
    session = get_session()
    judge = require_user()
    a = services.get_assignment(session, judge, assignment_id)
    data = dict(request_data(), assignment_id=a.id)
    services.declare_conflict(session, judge, a.entry.competition, data)
    session.commit()
    return jsonify(status=a.status.value)


@bp.post("/api/v1/judging/assignments/<int:assignment_id>/identity")
@access(Role.JUDGE)
@documented(
    "报告作品中可识别作者身份（交管理员处理）",
    "Report that the work reveals its author (the admin decides)",
    tag="judging",
    body={"note": "说明 / note"},
)
def identity(assignment_id: int) -> Response:
    from repo_service.competitions.services import flag_identity

    session = get_session()
    judge = require_user()
    a = services.get_assignment(session, judge, assignment_id)
    flag_identity(session, judge, a.entry, str(request_data().get("note") or ""))
    session.commit()
    return jsonify(flagged=True)


# --- blind media -------------------------------------------------------------------------------


def _video(a: JudgeAssignment) -> Any:
    version = a.entry.version
    if not version.content_type.startswith("video/"):
        raise NotFound("该作品不是视频", "This entry is not a video")
    if not version.master_key:
        raise NotFound("视频还在处理中", "The video is still being processed")
    return version


@bp.get("/api/v1/judging/assignments/<int:assignment_id>/hls/master.m3u8")
@access(Role.JUDGE, Role.ADMIN)
@documented("评审用 HLS 主播放列表（匿名）", "Blind HLS master playlist", tag="judging")
def master(assignment_id: int) -> Response:
    a = _mine(assignment_id)
    return master_playlist(
        _video(a),
        lambda name: url_for("judging_api.variant", assignment_id=a.id, name=name),
    )


@bp.get("/api/v1/judging/assignments/<int:assignment_id>/hls/<name>/index.m3u8")
@access(Role.JUDGE, Role.ADMIN)
@documented("评审用 HLS 分辨率播放列表", "Blind HLS variant playlist", tag="judging")
def variant(assignment_id: int, name: str) -> Response:
    return variant_playlist(_video(_mine(assignment_id)), name)


@bp.get("/judging/assignments/<int:assignment_id>/poster")
@access(Role.JUDGE, Role.ADMIN)
@documented("评审用封面图", "Blind poster image", tag="judging")
def poster(assignment_id: int) -> BaseResponse:
    version = _video(_mine(assignment_id))
    if not version.poster_key:
        raise NotFound("没有封面", "No poster")
    return redirect(_storage().presigned_get("media", version.poster_key, seconds=300))


def _judge_copy(version: Any, name: str) -> BaseResponse:
    if not version.judge_copy_key:
        raise NotFound(
            "评审用副本还在生成中，请稍后再试", "The judge copy is still being made; retry shortly"
        )
    suffix = DOC_SUFFIX.get(version.content_type, "bin")
    return redirect(
        _storage().presigned_get(
            "media",
            version.judge_copy_key,
            seconds=600,
            download_name=f"{name}.{suffix}",
            content_type=version.content_type,
            inline=suffix == "pdf",
        )
    )


@bp.get("/judging/assignments/<int:assignment_id>/document")
@access(Role.JUDGE, Role.ADMIN)
@documented(
    "评审用文档副本（已去除作者信息，按作品编号命名）",
    "The judge copy of a document (author metadata removed, named by code)",
    tag="judging",
)
def document(assignment_id: int) -> BaseResponse:
    a = _mine(assignment_id)
    return _judge_copy(a.entry.version, a.entry.code)


@bp.get("/judging/assignments/<int:assignment_id>/statement")
@access(Role.JUDGE, Role.ADMIN)
@documented("评审用教学设计说明副本", "The judge copy of the design statement", tag="judging")
def statement(assignment_id: int) -> BaseResponse:
    a = _mine(assignment_id)
    if a.entry.statement_version is None:
        raise NotFound("该作品没有教学设计说明", "This entry has no design statement")
    return _judge_copy(a.entry.statement_version, f"{a.entry.code}-教学设计说明")
