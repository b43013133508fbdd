"""LinkedIn: ``/oauth/v2/accessToken`` (secret in the body, refresh only for partner apps),
OIDC ``userinfo`` and the REST Posts / socialActions endpoints."""

from __future__ import annotations

from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..endpoints import SANDBOX_CREDENTIALS
from .common import authenticate
from .linkedin_publishing import contents, create_post, rest_caller
from .seed import Post
from .shapes import form, linkedin_error, oauth_error, revoked_grant
from .state import SandboxState, Token


def _grant(st: SandboxState, access: Token, refresh: Token | None) -> JSONResponse:
    body = {
        "access_token": access.value,
        "expires_in": st.options.linkedin_access_expires_in,
        "scope": ",".join(sorted(access.scopes)),
        "token_type": "Bearer",
    }
    if "openid" in access.scopes:
        body["id_token"] = "eyJhbGciOiJSUzI1NiJ9.e30.sandbox"
    if refresh:
        body["refresh_token"] = refresh.value
        body["refresh_token_expires_in"] = max(round((refresh.expires_at or 0) - st.now()), 0)
    return JSONResponse(body)


async def token(request: Request, st: SandboxState) -> Response:
    f, (cid, secret), o = await form(request), SANDBOX_CREDENTIALS["linkedin"], st.options
    for name in ("client_id", "client_secret"):
        if not f.get(name):
            return oauth_error("invalid_request", f'A required parameter "{name}" is missing')
    if (f["client_id"], f["client_secret"]) != (cid, secret):
        return oauth_error("invalid_client", "Client authentication failed", status=401)
    if f.get("grant_type") == "refresh_token":
        old = st.token(f.get("refresh_token"), "linkedin")
        if old is None or old.kind != "refresh" or old.state(st.now()) != "valid":
            return revoked_grant("linkedin")
        access = st.issue_token(
            "linkedin",
            "access",
            old.persona_id,
            old.scopes,
            cid,
            o.linkedin_access_expires_in,
            family=old.family,
            tenant=old.tenant,
        )
        return _grant(st, access, old)  # same refresh token, TTL not reset (§5.3)
    if not f.get("redirect_uri"):
        return oauth_error("invalid_request", 'A required parameter "redirect_uri" is missing')
    code, problem = st.redeem_code(f.get("code", ""), "linkedin")
    if problem in ("unknown", "used"):
        return oauth_error(
            "invalid_request", "Unable to retrieve access token: authorization code not found", status=401
        )
    assert code is not None  # redeem_code returns no code only with "unknown"
    if problem == "expired" or code.redirect_uri != f["redirect_uri"]:
        return oauth_error(
            "invalid_redirect_uri",
            "Unable to retrieve access token: appid/redirect uri/code verifier "
            "does not match authorization code. Or authorization code expired. Or external member "
            "binding exists",
        )
    access = st.issue_token(
        "linkedin", "access", code.persona_id, code.scopes, cid, o.linkedin_access_expires_in, tenant=code.tenant
    )
    refresh = (
        st.issue_token(
            "linkedin",
            "refresh",
            code.persona_id,
            code.scopes,
            cid,
            o.linkedin_refresh_ttl,
            family=access.family,
            tenant=code.tenant,
        )
        if o.linkedin_refresh_tokens
        else None
    )
    return _grant(st, access, refresh)


async def userinfo(request: Request, st: SandboxState) -> Response:
    tok = authenticate(request, st, "linkedin", "openid", kinds=("access",))
    if isinstance(tok, Response):
        return tok
    p = st.personas[tok.persona_id]
    body: dict[str, object] = {
        "sub": p.external_id,
        "name": p.name,
        "given_name": p.name.split()[0],
        "family_name": p.name.split()[-1],
        "picture": p.avatar_url,
        "locale": {"country": "US", "language": "en"},
    }
    if "email" in tok.scopes:
        body |= {"email": p.email, "email_verified": True}
    return JSONResponse(body)


def _post(post: Post, content: dict[str, object] | None = None) -> dict[str, object]:
    return ({"content": content} if content else {}) | {
        "id": post.id,
        "author": f"urn:li:person:{post.owner_id}",
        "commentary": post.caption,
        "visibility": "PUBLIC",
        "lifecycleState": "PUBLISHED",
        "publishedAt": int(post.created * 1000),
        "createdAt": int(post.created * 1000),
    }


async def posts(request: Request, st: SandboxState) -> Response:
    if request.method == "GET":
        tok = rest_caller(request, st)
        if isinstance(tok, Response):
            return tok
        author = request.query_params.get("author", "").removeprefix("urn:li:person:")
        count = int(request.query_params.get("count", "10"))
        media = contents(st, author)
        elements = [_post(p, media.get(p.id)) for p in st.posts_of(author)[:count]]
        return JSONResponse({"elements": elements, "paging": {"count": count}})
    return await create_post(request, st)


async def social_actions(request: Request, st: SandboxState) -> Response:
    tok = rest_caller(request, st)
    if isinstance(tok, Response):
        return tok
    urn = unquote(request.path_params["urn"])
    post = st.post(urn)
    if post is None:
        return linkedin_error(404, 404, "NOT_FOUND", "Not Found")
    if request.path_params.get("edge") == "comments":
        if request.method == "POST":
            text = ((await request.json()).get("message") or {}).get("text", "")
            comment = st.add_comment(urn, text, f"urn:li:person:{st.personas[tok.persona_id].external_id}")
            return Response(status_code=201, headers={"x-restli-id": comment.id})
        return JSONResponse(
            {
                "elements": [
                    {
                        "id": c.id,
                        "actor": c.author,
                        "object": urn,
                        "message": {"text": c.text},
                        "created": {"time": int(c.created * 1000)},
                    }
                    for c in post.comment_list
                ]
            }
        )
    return JSONResponse(
        {
            "target": urn,
            "likesSummary": {
                "totalLikes": post.reactions,
                "aggregatedTotalLikes": post.reactions,
                "likedByCurrentUser": False,
                "selectedLikes": [],
            },
            "commentsSummary": {
                "totalFirstLevelComments": len(post.comment_list),
                "aggregatedTotalComments": len(post.comment_list),
                "commentsState": "OPEN",
                "selectedComments": [],
            },
        }
    )
