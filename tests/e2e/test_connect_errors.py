"""Connection failures reached through the sandbox, each shown with the catalogue's code and text."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_connect_flow import start


def _fault(app_server, endpoint: str, fault: str) -> None:
    response = httpx.post(
        app_server.sandbox_url + "/_control/faults", json={"endpoint": endpoint, "fault": fault, "times": 1}
    )
    response.raise_for_status()


def _banner(page: Page) -> object:
    banner = page.locator("#error-banner")
    expect(banner).to_be_visible(timeout=20_000)
    return banner


@pytest.mark.parametrize(
    ("platform", "endpoint", "fault", "code"),
    [
        ("x", "x.token", "malformed_json", "token_parse_failed"),
        ("x", "x.token", "server_error", "x_token_error"),
        ("tiktok", "tiktok.token", "html_body", "invalid_token_response"),
        ("linkedin", "linkedin.userinfo", "server_error", "linkedin_profile_error"),
    ],
)
def test_provider_failures(page: Page, viewport: str, signed_in, app_server, platform, endpoint, fault, code) -> None:
    if viewport != "desktop":
        pytest.skip("one width is enough for each fault; the mobile banner is covered by the denial test")
    signed_in(plan="professional")
    _fault(app_server, endpoint, fault)
    consent = start(page, viewport, platform)
    consent.click("#sandbox-approve")
    expect(_banner(page)).to_contain_text(code)


@pytest.mark.parametrize(
    ("untick", "pages", "code", "text"),
    [
        ("pages_manage_posts", ("1111",), "Missing pages_manage_posts", "publishing permission was not granted"),
        ("pages_read_engagement", ("1111",), "missing_permission", "pages_read_engagement"),
        (None, (), "No Pages found", "does not manage any Pages"),
    ],
)
def test_facebook_permission_problems(page: Page, viewport: str, signed_in, untick, pages, code, text) -> None:
    if viewport != "desktop":
        pytest.skip("covered at 1280 px; the flow is the same at 390 px")
    signed_in(plan="professional")
    consent = start(page, viewport, "facebook")
    consent.check("#persona-fb-alice")
    if untick:
        consent.uncheck(f"#scope-{untick}")
    for box in consent.locator("input[name=page]").all():
        box.set_checked(box.get_attribute("value") in pages)
    consent.click("#sandbox-approve")
    banner = _banner(page)
    expect(banner).to_contain_text(code)
    expect(banner).to_contain_text(text)


def test_personal_instagram_is_refused(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    consent = start(page, viewport, "instagram")
    consent.check("#persona-ig-sam")
    consent.click("#sandbox-approve")
    if viewport == "desktop":
        expect(_banner(page)).to_contain_text("instagram_personal_account")
    else:
        expect(consent.locator("#result-code")).to_have_text("instagram_personal_account")


def test_replayed_callback_and_missing_parameters(page: Page, viewport: str, signed_in) -> None:
    if viewport != "desktop":
        pytest.skip("URL-level checks; one width is enough")
    signed_in(plan="professional")
    callbacks: list[str] = []
    page.context.on("request", lambda r: callbacks.append(r.url) if "/oauth/callback/" in r.url else None)
    consent = start(page, viewport, "x")
    consent.click("#sandbox-approve")
    expect(page.locator("[data-platform='x']")).to_be_visible(timeout=20_000)
    assert callbacks, "the sandbox redirected to our callback"
    replay = page.context.new_page()
    replay.goto(callbacks[0])
    expect(replay.locator("#result-code")).to_have_text("invalid_state")
    replay.goto("/oauth/callback/x")
    expect(replay.locator("#result-code")).to_have_text("missing_params")
    replay.goto("/oauth/callback/x?code=abc")
    expect(replay.locator("#result-code")).to_have_text("missing_state")
