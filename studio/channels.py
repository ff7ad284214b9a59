"""The Redis names through which web processes and the studio hub talk.

The hub (``python -m studio.hub``) is the one process that holds a connection to each studio's
OBS. It keeps each studio's state as a snapshot and publishes every change; web processes read
the snapshot, relay the changes to pages (server-sent events) and queue commands, each with its
own reply list, so an answer always reaches the request that asked.
"""

from __future__ import annotations

HUB_ALIVE = "zx:studio:hub"  # set by the hub every second, expires after HUB_ALIVE_TTL
HUB_ALIVE_TTL = 5
RELOAD = "zx:studio:reload"  # published when studios are added or edited
INGEST = "zx:studio:ingest"  # live-session ids whose recording should become a replay
STATE_TTL = 30


def state_key(studio_id: int) -> str:
    return f"zx:studio:{studio_id}:state"


def events_channel(studio_id: int) -> str:
    return f"zx:studio:{studio_id}:events"


def commands_key(studio_id: int) -> str:
    return f"zx:studio:{studio_id}:commands"


def reply_key(token: str) -> str:
    return f"zx:studio:reply:{token}"
