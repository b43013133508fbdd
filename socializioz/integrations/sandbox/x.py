"""X: ``/2/oauth2/token`` (Basic auth, PKCE, single-use rotating refresh tokens) and API v2,
with the ``x-rate-limit-*`` headers on every API response."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..endpoints import SANDBOX_CREDENTIALS
from . import insights, x_publishing
from .common import authenticate
from .seed import Post
from .shapes import basic_credentials, form, iso, oauth_error, pkce_matches, revoked_grant, x_problem
from .state import Code, SandboxState, Token

WINDOW = 15 * 60


def _grant(st: SandboxState, access: Token, refresh: Token | None) -> JSONResponse:
    body = {
        "token_type": "bearer",
        "expires_in": st.options.x_access_expires_in,
        "access_token": access.value,
        "scope": " ".join(access.scopes),
    }
    if refresh:
        body["refresh_token"] = refresh.value
    return JSONResponse(body)


def _issue(st: SandboxState, grant: Code | Token, family: str = "") -> tuple[Token, Token | None]:
    """Access (and, with offline.access, refresh) token for the persona, scopes and tenant of ``grant``."""
    cid, o = SANDBOX_CREDENTIALS["x"][0], st.options
    persona_id, scopes, tenant = grant.persona_id, grant.scopes, grant.tenant
    access = st.issue_token("x", "access", persona_id, scopes, cid, o.x_access_expires_in, family=family, tenant=tenant)
    refresh = (
        st.issue_token("x", "refresh", persona_id, scopes, cid, o.x_refresh_ttl, family=access.family, tenant=tenant)
        if "offline.access" in scopes
        else None
    )
    return access, refresh


async def token(request: Request, st: SandboxState) -> Response:
    f, (cid, secret) = await form(request), SANDBOX_CREDENTIALS["x"]
    creds = basic_credentials(request)
    if creds is None:
        return oauth_error("unauthorized_client", "Missing valid authorization header", status=401)
    if creds != (cid, secret):
        return oauth_error("invalid_client", "Client authentication failed", status=401)
    if f.get("grant_type") == "authorization_code":
        code, problem = st.redeem_code(f.get("code", ""), "x")
        if (
            problem
            or code is None
            or code.redirect_uri != f.get("redirect_uri")
            or not pkce_matches(f.get("code_verifier"), code.challenge, code.challenge_method)
        ):
            return oauth_error("invalid_request", "Value passed for the authorization code was invalid.")
        return _grant(st, *_issue(st, code))
    if f.get("grant_type") == "refresh_token":
        old, problem = st.spend_refresh(f.get("refresh_token", ""), "x")
        if problem == "used" and old is not None and st.options.x_revoke_family_on_replay:
            st.revoke_family(old.family)
        if problem or old is None:
            return revoked_grant("x")
        return _grant(st, *_issue(st, old, family=old.family))
    return oauth_error("unsupported_grant_type", "Grant type is not supported")


def _limited(
    st: SandboxState, request: Request, token: Token, limit: int, response_fn: Callable[[], Response]
) -> Response:
    count, reset = st.count_call("x", f"{token.persona_id}:{request.url.path}", WINDOW)
    headers = {
        "x-rate-limit-limit": str(limit),
        "x-rate-limit-remaining": str(max(limit - count, 0)),
        "x-rate-limit-reset": str(reset),
    }
    response = x_problem(429, "Too Many Requests", "Too Many Requests") if count > limit else response_fn()
    response.headers.update(headers)
    return response


def _user(st: SandboxState, persona_id: str) -> dict[str, object]:
    p = st.personas[persona_id]
    return {
        "id": p.external_id,
        "name": p.name,
        "username": p.username,
        "profile_image_url": p.avatar_url,
        "verified": False,
        "public_metrics": {
            "followers_count": insights.followers_now(st, p.external_id),
            "following_count": 80,
            "tweet_count": len(st.posts_of(p.external_id)),
            "listed_count": 2,
        },
    }


async def users_me(request: Request, st: SandboxState) -> Response:
    tok = authenticate(request, st, "x", "users.read", kinds=("access",))
    if isinstance(tok, Response):
        return tok
    wanted = set(request.query_params.get("user.fields", "").split(",")) | {"id", "name", "username"}
    user = {k: v for k, v in _user(st, tok.persona_id).items() if k in wanted}
    return _limited(st, request, tok, st.options.x_user_rate_limit, lambda: JSONResponse({"data": user}))


def _tweet(post: Post, media_keys: list[str] | None = None, live: Mapping[str, int] | None = None) -> dict[str, object]:
    """``live``: the counters now (``insights.live_counters``); the seeded ones when not given."""
    m = live or {
        "likes": post.reactions,
        "comments": len(post.comment_list),
        "shares": post.shares,
        "views": post.views,
    }
    attached = {"attachments": {"media_keys": media_keys}} if media_keys else {}
    return attached | {
        "id": post.id,
        "text": post.caption,
        "created_at": iso(post.created),
        "author_id": post.owner_id,
        "conversation_id": post.id,
        "edit_history_tweet_ids": [post.id],
        "public_metrics": {
            "retweet_count": m["shares"],
            "reply_count": m["comments"],
            "like_count": m["likes"],
            "quote_count": 0,
            "bookmark_count": m.get("saves", 1),
            "impression_count": m["views"],
        },
    }


async def user_tweets(request: Request, st: SandboxState) -> Response:
    tok = authenticate(request, st, "x", "tweet.read", kinds=("access",))
    if isinstance(tok, Response):
        return tok
    limit = int(request.query_params.get("max_results", "10"))
    if not 5 <= limit <= 100:
        return x_problem(
            400,
            "Invalid Request",
            "max_results must be between 5 and 100",
            "https://api.x.com/2/problems/invalid-request",
        )
    posts = st.posts_of(request.path_params["user_id"])[:limit]
    media = x_publishing.attachments(st, request.path_params["user_id"])
    live = [insights.live_counters(st, p) for p in posts]
    body = {
        "data": [_tweet(p, media.get(p.id), c) for p, c in zip(posts, live, strict=True)],
        "meta": {"result_count": len(posts)},
    }
    return _limited(st, request, tok, 900, lambda: JSONResponse(body))


async def search_recent(request: Request, st: SandboxState) -> Response:
    """Replies of one conversation (``query=conversation_id:<id>``)."""
    tok = authenticate(request, st, "x", "tweet.read", kinds=("access",))
    if isinstance(tok, Response):
        return tok
    query = request.query_params.get("query", "")
    post = st.post(query.removeprefix("conversation_id:"))
    replies = (
        [
            {
                "id": c.id.replace("_c", "9"),
                "text": c.text,
                "author_id": c.author,
                "created_at": iso(c.created),
                "conversation_id": post.id,
                "public_metrics": {"like_count": c.likes, "reply_count": 0, "retweet_count": 0, "quote_count": 0},
            }
            for c in post.comment_list
        ]
        if post
        else []
    )
    return _limited(
        st, request, tok, 450, lambda: JSONResponse({"data": replies, "meta": {"result_count": len(replies)}})
    )


async def create_tweet(request: Request, st: SandboxState) -> Response:
    """``POST /2/tweets`` (x_publishing.py), under the same rate-limit headers as every call here."""
    return await x_publishing.create_tweet(request, st, _limited)
