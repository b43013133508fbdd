"""TikTok: ``/v2/oauth/token/`` (client_key, rotating refresh tokens) and the v2 API envelope."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..endpoints import SANDBOX_CREDENTIALS
from . import insights
from .common import authenticate
from .shapes import form, log_id, oauth_error, pkce_matches, revoked_grant, tiktok_api_error, tiktok_ok
from .state import SandboxState, Token
from .tiktok_publishing import settle_due


def _error(st: SandboxState, error: str, description: str) -> JSONResponse:
    return oauth_error(error, description, status=st.options.tiktok_oauth_error_status, log_id=log_id())


def _grant(st: SandboxState, access: Token, refresh: Token) -> JSONResponse:
    access_in, _, _ = st.options.tiktok_lifetimes
    return JSONResponse(
        {
            "open_id": st.personas[access.persona_id].external_id,
            "scope": ",".join(access.scopes),
            "access_token": access.value,
            "expires_in": access_in,
            "refresh_token": refresh.value,
            "refresh_expires_in": max(round((refresh.expires_at or 0) - st.now()), 0),
            "token_type": "Bearer",
        }
    )


async def token(request: Request, st: SandboxState) -> Response:
    f, (key, secret) = await form(request), SANDBOX_CREDENTIALS["tiktok"]
    access_in, refresh_in, rotate = st.options.tiktok_lifetimes
    if f.get("client_key") != key or f.get("client_secret") != secret:
        return _error(st, "invalid_client", "Client key or secret is invalid.")
    grant_type = f.get("grant_type")
    if grant_type == "authorization_code":
        code, problem = st.redeem_code(f.get("code", ""), "tiktok")
        if problem == "expired":
            return _error(st, "invalid_grant", "Authorization code is expired.")
        if problem:
            return _error(st, "invalid_grant", "Authorization code is invalid.")
        assert code is not None  # redeem_code returns no code only with a problem
        if code.redirect_uri != f.get("redirect_uri"):
            return _error(st, "invalid_request", "Redirect URI mismatch.")
        if not pkce_matches(f.get("code_verifier"), code.challenge, code.challenge_method):
            return _error(st, "invalid_request", "Code verifier is invalid.")
        access = st.issue_token("tiktok", "access", code.persona_id, code.scopes, key, access_in, tenant=code.tenant)
        refresh = st.issue_token(
            "tiktok", "refresh", code.persona_id, code.scopes, key, refresh_in, family=access.family, tenant=code.tenant
        )
        return _grant(st, access, refresh)
    if grant_type == "refresh_token":
        old, problem = st.spend_refresh(f.get("refresh_token", ""), "tiktok") if rotate else _peek(st, f)
        if problem == "revoked":
            return revoked_grant("tiktok")
        if problem:
            return _error(st, "invalid_grant", "Refresh token is invalid or expired.")
        assert old is not None  # spend_refresh and _peek return no token only with a problem
        access = st.issue_token(
            "tiktok", "access", old.persona_id, old.scopes, key, access_in, family=old.family, tenant=old.tenant
        )
        refresh = (
            st.issue_token(
                "tiktok", "refresh", old.persona_id, old.scopes, key, refresh_in, family=old.family, tenant=old.tenant
            )
            if rotate
            else old
        )
        return _grant(st, access, refresh)
    return _error(st, "unsupported_grant_type", "Grant type is not supported.")


def _peek(st: SandboxState, f: Mapping[str, str]) -> tuple[Token | None, str]:
    """Legacy profile: the refresh token may stay the same and is not spent."""
    old = st.token(f.get("refresh_token"), "tiktok")
    if old is None or old.kind != "refresh":
        return None, "unknown"
    problem = old.state(st.now())
    return old, "" if problem == "valid" else problem


async def user_info(request: Request, st: SandboxState) -> Response:
    tok = authenticate(request, st, "tiktok", "user.info.basic", kinds=("access",))
    if isinstance(tok, Response):
        return tok
    fields = [f for f in request.query_params.get("fields", "open_id").split(",") if f]
    p = st.personas[tok.persona_id]
    values = {
        "open_id": p.external_id,
        "union_id": "c9a0" + p.external_id[-4:],
        "avatar_url": p.avatar_url,
        "display_name": p.name,
        "username": p.username,
        "follower_count": insights.followers_now(st, p.external_id),
        "following_count": 10,
        "likes_count": sum(x.reactions for x in st.posts_of(p.external_id)),
        "video_count": len(st.posts_of(p.external_id)),
        "bio_description": "",
        "is_verified": False,
    }
    needs = {
        "username": "user.info.profile",
        "bio_description": "user.info.profile",
        "is_verified": "user.info.profile",
        "follower_count": "user.info.stats",
        "following_count": "user.info.stats",
        "likes_count": "user.info.stats",
        "video_count": "user.info.stats",
    }
    for name in fields:
        if needs.get(name) and needs[name] not in tok.scopes:
            return tiktok_api_error(
                "scope_not_authorized", f"The user did not authorize the scope required: {needs[name]}.", 401
            )
    return tiktok_ok({"user": {k: values[k] for k in fields if k in values}})


async def video_list(request: Request, st: SandboxState) -> Response:
    tok = authenticate(request, st, "tiktok", "video.list", kinds=("access",))
    if isinstance(tok, Response):
        return tok
    body = await request.json() if await request.body() else {}
    count = min(int(body.get("max_count", 20)), 20)
    fields = [f for f in request.query_params.get("fields", "id").split(",") if f]
    owner = st.personas[tok.persona_id].external_id
    settle_due(st, owner)
    videos = []
    for v in st.posts_of(owner)[:count]:
        live = insights.live_counters(st, v)  # rising, then plateauing with the video's age
        values = {
            "id": v.id,
            "title": v.caption,
            "video_description": v.caption,
            "cover_image_url": v.media_url,
            "share_url": f"https://www.tiktok.com/@{st.personas[tok.persona_id].username}/video/{v.id}",
            "create_time": int(v.created),
            "like_count": live["likes"],
            "comment_count": live["comments"],
            "share_count": live["shares"],
            "view_count": live["views"],
        }
        videos.append({k: values[k] for k in fields if k in values})
    return tiktok_ok({"videos": videos, "cursor": int(st.now() * 1000), "has_more": False})
