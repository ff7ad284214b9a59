"""Failures of processing, told apart: bad media is permanent, a storage hiccup is transient."""

from __future__ import annotations


class ProcessingError(Exception):
    def __init__(self, message: str, message_en: str, stderr_tail: str | None = None) -> None:
        super().__init__(message_en)
        self.message = message
        self.message_en = message_en
        self.stderr_tail = stderr_tail


class BadMedia(ProcessingError):
    """The file itself is refused: retrying cannot help."""


class TransientFailure(ProcessingError):
    """Storage, database or resources failed for now: retry with backoff."""
