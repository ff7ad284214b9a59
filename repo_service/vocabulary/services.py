"""Categories and audiences: what forms offer, what a write may store, and how admins change
the lists.

Every page that shows a form, and every write that checks a value, reads the lists; they are
read once per request (kept in ``flask.g``) and forgotten when an admin changes them. A value
that a record already holds stays valid for that record after its term is deactivated, so
editing an old resource never forces a new category on it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from flask import g, has_app_context
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from repo_service.errors import Conflict, InvalidInput, NotFound
from repo_service.resources.models import Resource
from repo_service.vocabulary.models import NAME_EN_MAX, NAME_ZH_MAX, Audience, Category, Term


class Vocabulary(enum.StrEnum):
    CATEGORIES = "categories"
    AUDIENCES = "audiences"


MODELS: dict[Vocabulary, type[Term]] = {
    Vocabulary.CATEGORIES: Category,
    Vocabulary.AUDIENCES: Audience,
}
# What a term of each list is called in messages, and the field of a record that holds it.
LABELS = {
    Vocabulary.CATEGORIES: ("学科分类", "category"),
    Vocabulary.AUDIENCES: ("适用对象", "audience"),
}
RESOURCE_COLUMNS = {
    Vocabulary.CATEGORIES: Resource.category,
    Vocabulary.AUDIENCES: Resource.audience,
}

Pair = tuple[str, str]


@dataclass(frozen=True)
class Entry:
    """One term as the request has read it."""

    zh: str
    en: str
    active: bool


def vocabulary(raw: str) -> Vocabulary:
    try:
        return Vocabulary(raw)
    except ValueError:
        raise NotFound(
            "没有这个词表（只有 categories 和 audiences）",
            "No such list: use categories or audiences",
        ) from None


def _entries(session: Session, kind: Vocabulary) -> tuple[Entry, ...]:
    cache: dict[Vocabulary, tuple[Entry, ...]] | None = None
    if has_app_context():
        cache = g.setdefault("vocabulary", {})
        if kind in cache:
            return cache[kind]
    model = MODELS[kind]
    rows = session.execute(
        select(model.name_zh, model.name_en, model.is_active).order_by(model.position, model.id)
    ).all()
    entries = tuple(Entry(zh, en, active) for zh, en, active in rows)
    if cache is not None:
        cache[kind] = entries
    return entries


def forget() -> None:
    """Read the lists again at their next use in this request (after an admin changed them)."""
    if has_app_context():
        g.pop("vocabulary", None)


def choices(session: Session, kind: Vocabulary, keep: str | None = None) -> list[Pair]:
    """The active terms, in order, as (中文, English); plus ``keep`` (the value the record being
    edited holds) when it is no longer offered, so its form still shows it."""
    entries = _entries(session, kind)
    pairs = [(e.zh, e.en) for e in entries if e.active]
    if keep and keep not in {zh for zh, _ in pairs}:
        pairs.append(next(((e.zh, e.en) for e in entries if e.zh == keep), (keep, keep)))
    return pairs


def categories(session: Session, keep: str | None = None) -> list[Pair]:
    return choices(session, Vocabulary.CATEGORIES, keep)


def audiences(session: Session, keep: str | None = None) -> list[Pair]:
    return choices(session, Vocabulary.AUDIENCES, keep)


def english_names(session: Session, kind: Vocabulary) -> dict[str, str]:
    """中文 → English for every term, deactivated ones too (labels of existing records)."""
    return {e.zh: e.en for e in _entries(session, kind)}


def check(
    session: Session,
    kind: Vocabulary,
    raw: Any,
    *,
    keep: str | None = None,
    required: bool = True,
) -> str:
    """The value a record may store: an active term, or the one the record already holds.
    Errors name the record's field (``category`` or ``audience``)."""
    zh, field = LABELS[kind]
    if raw is not None and not isinstance(raw, str):
        raise InvalidInput(f"{zh}格式不正确，应为文字", f"The {field} must be text", field=field)
    value = (raw or "").strip()
    if not value:
        if required:
            raise InvalidInput(f"请选择{zh}", f"Choose a {field} from the list", field=field)
        return ""
    if keep is not None and value == keep:
        return value
    entries = _entries(session, kind)
    offered = [e.zh for e in entries if e.active]
    if value in offered:
        return value
    if any(e.zh == value for e in entries):
        raise InvalidInput(
            f"{zh}「{value}」已停用，请另选一个",
            f"The {field} '{value}' is no longer offered; choose another",
            field=field,
            allowed=offered,
        )
    raise InvalidInput(
        f"{zh}「{value}」不在可选范围内，请从列表中选择",
        f"Unknown {field} '{value}'; choose one from the list",
        field=field,
        allowed=offered,
    )


def check_category(
    session: Session, raw: Any, *, keep: str | None = None, required: bool = True
) -> str:
    return check(session, Vocabulary.CATEGORIES, raw, keep=keep, required=required)


def check_audience(
    session: Session, raw: Any, *, keep: str | None = None, required: bool = True
) -> str:
    return check(session, Vocabulary.AUDIENCES, raw, keep=keep, required=required)


# --- administration ----------------------------------------------------------------------------


def terms(session: Session, kind: Vocabulary) -> list[Term]:
    model = MODELS[kind]
    return list(session.scalars(select(model).order_by(model.position, model.id)).all())


def usage(session: Session, kind: Vocabulary) -> dict[str, int]:
    """How many resources (drafts and deleted ones included) hold each term."""
    column = RESOURCE_COLUMNS[kind]
    rows = session.execute(select(column, func.count()).group_by(column)).all()
    return dict(rows)


def _name(data: dict[str, Any], key: str, zh: str, en: str, max_len: int) -> str:
    raw = data.get(key)
    if raw is not None and not isinstance(raw, str):
        raise InvalidInput(f"{zh}格式不正确，应为文字", f"{en} must be text", field=key)
    text = " ".join((raw or "").split())  # one space between words, none around
    if not text:
        raise InvalidInput(f"请填写{zh}", f"{en} is required", field=key)
    if len(text) > max_len:
        raise InvalidInput(
            f"{zh}不能超过 {max_len} 个字", f"{en} is limited to {max_len} characters", field=key
        )
    if any(not c.isprintable() for c in text):
        raise InvalidInput(f"{zh}含有非法字符", f"{en} contains a forbidden character", field=key)
    return text


def _position(data: dict[str, Any]) -> int | None:
    raw = data.get("position")
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raw = "x"
    try:
        number = int(str(raw).strip())
    except ValueError:
        number = 0
    if not 1 <= number <= 10_000:
        raise InvalidInput(
            "位置须为从 1 开始的整数", "position must be a whole number from 1", field="position"
        )
    return number


def _flag(data: dict[str, Any], key: str) -> bool | None:
    raw = data.get(key)
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in {"1", "true", "on", "yes"}:
        return True
    if isinstance(raw, str) and raw.lower() in {"0", "false", "off", "no"}:
        return False
    raise InvalidInput("启用状态须为 true 或 false", f"{key} must be true or false", field=key)


def _place(rows: list[Term], term: Term, position: int | None) -> None:
    """Put ``term`` at ``position`` (1 = first; past the end = last) and number all 1…n."""
    ordered = [r for r in rows if r is not term]
    index = len(ordered) if position is None else min(position - 1, len(ordered))
    ordered.insert(index, term)
    for number, row in enumerate(ordered, start=1):
        row.position = number


def _duplicate(kind: Vocabulary, name: str) -> Conflict:
    zh, field = LABELS[kind]
    return Conflict(
        f"已有{zh}「{name}」；已停用的可以重新启用",
        f"The {field} '{name}' exists already; a deactivated one can be activated again",
        field="name_zh",
    )


def add_term(session: Session, kind: Vocabulary, data: dict[str, Any]) -> Term:
    """A new term, offered in forms at once. Everything is checked before anything is written."""
    name_zh = _name(data, "name_zh", "中文名称", "The Chinese name", NAME_ZH_MAX)
    name_en = _name(data, "name_en", "英文名称", "The English name", NAME_EN_MAX)
    position = _position(data)
    model = MODELS[kind]
    if session.scalar(select(model.id).where(model.name_zh == name_zh)) is not None:
        raise _duplicate(kind, name_zh)
    term = model(name_zh=name_zh, name_en=name_en, position=0, is_active=True)
    rows = terms(session, kind)
    session.add(term)
    _place(rows, term, position)
    try:
        session.flush()
    except IntegrityError:  # added by someone else a moment ago; the caller rolls back
        raise _duplicate(kind, name_zh) from None
    forget()
    return term


def update_term(session: Session, kind: Vocabulary, term_id: int, data: dict[str, Any]) -> Term:
    """Rename the English label, move, deactivate or activate again. The Chinese name is what
    records store, so it cannot change."""
    model = MODELS[kind]
    term = session.get(model, term_id)
    if term is None:
        raise NotFound("找不到这一项", f"No such entry in {kind.value}")
    if "name_zh" in data and str(data["name_zh"]).strip() != term.name_zh:
        raise InvalidInput(
            "中文名称已被记录引用，不能修改；可以停用它，再新增一个",
            "The Chinese name is what records store and cannot change; "
            "deactivate it and add a new one instead",
            field="name_zh",
        )
    name_en = (
        _name(data, "name_en", "英文名称", "The English name", NAME_EN_MAX)
        if "name_en" in data
        else None
    )
    position = _position(data)
    active = _flag(data, "is_active")
    zh, field = LABELS[kind]
    if active is False and term.is_active:
        others = session.scalar(
            select(func.count()).where(model.is_active.is_(True), model.id != term.id)
        )
        if not others:
            raise Conflict(
                f"至少要保留一个启用的{zh}，否则无法填写表单",
                f"At least one {field} must stay active, or no form can be filled in",
                field="is_active",
            )
    if name_en is not None:
        term.name_en = name_en
    if active is not None:
        term.is_active = active
    if position is not None:
        _place(terms(session, kind), term, position)
    session.flush()
    forget()
    return term
