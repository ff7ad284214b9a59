"""OBS passwords encrypted at rest.

Fernet (AES-128-CBC + HMAC-SHA256) with a key derived from ``STUDIO_KEY`` (or, when unset, from
the application's ``SECRET_KEY``). A password stored under another key cannot be read back: the
studio then shows that its password must be entered again, rather than failing obscurely.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken


class PasswordUnreadable(ValueError):
    """The stored password was encrypted under another key."""


def _fernet(config: dict[str, Any]) -> Fernet:
    secret = config.get("STUDIO_KEY") or config["SECRET_KEY"]
    digest = hashlib.sha256(b"zhixue-studio-obs-password\0" + str(secret).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_password(config: dict[str, Any], password: str) -> str:
    if not password:
        return ""
    return _fernet(config).encrypt(password.encode()).decode()


def decrypt_password(config: dict[str, Any], token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(config).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise PasswordUnreadable("the OBS password was stored under another key") from exc
