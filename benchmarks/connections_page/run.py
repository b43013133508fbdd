"""Benchmark: the Connections page with 0 … 5,000 accounts in one workspace, in Debian's Chromium
(Playwright, 1280 × 800, the e2e harness's flags) against the production app in its own process.

    .venv/bin/python -m benchmarks.connections_page.run                       # 0 100 500 1000, 5 repeats
    .venv/bin/python -m benchmarks.connections_page.run --sizes 0 1000 5000 --repeats 3

Per size (a workspace of its own, Professional, N X accounts written through the models as
the e2e tests do; the user signed in with a session cookie): median over the repeats of
* navigation: ``page.goto('/connections')`` → every card (``[data-account-id]``) in the DOM and the
  first and last visible once scrolled to (N = 0: the empty-state panel visible);
* expand: click the first card's expand button → its expanded content (``[data-expanded]``) visible;
plus the largest websocket frame received, and the DOM element count. Ratios against N = 0
(navigation; expand against N = 100, the smallest page with a card).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from benchmarks.harness import App, Setup, load_average, other_activity

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


def measure(browser, base_url: str, cookie: str, ids: list[int]) -> dict:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(120_000)
    context.add_cookies([{"name": "sz_session", "value": cookie, "url": base_url}])
    page = context.new_page()
    largest = [0]

    def on_socket(ws):
        ws.on("framereceived", lambda payload: largest.__setitem__(0, max(largest[0], len(payload))))

    page.on("websocket", on_socket)
    n = len(ids)
    began = time.perf_counter()
    page.goto("/connections")
    if n:
        page.wait_for_function(f"document.querySelectorAll('[data-account-id]').length === {n}", polling="raf")
        page.locator(f"[data-account-id='{ids[-1]}']").scroll_into_view_if_needed()
        page.locator(f"[data-account-id='{ids[-1]}']").wait_for(state="visible")
    else:
        page.locator("[data-tile='facebook']").wait_for(state="visible")
    navigation = time.perf_counter() - began
    expand = None
    if n:
        page.locator(f"[data-account-id='{ids[0]}']").scroll_into_view_if_needed()
        began = time.perf_counter()
        page.click(f"[data-expand='{ids[0]}']")
        page.locator(f"[data-expanded='{ids[0]}']").wait_for(state="visible")
        expand = time.perf_counter() - began
    nodes = page.evaluate("document.getElementsByTagName('*').length")
    context.close()
    return {"navigation_s": navigation, "expand_s": expand, "largest_frame_bytes": largest[0], "dom_elements": nodes}


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
        for n in args.sizes:
            before = load_average()
            runs = [measure(browser, app.base_url, *workspaces[n]) for _ in range(args.repeats)]
            row = {
                "n": n,
                "repeats": len(runs),
                "navigation_ms": round(statistics.median(r["navigation_s"] for r in runs) * 1000),
                "expand_ms": round(statistics.median(r["expand_s"] for r in runs) * 1000) if n else None,
                "largest_frame_bytes": max(r["largest_frame_bytes"] for r in runs),
                "dom_elements": runs[0]["dom_elements"],
                "load": f"{before} -> {load_average()}",
            }
            rows.append(row)
        browser.close()
    nav0 = rows[0]["navigation_ms"]
    expand0 = next((r["expand_ms"] for r in rows if r["expand_ms"]), None)
    for row in rows:
        row["navigation_ratio"] = round(row["navigation_ms"] / nav0, 2)
        row["expand_ratio"] = round(row["expand_ms"] / expand0, 2) if row["expand_ms"] and expand0 else None
        row["others"] = other_activity()
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
