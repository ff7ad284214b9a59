"""gunicorn settings of the web service (``--config python:repo_service.gunicorn_conf``).

A worker holds some 200 000 objects once the app is loaded (modules, routes, the ORM's mappings,
templates), none of which it will ever free. Python's full garbage collection walks every one of
them, about 0.1 s with the worker's threads stopped, and requests keep making new objects that
bring it round again: a heartbeat that arrives then waits. Frozen after loading, those objects are
left out of every collection.
"""

from __future__ import annotations

import gc
from typing import Any


def post_worker_init(_worker: Any) -> None:
    gc.freeze()
