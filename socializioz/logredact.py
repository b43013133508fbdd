"""Secrets never reach a log line (pen-test finding 9): Reflex logs a whole websocket event (the
session cookie in its headers, a password in its payload) when it cannot route it, and httpx logs
request URLs. One filter, installed at app start on the root logger and on the handlers of
Reflex, uvicorn and granian, rewrites every record's message, arguments and traceback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

# Names whose values are secrets: ours (session cookie, sign-in ticket, passwords) and OAuth's.
SECRET_NAMES = (
    r"\w*password\w*|sz_session|ticket|access_token|refresh_token|client_secret|code_verifier|code"
    r"|fb_exchange_token|input_token|appsecret_proof|page_access_token|token"
)
_QUOTED = re.compile(
    rf"""(?P<q>["'])(?P<name>{SECRET_NAMES}|cookie)(?P=q)(?P<sep>\s*:\s*)(?P<vq>["'])(?:\\.|(?!(?P=vq)).)*(?P=vq)""",
    re.I,
)
_PAIR = re.compile(rf"""(?<![\w-])(?P<name>{SECRET_NAMES})(?P<sep>=)[^&\s'";,]+""", re.I)
_COOKIE_HEADER = re.compile(r"(?P<name>cookie)(?P<sep>:\s*)[^\r\n'\"]+", re.I)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    text = _QUOTED.sub(lambda m: f"{m['q']}{m['name']}{m['q']}{m['sep']}{m['vq']}{REDACTED}{m['vq']}", text)
    text = _COOKIE_HEADER.sub(lambda m: f"{m['name']}{m['sep']}{REDACTED}", text)
    return _PAIR.sub(lambda m: f"{m['name']}={REDACTED}", text)


class RedactingFilter(logging.Filter):
    """Formats the record once, redacts it, and keeps only the safe text (args and traceback too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record still gets logged, redacted
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
            record.exc_info = None
        return True


_FILTER = RedactingFilter()
SERVER_LOGGERS = (
    "",
    "reflex",
    "reflex_base",
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "granian",
    "_granian",
    "granian.access",
    "socketio",
    "engineio",
    "httpx",
    "httpcore",
    "authlib",
    "sqlalchemy",
)


def _redacting_factory(make: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        _FILTER.filter(record)
        return record

    factory.redacts = True  # type: ignore[attr-defined]  # a marker attribute install() looks for
    return factory


def install() -> None:
    """Idempotent. Every record is redacted where it is made (a record factory: covers loggers and
    handlers configured later, e.g. by the server at startup); the filter also sits on those loggers
    and their current handlers, for records built by hand."""
    if not getattr(logging.getLogRecordFactory(), "redacts", False):
        logging.setLogRecordFactory(_redacting_factory(logging.getLogRecordFactory()))
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        for target in (logger, *logger.handlers):
            if _FILTER not in target.filters:
                target.addFilter(_FILTER)
