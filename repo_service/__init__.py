"""智学江宁 repository service: the Flask application and the core every process shares."""

from repo_service.app import create_app, create_core_app

__all__ = ["create_app", "create_core_app"]
