"""Chunked upload through the web service versus a direct SDK upload, and the web's memory.

Run with the services up (./infra/svc up redis s3):

    PYTHONPATH=. python bench/upload_throughput.py [--size-mb 1024] [--small-mb 256]

It starts its own gunicorn web process in a private namespace (SQLite file, bucket prefix),
uploads the same file twice — once with minio's ``fput_object`` straight to the object store
(the baseline), once through ``/api/v1/uploads`` in 8 MiB chunks, three at a time, as the
upload page does — and prints the throughput ratio and the web process's peak RSS, sampled
every 50 ms. A second, smaller upload shows that the peak does not grow with the file size.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import contextlib

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


def chunked_upload(
    base: str, token: str, path: Path, size: int, digest: str, parallel: int
) -> float:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    rid = http.post(
        f"{base}/api/v1/resources",
        json={
            "kind": "video",
            "title": "bench",
            "category": "职业技能",
            "audience": "社区居民",
        },
        timeout=30,
    ).json()["resource"]["id"]
    start = time.perf_counter()
    upload = http.post(
        f"{base}/api/v1/uploads",
        json={
            "resource_id": rid,
            "name": path.name,
            "size": size,
            "sha256": digest,
        },
        timeout=30,
    ).json()["upload"]
    chunk = upload["chunk_size"]
    local = threading.local()

    def send(index: int) -> None:
        if not hasattr(local, "http"):
            local.http = requests.Session()
            local.http.headers["Authorization"] = f"Bearer {token}"
        with path.open("rb") as f:
            f.seek(index * chunk)
            body = f.read(chunk)
        r = local.http.put(
            f"{base}/api/v1/uploads/{upload['id']}/chunks/{index}",
            data=body,
            headers={"Content-Type": "application/octet-stream"},
            timeout=120,
        )
        r.raise_for_status()

    with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
        list(pool.map(send, range(upload["total_chunks"])))
    sent = time.perf_counter()
    done = http.post(f"{base}/api/v1/uploads/{upload['id']}/complete", timeout=600)
    done.raise_for_status()
    end = time.perf_counter()
    print(f"  chunks sent in {sent - start:.2f} s, completion (verify) {end - sent:.2f} s")
    return end - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--small-mb", type=int, default=256)
    parser.add_argument(
        "--parallel", type=int, default=3, help="chunks in flight (the page uses 3)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (as ./infra/svc)")
    parser.add_argument("--chunk-mb", type=int, default=8)
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

    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    web = subprocess.Popen(
        [
            str(gunicorn),
            "repo_service:create_app()",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--timeout",
            "600",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        workers = subprocess.run(
            ["pgrep", "-P", str(web.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        pids = [web.pid, *map(int, workers)]
        idle_kib = sum(rss_kib(p) for p in pids)
        print(
            f"RSS at rest: {idle_kib / 1024:.0f} MiB for {len(pids)} processes "
            f"(gunicorn master + {len(pids) - 1} workers)"
        )

        results = {}
        for label, mb in (("large", args.size_mb), ("small", args.small_mb)):
            size = mb * MiB
            path = tmp / f"bench-{mb}.mp4"
            digest = make_file(path, size)
            t0 = time.perf_counter()
            storage.client.fput_object(
                storage.bucket("originals"),
                f"bench/{label}-direct",
                str(path),
                content_type="video/mp4",
            )
            direct = time.perf_counter() - t0
            sampler = RssSampler(pids)
            sampler.start()
            chunked = chunked_upload(base, token, path, size, digest, args.parallel)
            sampler.running = False
            sampler.join()
            results[label] = (mb, direct, chunked, sampler.peak_single)
            path.unlink()
            print(
                f"{mb} MiB: direct fput_object {mb / direct:7.1f} MiB/s | chunked API "
                f"{mb / chunked:7.1f} MiB/s (incl. SHA-256 and type check) | ratio "
                f"{direct / chunked:.2f} | peak RSS: largest web process "
                f"{sampler.peak_single / 1024:.0f} MiB, "
                f"all {len(pids)} processes {sampler.peak / 1024:.0f} MiB"
            )
        (mb_l, _, _, peak_l), (mb_s, _, _, peak_s) = results["large"], results["small"]
        print(
            f"peak RSS {mb_l} MiB vs {mb_s} MiB upload: "
            f"{peak_l / 1024:.0f} vs {peak_s / 1024:.0f} MiB "
            f"(ratio {peak_l / max(peak_s, 1):.2f})"
        )
        print("targets: ratio >= 0.70, peak RSS < 150 MiB independent of size")
    finally:
        web.terminate()
        web.wait(timeout=30)
        for obj in storage.client.list_objects(storage.bucket("originals"), recursive=True):
            storage.client.remove_object(storage.bucket("originals"), obj.object_name)
        for role in ("originals", "media"):
            storage.client.remove_bucket(storage.bucket(role))
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
