"""Resource rules: metadata, lifecycle, visibility and serving."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import redis
from celery import Celery
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session, object_session

from repo_service.accounts.models import Role, User
from repo_service.competitions.models import Entry, EntryStatus
from repo_service.db import utcnow
from repo_service.errors import Conflict, Forbidden, InvalidInput, NotFound
from repo_service.learning import totals
from repo_service.processing.services import queue_processing
from repo_service.resources.models import (
    AWARDS,
    ProcessingStatus,
    Resource,
    ResourceKind,
    ResourceStatus,
    ResourceTag,
    ResourceVersion,
)
from repo_service.vocabulary import services as vocabulary

log = logging.getLogger(__name__)

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
    chapters: tuple[tuple[float, str], ...] = ()


MAX_CHAPTERS = 60
_CHAPTER_LINE = re.compile(r"^\s*(?:(\d{1,2}):)?(\d{1,3}):(\d{2})\s+(.+?)\s*$")


def _chapter_lines(raw: str) -> list[tuple[float, str]]:
    items: list[tuple[float, str]] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        match = _CHAPTER_LINE.match(line)
        if (
            match is None
            or int(match.group(3)) >= 60
            or (match.group(1) is not None and int(match.group(2)) >= 60)
        ):
            raise InvalidInput(
                f"章节第 {number} 行应为“分:秒 标题”，例如“02:30 第二步：挂号”",
                f"Chapter line {number} must look like '02:30 Title'",
                field="chapters",
            )
        hours, minutes, seconds, title = match.groups()
        items.append((int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds), title))
    return items


def _chapter_list(raw: list[Any]) -> list[tuple[float, str]]:
    items: list[tuple[float, str]] = []
    for entry in raw:
        if not isinstance(entry, dict) or not isinstance(entry.get("t"), int | float):
            raise InvalidInput(
                "章节应为 {t: 秒, title: 标题} 的列表",
                "chapters must be a list of {t: seconds, title}",
                field="chapters",
            )
        items.append((float(entry["t"]), str(entry.get("title") or "")))
    return items


def parse_chapters(raw: Any) -> tuple[tuple[float, str], ...]:
    """Chapters of a course: lines like ``02:30 第二步：挂号`` (or ``1:02:30 …``), or a list of
    ``{"t": seconds, "title": …}``; in time order, at most 60."""
    if raw in (None, ""):
        return ()
    if isinstance(raw, str):
        items = _chapter_lines(raw)
    elif isinstance(raw, list):
        items = _chapter_list(raw)
    else:
        raise InvalidInput("章节格式不正确", "chapters must be text or a list", field="chapters")
    if len(items) > MAX_CHAPTERS:
        raise InvalidInput(
            f"章节最多 {MAX_CHAPTERS} 个", f"At most {MAX_CHAPTERS} chapters", field="chapters"
        )
    out: list[tuple[float, str]] = []
    for t, raw_title in items:
        title = clean_text(raw_title, "章节标题", "Chapter title", 60)
        if t < 0 or (out and t <= out[-1][0]):
            raise InvalidInput(
                "章节时间应从前到后依次增加", "Chapter times must increase", field="chapters"
            )
        out.append((float(t), title))
    return tuple(out)


def chapters_text(chapters: list[dict[str, Any]] | None) -> str:
    lines = []
    for c in chapters or []:
        t = int(c["t"])
        stamp = (
            f"{t // 3600}:{t // 60 % 60:02d}:{t % 60:02d}"
            if t >= 3600
            else f"{t // 60:02d}:{t % 60:02d}"
        )
        lines.append(f"{stamp} {c['title']}")
    return "\n".join(lines)


MAX_ID = 2**63 - 1  # the largest key a database column holds


def parse_id(raw: Any, zh: str, en: str) -> int:
    """A row id from a form or JSON: a positive whole number a key column can hold."""
    if isinstance(raw, bool):
        raw = None
    try:
        number = int(str(raw).strip()) if isinstance(raw, (int, str)) else None
    except ValueError:
        number = None
    if number is None or not 1 <= number <= MAX_ID:
        raise InvalidInput(f"{zh}编号无效", f"The {en} id must be a positive whole number")
    return number


def clean_text(value: Any, zh: str, en: str, max_len: int, *, required: bool = True) -> str:
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{zh}格式不正确，应为文字", f"{en} must be text")
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


def parse_fields(
    session: Session, data: dict[str, Any], current: Resource | None = None
) -> ResourceFields:
    """The fields of a form or JSON body; ``current`` is the resource being edited, whose
    category and audience stay valid even after an admin deactivated them."""
    try:
        kind = ResourceKind(str(data.get("kind", "")))
    except ValueError:
        raise InvalidInput("资源类型无效", "Unknown resource kind") from None
    category = vocabulary.check_category(
        session, data.get("category"), keep=current.category if current else None
    )
    audience = vocabulary.check_audience(
        session, data.get("audience"), keep=current.audience if current else None
    )
    raw_tags = data.get("tags", "")
    if isinstance(raw_tags, str):
        raw_tags = raw_tags.replace("，", ",").split(",")
    if not isinstance(raw_tags, list):
        raise InvalidInput("标签格式不正确", "Tags must be a list or a comma-separated string")
    tags: list[str] = []
    for raw in raw_tags:
        tag = clean_text(raw, "标签", "Tag", 40, required=False)
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise InvalidInput(f"标签最多 {MAX_TAGS} 个", f"At most {MAX_TAGS} tags")
    return ResourceFields(
        kind=kind,
        title=clean_text(data.get("title"), "标题", "Title", 200),
        summary=clean_text(data.get("summary"), "简介", "Summary", 5000, required=False),
        category=category,
        audience=audience,
        authors=clean_text(data.get("authors"), "作者", "Authors", 300, required=False),
        tags=tuple(tags),
        # Left out of a request, the chapters stay as they are.
        chapters=parse_chapters(data["chapters"])
        if "chapters" in data
        else tuple((float(c["t"]), str(c["title"])) for c in (current.chapters if current else [])),
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
        chapters=[{"t": t, "title": title} for t, title in fields.chapters],
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
    audience_changed = fields.audience != resource.audience
    resource.kind = fields.kind
    resource.title = fields.title
    resource.summary = fields.summary
    resource.category = fields.category
    resource.audience = fields.audience
    resource.authors = fields.authors
    resource.tag_rows = [ResourceTag(tag=t) for t in fields.tags]
    resource.chapters = [{"t": t, "title": title} for t, title in fields.chapters]
    session.flush()
    if audience_changed:  # what was learnt of it counts under the audience it has now
        totals.audience_changed(session, resource.id)


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


class ProcessingFailed(Conflict):
    """A version's file could not be processed: it cannot be played, reviewed or published.

    The message ends with the reason processing recorded, so the teacher knows what to fix.
    """

    code = "processing_failed"

    def __init__(self, version: ResourceVersion, message: str, message_en: str) -> None:
        reason = version.processing_error or "未记录原因"
        reason_en = version.processing_error_en or "no reason was recorded"
        super().__init__(
            f"{message}。原因：{reason}",
            f"{message_en}. Reason: {reason_en}",
            version=version.number,
            processing_error=reason,
            processing_error_en=reason_en,
        )


def failed_only(resource: Resource) -> ResourceVersion | None:
    """The newest version when every version failed processing (nothing can ever be shown);
    None when some version is ready or may still become ready."""
    versions = resource.versions
    if versions and all(v.processing_status == ProcessingStatus.FAILED for v in versions):
        return versions[-1]
    return None


def submit(user: User, resource: Resource) -> None:
    require_editor(user, resource)
    if resource.status not in {ResourceStatus.DRAFT, ResourceStatus.RETURNED}:
        raise Conflict(
            "只有草稿或退回的资源可以提交审核",
            "Only drafts and returned resources can be submitted",
        )
    if not resource.versions:
        raise Conflict("请先上传文件再提交审核", "Upload a file before submitting")
    failed = failed_only(resource)
    if failed is not None:
        raise ProcessingFailed(
            failed,
            "文件处理失败，请重新上传后再提交审核",
            "The file failed processing; upload it again before submitting it for review",
        )
    resource.status = ResourceStatus.SUBMITTED
    resource.return_reason = None


def withdraw(user: User, resource: Resource) -> None:
    """The owner takes a submitted resource back to edit it before anyone reviews it."""
    require_editor(user, resource)
    if resource.status != ResourceStatus.SUBMITTED:
        raise Conflict(
            "只有待审核的资源可以撤回", "Only resources waiting for review can be withdrawn"
        )
    resource.status = ResourceStatus.DRAFT


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
    failed = failed_only(resource)
    if failed is not None:
        raise ProcessingFailed(
            failed,
            "该资源的文件处理失败，不能发布",
            "This resource's file failed processing and cannot be published",
        )
    resource.status = ResourceStatus.PUBLISHED
    resource.published_at = utcnow()


def return_to_owner(user: User, resource: Resource, reason: str) -> None:
    if not is_manager(user):
        raise Forbidden("只有管理员可以退回资源", "Only administrators can return resources")
    reason = clean_text(reason, "退回理由", "Reason", 2000)
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


class EnteredInCompetition(Conflict):
    code = "entered_in_competition"


def delete(user: User, resource: Resource) -> None:
    """Soft delete: the resource disappears at once; the sweep removes its objects later.

    A work entered in a competition (or the design statement of one) stays while the entry
    stands: judges, results and the district's archive refer to its files."""
    require_editor(user, resource)
    session = object_session(resource)
    if session is not None:
        entry = session.scalar(
            select(Entry)
            .where(
                (Entry.resource_id == resource.id) | (Entry.statement_resource_id == resource.id),
                Entry.status != EntryStatus.WITHDRAWN,
            )
            .limit(1)
        )
        if entry is not None:
            raise EnteredInCompetition(
                f"该资源已报名参加「{entry.competition.name}」（作品编号 {entry.code}），"
                "不能删除；截止前可先撤回报名",
                f"This resource is entered in a competition as {entry.code} and cannot be "
                "deleted; withdraw the entry first (before the deadline)",
            )
    resource.deleted_at = utcnow()


def pending_purge_query() -> Select[ResourceVersion]:
    return (
        select(ResourceVersion)
        .join(Resource)
        .where(Resource.deleted_at.is_not(None), ResourceVersion.purged_at.is_(None))
    )


# --- versions ----------------------------------------------------------------------------------


def add_version(
    session: Session,
    celery_app: Celery,
    resource: Resource,
    *,
    object_key: str,
    filename: str,
    size: int,
    content_type: str,
    created_by_id: int,
    expected_sha256: str | None = None,
    process: bool = True,
) -> ResourceVersion:
    """The one way a stored file becomes a version of a resource.

    Uploads, the demo, tests, benchmarks and recording ingest all come through here. The
    version gets the next number and waits for processing, which is queued (through the
    outbox) when the caller's transaction commits; the worker's first step checks the object
    against ``expected_sha256`` and records the measured ``sha256``. ``process=False`` leaves
    the queueing to the caller (tests and benchmarks that run or time the worker themselves).
    """
    number = (
        session.scalar(
            select(func.max(ResourceVersion.number)).where(
                ResourceVersion.resource_id == resource.id
            )
        )
        or 0
    ) + 1
    version = ResourceVersion(
        resource_id=resource.id,
        number=number,
        object_key=object_key,
        original_filename=filename,
        size=size,
        content_type=content_type,
        expected_sha256=expected_sha256,
        processing_status=ProcessingStatus.UPLOADED,
        created_by_id=created_by_id,
    )
    session.add(version)
    session.flush()
    session.refresh(resource, ["versions"])
    if process:
        queue_processing(session, celery_app, version)
    return version


# --- plays -------------------------------------------------------------------------------------

CHANGED_KEY = "zx_changed_resources"
PLAY_WINDOW = 3600  # one viewer counts once per resource per hour


def note_changed(session: Session, *resource_ids: int) -> None:
    """Tell whoever follows resource changes (the search index) about a change made with a
    plain UPDATE statement, which the ORM's flush does not see; it counts at commit."""
    session.info.setdefault(CHANGED_KEY, set()).update(resource_ids)


def count_play(session: Session, counter: redis.Redis, resource: Resource, viewer: str) -> bool:
    """Count a play of a published resource, once per viewer per hour; True when counted.

    The player reports a play when playback starts, so fetching playlists (prefetch, seeking,
    a second tab) counts nothing. Counting never stands in the way of playback: when Redis is
    unreachable the play is simply not counted.
    """
    if resource.status != ResourceStatus.PUBLISHED or resource.deleted_at is not None:
        return False
    try:
        if not counter.set(f"zx:viewed:{resource.id}:{viewer}", 1, nx=True, ex=PLAY_WINDOW):
            return False
    except redis.RedisError as exc:
        log.warning("play of resource %s not counted: %s", resource.id, exc)
        return False
    session.execute(
        update(Resource)
        .where(Resource.id == resource.id)
        .values(view_count=Resource.view_count + 1, updated_at=Resource.updated_at)
    )
    note_changed(session, resource.id)
    return True
