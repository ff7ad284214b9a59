"""nginx in front of the app, as the bundled set-up runs it: static files compressed and cached
by nginx itself, everything else handed to the app."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from infra.svc import copy_static, nginx_argv, render_nginx_conf
from tests.conftest import free_port

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def front(live_server: str) -> Iterator[str]:
    base = Path(tempfile.mkdtemp(prefix="zx-front-"))
    base.chmod(0o755)  # nginx workers run as nobody
    copy_static(base)
    web = free_port()
    conf = render_nginx_conf(
        base,
        rtmp_port=free_port(),
        hls_port=free_port(),
        callback_url=live_server,
        callback_secret="s",
        front=(web, int(live_server.rsplit(":", 1)[1])),
    )
    log = (base / "logs" / "stdout.log").open("wb")
    proc = subprocess.Popen(nginx_argv(conf), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", web), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nginx did not start: see {base / 'logs'}", pytrace=False)
            time.sleep(0.2)
    yield f"http://127.0.0.1:{web}"
    proc.terminate()
    proc.wait(timeout=10)
    log.close()
    shutil.rmtree(base, ignore_errors=True)


def test_nginx_serves_static_files_compressed_and_cached_and_passes_pages_to_the_app(
    front: str,
) -> None:
    home = requests.get(front + "/", timeout=10)
    assert home.status_code == 200
    assert "智学江宁" in home.text
    assert "Content-Security-Policy" in home.headers  # the app's own answer, passed through
    script = re.search(r'src="(/static/vendor/hls\.min\.js\?v=[0-9a-f]{12})"', home.text)
    css = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]{12})"', home.text)
    assert css is not None
    for address in [css.group(1), *([script.group(1)] if script else [])]:
        served = requests.get(front + address, headers={"Accept-Encoding": "gzip"}, timeout=10)
        assert served.status_code == 200
        assert served.headers["Server"].startswith("nginx")
        assert served.headers["Content-Encoding"] == "gzip"
        assert "max-age=31536000" in served.headers["Cache-Control"]
        assert served.headers["X-Content-Type-Options"] == "nosniff"
    bare = requests.get(
        front + "/static/vendor/hls.min.js", headers={"Accept-Encoding": "gzip"}, timeout=10
    )
    assert bare.headers["Content-Encoding"] == "gzip"
    assert bare.headers["Cache-Control"] == "no-cache"
    assert len(bare.content) > 500_000  # requests undoes the gzip; the file itself is whole
    # Uploads and API calls pass through with their bodies.
    browser = requests.Session()
    token = browser.get(front + "/api/v1/session", timeout=10).json()["csrf_token"]
    api = browser.post(
        front + "/api/v1/session",
        json={"username": "x", "password": "y"},
        headers={"X-CSRF-Token": token},
        timeout=10,
    )
    assert api.status_code == 401
    assert api.json()["error"]["message"]
