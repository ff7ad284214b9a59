"""The ladder job against separate ffmpeg runs per rung, and the pipeline's own overhead.

Run with the services up (./infra/svc up redis s3):

    PYTHONPATH=. python bench/ladder.py [--seconds 120]

1. One ffmpeg run that decodes once and encodes every rung (plus the audio-only rendition,
   seek-preview sprites and the loudness measurement) versus the approach of PeerTube and
   MediaCMS: one ffmpeg run per rung, plus runs for the audio-only rendition and the sprites,
   with the same encoder settings, on the same 1080p input. Target: ratio <= 0.75.
2. The whole pipeline for one version (download, probe, ladder, poster, upload, bookkeeping)
   versus the bare ladder command it issues, run by hand. Target: overhead <= 15 %.
3. The real-time factor (media seconds per wall second) of the ladder on this machine.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repo_service import create_core_app
from repo_service.accounts.models import Role
from repo_service.accounts.services import create_user, ensure_network, find_organisation
from repo_service.config import load_config
from repo_service.migrate import upgrade
from repo_service.resources.models import Resource, ResourceKind
from repo_service.resources.services import add_version
from transcoder import encode
from transcoder.ladder import output_fps, plan_ladder, plan_sprite
from transcoder.pipeline import Processor
from transcoder.probe import INPUT_OPTIONS, probe

SOURCE_CODECS = {
    "h264": ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "18"],
    "hevc": ["-c:v", "libx265", "-preset", "ultrafast", "-crf", "20", "-tag:v", "hvc1"],
}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def separate_runs(src: Path, out: Path, info, rungs, sprite) -> float:  # type: ignore[no-untyped-def]
    """One ffmpeg per output, as the per-resolution job queues of other platforms do."""
    fps = output_fps(info.fps)
    gop = round(fps * encode.SEGMENT_SECONDS)
    whitelist = [f"-{k}" if i % 2 == 0 else v for k, v in INPUT_OPTIONS.items() for i in (0, 1)]
    base = ["ffmpeg", "-v", "error", "-y", *whitelist, "-i", str(src)]
    hls = ["-f", "hls", "-hls_time", str(encode.SEGMENT_SECONDS), "-hls_playlist_type", "vod"]
    total = 0.0
    for rung in rungs:
        d = out / rung.name
        d.mkdir(parents=True)
        total += timed(
            [
                *base,
                "-map",
                "0:v:0",
                "-map",
                "0:a:0",
                "-vf",
                f"fps={fps},scale={rung.width}:{rung.height}",
                "-c:v",
                "libx264",
                "-preset",
                encode.PRESET,
                "-profile:v",
                "high",
                "-pix_fmt",
                "yuv420p",
                "-g",
                str(gop),
                "-keyint_min",
                str(gop),
                "-sc_threshold",
                "0",
                "-b:v",
                f"{rung.video_kbps}k",
                "-maxrate",
                f"{rung.maxrate_kbps}k",
                "-bufsize",
                f"{rung.bufsize_kbps}k",
                "-c:a",
                "aac",
                "-b:a",
                f"{rung.audio_kbps}k",
                "-ac",
                "2",
                "-ar",
                "44100",
                *hls,
                "-hls_segment_filename",
                str(d / "seg_%05d.ts"),
                str(d / "index.m3u8"),
            ]
        )
    (out / "audio").mkdir()
    total += timed(
        [
            *base,
            "-map",
            "0:a:0",
            "-c:a",
            "aac",
            "-b:a",
            "64k",
            "-ac",
            "2",
            *hls,
            "-hls_segment_filename",
            str(out / "audio" / "seg_%05d.ts"),
            str(out / "audio" / "index.m3u8"),
        ]
    )
    total += timed(
        [
            *base,
            "-map",
            "0:v:0",
            "-vf",
            f"fps=1/{sprite.interval},scale={sprite.width}:{sprite.height},tile={sprite.columns}x{sprite.rows}",
            "-q:v",
            "5",
            str(out / "sprite_%03d.jpg"),
        ]
    )
    total += timed([*base, "-map", "0:a:0", "-af", "loudnorm=print_format=json", "-f", "null", "-"])
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=120, help="length of the 1080p input")
    parser.add_argument(
        "--source",
        choices=["h264", "hevc"],
        default="h264",
        help="codec of the input: hevc is what recent phones record, and costs more to decode",
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zx-bench-ladder-"))
    run = secrets.token_hex(3)
    os.environ.update(
        {
            "ZX_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
            "ZX_S3_BUCKET_PREFIX": f"zxb-{run}-",
            "ZX_REDIS_URL": load_config()["REDIS_URL"].rsplit("/", 1)[0] + "/15",
            "ZX_SECRET_KEY": secrets.token_urlsafe(32),
        }
    )
    try:
        src = tmp / "lecture.mp4"
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"testsrc2=size=1920x1080:rate=30:duration={args.seconds}",
                "-f",
                "lavfi",
                "-i",
                f"sine=frequency=300:duration={args.seconds}",
                *SOURCE_CODECS[args.source],
                "-c:a",
                "aac",
                "-shortest",
                str(src),
            ],
            check=True,
        )
        info = probe(src)
        rungs = plan_ladder(info.display_width, info.display_height)
        sprite = plan_sprite(info.duration, info.display_width, info.display_height)
        print(
            f"input: {args.seconds} s 1080p30 {args.source}, rungs {[r.name for r in rungs]}"
            " + audio + sprites + loudness"
        )

        out = tmp / "ladder"
        out.mkdir()
        ladder_args = encode.ladder_args(src, out, info, rungs, sprite)
        start = time.perf_counter()
        encode.run(ladder_args, info.duration, lambda _p: None, timeout=24 * 3600)
        one_decode = time.perf_counter() - start
        separate = separate_runs(src, tmp / "separate", info, rungs, sprite)
        print(f"ladder, one decode:        {one_decode:7.1f} s")
        print(f"separate runs per output:  {separate:7.1f} s")
        print(f"ratio {one_decode / separate:.2f} (target <= 0.75)")
        print(
            f"real-time factor of the ladder: {info.duration / one_decode:.2f}x "
            f"({info.duration:.0f} s of 1080p in {one_decode:.1f} s)"
        )

        app = create_core_app()
        upgrade(app.extensions["db"])
        storage = app.extensions["storage"]
        storage.ensure_buckets()
        storage.put_file("originals", "bench/lecture.mp4", str(src), content_type="video/mp4")
        with app.extensions["db"].session() as session:
            ensure_network(session)
            user = create_user(
                session,
                username=f"bench-{run}",
                password="bench-password",
                display_name="b",
                organisation=find_organisation(session, "秣陵"),
                roles=[Role.TEACHER],
            )
            resource = Resource(
                kind=ResourceKind.VIDEO,
                title="bench",
                summary="",
                category="职业技能",
                audience="社区居民",
                organisation_id=user.organisation_id,
                owner_id=user.id,
            )
            session.add(resource)
            session.flush()
            version = add_version(
                session,
                app.extensions["celery"],
                resource,
                object_key="bench/lecture.mp4",
                filename="lecture.mp4",
                size=src.stat().st_size,
                content_type="video/mp4",
                created_by_id=user.id,
                process=False,  # the benchmark runs and times the worker's steps itself
            )
            version_id = version.id
        start = time.perf_counter()
        result = Processor(app, version_id, None).run()
        pipeline = time.perf_counter() - start
        assert result == "ready", result
        overhead = pipeline - one_decode
        print(
            f"whole pipeline:            {pipeline:7.1f} s"
            " (download, probe, ladder, poster, upload, rows)"
        )
        print(
            f"overhead over the bare ladder command: {overhead:.1f} s"
            f" = {overhead / one_decode:.1%} of the encode (target <= 15 %)"
        )
        for role in ("originals", "media"):
            for obj in storage.client.list_objects(storage.bucket(role), recursive=True):
                storage.client.remove_object(storage.bucket(role), obj.object_name)
            storage.client.remove_bucket(storage.bucket(role))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
