"""Errors answer in Chinese, in English when the visitor picks it; the API gives both."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_unknown_page_is_a_chinese_404_page(client: object) -> None:
    response = client.get("/no-such-page")  # type: ignore[attr-defined]
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "找不到该页面或资源" in text
    assert "not found" not in text.lower()  # English only when the visitor picks it
    english = client.get("/no-such-page?lang=en")  # type: ignore[attr-defined]
    assert english.status_code == 404
    assert "not found" in english.get_data(as_text=True).lower()
    assert "找不到该页面或资源" not in english.get_data(as_text=True)


def test_unknown_api_route_is_json(client: object) -> None:
    response = client.get("/api/v1/nothing")  # type: ignore[attr-defined]
    assert response.status_code == 404
    body = response.get_json()
    assert body["error"]["message"] == "找不到该页面或资源"
    assert body["error"]["message_en"]
