"""Resource rules: metadata, lifecycle, visibility and serving."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from repo_service.accounts.models import Role, User
from repo_service.db import utcnow
from repo_service.errors import Conflict, Forbidden, InvalidInput, NotFound
from repo_service.resources.models import (
    AUDIENCES,
    AWARDS,
    CATEGORIES,
    Resource,
    ResourceKind,
    ResourceStatus,
    ResourceTag,
    ResourceVersion,
)

MAX_TAGS = 10


@dataclass(frozen=True)
class ResourceFields:
    kind: ResourceKind
    title: str
    summary: str
    category: str
    audience: str
    authors: str
    tags: tuple[str, ...]


def _clean(value: Any, zh: str, en: str, max_len: int, *, required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if "\x00" in text:
        raise InvalidInput(f"{zh}含有非法字符", f"{en} contains a forbidden character")
    if required and not text:
        raise InvalidInput(f"请填写{zh}", f"{en} is required")
    if len(text) > max_len:
        raise InvalidInput(
            f"{zh}不能超过 {max_len} 个字符", f"{en} must be at most {max_len} characters"
        )
    return text


def parse_fields(data: dict[str, Any]) -> ResourceFields:
    try:
        kind = ResourceKind(str(data.get("kind", "")))
    except ValueError:
        raise InvalidInput("资源类型无效", "Unknown resource kind") from None
    category = _clean(data.get("category"), "学科分类", "Category", 50)
    if category not in {zh for zh, _ in CATEGORIES}:
        raise InvalidInput("请选择学科分类", "Choose a category from the list")
    audience = _clean(data.get("audience"), "适用对象", "Audience", 50)
    if audience not in {zh for zh, _ in AUDIENCES}:
        raise InvalidInput("请选择适用对象", "Choose an audience from the list")
    raw_tags = data.get("tags", "")
    if isinstance(raw_tags, str):
        raw_tags = raw_tags.replace("，", ",").split(",")
    if not isinstance(raw_tags, list):
        raise InvalidInput("标签格式不正确", "Tags must be a list or a comma-separated string")
    tags: list[str] = []
    for raw in raw_tags:
        tag = _clean(raw, "标签", "Tag", 40, required=False)
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise InvalidInput(f"标签最多 {MAX_TAGS} 个", f"At most {MAX_TAGS} tags")
    return ResourceFields(
        kind=kind,
        title=_clean(data.get("title"), "标题", "Title", 200),
        summary=_clean(data.get("summary"), "简介", "Summary", 5000, required=False),
        category=category,
        audience=audience,
        authors=_clean(data.get("authors"), "作者", "Authors", 300, required=False),
        tags=tuple(tags),
    )


def create_resource(session: Session, owner: User, fields: ResourceFields) -> Resource:
    resource = Resource(
        kind=fields.kind,
        title=fields.title,
        summary=fields.summary,
        category=fields.category,
        audience=fields.audience,
        authors=fields.authors,
        organisation_id=owner.organisation_id,
        owner_id=owner.id,
    )
    resource.tag_rows = [ResourceTag(tag=t) for t in fields.tags]
    session.add(resource)
    session.flush()
    return resource


def update_resource(
    session: Session, user: User, resource: Resource, fields: ResourceFields
) -> None:
    require_editor(user, resource)
    if fields.kind != resource.kind and resource.versions:
        raise Conflict(
            "已有文件的资源不能更改类型", "The kind of a resource with files cannot change"
        )
    resource.kind = fields.kind
    resource.title = fields.title
    resource.summary = fields.summary
    resource.category = fields.category
    resource.audience = fields.audience
    resource.authors = fields.authors
    resource.tag_rows = [ResourceTag(tag=t) for t in fields.tags]
    session.flush()


def set_award(session: Session, user: User, resource: Resource, raw: object) -> None:
    """Record a competition award (administrators only); an empty value clears it."""
    award = str(raw or "").strip() or None
    if award == resource.award:
        return
    if Role.ADMIN not in user.roles:
        raise Forbidden("只有管理员可以登记获奖", "Only administrators record awards")
    if award is not None and award not in AWARDS:
        raise InvalidInput(
            "奖项只能是" + "、".join(AWARDS), "award must be one of " + ", ".join(AWARDS)
        )
    resource.award = award
    session.flush()


# --- visibility --------------------------------------------------------------------------------


def is_manager(user: User | None) -> bool:
    return user is not None and Role.ADMIN in user.roles


def can_view(user: User | None, resource: Resource) -> bool:
    if resource.deleted_at is not None:
        return False
    if resource.status == ResourceStatus.PUBLISHED:
        return True
    return user is not None and (user.id == resource.owner_id or is_manager(user))


def get_visible(session: Session, user: User | None, resource_id: int) -> Resource:
    """The resource if this user may see it; otherwise 404, which says nothing of its existence."""
    resource = session.get(Resource, resource_id)
    if resource is None or not can_view(user, resource):
        raise NotFound("找不到该资源", "No such resource")
    return resource


def require_editor(user: User, resource: Resource) -> None:
    if resource.deleted_at is not None:
        raise NotFound("找不到该资源", "No such resource")
    if user.id != resource.owner_id and not is_manager(user):
        raise Forbidden(
            "只有资源的上传者或管理员可以修改", "Only the owner or an administrator may change it"
        )


def published_query() -> Select[Resource]:
    return (
        select(Resource)
        .where(Resource.status == ResourceStatus.PUBLISHED, Resource.deleted_at.is_(None))
        .order_by(Resource.published_at.desc(), Resource.id.desc())
    )


def owned_query(user: User) -> Select[Resource]:
    return (
        select(Resource)
        .where(Resource.owner_id == user.id, Resource.deleted_at.is_(None))
        .order_by(Resource.updated_at.desc(), Resource.id.desc())
    )


def review_query() -> Select[Resource]:
    return (
        select(Resource)
        .where(Resource.status == ResourceStatus.SUBMITTED, Resource.deleted_at.is_(None))
        .order_by(Resource.updated_at)
    )


# --- lifecycle ---------------------------------------------------------------------------------


def submit(user: User, resource: Resource) -> None:
    require_editor(user, resource)
    if resource.status not in {ResourceStatus.DRAFT, ResourceStatus.RETURNED}:
        raise Conflict(
            "只有草稿或退回的资源可以提交审核",
            "Only drafts and returned resources can be submitted",
        )
    if not resource.versions:
        raise Conflict("请先上传文件再提交审核", "Upload a file before submitting")
    resource.status = ResourceStatus.SUBMITTED
    resource.return_reason = None


def publish(user: User, resource: Resource) -> None:
    if not is_manager(user):
        raise Forbidden("只有管理员可以发布资源", "Only administrators can publish")
    if resource.deleted_at is not None:
        raise NotFound("找不到该资源", "No such resource")
    if resource.status not in {ResourceStatus.SUBMITTED, ResourceStatus.DRAFT}:
        raise Conflict(
            "该资源当前不能发布", "This resource cannot be published in its current state"
        )
    if not resource.versions:
        raise Conflict("没有文件的资源不能发布", "A resource without a file cannot be published")
    resource.status = ResourceStatus.PUBLISHED
    resource.published_at = utcnow()


def return_to_owner(user: User, resource: Resource, reason: str) -> None:
    if not is_manager(user):
        raise Forbidden("只有管理员可以退回资源", "Only administrators can return resources")
    reason = _clean(reason, "退回理由", "Reason", 2000)
    if resource.status != ResourceStatus.SUBMITTED:
        raise Conflict("只有待审核的资源可以退回", "Only submitted resources can be returned")
    resource.status = ResourceStatus.RETURNED
    resource.return_reason = reason


def unpublish(user: User, resource: Resource) -> None:
    if not is_manager(user):
        raise Forbidden("只有管理员可以撤销发布", "Only administrators can unpublish")
    if resource.status != ResourceStatus.PUBLISHED:
        raise Conflict("该资源未发布", "This resource is not published")
    resource.status = ResourceStatus.DRAFT
    resource.published_at = None


def delete(user: User, resource: Resource) -> None:
    """Soft delete: the resource disappears at once; the sweep removes its objects later."""
    require_editor(user, resource)
    resource.deleted_at = utcnow()


def pending_purge_query() -> Select[ResourceVersion]:
    return (
        select(ResourceVersion)
        .join(Resource)
        .where(Resource.deleted_at.is_not(None), ResourceVersion.purged_at.is_(None))
    )
