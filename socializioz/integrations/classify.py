"""Turns every provider failure into a ``ProviderError``: a kind first, then the spec's code.

One place for all five platforms, because the error *shapes* differ (Graph envelope, Instagram
token envelope, flat OAuth errors, TikTok's ``data``/``error`` envelope, X problem details,
LinkedIn ``serviceErrorCode``) but the decision "temporary, reconnect, permission or content"
must be the same everywhere (DESIGN principle 5: an outage never turns an account amber).
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Mapping

import httpx

from socializioz.domain.errors import ErrorKind, ProviderError

META = ("facebook", "instagram")
META_RATE_LIMIT_CODES = {"4", "17", "32", "613", "80001", "341"}
META_RECONNECT_CODES = {"190", "102"}
META_CODE_EXPIRED_SUBCODES = {"36007", "36008", "36009"}  # code expired / redirect mismatch / reused
META_CONTENT_CODES = {"368", "506"}
TIKTOK_RATE_LIMIT = {"rate_limit_exceeded"}
TIKTOK_RECONNECT = {"access_token_invalid"}
TIKTOK_PERMISSION = {"scope_not_authorized", "scope_permission_missed"}
TIKTOK_TEMPORARY = {"internal_error"}
LINKEDIN_RECONNECT = {"INVALID_ACCESS_TOKEN", "REVOKED_ACCESS_TOKEN", "EXPIRED_ACCESS_TOKEN", "65600", "65601", "65602"}
X_RATE_LIMIT_TYPES = {"rate-limit-exceeded", "usage-capped"}
OAUTH_RECONNECT = {"invalid_grant", "invalid_token", "expired_token"}


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


def json_object(response: httpx.Response) -> dict | None:
    """The body as a JSON object, or None for HTML, truncated JSON, arrays and empty bodies."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def parse_error_body(body: Mapping) -> ErrorBody | None:
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
        return ErrorBody(str(body.get("error_type", "OAuthException")), str(body.get("code", "")),
                         str(body.get("error_message", "")))
    if "serviceErrorCode" in body:  # LinkedIn
        code = body.get("code") or body.get("serviceErrorCode")
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


def _kind(platform: str, stage: Stage, status: int, err: ErrorBody | None) -> tuple[ErrorKind, bool]:
    """(kind, is_rate_limit) from the status and the platform's own code."""
    code, sub, msg = (err.code, err.subcode, err.message.lower()) if err else (None, None, "")
    meta = platform in META
    if status == 429 or (meta and code in META_RATE_LIMIT_CODES) or code in TIKTOK_RATE_LIMIT or (
        platform == "x" and code in X_RATE_LIMIT_TYPES
    ):
        return ErrorKind.TEMPORARY, True
    if status >= 500 or code in TIKTOK_TEMPORARY:
        return ErrorKind.TEMPORARY, False
    if code == "invalid_client" or (meta and code in {"1", "2", "101"}):
        return ErrorKind.TEMPORARY, False
    if meta and code in META_CONTENT_CODES:
        return ErrorKind.REJECTED_CONTENT, False
    permission = (
        (meta and code is not None and code.isdigit() and (code == "10" or 200 <= int(code) <= 299))
        or code in TIKTOK_PERMISSION or code == "invalid_scope"
        or (platform in ("linkedin", "x") and status == 403)
    )
    if permission:
        if stage is Stage.PUBLISH and "duplicate" in msg:
            return ErrorKind.REJECTED_CONTENT, False
        return ErrorKind.MISSING_PERMISSION, False
    reconnect = (
        (meta and (code in META_RECONNECT_CODES or sub in META_CODE_EXPIRED_SUBCODES))
        or (meta and code == "OAuthException")  # Instagram token envelope: code not found / used
        or code in OAUTH_RECONNECT or code in TIKTOK_RECONNECT or code in LINKEDIN_RECONNECT
        or sub in LINKEDIN_RECONNECT or status == 401
    )
    if reconnect:
        return ErrorKind.NEEDS_RECONNECT, False
    if stage is Stage.PUBLISH and 400 <= status < 500:
        return ErrorKind.REJECTED_CONTENT, False
    if stage in (Stage.TOKEN_EXCHANGE, Stage.REFRESH) and (400 <= status < 500 or err is not None):
        return ErrorKind.NEEDS_RECONNECT, False
    return ErrorKind.TEMPORARY, False


def _code(platform: str, stage: Stage, kind: ErrorKind, err: ErrorBody | None, *, unparseable: bool,
          rate_limited: bool, missing_scope: str | None) -> str:
    """The catalogue code: the spec's connect-flow code where it has one, else by kind."""
    if stage is Stage.TOKEN_EXCHANGE:
        if platform == "x":
            if err and err.code == "invalid_client":
                return "invalid_client"
            return "token_parse_failed" if unparseable else "x_token_error"
        if platform == "tiktok":
            if unparseable:
                return "invalid_token_response"
            if err and err.oauth:
                return err.code  # passed through (spec: TikTok errors)
            return "token_exchange_failed"
        if platform == "linkedin":
            return "linkedin_token_error"
        if kind is not ErrorKind.MISSING_PERMISSION:
            return "token_exchange_failed"
    if stage is Stage.IDENTITY and platform == "linkedin" and kind is not ErrorKind.NEEDS_RECONNECT:
        return "linkedin_profile_error"
    if kind is ErrorKind.TEMPORARY:
        return "rate_limited" if rate_limited else "provider_unavailable"
    if kind is ErrorKind.NEEDS_RECONNECT:
        return "token_invalid"
    if kind is ErrorKind.MISSING_PERMISSION:
        if platform in META:
            return "missing_pages_manage_posts" if missing_scope == "pages_manage_posts" else "missing_permission"
        return "scope_not_granted"
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
        code=_code(platform, stage, kind, err, unparseable=unparseable, rate_limited=rate_limited,
                   missing_scope=missing_scope),
        platform=platform,
        status=response.status_code,
        retry_after=retry_after_seconds(response.headers, now) if kind is ErrorKind.TEMPORARY else None,
        missing_scope=missing_scope,
        detail=detail,
        provider_code=provider_code,
    )


def classify_exception(exc: BaseException, platform: str, stage: Stage) -> ProviderError:
    """Network errors and timeouts: always temporary."""
    return ProviderError(
        kind=ErrorKind.TEMPORARY,
        code=_code(platform, stage, ErrorKind.TEMPORARY, None, unparseable=False, rate_limited=False,
                   missing_scope=None),
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
        code=code or _code(platform, Stage.READ, ErrorKind.MISSING_PERMISSION, None, unparseable=False,
                           rate_limited=False, missing_scope=scope),
        platform=platform,
        missing_scope=scope,
        detail=f"permission not granted: {scope}",
    )
