"""Validation of account input, shared by the pages and the JSON API."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from repo_service.accounts.models import STREETS
from repo_service.errors import InvalidInput

MOBILE = re.compile(r"1[3-9]\d{9}")
REAL_NAME = re.compile(r"[\u4e00-\u9fff·A-Za-z ]{2,30}")


def text(data: dict[str, Any], name: str, zh: str, en: str, *, max_len: int = 100) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"请填写{zh}", f"{en} is required", field=name)
    value = value.strip()
    if len(value) > max_len or "\x00" in value:
        raise InvalidInput(
            f"{zh}不能超过 {max_len} 个字符",
            f"{en} must be at most {max_len} characters",
            field=name,
        )
    return value


@dataclass(frozen=True)
class Registration:
    real_name: str
    mobile: str
    street: str
    community: str
    birth_year: int
    password: str
    employed: bool | None = None


def parse_registration(data: dict[str, Any]) -> Registration:
    real_name = text(data, "real_name", "真实姓名", "Real name", max_len=30)
    if not REAL_NAME.fullmatch(real_name):
        raise InvalidInput(
            "请填写真实姓名（2–30 个汉字或字母）",
            "Enter your real name (2–30 letters)",
            field="real_name",
        )
    mobile = text(data, "mobile", "手机号码", "Mobile number", max_len=11)
    if not MOBILE.fullmatch(mobile):
        raise InvalidInput(
            "手机号码应为 11 位数字，以 1 开头",
            "A mobile number has 11 digits and starts with 1",
            field="mobile",
        )
    street = text(data, "street", "所在街道", "Street", max_len=10)
    if street not in STREETS:
        raise InvalidInput("请选择所在街道", "Choose your street from the list", field="street")
    community = text(data, "community", "所在社区（村）", "Community or village", max_len=100)
    raw_year = str(data.get("birth_year", "")).strip()
    this_year = dt.datetime.now(dt.UTC).year
    if not raw_year.isdigit() or not 1900 <= int(raw_year) <= this_year:
        raise InvalidInput(
            f"出生年份应在 1900–{this_year} 之间",
            f"Birth year must be between 1900 and {this_year}",
            field="birth_year",
        )
    password = data.get("password")
    if not isinstance(password, str):
        raise InvalidInput("请设置密码", "A password is required", field="password")
    return Registration(
        real_name, mobile, street, community, int(raw_year), password, parse_employed(data)
    )


def parse_employed(data: dict[str, Any]) -> bool | None:
    """在职 (yes), 不在职 (no) or not said (empty): the continuing-education target counts the
    people in work."""
    raw = data.get("employed")
    if raw in (None, ""):
        return None
    if raw in (True, "yes", "true", "1"):
        return True
    if raw in (False, "no", "false", "0"):
        return False
    raise InvalidInput(
        "在职情况应为“在职”或“不在职”", "employed must be yes, no or empty", field="employed"
    )
