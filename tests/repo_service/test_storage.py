"""Object storage wrapper against the real S3 server."""

from __future__ import annotations

import hashlib
import os
import random

import pytest
import requests
from flask import Flask

pytestmark = pytest.mark.integration

MiB = 1024 * 1024


def test_round_trip_put_get_stat_delete(app: Flask) -> None:
    storage = app.extensions["storage"]
    body = "社区教育微课 round trip ✓".encode()
    stored = storage.put("originals", "t/round-trip.txt", body, content_type="text/plain")
    assert stored.size == len(body)
    assert storage.get_bytes("originals", "t/round-trip.txt") == body
    st = storage.stat("originals", "t/round-trip.txt")
    assert (st.size, st.content_type) == (len(body), "text/plain")
    storage.delete("originals", "t/round-trip.txt")
    assert not storage.exists("originals", "t/round-trip.txt")


def test_20mb_multipart_upload_out_of_order(app: Flask) -> None:
    storage = app.extensions["storage"]
    data = os.urandom(20 * MiB)
    part_size = 5 * MiB
    chunks = [data[i : i + part_size] for i in range(0, len(data), part_size)]
    key = "t/multipart.bin"
    upload_id = storage.multipart_start("originals", key, "application/octet-stream")
    order = list(range(len(chunks)))
    random.Random(7).shuffle(order)
    etags = {}
    for index in order:  # parts arrive in any order, as chunks from a browser do
        etags[index + 1] = storage.multipart_put_part(
            "originals", key, upload_id, index + 1, chunks[index]
        )
    listed = storage.multipart_parts("originals", key, upload_id)
    assert sorted(p.part_number for p in listed) == [1, 2, 3, 4]
    storage.multipart_complete("originals", key, upload_id, list(etags.items()))
    assert storage.stat("originals", key).size == 20 * MiB
    digest = hashlib.sha256()
    for chunk in storage.iter_chunks("originals", key):
        digest.update(chunk)
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


def test_aborted_multipart_leaves_no_object(app: Flask) -> None:
    storage = app.extensions["storage"]
    key = "t/aborted.bin"
    upload_id = storage.multipart_start("originals", key, "application/octet-stream")
    storage.multipart_put_part("originals", key, upload_id, 1, os.urandom(5 * MiB))
    storage.multipart_abort("originals", key, upload_id)
    assert not storage.exists("originals", key)


def test_presigned_get_is_fetched_over_http_with_the_original_name(app: Flask) -> None:
    storage = app.extensions["storage"]
    body = os.urandom(64 * 1024)
    storage.put("originals", "t/presigned.bin", body)
    url = storage.presigned_get(
        "originals", "t/presigned.bin", seconds=60, download_name="江宁 微课 第1讲.mp4"
    )
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert response.content == body
    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''%E6%B1%9F%E5%AE%81" in disposition
    tampered = url.replace("X-Amz-Signature=", "X-Amz-Signature=0")
    assert requests.get(tampered, timeout=10).status_code == 403
