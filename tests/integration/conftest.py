"""Fixtures: the sandbox mounted at /sandbox behind an ASGI transport (its state in the test's
database), and a consent helper."""

from __future__ import annotations

import re
import secrets
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from socializioz.integrations import ProviderSettings, get_provider, redirect_uri
from socializioz.integrations.sandbox import SandboxClock, build_sandbox_app
from socializioz.settings import Settings

BASE = "http://sandbox.test/sandbox"
PUBLIC = "http://app.test"


@pytest.fixture
def clock():
    return SandboxClock()


@pytest.fixture
def sandbox(clock, schema):
    return build_sandbox_app(clock=clock, control_enabled=True, public_base_url=PUBLIC)


# One provider call against the in-process sandbox normally takes milliseconds, but on a loaded
# two-core CI box a setup call once took over a second; calls get a patient deadline. A test that
# injects a fault which makes the sandbox sit on its answer needs the client to give up quickly,
# so injecting one tightens the shared deadline from then on (providers built with explicit
# overrides keep their own).
PATIENT_DEADLINE_SECONDS = 10.0
TIGHT_DEADLINE_SECONDS = 1.0
SLOW_FAULTS = frozenset({"timeout", "timeout_after_create"})


@pytest.fixture
def state(sandbox, provider_settings, monkeypatch):
    sandbox_state = sandbox.state.sandbox
    inject = sandbox_state.inject

    def inject_and_tighten(endpoint, fault):
        if fault.kind in SLOW_FAULTS:
            tight = min(provider_settings.request_timeout_seconds, TIGHT_DEADLINE_SECONDS)
            provider_settings.request_timeout_seconds = tight
        inject(endpoint, fault)

    monkeypatch.setattr(sandbox_state, "inject", inject_and_tighten)
    return sandbox_state


@pytest.fixture
def transport(sandbox):
    return httpx.ASGITransport(app=Starlette(routes=[Mount("/sandbox", app=sandbox)]))


@pytest.fixture
def raw(transport):
    """Plain httpx against the sandbox, for contract tests."""
    return httpx.AsyncClient(transport=transport, base_url=BASE)


@pytest.fixture
def provider_settings():
    return ProviderSettings(sandbox_base_url=BASE, request_timeout_seconds=PATIENT_DEADLINE_SECONDS)


@pytest.fixture
def make_provider(transport, clock, provider_settings):
    def make(platform: str, **overrides):
        settings = provider_settings.model_copy(update=overrides) if overrides else provider_settings
        return get_provider(platform, Settings(), http_client=transport, clock=clock, provider_settings=settings)

    return make


class Consent:
    """Drives a consent screen like a person: choose persona, scopes and Pages, press a button."""

    def __init__(self, raw: httpx.AsyncClient):
        self.raw = raw

    async def submit(
        self,
        authorize_url: str,
        *,
        action: str = "approve",
        persona: str | None = None,
        scopes: list[str] | None = None,
        pages: list[str] | None = None,
    ) -> dict[str, str]:
        page = await self.raw.get(authorize_url)
        assert page.status_code == 200, page.text
        params = dict(parse_qsl(urlsplit(authorize_url).query))
        form = [("action", action), ("csrf", csrf_of(page.text))]
        if persona:
            form.append(("persona", persona))
        requested = params["scope"].replace(",", " ").split()
        form += [("scope", s) for s in (requested if scopes is None else scopes)]
        form += [("page", p) for p in (pages or [])]
        data: dict[str, list[str]] = {}
        for key, value in form:
            data.setdefault(key, []).append(value)
        answer = await self.raw.post(authorize_url, data=data)
        assert answer.status_code == 303, answer.text
        location = answer.headers["location"]
        assert location.startswith(PUBLIC)
        # Parsed naively, fragment included, as a copied URL would be: Instagram's "#_" sticks to code.
        return dict(parse_qsl(location.split("?", 1)[1], keep_blank_values=True))


@pytest.fixture
def consent(raw):
    return Consent(raw)


def csrf_of(page: str) -> str:
    """The consent form's CSRF token, as a browser would post it back."""
    return re.search(r"name='csrf' value='([^']+)'", page).group(1)


def new_flow(platform: str) -> dict[str, str]:
    return {
        "state": secrets.token_urlsafe(16),
        "redirect_uri": redirect_uri(platform, PUBLIC),
        "code_verifier": secrets.token_urlsafe(48),
    }
