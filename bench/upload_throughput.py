"""Uploads through the API (parts straight to the store, and through the service) versus a
direct SDK upload, and the web process's memory.

Run with the services up (./infra/svc up redis s3):

    PYTHONPATH=. python bench/upload_throughput.py [--size-mb 1024] [--small-mb 256]

It starts two gunicorn web processes (as ./infra/svc runs ``web``; one per upload mode) in a
private namespace (SQLite file, bucket prefix) and uploads the same file three ways, taking
turns for ``--rounds`` rounds with the bucket emptied and dirty pages flushed before each:
minio's ``fput_object`` straight to the object store (the baseline); ``/api/v1/uploads`` in
direct mode, PUTting 8 MiB parts to presigned store URLs three at a time as the upload page
does; and the service's chunk endpoint (the proxied fallback). Each API upload is timed from
opening to a completed version (part list, size and type check). It prints the medians'
throughput ratios and the largest web process's peak RSS, sampled every 50 ms; a second,
smaller file shows that the peak does not grow with the file size.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import contextlib

from infra.svc import gunicorn_argv
from repo_service import create_core_app
from repo_service.accounts.auth import issue_token
from repo_service.accounts.models import Role
from repo_service.accounts.services import create_user, ensure_network, find_organisation
from repo_service.config import load_config
from repo_service.migrate import upgrade

MiB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class RssSampler(threading.Thread):
    """Peak RSS of the process tree and of its largest single process."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.pids, self.peak, self.peak_single, self.running = pids, 0, 0, True

    def run(self) -> None:
        while self.running:
            sizes = []
            for pid in self.pids:
                with contextlib.suppress(OSError):
                    sizes.append(rss_kib(pid))
            self.peak = max(self.peak, sum(sizes))
            self.peak_single = max(self.peak_single, *sizes, 0)
            time.sleep(0.05)


def make_file(path: Path, size: int) -> str:
    """A file whose head is a real MP4 signature, so the service accepts it as video."""
    head = bytes.fromhex("0000001c667479706d703432") + b"\0" * 16
    digest = hashlib.sha256()
    with path.open("wb") as out:
        block = head + os.urandom(MiB - len(head))
        written = 0
        while written < size:
            piece = block[: min(MiB, size - written)]
            out.write(piece)
            digest.update(piece)
            written += len(piece)
            block = os.urandom(MiB)
    return digest.hexdigest()


def api_upload(
    base: str, token: str, path: Path, size: int, digest: str, parallel: int, mode: str
) -> tuple[float, float]:
    """Upload ``path`` through the API; (seconds from opening to version, of which completion)."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    rid = http.post(
        f"{base}/api/v1/resources",
        json={"kind": "video", "title": "bench", "category": "职业技能", "audience": "社区居民"},
        timeout=30,
    ).json()["resource"]["id"]
    start = time.perf_counter()
    opened = http.post(
        f"{base}/api/v1/uploads",
        json={"resource_id": rid, "name": path.name, "size": size, "sha256": digest},
        timeout=30,
    )
    opened.raise_for_status()
    upload = opened.json()["upload"]
    if upload["mode"] != mode:
        raise SystemExit(f"the service answered mode {upload['mode']!r}, expected {mode!r}")
    chunk = upload["chunk_size"]
    numbers = list(range(1, upload["total_chunks"] + 1))
    urls: dict[int, str] = {}
    if mode == "direct":
        for i in range(0, len(numbers), 100):  # at most 100 part URLs per request
            signed = http.post(
                f"{base}/api/v1/uploads/{upload['id']}/parts",
                json={"parts": numbers[i : i + 100]},
                timeout=30,
            )
            signed.raise_for_status()
            urls.update({p["number"]: p["url"] for p in signed.json()["parts"]})
    local = threading.local()

    def send(number: int) -> None:
        if not hasattr(local, "http"):
            local.http = requests.Session()
            local.http.headers["Authorization"] = f"Bearer {token}"
            local.store = requests.Session()  # the store sees only the presigned URL
        with path.open("rb") as f:
            f.seek((number - 1) * chunk)
            body = f.read(chunk)
        if mode == "direct":
            r = local.store.put(urls[number], data=body, timeout=120)
        else:
            r = local.http.put(
                f"{base}/api/v1/uploads/{upload['id']}/chunks/{number - 1}",
                data=body,
                headers={"Content-Type": "application/octet-stream"},
                timeout=120,
            )
        r.raise_for_status()

    with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
        list(pool.map(send, numbers))
    sent = time.perf_counter()
    done = http.post(f"{base}/api/v1/uploads/{upload['id']}/complete", timeout=600)
    done.raise_for_status()
    end = time.perf_counter()
    return end - start, end - sent


@contextlib.contextmanager
def web_server(env: dict[str, str], workers: int) -> Iterator[tuple[str, list[int]]]:
    """gunicorn as ./infra/svc runs ``web``; yields its address and its processes' ids."""
    port = free_port()
    web = subprocess.Popen(
        [
            *gunicorn_argv(
                f"127.0.0.1:{port}",
                gunicorn=Path(sys.executable).parent / "gunicorn",
                workers=workers,
            ),
            *("--timeout", "600"),  # a 1 GiB upload through the service takes its time
            *("--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                requests.get(f"{base}/api/v1/session", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        children = subprocess.run(
            ["pgrep", "-P", str(web.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        yield base, [web.pid, *map(int, children)]
    finally:
        web.terminate()
        web.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--small-mb", type=int, default=256)
    parser.add_argument("--parallel", type=int, default=3, help="parts in flight (the page uses 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (as ./infra/svc)")
    parser.add_argument("--chunk-mb", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="turns of the three ways, per size")
    args = parser.parse_args()

    run = secrets.token_hex(3)
    tmp = Path(tempfile.mkdtemp(prefix="zx-bench-"))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ZX_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "ZX_S3_BUCKET_PREFIX": f"zxb-{run}-",
        "ZX_UPLOAD_QUOTA_MB": str(1024 * 1024),
        "ZX_UPLOAD_CHUNK_MB": str(args.chunk_mb),
        # Its own broker database: the processing tasks it queues must not reach a real worker.
        "ZX_REDIS_URL": load_config()["REDIS_URL"].rsplit("/", 1)[0] + "/15",
        "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
        "ZX_SECRET_KEY": secrets.token_urlsafe(32),
    }
    os.environ.update({k: v for k, v in env.items() if k.startswith("ZX_")})
    app = create_core_app()
    upgrade(app.extensions["db"])
    storage = app.extensions["storage"]
    storage.ensure_buckets()
    with app.extensions["db"].session() as session:
        ensure_network(session)
        user = create_user(
            session,
            username=f"bench-{run}",
            password="bench-password",
            display_name="bench",
            organisation=find_organisation(session, "秣陵"),
            roles=[Role.TEACHER],
        )
        _, token = issue_token(session, user, "bench")

    files = {}
    bucket = storage.bucket("originals")

    def clear() -> None:
        """Empty the bucket and flush the page cache's dirty pages, so every upload starts
        from the same disk state (a store's writeback otherwise slows whichever runs next)."""
        for obj in storage.client.list_objects(bucket, recursive=True):
            storage.client.remove_object(bucket, obj.object_name)
        os.sync()

    try:
        for mb in (args.size_mb, args.small_mb):
            path = tmp / f"bench-{mb}.mp4"
            files[mb] = (path, make_file(path, mb * MiB))
        with (
            web_server({**env, "ZX_UPLOAD_DIRECT": "1"}, args.workers) as (direct_base, dpids),
            web_server({**env, "ZX_UPLOAD_DIRECT": "0"}, args.workers) as (proxy_base, ppids),
        ):
            for label, pids in (("direct", dpids), ("proxied", ppids)):
                idle_kib = sum(rss_kib(p) for p in pids)
                print(
                    f"{label}: RSS at rest {idle_kib / 1024:.0f} MiB for {len(pids)} processes "
                    f"(gunicorn master + {len(pids) - 1} workers)"
                )
            for mb, (path, digest) in files.items():
                runs: dict[str, list[float]] = {"sdk": [], "direct": [], "proxied": []}
                done: dict[str, list[float]] = {"direct": [], "proxied": []}
                peaks = {"direct": 0, "proxied": 0}
                # The three ways take turns, so a slow moment of the shared machine falls on
                # each alike; the medians are compared.
                for _round in range(args.rounds):
                    clear()
                    t0 = time.perf_counter()
                    storage.client.fput_object(
                        bucket, f"bench/{mb}-sdk", str(path), content_type="video/mp4"
                    )
                    runs["sdk"].append(time.perf_counter() - t0)
                    for mode, base, pids in (
                        ("direct", direct_base, dpids),
                        ("proxied", proxy_base, ppids),
                    ):
                        clear()
                        sampler = RssSampler(pids)
                        sampler.start()
                        total, completion = api_upload(
                            base, token, path, mb * MiB, digest, args.parallel, mode
                        )
                        sampler.running = False
                        sampler.join()
                        runs[mode].append(total)
                        done[mode].append(completion)
                        peaks[mode] = max(peaks[mode], sampler.peak_single)
                sdk = statistics.median(runs["sdk"])
                direct, proxied = (
                    statistics.median(runs["direct"]),
                    statistics.median(runs["proxied"]),
                )
                print(
                    f"{mb:5d} MiB: fput_object {mb / sdk:6.1f} MiB/s | direct to store "
                    f"{mb / direct:6.1f} MiB/s, ratio {sdk / direct:.2f} (completion "
                    f"{statistics.median(done['direct']):.2f} s), largest web process "
                    f"{peaks['direct'] / 1024:.0f} MiB | through the service "
                    f"{mb / proxied:6.1f} MiB/s, ratio {sdk / proxied:.2f} (completion "
                    f"{statistics.median(done['proxied']):.2f} s), largest web process "
                    f"{peaks['proxied'] / 1024:.0f} MiB  (medians of {args.rounds} rounds)"
                )
        print("targets: direct ratio >= 0.90; largest web process peak RSS < 150 MiB")
    finally:
        for obj in storage.client.list_objects(storage.bucket("originals"), recursive=True):
            storage.client.remove_object(storage.bucket("originals"), obj.object_name)
        for role in ("originals", "media"):
            storage.client.remove_bucket(storage.bucket(role))
        app.extensions["redis"].flushdb()  # the processing tasks it queued, never run
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
