"""QR codes drawn by the service itself: the module matrix from reportlab's encoder, and an SVG
of it to put inline in a page (no image request, nothing for the CSP to allow).

The PDF exports draw the same matrix (``competitions.exports._qr_path``), so a code on paper and
a code on a screen are one encoder's output.
"""

from __future__ import annotations

import functools
from html import escape

from reportlab.graphics.barcode.qr import QrCodeWidget

QUIET = 4  # modules of white border, as the standard asks
MAX_BYTES = 2331  # what the largest code holds at error correction level M


@functools.lru_cache(maxsize=256)
def qr_modules(value: str) -> tuple[tuple[bool, ...], ...]:
    """The dark (True) and light modules of the QR code of ``value`` at level M, row by row, top
    first, without the quiet zone. Made once per value: encoding costs some milliseconds."""
    if len(value.encode()) > MAX_BYTES:
        raise ValueError(f"二维码内容过长 / too long for a QR code: {value[:60]}…")
    widget = QrCodeWidget(value, barLevel="M")
    widget.qr.make()
    return tuple(tuple(bool(m) for m in row) for row in widget.qr.modules)


def dark_runs(row: tuple[bool, ...]) -> list[tuple[int, int]]:
    """(start, length) of each stretch of dark modules in a row."""
    runs: list[tuple[int, int]] = []
    c = 0
    while c < len(row):
        if not row[c]:
            c += 1
            continue
        start = c
        while c < len(row) and row[c]:
            c += 1
        runs.append((start, c - start))
    return runs


@functools.lru_cache(maxsize=64)
def qr_svg(value: str, label: str = "") -> str:
    """An SVG of the QR code of ``value``, quiet zone included, that scales to its box.

    One path of horizontal runs keeps it small (a long URL gives a few kilobytes); crisp edges
    keep a phone's camera from seeing grey seams between modules.
    """
    modules = qr_modules(value)
    side = len(modules) + 2 * QUIET
    d = " ".join(
        f"M{QUIET + start} {QUIET + r}h{length}v1h-{length}z"
        for r, row in enumerate(modules)
        for start, length in dark_runs(row)
    )
    title = escape(label or value)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" '
        f'class="qr" role="img" aria-label="{title}" shape-rendering="crispEdges">'
        f"<title>{title}</title>"
        f'<rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path d="{d}" fill="#000"/></svg>'
    )
