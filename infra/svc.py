"""Service manager for one machine: ``up``, ``down``, ``status``, ``logs``.

Each service runs on 127.0.0.1 with its data under ``var/`` and its log in ``var/log/``. A
service's process group id and start time are kept in ``var/run/<name>.pid``, so ``down``
stops exactly the processes ``up`` started and never a recycled pid. Only the standard library
is used here: this runs before the Python environment exists.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("ZX_DATA_DIR") or ROOT / "var")
RUN, LOG = VAR / "run", VAR / "log"
START_MARK = "\n--- started "  # opens each start's part of a service's log
CACHE = Path(
    os.environ.get("ZX_CACHE_DIR")
    or ("/var/cache/zhixue" if os.geteuid() == 0 else Path.home() / ".cache/zhixue")
)


def _versions() -> dict[str, str]:
    found = {}
    for line in (ROOT / "infra/lib.sh").read_text().splitlines():
        for key in ("ES_VERSION", "S3_SERVER", "S3_VERSION"):
            if line.startswith(f"{key}="):
                found[key] = line.split("=", 1)[1].strip('"')
    return found


VERSIONS = _versions()

PORTS = {
    "web": int(os.environ.get("ZX_PORT_WEB", "5080")),  # nginx, in front of the app
    "app": int(os.environ.get("ZX_PORT_APP", "15080")),  # gunicorn
    "redis": int(os.environ.get("ZX_PORT_REDIS", "16379")),
    "s3": int(os.environ.get("ZX_PORT_S3", "19000")),
    "es": int(os.environ.get("ZX_PORT_ES", "19200")),
    "es_transport": int(os.environ.get("ZX_PORT_ES_TRANSPORT", "19300")),
    "obs": int(os.environ.get("ZX_PORT_OBS", "14455")),
    "rtmp": int(os.environ.get("ZX_PORT_RTMP", "11935")),
    "hls": int(os.environ.get("ZX_PORT_HLS", "18080")),
    "pg": int(os.environ.get("ZX_PORT_PG", "15432")),
}
DISPLAY = os.environ.get("ZX_XVFB_DISPLAY", ":77")
ES_USER = "zhixue-es"
PG_USER = "postgres"  # Debian's postgresql package creates it
PG_DATABASE = PG_ROLE = "zhixue"


# --- generated settings ------------------------------------------------------------------


def services_env() -> dict[str, str]:
    """Addresses and generated credentials of the local services, kept in var/services.env.

    Credentials are generated once per data directory; the application reads this file for
    whatever its environment does not set.
    """
    path = VAR / "services.env"
    existing: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                k, v = line.split("=", 1)
                existing[k] = v
    values = {
        "ZX_PUBLIC_URL": f"http://127.0.0.1:{PORTS['web']}",
        "ZX_S3_ENDPOINT": f"127.0.0.1:{PORTS['s3']}",
        "ZX_S3_ACCESS_KEY": existing.get("ZX_S3_ACCESS_KEY") or "zx" + secrets.token_hex(8),
        "ZX_S3_SECRET_KEY": existing.get("ZX_S3_SECRET_KEY") or secrets.token_urlsafe(30),
        "ZX_SEARCH_URL": f"http://127.0.0.1:{PORTS['es']}",
        "ZX_REDIS_URL": f"redis://127.0.0.1:{PORTS['redis']}/0",
        "ZX_OBS_HOST": "127.0.0.1",
        "ZX_OBS_PORT": str(PORTS["obs"]),
        "ZX_OBS_PASSWORD": existing.get("ZX_OBS_PASSWORD") or secrets.token_urlsafe(18),
        "ZX_RTMP_PUBLISH_URL": f"rtmp://127.0.0.1:{PORTS['rtmp']}/live",
        "ZX_LIVE_HLS_URL": f"http://127.0.0.1:{PORTS['hls']}/hls",
        "ZX_RTMP_CALLBACK_SECRET": existing.get("ZX_RTMP_CALLBACK_SECRET")
        or secrets.token_urlsafe(18),
    }
    # The optional PostgreSQL cluster (./infra/svc up postgres): the application uses it only
    # when ZX_DATABASE_URL is set to ZX_PG_URL.
    pg_password = existing.get("ZX_PG_PASSWORD") or secrets.token_hex(16)
    values["ZX_PG_PASSWORD"] = pg_password
    values["ZX_PG_URL"] = (
        f"postgresql+psycopg://{PG_ROLE}:{pg_password}@127.0.0.1:{PORTS['pg']}/{PG_DATABASE}"
    )
    if values != existing:
        VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "# Written by infra/svc.py: addresses and credentials of the local services.\n"
            + "".join(f"{k}={v}\n" for k, v in values.items())
        )
        path.chmod(0o600)
    return values


def venv_python() -> Path:
    out = subprocess.run(
        ["bash", "-c", f"source {ROOT}/infra/lib.sh && venv_dir"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip()) / "bin" / "python"


# --- readiness checks: each returns None when ready, else the reason --------------------


def tcp_check(port: int, send: bytes = b"", expect: bytes = b"") -> Callable[[], str | None]:
    def check() -> str | None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                if send:
                    sock.sendall(send)
                    if expect not in sock.recv(64):
                        return f"unexpected answer on port {port}"
        except OSError as exc:
            return f"port {port}: {exc.strerror or exc}"
        return None

    return check


def http_check(url: str, ok: Callable[[int, bytes], bool]) -> Callable[[], str | None]:
    def check() -> str | None:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - loopback only
                status, body = resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read()
        except (OSError, urllib.error.URLError) as exc:
            return f"{url}: {getattr(exc, 'reason', exc)}"
        return None if ok(status, body) else f"{url}: HTTP {status}"

    return check


def log_says(name: str, text: str) -> Callable[[], str | None]:
    """Ready once the service's log, since its latest start, contains ``text``."""

    def check() -> str | None:
        try:
            log = (LOG / f"{name}.log").read_text(errors="replace")
        except OSError as exc:
            return f"no log yet ({exc.strerror})"
        return None if text in log.rsplit(START_MARK, 1)[-1] else f"no {text!r} in its log yet"

    return check


def pg_check() -> str | None:
    try:
        bindir = pg_bindir()
    except SystemExit as exc:
        return str(exc)
    done = subprocess.run(
        [str(bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(PORTS["pg"]), "-t", "2"],
        capture_output=True,
        text=True,
        check=False,
    )
    return None if done.returncode == 0 else done.stdout.strip() or f"pg_isready: {done.returncode}"


def es_ready(status: int, body: bytes) -> bool:
    if status != 200:
        return False
    return json.loads(body).get("status") in {"green", "yellow"}


# --- service definitions -----------------------------------------------------------------


@dataclass
class Service:
    name: str
    argv: Callable[[], list[str]]
    check: Callable[[], str | None]
    timeout: float = 60
    env: Callable[[], dict[str, str]] = dict
    prepare: Callable[[], None] = lambda: None
    cwd: Path = ROOT
    after: list[str] = field(default_factory=list)
    # Optional services are started only when named (or needed by a named one), never by a
    # bare ``up``.
    optional: bool = False
    stop_signal: int = signal.SIGTERM

    @property
    def pidfile(self) -> Path:
        return RUN / f"{self.name}.pid"

    @property
    def logfile(self) -> Path:
        return LOG / f"{self.name}.log"


def _chown_to(user: str, *paths: Path, group: str | None = None) -> None:
    if os.geteuid() != 0:
        return
    for p in paths:
        shutil.chown(p, user, group or user)
        for sub in p.rglob("*"):
            shutil.chown(sub, user, group or user)


def _others_can_reach(path: Path) -> bool:
    return all(p.stat().st_mode & 0o001 for p in (path, *path.parents) if p.exists())


def service_dir(name: str) -> Path:
    """``var/<name>``, for a service that runs as another user (Elasticsearch, nginx workers).

    When the checkout sits where other users cannot reach (a private home directory), the data
    lives under /var/lib/zhixue instead, keyed by the checkout, and ``var/<name>`` links to it.
    """
    wanted = VAR / name
    if os.geteuid() != 0 or _others_can_reach(VAR):
        if wanted.is_symlink():
            wanted.unlink()
        wanted.mkdir(parents=True, exist_ok=True)
        return wanted
    key = hashlib.sha256(str(VAR).encode()).hexdigest()[:12]
    real = Path("/var/lib/zhixue") / f"{name}-{key}"
    real.mkdir(parents=True, exist_ok=True)
    real.parent.chmod(0o755)
    real.chmod(0o755)
    if not wanted.is_symlink():
        if wanted.exists():
            shutil.rmtree(wanted)
        wanted.parent.mkdir(parents=True, exist_ok=True)
        wanted.symlink_to(real)
    return real


def _es_prepare() -> None:
    home = CACHE / f"elasticsearch-{VERSIONS['ES_VERSION']}"
    if not (home / "bin/elasticsearch").exists():
        raise SystemExit(f"Elasticsearch is not installed at {home}: run ./infra/install")
    base = service_dir("es")
    conf = base / "config"
    if conf.exists():
        shutil.rmtree(conf)  # per-run copy: ES writes its keystore into the config directory
    shutil.copytree(home / "config", conf)
    for d in ("data", "logs", "tmp"):
        (base / d).mkdir(parents=True, exist_ok=True)
    _chown_to(ES_USER, conf, base / "data", base / "logs", base / "tmp")
    VAR.chmod(VAR.stat().st_mode | 0o011)  # the ES user must be able to reach its directories


def _java_home() -> str:
    for candidate in (
        os.environ.get("ZX_ES_JAVA_HOME", ""),
        "/usr/lib/jvm/java-17-openjdk-amd64",
        "/usr/lib/jvm/temurin-25-jdk-amd64",
    ):
        if candidate and Path(candidate, "bin/java").exists():
            return candidate
    raise SystemExit("no Java 17+ found for Elasticsearch: run ./infra/install")


def _es_argv() -> list[str]:
    home = CACHE / f"elasticsearch-{VERSIONS['ES_VERSION']}"
    base = service_dir("es")
    heap = os.environ.get("ZX_ES_HEAP", "512m")
    env = [
        "env",
        f"ES_JAVA_HOME={_java_home()}",
        f"ES_PATH_CONF={base / 'config'}",
        f"ES_TMPDIR={base / 'tmp'}",
        f"ES_JAVA_OPTS=-Xms{heap} -Xmx{heap}",
    ]
    cmd = [
        str(home / "bin/elasticsearch"),
        "-Ediscovery.type=single-node",
        "-Enetwork.host=127.0.0.1",
        f"-Ehttp.port={PORTS['es']}",
        f"-Etransport.port={PORTS['es_transport']}",
        "-Expack.security.enabled=false",
        "-Ecluster.routing.allocation.disk.threshold_enabled=false",
        "-Eaction.destructive_requires_name=false",
        f"-Epath.data={base / 'data'}",
        f"-Epath.logs={base / 'logs'}",
    ]
    prefix = ["runuser", "-u", ES_USER, "--"] if os.geteuid() == 0 else []
    return prefix + env + cmd


def _xattrs_work(directory: Path) -> bool:
    probe = directory / ".xattr-probe"
    try:
        probe.touch()
        os.setxattr(probe, "user.zx", b"1")
    except OSError:
        return False
    finally:
        probe.unlink(missing_ok=True)
    return True


def _s3_prepare() -> None:
    for d in ("data", "meta"):
        (VAR / "s3" / d).mkdir(parents=True, exist_ok=True)


def gunicorn_argv(bind: str, *, gunicorn: Path | None = None, workers: int = 2) -> list[str]:
    """The web service's gunicorn: 2 processes of 4 threads, keeping a connection 5 s (nginx
    lets its idle ones go after 4 s). The benchmarks start the same one."""
    return [
        str(gunicorn or venv_python().parent / "gunicorn"),
        "repo_service:create_app()",
        "--config",
        "python:repo_service.gunicorn_conf",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--worker-class",
        "gthread",
        "--timeout",
        "300",
        "--graceful-timeout",
        "20",
        "--keep-alive",
        "5",
    ]


def _s3_argv() -> list[str]:
    name, version = VERSIONS["S3_SERVER"], VERSIONS["S3_VERSION"]
    binary = CACHE / "bin" / f"{name}-{version}" / name
    if not binary.exists():
        raise SystemExit(f"{name} is not installed at {binary}: run ./infra/install")
    data = VAR / "s3" / "data"
    # The posix backend keeps object metadata in user.* xattrs; where the filesystem has
    # none (some overlay and tmpfs mounts), a sidecar directory holds it instead.
    sidecar = [] if _xattrs_work(data) else ["--sidecar", str(VAR / "s3" / "meta")]
    return [
        str(binary),
        "--port",
        f"127.0.0.1:{PORTS['s3']}",
        "--quiet",
        "--keep-alive",  # without it every response closes its connection: half the throughput
        "--health",
        "/health",
        "posix",
        *sidecar,
        str(data),
    ]


def _s3_env() -> dict[str, str]:
    env = services_env()
    return {"ROOT_ACCESS_KEY": env["ZX_S3_ACCESS_KEY"], "ROOT_SECRET_KEY": env["ZX_S3_SECRET_KEY"]}


def pg_bindir() -> Path:
    """The newest PostgreSQL server installed (Debian: /usr/lib/postgresql/<major>/bin)."""
    if os.environ.get("ZX_PG_BINDIR"):
        return Path(os.environ["ZX_PG_BINDIR"])
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not found:
        raise SystemExit(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): "
            "run ./infra/install"
        )
    return found[-1].parent


def _as_pg_user(argv: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root: root runs it as Debian's postgres system user.
    return ["runuser", "-u", PG_USER, "--", *argv] if os.geteuid() == 0 else argv


def _pg_single(data: Path, statements: list[str]) -> None:
    """Run SQL in single-user mode (no server, no connection, no authentication needed)."""
    done = subprocess.run(
        _as_pg_user([str(pg_bindir() / "postgres"), "--single", "-D", str(data), "postgres"]),
        input="".join(f"{sql}\n" for sql in statements),
        capture_output=True,
        text=True,
        check=False,
    )
    # Single-user mode exits 0 even when a statement fails; the statements (with a password)
    # are not repeated here, only the errors.
    errors = [line for line in done.stderr.splitlines() if "ERROR:" in line or "FATAL:" in line]
    if done.returncode != 0 or errors:
        raise SystemExit("PostgreSQL set-up failed: " + ("; ".join(errors) or done.stderr[-500:]))


def _pg_prepare() -> None:
    """A cluster of our own under var/postgres (never Debian's ``main``): made on first start
    (UTF8, C.UTF-8, peer authentication on its socket, SCRAM passwords over loopback) with the
    role and database ``zhixue``; the role's password follows var/services.env."""
    bindir = pg_bindir()
    base = service_dir("postgres")
    data, sockets = base / "data", base / "run"
    password = services_env()["ZX_PG_PASSWORD"]
    made = base / "initialised"
    if not made.exists():
        if data.exists():
            shutil.rmtree(data)  # an initdb that did not finish
        data.mkdir(mode=0o700, parents=True)
        _chown_to(PG_USER, data)
        done = subprocess.run(
            _as_pg_user(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--auth-local=peer",
                    "--auth-host=scram-sha-256",
                ]
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"initdb failed: {done.stderr.strip()[-500:]}")
        _pg_single(
            data,
            [
                f"CREATE ROLE {PG_ROLE} LOGIN CREATEDB PASSWORD '{password}';",
                f"CREATE DATABASE {PG_DATABASE} OWNER {PG_ROLE};",
            ],
        )
        made.write_text(hashlib.sha256(password.encode()).hexdigest())
    elif made.read_text().strip() != hashlib.sha256(password.encode()).hexdigest():
        # var/services.env was made anew: the role takes the new password.
        _pg_single(data, [f"ALTER ROLE {PG_ROLE} PASSWORD '{password}';"])
        made.write_text(hashlib.sha256(password.encode()).hexdigest())
    sockets.mkdir(mode=0o700, exist_ok=True)
    _chown_to(PG_USER, sockets)


def _pg_argv() -> list[str]:
    base = service_dir("postgres")
    return _as_pg_user(
        [
            str(pg_bindir() / "postgres"),
            "-D",
            str(base / "data"),
            "-p",
            str(PORTS["pg"]),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            f"unix_socket_directories={base / 'run'}",
            "-c",
            "max_connections=" + os.environ.get("ZX_PG_MAX_CONNECTIONS", "200"),
        ]
    )


OBS_GLOBAL_INI = """\
[General]
FirstRun=true
LastVersion=486539266
[Basic]
Profile=Zhixue
ProfileDir=Zhixue
SceneCollection=Zhixue
SceneCollectionFile=Zhixue
ConfigOnNewProfile=false
[OBSWebSocket]
FirstLoad=false
ServerEnabled=true
ServerPort={port}
AlertsEnabled=false
AuthRequired=true
ServerPassword={password}
"""

OBS_PROFILE_INI = """\
[General]
Name=Zhixue
[Video]
BaseCX=1280
BaseCY=720
OutputCX=1280
OutputCY=720
FPSType=0
FPSCommon=30
[Output]
Mode=Simple
[SimpleOutput]
FilePath={recordings}
RecFormat=mkv
VBitrate=2500
ABitrate=128
RecQuality=Stream
"""


def _obs_prepare() -> None:
    home = VAR / "obs" / "home"
    if home.exists():
        shutil.rmtree(home)  # throw-away home: no state leaks from one run to the next
    conf = home / ".config" / "obs-studio"
    (conf / "basic" / "profiles" / "Zhixue").mkdir(parents=True)
    (conf / "basic" / "scenes").mkdir(parents=True)
    recordings = VAR / "obs" / "recordings"
    recordings.mkdir(parents=True, exist_ok=True)
    env = services_env()
    (conf / "global.ini").write_text(
        OBS_GLOBAL_INI.format(port=PORTS["obs"], password=env["ZX_OBS_PASSWORD"])
    )
    (conf / "basic" / "profiles" / "Zhixue" / "basic.ini").write_text(
        OBS_PROFILE_INI.format(recordings=recordings)
    )


def _xvfb_prepare() -> None:
    lock = Path(f"/tmp/.X{DISPLAY.lstrip(':')}-lock")
    with contextlib.suppress(OSError, ValueError):
        pid = int(lock.read_text().strip())
        if _start_time(pid) is None:  # left behind by an Xvfb that died
            lock.unlink()
            Path(f"/tmp/.X11-unix/X{DISPLAY.lstrip(':')}").unlink(missing_ok=True)


def _obs_env() -> dict[str, str]:
    return {
        "HOME": str(VAR / "obs" / "home"),
        "DISPLAY": DISPLAY,
        "LIBGL_ALWAYS_SOFTWARE": "1",
        "QT_QPA_PLATFORM": "xcb",
    }


def front_server(base: Path, web_port: int, app_port: int) -> str:
    """The site's public address: nginx serves the static files (a copy under ``base``, which
    its workers can read) gzip-compressed, a year in cache when linked with their digest, and
    hands everything else to the app."""
    return f"""
  map $arg_v $zx_static_cache {{
    "" "no-cache";
    default "public, max-age=31536000, immutable";
  }}
  # Connections to the app are kept and reused (a heartbeat every 15 s from every viewer);
  # nginx lets an idle one go before gunicorn would (its --keep-alive is 5 s), so a request
  # never goes out on a connection the app is closing.
  upstream zx_app {{
    server 127.0.0.1:{app_port};
    keepalive 16;
    keepalive_timeout 4s;
  }}
  gzip on;
  gzip_comp_level 6;
  gzip_min_length 512;
  gzip_vary on;
  gzip_proxied any;
  gzip_types text/css application/javascript text/javascript application/json image/svg+xml
             application/vnd.apple.mpegurl text/plain;
  server {{
    listen 127.0.0.1:{web_port};
    client_max_body_size 64m;
    location /static/ {{
      alias {base}/static/;
      etag on;
      add_header Cache-Control $zx_static_cache;
      add_header X-Content-Type-Options nosniff;
    }}
    location / {{
      proxy_pass http://zx_app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_request_buffering off;
      proxy_buffering off;
      proxy_read_timeout 300s;
    }}
  }}
"""


def render_nginx_conf(
    base: Path,
    *,
    rtmp_port: int,
    hls_port: int,
    callback_url: str,
    callback_secret: str,
    front: tuple[int, int] | None = None,
) -> Path:
    """Write an nginx-rtmp configuration whose files all live under ``base``; with ``front``
    (web port, app port) nginx also serves the site in front of the app."""
    for d in ("hls", "tmp", "logs"):
        (base / d).mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:  # worker processes run as nobody and write the HLS fragments
        _chown_to("nobody", base / "hls", base / "tmp", group="nogroup")
    hook = f"{callback_url.rstrip('/')}/rtmp"
    user_line = "user nobody nogroup;" if os.geteuid() == 0 else ""
    conf = f"""\
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
{user_line}
daemon off;
worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/logs/error.log info;
events {{ worker_connections 256; }}

rtmp {{
  server {{
    listen 127.0.0.1:{rtmp_port};
    chunk_size 4096;
    application live {{
      live on;
      record off;
      # Publishing only from this machine; a studio PC elsewhere is allowed by its address.
      allow publish 127.0.0.1;
      deny publish all;
      allow play all;
      notify_method post;
      on_publish {hook}/on_publish?secret={callback_secret};
      on_publish_done {hook}/on_publish_done?secret={callback_secret};
      hls on;
      hls_path {base}/hls;
      hls_fragment 2s;
      hls_playlist_length 20s;
    }}
  }}
}}

http {{
  access_log {base}/logs/access.log;
  client_body_temp_path {base}/tmp/body;
  proxy_temp_path {base}/tmp/proxy;
  fastcgi_temp_path {base}/tmp/fastcgi;
  uwsgi_temp_path {base}/tmp/uwsgi;
  scgi_temp_path {base}/tmp/scgi;
  # The types of every file served here: without them nginx says text/plain, and browsers
  # refuse a style sheet or a script of that type when told not to guess (nosniff).
  types {{
    text/html html;
    text/css css;
    application/javascript js mjs;
    application/json json map;
    image/svg+xml svg;
    image/png png;
    image/jpeg jpg jpeg;
    image/webp webp;
    image/x-icon ico;
    font/woff2 woff2;
    font/woff woff;
    text/plain txt;
    text/vtt vtt;
    application/pdf pdf;
    application/vnd.apple.mpegurl m3u8;
    video/mp2t ts;
    video/iso.segment m4s;
    video/mp4 mp4;
  }}
  default_type application/octet-stream;
  server {{
    listen 127.0.0.1:{hls_port};
    location /hls/ {{
      alias {base}/hls/;
      # "always": a playlist not written yet (404) must be readable too, so players retry.
      add_header Cache-Control no-cache always;
      add_header Access-Control-Allow-Origin * always;
    }}
  }}
{front_server(base, *front) if front else ""}}}
"""
    path = base / "nginx.conf"
    path.write_text(conf)
    return path


def copy_static(base: Path) -> None:
    """The static files as deployed: a copy nginx's workers can read wherever the checkout is."""
    static = base / "static"
    if static.exists():
        shutil.rmtree(static)
    shutil.copytree(ROOT / "repo_service" / "static", static)
    for path in (static, *static.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)


def _nginx_prepare() -> None:
    env = services_env()
    base = service_dir("nginx")
    copy_static(base)
    render_nginx_conf(
        base,
        rtmp_port=PORTS["rtmp"],
        hls_port=PORTS["hls"],
        callback_url=f"http://127.0.0.1:{PORTS['app']}",
        callback_secret=env["ZX_RTMP_CALLBACK_SECRET"],
        front=(PORTS["web"], PORTS["app"]),
    )


def nginx_argv(conf: Path) -> list[str]:
    return [
        "nginx",
        "-c",
        str(conf),
        "-p",
        str(conf.parent),
        "-e",
        str(conf.parent / "logs/error.log"),
    ]


def _app_env() -> dict[str, str]:
    # Two malloc arenas: upload chunks are large, short-lived buffers handled by many threads,
    # and per-thread arenas would keep their pages after the buffers are freed.
    return {"PYTHONPATH": str(ROOT), "ZX_DATA_DIR": str(VAR), "MALLOC_ARENA_MAX": "2"}


def _database_needs() -> list[str]:
    """``postgres`` when ZX_DATABASE_URL points at the local cluster, so ``up`` starts it."""
    url = os.environ.get("ZX_DATABASE_URL", "")
    local = (f"@127.0.0.1:{PORTS['pg']}/", f"@localhost:{PORTS['pg']}/")
    return ["postgres"] if url.startswith("postgresql") and any(h in url for h in local) else []


def _web_prepare() -> None:
    """Create or upgrade the schema (and the search index when missing) before the web and the
    workers start; the command waits for a dependency that is still starting."""
    py = venv_python()
    done = subprocess.run(
        [str(py), "-m", "flask", "--app", "repo_service", "init-db"],
        cwd=ROOT,
        env={**os.environ, **_app_env()},
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit("the database set-up (flask init-db) failed: see the lines above")


@dataclass(frozen=True)
class WorkerPool:
    """A Celery worker pool run as its own service, consuming one queue.

    Short work (index updates, play counts, housekeeping) and long work (transcodes, document
    extraction, rebuilds) get separate processes, so a short task never waits for a free slot
    behind a transcode.
    """

    service: str
    queue: str
    concurrency_env: str
    default_concurrency: int
    options: tuple[str, ...]
    # Scheduling priority of the pool and everything it runs (ffmpeg): transcodes are batch
    # work, and must not starve index updates and page requests of the CPU.
    nice: int = 0

    def argv(self) -> list[str]:
        concurrency = os.environ.get(self.concurrency_env) or str(self.default_concurrency)
        return [
            *(("nice", "-n", str(self.nice)) if self.nice else ()),
            # Restarted when it ends unasked (e.g. after the broker went away), as systemd's
            # Restart=always would in production.
            sys.executable,
            str(ROOT / "infra" / "supervise.py"),
            "--",
            str(venv_python().parent / "celery"),
            "-A",
            "transcoder.worker",
            "worker",
            "-Q",
            self.queue,
            "--concurrency",
            concurrency,
            "--loglevel",
            "INFO",
            *self.options,
        ]


WORKER_POOLS = (
    WorkerPool(
        "worker-short",
        "short",
        "ZX_WORKERS_SHORT",
        2,
        (
            # Short tasks take milliseconds: taking a few at a time saves broker round trips.
            "--prefetch-multiplier",
            "4",
            "--hostname",
            "zx-short@%h",
            # Housekeeping schedule (relay the outbox, apply index marks, expire uploads, purge
            # deleted files): one beat per deployment, so only this pool runs it.
            "--beat",
            "--schedule",
            str(VAR / "celerybeat-schedule"),
        ),
    ),
    WorkerPool(
        "worker-long",
        "long",
        "ZX_WORKERS_LONG",
        2,
        (
            # A transcode runs for minutes: a slot takes one message at a time, and a free slot
            # gets the next one rather than a message reserved behind a busy slot.
            "--prefetch-multiplier",
            "1",
            "-O",
            "fair",
            "--hostname",
            "zx-long@%h",
        ),
        nice=int(os.environ.get("ZX_WORKERS_LONG_NICE", "10")),
    ),
)


SERVICES: dict[str, Service] = {
    s.name: s
    for s in [
        Service(
            "redis",
            lambda: [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(PORTS["redis"]),
                "--dir",
                str(VAR / "redis"),
                "--save",
                "60 1",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
                "--daemonize",
                "no",
            ],
            tcp_check(PORTS["redis"], b"PING\r\n", b"+PONG"),
            timeout=20,
            prepare=lambda: (VAR / "redis").mkdir(parents=True, exist_ok=True),
        ),
        Service(
            "s3",
            _s3_argv,
            http_check(f"http://127.0.0.1:{PORTS['s3']}/health", lambda status, _b: status == 200),
            timeout=30,
            env=_s3_env,
            prepare=_s3_prepare,
        ),
        Service(
            "elasticsearch",
            _es_argv,
            http_check(f"http://127.0.0.1:{PORTS['es']}/_cluster/health", es_ready),
            timeout=120,
            prepare=_es_prepare,
        ),
        Service(
            "postgres",
            _pg_argv,
            pg_check,
            timeout=60,
            prepare=_pg_prepare,
            optional=True,
            # Fast shutdown: clients are disconnected (SIGTERM would wait for them to leave).
            stop_signal=signal.SIGINT,
        ),
        Service(
            "xvfb",
            lambda: ["Xvfb", DISPLAY, "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
            lambda: (
                None
                if Path(f"/tmp/.X11-unix/X{DISPLAY.lstrip(':')}").exists()
                else f"display {DISPLAY} not ready"
            ),
            timeout=20,
            prepare=_xvfb_prepare,
        ),
        Service(
            "obs",
            lambda: ["obs", "--multi", "--minimize-to-tray", "--disable-shutdown-check"],
            tcp_check(PORTS["obs"]),
            timeout=90,
            env=_obs_env,
            prepare=_obs_prepare,
            after=["xvfb"],
        ),
        Service(
            "nginx",
            lambda: nginx_argv(service_dir("nginx") / "nginx.conf"),
            tcp_check(PORTS["web"]),
            timeout=20,
            prepare=_nginx_prepare,
        ),
        Service(
            "web",
            lambda: [*gunicorn_argv(f"127.0.0.1:{PORTS['app']}"), "--access-logfile", "-"],
            http_check(f"http://127.0.0.1:{PORTS['app']}/", lambda status, _b: status == 200),
            timeout=60,
            env=_app_env,
            prepare=_web_prepare,
            # nginx is the site's public address in front of it.
            after=["redis", "s3", "elasticsearch", "nginx", *_database_needs()],
        ),
        Service(
            "studio",
            # The studio hub: the one process holding each studio's OBS connection.
            lambda: [str(venv_python()), "-m", "studio.hub"],
            log_says("studio", "studio hub ready."),
            timeout=60,
            env=_app_env,
            # After web: its prepare step creates the schema the hub reads.
            after=["redis", "web"],
        ),
        *(
            Service(
                pool.service,
                pool.argv,
                log_says(pool.service, " ready."),
                timeout=90,
                env=_app_env,
                # After web: its prepare step creates the schema the workers read.
                after=["redis", "s3", "elasticsearch", "web"],
            )
            for pool in WORKER_POOLS
        ),
    ]
}


# --- process bookkeeping -------------------------------------------------------------------


# Processes started by this invocation; keeping them referenced lets poll() reap the ones
# that exit, so they are not mistaken for running zombies.
_STARTED: dict[str, subprocess.Popen[bytes]] = {}


def _start_time(pid: int) -> str | None:
    """The kernel's start time of a live (not zombie) process, None if there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else fields[19]


def running_pid(svc: Service) -> int | None:
    """The pid recorded for ``svc`` if that very process (same start time) still runs."""
    if svc.name in _STARTED:
        _STARTED[svc.name].poll()
    try:
        pid_s, started = svc.pidfile.read_text().split()
        pid = int(pid_s)
    except (OSError, ValueError):
        return None
    return pid if _start_time(pid) == started else None


def start(svc: Service) -> None:
    if running_pid(svc):
        return
    print(f"starting {svc.name} ...", flush=True)
    svc.prepare()
    RUN.mkdir(parents=True, exist_ok=True)
    LOG.mkdir(parents=True, exist_ok=True)
    with svc.logfile.open("ab") as logf:
        logf.write(f"{START_MARK}{time.strftime('%Y-%m-%d %H:%M:%S')} ---\n".encode())
        logf.flush()
        proc = subprocess.Popen(
            svc.argv(),
            cwd=svc.cwd,
            env={**os.environ, **svc.env()},
            stdin=subprocess.DEVNULL,
            stdout=logf,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: down stops it and its children
        )
    _STARTED[svc.name] = proc
    svc.pidfile.write_text(f"{proc.pid} {_start_time(proc.pid)}\n")


def stop(svc: Service, grace: float = 20) -> bool:
    pid = running_pid(svc)
    if pid is None:
        svc.pidfile.unlink(missing_ok=True)
        return False
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, svc.stop_signal)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and _group_alive(pid):
        time.sleep(0.2)
    if _group_alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    if svc.name in _STARTED:
        _STARTED.pop(svc.name).wait(timeout=5)
    svc.pidfile.unlink(missing_ok=True)
    return True


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A group whose members are all zombies has stopped for our purposes.
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False


def wait_ready(svc: Service) -> str | None:
    """None when ready; otherwise why not, after the service's timeout."""
    deadline = time.monotonic() + svc.timeout
    reason = "not checked"
    while time.monotonic() < deadline:
        if running_pid(svc) is None:
            return "the process exited"
        reason = svc.check() or ""
        if not reason:
            return None
        time.sleep(0.5)
    return f"not ready after {svc.timeout:g} s ({reason})"


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- commands ----------------------------------------------------------------------------------


def with_needs(names: list[str]) -> list[Service]:
    """The named services (all but the optional ones when none), plus what they need that is
    not running, in the order SERVICES lists them."""
    wanted = set(names or [name for name, svc in SERVICES.items() if not svc.optional])
    pending = list(wanted)
    while pending:
        for dep in SERVICES[pending.pop()].after:
            if dep not in wanted and running_pid(SERVICES[dep]) is None:
                wanted.add(dep)
                pending.append(dep)
    return [svc for name, svc in SERVICES.items() if name in wanted]


# Services an earlier layout started: ``up`` and ``down`` stop what is left of them, so an old
# single worker does not go on consuming the long queue beside the new pools.
RETIRED = ("worker",)


def stop_retired() -> None:
    for name in RETIRED:
        retired = Service(name, list, lambda: None)
        if stop(retired):
            print(f"stopped {name} (replaced by {', '.join(p.service for p in WORKER_POOLS)})")


def cmd_up(names: list[str]) -> int:
    services_env()
    stop_retired()
    selected = with_needs(names)
    failures: dict[str, str] = {}
    results: dict[str, str | None] = {}
    waiters: list[threading.Thread] = []

    def waiter(svc: Service) -> None:
        results[svc.name] = wait_ready(svc)

    for svc in selected:
        for dep in svc.after:  # services this one needs must be ready before it starts
            t = next((w for w in waiters if w.name == dep), None)
            if t is not None:
                t.join()
            if results.get(dep) or dep in failures:
                failures[svc.name] = f"needs {dep}, which did not start"
                break
        if svc.name in failures:
            continue
        try:
            start(svc)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - reported per service below
            failures[svc.name] = f"could not start: {type(exc).__name__}: {exc}"
            continue
        t = threading.Thread(target=waiter, args=(svc,), name=svc.name)
        t.start()
        waiters.append(t)
    for t in waiters:
        t.join()
    for name, reason in results.items():
        if reason:
            failures[name] = reason
    for svc in selected:
        if svc.name in failures:
            print(
                f"FAILED {svc.name}: {failures[svc.name]}\n  log: {svc.logfile}\n"
                + "\n".join("    " + line for line in tail(svc.logfile).splitlines()),
                file=sys.stderr,
            )
        else:
            print(f"  up   {svc.name:<14} log: {svc.logfile}")
    return 1 if failures else 0


def cmd_down(names: list[str]) -> int:
    stop_retired()
    selected = [SERVICES[n] for n in names] if names else list(SERVICES.values())
    for svc in reversed(selected):
        if stop(svc):
            print(f"stopped {svc.name}")
    return 0


def cmd_status(names: list[str]) -> int:
    selected = [SERVICES[n] for n in names] if names else list(SERVICES.values())
    bad = 0
    for svc in selected:
        pid = running_pid(svc)
        if pid is None and svc.optional and not names:
            state = f"stopped (optional: ./infra/svc up {svc.name})"
        elif pid is None:
            state = "stopped"
            bad += 1
        else:
            reason = svc.check()
            state = f"running (pid {pid})" + (f", not ready: {reason}" if reason else ", ready")
            bad += bool(reason)
        print(f"{svc.name:<14} {state}")
    return 1 if bad else 0


def cmd_logs(names: list[str], lines: int) -> int:
    selected = [SERVICES[n] for n in names] if names else list(SERVICES.values())
    for svc in selected:
        if svc.optional and not names and not svc.logfile.exists():
            continue  # never started here
        print(f"==> {svc.logfile} <==")
        print(tail(svc.logfile, lines))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="infra/svc", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("up", "down", "status", "logs"):
        p = sub.add_parser(name)
        p.add_argument("services", nargs="*", metavar="SERVICE", help=", ".join(SERVICES))
        if name == "logs":
            p.add_argument("-n", "--lines", type=int, default=40)
    args = parser.parse_args(argv)
    unknown = [n for n in args.services if n not in SERVICES]
    if unknown:
        parser.error(f"unknown service(s) {', '.join(unknown)}; known: {', '.join(SERVICES)}")
    if args.command == "up":
        return cmd_up(args.services)
    if args.command == "down":
        return cmd_down(args.services)
    if args.command == "status":
        return cmd_status(args.services)
    return cmd_logs(args.services, args.lines)


if __name__ == "__main__":
    sys.exit(main())
