"""Benchmark: the Connections page with 0 … 5,000 accounts in one workspace, in Debian's Chromium
(Playwright, 1280 × 800, the e2e harness's flags) against the production app in its own process.

    .venv/bin/python -m benchmarks.connections_page.run                       # 0 100 500 1000, 5 repeats
    .venv/bin/python -m benchmarks.connections_page.run --sizes 0 1000 5000 --repeats 3

Per size (a workspace of its own, Professional, N X accounts written through the models as
the e2e tests do; the user signed in with a session cookie): median over the repeats of
* navigation: ``page.goto('/connections')`` → the first page's cards (``[data-account-id]``, at most
  ``PAGE_SIZE``: the list is paginated by the server) in the DOM and the page's last card visible once
  scrolled to (N = 0: the same steps for the empty state, "No accounts connected yet");
* expand: click the first card's expand button → its expanded content (``[data-expanded]``) visible;
* dialog: click the Facebook tile → its setup sheet visible (the trivial event, on every page);
* one card changes: the second card's account turns ``expired`` in the database, the tab gets a
  focus event (``ConnectionsState.reload``, the same re-read a live push does) → that card amber;
  the websocket bytes received for it (``card_change_bytes``: the whole page's cards before the
  per-card health map, one card's health after);
plus the largest websocket frame received, and the DOM element count. Ratios against N = 0:
navigation against N = 0's navigation, expand and the card change against N = 0's dialog.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from benchmarks.harness import App, Setup, load_average, other_activity
from socializioz.services.account_views import PAGE_SIZE

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]  # as tests/e2e/conftest.py


def workspace_with(n: int) -> tuple[str, list[int]]:
    from socializioz.db import session_scope
    from socializioz.domain.plans import Plan
    from socializioz.models import SocialAccount
    from socializioz.services import auth, workspaces

    stamp = time.time_ns()
    with session_scope() as db:
        user = auth.sign_up(db, f"page-{n}-{stamp}@example.test", f"Page {n}", "a-long-password")
        user.tour_done = True
        workspaces.change_plan(db, user, user.active_workspace_id, Plan.PROFESSIONAL)
        accounts = [
            SocialAccount(
                workspace_id=user.active_workspace_id,
                platform="x",
                external_id=f"page-{stamp}-{i}",
                name=f"Account {i:05d}",
                username=f"acct_{i}",
                granted_scopes="",
            )
            for i in range(n)
        ]
        db.add_all(accounts)
        db.flush()
        ids = [a.id for a in accounts]
        return auth.redeem_sign_in_ticket(db, auth.issue_sign_in_ticket(db, user)), ids


def set_status(account_id: int, status: str) -> None:
    from socializioz.db import session_scope
    from socializioz.models import SocialAccount

    with session_scope() as db:
        account = db.get(SocialAccount, account_id)
        assert account is not None
        account.status = status
        db.add(account)
        db.commit()


def open_dialog(page) -> float:
    began = time.perf_counter()
    page.click("[data-connect='facebook']")
    page.locator("#setup-sheet").wait_for(state="visible")
    elapsed = time.perf_counter() - began
    page.click("#sheet-cancel")
    page.locator("#setup-sheet").wait_for(state="hidden")
    return elapsed


def card_change(page, frames: list[int], account_id: int) -> tuple[float, int]:
    """One account's health changes on the server; the tab re-reads its page (focus)."""
    set_status(account_id, "expired")
    try:
        page.wait_for_timeout(200)
        frames.clear()
        began = time.perf_counter()
        page.evaluate("window.dispatchEvent(new Event('focus'))")
        page.locator(f"[data-account-id='{account_id}'] [data-status='needs_reconnect']").wait_for(state="visible")
        elapsed = time.perf_counter() - began
        page.wait_for_timeout(500)  # the event's last frames
        return elapsed, sum(frames)
    finally:
        set_status(account_id, "active")


def measure(browser, base_url: str, cookie: str, ids: list[int]) -> dict:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(120_000)
    context.add_cookies([{"name": "sz_session", "value": cookie, "url": base_url}])
    page = context.new_page()
    largest = [0]
    frames: list[int] = []

    def on_frame(payload) -> None:
        largest[0] = max(largest[0], len(payload))
        frames.append(len(payload))

    def on_socket(ws):
        ws.on("framereceived", on_frame)

    page.on("websocket", on_socket)
    n = len(ids)
    shown = ids[:PAGE_SIZE]  # the first page: oldest first, as the rows were written
    began = time.perf_counter()
    page.goto("/connections")
    # The same three steps at every N, so the ratio compares pages, not Playwright round trips:
    # the page's content in the DOM (24 cards, or the empty state that says none are connected),
    # its last element scrolled to, and visible.
    if n:
        ready, last = (
            f"document.querySelectorAll('[data-account-id]').length === {len(shown)}",
            f"[data-account-id='{shown[-1]}']",
        )
    else:
        ready, last = "document.getElementById('connections-empty') !== null", "#connections-empty"
    page.wait_for_function(ready, polling="raf")
    page.locator(last).scroll_into_view_if_needed()
    page.locator(last).wait_for(state="visible")
    navigation = time.perf_counter() - began
    expand = None
    if n:
        page.locator(f"[data-account-id='{ids[0]}']").scroll_into_view_if_needed()
        began = time.perf_counter()
        page.click(f"[data-expand='{ids[0]}']")
        page.locator(f"[data-expanded='{ids[0]}']").wait_for(state="visible")
        expand = time.perf_counter() - began
    dialog = open_dialog(page)
    change, change_bytes = card_change(page, frames, shown[1]) if n > 1 else (None, None)
    nodes = page.evaluate("document.getElementsByTagName('*').length")
    context.close()
    return {
        "navigation_s": navigation,
        "expand_s": expand,
        "dialog_s": dialog,
        "card_change_s": change,
        "card_change_bytes": change_bytes,
        "largest_frame_bytes": largest[0],
        "dom_elements": nodes,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 100, 500, 1000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--setup", default="sqlite")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with App(Setup.parse(args.setup), "page") as app, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        workspaces = {n: workspace_with(n) for n in args.sizes}
        measure(browser, app.base_url, *workspaces[args.sizes[0]])  # warm-up: caches, first compile of the page
        # Round-robin over the sizes, so a machine whose load drifts during the run skews every
        # size alike rather than the sizes measured last.
        before = load_average()
        measured: dict[int, list[dict]] = {n: [] for n in args.sizes}
        for _ in range(args.repeats):
            for n in args.sizes:
                measured[n].append(measure(browser, app.base_url, *workspaces[n]))
        load = f"{before} -> {load_average()}"
        for n, runs in measured.items():
            row = {
                "n": n,
                "repeats": len(runs),
                "navigation_ms": round(statistics.median(r["navigation_s"] for r in runs) * 1000),
                "expand_ms": round(statistics.median(r["expand_s"] for r in runs) * 1000) if n else None,
                "dialog_ms": round(statistics.median(r["dialog_s"] for r in runs) * 1000),
                "card_change_ms": round(statistics.median(r["card_change_s"] for r in runs) * 1000) if n > 1 else None,
                "card_change_bytes": round(statistics.median(r["card_change_bytes"] for r in runs)) if n > 1 else None,
                "largest_frame_bytes": max(r["largest_frame_bytes"] for r in runs),
                "cards": min(n, PAGE_SIZE),
                "dom_elements": runs[0]["dom_elements"],
                "load": load,
            }
            rows.append(row)
        browser.close()
    nav0, dialog0 = rows[0]["navigation_ms"], rows[0]["dialog_ms"]
    for row in rows:
        row["navigation_ratio"] = round(row["navigation_ms"] / nav0, 2)
        row["expand_ratio"] = round(row["expand_ms"] / dialog0, 2) if row["expand_ms"] else None
        row["card_change_ratio"] = round(row["card_change_ms"] / dialog0, 2) if row["card_change_ms"] else None
        row["others"] = other_activity()
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
