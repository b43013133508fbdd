"""What every emulated API endpoint does first: find the token, check it, check the scope."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from .shapes import bearer, invalid_token, missing_scope
from .state import SandboxState, Token, use_tenant

Handler = Callable[[Request, SandboxState], Awaitable[Response]]
"""An emulated endpoint: the request and the sandbox's state in, the platform's answer out."""


def authenticate(
    request: Request,
    st: SandboxState,
    platform: str,
    scope: str | None = None,
    kinds: tuple[str, ...] = ("access", "short", "long", "page"),
) -> Token | Response:
    """The valid token of the request, or the platform's error response; scopes the request's
    content to the token's tenant."""
    token = st.token(bearer(request), platform)
    if token is None or token.kind not in kinds:
        return invalid_token(platform, "invalid")
    use_tenant(token.tenant)
    problem = token.state(st.now())
    if problem != "valid":
        return invalid_token(platform, problem, token, st.now())
    if scope and scope not in token.scopes:
        return missing_scope(platform, scope)
    return token
