"""The installable app: manifest and icons, the service worker and its offline page, the install
prompt, and the installed app's own behaviours (same-tab OAuth, refresh on return)."""

from __future__ import annotations

import json
import re
import struct

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import AppServer, at, screenshot, sign_in

# Makes the page believe it runs as an installed app: Playwright can't emulate display-mode.
STANDALONE = """(() => {
  const original = window.matchMedia.bind(window);
  window.matchMedia = (query) => {
    if (/display-mode:\\s*standalone/.test(query)) {
      return {matches: true, media: query, onchange: null, addListener() {}, removeListener() {},
              addEventListener() {}, removeEventListener() {}, dispatchEvent() { return false; }};
    }
    return original(query);
  };
})()"""

# What Chromium hands the page when it offers installation; prompt() is recorded, not shown.
OFFER_INSTALL = """() => {
  const offer = new Event('beforeinstallprompt', {cancelable: true});
  offer.prompt = () => { window.__szPrompted = true; return Promise.resolve(); };
  offer.userChoice = Promise.resolve({outcome: 'accepted', platform: 'web'});
  window.dispatchEvent(offer);
}"""


def _png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n" and body[12:16] == b"IHDR"
    return struct.unpack(">II", body[16:24])


def test_manifest_icons_and_apple_tags(app_server: AppServer) -> None:
    head = httpx.get(app_server.url("/sign-in/")).text
    for tag in (
        r'<link[^>]*rel="manifest"[^>]*href="/manifest.webmanifest"|<link[^>]*href="/manifest.webmanifest"[^>]*rel="manifest"',
        r'name="apple-mobile-web-app-capable"',
        r'name="apple-mobile-web-app-status-bar-style"',
        r'name="apple-mobile-web-app-title"',
        r'href="/apple-touch-icon.png"',
    ):
        assert re.search(tag, head), tag

    manifest = json.loads(httpx.get(app_server.url("/manifest.webmanifest")).text)
    assert manifest["name"] == "Socializioz"
    assert manifest["display"] == "standalone"
    assert httpx.get(app_server.url(manifest["start_url"])).status_code == 200
    pngs = {icon["src"]: icon for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in pngs.values()}
    assert any(icon["purpose"] == "maskable" for icon in pngs.values())
    for src, icon in [*pngs.items(), ("/apple-touch-icon.png", {"sizes": "180x180"})]:
        response = httpx.get(app_server.url(src))
        assert response.status_code == 200 and response.headers["content-type"] == "image/png", src
        assert "x".join(map(str, _png_size(response.content))) == icon["sizes"], src


def _wait_for_service_worker(page: Page) -> None:
    state = page.evaluate("navigator.serviceWorker.ready.then((r) => r.active && r.active.state)")
    assert state in ("activating", "activated")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_offline_page_when_the_network_is_cut(page: Page, viewport: str, make_user) -> None:
    user = make_user()
    page.goto("/sign-in")
    _wait_for_service_worker(page)

    page.context.set_offline(True)
    page.goto("/connections/")
    expect(page.locator("main[data-lang='en'] h1")).to_have_text("You're offline")
    expect(page.locator("main[data-lang='ar']")).to_be_hidden()
    screenshot(page, "pwa-offline", viewport)

    page.evaluate("localStorage.setItem('sz_lang', 'ar')")
    page.reload()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("main[data-lang='ar'] h1")).to_have_text("أنت غير متصل بالإنترنت")
    screenshot(page, "pwa-offline-ar", viewport)
    page.evaluate("localStorage.setItem('sz_lang', 'en')")

    # Back online, the page reloads by itself into the app, which works as before.
    page.context.set_offline(False)
    page.wait_for_url(at("/sign-in"), timeout=20_000)
    page.locator("#email").wait_for()
    sign_in(page, user)
    page.wait_for_selector("[data-tile='facebook']")


def test_service_worker_caches_only_the_static_shell(page: Page, viewport: str, signed_in) -> None:
    if viewport == "mobile":
        pytest.skip("the cache's contents don't depend on the width")
    page.goto("/sign-in")
    _wait_for_service_worker(page)
    signed_in()
    page.reload()  # now controlled from the start: the build's files go through the worker
    page.wait_for_selector("[data-tile='facebook']")
    cached = page.evaluate("""async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(name + ' ' + new URL(request.url).pathname);
      }
      return urls;
    }""")
    names = {entry.split(" ")[0] for entry in cached}
    paths = [entry.split(" ", 1)[1] for entry in cached]
    assert names == {"sz-shell-v1", "sz-static-v1"}
    assert "/offline.html" in paths and any(p.startswith("/assets/") and p.endswith(".js") for p in paths)
    shell = {
        "/offline.html",
        "/manifest.webmanifest",
        "/favicon.svg",
        "/icon-192.png",
        "/icon-512.png",
        "/icon-maskable-512.png",
        "/apple-touch-icon.png",
    }
    strays = [
        p for p in paths if p not in shell and not re.fullmatch(r"/assets/[\w.-]+-[\w-]{6,}\.(js|css|woff2?|ttf)", p)
    ]
    assert not strays, f"cached beyond the static shell: {strays}"


def test_install_prompt_shows_when_offered_and_stays_dismissed(page: Page, viewport: str, signed_in) -> None:
    signed_in()
    page.wait_for_function("window.__szPwa === true")
    prompt = page.locator("#install-prompt")
    expect(prompt).to_have_count(0)  # nothing until the browser offers installation
    page.evaluate(OFFER_INSTALL)
    expect(prompt).to_be_visible()
    expect(prompt).to_contain_text("Install Socializioz")
    screenshot(page, "pwa-install-prompt", viewport)

    page.click("#install-dismiss")
    expect(prompt).to_have_count(0)
    page.reload()
    page.wait_for_selector("[data-tile='facebook']")
    page.wait_for_function("window.__szPwa === true")
    page.evaluate(OFFER_INSTALL)
    page.wait_for_timeout(500)
    expect(prompt).to_have_count(0)


def test_install_prompt_hands_over_to_the_browser_in_arabic(page: Page, viewport: str, signed_in) -> None:
    if viewport == "desktop":
        pytest.skip("one width is enough for the language and the hand-over")
    signed_in()
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.wait_for_function("window.__szPwa === true")
    page.evaluate(OFFER_INSTALL)
    prompt = page.locator("#install-prompt")
    expect(prompt).to_contain_text("ثبّت Socializioz")
    screenshot(page, "pwa-install-prompt-ar", viewport)
    page.click("#install-accept")
    expect(prompt).to_have_count(0)
    assert page.evaluate("window.__szPrompted === true")


def test_installed_app_shows_no_install_prompt(page: Page, viewport: str, signed_in) -> None:
    page.add_init_script(STANDALONE)
    signed_in()
    page.wait_for_function("window.__szPwa === true")
    page.evaluate(OFFER_INSTALL)
    page.wait_for_timeout(500)
    expect(page.locator("#install-prompt")).to_have_count(0)


def test_installed_app_connects_in_the_same_tab(page: Page, viewport: str, signed_in) -> None:
    """Spec, "How mobile OAuth works": WebView or PWA opens the authorization in the same tab.
    On desktop a browser tab would open a new tab (the flow tests cover that)."""
    if viewport == "mobile":
        pytest.skip("mobile Safari already connects in the same tab; the installed desktop app is the change")
    page.add_init_script(STANDALONE)
    signed_in(plan="professional")
    page.wait_for_timeout(500)  # the page's display-mode probe answers on load
    page.click("[data-connect='tiktok']")
    page.wait_for_selector("#sandbox-approve")
    assert len(page.context.pages) == 1, "the installed app must not open a new window for OAuth"
    page.click("#sandbox-approve")
    page.wait_for_url("**/connections/**", timeout=20_000)
    expect(page.locator("[data-platform='tiktok']")).to_be_visible(timeout=20_000)


def test_return_from_the_app_switcher_clears_a_stuck_spinner(page: Page, viewport: str, signed_in) -> None:
    """The installed app is hidden and shown again (app switcher): visibilitychange, not focus."""
    if viewport == "mobile":
        pytest.skip("same-tab navigation on mobile: there is no waiting origin tab")
    signed_in(plan="professional")
    with page.context.expect_page() as popup:
        page.click("[data-connect='tiktok']")
    expect(page.locator("#connecting-notice")).to_be_visible()
    popup.value.close()
    page.evaluate("""() => {
      Object.defineProperty(document, 'hidden', {configurable: true, get: () => false});
      document.dispatchEvent(new Event('visibilitychange', {bubbles: true}));  // as browsers fire it
    }""")
    expect(page.locator("#connecting-notice")).to_have_count(0)
