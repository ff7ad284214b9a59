"""How every form page behaves: one service call, the session commits, the page redirects with a
message; a refusal is rolled back and the same page is shown again with what was typed, the
service's message and the error's status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from repo_service.db import aware, get_session
from repo_service.errors import DomainError

T = TypeVar("T")
Page = str | tuple[str, int] | BaseResponse

BEIJING = dt.timezone(dt.timedelta(hours=8))  # the district's clock, as forms show and read it


def attempt(action: Callable[[], T]) -> tuple[T | None, DomainError | None]:
    """Run one service call and commit; a refusal is rolled back and handed back to show."""
    session = get_session()
    try:
        out = action()
        session.commit()
    except DomainError as exc:
        session.rollback()
        return None, exc
    return out, None


def done(message_zh: str, message_en: str, endpoint: str, **kw: Any) -> BaseResponse:
    """Post-redirect-get with the message the base template shows (Chinese|English)."""
    flash(f"{message_zh}|{message_en}")
    return redirect(url_for(endpoint, **kw))


def rendered(template: str, error: DomainError | None, **context: Any) -> tuple[str, int]:
    return render_template(template, error=error, **context), (error.status if error else 200)


def local_input(moment: dt.datetime | None) -> str:
    """A moment as a datetime-local field shows it (Beijing time, to the minute)."""
    if moment is None:
        return ""
    return aware(moment).astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M")
