"""LinkedIn Images, Videos and Posts APIs (publishing.md §5): ``initializeUpload``, the PUT to the
upload URL(s) (images with the token, video parts without it, each answered with an ETag),
``finalizeUpload`` with the ETags in order, status reads, and ``POST /rest/posts`` with the media,
"little text" commentary (unescaped reserved characters silently truncate it), 3,000 characters,
and the 422 duplicate that names the existing post.

Images and videos are ``SandboxUpload`` rows (kinds ``li_image``, ``li_video``) whose status
comes from the clock: WAITING_UPLOAD, PROCESSING for ``linkedin_processing_seconds``, then
AVAILABLE or PROCESSING_FAILED. A post's content is kept as kind ``li_post`` for reads.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import uploads
from .common import authenticate
from .media_probe import BoxWalker, sniff
from .publish_faults import processing_fault
from .shapes import linkedin_error
from .state import SandboxState, Token, use_tenant

API_HOST, UPLOAD_HOST = "api.linkedin.com", "www.linkedin.com"
IMAGE, VIDEO, POST = "li_image", "li_video", "li_post"
PART_BYTES = 4 * 1024 * 1024  # video parts (§5.5)
UPLOAD_CAP = 32 * 1024 * 1024  # one image or one video part per PUT
VIDEO_BYTES = (75 * 1024, 500 * 1024 * 1024)
VIDEO_SECONDS = (3.0, 30 * 60.0)
IMAGE_TYPES = frozenset({"image/jpeg", "image/gif", "image/png"})
MAX_COMMENTARY = 3000
RESERVED = set("|{}@[]()<>#\\*_~")


def version_problem(request: Request) -> Response | None:
    """Every ``/rest`` call needs ``LinkedIn-Version`` (§5.1)."""
    if not request.headers.get("linkedin-version"):
        return linkedin_error(426, 426, "NONEXISTENT_VERSION", "Requested version  is not active")
    return None


def rest_caller(request: Request, st: SandboxState, scope: str | None = None) -> Token | Response:
    """The token of a ``/rest`` call, or LinkedIn's answer to a missing version or a bad token."""
    return version_problem(request) or authenticate(request, st, "linkedin", scope, kinds=("access",))


def _member(request: Request, st: SandboxState) -> Token | Response:
    return rest_caller(request, st, "w_member_social")


def _author_of(st: SandboxState, tok: Token) -> str:
    return f"urn:li:person:{st.personas[tok.persona_id].external_id}"


def _base(request: Request) -> str:
    return str(request.url).split(f"/{API_HOST}/", 1)[0]


def _new_asset(st: SandboxState, tok: Token, kind: str, data: dict[str, Any]) -> tuple[str, str]:
    asset = ("C4E10AQ" if kind == IMAGE else "C5F10AQ") + secrets.token_urlsafe(12).replace("-", "x").replace("_", "y")
    urn = f"urn:li:{'image' if kind == IMAGE else 'video'}:{asset}"
    facts = {"persona": tok.persona_id, "uploaded_at": None, "mime": None, "fault": processing_fault(st, "linkedin")}
    uploads.create(st, "linkedin", kind, _author_of(st, tok), facts | data, urn)
    return asset, urn


async def _init_request(request: Request, st: SandboxState, tok: Token) -> dict[str, Any] | Response:
    try:
        body = (await request.json())["initializeUploadRequest"]
    except (ValueError, KeyError, TypeError):
        return linkedin_error(
            422, 422, "UNPROCESSABLE_ENTITY", "initializeUploadRequest field is required but not found"
        )
    if body.get("owner") != _author_of(st, tok):
        return linkedin_error(403, 100, "ACCESS_DENIED", "Not enough permissions to upload for this owner")
    return dict(body)


async def images(request: Request, st: SandboxState) -> Response:
    """``POST /rest/images?action=initializeUpload`` (§5.4)."""
    tok = _member(request, st)
    if isinstance(tok, Response):
        return tok
    if request.query_params.get("action") != "initializeUpload":
        return linkedin_error(400, 400, "ILLEGAL_ARGUMENT", "Unsupported action")
    init = await _init_request(request, st, tok)
    if isinstance(init, Response):
        return init
    asset, urn = _new_asset(st, tok, IMAGE, {})
    url = f"{_base(request)}/{UPLOAD_HOST}/dms-uploads/sp/v2/{asset}/uploaded-image/0?ca=vector_feedshare&cn=uploads"
    expires = int((st.now() + 86400) * 1000)
    return JSONResponse({"value": {"uploadUrlExpiresAt": expires, "uploadUrl": url, "image": urn}})


async def videos(request: Request, st: SandboxState) -> Response:
    """``POST /rest/videos?action=initializeUpload|finalizeUpload`` (§5.5)."""
    tok = _member(request, st)
    if isinstance(tok, Response):
        return tok
    action = request.query_params.get("action")
    if action == "finalizeUpload":
        return await _finalize_video(request, st, tok)
    if action != "initializeUpload":
        return linkedin_error(400, 400, "ILLEGAL_ARGUMENT", "Unsupported action")
    init = await _init_request(request, st, tok)
    if isinstance(init, Response):
        return init
    size = int(init.get("fileSizeBytes") or 0)
    if not VIDEO_BYTES[0] <= size <= VIDEO_BYTES[1]:
        return linkedin_error(400, 400, "INVALID_VALUE_FOR_FIELD", "fileSizeBytes must be 75 KB to 500 MB")
    ranges = [(start, min(start + PART_BYTES, size) - 1) for start in range(0, size, PART_BYTES)]
    asset, urn = _new_asset(
        st, tok, VIDEO, {"size": size, "ranges": ranges, "etags": {}, "next_box": 0, "duration": None}
    )
    base = f"{_base(request)}/{UPLOAD_HOST}/dms-uploads/sp/v2/{asset}/uploadedVideo"
    instructions = [
        {"uploadUrl": f"{base}/{i}?ca=vector_feedshare&cn=uploads", "firstByte": first, "lastByte": last}
        for i, (first, last) in enumerate(ranges)
    ]
    expires = int((st.now() + 86400) * 1000)
    return JSONResponse(
        {"value": {"video": urn, "uploadUrlsExpireAt": expires, "uploadToken": "", "uploadInstructions": instructions}}
    )


async def _finalize_video(request: Request, st: SandboxState, tok: Token) -> Response:
    try:
        body = (await request.json())["finalizeUploadRequest"]
        video = uploads.get(st, str(body["video"]), VIDEO)
        part_ids = [str(p) for p in body["uploadedPartIds"]]
    except (ValueError, KeyError, TypeError):
        return linkedin_error(422, 422, "UNPROCESSABLE_ENTITY", "finalizeUploadRequest field is required but not found")
    if video is None or video.data["persona"] != tok.persona_id:
        return linkedin_error(404, 404, "NOT_FOUND", "Video not found")
    d = video.data
    expected = [d["etags"].get(str(i)) for i in range(len(d["ranges"]))]
    if part_ids != expected:
        return linkedin_error(400, 400, "INVALID_VALUE_FOR_FIELD", "uploadedPartIds do not match the uploaded parts")
    d["uploaded_at"] = st.now()
    uploads.save(st, video)
    return Response(status_code=200)


async def upload(request: Request, st: SandboxState) -> Response:
    """``PUT`` to an upload URL: an image (with the bearer token, 201) or one video part
    (without it, 200 and an ETag)."""
    asset, part = request.path_params["asset"], request.path_params["part"]
    body = await request.body()
    image = uploads.get(st, f"urn:li:image:{asset}", IMAGE, any_tenant=True)
    if image is not None:
        tok = authenticate(request, st, "linkedin", kinds=("access",))
        if isinstance(tok, Response):
            return tok
        if tok.persona_id != image.data["persona"] or tok.tenant != image.tenant:
            return linkedin_error(403, 100, "ACCESS_DENIED", "Not the image's owner")
        image.data |= {"uploaded_at": st.now(), "mime": sniff(body[:16])}
        uploads.save(st, image)
        return Response(status_code=201)
    video = uploads.get(st, f"urn:li:video:{asset}", VIDEO, any_tenant=True)
    if video is None or not part.isdigit() or int(part) >= len(video.data["ranges"]):
        return linkedin_error(404, 404, "NOT_FOUND", "Upload not found")
    use_tenant(video.tenant)
    d = video.data
    first, last = d["ranges"][int(part)]
    if len(body) != last - first + 1:
        return linkedin_error(400, 400, "INVALID_VALUE_FOR_FIELD", "The part does not match its byte range")
    if first == 0:
        d["mime"] = sniff(body[:16])
    walker = BoxWalker(next_box=d["next_box"], duration=d["duration"])
    walker.feed(body, first)
    etag = hashlib.sha256(body).hexdigest()[:24]
    d["etags"][part] = etag
    d |= {"next_box": min(walker.next_box, 1 << 52), "duration": walker.duration}
    uploads.save(st, video)
    return Response(status_code=200, headers={"ETag": f'"{etag}"'})


def asset_status(st: SandboxState, asset: uploads.Upload) -> tuple[str, str]:
    """(status, processingFailureReason) on the sandbox clock."""
    d = asset.data
    if d["uploaded_at"] is None:
        return "WAITING_UPLOAD", ""
    if st.now() < d["uploaded_at"] + st.options.linkedin_processing_seconds:
        return "PROCESSING", ""
    if d["fault"]:
        return "PROCESSING_FAILED", "Media processing failed"
    if asset.kind == IMAGE:
        return ("AVAILABLE", "") if d["mime"] in IMAGE_TYPES else ("PROCESSING_FAILED", "Unsupported image format")
    if d["mime"] != "video/mp4":
        return "PROCESSING_FAILED", "Unsupported video format"
    if d["duration"] is not None and not VIDEO_SECONDS[0] <= d["duration"] <= VIDEO_SECONDS[1]:
        return "PROCESSING_FAILED", "Video duration must be 3 seconds to 30 minutes"
    return "AVAILABLE", ""


async def asset(request: Request, st: SandboxState) -> Response:
    """``GET /rest/images/{urn}`` or ``/rest/videos/{urn}``."""
    tok = rest_caller(request, st)
    if isinstance(tok, Response):
        return tok
    urn = unquote(request.path_params["urn"])
    found = uploads.get(st, urn, IMAGE if urn.startswith("urn:li:image:") else VIDEO)
    if found is None or found.data["persona"] != tok.persona_id:
        return linkedin_error(404, 404, "NOT_FOUND", "Not Found")
    status, reason = asset_status(st, found)
    body: dict[str, Any] = {"id": urn, "owner": found.owner_id, "status": status}
    if reason:
        body["processingFailureReason"] = reason
    return JSONResponse(body)


def little_text(commentary: str) -> str:
    """What LinkedIn keeps of a commentary: cut at the first reserved character not escaped (§5.3)."""
    index = 0
    while index < len(commentary):
        char = commentary[index]
        if char == "\\" and index + 1 < len(commentary) and commentary[index + 1] in RESERVED:
            index += 2
            continue
        if char in RESERVED:
            return commentary[:index]
        index += 1
    return commentary


def _media_ids(content: dict[str, Any]) -> list[str] | None:
    if "media" in content:
        return [str((content["media"] or {}).get("id", ""))]
    if "multiImage" in content:
        images = (content["multiImage"] or {}).get("images") or []
        return [str(i.get("id", "")) for i in images] if 2 <= len(images) <= 20 else None
    return [] if not content else None


def _content_problem(st: SandboxState, tok: Token, content: dict[str, Any]) -> Response | None:
    ids = _media_ids(content)
    if ids is None:
        return linkedin_error(
            422, 422, "INVALID_VALUE_FOR_FIELD", "content is not a supported shape (multiImage: 2 to 20)"
        )
    for urn in ids:
        found = uploads.get(st, urn, IMAGE if urn.startswith("urn:li:image:") else VIDEO)
        if found is None or found.data["persona"] != tok.persona_id:
            return linkedin_error(400, 400, "INVALID_URN_ID", f"Media {urn} does not exist")
        status, _ = asset_status(st, found)
        if status == "PROCESSING_FAILED":
            return linkedin_error(400, 400, "MEDIA_ASSET_PROCESSING_FAILED", f"Media {urn} failed processing")
        if status != "AVAILABLE":
            return linkedin_error(400, 400, "MEDIA_ASSET_WAITING_UPLOAD", f"Media {urn} is not ready")
    return None


async def create_post(request: Request, st: SandboxState) -> Response:
    """``POST /rest/posts``: 201 with ``x-restli-id``, or the platform's refusal."""
    tok = _member(request, st)
    if isinstance(tok, Response):
        return tok
    try:
        body = await request.json()
    except ValueError:
        return linkedin_error(400, 400, "ILLEGAL_ARGUMENT", "The body is not JSON")
    owner = st.personas[tok.persona_id].external_id
    if body.get("author") != f"urn:li:person:{owner}":
        return linkedin_error(403, 100, "ACCESS_DENIED", "Not enough permissions to post as this author")
    content = body.get("content") or {}
    if "commentary" not in body or body.get("lifecycleState") != "PUBLISHED" or not (body["commentary"] or content):
        return linkedin_error(422, 422, "UNPROCESSABLE_ENTITY", "commentary field is required but not found")
    if len(str(body["commentary"])) > MAX_COMMENTARY:
        return linkedin_error(422, 422, "FIELD_LENGTH_TOO_LONG", "commentary is longer than 3000 characters")
    problem = _content_problem(st, tok, content)
    if problem:
        return problem
    kept = little_text(str(body["commentary"]))
    window = st.now() - st.options.linkedin_duplicate_window
    for earlier in st.posts_of(owner):
        if earlier.caption == kept and earlier.created >= window and _content_of(st, earlier.id) == content:
            return JSONResponse({"status": 422, "message": f"Content is a duplicate of {earlier.id}"}, status_code=422)
    post = st.add_post("linkedin", owner, kept)
    if content:
        uploads.create(st, "linkedin", POST, owner, {"content": content}, post.id)
    return Response(status_code=201, headers={"x-restli-id": post.id})


def _content_of(st: SandboxState, post_id: str) -> dict[str, Any]:
    found = uploads.get(st, post_id, POST)
    return dict(found.data["content"]) if found else {}


def contents(st: SandboxState, owner: str) -> dict[str, dict[str, Any]]:
    """The ``content`` of the owner's posts that hold media, by post URN (for ``GET /rest/posts``)."""
    return {p.id: dict(p.data["content"]) for p in uploads.of_owner(st, owner, POST, 0)}
