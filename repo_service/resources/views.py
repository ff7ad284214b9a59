"""Resource pages and JSON API: catalogue, my resources, review, lifecycle, downloads."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse

from repo_service.access import PUBLIC, SIGNED_IN, access, current_user, require_user
from repo_service.accounts.models import Role
from repo_service.api import documented, request_data
from repo_service.db import get_session
from repo_service.errors import DomainError, InvalidInput, NotFound
from repo_service.processing.models import DocumentPage
from repo_service.resources import services
from repo_service.resources.models import (
    AUDIENCES,
    AWARDS,
    CATEGORIES,
    KIND_LABELS,
    PROCESSING_LABELS,
    STATUS_LABELS,
    Resource,
    ResourceKind,
    ResourceVersion,
)
from repo_service.uploads.services import abort_resource_uploads

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


def _catalogue(
    page: int, kind: ResourceKind | None, category: str | None
) -> tuple[list[Resource], int]:
    query = services.published_query()
    if kind:
        query = query.where(Resource.kind == kind)
    if category:
        query = query.where(Resource.category == category)
    db = get_session()
    total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return list(rows), int(total)


def _labels() -> dict[str, Any]:
    return {
        "kinds": KIND_LABELS,
        "statuses": STATUS_LABELS,
        "processing": PROCESSING_LABELS,
        "categories": CATEGORIES,
        "audiences": AUDIENCES,
        "awards": AWARDS,
    }


def _load(resource_id: int) -> Resource:
    return services.get_visible(get_session(), current_user(), resource_id)


# --- pages ------------------------------------------------------------------------------------


@bp.get("/resources")
@access(PUBLIC)
def catalog_page() -> str:
    page, kind, category = _page_args()
    rows, total = _catalogue(page, kind, category)
    return render_template(
        "resources/catalog.html",
        rows=rows,
        total=total,
        page=page,
        pages=-(-total // PAGE_SIZE),
        kind=kind,
        category=category,
        **_labels(),
    )


@bp.get("/resources/<int:resource_id>")
@access(PUBLIC)
def detail_page(resource_id: int) -> str:
    resource = _load(resource_id)
    version = resource.current_version
    pages = (
        get_session()
        .scalars(
            select(DocumentPage)
            .where(DocumentPage.version_id == version.id)
            .order_by(DocumentPage.number)
        )
        .all()
        if version is not None and version.page_count
        else []
    )
    return render_template("resources/detail.html", r=resource, pages=pages, **_labels())


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
            resource = services.create_resource(db, require_user(), services.parse_fields(values))
            db.commit()
        except DomainError as exc:
            db.rollback()
            error = exc
        else:
            return redirect(url_for("uploads.upload_page", resource=resource.id))
    html = render_template("resources/edit.html", r=None, values=values, error=error, **_labels())
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
        "award": resource.award or "",
    }
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            services.update_resource(db, require_user(), resource, services.parse_fields(values))
            if "award" in values:
                services.set_award(db, require_user(), resource, values["award"])
            db.commit()
        except DomainError as exc:
            db.rollback()
            error = exc
        else:
            return redirect(url_for("resources.detail_page", resource_id=resource.id))
    html = render_template(
        "resources/edit.html", r=resource, values=values, error=error, **_labels()
    )
    return (html, 400) if error else html


def _action(resource_id: int, act: str) -> None:
    db = get_session()
    user = require_user()
    resource = _load(resource_id)
    if act == "submit":
        services.submit(user, resource)
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
    "publish": (Role.ADMIN,),
    "return": (Role.ADMIN,),
    "unpublish": (Role.ADMIN,),
    "delete": EDITORS,
}


def _make_action_views() -> None:
    for act, roles in ACTION_ACCESS.items():

        def page_view(resource_id: int, act: str = act) -> BaseResponse:
            _action(resource_id, act)
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
            f"资源操作：{act}",
            f"Resource action: {act}",
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
    return render_template("resources/review.html", rows=rows, **_labels())


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
            download_name=version.original_filename,
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
    "在线预览资源原文件",
    "Preview the original inline",
    tag="resources",
    query={"version": "integer"},
)
def preview(resource_id: int) -> BaseResponse:
    return redirect(_presigned(resource_id, inline=True), code=302)


# --- JSON API ---------------------------------------------------------------------------------


@bp.get("/api/v1/resources")
@access(PUBLIC)
@documented(
    "已发布资源列表；mine=1 为我的资源",
    "Published resources; mine=1 lists your own",
    tag="resources",
    query={"page": "integer", "kind": "string", "category": "string", "mine": "integer"},
)
def api_list() -> Response:
    page, kind, category = _page_args()
    if request.args.get("mine") == "1":
        rows = list(get_session().scalars(services.owned_query(require_user())).all())
        return jsonify(resources=[resource_json(r) for r in rows], total=len(rows), page=1)
    rows, total = _catalogue(page, kind, category)
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
    resource = services.create_resource(db, require_user(), services.parse_fields(request_data()))
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
        "award": "string",
    },
)
def api_update(resource_id: int) -> Response:
    db = get_session()
    resource = _load(resource_id)
    merged = resource_json(resource) | request_data()
    services.update_resource(db, require_user(), resource, services.parse_fields(merged))
    services.set_award(db, require_user(), resource, merged.get("award"))
    db.commit()
    return jsonify(resource=resource_json(resource))


__all__ = ["SIGNED_IN", "bp"]
