"""What the Graph emulation's modules share: path and body parsing, who may act on a Page or a
Page-linked Instagram account, and the Graph shapes of a post (read by the feeds and by publishing)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import JSONResponse

from .seed import Post
from .shapes import form, graph_error, iso
from .state import SandboxState, Token

VERSION = re.compile(r"^v\d+\.\d+/")

FB_ATTACHMENT_TYPES = {"image": "photo", "video": "video_inline", "album": "album"}
IG_MEDIA_TYPES = {"image": "IMAGE", "video": "VIDEO", "album": "CAROUSEL_ALBUM"}


def path_parts(request: Request) -> list[str]:
    return VERSION.sub("", request.path_params["path"].strip("/")).split("/")


def select(obj: Mapping[str, object], wanted: set[str]) -> dict[str, object]:
    return {k: v for k, v in obj.items() if not wanted or k in wanted or k == "id"}


def no_object(node: str, method: str = "get") -> JSONResponse:
    """Graph's answer for an id that does not exist or that this token may not see (code 100/33)."""
    return graph_error(
        100,
        f"Unsupported {method} request. Object with ID '{node}' does not exist, cannot be loaded due "
        "to missing permissions, or does not support this operation.",
        33,
    )


def page_access(st: SandboxState, token: Token, page_id: str) -> bool:
    return token.page_id == page_id or (token.kind in ("short", "long") and page_id in token.page_ids)


def ig_access(st: SandboxState, token: Token, ig_id: str) -> bool:
    """A Page or user token of a Page the Instagram account is linked to."""
    return ig_id in st.linked_instagram and any(
        page.instagram_id == ig_id and page_access(st, token, page.id) for page in st.pages.values()
    )


def fb_post(post: Post) -> dict[str, object]:
    body: dict[str, object] = {
        "id": post.id,
        "message": post.caption,
        "created_time": iso(post.created, graph=True),
        "permalink_url": f"https://www.facebook.com/{post.id.replace('_', '/posts/')}",
        "full_picture": post.media_url,
        "reactions": {"data": [], "summary": {"total_count": post.reactions, "viewer_reaction": "NONE"}},
        "comments": {
            "data": [],
            "summary": {"order": "ranked", "total_count": len(post.comment_list), "can_comment": True},
        },
    }
    if post.shares:
        body["shares"] = {"count": post.shares}
    if post.media_items:
        body["attachments"] = {"data": [_fb_attachment(post)]}
    return body


def _fb_attachment(post: Post) -> dict[str, object]:
    """The ``attachments`` edge: an album lists its photos as ``subattachments``."""
    kind = post.media_kind or "image"
    attachment: dict[str, object] = {
        "media_type": FB_ATTACHMENT_TYPES[kind].split("_")[0],
        "type": FB_ATTACHMENT_TYPES[kind],
        "media": {"image": {"src": post.media_url}},
    }
    if kind == "album":
        attachment["subattachments"] = {
            "data": [{"type": "photo", "target": {"id": f"{post.id}{i}"}} for i in range(post.media_items)]
        }
    return attachment


async def body_params(request: Request) -> dict[str, str]:
    """Graph takes parameters in the query, a form or a JSON body alike; nested JSON values come
    back as JSON text (``attached_media``), as a form would carry them."""
    params = dict(request.query_params)
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = await request.json()
        except ValueError:
            data = None
        if isinstance(data, dict):
            params.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items()})
        return params
    return {**params, **(await form(request))}


def ig_media(post: Post) -> dict[str, object]:
    body: dict[str, object] = {
        "id": post.id,
        "caption": post.caption,
        "media_type": IG_MEDIA_TYPES[post.media_kind or "image"],
        "media_url": post.media_url,
        "permalink": f"https://www.instagram.com/p/{post.id[-8:]}/",
        "timestamp": iso(post.created, graph=True),
        "like_count": post.reactions,
        "comments_count": len(post.comment_list),
    }
    if post.media_kind == "album":
        body["children"] = {"data": [{"id": f"{post.id}{i}"} for i in range(post.media_items)]}
    if post.media_kind == "video":
        body["media_product_type"] = "REELS"
    return body
