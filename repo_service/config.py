"""Settings for every process of the system, read from the environment.

Defaults work on one machine: ``infra/svc up`` writes the addresses and generated credentials
of the services it starts into ``<data dir>/services.env``, which fills in whatever the real
environment does not set. Production deployments set the variables themselves.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ENVIRONMENTS = ("development", "testing", "production")
MiB = 1024 * 1024


class ConfigError(RuntimeError):
    """The configuration cannot run; the message says which variable to set."""


def default_data_dir() -> Path:
    return PROJECT_ROOT / "var"


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the Flask config for the given environment (``os.environ`` by default)."""
    env: dict[str, str] = dict(os.environ if environ is None else environ)
    data_dir = Path(env.get("ZX_DATA_DIR") or default_data_dir())
    services_env = Path(env.get("ZX_SERVICES_ENV") or data_dir / "services.env")
    if services_env.is_file():
        for key, value in dotenv_values(services_env).items():
            if value is not None:
                env.setdefault(key, value)

    def get(name: str, default: str) -> str:
        return env.get(name) or default

    mode = get("ZX_ENV", "development")
    if mode not in ENVIRONMENTS:
        raise ConfigError(
            f"ZX_ENV 只能是 {', '.join(ENVIRONMENTS)} 之一，而不是 {mode!r} / "
            f"ZX_ENV must be one of {', '.join(ENVIRONMENTS)}, not {mode!r}"
        )

    return {
        "ENV_MODE": mode,
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": env.get("ZX_SECRET_KEY") or None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(get("ZX_COOKIE_SECURE", "0")),
        "PUBLIC_URL": get("ZX_PUBLIC_URL", "http://127.0.0.1:5080"),
        "DATABASE_URL": get("ZX_DATABASE_URL", f"sqlite:///{data_dir / 'zhixue.db'}"),
        "S3_ENDPOINT": get("ZX_S3_ENDPOINT", "127.0.0.1:19000"),
        "S3_ACCESS_KEY": get("ZX_S3_ACCESS_KEY", ""),
        "S3_SECRET_KEY": get("ZX_S3_SECRET_KEY", ""),
        "S3_SECURE": _bool(get("ZX_S3_SECURE", "0")),
        "S3_REGION": get("ZX_S3_REGION", "us-east-1"),
        "S3_BUCKET_PREFIX": get("ZX_S3_BUCKET_PREFIX", "zx-"),
        "S3_PRESIGN_SECONDS": int(get("ZX_S3_PRESIGN_SECONDS", "300")),
        # Origins whose pages may read media objects (HLS segments) from the store.
        "S3_CORS_ORIGINS": get("ZX_S3_CORS_ORIGINS", "*").split(),
        # The store's address as browsers reach it: presigned URLs are signed for this host.
        "S3_PUBLIC_ENDPOINT": get(
            "ZX_S3_PUBLIC_ENDPOINT", get("ZX_S3_ENDPOINT", "127.0.0.1:19000")
        ),
        "S3_PUBLIC_SECURE": _bool(get("ZX_S3_PUBLIC_SECURE", get("ZX_S3_SECURE", "0"))),
        "SEARCH_URL": get("ZX_SEARCH_URL", "http://127.0.0.1:19200"),
        "SEARCH_INDEX_PREFIX": get("ZX_SEARCH_INDEX_PREFIX", "zx-"),
        "SEARCH_TIMEOUT": float(get("ZX_SEARCH_TIMEOUT", "5")),
        # Primary shards of a new index: one query uses one core per shard.
        "SEARCH_SHARDS": int(get("ZX_SEARCH_SHARDS", "2")),
        # First wait before an index update is retried while search is down (doubles each time).
        "SEARCH_RETRY_SECONDS": float(get("ZX_SEARCH_RETRY_SECONDS", "5")),
        "REDIS_URL": get("ZX_REDIS_URL", "redis://127.0.0.1:16379/0"),
        "OBS_HOST": get("ZX_OBS_HOST", "127.0.0.1"),
        "OBS_PORT": int(get("ZX_OBS_PORT", "14455")),
        "OBS_PASSWORD": get("ZX_OBS_PASSWORD", ""),
        "OBS_TIMEOUT": float(get("ZX_OBS_TIMEOUT", "5")),
        "STUDIO_KEY": env.get("ZX_STUDIO_KEY") or None,
        # Minutes before a session's start and after its end when its stream key still publishes.
        "LIVE_GRACE_MINUTES": int(get("ZX_LIVE_GRACE_MINUTES", "15")),
        # Studio pages' event streams open at once in one web process: each holds one of its
        # threads (./infra/svc runs 4 a process) for as long as the page is open.
        "EVENT_STREAMS": int(get("ZX_EVENT_STREAMS", "2")),
        "RTMP_PUBLISH_URL": get("ZX_RTMP_PUBLISH_URL", "rtmp://127.0.0.1:11935/live"),
        "RTMP_CALLBACK_SECRET": get("ZX_RTMP_CALLBACK_SECRET", ""),
        "LIVE_HLS_URL": get("ZX_LIVE_HLS_URL", "http://127.0.0.1:18080/hls"),
        "HEALTH_TIMEOUT": float(get("ZX_HEALTH_TIMEOUT", "3")),
        # The per-version processing lock expires this long after its holder's last sign of life.
        "PROCESS_LOCK_SECONDS": int(get("ZX_PROCESS_LOCK_SECONDS", "300")),
        "UPLOAD_CHUNK_SIZE": int(get("ZX_UPLOAD_CHUNK_MB", "8")) * MiB,
        "UPLOAD_MAX_VIDEO": int(get("ZX_UPLOAD_MAX_VIDEO_MB", str(4 * 1024))) * MiB,
        "UPLOAD_MAX_DOCUMENT": int(get("ZX_UPLOAD_MAX_DOCUMENT_MB", "200")) * MiB,
        "UPLOAD_QUOTA": int(get("ZX_UPLOAD_QUOTA_MB", str(20 * 1024))) * MiB,
        "UPLOAD_IDLE_HOURS": float(get("ZX_UPLOAD_IDLE_HOURS", "24")),
        # Browsers send upload parts straight to the store (presigned URLs); off: through the
        # service, for stores that browsers cannot reach.
        "UPLOAD_DIRECT": _bool(get("ZX_UPLOAD_DIRECT", "1")),
        "UPLOAD_PART_URL_SECONDS": int(get("ZX_UPLOAD_PART_URL_SECONDS", "900")),
        # Largest request body: one upload chunk plus form overhead. Anything larger is 413.
        "MAX_CONTENT_LENGTH": max(16, int(get("ZX_UPLOAD_CHUNK_MB", "8")) + 1) * MiB,
        "CELERY": {
            "broker_url": get("ZX_REDIS_URL", "redis://127.0.0.1:16379/0"),
            "result_backend": get("ZX_REDIS_URL", "redis://127.0.0.1:16379/0"),
            "task_ignore_result": True,
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            # Routes by task name live in repo_service.tasks.ROUTES; this catches nothing there.
            "task_default_queue": "short",
            "broker_connection_retry_on_startup": True,
            # A send while the broker is down fails within about two seconds: the task waits in
            # the outbox and the request that asked for it still answers.
            "task_publish_retry_policy": {
                "max_retries": 1,
                "interval_start": 0,
                "interval_step": 0.2,
                "interval_max": 0.2,
            },
            # A message a dead worker took is handed to another after this many seconds.
            "broker_transport_options": {
                "visibility_timeout": int(get("ZX_BROKER_VISIBILITY_TIMEOUT", str(2 * 3600))),
                # How often a worker looks for such abandoned messages (every interval*throttle s).
                "unacked_restore_interval": int(get("ZX_BROKER_RESTORE_INTERVAL", "10")),
                "unacked_restore_throttle": int(get("ZX_BROKER_RESTORE_THROTTLE", "10")),
                "socket_timeout": 2,
                "socket_connect_timeout": 2,
            },
            "worker_hijack_root_logger": False,
            "beat_schedule": {
                "expire-idle-uploads": {"task": "repo_service.expire_uploads", "schedule": 900.0},
                "purge-deleted-resources": {
                    "task": "repo_service.purge_deleted",
                    "schedule": 900.0,
                },
                "requeue-stuck-jobs": {"task": "transcoder.sweep_stuck", "schedule": 120.0},
                # Safety nets after an outage: both are one cheap query when nothing waits.
                "relay-outbox": {"task": "repo_service.relay_outbox", "schedule": 10.0},
                "apply-dirty-index": {"task": "search.apply_dirty", "schedule": 10.0},
            },
        },
    }


def finalise_secret_key(config: dict[str, Any]) -> None:
    """Make sure a secret key exists; refuse to start without one in production.

    Outside production a key is generated once and kept in the data directory, so sessions
    survive restarts of the development server.
    """
    if config.get("SECRET_KEY"):
        return
    if config["ENV_MODE"] == "production":
        raise ConfigError(
            "生产模式必须设置 ZX_SECRET_KEY（至少 32 个随机字符）。"
            " / ZX_SECRET_KEY must be set in production mode (at least 32 random characters)."
        )
    key_file = Path(config["DATA_DIR"]) / "secrets" / "secret-key"
    if not key_file.is_file():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    config["SECRET_KEY"] = key_file.read_text().strip()
