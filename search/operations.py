"""The state of the long index operations (rebuild, check), kept in Redis for pages to poll.

One record per operation and index prefix: queued → running (with done/total) → done (with its
result) or failed (with the error). A record not touched for ``STALE_SECONDS`` while running
belongs to a worker that died, and a new run may start.
"""

from __future__ import annotations

import json
import time
from typing import Any

import redis

OPERATIONS = ("reindex", "check")
STALE_SECONDS = 600
ACTIVE = ("queued", "running")


class Operations:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.redis = client
        self.prefix = prefix

    def _key(self, name: str) -> str:
        return f"zx:search-op:{self.prefix}{name}"

    def get(self, name: str) -> dict[str, Any]:
        raw = self.redis.get(self._key(name))
        record: dict[str, Any] = json.loads(raw) if raw else {"state": "idle"}
        record["name"] = name
        record["stale"] = (
            record["state"] in ACTIVE and time.time() - record.get("touched", 0) > STALE_SECONDS
        )
        return record

    def claim(self, name: str) -> bool:
        """Mark ``name`` queued unless a live run holds it; True when this caller got it."""
        key = self._key(name)
        with self.redis.pipeline() as pipe:
            try:
                pipe.watch(key)
                current = self.get(name)
                if current["state"] in ACTIVE and not current["stale"]:
                    return False
                pipe.multi()
                pipe.set(key, json.dumps({"state": "queued", "touched": time.time()}))
                pipe.execute()
                return True
            except redis.WatchError:
                return False

    def update(self, name: str, **fields: Any) -> None:
        record = self.get(name)
        record.update(fields, touched=time.time())
        record.pop("stale", None)
        self.redis.set(self._key(name), json.dumps(record, ensure_ascii=False))
