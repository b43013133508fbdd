"""Publishing on the Meta Graph emulation (publishing.md §1, §2, §7).

Facebook Pages: ``POST /{page}/feed`` (text, link, ``attached_media``), ``/{page}/photos`` (one photo,
or a photo staged with ``published=false``), ``/{page}/videos`` with ``file_url`` (also on
graph-video.facebook.com), ``GET /{video-id}?fields=status,post_id`` while it processes, and
``DELETE /{photo-id}`` for a staged photo. Instagram, on graph.instagram.com (Instagram Login) and
on graph.facebook.com (a Page-linked account, Page or user token): ``POST /{ig}/media`` (image,
REELS, STORIES, carousel children and parent), ``GET /{container}?fields=status_code,status``,
``POST /{ig}/media_publish`` and ``GET /{ig}/content_publishing_limit``.

Media are downloaded from the URL given, as Meta does (``SandboxState.fetch_media``), and refused
as Meta would: unreachable, too large, not an image/video, Instagram images that are not JPEG or
whose aspect ratio is outside 4:5…1.91:1. Containers and videos change state with the sandbox
clock (IN_PROGRESS, then FINISHED, EXPIRED after 24 h); the quota counts ``media_publish`` calls
over a moving 24 h. A Page post identical to the Page's last one is refused with code 506.

Publishing faults (control API ``/_control/faults``), besides the request faults every endpoint
takes (``timeout``, ``server_error``, ``rate_limit``...) and ``timeout_after_create`` (the post is
made, the answer never arrives):
  * ``<facebook|instagram>.media_fetch`` / ``media_rejected``: the next fetched media is refused.
  * ``<facebook|instagram>.container_state`` / ``container_error`` (``status`` = the subcode in
    the ERROR text, default 2207026) or ``container_expired``: the next container ends that way;
    ``facebook.container_state`` / ``container_error`` also fails the next Page video's processing.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .common import Handler, authenticate
from .fetch import FetchedMedia
from .meta_common import body_params, ig_access, ig_media, no_object, page_access, path_parts, select
from .shapes import fields_of, graph_error, iso, missing_scope
from .state import CONTAINER_TTL, QUOTA_WINDOW, ContainerSpec, SandboxState, Token, new_post_id
from .store import SandboxContainer, SandboxMedia

FB_MAX_MESSAGE = 63_206  # publishing.md §1.2 (UNVERIFIED official number)
IG_MAX_CAPTION = 2_200  # §2.6
IG_MIN_ASPECT, IG_MAX_ASPECT = 4 / 5, 1.91  # §2.6
CAROUSEL_CHILDREN = (2, 10)  # §2.2
FB_IMAGE_FORMATS = {"jpeg", "png", "gif", "bmp", "tiff"}  # §1.7
VIDEO_FORMATS = {"mp4", "mov"}
DEFAULT_ERROR_SUBCODE = 2207026  # the §2.2 example: "Media upload has failed with error code 2207026"
_ATTACHED = re.compile(r"^attached_media\[(\d+)\]$")


@dataclass(frozen=True)
class MediaProblem:
    """Why Meta refuses a media file: the Graph error to answer with."""

    code: int
    subcode: int | None
    message: str


# -- media checks ------------------------------------------------------------------------------------


def sniff(body: bytes) -> str:
    """The file's format from its first bytes (what a downloader trusts, not the Content-Type)."""
    if body.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if body.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if body[:4] in (b"GIF8",):
        return "gif"
    if body.startswith(b"BM"):
        return "bmp"
    if body[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if body[4:8] == b"ftyp":
        return "mov" if body[8:10] == b"qt" else "mp4"
    return ""


def jpeg_size(body: bytes) -> tuple[int, int] | None:
    """(width, height) from a JPEG's start-of-frame segment, None if there is none."""
    i = 2
    while i + 9 < len(body):
        if body[i] != 0xFF:
            return None
        marker = body[i + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(body[i + 5 : i + 7], "big")
            width = int.from_bytes(body[i + 7 : i + 9], "big")
            return width, height
        i += 2 + int.from_bytes(body[i + 2 : i + 4], "big")
    return None


def _fetch(st: SandboxState, platform: str, url: str, limit: int) -> FetchedMedia | MediaProblem:
    """Download like Meta: unreachable or timed out → the documented fetch errors (§2.7)."""
    if st.take_publishing_fault(f"{platform}.media_fetch", ("media_rejected",)) is not None:
        return MediaProblem(36001, 2207005, "The image format is not supported.")
    fetched = st.fetch_media(url, limit)
    if fetched.timed_out:
        return MediaProblem(-2, 2207003, "Media download has timed out.")
    if not fetched.ok:
        return MediaProblem(9004, 2207052, "The media could not be fetched from this URI: " + url[:200])
    return fetched


def check_ig_image(st: SandboxState, platform: str, url: str) -> MediaProblem | None:
    """§2.6: JPEG only, ≤ 8 MB, aspect ratio 4:5 … 1.91:1."""
    fetched = _fetch(st, platform, url, st.options.instagram_image_max_bytes)
    if isinstance(fetched, MediaProblem):
        return fetched
    if len(fetched.body) > st.options.instagram_image_max_bytes:
        return MediaProblem(36000, 2207004, "The image size is too large.")
    if sniff(fetched.body) != "jpeg":
        return MediaProblem(36001, 2207005, "The image format is not supported.")
    size = jpeg_size(fetched.body)
    if size is None or not size[1] or not IG_MIN_ASPECT <= size[0] / size[1] <= IG_MAX_ASPECT:
        return MediaProblem(36003, 2207009, "The submitted image with aspect ratio cannot be published.")
    return None


def check_video(st: SandboxState, platform: str, url: str, limit: int) -> MediaProblem | None:
    """MP4/MOV within the size limit (§2.6); Meta reports these once processing ends."""
    fetched = _fetch(st, platform, url, limit)
    if isinstance(fetched, MediaProblem):
        return fetched
    if len(fetched.body) > limit or sniff(fetched.body) not in VIDEO_FORMATS:
        return MediaProblem(352, 2207026, "The video format is not supported.")
    return None


def check_fb_photo(st: SandboxState, url: str) -> MediaProblem | None:
    """§1.7 (UNVERIFIED): the usual image formats within the size limit; else code 324."""
    fetched = _fetch(st, "facebook", url, st.options.facebook_photo_max_bytes)
    invalid = MediaProblem(324, None, "(#324) Missing or invalid image file")
    if isinstance(fetched, MediaProblem):
        return invalid
    if len(fetched.body) > st.options.facebook_photo_max_bytes or sniff(fetched.body) not in FB_IMAGE_FORMATS:
        return invalid
    return None


def _problem(problem: MediaProblem) -> JSONResponse:
    return graph_error(problem.code, problem.message, problem.subcode)


# -- Facebook Pages ----------------------------------------------------------------------------------


def _page_writer(request: Request, st: SandboxState) -> Token | Response:
    """A Page token of this very Page with pages_manage_posts and the CREATE_CONTENT task (§1.1)."""
    token = authenticate(request, st, "facebook", "pages_manage_posts")
    if isinstance(token, Response):
        return token
    page_id = path_parts(request)[0]
    if token.kind != "page" or token.page_id != page_id:
        return graph_error(210, "(#210) A page access token is required to request this resource.", status=403)
    if not {"CREATE_CONTENT", "MANAGE"} & set(st.pages[page_id].tasks):
        return graph_error(
            200,
            "(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an "
            "admin with sufficient administrative permission",
            status=403,
        )
    return token


def _duplicate(st: SandboxState, page_id: str, message: str) -> Response | None:
    """Code 506 when the text repeats the Page's last post (§1.9)."""
    posts = st.posts_of(page_id)
    if message and posts and posts[0].caption == message:
        return graph_error(
            506,
            "(#506) This status update is identical to the last one you posted. Try posting something "
            "different, or delete your previous update.",
        )
    return None


def _attached_ids(body: dict[str, str]) -> list[str] | None:
    """``attached_media`` as a JSON list, or form fields ``attached_media[i]``; None if malformed."""
    raw: list[object] = []
    try:
        if "attached_media" in body:
            parsed = json.loads(body["attached_media"])
            raw = parsed if isinstance(parsed, list) else []
        indexed = sorted((int(m.group(1)), v) for k, v in body.items() if (m := _ATTACHED.match(k)))
        raw += [json.loads(v) for _, v in indexed]
    except ValueError:
        return None
    ids = [str(item.get("media_fbid", "")) for item in raw if isinstance(item, dict)]
    return ids if len(ids) == len(raw) and all(ids) else None


async def fb_feed(request: Request, st: SandboxState) -> Response:
    """``POST /{page}/feed``: a text or link post, or several staged photos as one post (§1.2, §1.4)."""
    token = _page_writer(request, st)
    if isinstance(token, Response):
        return token
    page_id, body = path_parts(request)[0], await body_params(request)
    message, link = body.get("message", ""), body.get("link", "")
    photo_ids = _attached_ids(body)
    if photo_ids is None:
        return graph_error(100, "(#100) param attached_media must be an array of objects with a media_fbid")
    if not (message or link or photo_ids):
        return graph_error(100, "(#100) Missing message or attachment")
    if len(message) > FB_MAX_MESSAGE:
        return graph_error(100, f"(#100) The message is too long: at most {FB_MAX_MESSAGE} characters")
    duplicate = _duplicate(st, page_id, message)
    if duplicate:
        return duplicate
    photos = [st.media(pid) for pid in photo_ids]
    if any(p is None or p.kind != "photo" or p.owner_id != page_id or p.post_id for p in photos):
        return graph_error(100, "(#100) attached_media must name unpublished photos of this Page")
    post_id = new_post_id("facebook", page_id)
    if photo_ids and not st.attach_photos(page_id, photo_ids, post_id):
        return graph_error(100, "(#100) attached_media must name unpublished photos of this Page")
    first = photos[0].url if photos and photos[0] else None
    kind = "album" if len(photo_ids) > 1 else ("image" if photo_ids else "")
    st.add_post("facebook", page_id, message, first, post_id=post_id, media_kind=kind, media_count=len(photo_ids))
    return JSONResponse({"id": post_id})


async def fb_photos(request: Request, st: SandboxState) -> Response:
    """``POST /{page}/photos`` with ``url``: a photo post, or a staged photo with ``published=false`` (§1.3)."""
    token = _page_writer(request, st)
    if isinstance(token, Response):
        return token
    page_id, body = path_parts(request)[0], await body_params(request)
    url, message = body.get("url", ""), body.get("message") or body.get("caption") or ""
    if not url:
        return graph_error(324, "(#324) Requires upload file")
    if len(message) > FB_MAX_MESSAGE:
        return graph_error(100, f"(#100) The message is too long: at most {FB_MAX_MESSAGE} characters")
    problem = check_fb_photo(st, url)
    if problem:
        return _problem(problem)
    if body.get("published", "true").lower() == "false":
        return JSONResponse({"id": st.add_media(page_id, "photo", url, ready_at=st.now())})
    duplicate = _duplicate(st, page_id, message)
    if duplicate:
        return duplicate
    post = st.add_post("facebook", page_id, message, url, media_kind="image", media_count=1)
    photo_id = st.add_media(page_id, "photo", url, ready_at=st.now(), post_id=post.id)
    return JSONResponse({"id": photo_id, "post_id": post.id})


async def fb_videos(request: Request, st: SandboxState) -> Response:
    """``POST /{page}/videos`` with ``file_url`` (§1.5): the id now, the post once processing ends."""
    token = _page_writer(request, st)
    if isinstance(token, Response):
        return token
    page_id, body = path_parts(request)[0], await body_params(request)
    url = body.get("file_url", "")
    if not url:
        return graph_error(100, "(#100) file_url is required (the sandbox does not take uploaded bytes)")
    description = body.get("description", "")
    problem = check_video(st, "facebook", url, st.options.facebook_video_max_bytes)
    fault = st.take_publishing_fault("facebook.container_state", ("container_error",))
    failed = problem is not None or fault is not None
    ready_at = st.now() + st.options.facebook_video_processing_seconds
    post_id = None
    if not failed:
        post_id = st.add_post(
            "facebook", page_id, description, url, created=ready_at, media_kind="video", media_count=1
        ).id
    video = st.add_media(page_id, "video", url, ready_at=ready_at, post_id=post_id, failed=failed, caption=description)
    return JSONResponse({"id": video})


def video_json(st: SandboxState, video: SandboxMedia) -> dict[str, object]:
    """A Page video as ``GET /{video-id}`` shows it (§1.5): its phases follow the clock."""
    processing = st.now() < video.ready_at and not video.failed
    phase = "error" if video.failed else ("in_progress" if processing else "complete")
    status: dict[str, object] = {
        "video_status": "error" if video.failed else ("processing" if processing else "ready"),
        "uploading_phase": {"status": "complete"},
        "processing_phase": {"status": phase},
        "publishing_phase": {"status": "complete" if phase == "complete" else "not_started"},
    }
    if video.failed:
        status["processing_phase"] = {"status": "error", "errors": [{"code": 1363008, "message": "Video failed"}]}
    body: dict[str, object] = {
        "id": video.id,
        "description": video.caption,
        "created_time": iso(video.created, graph=True),
        "status": status,
    }
    if phase == "complete" and video.post_id:
        body["post_id"] = video.post_id
        body["permalink_url"] = f"https://www.facebook.com/{video.post_id.replace('_', '/videos/')}"
    return body


async def fb_page_videos(request: Request, st: SandboxState) -> Response:
    """``GET /{page}/videos``: the Page's uploads, processing ones included (how a lost answer to
    ``/videos`` is reconciled before the post exists)."""
    token = authenticate(request, st, "facebook", "pages_read_engagement")
    if isinstance(token, Response):
        return token
    page_id = path_parts(request)[0]
    if not page_access(st, token, page_id):
        return no_object(page_id)
    wanted = fields_of(request, "id,description,created_time")
    limit = int(request.query_params.get("limit", "25"))
    return JSONResponse({"data": [select(video_json(st, v), wanted) for v in st.videos_of(page_id)[:limit]]})


async def fb_delete(request: Request, st: SandboxState) -> Response:
    """``DELETE /{photo-id}``: a staged photo that was never attached (§1.4 clean-up)."""
    token = authenticate(request, st, "facebook", "pages_manage_posts")
    if isinstance(token, Response):
        return token
    node = path_parts(request)[0]
    media = st.media(node)
    if media is None or media.post_id or not page_access(st, token, media.owner_id):
        return no_object(node, request.method.lower())
    st.delete_media(node)
    return JSONResponse({"success": True})


# -- Instagram containers (both hosts) ---------------------------------------------------------------


def container_state(st: SandboxState, row: SandboxContainer) -> tuple[str, str]:
    """(status_code, status) from the clock (§2.3); a carousel inherits a failed child's ERROR."""
    now = st.now()
    if row.media_id:
        return "PUBLISHED", "Published: Media has been published."
    if now >= row.created + CONTAINER_TTL:
        return "EXPIRED", "Expired: Media container was not published within 24 hours."
    if now < row.ready_at:
        return "IN_PROGRESS", "In Progress: Media is still being processed."
    subcode = row.error_subcode
    for child_id in row.children.split():
        child = st.container(child_id)
        if child is not None and child.error_subcode and subcode is None:
            subcode = child.error_subcode
    if subcode:
        return "ERROR", f"Error: Media upload has failed with error code {subcode}"
    return "FINISHED", "Finished: Media has been uploaded and it is ready to be published."


def container_node(st: SandboxState, row: SandboxContainer, wanted: set[str]) -> JSONResponse:
    status_code, status = container_state(st, row)
    return JSONResponse(select({"id": row.id, "status_code": status_code, "status": status}, wanted or {"id"}))


def _container_spec(st: SandboxState, owner: str, body: dict[str, str]) -> ContainerSpec | Response:
    media_type = (body.get("media_type") or "IMAGE").upper()
    if media_type not in ("IMAGE", "REELS", "VIDEO", "STORIES", "CAROUSEL"):
        return graph_error(100, "(#100) Param media_type must be one of {REELS, STORIES, CAROUSEL, VIDEO}")
    caption = body.get("caption", "")
    if len(caption) > IG_MAX_CAPTION:
        return graph_error(36004, "The caption is too long.", 2207010)
    item = body.get("is_carousel_item", "").lower() == "true"
    if media_type == "CAROUSEL":
        children = tuple(c for c in body.get("children", "").replace(" ", "").split(",") if c)
        low, high = CAROUSEL_CHILDREN
        if len(children) > high:
            return graph_error(100, "(#100) The carousel has more than 10 children.", 2207028)
        if len(children) < low:
            return graph_error(100, "(#100) A carousel needs at least 2 children.")
        rows = [st.container(c) for c in children]
        if any(r is None or r.owner_id != owner or not r.is_carousel_item or r.media_id for r in rows):
            return graph_error(100, "(#100) children must be carousel item containers of this account")
        return ContainerSpec(owner, rows[0].image_url if rows[0] else "", caption, "CAROUSEL", children=children)
    if media_type in ("REELS", "VIDEO"):
        url, needed = body.get("video_url", ""), "video_url"
        media_type = "VIDEO" if item else "REELS"  # since 2023-07 a single feed video is a Reel (§2.2)
    elif media_type == "STORIES":
        url, needed = body.get("image_url") or body.get("video_url", ""), "image_url"
    else:
        url, needed = body.get("image_url", ""), "image_url"
    if not url:
        return graph_error(100, f"(#100) The parameter {needed} is required.")
    return ContainerSpec(owner, url, "" if item else caption, media_type, is_carousel_item=item)


def create_container(st: SandboxState, platform: str, owner: str, body: dict[str, str]) -> Response:
    """``POST /{ig}/media`` (§2.2): image problems answer at once, video problems end in ERROR."""
    spec = _container_spec(st, owner, body)
    if isinstance(spec, Response):
        return spec
    o, subcode = st.options, None
    if spec.media_type == "CAROUSEL":
        children = [st.container(c) for c in spec.children]
        processing = max([0.0, *(c.ready_at - st.now() for c in children if c)])
    elif spec.media_type in ("REELS", "VIDEO") or (spec.media_type == "STORIES" and not body.get("image_url")):
        problem = check_video(st, platform, spec.media_url, o.instagram_video_max_bytes)
        if problem and problem.code in (9004, -2):
            return _problem(problem)
        subcode = problem.subcode if problem else None
        processing = o.instagram_video_processing_seconds
    else:
        problem = check_ig_image(st, platform, spec.media_url)
        if problem:
            return _problem(problem)
        processing = o.instagram_image_processing_seconds
    fault = st.take_publishing_fault(f"{platform}.container_state", ("container_error", "container_expired"))
    if fault is not None and fault.kind == "container_error":
        subcode = subcode or fault.status or DEFAULT_ERROR_SUBCODE
    expired = fault is not None and fault.kind == "container_expired"
    container = st.add_container(spec, processing_seconds=processing, error_subcode=subcode, expired=expired)
    return JSONResponse({"id": container})


def publish_container(st: SandboxState, owner: str, body: dict[str, str]) -> Response:
    """``POST /{ig}/media_publish`` (§2.2 step 3, §2.3, §2.5)."""
    creation_id = body.get("creation_id", "")
    if not creation_id:
        return graph_error(100, "(#100) The parameter creation_id is required.")
    row = st.container(creation_id)
    if row is None or row.owner_id != owner:
        return graph_error(24, "The media container ID is missing or has expired.", 2207008)
    if row.is_carousel_item:
        return graph_error(100, "(#100) A carousel item is published through its carousel.")
    status_code, _ = container_state(st, row)
    if status_code == "EXPIRED":
        return graph_error(-2, "The media container has expired.", 2207020)
    if status_code == "PUBLISHED":
        return graph_error(100, "(#100) This media container has already been published.")
    if status_code != "FINISHED":
        return graph_error(9007, "Media ID is not available", 2207027)
    if st.published_count(owner, st.now() - QUOTA_WINDOW) >= st.options.instagram_quota_total:
        return graph_error(
            9, "You have reached the maximum number of posts that is allowed for a 24 hour period.", 2207042
        )
    media_id = str(secrets.randbelow(10**16) + 17900000000000000)
    if not st.mark_published(row.id, media_id):
        return graph_error(100, "(#100) This media container has already been published.")
    if row.media_type != "STORIES":  # stories are not in /media
        kind = {"CAROUSEL": "album", "IMAGE": "image"}.get(row.media_type, "video")
        count = len(row.children.split()) if kind == "album" else 1
        st.add_post(
            "instagram", owner, row.caption, row.image_url, post_id=media_id, media_kind=kind, media_count=count
        )
    return JSONResponse({"id": media_id})


def publishing_limit(st: SandboxState, owner: str, request: Request) -> Response:
    """``GET /{ig}/content_publishing_limit?fields=quota_usage,config[&since=]`` (§2.5)."""
    since = max(st.now() - QUOTA_WINDOW, float(request.query_params.get("since") or 0))
    row = {
        "quota_usage": st.published_count(owner, since),
        "config": {"quota_total": st.options.instagram_quota_total, "quota_duration": int(QUOTA_WINDOW)},
    }
    wanted = fields_of(request, "quota_usage")
    return JSONResponse({"data": [{k: v for k, v in row.items() if k in wanted}]})


# -- routing -----------------------------------------------------------------------------------------


def _linked_writer(request: Request, st: SandboxState) -> tuple[Token, str] | Response:
    """A Page-linked Instagram account on graph.facebook.com: instagram_content_publish, then
    instagram_basic and pages_read_engagement (§2.1), a Page of it this token may act for."""
    token = authenticate(request, st, "facebook", "instagram_content_publish")
    if isinstance(token, Response):
        return token
    for scope in ("instagram_basic", "pages_read_engagement"):
        if scope not in token.scopes:
            return missing_scope("facebook", scope)
    ig_id = path_parts(request)[0]
    if not ig_access(st, token, ig_id):
        return no_object(ig_id, request.method.lower())
    return token, ig_id


Action = Callable[[SandboxState, str, str, Request], Awaitable[Response]]
"""(state, platform of the host, Instagram account id, request) → the answer."""


async def _create(st: SandboxState, platform: str, owner: str, request: Request) -> Response:
    return create_container(st, platform, owner, await body_params(request))


async def _publish(st: SandboxState, platform: str, owner: str, request: Request) -> Response:
    return publish_container(st, owner, await body_params(request))


async def _limit(st: SandboxState, platform: str, owner: str, request: Request) -> Response:
    return publishing_limit(st, owner, request)


def _linked(action: Action) -> Handler:
    """On graph.facebook.com, for a Page-linked account (``_linked_writer``)."""

    async def handler(request: Request, st: SandboxState) -> Response:
        found = _linked_writer(request, st)
        return found if isinstance(found, Response) else await action(st, "facebook", found[1], request)

    return handler


def _own(action: Action) -> Handler:
    """On graph.instagram.com: the token's own account (``me`` or its id), with the publish scope."""

    async def handler(request: Request, st: SandboxState) -> Response:
        token = authenticate(request, st, "instagram", "instagram_business_content_publish")
        if isinstance(token, Response):
            return token
        node, persona = path_parts(request)[0], st.personas[token.persona_id]
        if node not in ("me", persona.external_id):
            return no_object(node, request.method.lower())
        return await action(st, "instagram", persona.external_id, request)

    return handler


def facebook_publish_route(parts: list[str], method: str) -> tuple[str, Handler] | None:
    """(fault key, handler) of a Graph publishing request on graph(-video).facebook.com, or None."""
    if len(parts) == 1 and method == "DELETE":
        return "facebook.delete", fb_delete
    if len(parts) != 2:
        return None
    routes: dict[tuple[str, str], tuple[str, Handler]] = {
        ("POST", "feed"): ("facebook.publish", fb_feed),
        ("POST", "photos"): ("facebook.publish", fb_photos),
        ("POST", "videos"): ("facebook.videos", fb_videos),
        ("GET", "videos"): ("facebook.page_videos", fb_page_videos),
        ("POST", "media"): ("facebook.ig_container", _linked(_create)),
        ("POST", "media_publish"): ("facebook.ig_publish", _linked(_publish)),
        ("GET", "content_publishing_limit"): ("facebook.ig_limit", _linked(_limit)),
    }
    return routes.get((method, parts[1]))


def instagram_publish_route(parts: list[str], method: str) -> tuple[str, Handler] | None:
    """(fault key, handler) of a publishing request on graph.instagram.com, or None."""
    if len(parts) != 2:
        return None
    routes: dict[tuple[str, str], tuple[str, Handler]] = {
        ("POST", "media"): ("instagram.container", _own(_create)),
        ("POST", "media_publish"): ("instagram.publish", _own(_publish)),
        ("GET", "content_publishing_limit"): ("instagram.publishing_limit", _own(_limit)),
    }
    return routes.get((method, parts[1]))


def facebook_node(st: SandboxState, token: Token, node: str, wanted: set[str]) -> Response | None:
    """Publishing objects read on graph.facebook.com: a Page's video, a linked account's container
    or published media. None when the node is none of these (the caller answers)."""
    media = st.media(node)
    if media is not None and media.kind == "video" and page_access(st, token, media.owner_id):
        return JSONResponse(select(video_json(st, media), wanted))
    container = st.container(node)
    if container is not None and ig_access(st, token, container.owner_id):
        return container_node(st, container, wanted)
    post = st.post(node)
    if post is not None and post.platform == "instagram" and ig_access(st, token, post.owner_id):
        return JSONResponse(select(ig_media(post), wanted))
    return None


def instagram_node(st: SandboxState, owner: str, node: str, wanted: set[str]) -> Response | None:
    """A container of the Instagram Login account, or None."""
    container = st.container(node)
    if container is not None and container.owner_id == owner:
        return container_node(st, container, wanted)
    return None
