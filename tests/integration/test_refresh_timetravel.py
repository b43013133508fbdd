"""The hourly sweep under time travel against the sandbox: windows, Instagram's 24-hour rule,
outages that flag nobody, a revoked token that flags exactly its account, and the pause."""

from __future__ import annotations

import time

import pytest
import time_machine

from socializioz.integrations import get_provider
from socializioz.integrations.sandbox.state import Fault
from socializioz.services import token_refresh
from socializioz.services.token_refresh import Outcome, refresh_account_now, refresh_sweep, retry_sweep
from socializioz.settings import Settings

from .test_refresh_harness import DAY, HOUR, MINUTE, PERSONA, START, CountingTransport, World, admin_of, graph_error

pytestmark = pytest.mark.usefixtures("schema")


@pytest.fixture
def travel():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(travel, state):
    return World(state)


@pytest.fixture
def wire(transport):
    return CountingTransport(transport)


@pytest.fixture
def refreshes():
    """(when, token expiry, token issue time) of every refresh the providers were asked for."""
    return []


@pytest.fixture
def factory(wire, clock, provider_settings, refreshes):
    def make(platform: str):
        provider = get_provider(
            platform, Settings(), http_client=wire, clock=clock, provider_settings=provider_settings
        )
        original = provider.refresh

        async def recorded(token):
            refreshes.append((time.time(), token.expires_at, token.issued_at))
            return await original(token)

        provider.refresh = recorded
        return provider

    return make


async def run_hours(travel, factory, hours: range, every_hour=None, **options):
    for hour in hours:
        travel.move_to(START + hour * HOUR)
        if every_hour:
            every_hour(hour)
        await refresh_sweep(provider_factory=factory, **options)


async def test_sixty_days_refresh_inside_the_window_and_never_outside(
    travel, world, factory, wire, refreshes, provider_settings, monkeypatch
):
    # 4,000 calls against the in-process sandbox: the 1 s client deadline (real time) is for the
    # outage tests below; one slow call on a loaded CI box must not read as an outage here.
    monkeypatch.setattr(provider_settings, "request_timeout_seconds", 30.0)
    fresh = world.account("instagram", expires_in=60 * DAY)
    older = world.account("instagram", expires_in=10 * DAY, age=50 * DAY)
    page = world.account("facebook", expires_in=60 * DAY)
    linkedin = world.account("linkedin", expires_in=60 * DAY)
    broken = []

    def still_valid(hour):
        broken.extend((hour, a) for a in (fresh, older) if world.token_state(a) != "valid")

    await run_hours(travel, factory, range(1, 60 * 24 + 1), still_valid)

    assert broken == []
    assert len(refreshes) == 3  # fresh: day 53; older: day 3, then day 56
    for at, expires_at, issued_at in refreshes:
        assert 0 < expires_at - at <= 7 * 86400, "refreshed outside the 7-day window"
        assert at - issued_at >= 24 * 3600
    assert wire.count("refresh_access_token") == 3
    assert wire.count("debug_token") == 60 * 24  # the Page token is verified every hour, never refreshed
    assert wire.count("/oauth/access_token") == 0
    assert world.row(page).token_expires_at is None  # debug_token: a Page token never expires
    # LinkedIn: checked hourly, never refreshed; at the last run its 60-day token has expired
    assert wire.count("api.linkedin.com/v2/userinfo") == wire.count("linkedin") == 60 * 24 - 1
    assert world.events(linkedin) == []  # unchanged checks log nothing
    assert world.events(page) == ["token_verified"]  # only the first: it learned the Page token never expires
    assert all(world.row(a).status == "active" for a in (fresh, older, page, linkedin))


async def test_instagram_is_never_refreshed_before_24_hours(travel, world, factory, state, refreshes):
    state.options.instagram_long_token_expires_in = 3 * 86400  # always inside the window
    account = world.account("instagram", expires_in=3 * DAY)

    await run_hours(travel, factory, range(1, 7 * 24 + 1))

    assert [round((at - issued) / 3600) for at, _, issued in refreshes] == [24] * 7
    assert set(world.events(account)) == {"token_refreshed"}
    assert world.token_state(account) == "valid"


OUTAGE = ("server_error", "timeout", "rate_limit", "code_17")


async def test_a_day_long_meta_outage_turns_nothing_amber_and_pauses_until_an_admin_acts(
    travel, world, factory, wire, state
):
    state.options.timeout_fault_seconds = 1.0
    accounts = [world.account("instagram", expires_in=5 * DAY, age=55 * DAY) for _ in range(3)]
    accounts += [world.account("facebook", expires_in=60 * DAY) for _ in range(2)]
    before = {a: world.tokens(a) for a in accounts}
    fault = {"kind": None}
    wire.fault = lambda request: graph_error(17, "User request limit reached") if fault["kind"] == "code_17" else None

    def outage(hour):
        fault["kind"] = OUTAGE[hour % len(OUTAGE)]
        state.clear_faults()
        if fault["kind"] != "code_17":
            for platform in ("instagram", "facebook"):
                state.inject(f"{platform}.*", Fault(kind=fault["kind"], times=1000))

    for hour in range(1, 26):  # the hourly sweep and, half an hour later, the retry job
        travel.move_to(START + hour * HOUR)
        outage(hour)
        await refresh_sweep(provider_factory=factory)
        travel.move_to(START + hour * HOUR + 31 * MINUTE)
        await retry_sweep(provider_factory=factory)

    for account in accounts:
        row = world.row(account)
        assert (row.status, row.last_error) == ("active", None)  # an outage never asks for a reconnect
        assert (row.refresh_paused, row.refresh_failures) == (True, 3)  # three in a row, then it stops
        assert world.tokens(account) == before[account]
        assert world.token_state(account) == "valid"
    calls_while_paused = len(wire.calls)
    await run_hours(travel, factory, range(26, 30))
    assert len(wire.calls) == calls_while_paused  # paused: no more retries

    fault["kind"] = None
    state.clear_faults()
    admin = admin_of(world.workspace_id)
    outcomes = [(await refresh_account_now(a, admin, provider_factory=factory)).outcome for a in accounts]
    assert outcomes == [Outcome.REFRESHED] * 3 + [Outcome.VERIFIED] * 2
    assert all((world.row(a).refresh_paused, world.row(a).refresh_failures) == (False, 0) for a in accounts)


async def test_a_revoked_token_flags_exactly_that_account(travel, world, factory, state):
    instagram = [world.account("instagram", expires_in=5 * DAY, age=55 * DAY) for _ in range(4)]
    pages = [world.account("facebook", expires_in=60 * DAY) for _ in range(2)]
    state.revoke(world.tokens(instagram[2])["access_token"])
    state.revoke(world.tokens(pages[1])["page_access_token"])
    travel.move_to(START + HOUR)

    report = await refresh_sweep(provider_factory=factory)

    assert report.count(Outcome.NEEDS_RECONNECT) == 2
    flagged = {a for a in instagram + pages if world.row(a).status == "needs_reconnect"}
    assert flagged == {instagram[2], pages[1]}
    assert {world.row(a).last_error for a in flagged} == {"token_invalid"}
    assert all(world.row(a).last_error is None for a in set(instagram + pages) - flagged)

    travel.move_to(START + 2 * HOUR)
    again = await refresh_sweep(provider_factory=factory)
    # amber accounts wait for a reconnect; the others get their hourly check
    assert (again.candidates, again.count(Outcome.VERIFIED), again.count(Outcome.NEEDS_RECONNECT)) == (4, 4, 0)


async def test_three_counted_failures_pause_until_a_manual_refresh(travel, world, factory, wire):
    account = world.account(
        "instagram", expires_in=5 * DAY, age=55 * DAY, scopes=("instagram_business_content_publish",)
    )

    await run_hours(travel, factory, range(1, 11))

    row = world.row(account)
    assert wire.count("refresh_access_token") == 3
    assert (row.refresh_paused, row.refresh_failures, row.status) == (True, 3, "active")
    assert world.events(account) == ["token_refresh_failed"] * 3

    travel.move_to(START + 11 * HOUR)
    result = await refresh_account_now(account, admin_of(world.workspace_id), provider_factory=factory)
    assert result.outcome is Outcome.FAILED
    assert wire.count("refresh_access_token") == 4
    assert (world.row(account).refresh_paused, world.row(account).refresh_failures) == (False, 1)


async def test_a_temporary_failure_is_retried_30_minutes_later_not_at_the_next_hour(travel, world, factory, state):
    account = world.account("instagram", expires_in=6 * DAY, age=54 * DAY)
    state.inject("instagram.*", Fault(kind="server_error", times=1))

    travel.move_to(START + HOUR)
    assert (await refresh_sweep(provider_factory=factory)).count(Outcome.BACKOFF) == 1
    assert world.row(account).next_refresh_at == START + HOUR + 30 * MINUTE
    assert world.events(account) == ["token_refresh_backoff"]

    travel.move_to(START + HOUR + 29 * MINUTE)  # not yet
    assert (await retry_sweep(provider_factory=factory)).candidates == 0
    travel.move_to(START + HOUR + 31 * MINUTE)  # the retry job's next two-minute slot
    assert (await retry_sweep(provider_factory=factory)).count(Outcome.REFRESHED) == 1
    assert (world.row(account).refresh_failures, world.row(account).refresh_paused) == (0, False)
    travel.move_to(START + HOUR + 33 * MINUTE)
    assert (await retry_sweep(provider_factory=factory)).candidates == 0  # healthy accounts wait for the hour


async def test_three_temporary_failures_in_a_row_pause_within_the_hour_and_a_reconnect_resumes(
    travel, world, factory, state
):
    from socializioz.db import session_scope
    from socializioz.services.accounts_store import AccountDraft, save_account

    account = world.account("instagram", expires_in=6 * DAY, age=54 * DAY)
    state.inject("instagram.*", Fault(kind="server_error", times=10_000))
    travel.move_to(START + HOUR)
    await refresh_sweep(provider_factory=factory)
    travel.move_to(START + HOUR + 31 * MINUTE)
    await retry_sweep(provider_factory=factory)
    assert (world.row(account).refresh_failures, world.row(account).refresh_paused) == (2, False)
    travel.move_to(START + 2 * HOUR + 2 * MINUTE)
    assert (await retry_sweep(provider_factory=factory)).count(Outcome.PAUSED) == 1
    row = world.row(account)
    assert (row.refresh_paused, row.status, row.last_error) == (True, "active", None)
    assert world.events(account)[-1] == "token_refresh_failed"

    state.clear_faults()
    await run_hours(travel, factory, range(3, 6))
    assert world.row(account).refresh_paused  # nothing automatic resumes it

    row = world.row(account)  # the person reconnects: the same account, fresh tokens
    draft = AccountDraft(
        platform=row.platform,
        external_id=row.external_id,
        name=row.name,
        username=row.username,
        avatar_url="",
        followers=0,
        tokens=world.tokens(account),
        token_expires_at=row.token_expires_at,
        granted_scopes=tuple(row.granted_scopes.split()),
        publish_capable=True,
        connection_method=row.connection_method,
    )
    with session_scope() as db:
        save_account(db, row.workspace_id, draft, "reconnected")
    assert (world.row(account).refresh_paused, world.row(account).refresh_failures) == (False, 0)
    travel.move_to(START + 6 * HOUR)
    assert (await refresh_sweep(provider_factory=factory)).count(Outcome.REFRESHED) == 1


@pytest.mark.parametrize("platform", ["x", "tiktok"])
async def test_rotating_tokens_refresh_only_when_opted_in(travel, world, factory, wire, platform):
    account = world.account(platform, expires_in=2 * HOUR)

    await run_hours(travel, factory, range(1, 4))
    assert len(wire.calls) == 1 and wire.calls[0].path.endswith(("/2/users/me", "/v2/user/info/"))
    assert world.events(account) == []  # one hourly identity check; at hour 2 the token has expired

    await run_hours(travel, factory, range(4, 28), refresh_rotating_tokens=True)
    assert world.token_state(account) == "valid"
    assert world.events(account) == ["token_refreshed"] * 24  # a 2-hour token has 1 hour left at every run
    assert {c.status for c in wire.calls} == {200}  # no invalid_grant, ever


@pytest.mark.parametrize("platform", ["facebook", "instagram", "x", "tiktok", "linkedin"])
async def test_a_token_revoked_on_the_platform_turns_amber_within_the_hour(world, travel, state, factory, platform):
    account = world.account(platform, expires_in=40 * DAY)
    first = await refresh_sweep(provider_factory=factory)
    assert first.count(Outcome.VERIFIED) == 1 and world.row(account).status == "active"
    state.revoke(persona_id=PERSONA[platform])
    travel.move_to(START + HOUR)
    report = await refresh_sweep(provider_factory=factory)
    assert report.count(Outcome.NEEDS_RECONNECT) == 1
    assert world.row(account).status != "active"


@pytest.mark.parametrize(
    "platform, endpoint",
    [
        ("facebook", "facebook.debug_token"),
        ("instagram", "instagram.me"),
        ("x", "x.users_me"),
        ("tiktok", "tiktok.user_info"),
        ("linkedin", "linkedin.userinfo"),
    ],
)
async def test_a_platform_outage_during_the_hourly_check_never_turns_amber(
    world, travel, state, factory, platform, endpoint
):
    account = world.account(platform, expires_in=40 * DAY)
    state.options.timeout_fault_seconds = 2.0
    for failures, kind in enumerate(("server_error", "timeout", "rate_limit"), start=1):
        state.inject(endpoint, Fault(kind=kind, times=1))
        report = await refresh_sweep(provider_factory=factory)
        assert report.count(Outcome.NEEDS_RECONNECT) == 0
        row = world.row(account)
        assert (row.status, row.refresh_failures, row.refresh_paused) == ("active", failures, failures == 3)
        travel.shift(HOUR)
    assert (await refresh_sweep(provider_factory=factory)).candidates == 0  # paused: nothing automatic
    result = await refresh_account_now(account, admin_of(world.workspace_id), provider_factory=factory)
    assert result.outcome in (Outcome.VERIFIED, Outcome.NOT_DUE)  # an admin acted: the pause is over
    assert (world.row(account).status, world.row(account).refresh_paused) == ("active", False)


async def test_a_failed_write_of_a_batchs_checks_loses_no_token_and_they_are_checked_again(
    travel, world, factory, wire, monkeypatch
):
    """Checks are written per batch (refreshes at once): when that write fails, the refresh is
    already stored, the checks count as errors, and the next run checks them again."""
    pages = [world.account("facebook", expires_in=60 * DAY) for _ in range(3)]
    due = world.account("instagram", expires_in=5 * DAY, age=55 * DAY)
    before = {a: world.row(a).next_refresh_at for a in pages}
    real_write = token_refresh._write_verified

    def broken(*_args, **_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(token_refresh, "_write_verified", broken)
    travel.move_to(START + HOUR)
    report = await refresh_sweep(provider_factory=factory)
    assert (report.count(Outcome.REFRESHED), report.count(Outcome.ERROR), report.count(Outcome.VERIFIED)) == (1, 3, 0)
    assert world.events(due) == ["token_refreshed"]
    assert all(world.row(a).next_refresh_at == before[a] and world.row(a).status == "active" for a in pages)

    monkeypatch.setattr(token_refresh, "_write_verified", real_write)
    travel.move_to(START + 2 * HOUR)  # the failed batch's leases have expired by now
    again = await refresh_sweep(provider_factory=factory)
    assert again.count(Outcome.VERIFIED) >= 3 and again.count(Outcome.ERROR) == 0
    assert all(world.row(a).next_refresh_at not in (None, before[a]) for a in pages)
