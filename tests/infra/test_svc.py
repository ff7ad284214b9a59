"""The service manager: failures name the service, its reason and its log; down is exact."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infra import svc

pytestmark = pytest.mark.unit


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(svc, "RUN", tmp_path / "run")
    monkeypatch.setattr(svc, "LOG", tmp_path / "log")
    monkeypatch.setattr(svc, "VAR", tmp_path)
    return tmp_path


def _only(monkeypatch: pytest.MonkeyPatch, *services: svc.Service) -> None:
    monkeypatch.setattr(svc, "SERVICES", {s.name: s for s in services})


def test_a_service_that_exits_is_reported_with_reason_and_log(
    sandbox: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = svc.Service(
        "broken",
        lambda: ["sh", "-c", "echo 'bind: address already in use' >&2; exit 3"],
        lambda: "not listening",
        timeout=5,
    )
    _only(monkeypatch, broken)
    assert svc.cmd_up([]) == 1
    err = capsys.readouterr().err
    assert "FAILED broken: the process exited" in err
    assert str(sandbox / "log" / "broken.log") in err
    assert "address already in use" in err


def test_a_service_never_ready_times_out_with_the_last_reason(
    sandbox: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    slow = svc.Service("slow", lambda: ["sleep", "30"], lambda: "port 1: refused", timeout=1)
    _only(monkeypatch, slow)
    assert svc.cmd_up([]) == 1
    assert "not ready after 1 s (port 1: refused)" in capsys.readouterr().err
    svc.cmd_down([])


def test_down_stops_exactly_what_up_started(sandbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = svc.Service("ours", lambda: ["sh", "-c", "sleep 60 & sleep 60"], lambda: None, timeout=5)
    _only(monkeypatch, ours)
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        assert svc.cmd_up([]) == 0
        pid = svc.running_pid(ours)
        assert pid is not None
        children = subprocess.run(
            ["pgrep", "-g", str(pid)], capture_output=True, text=True, check=True
        ).stdout.split()
        assert len(children) >= 2
        svc.cmd_down([])
        time.sleep(0.2)
        for child in children:
            assert not Path(f"/proc/{child}").exists() or _is_zombie(int(child))
        assert bystander.poll() is None, "down must not touch processes it did not start"
        assert not ours.pidfile.exists()
    finally:
        bystander.kill()
        bystander.wait()


def test_a_recycled_pid_is_not_mistaken_for_the_service(
    sandbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ghost = svc.Service("ghost", lambda: ["true"], lambda: None)
    _only(monkeypatch, ghost)
    svc.RUN.mkdir(parents=True)
    # The pid of this test process, with a start time that is not its own.
    ghost.pidfile.write_text(f"{os.getpid()} 1\n")
    assert svc.running_pid(ghost) is None
    assert svc.stop(ghost) is False


def test_short_and_long_work_run_in_two_pools_with_their_own_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ZX_WORKERS_SHORT", raising=False)
    monkeypatch.setenv("ZX_WORKERS_LONG", "3")
    short, long = svc.SERVICES["worker-short"].argv(), svc.SERVICES["worker-long"].argv()
    assert "worker" not in svc.SERVICES, "the single pool that mixed both queues is gone"

    def option(argv: list[str], name: str) -> str:
        return argv[argv.index(name) + 1]

    assert (option(short, "-Q"), option(short, "--concurrency")) == ("short", "2")
    assert (option(long, "-Q"), option(long, "--concurrency")) == ("long", "3")
    assert option(short, "--prefetch-multiplier") == "4"
    assert option(long, "--prefetch-multiplier") == "1"
    assert option(long, "-O") == "fair"
    assert (option(short, "--hostname"), option(long, "--hostname")) == (
        "zx-short@%h",
        "zx-long@%h",
    )
    # One beat per deployment, in the pool whose slots are never held for minutes.
    assert "--beat" in short
    assert "--beat" not in long
    assert option(short, "--schedule").endswith("var/celerybeat-schedule")
    assert svc.SERVICES["worker-short"].logfile.name == "worker-short.log"
    assert svc.SERVICES["worker-long"].logfile.name == "worker-long.log"


def test_the_web_and_the_workers_start_after_what_they_need() -> None:
    assert {"redis", "s3", "elasticsearch"} <= set(svc.SERVICES["web"].after)
    for pool in ("worker-short", "worker-long"):
        assert {"redis", "s3", "elasticsearch", "web"} <= set(svc.SERVICES[pool].after)
    order = list(svc.SERVICES)
    for name, service in svc.SERVICES.items():
        assert all(order.index(dep) < order.index(name) for dep in service.after), name


def test_web_workers_freeze_what_they_loaded_out_of_garbage_collection() -> None:
    import gc

    from gunicorn.config import Config

    from repo_service import gunicorn_conf

    argv = svc.SERVICES["web"].argv()
    assert argv[argv.index("--config") + 1] == "python:repo_service.gunicorn_conf"
    config = Config()
    config.set("config", "python:repo_service.gunicorn_conf")
    for key, value in vars(gunicorn_conf).items():  # as gunicorn reads the module
        if key in config.settings:
            config.set(key, value)
    assert config.post_worker_init is gunicorn_conf.post_worker_init
    before = gc.get_freeze_count()
    try:
        config.post_worker_init(None)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()


def test_the_gunicorn_master_reads_its_settings_without_loading_the_application() -> None:
    # The master only reads the settings; the workers load the application.
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, repo_service.gunicorn_conf\n"
            "print(sorted(m for m in ('flask', 'sqlalchemy', 'repo_service.app') "
            "if m in sys.modules))",
        ],
        cwd=svc.ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"
    imported = subprocess.run(
        [sys.executable, "-c", "from repo_service import create_app; print(create_app.__name__)"],
        cwd=svc.ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == "create_app"


def test_up_starts_what_a_service_needs_and_waits_for_it(
    sandbox: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = sandbox / "base-ready"
    base = svc.Service(
        "base",
        lambda: ["sh", "-c", f"sleep 1; touch {marker}; sleep 60"],
        lambda: None if marker.exists() else "starting",
        timeout=10,
    )
    seen: list[bool] = []
    app = svc.Service(
        "app",
        lambda: ["sleep", "60"],
        lambda: None,
        timeout=5,
        prepare=lambda: seen.append(marker.exists()),
        after=["base"],
    )
    _only(monkeypatch, base, app)
    try:
        assert svc.cmd_up(["app"]) == 0
        assert seen == [True], "app started before what it needs was ready"
        out = capsys.readouterr().out
        assert out.index("starting base") < out.index("starting app")
    finally:
        svc.cmd_down([])


def test_a_service_whose_need_failed_is_not_started(
    sandbox: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = svc.Service("broken", lambda: ["sh", "-c", "exit 3"], lambda: "no", timeout=5)
    app = svc.Service("app", lambda: ["sleep", "60"], lambda: None, after=["broken"])
    _only(monkeypatch, broken, app)
    assert svc.cmd_up(["app"]) == 1
    assert "FAILED app: needs broken, which did not start" in capsys.readouterr().err
    assert svc.running_pid(app) is None


def test_a_worker_is_ready_when_its_log_says_so_since_its_latest_start(sandbox: Path) -> None:
    check = svc.log_says("pool", " ready.")
    assert check() is not None
    svc.LOG.mkdir(parents=True)
    log = svc.LOG / "pool.log"
    log.write_text(f"{svc.START_MARK}2026-01-01 ---\ncelery@host ready.\n{svc.START_MARK}x ---\n")
    assert check() is not None, "a ready line from an earlier start does not count"
    with log.open("a") as f:
        f.write("[INFO/MainProcess] zx-long@host ready.\n")
    assert check() is None


def test_nginx_config_points_callbacks_at_the_service(tmp_path: Path) -> None:
    conf = svc.render_nginx_conf(
        tmp_path,
        rtmp_port=1935,
        hls_port=8080,
        callback_url="http://127.0.0.1:5080/",
        callback_secret="s3",
    ).read_text()
    assert "on_publish http://127.0.0.1:5080/rtmp/on_publish?secret=s3;" in conf
    assert "listen 127.0.0.1:1935;" in conf
    assert "listen 127.0.0.1:8080;" in conf
    check = subprocess.run(
        [
            "nginx",
            "-t",
            "-c",
            str(tmp_path / "nginx.conf"),
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "logs/error.log"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_an_optional_service_starts_only_when_named(
    sandbox: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = svc.Service("base", lambda: ["sleep", "60"], lambda: None, timeout=5)
    extra = svc.Service("extra", lambda: ["sleep", "60"], lambda: None, timeout=5, optional=True)
    _only(monkeypatch, base, extra)
    try:
        assert svc.cmd_up([]) == 0
        assert svc.running_pid(base) is not None
        assert svc.running_pid(extra) is None, "a bare up must leave an optional service alone"
        assert svc.cmd_status([]) == 0, "a stopped optional service is not a failure"
        assert "extra          stopped (optional: ./infra/svc up extra)" in capsys.readouterr().out
        assert svc.cmd_status(["extra"]) == 1, "unless it is asked about by name"
        assert svc.cmd_up(["extra"]) == 0
        assert svc.running_pid(extra) is not None
    finally:
        svc.cmd_down([])
    assert svc.running_pid(extra) is None


def test_postgres_is_optional_on_loopback_with_a_generated_password(
    sandbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(svc, "service_dir", lambda name: sandbox / name)
    pg = svc.SERVICES["postgres"]
    assert pg.optional
    argv = pg.argv()
    assert "listen_addresses=127.0.0.1" in argv
    assert argv[argv.index("-p") + 1] == str(svc.PORTS["pg"])
    assert argv[argv.index("-D") + 1] == str(sandbox / "postgres" / "data")
    if os.geteuid() == 0:
        assert argv[:4] == ["runuser", "-u", "postgres", "--"]
    env = svc.services_env()
    assert env["ZX_PG_URL"] == (
        f"postgresql+psycopg://zhixue:{env['ZX_PG_PASSWORD']}@127.0.0.1:{svc.PORTS['pg']}/zhixue"
    )
    assert len(env["ZX_PG_PASSWORD"]) >= 32
    assert svc.services_env()["ZX_PG_PASSWORD"] == env["ZX_PG_PASSWORD"], "generated once"
    # The web needs it (and up starts it) only when the application is pointed at it.
    monkeypatch.setenv("ZX_DATABASE_URL", env["ZX_PG_URL"])
    assert svc._database_needs() == ["postgres"]
    monkeypatch.setenv("ZX_DATABASE_URL", f"sqlite:///{sandbox / 'zhixue.db'}")
    assert svc._database_needs() == []
