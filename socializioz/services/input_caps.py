"""Applying the length caps of ``security.input_limits`` before any parsing: too long is a
``ValidationError`` the UI can show (pen-test finding 2)."""

from __future__ import annotations

from socializioz.services.errors import ValidationError


def capped(value: object, limit: int, code: str) -> str:
    """``value`` as a string, or ValidationError(code, max=limit) when it is longer than ``limit``."""
    text = value if isinstance(value, str) else ""
    if len(text) > limit:
        raise ValidationError(code, max=limit)
    return text
