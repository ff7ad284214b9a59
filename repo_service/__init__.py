"""智学江宁 repository service: the Flask application and the core every process shares.

``create_app`` and ``create_core_app`` are imported when first asked for, not with the package:
gunicorn's master reads ``repo_service.gunicorn_conf`` and would otherwise load the whole
application (60 MB) that only its workers use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from repo_service.app import create_app, create_core_app

__all__ = ["create_app", "create_core_app"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from repo_service import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
