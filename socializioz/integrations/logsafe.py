"""Keeps secrets out of logs: httpx logs request URLs, and Meta's token calls carry secrets in them."""

from __future__ import annotations

import logging
import re

_SECRET_PARAMS = re.compile(
    r"((?:access_token|client_secret|code|code_verifier|fb_exchange_token|refresh_token|input_token"
    r"|appsecret_proof|token)=)[^&\s'\"]+"
)


def redact(text: str) -> str:
    return _SECRET_PARAMS.sub(r"\1[redacted]", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(a if isinstance(a, (int, float)) else redact(str(a)) for a in record.args)
        record.msg = redact(str(record.msg))
        return True


def install() -> None:
    """Idempotently attach the filter to the loggers that may print request URLs."""
    for name in ("httpx", "httpcore", "authlib", "socializioz.integrations"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
