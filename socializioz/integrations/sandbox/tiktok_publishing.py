"""TikTok Content Posting API (publishing.md §3): creator info, Direct Post and upload-to-inbox
video init (FILE_UPLOAD or PULL_FROM_URL), the chunked PUT to the upload URL, and status fetch.

A publish task is a ``SandboxUpload`` whose status is computed from its facts and the clock:
FILE_UPLOAD waits for its chunks, PULL_FROM_URL downloads (the bytes are fetched at init through
``SandboxState.fetch_media``), then processing; the terminal state is PUBLISH_COMPLETE (the post
joins the creator's feed, once), SEND_TO_USER_INBOX or FAILED with a ``fail_reason``.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from socializioz.domain.text_length import utf16_length

from . import uploads
from .common import authenticate
from .media_probe import VIDEO_TYPES, BoxWalker, probe, sniff
from .publish_faults import processing_fault
from .shapes import tiktok_api_error, tiktok_ok
from .state import SandboxState, Token, use_tenant

HOST, UPLOAD_HOST = "open.tiktokapis.com", "open-upload.tiktokapis.com"
MB = 1024 * 1024
MIN_CHUNK, MAX_CHUNK, MAX_LAST_CHUNK, MAX_CHUNKS = 5 * MB, 64 * MB, 128 * MB, 1000
UPLOAD_CAP = MAX_LAST_CHUNK + MB  # the upload route's body limit
UPLOAD_URL_TTL = 3600
MAX_VIDEO_BYTES = 4 * 1024 * MB  # §3.10
MAX_TITLE = 2200
PENDING_INBOX_CAP = 5
RATE_PER_MINUTE = {"creator_info": 20, "init": 6, "status": 30}  # per token (§3.11)
KIND = "tiktok_task"
PUBLIC_LEVELS = ("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY")
PRIVATE_LEVELS = ("FOLLOWER_OF_CREATOR", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY")
# Per persona: private account, (comment, duet, stitch) disabled, max video seconds (§3.2).
CREATORS: dict[str, tuple[bool, tuple[bool, bool, bool], int]] = {
    "tt-acme": (False, (False, False, True), 600),
    "tt-maya": (True, (False, True, False), 180),
}
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


def _creator(persona_id: str) -> tuple[bool, tuple[bool, bool, bool], int]:
    return CREATORS.get(persona_id, (False, (False, False, False), 600))


def limited_call(st: SandboxState, tok: Token, name: str) -> Response | None:
    count, _ = st.count_call("tiktok", f"{tok.value[-16:]}:{name}", 60)
    if count > RATE_PER_MINUTE[name]:
        return tiktok_api_error("rate_limit_exceeded", "API rate limit exceeded", 429)
    return None


def invalid(message: str) -> Response:
    return tiktok_api_error("invalid_param", message, 400)


def _posts_today(st: SandboxState, owner: str, mode: str) -> list[uploads.Upload]:
    return [t for t in uploads.of_owner(st, owner, KIND, st.now() - 86400) if t.data["mode"] == mode]


async def creator_info(request: Request, st: SandboxState) -> Response:
    tok = authenticate(request, st, "tiktok", "video.publish", kinds=("access",))
    if isinstance(tok, Response):
        return tok
    limited = limited_call(st, tok, "creator_info")
    if limited:
        return limited
    p = st.personas[tok.persona_id]
    if len(_posts_today(st, p.external_id, "direct")) >= st.options.tiktok_daily_post_cap:
        # "Cannot post now" comes back with HTTP 200, intentionally (§3.2).
        return tiktok_api_error("spam_risk_too_many_posts", "The creator has posted too much today.", 200)
    private, (comment, duet, stitch), max_seconds = _creator(tok.persona_id)
    return tiktok_ok(
        {
            "creator_avatar_url": p.avatar_url,
            "creator_username": p.username,
            "creator_nickname": p.name,
            "privacy_level_options": list(PRIVATE_LEVELS if private else PUBLIC_LEVELS),
            "comment_disabled": comment,
            "duet_disabled": duet,
            "stitch_disabled": stitch,
            "max_video_post_duration_sec": max_seconds,
        }
    )


def _chunk_problem(source: dict[str, Any]) -> str | None:
    """§3.4: under 5 MB one chunk; else chunks of 5-64 MB, floor(size / chunk) of them, the last
    holding the remainder (≤ 128 MB)."""
    try:
        size, chunk, count = (int(source[k]) for k in ("video_size", "chunk_size", "total_chunk_count"))
    except (KeyError, TypeError, ValueError):
        return "source_info needs video_size, chunk_size and total_chunk_count."
    if size <= 0 or chunk <= 0:
        return "video_size and chunk_size must be positive."
    if size < MIN_CHUNK:
        return None if (chunk, count) == (size, 1) else "A video under 5 MB is uploaded as one chunk."
    if not MIN_CHUNK <= chunk <= min(MAX_CHUNK, size):
        return "chunk_size must be between 5 MB and 64 MB."
    if count != size // chunk or not 1 <= count <= MAX_CHUNKS:
        return "total_chunk_count must be floor(video_size / chunk_size), 1 to 1000."
    if size - chunk * (count - 1) > MAX_LAST_CHUNK:
        return "The last chunk may not exceed 128 MB."
    return None


def pending_share_problem(st: SandboxState, owner: str) -> Response | None:
    """Upload to inbox: at most 5 shares pending in 24 h (§3.6)."""
    pending = [t for t in _posts_today(st, owner, "inbox") if not t.settled]
    if len(pending) >= PENDING_INBOX_CAP:
        return tiktok_api_error("spam_risk_too_many_pending_share", "Too many pending shares.", 403)
    return None


def direct_post_problem(st: SandboxState, tok: Token, post_info: dict[str, Any]) -> Response | None:
    private, _, _ = _creator(tok.persona_id)
    privacy = post_info.get("privacy_level")
    if not privacy:
        return invalid("post_info.privacy_level is required.")
    if utf16_length(str(post_info.get("title", ""))) > MAX_TITLE:
        return invalid("post_info.title is longer than 2200 characters.")
    owner = st.personas[tok.persona_id].external_id
    if len(_posts_today(st, owner, "direct")) >= st.options.tiktok_daily_post_cap:
        return tiktok_api_error("spam_risk_too_many_posts", "The creator has posted too much today.", 403)
    if not st.options.tiktok_audited and not private:
        return tiktok_api_error(
            "unaudited_client_can_only_post_to_private_accounts",
            "Unaudited clients can only post to private accounts.",
            403,
        )
    allowed = PRIVATE_LEVELS if private else PUBLIC_LEVELS
    if privacy not in allowed or (not st.options.tiktok_audited and privacy != "SELF_ONLY"):
        return tiktok_api_error(
            "privacy_level_option_mismatch", "privacy_level is not one of the creator's options.", 403
        )
    return None


async def video_init(request: Request, st: SandboxState) -> Response:
    return await _init(request, st, inbox=False)


async def inbox_init(request: Request, st: SandboxState) -> Response:
    return await _init(request, st, inbox=True)


def init_caller(request: Request, st: SandboxState, *, inbox: bool) -> Token | Response:
    """The token of an init call (``video.upload`` for the inbox, else ``video.publish``), within
    its six calls a minute."""
    tok = authenticate(request, st, "tiktok", "video.upload" if inbox else "video.publish", kinds=("access",))
    if isinstance(tok, Response):
        return tok
    return limited_call(st, tok, "init") or tok


async def _init(request: Request, st: SandboxState, *, inbox: bool) -> Response:
    tok = init_caller(request, st, inbox=inbox)
    if isinstance(tok, Response):
        return tok
    try:
        body = await request.json()
    except ValueError:
        return invalid("The request body is not JSON.")
    source = body.get("source_info") or {}
    kind = source.get("source")
    if kind not in ("FILE_UPLOAD", "PULL_FROM_URL"):
        return invalid("source_info.source must be FILE_UPLOAD or PULL_FROM_URL.")
    owner = st.personas[tok.persona_id].external_id
    post_info = {} if inbox else (body.get("post_info") or {})
    problem = pending_share_problem(st, owner) if inbox else direct_post_problem(st, tok, post_info)
    if problem:
        return problem
    if kind == "FILE_UPLOAD":
        chunk_problem = _chunk_problem(source)
        if chunk_problem:
            return invalid(chunk_problem)
    elif not str(source.get("video_url", "")).startswith(st.verified_url_prefixes or ("\0",)):
        return tiktok_api_error("url_ownership_unverified", "The video URL's domain is not verified.", 403)
    number = uploads.new_number()
    publish_id = f"v_{'inbox' if inbox else 'pub'}_{'file' if kind == 'FILE_UPLOAD' else 'url'}~v2-{number}"
    data = task_facts(st, tok, inbox, source, post_info)
    uploads.create(st, "tiktok", KIND, owner, data, publish_id)
    answer: dict[str, object] = {"publish_id": publish_id}
    if kind == "FILE_UPLOAD":
        base = str(request.url).split(f"/{HOST}/", 1)[0]
        answer["upload_url"] = f"{base}/{UPLOAD_HOST}/video/?upload_id={number}&upload_token={data['upload_token']}"
    return tiktok_ok(answer)


def task_facts(
    st: SandboxState, tok: Token, inbox: bool, source: dict[str, Any], post_info: dict[str, Any]
) -> dict[str, Any]:
    fault = processing_fault(st, "tiktok")
    data: dict[str, Any] = {
        "persona": tok.persona_id,
        "mode": "inbox" if inbox else "direct",
        "source": source["source"],
        "title": str(post_info.get("title", "")),
        "privacy": post_info.get("privacy_level"),
        "video_size": int(source.get("video_size") or 0),
        "chunk_size": int(source.get("chunk_size") or 0),
        "chunks": int(source.get("total_chunk_count") or 0),
        "received": 0,
        "upload_token": secrets.token_urlsafe(16),
        "upload_done_at": None,
        "fail_reason": {"media_rejected": "file_format_check_failed", "processing_failed": "internal"}.get(fault or ""),
        "mime": None,
        "duration": None,
        "next_box": 0,
        "post_id": uploads.new_number(),
    }
    if source.get("video_url"):
        fetched = st.fetch_media(str(source["video_url"]), MAX_VIDEO_BYTES)
        if not fetched.ok or len(fetched.body) > MAX_VIDEO_BYTES:
            data["fail_reason"] = data["fail_reason"] or "video_pull_failed"
        else:
            media = probe(fetched.body)
            data |= {"mime": media.mime, "duration": media.duration, "video_size": media.size}
    return data


def _task_of_upload(st: SandboxState, request: Request) -> uploads.Upload | None:
    number, token = request.query_params.get("upload_id", ""), request.query_params.get("upload_token", "")
    for prefix in ("v_pub_file", "v_inbox_file"):
        task = uploads.get(st, f"{prefix}~v2-{number}", KIND, any_tenant=True)
        if task and secrets.compare_digest(str(task.data["upload_token"]), token):
            return task
    return None


async def upload_chunk(request: Request, st: SandboxState) -> Response:
    """``PUT {upload_url}``: chunks in order, 206 until the last, 201 then (§3.4)."""
    task = _task_of_upload(st, request)
    if task is None:
        return tiktok_api_error("upload_task_not_found", "The upload task was not found.", 404)
    use_tenant(task.tenant)
    d = task.data
    if st.now() > task.created + UPLOAD_URL_TTL:
        return tiktok_api_error("upload_url_expired", "The upload URL has expired.", 403)
    if request.headers.get("content-type", "").split(";")[0].strip() not in VIDEO_TYPES:
        return invalid("Content-Type must be video/mp4, video/quicktime or video/webm.")
    found = _RANGE.match(request.headers.get("content-range", ""))
    body = await request.body()
    if not found or int(found[2]) - int(found[1]) + 1 != len(body):
        return invalid("Content-Range does not match the chunk.")
    first, total = int(found[1]), int(found[3])
    index = d["received"] // d["chunk_size"]
    last = index == d["chunks"] - 1
    expected = d["video_size"] - d["chunk_size"] * index if last else d["chunk_size"]
    if total != d["video_size"] or first != d["received"] or len(body) != expected or d["upload_done_at"]:
        return Response(status_code=416, headers={"Content-Range": f"bytes */{d['video_size']}"})
    walker = BoxWalker(next_box=d["next_box"], duration=d["duration"])
    walker.feed(body, first)
    if first == 0:
        d["mime"] = sniff(body[:16])
    d |= {"received": first + len(body), "next_box": min(walker.next_box, 1 << 52), "duration": walker.duration}
    if last:
        d["upload_done_at"] = st.now()
    uploads.save(st, task)
    if last:
        return Response(status_code=201)
    return Response(status_code=206, headers={"Content-Range": f"bytes 0-{d['received'] - 1}/{d['video_size']}"})


def _media_problem(st: SandboxState, d: dict[str, Any]) -> str | None:
    if d.get("photos"):
        return None  # photos are checked as they are pulled (tiktok_photos.py)
    if d["mime"] not in VIDEO_TYPES:
        return "file_format_check_failed"
    _, _, max_seconds = _creator(d["persona"])
    duration = d["duration"]
    if duration is not None and not st.options.tiktok_min_video_seconds <= duration <= max_seconds:
        return "duration_check_failed"
    return None


def task_status(st: SandboxState, task: uploads.Upload) -> dict[str, Any]:
    """The status fetch answer at the sandbox's now; a finished direct post joins the feed once."""
    d, now, o = task.data, st.now(), st.options
    answer: dict[str, Any] = {
        "status": "PROCESSING_UPLOAD",
        "fail_reason": "",
        "publicaly_available_post_id": [],
        "uploaded_bytes": d["received"],
        "downloaded_bytes": 0,
    }
    if d["source"] == "FILE_UPLOAD":
        if d["upload_done_at"] is None:
            if now > task.created + UPLOAD_URL_TTL:  # an abandoned upload fails (UNVERIFIED, §3.12)
                answer |= {"status": "FAILED", "fail_reason": "publish_cancelled"}
            return answer
        ready_at = d["upload_done_at"] + o.tiktok_processing_seconds
    else:
        downloaded_at = task.created + o.tiktok_download_seconds
        share = min(max((now - task.created) / max(o.tiktok_download_seconds, 1e-9), 0.0), 1.0)
        answer |= {"status": "PROCESSING_DOWNLOAD", "downloaded_bytes": int(d["video_size"] * share)}
        ready_at = downloaded_at + o.tiktok_processing_seconds
    if now < ready_at:
        return answer
    reason = d["fail_reason"] or _media_problem(st, d)
    if reason:
        return answer | {"status": "FAILED", "fail_reason": reason}
    if d["mode"] == "inbox":
        uploads.settle(st, task)
        return answer | {"status": "SEND_TO_USER_INBOX"}
    if uploads.settle(st, task):
        st.add_post("tiktok", task.owner_id, d["title"], post_id=d["post_id"])
    public = [int(d["post_id"])] if d["privacy"] != "SELF_ONLY" else []
    return answer | {"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": public}


def settle_due(st: SandboxState, owner: str) -> None:
    """Finish the creator's tasks that are due, so the feed shows them even if nobody polled."""
    for task in uploads.of_owner(st, owner, KIND, st.now() - uploads.UPLOAD_TTL):
        if not task.settled:
            task_status(st, task)


async def status_fetch(request: Request, st: SandboxState) -> Response:
    tok = authenticate(request, st, "tiktok", kinds=("access",))
    if isinstance(tok, Response):
        return tok
    if not {"video.publish", "video.upload"} & set(tok.scopes):
        return tiktok_api_error("scope_not_authorized", "The user did not authorize the scope required.", 401)
    limited = limited_call(st, tok, "status")
    if limited:
        return limited
    try:
        publish_id = str((await request.json()).get("publish_id", ""))
    except (ValueError, AttributeError):
        return invalid("The request body is not JSON.")
    task = uploads.get(st, publish_id, KIND)
    if task is None:
        return tiktok_api_error("invalid_publish_id", "The publish_id does not exist.", 400)
    if task.data["persona"] != tok.persona_id:
        return tiktok_api_error(
            "token_not_authorized_for_specified_publish_id", "This token cannot read this publish_id.", 403
        )
    return tiktok_ok(task_status(st, task))
