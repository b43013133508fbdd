"""Facebook Graph (graph.facebook.com) and Instagram Login (api.instagram.com, graph.instagram.com).

Graph is node-shaped (``/{id}/{edge}``), so each host has one dispatcher; versioned and unversioned
paths are both accepted (platforms.md conventions).

A Page-linked Instagram account is read on graph.facebook.com with a Page or user token of a Page it is
linked to (§1.5 c, §2.6): GET ``/{ig-user-id}/media`` (fault key ``facebook.ig_media``) and GET
``/{ig-media-id}/comments`` (``facebook.ig_comments``), both needing ``instagram_basic`` and
``pages_read_engagement``, in the Instagram shapes of §2.4.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..endpoints import SANDBOX_CREDENTIALS
from . import insights, meta_comments, meta_messaging, meta_publishing
from .common import Handler, authenticate
from .meta_common import fb_post as _fb_post
from .meta_common import ig_access as _ig_access
from .meta_common import ig_media as _ig_media
from .meta_common import no_object
from .meta_common import page_access as _page_access
from .meta_common import path_parts as _path
from .meta_common import select as _select
from .shapes import fields_of, form, graph_error, invalid_token, missing_scope
from .state import SandboxState, Token


def _code_error(message: str, subcode: int | None, code: int = 100) -> JSONResponse:
    response = graph_error(code, message, subcode)
    response.headers["WWW-Authenticate"] = f'OAuth "Facebook Platform" "invalid_code" "{message}"'
    return response


def _token_json(token: Token, expires_in: int | None) -> JSONResponse:
    body: dict[str, object] = {"access_token": token.value, "token_type": "bearer"}
    if expires_in is not None:
        body["expires_in"] = expires_in
    return JSONResponse(body)


# -- graph.facebook.com ----------------------------------------------------------------------------


def facebook_route(request: Request) -> tuple[str, Handler]:
    """(fault key, handler) for a Graph request."""
    parts, method = _path(request), request.method
    table = {
        ("GET", "oauth/access_token"): ("facebook.token", fb_token),
        ("GET", "debug_token"): ("facebook.debug_token", fb_debug_token),
        ("GET", "me"): ("facebook.me", fb_me),
        ("GET", "me/permissions"): ("facebook.permissions", fb_permissions),
        ("GET", "me/accounts"): ("facebook.accounts", fb_accounts),
    }
    joined = "/".join(parts)
    if (method, joined) in table:
        return table[(method, joined)]
    if len(parts) == 1 and method == "GET":
        return "facebook.node", fb_node
    if len(parts) == 2 and parts[1] in ("posts", "feed") and method == "GET":
        return "facebook.posts", fb_posts
    comment = meta_comments.facebook_route(parts, method)
    if comment is not None:
        return comment
    publishing = meta_publishing.facebook_publish_route(parts, method)
    if publishing is not None:
        return publishing
    if len(parts) == 2 and parts[1] == "insights" and method == "GET":
        return "facebook.insights", insights.facebook_insights(GRAPH_ACCESS)
    if len(parts) == 2 and parts[1] == "media" and method == "GET":
        return "facebook.ig_media", fb_ig_media
    if len(parts) == 2 and parts[1] == "comments" and method == "GET" and _is_ig_media(request, parts[0]):
        return "facebook.ig_comments", meta_comments.fb_ig_comments
    if len(parts) == 2 and parts[1] == "comments":
        return "facebook.comments", meta_comments.fb_comments
    return "facebook.unknown", fb_unknown


def _is_ig_media(request: Request, node: str) -> bool:
    """Media of a Page-linked Instagram account (its comments are Instagram-shaped, not Page-post-shaped)."""
    st: SandboxState | None = getattr(request.app.state, "sandbox", None)
    if st is None:
        return False
    post = st.post(node)
    return post is not None and post.owner_id in st.linked_instagram


async def fb_unknown(request: Request, st: SandboxState) -> Response:
    return graph_error(
        100, f"Unsupported {request.method.lower()} request. Please read the Graph API documentation", 33
    )


async def fb_token(request: Request, st: SandboxState) -> Response:
    q, (cid, secret), o = request.query_params, SANDBOX_CREDENTIALS["facebook"], st.options
    if q.get("client_id") != cid:
        return graph_error(101, "Error validating application. Invalid application ID.")
    if q.get("client_secret") != secret:
        return graph_error(1, "Error validating client secret.")
    if q.get("grant_type") == "fb_exchange_token":
        old = st.token(q.get("fb_exchange_token"), "facebook")
        if old is None or old.kind not in ("short", "long"):
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        if old.state(st.now()) != "valid":
            return invalid_token("facebook", old.state(st.now()), old, st.now())
        new = st.issue_token(
            "facebook",
            "long",
            old.persona_id,
            old.scopes,
            cid,
            o.facebook_long_token_expires_in,
            page_ids=old.page_ids,
            family=old.family,
            tenant=old.tenant,
        )
        return _token_json(new, o.facebook_long_token_expires_in)
    if not q.get("code"):
        return graph_error(100, "Missing authorization code")
    code, problem = st.redeem_code(q["code"], "facebook")
    if problem == "unknown":
        return _code_error("Invalid verification code format.", None)
    if problem == "used":
        return _code_error("This authorization code has been used.", 36009)
    if problem == "expired":
        return _code_error("This authorization code has expired.", 36007)
    assert code is not None  # redeem_code returns no code only with "unknown"
    if code.redirect_uri != q.get("redirect_uri") or code.client_id != cid:
        return _code_error(
            "Error validating verification code. Please make sure your redirect_uri is identical "
            "to the one you used in the OAuth dialog request",
            36008,
        )
    token = st.issue_token(
        "facebook",
        "short",
        code.persona_id,
        code.scopes,
        cid,
        o.facebook_short_token_expires_in,
        page_ids=code.page_ids,
        tenant=code.tenant,
    )
    return _token_json(token, o.facebook_short_token_expires_in)


async def fb_debug_token(request: Request, st: SandboxState) -> Response:
    cid, secret = SANDBOX_CREDENTIALS["facebook"]
    app_token = request.headers.get("authorization", "")[7:] or request.query_params.get("access_token", "")
    if app_token != f"{cid}|{secret}" and not st.token(app_token, "facebook"):
        return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
    token = st.token(request.query_params.get("input_token"), "facebook")
    if token is None:
        return JSONResponse(
            {"data": {"error": {"code": 190, "message": "Invalid OAuth access token."}, "is_valid": False}}
        )
    data: dict[str, object] = {
        "app_id": cid,
        "type": "PAGE" if token.kind == "page" else "USER",
        "application": "Socializioz (sandbox)",
        "data_access_expires_at": int(token.issued_at + 90 * 86400),
        "expires_at": int(token.expires_at or 0),
        "is_valid": token.state(st.now()) == "valid",
        "scopes": list(token.scopes),
        "granular_scopes": [
            {"scope": s, "target_ids": list(token.page_ids)} for s in token.scopes if s.startswith("pages_")
        ],
        "user_id": st.personas[token.persona_id].external_id,
    }
    if token.kind == "long":
        data["issued_at"] = int(token.issued_at)
    if token.kind == "page":
        data["profile_id"] = token.page_id
    return JSONResponse({"data": data})


async def fb_me(request: Request, st: SandboxState) -> Response:
    token = authenticate(request, st, "facebook")
    if isinstance(token, Response):
        return token
    if token.kind == "page":
        assert token.page_id is not None  # Page tokens are only issued by SandboxState.page_token
        page = st.pages[token.page_id]
        return JSONResponse(_select({"id": page.id, "name": page.name}, fields_of(request)))
    p = st.personas[token.persona_id]
    body = {"id": p.external_id, "name": p.name, "picture": {"data": {"url": p.avatar_url, "is_silhouette": False}}}
    return JSONResponse(_select(body, fields_of(request, "id,name")))


async def fb_permissions(request: Request, st: SandboxState) -> Response:
    token = authenticate(request, st, "facebook", kinds=("short", "long"))
    if isinstance(token, Response):
        return token
    requested = ("public_profile", *token.scopes, *(s for s in _REQUESTABLE if s not in token.scopes))
    rows = [
        {"permission": s, "status": "granted" if s in token.scopes or s == "public_profile" else "declined"}
        for s in dict.fromkeys(requested)
    ]
    return JSONResponse({"data": rows})


_REQUESTABLE = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_posts",
    "instagram_basic",
    "instagram_content_publish",
    "business_management",
    "pages_manage_engagement",
    "read_insights",
    "instagram_manage_comments",
)


def _page_json(st: SandboxState, page_id: str, wanted: set[str], page_token: str | None) -> dict[str, object]:
    page = st.pages[page_id]
    body = {
        "id": page.id,
        "name": page.name,
        "category": page.category,
        "tasks": list(page.tasks),
        "followers_count": insights.followers_now(st, page.id),
        "picture": {"data": {"url": page.avatar_url}},
    }
    if page_token:
        body["access_token"] = page_token
    if page.instagram_id:
        body["instagram_business_account"] = {"id": page.instagram_id}
    return _select(body, wanted)


async def fb_accounts(request: Request, st: SandboxState) -> Response:
    token = authenticate(request, st, "facebook", "pages_show_list", kinds=("short", "long"))
    if isinstance(token, Response):
        return token
    wanted = fields_of(request, "id,name,access_token,category,tasks")
    data = [_page_json(st, pid, wanted, st.page_token(token, pid).value) for pid in token.page_ids]
    cursor = secrets.token_urlsafe(12)
    return JSONResponse({"data": data, "paging": {"cursors": {"before": cursor, "after": cursor}}})


async def fb_node(request: Request, st: SandboxState) -> Response:
    token = authenticate(request, st, "facebook")
    if isinstance(token, Response):
        return token
    node, wanted = _path(request)[0], fields_of(request)
    if node in st.pages and _page_access(st, token, node):
        return JSONResponse(_page_json(st, node, wanted or {"name"}, None))
    ig = st.linked_instagram.get(node)
    if ig and any(st.pages[p].instagram_id == node and _page_access(st, token, p) for p in st.pages):
        if "instagram_basic" not in token.scopes:
            return graph_error(10, "(#10) Application does not have permission for this action", status=403)
        body = {
            "id": ig.id,
            "username": ig.username,
            "name": ig.name,
            "profile_picture_url": ig.avatar_url,
            "followers_count": insights.followers_now(st, ig.id),
            "media_count": len(st.posts_of(ig.id)),
        }
        return JSONResponse(_select(body, wanted))
    post = st.post(node)
    if post and post.platform == "facebook" and _page_access(st, token, post.owner_id):
        return JSONResponse(_select(_fb_post(post), wanted))
    published = meta_publishing.facebook_node(st, token, node, wanted)
    if published is not None:
        return published
    return no_object(node)


def _ig_token(request: Request, st: SandboxState) -> Token | Response:
    """Instagram through Facebook Login: instagram_basic, then pages_read_engagement (IG Media reference)."""
    token = authenticate(request, st, "facebook", "instagram_basic")
    if isinstance(token, Response) or "pages_read_engagement" in token.scopes:
        return token
    return missing_scope("facebook", "pages_read_engagement")


async def fb_ig_media(request: Request, st: SandboxState) -> Response:
    token = _ig_token(request, st)
    if isinstance(token, Response):
        return token
    ig_id = _path(request)[0]
    if not _ig_access(st, token, ig_id):
        return no_object(ig_id)
    limit = int(request.query_params.get("limit", "25"))
    wanted = fields_of(request, "id")
    return JSONResponse(
        {
            "data": [_select(_ig_media(p), wanted) for p in st.posts_of(ig_id)[:limit]],
            "paging": {"cursors": {"before": "QVFIUi", "after": "QVFIUj"}},
        }
    )


async def fb_posts(request: Request, st: SandboxState) -> Response:
    token = authenticate(request, st, "facebook", "pages_read_engagement")
    if isinstance(token, Response):
        return token
    page_id = _path(request)[0]
    if not _page_access(st, token, page_id):
        return graph_error(100, f"Unsupported get request. Object with ID '{page_id}' does not exist", 33)
    limit = int(request.query_params.get("limit", "25"))
    wanted = fields_of(request, "id,message,created_time")
    return JSONResponse(
        {
            "data": [_select(_fb_post(p), wanted) for p in st.posts_of(page_id)[:limit]],
            "paging": {"cursors": {"before": "QVFIUb", "after": "QVFIUa"}},
        }
    )


# -- api.instagram.com and graph.instagram.com -----------------------------------------------------


def _ig_token_error(message: str) -> JSONResponse:
    return JSONResponse({"error_type": "OAuthException", "code": 400, "error_message": message}, status_code=400)


async def ig_token(request: Request, st: SandboxState) -> Response:
    f, (cid, secret), o = await form(request), SANDBOX_CREDENTIALS["instagram"], st.options
    if f.get("client_id") != cid:
        return _ig_token_error("Invalid platform app")
    if f.get("client_secret") != secret:
        return _ig_token_error("Error validating client secret.")
    if f.get("grant_type") != "authorization_code":
        return _ig_token_error("Invalid grant_type")
    code, problem = st.redeem_code(f.get("code", ""), "instagram")
    if problem:
        return _ig_token_error("Matching code was not found or was already used")
    assert code is not None  # redeem_code returns no code only with "unknown"
    if code.redirect_uri != f.get("redirect_uri"):
        return _ig_token_error("Invalid scrubbed redirect_uri")
    token = st.issue_token(
        "instagram", "short", code.persona_id, code.scopes, cid, o.instagram_short_token_expires_in, tenant=code.tenant
    )
    item = {
        "access_token": token.value,
        "user_id": st.personas[code.persona_id].external_id,
        "permissions": ",".join(code.scopes),
    }
    return JSONResponse({"data": [item]} if o.instagram_token_shape == "wrapped" else item)


def instagram_route(request: Request) -> tuple[str, Handler]:
    parts, method = _path(request), request.method
    if parts == ["access_token"]:
        return "instagram.exchange", ig_exchange
    if parts == ["refresh_access_token"]:
        return "instagram.refresh", ig_refresh
    if parts == ["me"]:
        return "instagram.me", ig_me
    comment = meta_comments.instagram_route(parts, method)
    if comment is not None:
        return comment
    messaging = meta_messaging.messaging_route(parts, method)  # conversations, Send API (engagement.md §3)
    if messaging is not None:
        return messaging
    publishing = meta_publishing.instagram_publish_route(parts, method)
    if publishing is not None:
        return publishing
    if len(parts) == 2 and parts[1] == "media":
        return "instagram.media", ig_media
    if len(parts) == 2 and parts[1] == "comments":
        return "instagram.comments", meta_comments.ig_comments
    if len(parts) == 2 and parts[1] == "insights" and method == "GET":
        return "instagram.insights", insights.instagram_insights(GRAPH_ACCESS)
    if len(parts) == 1:
        return "instagram.node", ig_node
    return "instagram.unknown", fb_unknown


async def ig_exchange(request: Request, st: SandboxState) -> Response:
    q, (_, secret), o = request.query_params, SANDBOX_CREDENTIALS["instagram"], st.options
    if q.get("grant_type") != "ig_exchange_token":
        return graph_error(100, "Unsupported grant_type")
    if q.get("client_secret") != secret:
        return graph_error(101, "Error validating client secret.")
    old = authenticate(request, st, "instagram", kinds=("short",))
    if isinstance(old, Response):
        return old
    new = _long_instagram_token(st, old)
    return _token_json(new, o.instagram_long_token_expires_in)


def _long_instagram_token(st: SandboxState, old: Token) -> Token:
    """A 60-day Instagram token in the same family and tenant: the exchange and the refresh both mint one."""
    return st.issue_token(
        "instagram",
        "long",
        old.persona_id,
        old.scopes,
        old.client_id,
        st.options.instagram_long_token_expires_in,
        family=old.family,
        tenant=old.tenant,
    )


async def ig_refresh(request: Request, st: SandboxState) -> Response:
    o = st.options
    if request.query_params.get("grant_type") != "ig_refresh_token":
        return graph_error(100, "Unsupported grant_type")
    old = authenticate(request, st, "instagram", "instagram_business_basic", kinds=("long",))
    if isinstance(old, Response):
        return old
    if st.now() - old.issued_at < o.instagram_min_refresh_age:
        return graph_error(
            100, "The access token is not old enough to be refreshed (it must be at least 24 hours old)."
        )
    new = _long_instagram_token(st, old)
    response = _token_json(new, o.instagram_long_token_expires_in)
    return response


def _ig_owner(st: SandboxState, token: Token, node: str) -> str | None:
    persona = st.personas[token.persona_id]
    return persona.external_id if node in ("me", persona.external_id) else None


async def ig_me(request: Request, st: SandboxState) -> Response:
    token = authenticate(request, st, "instagram", "instagram_business_basic")
    if isinstance(token, Response):
        return token
    p = st.personas[token.persona_id]
    body = {
        "id": str(int(p.external_id) % 10**16 + 2468000000000000),
        "user_id": p.external_id,
        "username": p.username,
        "name": p.name,
        "account_type": p.account_type,
        "profile_picture_url": p.avatar_url,
        "followers_count": insights.followers_now(st, p.external_id),
        "follows_count": 56,
        "media_count": len(st.posts_of(p.external_id)),
    }
    return JSONResponse(_select(body, fields_of(request, "id,username")))


async def ig_media(request: Request, st: SandboxState) -> Response:
    token = authenticate(request, st, "instagram", "instagram_business_basic")
    if isinstance(token, Response):
        return token
    owner = _ig_owner(st, token, _path(request)[0])
    if owner is None:
        return graph_error(100, "Unsupported get request.", 33)
    limit = int(request.query_params.get("limit", "25"))
    wanted = fields_of(request, "id")
    return JSONResponse(
        {
            "data": [_select(_ig_media(p), wanted) for p in st.posts_of(owner)[:limit]],
            "paging": {"cursors": {"before": "QVFI", "after": "QVFJ"}},
        }
    )


async def ig_node(request: Request, st: SandboxState) -> Response:
    token = authenticate(request, st, "instagram", "instagram_business_basic")
    if isinstance(token, Response):
        return token
    node = _path(request)[0]
    if _ig_owner(st, token, node):  # the account's own node reads like /me
        return await ig_me(request, st)
    container = meta_publishing.instagram_node(st, st.personas[token.persona_id].external_id, node, fields_of(request))
    if container is not None:
        return container
    post = st.post(node)
    if post and post.owner_id == st.personas[token.persona_id].external_id:
        return JSONResponse(_select(_ig_media(post), fields_of(request)))
    return graph_error(100, "Unsupported get request.", 33)


GRAPH_ACCESS = insights.GraphAccess(_path, _page_access, _ig_access, _ig_owner)  # the insights endpoints' view of it
