"""Opaque random tokens for the browser; the database keeps only their SHA-256."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(raw: str) -> str:
    """What the database stores: a leaked table row cannot be replayed as a cookie or ticket."""
    return hashlib.sha256(raw.encode()).hexdigest()
