"""``build_sandbox_app``: every emulated host under ``/<real host>/<real path>``, plus control.

Each request's body is read on the event loop (capped), then the whole handler runs in a worker
thread: the handlers make several small blocking database calls (``state.py``) and no network
calls, so nothing blocks the loop and no connection is held across an ``await``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ..endpoints import redirect_uri
from . import insights, linkedin, linkedin_publishing, meta, tiktok, tiktok_photos, tiktok_publishing, x, x_publishing
from .clock import SandboxClock
from .common import Handler
from .consent import authorize
from .control import control
from .options import SandboxOptions
from .shapes import render_fault
from .state import Fault, SandboxState, use_tenant

if TYPE_CHECKING:
    from socializioz.settings import Settings

Resolve = Callable[[Request], tuple[str, Handler]]
GRAPH_CALLS_PER_HOUR = 200  # for the X-App-Usage percentage (values are not published)
MAX_BODY_BYTES = 256 * 1024
T = TypeVar("T")


async def _read_capped(request: Request, cap: int = MAX_BODY_BYTES) -> bool:
    """Read the body once, refusing more than ``cap`` bytes; handlers then reuse it."""
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > cap):
        return False
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            return False
        chunks.append(chunk)
    request._body = b"".join(chunks)  # Starlette's own cache: form() and json() read it from here
    return True


def _serve(st: SandboxState, request: Request, work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """In a worker thread: a fresh tenant scope, housekeeping, then the handler to completion."""
    use_tenant("")
    st.maybe_prune()
    return asyncio.run(work())


async def _threaded(st: SandboxState, request: Request, work: Callable[[], Coroutine[Any, Any, Response]]) -> Response:
    if not await _read_capped(request):
        return PlainTextResponse("Request Entity Too Large", status_code=413)
    return await run_in_threadpool(_serve, st, request, work)


def _handled(
    st: SandboxState, platform: str, resolve: Resolve, request: Request, usage: bool
) -> Callable[[], Coroutine[Any, Any, tuple[Response | Fault, str]]]:
    """The response, or the timeout fault to sleep out on the event loop (not in a worker)."""

    async def work() -> tuple[Response | Fault, str]:
        key, handler = resolve(request)
        fault = st.take_fault(key)
        if fault and fault.kind == "timeout":
            return fault, key
        if fault and fault.kind == "timeout_after_create":  # the platform acts; its answer is lost
            await handler(request, st)
            return Fault("timeout"), key
        response = await (render_fault(platform, key, fault, st.now(), 0) if fault else handler(request, st))
        if usage:
            _usage_headers(st, platform, response)
        return response, key

    return work


def _usage_headers(st: SandboxState, platform: str, response: Response) -> None:
    """Graph hosts put usage headers on every answer (platforms.md §1.7)."""
    count, _ = st.count_call(platform, "app", 3600)
    usage = {"call_count": min(100, count * 100 // GRAPH_CALLS_PER_HOUR), "total_cputime": 1, "total_time": 1}
    if platform == "facebook":
        response.headers.setdefault("X-App-Usage", json.dumps(usage))
    else:
        response.headers.setdefault(
            "X-Business-Use-Case-Usage",
            json.dumps({"0": [{"type": "instagram", **usage, "estimated_time_to_regain_access": 0}]}),
        )


async def _run(
    st: SandboxState, platform: str, resolve: Resolve, request: Request, usage: bool = False, cap: int = MAX_BODY_BYTES
) -> Response:
    if not await _read_capped(request, cap):
        return PlainTextResponse("Request Entity Too Large", status_code=413)
    result, key = await run_in_threadpool(_serve, st, request, _handled(st, platform, resolve, request, usage))
    if isinstance(result, Fault):
        return await render_fault(platform, key, result, st.now(), st.options.timeout_fault_seconds)
    return result


def _api(
    st: SandboxState,
    path: str,
    platform: str,
    key: str,
    handler: Handler,
    methods: list[str],
    cap: int = MAX_BODY_BYTES,
) -> Route:
    """One endpoint; ``cap`` raises the body limit for media uploads."""

    async def endpoint(request: Request) -> Response:
        return await _run(st, platform, lambda _: (key, handler), request, cap=cap)

    return Route(path, endpoint, methods=methods)


def _graph(st: SandboxState, host: str, platform: str, route_fn: Resolve) -> Route:
    """A Graph host: one dispatcher, usage headers on every answer."""

    async def endpoint(request: Request) -> Response:
        return await _run(st, platform, route_fn, request, usage=True)

    return Route(f"/{host}/{{path:path}}", endpoint, methods=["GET", "POST", "DELETE"])


def _consent(st: SandboxState, path: str, platform: str, public_base_url: str | None) -> Route:
    async def endpoint(request: Request) -> Response:
        callback = redirect_uri(platform, public_base_url or _settings().public_base_url)
        return await _threaded(st, request, lambda: authorize(request, st, platform, callback))

    return Route(path, endpoint, methods=["GET", "POST"])


def _settings() -> Settings:
    from socializioz.settings import get_settings  # late: tests change settings between cases

    return get_settings()


def _tiktok_publishing(st: SandboxState) -> list[Route]:
    api, tp = "/open.tiktokapis.com/v2/post/publish", tiktok_publishing
    return [
        _api(st, f"{api}/creator_info/query/", "tiktok", "tiktok.creator_info", tp.creator_info, ["POST"]),
        _api(st, f"{api}/video/init/", "tiktok", "tiktok.publish", tp.video_init, ["POST"]),
        _api(st, f"{api}/inbox/video/init/", "tiktok", "tiktok.inbox", tp.inbox_init, ["POST"]),
        _api(st, f"{api}/content/init/", "tiktok", "tiktok.content", tiktok_photos.content_init, ["POST"]),
        _api(st, f"{api}/status/fetch/", "tiktok", "tiktok.status", tp.status_fetch, ["POST"]),
        _api(
            st, "/open-upload.tiktokapis.com/video/", "tiktok", "tiktok.upload", tp.upload_chunk, ["PUT"], tp.UPLOAD_CAP
        ),
    ]


def _x_media(st: SandboxState) -> list[Route]:
    media, xp = "/api.x.com/2/media/upload", x_publishing
    return [
        _api(st, media, "x", "x.media_upload", xp.upload_simple, ["POST"], xp.UPLOAD_CAP),
        _api(st, media, "x", "x.media_status", xp.status, ["GET"]),
        _api(st, f"{media}/initialize", "x", "x.media_init", xp.initialize, ["POST"]),
        _api(
            st,
            f"{media}/{{media_id}}/append",
            "x",
            "x.media_append",
            xp.append,
            ["POST"],
            st.options.x_max_append_bytes * 2 + 65536,
        ),
        _api(st, f"{media}/{{media_id}}/finalize", "x", "x.media_finalize", xp.finalize, ["POST"]),
    ]


def _linkedin_media(st: SandboxState) -> list[Route]:
    rest, lp = "/api.linkedin.com/rest", linkedin_publishing
    return [
        _api(st, f"{rest}/images", "linkedin", "linkedin.images", lp.images, ["POST"]),
        _api(st, f"{rest}/images/{{urn}}", "linkedin", "linkedin.image_status", lp.asset, ["GET"]),
        _api(st, f"{rest}/videos", "linkedin", "linkedin.videos", lp.videos, ["POST"]),
        _api(st, f"{rest}/videos/{{urn}}", "linkedin", "linkedin.video_status", lp.asset, ["GET"]),
        _api(
            st,
            "/www.linkedin.com/dms-uploads/sp/v2/{asset}/{kind}/{part}",
            "linkedin",
            "linkedin.upload",
            lp.upload,
            ["PUT"],
            lp.UPLOAD_CAP,
        ),
    ]


def build_sandbox_app(
    clock: SandboxClock | None = None,
    control_enabled: bool = False,
    options: SandboxOptions | None = None,
    public_base_url: str | None = None,
    engine: sa.Engine | None = None,
    webhook_subscription: tuple[str, str] | None = None,
) -> Starlette:
    """The sandbox as an ASGI app; ``app.state.sandbox`` is the in-process handle on its state.

    ``public_base_url`` (default: the app's setting) fixes the only accepted redirect URIs;
    ``engine`` (default: the app's) holds the state, so apps over one database share it.
    The public base URL is also the one "verified" domain TikTok pulls from.
    ``webhook_subscription`` (callback URL, verify token) subscribes the app's Meta webhook endpoint.
    """
    st = SandboxState(clock, options, engine)
    st.verified_url_prefixes = ((public_base_url or _settings().public_base_url).rstrip("/") + "/",)
    if webhook_subscription:
        st.webhooks.subscribe(*webhook_subscription)

    async def control_endpoint(request: Request) -> Response:
        if not control_enabled:
            return PlainTextResponse("Not Found", status_code=404)
        return await _threaded(st, request, lambda: control(request, st))

    routes = [
        _consent(st, "/www.facebook.com/{version}/dialog/oauth", "facebook", public_base_url),
        _consent(st, "/www.facebook.com/dialog/oauth", "facebook", public_base_url),
        _graph(st, "graph.facebook.com", "facebook", meta.facebook_route),
        _graph(st, "graph-video.facebook.com", "facebook", meta.facebook_route),  # video uploads (§1.5)
        _consent(st, "/www.instagram.com/oauth/authorize", "instagram", public_base_url),
        _consent(st, "/api.instagram.com/oauth/authorize", "instagram", public_base_url),
        _api(st, "/api.instagram.com/oauth/access_token", "instagram", "instagram.token", meta.ig_token, ["POST"]),
        _graph(st, "graph.instagram.com", "instagram", meta.instagram_route),
        _consent(st, "/www.tiktok.com/v2/auth/authorize/", "tiktok", public_base_url),
        _api(st, "/open.tiktokapis.com/v2/oauth/token/", "tiktok", "tiktok.token", tiktok.token, ["POST"]),
        _api(st, "/open.tiktokapis.com/v2/user/info/", "tiktok", "tiktok.user_info", tiktok.user_info, ["GET"]),
        _api(st, "/open.tiktokapis.com/v2/video/list/", "tiktok", "tiktok.video_list", tiktok.video_list, ["POST"]),
        *_tiktok_publishing(st),
        _consent(st, "/x.com/i/oauth2/authorize", "x", public_base_url),
        _consent(st, "/twitter.com/i/oauth2/authorize", "x", public_base_url),
        *(
            _api(st, f"/{host}/2/oauth2/token", "x", "x.token", x.token, ["POST"])
            for host in ("api.x.com", "api.twitter.com")
        ),
        _api(st, "/api.x.com/2/users/me", "x", "x.users_me", x.users_me, ["GET"]),
        _api(st, "/api.x.com/2/users/{user_id}/tweets", "x", "x.tweets", x.user_tweets, ["GET"]),
        _api(st, "/api.x.com/2/tweets/search/recent", "x", "x.search", x.search_recent, ["GET"]),
        _api(st, "/api.x.com/2/tweets", "x", "x.publish", x.create_tweet, ["POST"]),
        *_x_media(st),
        _consent(st, "/www.linkedin.com/oauth/v2/authorization", "linkedin", public_base_url),
        _api(st, "/www.linkedin.com/oauth/v2/accessToken", "linkedin", "linkedin.token", linkedin.token, ["POST"]),
        _api(st, "/api.linkedin.com/v2/userinfo", "linkedin", "linkedin.userinfo", linkedin.userinfo, ["GET"]),
        _api(st, "/api.linkedin.com/rest/posts", "linkedin", "linkedin.posts", linkedin.posts, ["GET", "POST"]),
        _api(
            st,
            "/api.linkedin.com/rest/socialActions/{urn}",
            "linkedin",
            "linkedin.social_actions",
            linkedin.social_actions,
            ["GET"],
        ),
        _api(
            st,
            "/api.linkedin.com/rest/socialActions/{urn}/{edge}",
            "linkedin",
            "linkedin.comments",
            linkedin.social_actions,
            ["GET", "POST"],
        ),
        *_linkedin_media(st),
        _api(
            st,
            "/api.linkedin.com/rest/memberCreatorPostAnalytics",
            "linkedin",
            "linkedin.analytics",
            insights.member_post_analytics,
            ["GET"],
        ),
        _api(
            st,
            "/api.linkedin.com/rest/memberFollowersCount",
            "linkedin",
            "linkedin.followers",
            insights.member_followers,
            ["GET"],
        ),
        Route("/_control/{action:path}", control_endpoint, methods=["GET", "POST", "DELETE"]),
    ]
    app = Starlette(routes=routes)
    app.state.sandbox = st
    return app
