"""A burst of OAuth callbacks against a running server: N sandbox consents and callbacks at once,
with ``/ping`` sampled throughout. Shared by the regression test and the benchmark.

Every flow signs in as a different X persona (added to the in-memory sandbox) into one
Professional workspace, so a correct run creates exactly N accounts.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import statistics
import time
from dataclasses import dataclass, field, replace

import httpx
from sqlmodel import func, select

from socializioz import db as database
from socializioz.domain.plans import Plan
from socializioz.integrations import get_provider, redirect_uri
from socializioz.models import SocialAccount
from socializioz.services import auth, connect, oauth_flows, workspaces
from socializioz.settings import get_settings

TEMPLATE = "x-acme"
CSRF_FIELD = re.compile(r"name='csrf' value='([^']+)'")


@dataclass
class Burst:
    n: int
    callback_s: list[float] = field(default_factory=list)
    consent_s: list[float] = field(default_factory=list)
    ping_s: list[float] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)  # "flow" or the error code of each redirect
    accounts: int = 0
    distinct_accounts: int = 0
    wall_s: float = 0.0

    @property
    def ok(self) -> int:
        return self.statuses.count("flow")

    def summary(self) -> dict:
        pct = lambda xs, q: round(statistics.quantiles(xs, n=100)[q - 1] * 1000, 1) if len(xs) > 1 else None
        return {
            "n": self.n,
            "ok": self.ok,
            "accounts": self.accounts,
            "distinct": self.distinct_accounts,
            "wall_s": round(self.wall_s, 2),
            "callback_p50_ms": pct(self.callback_s, 50),
            "callback_p95_ms": pct(self.callback_s, 95),
            "ping_max_ms": round(max(self.ping_s) * 1000, 1) if self.ping_s else None,
            "errors": sorted({s for s in self.statuses if s != "flow"}),
        }


def owner(plan: Plan = Plan.PROFESSIONAL) -> tuple[int, int, str]:
    """A user on ``plan`` with a session cookie (no password hashing: a ticket is redeemed)."""
    with database.session_scope() as db:
        user = auth.sign_up(db, f"burst-{time.monotonic_ns()}@example.test", "Burst", "a-long-password")
        workspaces.change_plan(db, user, user.active_workspace_id, plan)
        cookie = auth.redeem_sign_in_ticket(db, auth.issue_sign_in_ticket(db, user))
        return user.id, user.active_workspace_id, cookie


def add_personas(sandbox_state, n: int, tag: str) -> list[str]:
    """N distinct X personas in the sandbox, copies of the seeded one."""
    base = sandbox_state.personas[TEMPLATE]
    ids = []
    for i in range(n):
        persona = replace(
            base, id=f"x-burst-{tag}-{i}", external_id=f"9{tag}{i:05d}", name=f"Burst {i}", username=f"burst{i}"
        )
        sandbox_state.personas[persona.id] = persona
        ids.append(persona.id)
    return ids


def start_flows(user_id: int, workspace_id: int, n: int) -> list[str]:
    with database.session_scope() as db:
        return [
            connect.start_flow(db, user_id=user_id, workspace_id=workspace_id, platform="x").authorize_url
            for _ in range(n)
        ]


async def _sample_pings(client: httpx.AsyncClient, base: str, out: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        began = time.perf_counter()
        with contextlib.suppress(httpx.TransportError):  # a dropped keep-alive: its time still counts
            await client.get(base + "/ping")
        out.append(time.perf_counter() - began)
        await asyncio.sleep(0.02)


async def fire(base: str, sandbox_state, n: int, tag: str = "") -> Burst:
    """N concurrent consent + callback pairs against ``base``; returns what each one got."""
    tag = tag or str(time.monotonic_ns() % 10**6)
    user_id, workspace_id, cookie = owner()
    personas = add_personas(sandbox_state, n, tag)
    return await fire_as(base, personas, user_id, workspace_id, cookie)


async def fire_as(base: str, personas: list[str], user_id: int, workspace_id: int, cookie: str) -> Burst:
    """The burst for personas that already exist in the sandbox (e.g. in a sandbox process)."""
    n = len(personas)
    urls = start_flows(user_id, workspace_id, n)
    burst = Burst(n)
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    timeout = httpx.Timeout(120)

    async def one(client: httpx.AsyncClient, url: str, persona: str) -> None:
        began = time.perf_counter()
        page = await client.get(url)  # the consent form carries a single-use CSRF token
        csrf = CSRF_FIELD.search(page.text).group(1)
        consent = await client.post(url, data={"action": "approve", "persona": persona, "csrf": csrf})
        burst.consent_s.append(time.perf_counter() - began)
        began = time.perf_counter()
        try:
            response = await client.get(consent.headers["location"])
            location = httpx.URL(response.headers.get("location", ""))
            burst.statuses.append(
                "flow"
                if "flow" in location.params and "error" not in location.params
                else location.params.get("error", f"http_{response.status_code}")
            )
        except httpx.HTTPError as error:
            burst.statuses.append(type(error).__name__)
        burst.callback_s.append(time.perf_counter() - began)

    stop = asyncio.Event()
    async with (
        httpx.AsyncClient(limits=limits, timeout=timeout, cookies={auth.SESSION_COOKIE: cookie}) as client,
        httpx.AsyncClient(timeout=timeout) as pinger,
    ):
        sampler = asyncio.create_task(_sample_pings(pinger, base, burst.ping_s, stop))
        began = time.perf_counter()
        await asyncio.gather(*(one(client, url, p) for url, p in zip(urls, personas, strict=True)))
        burst.wall_s = time.perf_counter() - began
        stop.set()
        await sampler
    with database.session_scope() as db:
        where = SocialAccount.workspace_id == workspace_id
        burst.accounts = db.exec(select(func.count()).select_from(SocialAccount).where(where)).one()
        burst.distinct_accounts = db.exec(
            select(func.count(func.distinct(SocialAccount.external_id))).where(where)
        ).one()
    return burst


async def sandbox_exchange_latency(sandbox_state, samples: int = 20, persona: str | None = None) -> list[float]:
    """The sandbox's own code-exchange round trip, unloaded: consent, then time ``exchange_code``.
    ``persona``: an existing persona (a sandbox in another process); otherwise one is added."""
    user_id, workspace_id, _cookie = owner()
    if persona is None:
        (persona,) = add_personas(sandbox_state, 1, f"lat{time.monotonic_ns() % 10**6}")
    provider = get_provider("x")
    timings = []
    async with httpx.AsyncClient() as client:
        for url in start_flows(user_id, workspace_id, samples):
            csrf = CSRF_FIELD.search((await client.get(url)).text).group(1)
            consent = await client.post(url, data={"action": "approve", "persona": persona, "csrf": csrf})
            callback = httpx.URL(consent.headers["location"])
            with database.session_scope() as db:
                _flow, verifier = oauth_flows.consume_flow(db, callback.params["state"], "x")
            began = time.perf_counter()
            await provider.exchange_code(
                callback.params["code"],
                redirect_uri=redirect_uri("x", get_settings().public_base_url),
                code_verifier=verifier,
            )
            timings.append(time.perf_counter() - began)
    await provider.aclose()
    return timings
