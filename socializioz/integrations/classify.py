"""Turns every provider failure into a ``ProviderError``: a kind first, then the spec's code.

The decision ladder is here, once, for all platforms: "temporary, reconnect, permission or content"
must be decided the same way everywhere (DESIGN principle 5: an outage never turns an account
amber). What differs per platform is data and two small hooks on the client class (``ErrorRules``):
its ``error_table`` of own codes, and the spec's connect-flow codes (``flow_error_code``,
``permission_error_code``). Envelopes (Graph, Instagram token, flat OAuth, TikTok, X problem
details, LinkedIn ``serviceErrorCode``) are recognised here too, since any client may meet them.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar

import httpx

from socializioz.domain.errors import ErrorKind, ProviderError

OAUTH_RECONNECT = {"invalid_grant", "invalid_token", "expired_token"}  # RFC 6749 / 6750, any platform


class Stage(str, enum.Enum):
    """Where a call sits; the connect-flow codes of the spec depend on it."""

    TOKEN_EXCHANGE = "token_exchange"
    REFRESH = "refresh"
    IDENTITY = "identity"
    READ = "read"
    PUBLISH = "publish"


@dataclass(frozen=True)
class ErrorBody:
    """The platform's own error, whatever its envelope."""

    code: str | None = None
    subcode: str | None = None
    message: str = ""
    oauth: bool = False  # a flat RFC 6749 ``{"error": "..."}`` body


@dataclass(frozen=True)
class ErrorTable:
    """A platform's own error codes, by what they mean. Read by the shared ladder (``_kind``)."""

    rate_limit: frozenset[str] = frozenset()
    temporary: frozenset[str] = frozenset()  # the platform's "try again" codes (besides 5xx)
    content: frozenset[str] = frozenset()  # the post itself was refused
    permission: frozenset[str] = frozenset()  # a scope or permission is missing
    forbidden_is_permission: bool = False  # a bare 403 means a missing scope
    reconnect: frozenset[str] = frozenset()  # the token is dead (codes)
    reconnect_subcodes: frozenset[str] = frozenset()  # ... or subcodes


class ErrorRules:
    """The per-platform hooks of the ladder; ``Provider`` inherits them and each client overrides.

    Subclasses that set ``platform`` register themselves, so ``classify_response(..., platform)``
    finds the platform's table from its name alone."""

    error_table: ClassVar[ErrorTable] = ErrorTable()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        platform = cls.__dict__.get("platform")
        if platform is not None:
            _RULES[str(getattr(platform, "value", platform))] = cls

    @classmethod
    def flow_error_code(cls, stage: Stage, kind: ErrorKind, err: ErrorBody | None, unparseable: bool) -> str | None:
        """The spec's connect-flow code for a failure at ``stage``, or None for the general rule."""
        return None

    @classmethod
    def permission_error_code(cls, missing_scope: str | None) -> str:
        return "scope_not_granted"


_RULES: dict[str, type[ErrorRules]] = {}


def rules_for(platform: str) -> type[ErrorRules]:
    """The registered client class of a platform; the bare defaults for an unknown one."""
    return _RULES.get(platform, ErrorRules)


def json_object(response: httpx.Response) -> dict[str, Any] | None:
    """The body as a JSON object, or None for HTML, truncated JSON, arrays and empty bodies."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def parse_error_body(body: Mapping[str, Any]) -> ErrorBody | None:
    """Recognise each platform's error envelope; None when the body holds no error."""
    err = body.get("error")
    if isinstance(err, dict):  # Graph envelope (Meta) or TikTok API envelope
        code = err.get("code")
        if code in (None, "ok", ""):
            return None
        sub = err.get("error_subcode")
        return ErrorBody(str(code), str(sub) if sub is not None else None, str(err.get("message", "")))
    if isinstance(err, str):
        return ErrorBody(err, None, str(body.get("error_description", "")), oauth=True)
    if "error_type" in body or "error_message" in body:  # Instagram token endpoint envelope
        return ErrorBody(
            str(body.get("error_type", "OAuthException")), str(body.get("code", "")), str(body.get("error_message", ""))
        )
    if "serviceErrorCode" in body or (isinstance(body.get("status"), int) and "message" in body):  # LinkedIn
        code = body.get("code") or body.get("serviceErrorCode") or body.get("status")
        return ErrorBody(str(code), str(body.get("serviceErrorCode")), str(body.get("message", "")))
    if "title" in body and "type" in body:  # X problem details
        return ErrorBody(str(body["type"]).rstrip("/").rsplit("/", 1)[-1], None, str(body.get("detail", "")))
    if isinstance(body.get("errors"), list) and "data" not in body and body["errors"]:
        first = body["errors"][0] if isinstance(body["errors"][0], dict) else {}
        return ErrorBody(str(first.get("code") or first.get("type") or "error"), None, str(first.get("message", "")))
    return None


_TOKENISH = re.compile(r"[A-Za-z0-9_\-.|%]{24,}")


def scrub(message: str) -> str:
    """A provider message safe to log: long token-like runs removed, length capped."""
    return _TOKENISH.sub("[redacted]", message)[:300]


def retry_after_seconds(headers: Mapping[str, str], now: float) -> float | None:
    """From Retry-After, X's x-rate-limit-reset, or Meta's estimated_time_to_regain_access."""
    value = headers.get("retry-after")
    if value:
        try:
            return max(float(value), 0.0)
        except ValueError:
            try:
                return max(parsedate_to_datetime(value).timestamp() - now, 0.0)
            except (TypeError, ValueError):
                pass
    reset = headers.get("x-rate-limit-reset")
    if reset and reset.isdigit():
        return max(float(reset) - now, 0.0)
    usage = headers.get("x-business-use-case-usage")
    if usage:
        try:
            minutes = [e.get("estimated_time_to_regain_access", 0) for v in json.loads(usage).values() for e in v]
            return float(max(minutes, default=0)) * 60 or None
        except (ValueError, AttributeError, TypeError):
            return None
    return None


APP_USAGE_WAIT_SECONDS = 600.0


def usage_wait_seconds(headers: Mapping[str, str]) -> float | None:
    """Meta's ``X-App-Usage`` / ``X-Page-Usage`` give percentages of a rolling hour, no reset time
    (publishing.md §1.8): at 100 % wait a while (a sixth of that hour) rather than retry at once."""
    for name in ("x-app-usage", "x-page-usage"):
        try:
            usage = json.loads(headers.get(name) or "{}")
            if isinstance(usage, dict) and max((float(v) for v in usage.values()), default=0.0) >= 100:
                return APP_USAGE_WAIT_SECONDS
        except (ValueError, TypeError):
            continue
    return None


def _kind(platform: str, stage: Stage, status: int, err: ErrorBody | None) -> tuple[ErrorKind, bool]:
    """(kind, is_rate_limit): the shared ladder over the status and the platform's own table."""
    code, sub, msg = (err.code, err.subcode, err.message.lower()) if err else (None, None, "")
    table = rules_for(platform).error_table
    if status == 429 or code in table.rate_limit:
        return ErrorKind.TEMPORARY, True
    if status >= 500 or code in table.temporary or code == "invalid_client":
        return ErrorKind.TEMPORARY, False
    if code in table.content:
        return ErrorKind.REJECTED_CONTENT, False
    if code in table.permission or code == "invalid_scope" or (table.forbidden_is_permission and status == 403):
        if stage is Stage.PUBLISH and "duplicate" in msg:
            return ErrorKind.REJECTED_CONTENT, False
        return ErrorKind.MISSING_PERMISSION, False
    if code in table.reconnect or sub in table.reconnect_subcodes or code in OAUTH_RECONNECT or status == 401:
        return ErrorKind.NEEDS_RECONNECT, False
    if stage is Stage.PUBLISH and 400 <= status < 500:
        return ErrorKind.REJECTED_CONTENT, False
    if stage in (Stage.TOKEN_EXCHANGE, Stage.REFRESH) and (400 <= status < 500 or err is not None):
        return ErrorKind.NEEDS_RECONNECT, False
    return ErrorKind.TEMPORARY, False


def _code(
    platform: str,
    stage: Stage,
    kind: ErrorKind,
    err: ErrorBody | None,
    *,
    unparseable: bool,
    rate_limited: bool,
    missing_scope: str | None,
) -> str:
    """The catalogue code: the spec's connect-flow code where the platform has one, else by kind."""
    rules = rules_for(platform)
    flow_code = rules.flow_error_code(stage, kind, err, unparseable)
    if flow_code:
        return flow_code
    if stage is Stage.TOKEN_EXCHANGE and kind is not ErrorKind.MISSING_PERMISSION:
        return "token_exchange_failed"
    if kind is ErrorKind.TEMPORARY:
        return "rate_limited" if rate_limited else "provider_unavailable"
    if kind is ErrorKind.NEEDS_RECONNECT:
        return "token_invalid"
    if kind is ErrorKind.MISSING_PERMISSION:
        return rules.permission_error_code(missing_scope)
    return "content_rejected"


def classify_response(
    response: httpx.Response, platform: str, stage: Stage, *, now: float, required_scope: str | None = None
) -> ProviderError:
    """Classify a failed response (non-2xx, an error body, or a body that is not JSON)."""
    body = json_object(response)
    err = parse_error_body(body) if body is not None else None
    unparseable = body is None
    kind, rate_limited = _kind(platform, stage, response.status_code, err)
    if unparseable and response.status_code < 500:
        kind = ErrorKind.TEMPORARY
    missing_scope = required_scope if kind is ErrorKind.MISSING_PERMISSION else None
    provider_code = None
    if err and err.code:
        provider_code = err.code + (f"/{err.subcode}" if err.subcode and err.subcode != "None" else "")
    detail = scrub(err.message) if err else ("unparseable response" if unparseable else "")
    return ProviderError(
        kind=kind,
        code=_code(
            platform, stage, kind, err, unparseable=unparseable, rate_limited=rate_limited, missing_scope=missing_scope
        ),
        platform=platform,
        status=response.status_code,
        retry_after=_retry_after(response.headers, now, kind, rate_limited),
        missing_scope=missing_scope,
        detail=detail,
        provider_code=provider_code,
    )


def _retry_after(headers: Mapping[str, str], now: float, kind: ErrorKind, rate_limited: bool) -> float | None:
    if kind is not ErrorKind.TEMPORARY:
        return None
    wait = retry_after_seconds(headers, now)
    return usage_wait_seconds(headers) if wait is None and rate_limited else wait


def classify_exception(exc: BaseException, platform: str, stage: Stage) -> ProviderError:
    """Network errors and timeouts: always temporary."""
    return ProviderError(
        kind=ErrorKind.TEMPORARY,
        code=_code(
            platform, stage, ErrorKind.TEMPORARY, None, unparseable=False, rate_limited=False, missing_scope=None
        ),
        platform=platform,
        detail=f"network: {type(exc).__name__}",
    )


def missing_field(platform: str, stage: Stage, code: str, what: str) -> ProviderError:
    """A 2xx response without a field we need (e.g. no access_token)."""
    kind = ErrorKind.TEMPORARY if stage is Stage.TOKEN_EXCHANGE else ErrorKind.NEEDS_RECONNECT
    return ProviderError(kind=kind, code=code, platform=platform, status=200, detail=f"response lacks {what}")


def permission_error(platform: str, scope: str, code: str | None = None) -> ProviderError:
    """A scope the user did not grant (declined in the dialog or missing from the token)."""
    return ProviderError(
        kind=ErrorKind.MISSING_PERMISSION,
        code=code
        or _code(
            platform,
            Stage.READ,
            ErrorKind.MISSING_PERMISSION,
            None,
            unparseable=False,
            rate_limited=False,
            missing_scope=scope,
        ),
        platform=platform,
        missing_scope=scope,
        detail=f"permission not granted: {scope}",
    )
