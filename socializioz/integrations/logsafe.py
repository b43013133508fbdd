"""Keeps secrets out of logs: httpx logs request URLs, and Meta's token calls carry secrets in them.
The rules live in ``socializioz.logredact`` (one place for the whole app)."""

from __future__ import annotations

from socializioz.logredact import RedactingFilter, install, redact

__all__ = ["RedactingFilter", "install", "redact"]
