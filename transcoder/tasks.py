"""Worker tasks. The web process sends them by name and never imports this module."""

from __future__ import annotations

import socket

from celery import shared_task


@shared_task(name="transcoder.ping", ignore_result=False)
def ping(message: str = "ping") -> dict[str, str]:
    """A trivial round trip through the broker, used by health checks and tests."""
    return {"reply": f"pong: {message}", "worker": socket.gethostname()}
