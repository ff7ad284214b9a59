"""The ladder job: one ffmpeg run that decodes once and encodes every rung.

The decoded picture is made constant-rate, split, and scaled once per rung; the audio is split
into one AAC copy per rung, an audio-only rendition for weak links, and a loudness measurement.
A thumbnail branch tiles seek-preview sprites from the same decode. Only the chosen streams are
mapped, and no metadata, chapters or cover art from the original reach the outputs.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

import ffmpeg

from transcoder.errors import BadMedia, TransientFailure
from transcoder.ladder import AUDIO_ONLY_KBPS, Rung, SpritePlan, output_fps
from transcoder.probe import INPUT_OPTIONS, MediaInfo

SEGMENT_SECONDS = 4
PRESET = "veryfast"


def ladder_args(
    src: Path,
    out: Path,
    info: MediaInfo,
    rungs: list[Rung],
    sprite: SpritePlan,
    *,
    preset: str = PRESET,
) -> list[str]:
    """The ffmpeg command line (without the program name) for the whole ladder."""
    fps = output_fps(info.fps)
    gop = round(fps * SEGMENT_SECONDS)
    source = ffmpeg.input(str(src), **INPUT_OPTIONS)
    # Rotation metadata is applied by the decoder (autorotate); fps makes variable rate constant.
    picture = source["v:0"].filter("fps", fps=fps).filter_multi_output("split", len(rungs) + 1)
    videos = [
        picture.stream(i).filter("scale", r.width, r.height).filter("setsar", 1)
        for i, r in enumerate(rungs)
    ]
    thumbs = (
        picture.stream(len(rungs))
        .filter("setpts", "PTS-STARTPTS")
        .filter("select", thumbnail_select(sprite))
        .filter("scale", sprite.width, sprite.height)
        .filter("tile", f"{sprite.columns}x{sprite.rows}")
    )
    streams: list[ffmpeg.nodes.Stream] = list(videos)
    options: dict[str, object] = {
        "c:v": "libx264",
        "preset": preset,
        "profile:v": "high",
        "pix_fmt": "yuv420p",
        "g": gop,
        "keyint_min": gop,
        "sc_threshold": 0,
        "map_metadata": -1,
        "map_chapters": -1,
        "f": "hls",
        "hls_time": SEGMENT_SECONDS,
        "hls_playlist_type": "vod",
        "hls_flags": "independent_segments",
        "hls_segment_filename": str(out / "v%v" / "seg_%05d.ts"),
        "master_pl_name": "master.m3u8",
    }
    for i, r in enumerate(rungs):
        options[f"b:v:{i}"] = f"{r.video_kbps}k"
        options[f"maxrate:v:{i}"] = f"{r.maxrate_kbps}k"
        options[f"bufsize:v:{i}"] = f"{r.bufsize_kbps}k"
    outputs = []
    if info.has_audio:
        sound = source["a:0"].filter_multi_output("asplit", len(rungs) + 2)
        audios = [sound.stream(i) for i in range(len(rungs) + 1)]
        streams += audios
        options.update({"c:a": "aac", "ac": 2, "ar": 44100})
        for i, r in enumerate(rungs):
            options[f"b:a:{i}"] = f"{r.audio_kbps}k"
        options[f"b:a:{len(rungs)}"] = f"{AUDIO_ONLY_KBPS}k"
        pairs = [f"v:{i},a:{i},name:{r.name}" for i, r in enumerate(rungs)]
        options["var_stream_map"] = " ".join([*pairs, f"a:{len(rungs)},name:audio"])
        loudness = sound.stream(len(rungs) + 1).filter("loudnorm", print_format="json")
        outputs.append(ffmpeg.output(loudness, "-", format="null"))
    else:
        options["var_stream_map"] = " ".join(f"v:{i},name:{r.name}" for i, r in enumerate(rungs))
    hls = ffmpeg.output(*streams, str(out / "v%v" / "index.m3u8"), **options)
    sprites = ffmpeg.output(
        thumbs,
        str(out / "sprite_%03d.jpg"),
        **{"q:v": 5, "map_metadata": -1, "fps_mode": "passthrough"},
    )
    threads = str(os.cpu_count() or 2)  # the scalers of the split run in parallel, not in turn
    graph = ffmpeg.merge_outputs(hls, sprites, *outputs).global_args(
        "-filter_threads",
        threads,
        "-filter_complex_threads",
        threads,
        "-hide_banner",
        "-nostdin",
        "-nostats",
        "-progress",
        "pipe:1",
        "-max_muxing_queue_size",
        "1024",
    )
    return list(graph.get_args())


def thumbnail_select(sprite: SpritePlan) -> str:
    """The ``select`` expression that keeps exactly the planned thumbnails.

    Thumbnail n is the first frame at or after n × interval, and no more than ``count`` are kept,
    so the sheets match the plan that the WebVTT map is written from. (An ``fps=1/interval``
    filter rounds to the nearest output tick, and gives no frame at all for a video shorter than
    half an interval: its sheet was never written.)
    """
    return f"lt(selected_n,{sprite.count})*gte(t,selected_n*{sprite.interval})"


def run(
    args: list[str],
    duration: float,
    on_progress: Callable[[float], None],
    *,
    timeout: float,
    tail_lines: int = 40,
) -> str:
    """Run ffmpeg, reporting percent done from ``-progress``; return its stderr.

    A non-zero exit is bad media (the input was probed, so the encoder choked on its content);
    exceeding ``timeout`` or failing to start is transient.
    """
    try:
        proc = subprocess.Popen(
            ["ffmpeg", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )
    except OSError as exc:
        raise TransientFailure("无法启动 ffmpeg", f"ffmpeg could not start: {exc}") from exc
    stderr: deque[str] = deque(maxlen=400)
    reader = threading.Thread(target=lambda: stderr.extend(proc.stderr or []), daemon=True)
    reader.start()
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    last_report = 0.0
    try:
        for line in proc.stdout or []:
            key, _, value = line.strip().partition("=")
            if key == "out_time_us" and value.isdigit() and duration > 0:
                now = time.monotonic()
                if now - last_report >= 1.0:
                    on_progress(min(99.0, int(value) / 1e6 / duration * 100))
                    last_report = now
        proc.wait()
    finally:
        killer.cancel()
        reader.join(timeout=5)
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    text = "".join(stderr)
    if proc.returncode != 0:
        tail = "".join(list(stderr)[-tail_lines:])
        if proc.returncode < 0 or proc.returncode == -9:
            raise TransientFailure(
                f"转码超时（超过 {timeout:.0f} 秒）或被中止",
                f"ffmpeg timed out after {timeout:.0f} s or was killed",
                stderr_tail=tail,
            )
        raise BadMedia(
            "视频转码失败（文件内容可能已损坏）",
            "Transcoding failed (the content may be damaged)",
            stderr_tail=tail,
        )
    on_progress(100.0)
    return text
