"""The set-up commands wait for a service that is still starting and name one that is down in a
single line, never with a traceback: what a newcomer sees on the first ``./infra/demo``."""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from repo_service.config import load_config
from search.client import SearchClient
from tests.conftest import ROOT, free_port

pytestmark = pytest.mark.integration


def command_env(test_env: dict[str, str], database_url: str, **env: str) -> dict[str, str]:
    return {
        **os.environ,
        **test_env,
        "PYTHONPATH": str(ROOT),
        "ZX_DATABASE_URL": database_url,
        "ZX_SEARCH_INDEX_PREFIX": test_env["ZX_SEARCH_INDEX_PREFIX"] + "cli-",
        **env,
    }


def flask_command(
    test_env: dict[str, str], database_url: str, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """``flask --app repo_service ARGS`` with a database and index prefix of its own."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "repo_service", *args],
        cwd=ROOT,
        env=command_env(test_env, database_url, **env),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _relay(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes both ways until both sides have finished, then close both."""
    with client, upstream, selectors.DefaultSelector() as selector:
        peers = {client: upstream, upstream: client}
        for sock in peers:
            selector.register(sock, selectors.EVENT_READ)
        open_sides = 2
        while open_sides:
            for key, _ in selector.select(timeout=5):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                data = sock.recv(65536)
                if data:
                    peers[sock].sendall(data)
                    continue
                selector.unregister(sock)
                with contextlib.suppress(OSError):
                    peers[sock].shutdown(socket.SHUT_WR)
                open_sides -= 1


@contextlib.contextmanager
def opens_late(target: int, opened: threading.Event) -> Iterator[int]:
    """A port that refuses connections until ``opened`` is set, as a starting Elasticsearch
    does, and then leads to the real node on ``target``."""
    port = free_port()
    stop = threading.Event()

    def serve() -> None:
        while not opened.wait(0.1):
            if stop.is_set():
                return
        with socket.create_server(("127.0.0.1", port)) as server:
            server.settimeout(0.2)
            while not stop.is_set():
                try:
                    client, _ = server.accept()
                except TimeoutError:
                    continue
                upstream = socket.create_connection(("127.0.0.1", target))
                threading.Thread(target=_relay, args=(client, upstream), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        stop.set()
        thread.join(timeout=5)


def test_init_db_waits_for_a_search_node_that_is_still_starting(
    test_env: dict[str, str], own_database_url: str
) -> None:
    real = load_config()["SEARCH_URL"]
    es_port = int(real.rsplit(":", 1)[1].strip("/"))
    waiting = "等待搜索服务（Elasticsearch）启动… / waiting for search (Elasticsearch) to start ..."
    opened = threading.Event()
    with opens_late(es_port, opened) as port:
        # The node "comes up" only once the command has said it is waiting for it (however long
        # the command took to get there on a busy machine), and a second later.
        command = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "repo_service", "init-db"],
            cwd=ROOT,
            env=command_env(test_env, own_database_url, ZX_SEARCH_URL=f"http://127.0.0.1:{port}"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        err: list[str] = []

        def read_stderr() -> None:
            assert command.stderr is not None
            for line in command.stderr:
                err.append(line)
                if line.strip() == waiting:
                    threading.Timer(1.0, opened.set).start()

        reader = threading.Thread(target=read_stderr, daemon=True)
        reader.start()
        try:
            command.wait(timeout=180)  # it prints a few lines: no pipe fills up
        finally:
            opened.set()
        reader.join(timeout=10)
        assert command.stdout is not None
        out = command.stdout.read()
        command.stdout.close()
        if command.stderr is not None:
            command.stderr.close()
    done = subprocess.CompletedProcess(command.args, command.returncode, out, "".join(err))
    try:
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stdout + done.stderr
        assert (
            "等待搜索服务（Elasticsearch）启动… / waiting for search (Elasticsearch) to start ..."
            in done.stderr.splitlines()
        )
        assert "搜索服务（Elasticsearch）已就绪 / search (Elasticsearch) is ready" in done.stderr
        assert "数据库已就绪 / database is up to date" in done.stdout
        assert "搜索索引已重建 / search index rebuilt" in done.stdout
    finally:
        SearchClient(real, test_env["ZX_SEARCH_INDEX_PREFIX"] + "cli-").drop_prefixed()


def test_a_dependency_that_stays_down_ends_the_command_with_one_line(
    test_env: dict[str, str], own_database_url: str
) -> None:
    port = free_port()  # nothing listens there
    done = flask_command(
        test_env,
        own_database_url,
        "init-db",
        "--wait",
        "2",
        ZX_SEARCH_URL=f"http://127.0.0.1:{port}",
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.splitlines()[-1] == (
        "搜索服务（Elasticsearch）不可用 / search (Elasticsearch) is unavailable: "
        f"http://127.0.0.1:{port}: [Errno 111] Connection refused"
    )
    assert done.stderr.count("不可用") == 1

    stored = flask_command(
        test_env, own_database_url, "seed-demo", "--wait", "2", ZX_S3_ENDPOINT=f"127.0.0.1:{port}"
    )
    assert stored.returncode == 1
    assert stored.stderr.splitlines()[-1] == (
        f"对象存储不可用 / object storage is unavailable: 127.0.0.1:{port}: "
        "[Errno 111] Connection refused"
    )
