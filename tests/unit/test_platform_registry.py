"""The registry: every platform has one home, and everything a connectable platform needs exists.

Walks ``Platform`` and checks, per connectable platform: its record, its client class in
``factory.PROVIDERS``, its sandbox emulator (module and consent route), its redirect URI and
credentials settings, the capabilities its client implements against what its record declares,
and an English and an Arabic catalogue entry for every error code its client can produce. Every
coming-soon platform has a record and no client. docs/adding-a-platform.md lists the same files.
"""

from __future__ import annotations

import importlib
import inspect
import re
from itertools import product
from urllib.parse import urlsplit

import pytest
from starlette.routing import Match

from socializioz.domain import errors
from socializioz.domain.errors import ErrorKind
from socializioz.domain.platforms import CONNECTABLE_PLATFORMS, PLATFORMS, Availability, Capability, Platform
from socializioz.i18n import ar, en
from socializioz.integrations import base, classify
from socializioz.integrations.config import ProviderSettings
from socializioz.integrations.endpoints import SANDBOX_CREDENTIALS, redirect_uri
from socializioz.integrations.factory import PROVIDERS
from socializioz.integrations.sandbox.app import build_sandbox_app
from socializioz.settings import PlatformCredentials, Settings

COMING_SOON = [p for p, info in PLATFORMS.items() if info.availability is Availability.COMING_SOON]
# Declared by the spec's capability table, not implemented by a client yet (the roadmap).
PENDING: set[tuple[Platform, Capability]] = set()  # every capability of the table is built
_CODE_LITERALS = re.compile(
    r"(?:ProviderError\(\s*ErrorKind\.\w+,\s*|missing_field\(\s*self\.name,\s*[^,]+,\s*|"
    r'permission_error\(\s*self\.name,\s*[^,]+,\s*)"(\w+)"'
)


def test_every_platform_has_a_record():
    assert set(PLATFORMS) == set(Platform)
    assert set(CONNECTABLE_PLATFORMS) == set(PROVIDERS)


@pytest.mark.parametrize("platform", CONNECTABLE_PLATFORMS, ids=lambda p: p.value)
def test_connectable_platform_record_is_complete(platform):
    info = PLATFORMS[platform]
    assert info.error_group is not None and info.media is not None
    assert info.connections and info.consent_scopes, "its own consent screen asks for scopes"
    assert all(c.publish_scope for c in info.connections)
    for connection in info.connections:
        assert Platform(connection.client) in PROVIDERS


@pytest.mark.parametrize("platform", CONNECTABLE_PLATFORMS, ids=lambda p: p.value)
def test_connectable_platform_has_client_sandbox_redirect_and_credentials(platform):
    client = PROVIDERS[platform]
    assert client.platform is platform and client.info is PLATFORMS[platform]
    assert client.scopes == PLATFORMS[platform].consent_scopes
    assert classify.rules_for(platform.value) is client, "its error hooks are registered"
    # The sandbox emulates it: a module named after its error table, and its consent endpoint.
    importlib.import_module(f"socializioz.integrations.sandbox.{PLATFORMS[platform].error_group.value}")
    settings = ProviderSettings()
    provider = client(client_id="c", client_secret="s", sandbox=True, settings=settings)
    path = urlsplit(provider.authorize_endpoint()).path.removeprefix(urlsplit(settings.sandbox_url).path)
    app = build_sandbox_app()
    scope = {"type": "http", "path": path, "method": "GET"}
    assert any(route.matches(scope)[0] is Match.FULL for route in app.routes), f"no sandbox route for {path}"
    assert SANDBOX_CREDENTIALS[platform.value]
    assert redirect_uri(platform, "https://app.example").endswith(f"/oauth/callback/{platform.value}")
    field = Settings.model_fields[platform.value]
    assert field.annotation is PlatformCredentials


@pytest.mark.parametrize("platform", CONNECTABLE_PLATFORMS, ids=lambda p: p.value)
def test_capabilities_the_client_implements_match_the_record(platform):
    client, info = PROVIDERS[platform], PLATFORMS[platform]
    for capability, method in base.CAPABILITY_METHODS.items():
        implemented = getattr(client, method) is not getattr(base.Provider, method)
        declared = info.supports(capability)
        assert client.supports(capability) is declared
        if declared and (platform, capability) not in PENDING:
            assert implemented, f"{platform.value} declares {capability.value} but {method} is missing"
        if (platform, capability) in PENDING:
            assert declared and not implemented, "pending list is stale: update it"
    for method in ("publish_post", "account_insights", "reply_comment", "conversations"):
        if getattr(client, method) is not getattr(base.Provider, method):
            assert any(info.supports(c) for c, m in base.CAPABILITY_METHODS.items() if m == method), (
                f"{platform.value} implements {method} that its record does not declare"
            )


def _client_codes(platform: Platform) -> set[str]:
    """Every catalogue code the platform's client can raise: its literals, the ladder's, the record's."""
    client = PROVIDERS[platform]
    source = "".join(inspect.getsource(m) for m in {inspect.getmodule(client), base})
    codes = set(_CODE_LITERALS.findall(source)) | {errors.UNSUPPORTED_CODE}
    codes |= {code for code in (client.info.accounts.refused_code,) if code}
    bodies = (None, classify.ErrorBody("invalid_client", oauth=True), classify.ErrorBody("190", "463"))
    for stage, kind, body, unparseable, limited, scope in product(
        classify.Stage,
        [k for k in ErrorKind if k is not ErrorKind.UNSUPPORTED],
        bodies,
        (False, True),
        (False, True),
        (None, "pages_manage_posts"),
    ):
        codes.add(
            classify._code(
                platform.value, stage, kind, body, unparseable=unparseable, rate_limited=limited, missing_scope=scope
            )
        )
    return codes


@pytest.mark.parametrize("platform", CONNECTABLE_PLATFORMS, ids=lambda p: p.value)
def test_every_code_the_client_can_produce_is_in_both_catalogues(platform):
    codes = _client_codes(platform)
    assert {"token_invalid", "provider_unavailable", "content_rejected"} <= codes
    for code in sorted(codes):
        entry = errors.describe(code, platform.value)
        for key in (entry.cause_key, entry.what_to_do_key):
            assert key in en.MESSAGES, f"{platform.value}:{code} has no English {key}"
            assert key in {**ar.MESSAGES}, f"{platform.value}:{code} has no Arabic {key}"


@pytest.mark.parametrize("platform", COMING_SOON, ids=lambda p: p.value)
def test_coming_soon_platform_has_a_record_and_no_client(platform):
    info = PLATFORMS[platform]
    assert info.display_name and not info.connectable
    assert platform not in PROVIDERS and platform.value not in SANDBOX_CREDENTIALS
    assert not info.connections and not info.capabilities
