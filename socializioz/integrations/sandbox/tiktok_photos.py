"""TikTok photo posts (publishing.md §3.7): ``POST /v2/post/publish/content/init/`` with
``media_type: PHOTO``, PULL_FROM_URL only, up to 35 JPEG or WebP images (no PNG) of at most
20 MB, a title of 90 and a description of 4,000 UTF-16 units. The task then runs the same status
machine as a pulled video (``tiktok_publishing.task_status``)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from socializioz.domain.text_length import utf16_length

from . import uploads
from .media_probe import sniff
from .shapes import tiktok_api_error, tiktok_ok
from .state import SandboxState
from .tiktok_publishing import (
    KIND,
    direct_post_problem,
    init_caller,
    invalid,
    pending_share_problem,
    task_facts,
)

PHOTO_TYPES = frozenset({"image/jpeg", "image/webp"})
MAX_PHOTOS, MAX_PHOTO_BYTES = 35, 20 * 1024 * 1024
MAX_TITLE, MAX_DESCRIPTION = 90, 4000


def _pull(st: SandboxState, urls: list[str]) -> tuple[int, str | None]:
    """(bytes pulled, fail_reason) for the images, as TikTok's download would see them."""
    total = 0
    for url in urls:
        fetched = st.fetch_media(url, MAX_PHOTO_BYTES)
        if not fetched.ok:
            return total, "photo_pull_failed"
        if len(fetched.body) > MAX_PHOTO_BYTES:
            return total, "picture_size_check_failed"
        if sniff(fetched.body[:16]) not in PHOTO_TYPES:
            return total, "file_format_check_failed"
        total += len(fetched.body)
    return total, None


async def content_init(request: Request, st: SandboxState) -> Response:
    try:
        body = await request.json()
    except ValueError:
        return invalid("The request body is not JSON.")
    inbox = body.get("post_mode") == "MEDIA_UPLOAD"
    tok = init_caller(request, st, inbox=inbox)
    if isinstance(tok, Response):
        return tok
    post_info: dict[str, Any] = body.get("post_info") or {}
    source: dict[str, Any] = body.get("source_info") or {}
    images = [str(u) for u in source.get("photo_images") or []]
    if body.get("media_type") != "PHOTO" or body.get("post_mode") not in ("DIRECT_POST", "MEDIA_UPLOAD"):
        return invalid("media_type must be PHOTO and post_mode DIRECT_POST or MEDIA_UPLOAD.")
    if source.get("source") != "PULL_FROM_URL" or not 1 <= len(images) <= MAX_PHOTOS:
        return invalid("Photo posts pull 1 to 35 photo_images from URLs.")
    title, description = str(post_info.get("title", "")), str(post_info.get("description", ""))
    if utf16_length(title) > MAX_TITLE or utf16_length(description) > MAX_DESCRIPTION:
        return invalid("title may have 90 characters and description 4000.")
    if not all(url.startswith(st.verified_url_prefixes or ("\0",)) for url in images):
        return tiktok_api_error("url_ownership_unverified", "A photo URL's domain is not verified.", 403)
    owner = st.personas[tok.persona_id].external_id
    problem = pending_share_problem(st, owner) if inbox else direct_post_problem(st, tok, post_info)
    if problem:
        return problem
    data = task_facts(st, tok, inbox, {"source": "PULL_FROM_URL"}, {} if inbox else post_info)
    pulled, reason = _pull(st, images)
    # The feed shows the description (the title is its headline).
    data |= {"photos": len(images), "title": description or title, "video_size": pulled, "mime": "image/jpeg"}
    data["fail_reason"] = data["fail_reason"] or reason
    publish_id = f"p_{'inbox' if inbox else 'pub'}_url~v2.{uploads.new_number()}"
    uploads.create(st, "tiktok", KIND, owner, data, publish_id)
    return tiktok_ok({"publish_id": publish_id})
