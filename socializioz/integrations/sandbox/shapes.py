"""Each platform's own error bodies (platforms.md §1.4, §2.2, §3.4, §4.4, §5.4), shared by the
real checks (expired token, missing scope, used code) and by injected faults."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from socializioz.domain.platforms import is_meta

from .state import Fault, Token

TOKEN_ENDPOINTS = {
    "facebook.token",
    "instagram.token",
    "instagram.exchange",
    "instagram.refresh",
    "tiktok.token",
    "x.token",
    "linkedin.token",
}


def log_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S") + secrets.token_hex(6).upper()


def graph_error(
    code: int, message: str, subcode: int | None = None, status: int = 400, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    error: dict[str, object] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": secrets.token_urlsafe(8),
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return JSONResponse({"error": error}, status_code=status, headers=headers)


def oauth_error(error: str, description: str, status: int = 400, **extra: object) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description, **extra}, status_code=status)


def tiktok_ok(data: Mapping[str, object]) -> JSONResponse:
    """TikTok's success envelope: the data and an ``ok`` error (publishing.md §3.1)."""
    return JSONResponse({"data": data, "error": {"code": "ok", "message": "", "log_id": log_id()}})


def tiktok_api_error(code: str, message: str, status: int) -> JSONResponse:
    return JSONResponse(
        {"data": {}, "error": {"code": code, "message": message, "log_id": log_id()}}, status_code=status
    )


def x_problem(
    status: int, title: str, detail: str, kind: str = "about:blank", headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"title": title, "type": kind, "status": status, "detail": detail}, status_code=status, headers=headers
    )


def linkedin_error(status: int, service_code: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"status": status, "serviceErrorCode": service_code, "code": code, "message": message}, status_code=status
    )


def _session_expired(expired_at: float, now: float) -> str:
    fmt = "%A, %d-%b-%y %H:%M:%S UTC"
    return (
        f"Error validating access token: Session has expired on "
        f"{datetime.fromtimestamp(expired_at, UTC).strftime(fmt)}. The current time is "
        f"{datetime.fromtimestamp(now, UTC).strftime(fmt)}."
    )


def invalid_token(platform: str, problem: str, token: Token | None = None, now: float = 0.0) -> Response:
    """The platform's answer to an API call with an expired, revoked or unknown token."""
    if is_meta(platform):
        if problem == "expired" and token and token.expires_at:
            return graph_error(190, _session_expired(token.expires_at, now), 463)
        if problem == "revoked":
            return graph_error(190, "Error validating access token: The user has not authorized application.", 458)
        return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
    if platform == "tiktok":
        return tiktok_api_error("access_token_invalid", "The access token is invalid or not found in the request.", 401)
    if platform == "x":
        return x_problem(401, "Unauthorized", "Unauthorized")
    if problem == "revoked":
        return linkedin_error(
            401, 65601, "REVOKED_ACCESS_TOKEN", "The token used in the request has been revoked by the user"
        )
    if problem == "expired":
        return linkedin_error(401, 65602, "EXPIRED_ACCESS_TOKEN", "The token used in the request has expired")
    return linkedin_error(401, 65600, "INVALID_ACCESS_TOKEN", "Invalid access token")


def missing_scope(platform: str, scope: str) -> Response:
    if is_meta(platform):
        return graph_error(200, f"(#200) Requires {scope} permission to manage the object", status=403)
    if platform == "tiktok":
        return tiktok_api_error("scope_not_authorized", f"The user did not authorize the scope required: {scope}.", 401)
    if platform == "x":
        return x_problem(
            403, "Forbidden", f"Missing scope: {scope}", "https://api.x.com/2/problems/not-authorized-for-resource"
        )
    return linkedin_error(403, 100, "ACCESS_DENIED", f"Not enough permissions to access: {scope}")


def rate_limited(platform: str, fault: Fault, now: float) -> Response:
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
    status = fault.status or 429
    if is_meta(platform):
        usage = '{"call_count":100,"total_cputime":40,"total_time":60}'
        return graph_error(
            4,
            "Application request limit reached",
            status=fault.status or 400,
            headers={**headers, "X-App-Usage": usage},
        )
    if platform == "tiktok":
        response = tiktok_api_error("rate_limit_exceeded", "API rate limit exceeded", status)
    elif platform == "x":
        reset = int(now) + (fault.retry_after or 900)
        return x_problem(
            status,
            "Too Many Requests",
            "Too Many Requests",
            headers={
                **headers,
                "x-rate-limit-limit": "75",
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(reset),
            },
        )
    else:
        response = linkedin_error(status, 429, "TOO_MANY_REQUESTS", "Resource level throttle limit reached")
    response.headers.update(headers)
    return response


def server_error(platform: str, status: int) -> Response:
    if is_meta(platform):
        return JSONResponse(
            {
                "error": {
                    "message": "An unexpected error has occurred. Please retry your request later.",
                    "type": "OAuthException",
                    "is_transient": True,
                    "code": 2,
                }
            },
            status_code=status,
        )
    if platform == "tiktok":
        return tiktok_api_error("internal_error", "Something went wrong. Please try again later.", status)
    if platform == "x":
        return x_problem(status, "Service Unavailable", "Service Unavailable")
    return linkedin_error(status, 500, "INTERNAL_SERVER_ERROR", "Internal Server Error")


def revoked_grant(platform: str) -> Response:
    """A token endpoint refusing a revoked grant (refresh token, long-lived token)."""
    if platform == "facebook":
        return graph_error(190, "Error validating access token: The user has not authorized application.", 458)
    if platform == "instagram":
        return graph_error(190, "Error validating access token: The user has not authorized application.")
    if platform == "tiktok":
        return oauth_error("invalid_grant", "Refresh token is invalid or expired.", log_id=log_id())
    if platform == "x":
        return oauth_error("invalid_request", "Value passed for the token was invalid.")
    return oauth_error(
        "invalid_request", "The provided authorization grant or refresh token is invalid, expired or revoked"
    )


async def render_fault(platform: str, endpoint: str, fault: Fault, now: float, timeout_seconds: float) -> Response:
    if fault.kind == "timeout":
        await asyncio.sleep(timeout_seconds)
        return Response(status_code=504)
    if fault.kind == "server_error":
        return server_error(platform, fault.status or 503)
    if fault.kind == "rate_limit":
        return rate_limited(platform, fault, now)
    if fault.kind == "malformed_json":
        return Response('{"access_token": "tru', status_code=fault.status or 200, media_type="application/json")
    if fault.kind == "html_body":
        return HTMLResponse(
            "<html><body><h1>Service temporarily unavailable</h1></body></html>", status_code=fault.status or 200
        )
    if fault.kind == "revoked_token":
        return revoked_grant(platform) if endpoint in TOKEN_ENDPOINTS else invalid_token(platform, "revoked")
    return missing_scope(platform, fault.scope or "unknown_scope")


# -- request helpers --------------------------------------------------------------------------------


def bearer(request: Request) -> str | None:
    """The access token from ``Authorization: Bearer`` or the ``access_token`` query parameter."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.query_params.get("access_token")


def basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return user, password


async def form(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items()}


def pkce_matches(verifier: str | None, challenge: str | None, method: str | None) -> bool:
    if challenge is None:
        return True
    if not verifier:
        return False
    if (method or "plain").lower() == "s256":
        digest = hashlib.sha256(verifier.encode()).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge
    return secrets.compare_digest(verifier, challenge)


def iso(epoch: float, graph: bool = False) -> str:
    dt = datetime.fromtimestamp(epoch, UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S+0000") if graph else dt.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def fields_of(request: Request, default: str = "") -> set[str]:
    """Top-level names of a Graph-style ``fields`` list (``reactions.summary(...)`` → ``reactions``)."""
    raw, names, depth, current = request.query_params.get("fields", default), set(), 0, ""
    for ch in raw + ",":
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch == "," and depth == 0:
            names.add(current.split(".")[0].split("{")[0].split("(")[0].strip())
            current = ""
        else:
            current += ch
    return {n for n in names if n}
