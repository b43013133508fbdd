"""The test-only control API under ``/_control/...``: 404 unless enabled.

Same operations as the Python handle (``app.state.sandbox``), for out-of-process tests
(Playwright against a running server).
"""

from __future__ import annotations

from dataclasses import fields

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from .options import SandboxOptions
from .state import Fault, SandboxState

OPTION_NAMES = {f.name for f in fields(SandboxOptions)}


async def control(request: Request, st: SandboxState, enabled: bool) -> Response:
    if not enabled:
        return PlainTextResponse("Not Found", status_code=404)
    action, method = request.path_params["action"].strip("/"), request.method
    body = await request.json() if method == "POST" and await request.body() else {}
    try:
        return _dispatch(st, action, method, body)
    except (KeyError, ValueError, TypeError) as exc:
        return JSONResponse({"error": f"bad control request: {exc}"}, status_code=400)


def _dispatch(st: SandboxState, action: str, method: str, body: dict) -> Response:
    if (action, method) == ("faults", "POST"):
        st.inject(body["endpoint"], Fault(kind=body["fault"], times=int(body.get("times", 1)),
                                          status=body.get("status"), retry_after=body.get("retry_after"),
                                          scope=body.get("scope")))
        return JSONResponse({"ok": True})
    if (action, method) == ("faults", "DELETE"):
        with st.lock:
            st.faults.clear()
        return JSONResponse({"ok": True})
    if (action, method) == ("posts", "POST"):
        post = st.add_post(body["platform"], body["owner_id"], body["caption"], body.get("media_url"),
                           reactions=int(body.get("reactions", 0)), shares=int(body.get("shares", 0)))
        return JSONResponse({"id": post.id})
    if (action, method) == ("comments", "POST"):
        return JSONResponse({"id": st.add_comment(body["post_id"], body["text"], body.get("author", "Sandbox visitor")).id})
    if (action, method) == ("tokens/expire", "POST"):
        return JSONResponse({"ok": st.expire(body["token"])})
    if (action, method) == ("tokens/revoke", "POST"):
        return JSONResponse({"revoked": st.revoke(body.get("token"), body.get("persona_id"))})
    if (action, method) == ("clock/advance", "POST"):
        return JSONResponse({"now": st.clock.advance(float(body["seconds"]))})
    if (action, method) == ("clock/set", "POST"):
        st.clock.set(float(body["now"]))
        return JSONResponse({"now": st.now()})
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
        with st.lock:
            return JSONResponse({"now": st.now(), "personas": sorted(st.personas), "faults": sorted(st.faults),
                                 "tokens": len(st.tokens)})
    return PlainTextResponse("Not Found", status_code=404)
