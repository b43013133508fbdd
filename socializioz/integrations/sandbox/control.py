"""The test-only control API under ``/_control/...``: 404 unless enabled (``app.py`` checks).

Same operations as the Python handle (``app.state.sandbox``), for out-of-process tests
(Playwright against a running server). Posts and comments added here belong to the shared world
(every tenant sees them) unless the body names a ``tenant``. Options and the clock are per process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from . import meta_messaging
from .meta_comments import audience_comment, inspect_comment
from .options import SandboxOptions
from .publish_inspect import in_flight
from .state import Fault, SandboxState, use_tenant
from .store import WORLD

OPTION_NAMES = {f.name for f in fields(SandboxOptions)}
# Publishing faults the handlers play out themselves, and the only keys that arm them: on Meta
# (meta_publishing.py) a media refused at download, a container or video that fails or expires; on
# TikTok, X and LinkedIn (publish_faults.py) the next media or publish task failing in processing.
_PROCESSING = {f"{platform}.processing" for platform in ("tiktok", "x", "linkedin")}
PUBLISHING_FAULT_KEYS = {
    "media_rejected": {"facebook.media_fetch", "instagram.media_fetch", *_PROCESSING},
    "container_error": {"facebook.container_state", "instagram.container_state"},
    "container_expired": {"facebook.container_state", "instagram.container_state"},
    "processing_failed": _PROCESSING,
}


async def control(request: Request, st: SandboxState) -> Response:
    action, method = request.path_params["action"].strip("/"), request.method
    body = await request.json() if method == "POST" and await request.body() else {}
    try:
        return _dispatch(st, action, method, body)
    except (KeyError, ValueError, TypeError) as exc:
        return JSONResponse({"error": f"bad control request: {exc}"}, status_code=400)


def _dispatch(st: SandboxState, action: str, method: str, body: Mapping[str, Any]) -> Response:
    publishing = _publishing(st, action, method, body)
    if publishing is not None:
        return publishing
    if (action, method) == ("faults", "POST"):
        keys = PUBLISHING_FAULT_KEYS.get(body["fault"])
        if keys is not None and body["endpoint"] not in keys:
            raise ValueError(f"{body['fault']} is armed on one of {sorted(keys)}")
        st.inject(
            body["endpoint"],
            Fault(
                kind=body["fault"],
                times=int(body.get("times", 1)),
                status=body.get("status"),
                retry_after=body.get("retry_after"),
                scope=body.get("scope"),
            ),
        )
        return JSONResponse({"ok": True})
    if action == "webhooks":
        return _webhooks(st, method, body)
    if (action, method) == ("audience/comment", "POST"):  # a persona comments; Meta's webhook follows
        return JSONResponse(audience_comment(st, body))
    if action.startswith("comments/") and method == "GET":  # a comment's platform state (tests)
        return JSONResponse(inspect_comment(st, action.removeprefix("comments/")))
    audience = _audience(st, action, method, body)
    if audience is not None:
        return audience
    if (action, method) == ("faults", "DELETE"):
        st.clear_faults()
        return JSONResponse({"ok": True})
    if (action, method) == ("posts", "POST"):
        post = st.add_post(
            body["platform"],
            body["owner_id"],
            body["caption"],
            body.get("media_url"),
            tenant=body.get("tenant", WORLD),
            reactions=int(body.get("reactions", 0)),
            shares=int(body.get("shares", 0)),
        )
        return JSONResponse({"id": post.id})
    if (action, method) == ("comments", "POST"):
        if body.get("tenant"):  # a post made with a workspace's token is seen only in its tenant
            use_tenant(str(body["tenant"]))
        comment = st.add_comment(
            body["post_id"], body["text"], body.get("author", "Sandbox visitor"), tenant=body.get("tenant", WORLD)
        )
        return JSONResponse({"id": comment.id})
    if (action, method) == ("tokens/expire", "POST"):
        return JSONResponse({"ok": st.expire(body["token"])})
    if (action, method) == ("tokens/revoke", "POST"):
        return JSONResponse({"revoked": st.revoke(body.get("token"), body.get("persona_id"), body.get("tenant"))})
    if (action, method) == ("clock/advance", "POST"):
        return JSONResponse({"now": st.clock.advance(float(body["seconds"]))})
    if (action, method) == ("clock/set", "POST"):
        st.clock.set(float(body["now"]))
        return JSONResponse({"now": st.now()})
    if (action, method) == ("prune", "POST"):
        return JSONResponse(st.prune())
    if (action, method) == ("reset", "POST"):
        st.reset()
        return JSONResponse({"ok": True})
    if (action, method) == ("options", "POST"):
        unknown = set(body) - OPTION_NAMES
        if unknown:
            raise ValueError(f"unknown options {sorted(unknown)}")
        for name, value in body.items():
            setattr(st.options, name, value)
        return JSONResponse({"ok": True})
    if (action, method) == ("state", "GET"):
        return JSONResponse(
            {"now": st.now(), "personas": sorted(st.personas), "faults": st.fault_endpoints(), "rows": st.counts()}
        )
    return PlainTextResponse("Not Found", status_code=404)


# -- publishing to TikTok, X and LinkedIn (issue 11) -------------------------------------------------
# Faults: ``timeout_after_create`` on a publishing endpoint (tiktok.publish, tiktok.inbox,
# x.publish, x.media_upload, linkedin.posts, ...) lets the platform act and loses its answer;
# ``server_error`` and ``rate_limit`` (``retry_after``: X answers with x-rate-limit-reset) work as
# everywhere; ``media_rejected`` and ``processing_failed`` arm ``<platform>.processing`` only: the
# next media or publish task of that platform fails in the platform's own way.
# GET ``/_control/publishing?platform=tiktok`` lists the objects in flight and their states now.


def _publishing(st: SandboxState, action: str, method: str, body: Mapping[str, Any]) -> Response | None:
    if (action, method) == ("publishing", "GET"):
        return JSONResponse({"objects": in_flight(st)})
    return None


def _webhooks(st: SandboxState, method: str, body: Mapping[str, Any]) -> Response:
    """POST subscribes a callback (``callback_url``, ``verify_token``), DELETE drops it, GET reports
    the subscription and the last deliveries with every attempt's status."""
    if method == "POST":
        st.webhooks.subscribe(str(body["callback_url"]), str(body.get("verify_token", "")))
    elif method == "DELETE":
        st.webhooks.unsubscribe()
    return JSONResponse(st.webhooks.report())


# -- the simulated audience (issue 13) --------------------------------------------------------------
# POST ``/_control/audience/message`` {account (Instagram user id), from (the person's IGSID), name,
# text[, tenant]}: the person writes to the account; stored and pushed as a signed ``messages``
# webhook when the app subscribed. GET ``/_control/audience/sent[?account=...]``: what accounts sent.


def _audience(st: SandboxState, action: str, method: str, body: Mapping[str, Any]) -> Response | None:
    if (action, method) == ("audience/message", "POST"):
        row = meta_messaging.receive(
            st,
            str(body["account"]),
            str(body["from"]),
            str(body["text"]),
            name=str(body.get("name", "")),
            tenant=str(body.get("tenant", WORLD)),
        )
        return JSONResponse(
            {
                "mid": row.id,
                "created": row.created,
                "conversation_id": meta_messaging.conversation_id(row.account_id, row.participant_id),
            }
        )
    if (action, method) == ("audience/sent", "GET"):
        return JSONResponse({"messages": meta_messaging.sent_messages(st)})
    return None
