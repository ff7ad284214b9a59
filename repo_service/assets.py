"""Static files: fingerprinted addresses, gzip, and a year in every cache.

Pages link ``asset('js/site.js')`` → ``/static/js/site.js?v=<digest>``. An address with the
file's current digest never changes meaning, so it is cached for a year (``immutable``); any
other address of a static file must be checked again (``no-cache``, with an ETag). Text assets
(scripts, styles, SVG, JSON) are sent gzip-compressed to clients that accept it, compressed once
per file version and kept in memory. In the bundled set-up nginx in front serves the same files
the same way; the web process doing it too keeps a bare deployment fast.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, request, url_for
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
COMPRESSIBLE = frozenset({".js", ".css", ".svg", ".json", ".map", ".txt", ".html"})


@dataclass(frozen=True)
class Asset:
    path: Path
    mtime_ns: int
    size: int
    digest: str  # first 12 hex digits of the SHA-256
    mimetype: str


class AssetStore:
    """Digests and compressed bodies of the files under one static folder, by file version."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._assets: dict[str, Asset] = {}
        self._gzipped: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()

    def find(self, filename: str) -> Asset:
        joined = safe_join(self.root, filename)
        if joined is None:
            raise NotFound()
        try:
            stat = os.stat(joined)
        except OSError:
            raise NotFound() from None
        if not os.path.isfile(joined):
            raise NotFound()
        known = self._assets.get(filename)
        if known is not None and (known.mtime_ns, known.size) == (stat.st_mtime_ns, stat.st_size):
            return known
        data = Path(joined).read_bytes()
        mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        if mimetype.startswith("text/") or mimetype in ("application/javascript", "image/svg+xml"):
            mimetype += "; charset=utf-8"
        asset = Asset(
            Path(joined),
            stat.st_mtime_ns,
            stat.st_size,
            hashlib.sha256(data).hexdigest()[:12],
            mimetype,
        )
        with self._lock:
            self._assets[filename] = asset
        return asset

    def gzipped(self, filename: str, asset: Asset) -> bytes:
        key = (filename, asset.digest)
        body = self._gzipped.get(key)
        if body is None:
            body = gzip.compress(asset.path.read_bytes(), compresslevel=9, mtime=0)
            with self._lock:
                self._gzipped[key] = body
        return body


def _accepts_gzip() -> bool:
    accepted = request.headers.get("Accept-Encoding", "")
    return any(part.split(";")[0].strip() == "gzip" for part in accepted.split(","))


def init_assets(app: Flask) -> None:
    assert app.static_folder is not None
    store = AssetStore(app.static_folder)
    app.extensions["assets"] = store

    def static(filename: str) -> Response:
        asset = store.find(filename)
        compress = asset.path.suffix in COMPRESSIBLE and _accepts_gzip()
        etag = asset.digest + ("-gz" if compress else "")
        if request.if_none_match.contains(etag):
            response = Response(status=304)
        elif compress:
            response = Response(store.gzipped(filename, asset), mimetype=asset.mimetype)
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = Response(asset.path.read_bytes(), mimetype=asset.mimetype)
        response.set_etag(etag)
        if asset.path.suffix in COMPRESSIBLE:
            response.vary.add("Accept-Encoding")
        if request.args.get("v") == asset.digest:
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
        return response

    app.view_functions["static"] = static

    def asset(filename: str) -> str:
        """The address of a static file with its digest: cached for a year, changed with it."""
        return url_for("static", filename=filename, v=store.find(filename).digest)

    app.jinja_env.globals["asset"] = asset
