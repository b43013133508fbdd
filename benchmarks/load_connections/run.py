"""Benchmark: 200 signed-in users on the Connections page, each on a websocket of its own, doing
human-paced events for 60 s against the production app in a process of its own.

    .venv/bin/python -m benchmarks.load_connections.run                          # sqlite pg1 pg2 pg4
    .venv/bin/python -m benchmarks.load_connections.run --setups pg2 --users 50 --seconds 20

Setup (through the app's services, against the server's database, before the server takes load):
``--workspaces`` Professional workspaces (default 8) of ``--users / --workspaces`` members each
(the first the owner), 5 X accounts per workspace; one session cookie per user (a sign-in ticket
redeemed, as ``POST /auth/session`` does). The client is ``aws.AsyncSocket`` (asyncio + wsproto)
so 200 sockets cost one thread.

Each user hydrates ``/connections`` (staggered over 10 s), then every 2-5 s (uniform) sends one of
``AccountsState.tap_card`` (a card not expanded yet), ``AccountsState.open_details``,
``ConnectionsState.on_visibility {"hidden": false}``, ``SessionState.toggle_language``.

Latency = emit → the event's last delta frame. Reflex 0.10 marks no final frame (``StateUpdate.final``
is deprecated and never set), so each event's frame count is calibrated in the 1-user phase (emit,
count this tab's frames over 1.5 s; then every baseline event checks that no further frame comes
within 0.5 s). It depends on the state manager: SQLite/disk sends tap_card 1, open_details 1,
on_visibility 2 (its chained ``reload``), toggle_language 3 (delta, chained ``apply_direction``,
its ``_call_script``); with Redis on_visibility 1 and toggle_language 2. Frames that other users' events fan out to this tab (a ``WorkspaceFeed`` delta
without this tab's ``ConnectionsState``) are not counted as this event's frames. No expected frame
within 30 s = an error.

Bound per event: p95 under load ≤ 1.2 × the same event's p95 with 1 user (same setup, same run).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from collections import defaultdict

from benchmarks.harness import App, Setup, load_average, other_activity

EXPECTED_FRAMES = {"tap_card": 1, "open_details": 1, "on_visibility": 2, "toggle_language": 3}
ACCOUNTS_PER_WORKSPACE = 5


def handlers() -> dict[str, str]:
    import socializioz.pages  # noqa: F401  (the states import the pages first)
    from socializioz.state.accounts import AccountsState
    from socializioz.state.connections import ConnectionsState
    from socializioz.state.session import SessionState
    from tests.e2e.ws_client import handler_name

    return {
        "tap_card": handler_name(AccountsState, "tap_card"),
        "open_details": handler_name(AccountsState, "open_details"),
        "on_visibility": handler_name(ConnectionsState, "on_visibility"),
        "toggle_language": handler_name(SessionState, "toggle_language"),
    }


def prepare(users: int, workspaces: int) -> list[tuple[str, list[int]]]:
    """(session cookie, account ids of the user's workspace) per user."""
    from socializioz.db import session_scope
    from socializioz.domain.plans import Plan
    from socializioz.models import Membership, SocialAccount
    from socializioz.services import auth
    from socializioz.services import workspaces as ws

    out = []
    stamp = time.time_ns()
    per = -(-users // workspaces)
    with session_scope() as db:
        for w in range(workspaces):
            owner = auth.sign_up(db, f"load-{stamp}-{w}-0@example.test", f"Owner {w}", "a-long-password")
            workspace_id = owner.active_workspace_id
            ws.change_plan(db, owner, workspace_id, Plan.PROFESSIONAL)
            accounts = []
            for a in range(ACCOUNTS_PER_WORKSPACE):
                account = SocialAccount(
                    workspace_id=workspace_id,
                    platform="x",
                    external_id=f"load-{stamp}-{w}-{a}",
                    name=f"Account {w}.{a}",
                    username=f"acct_{w}_{a}",
                    granted_scopes="",
                )
                db.add(account)
                db.flush()
                accounts.append(account.id)
            members = [owner]
            for m in range(1, per):
                if len(out) + len(members) >= users:
                    break
                email = f"load-{stamp}-{w}-{m}@example.test"
                member = auth.sign_up(db, email, f"Member {w}.{m}", "a-long-password")
                # a member as an accepted invitation leaves them (the benchmark needs no invite flow)
                db.add(Membership(workspace_id=workspace_id, user_id=member.id, role="member"))
                db.flush()
                ws.set_active_workspace(db, member, workspace_id)
                members.append(member)
            db.flush()
            for user in members:
                user.tour_done = True
                db.add(user)
                out.append((auth.redeem_sign_in_ticket(db, auth.issue_sign_in_ticket(db, user)), accounts))
            if len(out) >= users:
                break
    return out[:users]


def is_fanout(frame) -> bool:
    delta = frame.get("delta", {}) if isinstance(frame, dict) else {}
    return any(k.endswith("workspace_feed") for k in delta) and not any(k.endswith("connections_state") for k in delta)


class Stats:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.extra_frames: dict[str, int] = defaultdict(int)
        self.extra_example: dict[str, list] = {}
        self.largest_frame = 0
        self.frames_per_event: dict[str, int] = {}


async def one_event(
    sock,
    names: dict[str, str],
    kind: str,
    payload: dict,
    stats: Stats,
    settle: float = 0.0,
    expected: dict[str, int] = EXPECTED_FRAMES,
) -> None:
    sock.drain()  # fan-out frames that arrived while idle
    began = time.perf_counter()
    sock.emit(names[kind], payload)
    own, last = 0, None
    try:
        while own < expected[kind]:
            at, frame = await asyncio.wait_for(sock.frames.get(), 30)
            if not is_fanout(frame):
                own, last = own + 1, at
    except TimeoutError:
        stats.errors.append(f"{kind}: timeout after {own} frames")
        return
    stats.latency[kind].append(last - began)
    if settle:
        await asyncio.sleep(settle)
        extra = [f for _at, f in sock.drain() if not is_fanout(f)]
        if extra:
            stats.extra_frames[kind] += len(extra)
            stats.extra_example.setdefault(kind, [sorted(f.get("delta", {}) or f) for f in extra])


def choose(rng: random.Random, accounts: list[int], expanded: list[int], kind: str | None = None) -> tuple[str, dict]:
    kind = kind or rng.choice(list(EXPECTED_FRAMES))
    if kind == "tap_card":
        account = rng.choice([a for a in accounts if a != expanded[0]])
        expanded[0] = account
        return kind, {"account_id": account}
    if kind == "open_details":
        return kind, {"account_id": rng.choice(accounts)}
    if kind == "on_visibility":
        return kind, {"hidden": False}
    return kind, {}


async def baseline(app: App, names, user: tuple[str, list[int]], per_kind: int) -> Stats:
    """One user alone: every kind ``per_kind`` times, and no frame past the expected ones."""
    from .aws import AsyncSocket

    stats = Stats()
    sock = await AsyncSocket.open("127.0.0.1", app.port, user[0])
    await sock.hydrate()
    await asyncio.sleep(1)
    rng, expanded = random.Random(1), [0]
    for kind in EXPECTED_FRAMES:  # calibration: how many frames this setup sends for each kind
        _, payload = choose(rng, user[1], expanded, kind)
        sock.drain()
        sock.emit(names[kind], payload)
        await asyncio.sleep(1.5)
        stats.frames_per_event[kind] = sum(1 for _at, f in sock.drain() if not is_fanout(f))
    for _ in range(per_kind):
        for kind in EXPECTED_FRAMES:
            _, payload = choose(rng, user[1], expanded, kind)
            await one_event(sock, names, kind, payload, stats, settle=0.5, expected=stats.frames_per_event)
    stats.largest_frame = sock.largest_frame
    await sock.close()
    return stats


async def load(
    app: App, names, users: list[tuple[str, list[int]]], seconds: float, expected: dict[str, int]
) -> tuple[Stats, dict]:
    from .aws import AsyncSocket

    stats = Stats()
    hydrate_s: list[float] = []
    rss_samples: list[dict] = []
    stop_at = [0.0]
    ready = asyncio.Event()

    async def user(i: int, cookie: str, accounts: list[int]) -> None:
        rng, expanded = random.Random(i), [0]
        await asyncio.sleep(10 * i / len(users))
        try:
            sock = await AsyncSocket.open("127.0.0.1", app.port, cookie)
            hydrate_s.append(await sock.hydrate())
        except Exception as error:  # noqa: BLE001 - counted
            stats.errors.append(f"connect: {type(error).__name__} {error}")
            return
        await ready.wait()
        await asyncio.sleep(rng.uniform(0, 3))
        while time.perf_counter() < stop_at[0]:
            if sock.closed:
                stats.errors.append("socket closed")
                return
            kind, payload = choose(rng, accounts, expanded)
            await one_event(sock, names, kind, payload, stats, expected=expected)
            await asyncio.sleep(rng.uniform(2, 5))
        stats.largest_frame = max(stats.largest_frame, sock.largest_frame)
        await sock.close()

    async def sample_rss() -> None:
        while not ready.is_set() or time.perf_counter() < stop_at[0]:
            rss_samples.append(app.rss_mb())
            await asyncio.sleep(2)

    tasks = [asyncio.create_task(user(i, c, a)) for i, (c, a) in enumerate(users)]
    sampler = asyncio.create_task(sample_rss())
    await asyncio.sleep(12)  # all connected and hydrated (staggered over 10 s)
    began = time.perf_counter()
    stop_at[0] = began + seconds
    load_before = load_average()
    ready.set()
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - began
    await sampler
    peak: dict[str, float] = {}
    for sample in rss_samples:
        for k, v in sample.items():
            peak[k] = max(peak.get(k, 0), v)
    info = {
        "hydrated": len(hydrate_s),
        "hydrate_p50_ms": ms(pct(hydrate_s, 50)),
        "hydrate_p95_ms": ms(pct(hydrate_s, 95)),
        "wall_s": round(wall, 1),
        "events_done": sum(len(v) for v in stats.latency.values()),
        "events_per_s": round(sum(len(v) for v in stats.latency.values()) / wall, 1),
        "peak_rss_mb": peak,
        "load": f"{load_before} -> {load_average()}",
    }
    return stats, info


def pct(xs: list[float], q: int) -> float | None:
    if not xs:
        return None
    if len(xs) == 1:
        return xs[0]
    return statistics.quantiles(xs, n=100, method="inclusive")[q - 1]


def ms(x: float | None) -> float | None:
    return None if x is None else round(x * 1000, 1)


def note(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


async def one_setup(setup: Setup, users: int, workspaces: int, seconds: float, names) -> dict:
    with App(setup, f"load_{setup.name}") as app:
        note(f"{setup.name}: serving on {app.base_url}; preparing {users} users")
        people = prepare(users, workspaces)
        note("baseline (1 user)")
        base = await asyncio.wait_for(baseline(app, names, people[0], per_kind=10), 300)
        note(f"load ({users} users, {seconds} s)")
        under, info = await asyncio.wait_for(load(app, names, people, seconds, base.frames_per_event), seconds + 200)
    result = {
        "setup": setup.name,
        "users": users,
        "workspaces": workspaces,
        **info,
        "errors": len(under.errors),
        "error_kinds": sorted(set(under.errors))[:5],
        "frames_per_event": base.frames_per_event,
        "baseline_extra_frames": dict(base.extra_frames),
        "baseline_extra_example": base.extra_example,
        "largest_frame_bytes": max(base.largest_frame, under.largest_frame),
        "others": other_activity(),
        "events": {},
    }
    for kind in EXPECTED_FRAMES:
        b95 = pct(base.latency[kind], 95)
        l50, l95 = pct(under.latency[kind], 50), pct(under.latency[kind], 95)
        result["events"][kind] = {
            "n": len(under.latency[kind]),
            "alone_p50_ms": ms(pct(base.latency[kind], 50)),
            "alone_p95_ms": ms(b95),
            "bound_ms": ms(1.2 * b95) if b95 else None,
            "p50_ms": ms(l50),
            "p95_ms": ms(l95),
            "ratio": round(l95 / (1.2 * b95), 2) if l95 and b95 else None,
        }
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--setups", nargs="+", default=["sqlite", "pg1", "pg2", "pg4"])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--workspaces", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    names = handlers()
    for text in args.setups:
        asyncio.run(one_setup(Setup.parse(text), args.users, args.workspaces, args.seconds, names))


if __name__ == "__main__":
    main()
