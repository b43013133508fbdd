"""Comment management on the Graph (reference/engagement.md §1-2): Facebook Page posts on
graph.facebook.com, Instagram media on both hosts (a Page-linked account on graph.facebook.com,
Instagram Login on graph.instagram.com), and the "simulated audience" that comments as a persona
and has Meta deliver the webhook.

Threads: Facebook two levels (``parent`` on a reply; ``filter=stream`` flattens, ``toplevel`` does
not), Instagram one level (``replies`` nested under a top-level comment). Replying to a reply is
refused on both (the app answers the reply's parent). What an app does to a comment (hide, delete,
like) is kept per tenant in ``sandbox_moderation``, so seeded comments can be moderated too and one
workspace's moderation is not another's. Scopes, as Meta checks them:

* Facebook: list ``pages_read_engagement`` (``from`` only with ``pages_read_user_content``; ids only
  for a Page token whose task list has MODERATE); reply, hide, delete, like ``pages_manage_engagement``.
* Instagram on graph.facebook.com: ``instagram_basic`` + ``pages_read_engagement`` to list, and
  ``instagram_manage_comments`` to reply, hide or delete.
* Instagram Login: ``instagram_business_manage_comments`` for everything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .common import Handler, authenticate
from .meta_common import body_params, ig_access, no_object, page_access, path_parts
from .seed import Comment, Post
from .shapes import fields_of, graph_error, iso, missing_scope
from .state import SandboxState, Token, current_tenant
from .store import WORLD, SandboxComment, SandboxModeration
from .webhook_push import MetaApp

COMMENT_ID = re.compile(r"_c\d+(_\d+)?$")  # seeded "{post}_c1", added "{post}_c3_123456"
FB_WRITE = "pages_manage_engagement"
IG_FB_WRITE = "instagram_manage_comments"
IG_LOGIN_SCOPE = "instagram_business_manage_comments"


def is_comment_id(node: str) -> bool:
    return bool(COMMENT_ID.search(node))


@dataclass(frozen=True)
class Found:
    """A comment with its post and this tenant's moderation of it."""

    comment: Comment
    post: Post
    hidden: bool = False
    deleted: bool = False
    liked: bool = False


def is_instagram(st: SandboxState, post: Post) -> bool:
    """Instagram media (seeded media of a Page-linked account carry the Page's platform)."""
    return post.platform == "instagram" or post.owner_id in st.linked_instagram


def _key(tenant: str, comment_id: str) -> str:
    return f"{tenant}|{comment_id}"


def _moderation(st: SandboxState, ids: list[str]) -> dict[str, SandboxModeration]:
    if not ids:
        return {}
    tenant = current_tenant()
    with st._db() as s:
        rows = s.exec(
            select(SandboxModeration).where(
                col(SandboxModeration.comment_id).in_(ids), SandboxModeration.tenant == tenant
            )
        ).all()
        return {r.comment_id: r for r in rows}


def set_moderation(st: SandboxState, comment_id: str, **changes: bool) -> None:
    """Record what the current tenant's app did to a comment."""
    tenant = current_tenant()
    with st._db() as s:
        row = s.get(SandboxModeration, _key(tenant, comment_id)) or SandboxModeration(
            key=_key(tenant, comment_id), tenant=tenant, comment_id=comment_id
        )
        for name, value in changes.items():
            setattr(row, name, value)
        row.updated = st.now()
        s.add(row)
        s.commit()


def thread(st: SandboxState, post: Post) -> list[Found]:
    """The post's comments as this tenant sees them, deleted ones left out, oldest first."""
    rows = _moderation(st, [c.id for c in post.comment_list])
    found = []
    for c in sorted(post.comment_list, key=lambda c: c.created):
        m = rows.get(c.id)
        if m is not None and m.deleted:
            continue
        found.append(Found(c, post, bool(m and m.hidden), False, bool(m and m.liked)))
    return found


def find(st: SandboxState, comment_id: str) -> Found | None:
    """A comment the current tenant can see and has not deleted."""
    match = COMMENT_ID.search(comment_id)
    if match is None or len(comment_id) > 96:
        return None
    post = st.post(comment_id[: match.start()])
    if post is None:
        return None
    return next((f for f in thread(st, post) if f.comment.id == comment_id), None)


def _replies(items: list[Found], parent: str) -> list[Found]:
    return [f for f in items if f.comment.parent_id == parent]


# -- Facebook Page comments --------------------------------------------------------------------------


def _own(st: SandboxState, found: Found) -> bool:
    """Written by the account that owns the post (the Page, or the Instagram account)."""
    c, owner = found.comment, found.post.owner_id
    return c.author_id == owner


def _fb_row(st: SandboxState, f: Found, items: list[Found], with_from: bool, with_id: bool) -> dict[str, object]:
    c = f.comment
    row: dict[str, object] = {
        "message": c.text,
        "created_time": iso(c.created, graph=True),
        "like_count": c.likes + (1 if f.liked else 0),
        "comment_count": len(_replies(items, c.id)),
        "is_hidden": f.hidden,
        "can_hide": not _own(st, f),
        "can_remove": True,
        "user_likes": f.liked,
    }
    if with_from:
        row["from"] = {"name": c.author, "id": c.author_id or str(abs(hash(c.author)) % 10**15)}
    if c.parent_id:
        row["parent"] = {"id": c.parent_id}
    if with_id:
        row["id"] = c.id  # v11+: ids only for tokens that can MODERATE (§1.5 h)
    return row


def _wanted(request: Request, row: Mapping[str, object]) -> dict[str, object]:
    """The asked-for fields (all of them when ``fields`` is not given)."""
    wanted = fields_of(request)
    return {k: v for k, v in row.items() if not wanted or k in wanted or k == "id"}


async def fb_comments(request: Request, st: SandboxState) -> Response:
    """GET or POST ``/{page-post-id}/comments``."""
    token = authenticate(request, st, "facebook", "pages_read_engagement")
    if isinstance(token, Response):
        return token
    node = path_parts(request)[0]
    post = st.post(node)
    if post is None or is_instagram(st, post) or not page_access(st, token, post.owner_id):
        return no_object(node, request.method.lower())
    if request.method == "POST":
        if FB_WRITE not in token.scopes:
            return missing_scope("facebook", FB_WRITE)
        page = st.pages[post.owner_id]
        text = (await body_params(request)).get("message", "")
        return JSONResponse({"id": st.add_comment(post.id, text, page.name, author_id=page.id).id})
    q = request.query_params
    items = thread(st, post)
    shown = items if q.get("filter") == "stream" else [f for f in items if not f.comment.parent_id]
    if q.get("order") == "reverse_chronological":
        shown = shown[::-1]
    moderate = token.kind == "page" and "MODERATE" in st.pages[post.owner_id].tasks
    with_from = "pages_read_user_content" in token.scopes
    limit = int(q.get("limit", "25") or 25)
    rows = [_wanted(request, _fb_row(st, f, items, with_from, moderate)) for f in shown]
    summary = {"order": q.get("order", "chronological"), "total_count": len(shown), "can_comment": True}
    return JSONResponse({"data": rows[:limit], "summary": summary})


def _fb_write_token(request: Request, st: SandboxState, node: str) -> tuple[Token, Found] | Response:
    """A Page (or linked Instagram) comment the token may moderate; Meta's error otherwise."""
    token = authenticate(request, st, "facebook")
    if isinstance(token, Response):
        return token
    found = find(st, node)
    if found is None:
        return no_object(node, request.method.lower())
    owner = found.post.owner_id
    if is_instagram(st, found.post):
        if not ig_access(st, token, owner):
            return no_object(node, request.method.lower())
        for scope in ("instagram_basic", "pages_read_engagement", IG_FB_WRITE):
            if scope not in token.scopes:
                return missing_scope("facebook", scope)
        return token, found
    if not page_access(st, token, owner):
        return no_object(node, request.method.lower())
    if FB_WRITE not in token.scopes:
        return missing_scope("facebook", FB_WRITE)
    return token, found


async def fb_comment_node(request: Request, st: SandboxState) -> Response:
    """POST ``/{comment-id}?is_hidden=`` (Instagram: ``?hide=``) and DELETE ``/{comment-id}``."""
    node = path_parts(request)[0]
    checked = _fb_write_token(request, st, node)
    if isinstance(checked, Response):
        return checked
    _, found = checked
    return await _moderate(request, st, found, "hide" if is_instagram(st, found.post) else "is_hidden")


async def _moderate(request: Request, st: SandboxState, found: Found, hide_param: str) -> Response:
    if request.method == "DELETE":
        set_moderation(st, found.comment.id, deleted=True)
        return JSONResponse({"success": True})
    params = await body_params(request)
    value = params.get(hide_param, "").lower()
    if value not in ("true", "false"):
        return graph_error(100, f"(#100) The parameter {hide_param} is required")
    if value == "true" and _own(st, found):
        return graph_error(100, "(#100) You cannot hide a comment made by this account")
    set_moderation(st, found.comment.id, hidden=value == "true")
    return JSONResponse({"success": True})


async def fb_comment_likes(request: Request, st: SandboxState) -> Response:
    """POST / DELETE ``/{comment-id}/likes``: the Page likes a comment, or stops liking it."""
    node = path_parts(request)[0]
    checked = _fb_write_token(request, st, node)
    if isinstance(checked, Response):
        return checked
    _, found = checked
    if is_instagram(st, found.post):
        return graph_error(100, "Unsupported post request.", 33)
    set_moderation(st, found.comment.id, liked=request.method == "POST")
    return JSONResponse({"success": True})


async def fb_reply(request: Request, st: SandboxState) -> Response:
    """POST ``/{comment-id}/comments`` (Facebook) or ``/{ig-comment-id}/replies`` (linked Instagram)."""
    node = path_parts(request)[0]
    checked = _fb_write_token(request, st, node)
    if isinstance(checked, Response):
        return checked
    _, found = checked
    edge = path_parts(request)[1]
    if (edge == "replies") != is_instagram(st, found.post):
        return graph_error(100, f"Unsupported post request. Edge {edge} does not exist on this comment", 33)
    if is_instagram(st, found.post):
        ig = st.linked_instagram[found.post.owner_id]
        return await _reply(request, st, found, ig.username)
    return await _reply(request, st, found, st.pages[found.post.owner_id].name)


async def _reply(request: Request, st: SandboxState, found: Found, author: str) -> Response:
    if found.comment.parent_id:  # Facebook: two levels; Instagram: one (§1.2, §2.3)
        return graph_error(100, "(#100) Replies can only be made to top-level comments")
    text = (await body_params(request)).get("message", "").strip()
    if not text:
        return graph_error(100, "(#100) The parameter message is required")
    reply = st.add_comment(found.post.id, text, author, parent_id=found.comment.id, author_id=found.post.owner_id)
    return JSONResponse({"id": reply.id})


# -- Instagram comments (both hosts) ------------------------------------------------------------------


def _ig_row(f: Found) -> dict[str, object]:
    c = f.comment
    row: dict[str, object] = {
        "id": c.id,
        "text": c.text,
        "timestamp": iso(c.created, graph=True),
        "username": c.author,
        "like_count": c.likes,
        "hidden": f.hidden,
        "from": {"id": c.author_id or str(abs(hash(c.author)) % 10**15), "username": c.author},
        "media": {"id": f.post.id},
    }
    if c.parent_id:
        row["parent_id"] = c.parent_id
    return row


def ig_list(request: Request, st: SandboxState, post: Post) -> Response:
    """Top-level comments, each with its ``replies`` when asked for (``replies{...}``)."""
    items = thread(st, post)
    wanted = fields_of(request, "id,text,timestamp")
    limit = int(request.query_params.get("limit", "25") or 25)
    rows = []
    for f in [f for f in items if not f.comment.parent_id][:limit]:
        row = {k: v for k, v in _ig_row(f).items() if k in wanted or k == "id"}
        if "replies" in wanted:
            row["replies"] = {"data": [_ig_row(r) for r in _replies(items, f.comment.id)]}
        rows.append(row)
    return JSONResponse({"data": rows, "paging": {"cursors": {"before": "QVFIUc", "after": "QVFIUd"}}})


async def fb_ig_comments(request: Request, st: SandboxState) -> Response:
    """GET ``/{ig-media-id}/comments`` on graph.facebook.com (a Page-linked account)."""
    token = authenticate(request, st, "facebook", "instagram_basic")
    if isinstance(token, Response):
        return token
    if "pages_read_engagement" not in token.scopes:
        return missing_scope("facebook", "pages_read_engagement")
    media_id = path_parts(request)[0]
    post = st.post(media_id)
    if post is None or not ig_access(st, token, post.owner_id):
        return no_object(media_id)
    return ig_list(request, st, post)


def _ig_login(request: Request, st: SandboxState) -> tuple[Token, str] | Response:
    token = authenticate(request, st, "instagram", IG_LOGIN_SCOPE)
    if isinstance(token, Response):
        return token
    return token, st.personas[token.persona_id].external_id


async def ig_comments(request: Request, st: SandboxState) -> Response:
    """GET or POST ``/{ig-media-id}/comments`` on graph.instagram.com."""
    checked = _ig_login(request, st)
    if isinstance(checked, Response):
        return checked
    token, owner = checked
    node = path_parts(request)[0]
    post = st.post(node)
    if post is None or post.owner_id != owner:
        return no_object(node, request.method.lower())
    if request.method == "POST":
        text = (await body_params(request)).get("message", "")
        username = st.personas[token.persona_id].username
        return JSONResponse({"id": st.add_comment(post.id, text, username, author_id=owner).id})
    return ig_list(request, st, post)


def _ig_comment(request: Request, st: SandboxState) -> tuple[Token, Found] | Response:
    checked = _ig_login(request, st)
    if isinstance(checked, Response):
        return checked
    token, owner = checked
    node = path_parts(request)[0]
    found = find(st, node)
    if found is None or found.post.owner_id != owner:
        return no_object(node, request.method.lower())
    return token, found


async def ig_comment_node(request: Request, st: SandboxState) -> Response:
    """POST ``/{ig-comment-id}?hide=`` and DELETE ``/{ig-comment-id}`` on graph.instagram.com."""
    checked = _ig_comment(request, st)
    if isinstance(checked, Response):
        return checked
    return await _moderate(request, st, checked[1], "hide")


async def ig_replies(request: Request, st: SandboxState) -> Response:
    """POST ``/{ig-comment-id}/replies`` on graph.instagram.com."""
    checked = _ig_comment(request, st)
    if isinstance(checked, Response):
        return checked
    token, found = checked
    return await _reply(request, st, found, st.personas[token.persona_id].username)


# -- dispatch ------------------------------------------------------------------------------------------


def facebook_route(parts: list[str], method: str) -> tuple[str, Handler] | None:
    """Comment-node calls on graph.facebook.com (a post's own ``comments`` edge stays in meta.py)."""
    node = parts[0] if parts else ""
    if not is_comment_id(node):
        return None
    if len(parts) == 1 and method in ("POST", "DELETE"):
        return "facebook.comment", fb_comment_node
    if len(parts) == 2 and parts[1] == "likes" and method in ("POST", "DELETE"):
        return "facebook.comment_likes", fb_comment_likes
    if len(parts) == 2 and parts[1] in ("comments", "replies") and method == "POST":
        return "facebook.comment_replies", fb_reply
    return None


def instagram_route(parts: list[str], method: str) -> tuple[str, Handler] | None:
    node = parts[0] if parts else ""
    if not is_comment_id(node):
        return None
    if len(parts) == 1 and method in ("POST", "DELETE"):
        return "instagram.comment", ig_comment_node
    if len(parts) == 2 and parts[1] == "replies" and method == "POST":
        return "instagram.replies", ig_replies
    return None


# -- the simulated audience and the test's view ----------------------------------------------------------


def audience_comment(st: SandboxState, body: Mapping[str, Any]) -> dict[str, object]:
    """A persona comments on a post (``post_id``, or the latest post of ``account``), then Meta's
    webhook for it goes to the subscribed callback (Page ``feed`` or Instagram ``comments``)."""
    post_id = str(body.get("post_id") or "")
    if not post_id:
        posts = st.posts_of(str(body["account"]))
        if not posts:
            raise ValueError("the account has no posts")
        post_id = posts[0].id
    post = st.post(post_id)
    if post is None or not (post.platform == "facebook" or is_instagram(st, post)):
        raise KeyError(post_id)
    author = str(body.get("author") or "Sandbox visitor")[:128]
    author_id = str(body.get("author_id") or abs(hash(author)) % 10**15 + 10**15)
    parent = str(body.get("parent_id") or "") or None
    comment = st.add_comment(
        post.id, str(body["text"]), author, tenant=str(body.get("tenant", WORLD)), parent_id=parent, author_id=author_id
    )
    when = int(comment.created)
    if not is_instagram(st, post):
        value: dict[str, object] = {
            "item": "comment",
            "verb": "add",
            "comment_id": comment.id,
            "post_id": post.id,
            "parent_id": parent or post.id,  # a top-level comment's parent is the post (§4.5)
            "created_time": when,
            "from": {"id": author_id, "name": author},
            "message": comment.text,
            "post": {"id": post.id, "status_type": "added_photos", "is_published": True},
        }
        entry = {"id": post.owner_id, "time": when, "changes": [{"field": "feed", "value": value}]}
        delivery = st.webhooks.push("facebook", "page", entry)
    else:
        ig_value: dict[str, object] = {
            "id": comment.id,
            "text": comment.text,
            "from": {"id": author_id, "username": author},
            "media": {"id": post.id, "media_product_type": "FEED"},
        }
        if parent:
            ig_value["parent_id"] = parent
        entry = {"id": post.owner_id, "time": when, "changes": [{"field": "comments", "value": ig_value}]}
        app: MetaApp = "facebook" if post.owner_id in st.linked_instagram else "instagram"
        delivery = st.webhooks.push(app, "instagram", entry)
    return {"id": comment.id, "post_id": post.id, "delivery": delivery.id if delivery else None}


def inspect_comment(st: SandboxState, comment_id: str) -> dict[str, object]:
    """A comment as the platform holds it, for tests: every tenant's moderation and the replies."""
    match = COMMENT_ID.search(comment_id)
    post = st.post(comment_id[: match.start()]) if match else None
    comment = next((c for c in post.comment_list if c.id == comment_id), None) if post else None
    with st._db() as s:
        rows = s.exec(select(SandboxModeration).where(SandboxModeration.comment_id == comment_id)).all()
        replies = s.exec(select(SandboxComment).where(SandboxComment.parent_id == comment_id)).all()
        moderation = {r.tenant: {"hidden": r.hidden, "deleted": r.deleted, "liked": r.liked} for r in rows}
        reply_rows = [{"id": r.id, "text": r.text, "author": r.author, "tenant": r.tenant} for r in replies]
    if comment is None:
        raise KeyError(comment_id)
    return {
        "id": comment.id,
        "text": comment.text,
        "author": comment.author,
        "parent_id": comment.parent_id,
        "hidden": any(m["hidden"] for m in moderation.values()),
        "deleted": any(m["deleted"] for m in moderation.values()),
        "liked": any(m["liked"] for m in moderation.values()),
        "moderation": moderation,
        "replies": reply_rows,
    }
