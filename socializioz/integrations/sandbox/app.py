"""``build_sandbox_app``: every emulated host under ``/<real host>/<real path>``, plus control."""

from __future__ import annotations

import json
from typing import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import linkedin, meta, tiktok, x
from .clock import SandboxClock
from .consent import authorize
from .control import control
from .options import SandboxOptions
from .shapes import render_fault
from .state import SandboxState

Handler = Callable[[Request, SandboxState], Awaitable[Response]]
GRAPH_CALLS_PER_HOUR = 200  # for the X-App-Usage percentage (values are not published)


async def _run(st: SandboxState, platform: str, key: str, handler: Handler, request: Request) -> Response:
    fault = st.take_fault(key)
    if fault:
        return await render_fault(platform, key, fault, st.now(), st.options.timeout_fault_seconds)
    return await handler(request, st)


def _api(st: SandboxState, path: str, platform: str, key: str, handler: Handler, methods: list[str]) -> Route:
    async def endpoint(request: Request) -> Response:
        return await _run(st, platform, key, handler, request)
    return Route(path, endpoint, methods=methods)


def _graph(st: SandboxState, host: str, platform: str, route_fn) -> Route:
    """A Graph host: one dispatcher, usage headers on every answer (platforms.md §1.7)."""
    async def endpoint(request: Request) -> Response:
        key, handler = route_fn(request)
        response = await _run(st, platform, key, handler, request)
        count, _ = st.count_call(platform, "app", 3600)
        usage = {"call_count": min(100, count * 100 // GRAPH_CALLS_PER_HOUR), "total_cputime": 1, "total_time": 1}
        if platform == "facebook":
            response.headers.setdefault("X-App-Usage", json.dumps(usage))
        else:
            response.headers.setdefault("X-Business-Use-Case-Usage", json.dumps(
                {"0": [{"type": "instagram", **usage, "estimated_time_to_regain_access": 0}]}))
        return response
    return Route(f"/{host}/{{path:path}}", endpoint, methods=["GET", "POST", "DELETE"])


def _consent(st: SandboxState, path: str, platform: str) -> Route:
    async def endpoint(request: Request) -> Response:
        return await authorize(request, st, platform)
    return Route(path, endpoint, methods=["GET", "POST"])


def build_sandbox_app(clock: SandboxClock | None = None, control_enabled: bool = False,
                      options: SandboxOptions | None = None) -> Starlette:
    """The sandbox as an ASGI app; ``app.state.sandbox`` is the in-process handle on its state."""
    st = SandboxState(clock, options)

    async def control_endpoint(request: Request) -> Response:
        return await control(request, st, control_enabled)

    routes = [
        _consent(st, "/www.facebook.com/{version}/dialog/oauth", "facebook"),
        _consent(st, "/www.facebook.com/dialog/oauth", "facebook"),
        _graph(st, "graph.facebook.com", "facebook", meta.facebook_route),
        _consent(st, "/www.instagram.com/oauth/authorize", "instagram"),
        _consent(st, "/api.instagram.com/oauth/authorize", "instagram"),
        _api(st, "/api.instagram.com/oauth/access_token", "instagram", "instagram.token", meta.ig_token, ["POST"]),
        _graph(st, "graph.instagram.com", "instagram", meta.instagram_route),
        _consent(st, "/www.tiktok.com/v2/auth/authorize/", "tiktok"),
        _api(st, "/open.tiktokapis.com/v2/oauth/token/", "tiktok", "tiktok.token", tiktok.token, ["POST"]),
        _api(st, "/open.tiktokapis.com/v2/user/info/", "tiktok", "tiktok.user_info", tiktok.user_info, ["GET"]),
        _api(st, "/open.tiktokapis.com/v2/video/list/", "tiktok", "tiktok.video_list", tiktok.video_list, ["POST"]),
        _api(st, "/open.tiktokapis.com/v2/post/publish/video/init/", "tiktok", "tiktok.publish", tiktok.publish, ["POST"]),
        _consent(st, "/x.com/i/oauth2/authorize", "x"),
        _consent(st, "/twitter.com/i/oauth2/authorize", "x"),
        *(_api(st, f"/{host}/2/oauth2/token", "x", "x.token", x.token, ["POST"]) for host in ("api.x.com", "api.twitter.com")),
        _api(st, "/api.x.com/2/users/me", "x", "x.users_me", x.users_me, ["GET"]),
        _api(st, "/api.x.com/2/users/{user_id}/tweets", "x", "x.tweets", x.user_tweets, ["GET"]),
        _api(st, "/api.x.com/2/tweets/search/recent", "x", "x.search", x.search_recent, ["GET"]),
        _api(st, "/api.x.com/2/tweets", "x", "x.publish", x.create_tweet, ["POST"]),
        _consent(st, "/www.linkedin.com/oauth/v2/authorization", "linkedin"),
        _api(st, "/www.linkedin.com/oauth/v2/accessToken", "linkedin", "linkedin.token", linkedin.token, ["POST"]),
        _api(st, "/api.linkedin.com/v2/userinfo", "linkedin", "linkedin.userinfo", linkedin.userinfo, ["GET"]),
        _api(st, "/api.linkedin.com/rest/posts", "linkedin", "linkedin.posts", linkedin.posts, ["GET", "POST"]),
        _api(st, "/api.linkedin.com/rest/socialActions/{urn}", "linkedin", "linkedin.social_actions",
             linkedin.social_actions, ["GET"]),
        _api(st, "/api.linkedin.com/rest/socialActions/{urn}/{edge}", "linkedin", "linkedin.comments",
             linkedin.social_actions, ["GET", "POST"]),
        Route("/_control/{action:path}", control_endpoint, methods=["GET", "POST", "DELETE"]),
    ]
    app = Starlette(routes=routes)
    app.state.sandbox = st
    return app
