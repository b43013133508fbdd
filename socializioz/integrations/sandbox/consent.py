"""The authorize endpoint of every platform: a server-rendered consent screen and its answer.

Approve redirects with ``code`` and ``state`` (Instagram appends ``#_``); Cancel redirects with
the platform's own denial parameters (platforms.md §6.3). Element ids are listed in the package
docstring because browser tests click them.

Like a real platform with one registered callback, only the app's own ``/oauth/callback/<platform>``
is accepted as ``redirect_uri`` (anything else gets the platform's error page, never a redirect),
and the form carries a single-use CSRF token bound to the page it was shown on.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..endpoints import SANDBOX_CREDENTIALS
from .state import SandboxState


@dataclass(frozen=True)
class ConsentSpec:
    platform: str
    display: str
    code_ttl_option: str
    client_param: str = "client_id"
    partial_scopes: bool = True  # may the person untick single permissions?
    pkce_required: bool = False
    denial: dict[str, str] = field(default_factory=dict)
    code_suffix: str = ""
    brand: str = "#1877F2"
    redirect_mismatch: str = "Invalid redirect_uri."


SPECS = {
    "facebook": ConsentSpec(
        "facebook",
        "Facebook",
        "facebook_code_ttl",
        denial={
            "error": "access_denied",
            "error_code": "200",
            "error_description": "Permissions error",
            "error_reason": "user_denied",
        },
        redirect_mismatch="URL Blocked: This redirect failed because the redirect URI is not "
        "whitelisted in the app's Client OAuth Settings.",
    ),
    "instagram": ConsentSpec(
        "instagram",
        "Instagram",
        "instagram_code_ttl",
        code_suffix="#_",
        brand="#E1306C",
        denial={
            "error": "access_denied",
            "error_reason": "user_denied",
            "error_description": "The user denied your request",
        },
        redirect_mismatch="Invalid Request: Request parameters are invalid: Invalid redirect_uri",
    ),
    "tiktok": ConsentSpec(
        "tiktok",
        "TikTok",
        "tiktok_code_ttl",
        client_param="client_key",
        brand="#111111",
        denial={"error": "access_denied", "error_description": "The user denied the request"},
        redirect_mismatch="Something went wrong. error_type: redirect_uri (redirect_uri mismatch)",
    ),
    "x": ConsentSpec(
        "x",
        "X",
        "x_code_ttl",
        partial_scopes=False,
        pkce_required=True,
        brand="#0F1419",
        denial={"error": "access_denied"},
        redirect_mismatch="Something went wrong. You weren't able to give access to the App. "
        "Go back and try logging in again.",
    ),
    "linkedin": ConsentSpec(
        "linkedin",
        "LinkedIn",
        "linkedin_code_ttl",
        partial_scopes=False,
        brand="#0A66C2",
        denial={"error": "user_cancelled_authorize", "error_description": "The user cancelled the authorization"},
        redirect_mismatch="The redirect_uri does not match the registered value",
    ),
}
LINKEDIN_CANCEL_LOGIN = {"error": "user_cancelled_login", "error_description": "The user cancelled LinkedIn login"}
TENANT_PARAM = "sandbox_tenant"
TENANT_FORMAT = re.compile(r"[A-Za-z0-9_-]{16,64}")
SCOPE_SPLIT = {"facebook": ",", "instagram": ",", "tiktok": ",", "x": " ", "linkedin": " "}


def _scopes(platform: str, raw: str) -> list[str]:
    # Instagram also accepts spaces (§2.1); commas are the documented separator elsewhere.
    text = raw.replace(",", " ") if platform == "instagram" else raw
    sep = None if platform == "instagram" else SCOPE_SPLIT[platform]
    return [s.strip() for s in text.split(sep) if s.strip()]


def _with_params(uri: str, params: Mapping[str, str | None], fragment: str = "") -> str:
    """``uri`` with ``params`` added to its query; ``None`` values are left out."""
    parts = urlsplit(uri)
    query = parse_qsl(parts.query) + [(k, v) for k, v in params.items() if v is not None]
    return urlunsplit(parts._replace(query=urlencode(query), fragment="")) + fragment


def _problem(spec: ConsentSpec, params: dict[str, str], callback: str) -> str | None:
    """Why the request cannot show a consent screen (the real platforms show an error page)."""
    if params.get(spec.client_param) != SANDBOX_CREDENTIALS[spec.platform][0]:
        return f"Invalid {spec.client_param}: this app is not registered with the {spec.display} sandbox."
    if params.get("redirect_uri", "") != callback:
        return spec.redirect_mismatch
    tenant = params.get(TENANT_PARAM, "")
    if tenant and not TENANT_FORMAT.fullmatch(tenant):
        return f"Invalid {TENANT_PARAM}."
    if params.get("response_type", "code") != "code":
        return "Unsupported response_type: only code is supported."
    if not _scopes(spec.platform, params.get("scope", "")):
        return "Invalid scope: no permissions were requested."
    if spec.pkce_required and not params.get("code_challenge"):
        return "Missing code_challenge: PKCE is required."
    return None


def _error_page(spec: ConsentSpec, message: str) -> HTMLResponse:
    return HTMLResponse(_page(spec, f"<p class='error' id='sandbox-error'>{html.escape(message)}</p>"), 400)


def _binding(platform: str, request: Request) -> str:
    """What a CSRF token is bound to: this platform's consent page with this exact query."""
    return hashlib.sha256(f"{platform}?{request.url.query}".encode()).hexdigest()


async def authorize(request: Request, state: SandboxState, platform: str, callback: str) -> Response:
    """``callback`` is the one redirect URI registered for ``platform`` (the app's own callback)."""
    spec = SPECS[platform]
    params = dict(request.query_params)  # the form posts back to the same URL, query included
    problem = _problem(spec, params, callback)
    if problem:
        return _error_page(spec, problem)
    if request.method == "GET":
        return HTMLResponse(_consent_page(spec, params, state, state.issue_csrf(_binding(platform, request))))
    submitted = await request.form()
    if not state.consume_csrf(str(submitted.get("csrf", "")), _binding(platform, request)):
        return _error_page(spec, "This form has expired or was already used. Go back and start again.")
    action = submitted.get("action", "cancel")
    redirect = params["redirect_uri"]
    if action != "approve":
        denial = LINKEDIN_CANCEL_LOGIN if action == "cancel_login" and platform == "linkedin" else spec.denial
        return RedirectResponse(_with_params(redirect, {**denial, "state": params.get("state")}), 303)
    persona = state.personas.get(str(submitted.get("persona", "")))
    if persona is None or persona.platform != platform:
        return HTMLResponse(_page(spec, "<p class='error' id='sandbox-error'>Choose who signs in.</p>"), 400)
    requested = _scopes(platform, params["scope"])
    granted = [s for s in requested if s in submitted.getlist("scope")] if spec.partial_scopes else requested
    pages = tuple(p for p in submitted.getlist("page") if p in persona.page_ids)
    code = state.issue_code(
        platform,
        getattr(state.options, spec.code_ttl_option),
        tenant=params.get(TENANT_PARAM, ""),
        client_id=params[spec.client_param],
        redirect_uri=redirect,
        persona_id=persona.id,
        scopes=tuple(granted),
        page_ids=pages,
        challenge=params.get("code_challenge"),
        challenge_method=params.get("code_challenge_method"),
    )
    # Instagram's documented redirect ends "?code=...#_": code goes last, next to the fragment.
    extra: dict[str, str | None] = {"state": params.get("state"), "code": code.value}
    if platform == "facebook" and params.get("return_scopes") == "true":
        extra["granted_scopes"] = ",".join(granted)
        extra["denied_scopes"] = ",".join(s for s in requested if s not in granted)
    if platform == "tiktok":
        extra["scopes"] = ",".join(granted)
    return RedirectResponse(_with_params(redirect, extra, spec.code_suffix), 303)


def _consent_page(spec: ConsentSpec, params: dict[str, str], state: SandboxState, csrf: str) -> str:
    esc = html.escape
    personas = [p for p in state.personas.values() if p.platform == spec.platform]
    people = "".join(
        f"<label class='row'><input type='radio' name='persona' value='{esc(p.id)}' id='persona-{esc(p.id)}'"
        f"{' checked' if i == 0 else ''}><img src='{esc(p.avatar_url)}' alt=''><span><strong>{esc(p.name)}</strong>"
        f" <small>@{esc(p.username)}{_account_note(p.account_type) if spec.platform == 'instagram' else ''}</small></span></label>"
        for i, p in enumerate(personas)
    )
    sections = [f"<fieldset><legend>Continue as</legend>{people}</fieldset>"]
    if spec.platform == "facebook":
        rows = "".join(
            f"<label class='row'><input type='checkbox' name='page' value='{esc(page.id)}' id='page-{esc(page.id)}' checked>"
            f"<span><strong>{esc(page.name)}</strong> <small>{esc(page.category)} · managed by {esc(p.name)}"
            f"{' · Instagram linked' if page.instagram_id else ''}</small></span></label>"
            for p in personas
            for page in (state.pages[i] for i in p.page_ids)
        )
        sections.append(
            f"<fieldset><legend>Choose the Pages Socializioz can use</legend>{rows}"
            "<p class='hint'>Pages of other people than the one signing in are ignored.</p></fieldset>"
        )
    scopes = _scopes(spec.platform, params["scope"])
    if spec.partial_scopes:
        rows = "".join(
            f"<label class='row'><input type='checkbox' name='scope' value='{esc(s)}' id='scope-{esc(s)}' checked>"
            f"<code>{esc(s)}</code></label>"
            for s in scopes
        )
        sections.append(f"<fieldset><legend>Permissions (untick to decline)</legend>{rows}</fieldset>")
    else:
        rows = "".join(f"<li><code>{esc(s)}</code></li>" for s in scopes)
        sections.append(
            f"<fieldset><legend>Socializioz will be able to</legend><ul>{rows}</ul>"
            f"<p class='hint'>{esc(spec.display)} grants all requested permissions together.</p></fieldset>"
        )
    buttons = (
        "<button type='submit' name='action' value='cancel' id='sandbox-cancel' class='secondary'>Cancel</button>"
        "<button type='submit' name='action' value='approve' id='sandbox-approve'>Approve</button>"
    )
    if spec.platform == "linkedin":
        buttons = (
            "<button type='submit' name='action' value='cancel_login' id='sandbox-cancel-login' "
            "class='secondary'>Close sign-in</button>" + buttons
        )
    body = (
        f"<h1>Socializioz wants to access your {esc(spec.display)} account</h1>"
        f"<form method='post' id='sandbox-consent'><input type='hidden' name='csrf' value='{esc(csrf)}'>"
        f"{''.join(sections)}"
        f"<div class='actions'>{buttons}</div></form>"
    )
    return _page(spec, body)


def _account_note(account_type: str) -> str:
    return {"BUSINESS": " · Business", "MEDIA_CREATOR": " · Creator", "PERSONAL": " · Personal account"}.get(
        account_type, ""
    )


def _page(spec: ConsentSpec, body: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandbox — {html.escape(spec.display)} authorization</title>
<style>
*{{box-sizing:border-box}} body{{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f0f2f5;color:#1c1e21}}
.banner{{background:#fff3cd;color:#664d03;border-bottom:2px solid #ffda6a;padding:.6rem 1rem;text-align:center;font-weight:600;margin:0}}
main{{max-width:560px;margin:1.5rem auto;background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px #0002;border-top:6px solid {spec.brand}}}
h1{{font-size:1.25rem;margin:.2rem 0 1rem}} fieldset{{border:1px solid #dadde1;border-radius:8px;margin:0 0 1rem;padding:.5rem .75rem}}
legend{{font-weight:600;padding:0 .25rem}} .row{{display:flex;gap:.6rem;align-items:center;padding:.45rem 0;min-height:44px;cursor:pointer}}
.row img{{width:32px;height:32px;border-radius:50%}} input{{width:20px;height:20px;flex:none}} small{{color:#65676b}}
code{{word-break:break-all}} .hint{{color:#65676b;font-size:.85rem;margin:.25rem 0}} .error{{color:#b00020;font-weight:600}}
.actions{{display:flex;gap:.75rem;justify-content:flex-end;flex-wrap:wrap}}
button{{min-height:44px;min-width:120px;border:0;border-radius:8px;padding:.6rem 1.2rem;font:inherit;font-weight:600;background:{spec.brand};color:#fff;cursor:pointer}}
button.secondary{{background:#e4e6eb;color:#1c1e21}}
@media (max-width:480px){{main{{margin:0;border-radius:0;min-height:calc(100vh - 2.6rem)}} .actions button{{flex:1 1 100%}}}}
</style></head><body><p class="banner" role="note" id="sandbox-banner">Sandbox — not the real {html.escape(spec.display)}</p>
<main>{body}</main></body></html>"""
