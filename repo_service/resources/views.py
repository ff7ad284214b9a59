"""Resource pages and JSON API: catalogue, my resources, review, lifecycle, downloads."""

from __future__ import annotations

import re
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from repo_service.access import PUBLIC, SIGNED_IN, access, current_user, require_user
from repo_service.accounts.models import STREETS, Organisation, OrgKind, Role
from repo_service.accounts.services import find_organisation
from repo_service.api import documented, request_data
from repo_service.db import get_session
from repo_service.errors import DomainError, InvalidInput, NotFound
from repo_service.learning.models import LearningRecord
from repo_service.processing.models import DocumentPage, Rendition
from repo_service.resources import services
from repo_service.resources.models import (
    AWARDS,
    KIND_LABELS,
    PROCESSING_LABELS,
    STATUS_LABELS,
    Resource,
    ResourceKind,
    ResourceStatus,
    ResourceTag,
    ResourceVersion,
)
from repo_service.templating import extension
from repo_service.uploads.services import abort_resource_uploads
from repo_service.vocabulary import services as vocabulary

bp = Blueprint("resources", __name__)

PAGE_SIZE = 24
EDITORS = (Role.TEACHER, Role.ADMIN)


def version_json(v: ResourceVersion) -> dict[str, Any]:
    return {
        "number": v.number,
        "filename": v.original_filename,
        "size": v.size,
        "content_type": v.content_type,
        "sha256": v.sha256,
        "processing_status": v.processing_status.value,
        "processing_queued": v.processing_queued_at is not None,
        "created_at": v.created_at.isoformat(),
    }


def resource_json(r: Resource) -> dict[str, Any]:
    return {
        "id": r.id,
        "kind": r.kind.value,
        "title": r.title,
        "summary": r.summary,
        "category": r.category,
        "audience": r.audience,
        "authors": r.authors,
        "tags": r.tags,
        "chapters": r.chapters or [],
        "organisation": r.organisation.name,
        "status": r.status.value,
        "return_reason": r.return_reason,
        "published_at": r.published_at.isoformat() if r.published_at else None,
        "award": r.award,
        "view_count": r.view_count,
        "versions": [version_json(v) for v in r.versions],
    }


def _page_args() -> tuple[int, ResourceKind | None, str | None]:
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        raise InvalidInput("页码必须是数字", "page must be a number") from None
    kind_arg = request.args.get("kind") or None
    try:
        kind = ResourceKind(kind_arg) if kind_arg else None
    except ValueError:
        raise InvalidInput("资源类型无效", "Unknown resource kind") from None
    return page, kind, request.args.get("category") or None


def _street() -> Organisation | None:
    """The street centre named by ``?street=`` (东山 or its full name), if any."""
    name = (request.args.get("street") or "").strip()
    if not name:
        return None
    street = find_organisation(get_session(), name)
    if street.kind != OrgKind.STREET:
        raise InvalidInput(f"“{name}”不是街道社区教育中心", f"{name!r} is not a street centre")
    return street


def _catalogue(
    page: int, kind: ResourceKind | None, category: str | None, street: Organisation | None = None
) -> tuple[list[Resource], int]:
    query = services.published_query()
    if kind:
        query = query.where(Resource.kind == kind)
    if category:
        query = query.where(Resource.category == category)
    if street is not None:
        # The street centre and the community and village schools under it.
        schools = select(Organisation.id).where(Organisation.parent_id == street.id)
        query = query.where(
            (Resource.organisation_id == street.id) | Resource.organisation_id.in_(schools)
        )
    query = query.options(selectinload(Resource.versions), selectinload(Resource.organisation))
    db = get_session()
    total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return list(rows), int(total)


def _labels() -> dict[str, Any]:
    return {
        "kinds": KIND_LABELS,
        "statuses": STATUS_LABELS,
        "processing": PROCESSING_LABELS,
        "awards": AWARDS,
    }


def _choices(resource: Resource | None) -> dict[str, Any]:
    """The categories and audiences a form offers: the active ones, and what the resource
    being edited already has."""
    db = get_session()
    return {
        "categories": vocabulary.categories(db, keep=resource.category if resource else None),
        "audiences": vocabulary.audiences(db, keep=resource.audience if resource else None),
    }


def _document_pages(version: ResourceVersion | None) -> list[DocumentPage]:
    if version is None or not version.page_count:
        return []
    query = (
        select(DocumentPage)
        .where(DocumentPage.version_id == version.id)
        .order_by(DocumentPage.number)
    )
    return list(get_session().scalars(query).all())


RELATED = 4


def _related(resource: Resource) -> list[Resource]:
    """Published courses of the same subject, those for the same audience and sharing tags
    first, then the newest."""
    if resource.status != ResourceStatus.PUBLISHED:
        return []
    shares_tag = (
        select(ResourceTag.resource_id).where(ResourceTag.tag.in_(resource.tags)).scalar_subquery()
    )
    query = (
        services.published_query()
        .order_by(None)
        .where(Resource.category == resource.category, Resource.id != resource.id)
        .order_by(
            (Resource.audience == resource.audience).desc(),
            Resource.id.in_(shares_tag).desc(),
            Resource.published_at.desc(),
        )
        .limit(RELATED)
        .options(selectinload(Resource.versions))
    )
    return list(get_session().scalars(query).all())


def _load(resource_id: int) -> Resource:
    return services.get_visible(get_session(), current_user(), resource_id)


# --- pages ------------------------------------------------------------------------------------


@bp.get("/resources")
@access(PUBLIC)
def catalog_page() -> str:
    page, kind, category = _page_args()
    street = _street()
    rows, total = _catalogue(page, kind, category, street)
    return render_template(
        "resources/catalog.html",
        rows=rows,
        total=total,
        page=page,
        pages=-(-total // PAGE_SIZE),
        kind=kind,
        category=category,
        street=street,
        streets=STREETS,
        categories=vocabulary.categories(get_session(), keep=category),
        **_labels(),
    )


@bp.get("/resources/<int:resource_id>")
@access(PUBLIC)
def detail_page(resource_id: int) -> str:
    resource = _load(resource_id)
    version = resource.current_version
    pages = _document_pages(version)
    playable = [v for v in resource.versions if v.master_key]
    audio = (
        get_session().scalar(
            select(Rendition.id).where(
                Rendition.version_id == playable[-1].id, Rendition.name == "audio"
            )
        )
        if playable
        else None
    )
    user = current_user()
    record = (
        get_session().scalar(
            select(LearningRecord).where(
                LearningRecord.user_id == user.id, LearningRecord.resource_id == resource.id
            )
        )
        if user is not None and playable
        else None
    )
    duration = float(playable[-1].duration or 0) if playable else 0.0
    # Resume where she stopped, unless that was at the very start or the very end.
    resume = record.position if record and 5 < record.position < duration - 10 else 0.0
    return render_template(
        "resources/detail.html",
        related=_related(resource),
        resume=resume,
        r=resource,
        pages=pages,
        playable=playable[-1] if playable else None,
        has_audio=audio is not None,
        manages=user is not None and (user.id == resource.owner_id or user.has_role(Role.ADMIN)),
        **_labels(),
    )


@bp.get("/my/resources")
@access(*EDITORS)
def mine_page() -> str:
    rows = get_session().scalars(services.owned_query(require_user())).all()
    return render_template("resources/mine.html", rows=rows, **_labels())


@bp.route("/resources/new", methods=["GET", "POST"])
@access(*EDITORS)
def new_page() -> str | BaseResponse | tuple[str, int]:
    error = None
    values: dict[str, Any] = {"kind": request.args.get("kind", "video")}
    if request.method == "POST":
        values = request.form.to_dict()
        db = get_session()
        try:
            resource = services.create_resource(
                db, require_user(), services.parse_fields(db, values)
            )
            db.commit()
        except DomainError as exc:
            db.rollback()
            error = exc
        else:
            flash("已创建资源草稿，请上传文件|Draft created; now upload its file")
            return redirect(url_for("uploads.upload_page", resource=resource.id))
    html = render_template(
        "resources/edit.html", r=None, values=values, error=error, **_labels(), **_choices(None)
    )
    return (html, 400) if error else html


@bp.route("/resources/<int:resource_id>/edit", methods=["GET", "POST"])
@access(*EDITORS)
def edit_page(resource_id: int) -> str | BaseResponse | tuple[str, int]:
    db = get_session()
    resource = _load(resource_id)
    error = None
    values: dict[str, Any] = {
        "kind": resource.kind.value,
        "title": resource.title,
        "summary": resource.summary,
        "category": resource.category,
        "audience": resource.audience,
        "authors": resource.authors,
        "tags": ", ".join(resource.tags),
        "chapters": services.chapters_text(resource.chapters),
        "award": resource.award or "",
    }
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            fields = services.parse_fields(db, values, resource)
            services.update_resource(db, require_user(), resource, fields)
            if "award" in values:
                services.set_award(db, require_user(), resource, values["award"])
            db.commit()
        except DomainError as exc:
            db.rollback()
            error = exc
        else:
            flash("已保存修改|Changes saved")
            return redirect(url_for("resources.detail_page", resource_id=resource.id))
    html = render_template(
        "resources/edit.html",
        r=resource,
        values=values,
        error=error,
        **_labels(),
        **_choices(resource),
    )
    return (html, 400) if error else html


def _action(resource_id: int, act: str) -> None:
    db = get_session()
    user = require_user()
    resource = _load(resource_id)
    if act == "submit":
        services.submit(user, resource)
    elif act == "withdraw":
        services.withdraw(user, resource)
    elif act == "publish":
        services.publish(user, resource)
    elif act == "return":
        services.return_to_owner(user, resource, str(request_data().get("reason", "")))
    elif act == "unpublish":
        services.unpublish(user, resource)
    elif act == "delete":
        services.delete(user, resource)
        abort_resource_uploads(db, current_app.extensions["storage"], resource)
    db.commit()


ACTION_ACCESS: dict[str, tuple[Role, ...]] = {
    "submit": EDITORS,
    "withdraw": EDITORS,
    "publish": (Role.ADMIN,),
    "return": (Role.ADMIN,),
    "unpublish": (Role.ADMIN,),
    "delete": EDITORS,
}


ACTION_DONE = {  # what the page says once the action is done
    "submit": ("已提交审核，管理员审核后会发布", "Submitted; an administrator will review it"),
    "withdraw": ("已撤回，可以继续修改后再提交", "Withdrawn; edit it and submit again"),
    "publish": ("已发布，居民现在可以看到", "Published; residents can see it now"),
    "return": ("已退回给作者修改", "Returned to the owner"),
    "unpublish": ("已撤销发布", "Unpublished"),
    "delete": ("已删除该资源", "The resource was deleted"),
}

ACTION_DESCRIPTIONS = {
    "submit": ("提交审核", "Submit for review"),
    "withdraw": ("撤回待审核的资源（回到草稿）", "Withdraw from review (back to draft)"),
    "publish": ("发布（管理员）", "Publish (administrators)"),
    "return": ("退回作者修改（管理员，需写理由）", "Return to the owner with a reason (admins)"),
    "unpublish": ("撤销发布（管理员）", "Unpublish (administrators)"),
    "delete": ("删除资源", "Delete the resource"),
}


def _make_action_views() -> None:
    for act, roles in ACTION_ACCESS.items():

        def page_view(resource_id: int, act: str = act) -> BaseResponse:
            _action(resource_id, act)
            flash("|".join(ACTION_DONE[act]))
            if act == "delete":
                return redirect(url_for("resources.mine_page"))
            return redirect(
                request.referrer or url_for("resources.detail_page", resource_id=resource_id)
            )

        def api_view(resource_id: int, act: str = act) -> Response:
            _action(resource_id, act)
            if act == "delete":
                return Response(status=204)
            return jsonify(resource=resource_json(_reload(resource_id)))

        page_view.__name__ = f"{act}_page"
        api_view.__name__ = f"api_{act}"
        bp.add_url_rule(
            f"/resources/<int:resource_id>/{act}",
            view_func=access(*roles)(page_view),
            methods=["POST"],
        )
        method = "DELETE" if act == "delete" else "POST"
        path = "/api/v1/resources/<int:resource_id>" + ("" if act == "delete" else f"/{act}")
        doc = documented(
            ACTION_DESCRIPTIONS[act][0],
            ACTION_DESCRIPTIONS[act][1],
            tag="resources",
            body={"reason": "string"} if act == "return" else None,
        )
        bp.add_url_rule(path, view_func=doc(access(*roles)(api_view)), methods=[method])


def _reload(resource_id: int) -> Resource:
    resource = get_session().get(Resource, resource_id)
    if resource is None:
        raise NotFound("找不到该资源", "No such resource")
    return resource


_make_action_views()


@bp.get("/review")
@access(Role.ADMIN)
def review_page() -> str:
    rows = get_session().scalars(services.review_query()).all()
    # What the reviewer can look at without leaving the queue: the player for a processed
    # video, the first pages of a document.
    pages = {
        r.id: [p.number for p in _document_pages(r.current_version)[:REVIEW_PAGES]] for r in rows
    }
    return render_template("resources/review.html", rows=rows, pages=pages, **_labels())


REVIEW_PAGES = 3


def download_name(title: str, original: str) -> str:
    """``<title>.<ext>``, with characters no file system accepts replaced."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title).strip(" .")[:120] or "download"
    ext = extension(original)
    return f"{stem}.{ext}" if ext else stem


def _presigned(resource_id: int, inline: bool) -> str:
    resource = _load(resource_id)
    number = request.args.get("version")
    versions = resource.versions
    if number is not None:
        versions = [v for v in versions if str(v.number) == number]
    if not versions:
        raise NotFound("该资源还没有可下载的文件", "This resource has no file to download yet")
    version = versions[-1]
    storage = current_app.extensions["storage"]
    # The URL is handed to the browser and never stored or logged by the service.
    return str(
        storage.presigned_get(
            "originals",
            version.object_key,
            seconds=current_app.config["S3_PRESIGN_SECONDS"],
            # Saved under the resource's title: the name on the uploader's disk means nothing
            # to the resident who downloads it.
            download_name=download_name(resource.title, version.original_filename),
            content_type=version.content_type,
            inline=inline,
        )
    )


@bp.get("/resources/<int:resource_id>/download")
@access(PUBLIC)
@documented(
    "下载资源原文件（跳转到限时链接）",
    "Download the original (redirect to a short-lived URL)",
    tag="resources",
    query={"version": "integer"},
)
def download(resource_id: int) -> BaseResponse:
    return redirect(_presigned(resource_id, inline=False), code=302)


@bp.get("/resources/<int:resource_id>/preview")
@access(PUBLIC)
@documented(
    "在线阅读：文档逐页图片与文字（视频资源转到播放页）",
    "Read online: the document's page images and text (a video goes to its player page)",
    tag="resources",
)
def preview(resource_id: int) -> BaseResponse | str:
    resource = _load(resource_id)
    version = resource.current_version
    pages = _document_pages(version)
    if not pages:
        return redirect(url_for("resources.detail_page", resource_id=resource.id))
    return render_template("resources/reader.html", r=resource, pages=pages, **_labels())


# --- JSON API ---------------------------------------------------------------------------------


@bp.get("/api/v1/resources")
@access(PUBLIC)
@documented(
    "已发布资源列表；mine=1 为我的资源",
    "Published resources; mine=1 lists your own",
    tag="resources",
    query={
        "page": "integer",
        "kind": "string",
        "category": "string",
        "street": "string",
        "mine": "integer",
    },
)
def api_list() -> Response:
    page, kind, category = _page_args()
    if request.args.get("mine") == "1":
        rows = list(get_session().scalars(services.owned_query(require_user())).all())
        return jsonify(resources=[resource_json(r) for r in rows], total=len(rows), page=1)
    rows, total = _catalogue(page, kind, category, _street())
    return jsonify(resources=[resource_json(r) for r in rows], total=total, page=page)


@bp.post("/api/v1/resources")
@access(*EDITORS)
@documented(
    "新建资源（草稿）",
    "Create a resource (draft)",
    tag="resources",
    body={
        "kind": "string",
        "title": "string",
        "summary": "string",
        "category": "string",
        "audience": "string",
        "authors": "string",
        "tags": "array",
    },
)
def api_create() -> tuple[Response, int]:
    db = get_session()
    fields = services.parse_fields(db, request_data())
    resource = services.create_resource(db, require_user(), fields)
    db.commit()
    return jsonify(resource=resource_json(resource)), 201


@bp.get("/api/v1/resources/<int:resource_id>")
@access(PUBLIC)
@documented("资源详情", "A resource", tag="resources")
def api_get(resource_id: int) -> Response:
    return jsonify(resource=resource_json(_load(resource_id)))


@bp.patch("/api/v1/resources/<int:resource_id>")
@access(*EDITORS)
@documented(
    "修改资源信息",
    "Edit a resource",
    tag="resources",
    body={
        "kind": "string",
        "title": "string",
        "summary": "string",
        "category": "string",
        "audience": "string",
        "authors": "string",
        "tags": "array",
        "chapters": "章节：每行“分:秒 标题”，或 [{t: 秒, title}]",
        "award": "string",
    },
)
def api_update(resource_id: int) -> Response:
    db = get_session()
    resource = _load(resource_id)
    merged = resource_json(resource) | request_data()
    services.update_resource(
        db, require_user(), resource, services.parse_fields(db, merged, resource)
    )
    services.set_award(db, require_user(), resource, merged.get("award"))
    db.commit()
    return jsonify(resource=resource_json(resource))


__all__ = ["SIGNED_IN", "bp"]
