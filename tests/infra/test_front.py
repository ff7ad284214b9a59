"""nginx in front of the app, as the bundled set-up runs it: static files compressed and cached
by nginx itself, everything else handed to the app."""

from __future__ import annotations

import re

import pytest
import requests

pytestmark = pytest.mark.integration


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
    icon = re.search(r'href="(/static/favicon\.svg\?v=[0-9a-f]{12})"', home.text)
    assert icon is not None
    kinds = {css.group(1): "text/css", icon.group(1): "image/svg+xml"}
    if script:
        kinds[script.group(1)] = "application/javascript"
    for address, kind in kinds.items():
        served = requests.get(front + address, headers={"Accept-Encoding": "gzip"}, timeout=10)
        assert served.status_code == 200
        # Under nosniff a browser refuses a style sheet or script of another type.
        assert served.headers["Content-Type"].split(";")[0] == kind, address
        assert served.headers["Server"].startswith("nginx")
        if kind != "image/svg+xml":  # the icon is smaller than what is worth compressing
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
