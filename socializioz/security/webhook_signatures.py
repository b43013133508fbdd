"""Meta's webhook signature (reference/engagement.md §4.2): ``X-Hub-Signature-256: sha256=<hex>``,
an HMAC-SHA256 of the raw body bytes keyed with the app secret, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

PREFIX = "sha256="


def meta_signature(secret: str, body: bytes) -> str:
    """The header value Meta sends for ``body`` (the sandbox signs its deliveries with it)."""
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_meta_signature(header: str | None, body: bytes, secrets: Iterable[str]) -> bool:
    """True when ``header`` is the signature of exactly these bytes under one of the app secrets
    (the Facebook app and the Instagram-Login app each sign with their own)."""
    if not header or not header.startswith(PREFIX):
        return False
    given = header.strip().lower().encode()
    matched = False
    for secret in secrets:
        if secret and hmac.compare_digest(given, meta_signature(secret, body).encode()):
            matched = True  # keep comparing: the time taken does not say which secret matched
    return matched
