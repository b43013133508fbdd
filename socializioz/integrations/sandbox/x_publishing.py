"""X media upload v2 and ``POST /2/tweets`` (publishing.md §4): one-shot image upload, chunked
initialize / append / finalize with STATUS polling of ``processing_info``, then the post with its
media ids, counted by X's weighted length, with duplicate detection and the rate-limit headers.

A media id is a ``SandboxUpload`` (kind ``x_media``) whose processing state comes from the clock:
``pending`` then ``in_progress`` until ``x_processing_seconds`` after finalize, then
``succeeded`` or ``failed``. The media keys a post holds are kept as kind ``x_tweet`` so the
timeline can show ``attachments``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Mapping
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from socializioz.domain.text_length import x_weighted_length

from . import uploads
from .common import authenticate
from .media_probe import BoxWalker, sniff
from .publish_faults import processing_fault
from .shapes import x_problem
from .state import SandboxState, Token

MB = 1024 * 1024
MEDIA, TWEET = "x_media", "x_tweet"
INVALID = "https://api.x.com/2/problems/invalid-request"
MAX_TEXT = 280
MEDIA_TTL = 86400
CHUNKED_TTL = 1295999  # what initialize answers (§4.3)
UPLOAD_CAP = 8 * MB  # one-shot images travel base64 in JSON
# media_category → (accepted types, max bytes, media_key prefix, needs processing) (§4.3, §4.4)
CATEGORIES: dict[str, tuple[frozenset[str], int, str, bool]] = {
    "tweet_image": (frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"}), 5 * MB, "3", False),
    "tweet_gif": (frozenset({"image/gif"}), 15 * MB, "16", True),
    "tweet_video": (frozenset({"video/mp4", "video/quicktime"}), 512 * MB, "7", True),
}
VIDEO_SECONDS = (0.5, 140.0)
_URL = re.compile(r"https?://\S+")


def _invalid(detail: str, **extra: object) -> JSONResponse:
    response = x_problem(400, "Invalid Request", detail, INVALID)
    if extra:
        response = JSONResponse(
            {"errors": [extra], "title": "Invalid Request", "detail": detail, "type": INVALID}, status_code=400
        )
    return response


def _writer(request: Request, st: SandboxState, scope: str) -> Token | Response:
    return authenticate(request, st, "x", scope, kinds=("access",))


def _key(category: str, media_id: str) -> str:
    return f"{CATEGORIES[category][2]}_{media_id}"


def _new_media(st: SandboxState, tok: Token, category: str, media_type: str, total: int) -> uploads.Upload:
    fault = processing_fault(st, "x")
    data: dict[str, Any] = {
        "persona": tok.persona_id,
        "category": category,
        "media_type": media_type,
        "total": total,
        "segments": {},
        "next_box": 0,
        "sniffed": None,
        "duration": None,
        "finalized_at": None,
        "fault": fault,
    }
    owner = st.personas[tok.persona_id].external_id
    return uploads.create(st, "x", MEDIA, owner, data, uploads.new_number())


async def upload_simple(request: Request, st: SandboxState) -> Response:
    """``POST /2/media/upload``: JSON (base64) or multipart, ready at once when no processing."""
    tok = _writer(request, st, "media.write")
    if isinstance(tok, Response):
        return tok
    if request.headers.get("content-type", "").startswith(("multipart/", "application/x-www-form-urlencoded")):
        form = await request.form()
        if form.get("command"):
            return await _legacy_command(st, tok, form)
        file = form.get("media")
        content = await file.read() if isinstance(file, UploadFile) else b""
        category, media_type = str(form.get("media_category", "tweet_image")), str(form.get("media_type", ""))
    else:
        try:
            body = await request.json()
            content = base64.b64decode(str(body.get("media", "")), validate=True)
        except ValueError:
            return _invalid("media must be base64 in a JSON object.")
        category, media_type = str(body.get("media_category", "tweet_image")), str(body.get("media_type", ""))
    media_type = media_type or sniff(content[:16]) or ""
    problem = _kind_problem(category, media_type, len(content))
    if problem:
        return _invalid(problem)
    media = _new_media(st, tok, category, media_type, len(content))
    media.data |= {"segments": {"0": len(content)}, "sniffed": sniff(content[:16]), "finalized_at": st.now()}
    uploads.save(st, media)
    return JSONResponse({"data": _media_answer(st, media)})


def _kind_problem(category: str, media_type: str, total: int) -> str | None:
    if category not in CATEGORIES:
        return "media_category is not supported."
    types, limit, _, _ = CATEGORIES[category]
    if media_type not in types:
        return f"media_type {media_type} is not allowed for {category}."
    if not 0 < total <= limit:
        return f"total_bytes must be 1 to {limit} for {category}."
    return None


async def _json_object(request: Request) -> dict[str, Any] | None:
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


async def initialize(request: Request, st: SandboxState) -> Response:
    tok = _writer(request, st, "media.write")
    if isinstance(tok, Response):
        return tok
    return _init_media(st, tok, await _json_object(request) or {})


def _init_media(st: SandboxState, tok: Token, fields: Mapping[str, Any]) -> Response:
    try:
        category, media_type = str(fields["media_category"]), str(fields["media_type"])
        total = int(fields["total_bytes"])
    except (KeyError, TypeError, ValueError):
        return _invalid("media_type, total_bytes and media_category are required.")
    problem = _kind_problem(category, media_type, total)
    if problem:
        return _invalid(problem)
    media = _new_media(st, tok, category, media_type, total)
    return JSONResponse(
        {"data": {"id": media.id, "media_key": _key(category, media.id), "expires_after_secs": CHUNKED_TTL}}
    )


def _open_media(st: SandboxState, tok: Token, media_id: str) -> uploads.Upload | None:
    """The caller's media still taking segments."""
    media = uploads.get(st, media_id, MEDIA)
    if media is None or media.data["persona"] != tok.persona_id or media.data["finalized_at"] is not None:
        return None
    return media


async def append(request: Request, st: SandboxState) -> Response:
    """Multipart ``media`` + ``segment_index``; segments over the limit get an empty 413 (observed)."""
    tok = _writer(request, st, "media.write")
    if isinstance(tok, Response):
        return tok
    return await _append_segment(st, tok, request.path_params["media_id"], await request.form())


async def _append_segment(st: SandboxState, tok: Token, media_id: str, form: FormData) -> Response:
    media = _open_media(st, tok, media_id)
    if media is None:
        return _invalid("The media_id is unknown or already finalized.")
    file, index = form.get("media"), str(form.get("segment_index", ""))
    if not isinstance(file, UploadFile) or not index.isdigit() or int(index) > 999:
        return _invalid("media and segment_index (0-999) are required.")
    content = await file.read()
    if len(content) > st.options.x_max_append_bytes:
        return Response(status_code=413)
    d = media.data
    offset = sum(size for i, size in d["segments"].items() if int(i) < int(index))
    if index == "0":
        d["sniffed"] = sniff(content[:16])
    walker = BoxWalker(next_box=d["next_box"], duration=d["duration"])
    walker.feed(content, offset)
    d["segments"][index] = len(content)
    d |= {"next_box": min(walker.next_box, 1 << 52), "duration": walker.duration}
    uploads.save(st, media)
    return JSONResponse({"data": {"expires_at": int(media.created + CHUNKED_TTL)}})


async def finalize(request: Request, st: SandboxState) -> Response:
    tok = _writer(request, st, "media.write")
    if isinstance(tok, Response):
        return tok
    if await _json_object(request) is None:
        return _invalid("Request body must be a JSON object.")
    return _finalize_media(st, tok, request.path_params["media_id"])


def _finalize_media(st: SandboxState, tok: Token, media_id: str) -> Response:
    media = _open_media(st, tok, media_id)
    if media is None:
        return _invalid("The media_id is unknown or already finalized.")
    if sum(media.data["segments"].values()) != media.data["total"]:
        return _invalid("File size mismatch: the segments do not add up to total_bytes.")
    media.data["finalized_at"] = st.now()
    uploads.save(st, media)
    return JSONResponse({"data": _media_answer(st, media)})


async def _legacy_command(st: SandboxState, tok: Token, form: FormData) -> Response:
    """The legacy form of ``POST /2/media/upload`` still in the quickstart: ``command`` =
    INIT | APPEND | FINALIZE with the same fields as form parameters (§4.3)."""
    command, media_id = str(form.get("command", "")).upper(), str(form.get("media_id", ""))
    if command == "INIT":
        return _init_media(st, tok, {k: v for k, v in form.items() if isinstance(v, str)})
    if command == "APPEND":
        return await _append_segment(st, tok, media_id, form)
    if command == "FINALIZE":
        return _finalize_media(st, tok, media_id)
    return _invalid("command must be INIT, APPEND or FINALIZE.")


def _failure(st: SandboxState, d: dict[str, Any]) -> str | None:
    if d["fault"] == "processing_failed":
        return "InternalError"
    if d["fault"] == "media_rejected" or d["sniffed"] not in CATEGORIES[d["category"]][0]:
        return "InvalidMedia"
    low, high = VIDEO_SECONDS
    if d["category"] == "tweet_video" and d["duration"] is not None and not low <= d["duration"] <= high:
        return "InvalidMedia"
    return None


def processing_info(st: SandboxState, media: uploads.Upload) -> dict[str, Any] | None:
    """None when ready without processing (images); else the state on the sandbox clock."""
    d = media.data
    needs = CATEGORIES[d["category"]][3]
    failure = _failure(st, d)
    if not needs and failure is None:
        return None
    elapsed, total = st.now() - d["finalized_at"], max(st.options.x_processing_seconds, 1.0)
    if needs and elapsed < 1:
        return {"state": "pending", "check_after_secs": 1}
    if needs and elapsed < total:
        return {"state": "in_progress", "check_after_secs": 2, "progress_percent": int(100 * elapsed / total)}
    if failure:
        return {
            "state": "failed",
            "error": {"code": 1, "name": failure, "message": f"{failure}: media could not be processed"},
        }
    return {"state": "succeeded", "progress_percent": 100}


def _media_answer(st: SandboxState, media: uploads.Upload) -> dict[str, Any]:
    d = media.data
    answer: dict[str, Any] = {
        "id": media.id,
        "media_key": _key(d["category"], media.id),
        "size": d["total"],
        "expires_after_secs": MEDIA_TTL,
    }
    info = processing_info(st, media)
    if info:
        answer["processing_info"] = info
    return answer


async def status(request: Request, st: SandboxState) -> Response:
    """``GET /2/media/upload?command=STATUS&media_id=…``."""
    tok = _writer(request, st, "media.write")
    if isinstance(tok, Response):
        return tok
    media = uploads.get(st, request.query_params.get("media_id", ""), MEDIA)
    if media is None or media.data["persona"] != tok.persona_id or media.data["finalized_at"] is None:
        return _invalid("The media_id is unknown or not finalized.")
    return JSONResponse({"data": _media_answer(st, media)})


def wrapped(text: str) -> str:
    """Text as X stores and returns it: every URL wrapped in a t.co link (§4.1)."""
    return _URL.sub(lambda m: "https://t.co/" + hashlib.sha256(m[0].encode()).hexdigest()[:10], text)


def _media_problem(st: SandboxState, tok: Token, ids: list[str]) -> tuple[str, list[str]] | None:
    """(why, bad ids) when the media ids cannot be posted, else None."""
    found = [uploads.get(st, str(i), MEDIA) for i in ids]
    bad = [
        str(i)
        for i, m in zip(ids, found, strict=True)
        if m is None
        or m.data["persona"] != tok.persona_id
        or m.data["finalized_at"] is None
        or st.now() > m.data["finalized_at"] + MEDIA_TTL
        or (processing_info(st, m) or {"state": "succeeded"})["state"] != "succeeded"
    ]
    if bad:
        return "Your media IDs are invalid.", bad
    categories = [m.data["category"] for m in found if m]
    if len(ids) > 4 or (len(ids) > 1 and set(categories) != {"tweet_image"}):
        return "A post may hold up to 4 images, or 1 GIF, or 1 video.", [str(i) for i in ids]
    return None


RateLimited = Callable[[SandboxState, Request, Token, int, Callable[[], Response]], Response]


async def create_tweet(request: Request, st: SandboxState, limited: RateLimited) -> Response:
    """``POST /2/tweets``; ``limited`` adds X's rate-limit headers (``x._limited``)."""
    tok = authenticate(request, st, "x", "tweet.write", kinds=("access",))
    if isinstance(tok, Response):
        return tok
    try:
        body = await request.json()
    except ValueError:
        return _invalid("The request body is not JSON.")
    text = str(body.get("text", ""))
    ids = [str(i) for i in ((body.get("media") or {}).get("media_ids") or [])]
    owner = st.personas[tok.persona_id].external_id

    def answer() -> Response:
        if not text.strip() and not ids:
            return _invalid("A post needs text or media.")
        if x_weighted_length(text) > MAX_TEXT:
            return x_problem(400, "Invalid Request", "Your Tweet text is too long.", INVALID)
        problem = _media_problem(st, tok, ids)
        if problem:
            return _invalid(problem[0], parameters={"media.media_ids": problem[1]}, message=problem[0])
        stored = wrapped(text)
        if text and any(p.caption == stored for p in st.posts_of(owner)):
            return x_problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
        post = st.add_post("x", owner, stored)
        if ids:
            keys = [_key(m.data["category"], m.id) for i in ids if (m := uploads.get(st, i, MEDIA))]
            uploads.create(st, "x", TWEET, owner, {"media_keys": keys}, post.id)
        return JSONResponse(
            {"data": {"id": post.id, "text": stored, "edit_history_tweet_ids": [post.id]}}, status_code=201
        )

    return limited(st, request, tok, st.options.x_tweet_rate_limit, answer)


def attachments(st: SandboxState, owner: str) -> dict[str, list[str]]:
    """Media keys of the owner's posts that hold media, by post id."""
    return {t.id: list(t.data["media_keys"]) for t in uploads.of_owner(st, owner, TWEET, 0)}
