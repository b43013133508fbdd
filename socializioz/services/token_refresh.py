"""The hourly token sweep and the admin "refresh now", over ``refresh_policy`` and the providers.

Correctness, per attempt: the account's lease is claimed first (one statement per batch), the
account and its credential are re-read under it and the policy is asked again, so an account that
another process has just refreshed is left alone. The provider is called outside any transaction;
its answer is committed at once, in one transaction that compare-and-swaps the credential, writes
the new tokens over the old row (``store_tokens`` never saves a blank token), records the
attempt as a ``ConnectionEvent`` and releases the lease. Failures are classified before anything
changes (``refresh_policy.after_failure``). A check that found the token still valid changed
nothing on the platform, so the sweep writes a batch's checks in one transaction instead (the same
compare-and-swap per account). Events and logs carry codes, never tokens.

Crash safety. A crash before the commit leaves the old credential untouched and the lease to
expire. For Meta that old token is still valid (it is refreshed 7 days before expiry and a
refresh does not revoke it), so nothing is lost and the next run retries. A rotating refresh
token (X, TikTok) is spent by the provider as soon as it answers: a crash in the few
milliseconds between that answer and the commit loses the new grant. The stored access token
keeps working until its own expiry (the window opens 75 minutes before it), and the next
attempt gets ``invalid_grant`` and turns the account amber for a reconnect. That window is the
price of not holding a transaction open across an HTTP call; no code runs inside it except the
commit, and it is why rotating refresh is opt-in.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session

from socializioz import db as database
from socializioz.domain.errors import ProviderError
from socializioz.domain.refresh_policy import Action, Decision, automatic_rules, due, next_check_after_success
from socializioz.domain.roles import manages
from socializioz.integrations import get_provider, get_provider_settings
from socializioz.integrations.base import Provider
from socializioz.integrations.models import TokenSet
from socializioz.models import SocialAccount, User
from socializioz.services import notify, refresh_leases, refresh_store
from socializioz.services.errors import NotFound, PermissionDenied
from socializioz.services.refresh_store import Claimed, lease_name
from socializioz.services.workspaces import role_in
from socializioz.settings import get_settings

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 5  # provider calls in flight per sweep (Meta throttles per app; benchmarks/README.md)
DEFAULT_BATCH_SIZE = 200

ProviderFactory = Callable[[str], Provider]


class Outcome(str, enum.Enum):
    REFRESHED = "refreshed"
    VERIFIED = "verified"
    BACKOFF = "backoff"  # temporary failure: retried in 30 minutes (the retry job), never amber
    FAILED = "failed"  # the platform refused the token's refresh (missing permission, too early...)
    PAUSED = "paused"  # the third consecutive failure: automatic refresh stops until a person acts
    NEEDS_RECONNECT = "needs_reconnect"
    SUPERSEDED = "superseded"  # the tokens changed meanwhile (reconnect); result dropped
    NOT_DUE = "not_due"
    BUSY = "busy"  # another process holds the account's lease
    ALREADY_FRESH = "already_fresh"  # refreshed by someone else since the request
    ERROR = "error"  # an unexpected fault; logged, the lease expires


@dataclass(frozen=True)
class RefreshResult:
    outcome: Outcome
    reason: str = ""  # the policy's reason when nothing was done (too_young, manual_reconnect, ...)


@dataclass
class SweepReport:
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    candidates: int = 0
    claimed: int = 0
    batches: int = 0

    def count(self, outcome: Outcome) -> int:
        return self.outcomes[outcome]


class _Providers:
    """One client per platform for a run (they pool connections), closed at the end."""

    def __init__(self, factory: ProviderFactory) -> None:
        self._factory = factory
        self._clients: dict[str, Provider] = {}

    def get(self, platform: str) -> Provider:
        if platform not in self._clients:
            self._clients[platform] = self._factory(platform)
        return self._clients[platform]

    async def __aenter__(self) -> _Providers:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        for client in self._clients.values():
            await client.aclose()


def lease_ttl(batch_size: int, concurrency: int) -> timedelta:
    """Longer than an account can wait in its batch plus its own provider call, at the HTTP timeout."""
    waves = math.ceil(batch_size / concurrency) + 1
    return timedelta(seconds=get_provider_settings().request_timeout_seconds * waves + 60)


def _clock(now: datetime | None) -> Callable[[], datetime]:
    return (lambda: now) if now is not None else (lambda: datetime.now(UTC))


def _rotating_opt_in(value: bool | None) -> bool:
    """The caller's choice, else the operator's setting (SOCIALIZIOZ_REFRESH_ROTATING_TOKENS)."""
    return value if value is not None else get_settings().refresh_rotating_tokens


async def refresh_sweep(
    now: datetime | None = None,
    provider_factory: ProviderFactory = get_provider,
    concurrency: int = DEFAULT_CONCURRENCY,
    batch_size: int = DEFAULT_BATCH_SIZE,
    refresh_rotating_tokens: bool | None = None,
    keep_going: Callable[[], bool] | None = None,
    retries_only: bool = False,
) -> SweepReport:
    """Refresh or verify every due account, ``concurrency`` at a time, batch by batch.

    ``keep_going`` is asked before each batch (the scheduler renews its job lease there and stops
    when it lost it). ``now`` pins the clock, for tests; by default each batch reads the time.
    ``retries_only``: only accounts whose failed attempt's backoff is over (``retry_sweep``).
    """
    clock, rotating = _clock(now), _rotating_opt_in(refresh_rotating_tokens)
    rules = automatic_rules(refresh_rotating_tokens=rotating)
    holder, ttl = refresh_leases.new_holder(), lease_ttl(batch_size, concurrency)
    gate = asyncio.Semaphore(concurrency)
    report, after = SweepReport(), 0
    async with _Providers(provider_factory) as providers:
        while keep_going is None or keep_going():
            moment = clock()
            with database.session_scope() as db:
                ids = refresh_store.candidate_ids(
                    db, after=after, now=moment, limit=batch_size, rules=rules, retries_only=retries_only
                )
                held, stale = _claim(db, ids, holder, moment, ttl)
            if not ids:
                break
            after = ids[-1]
            report.batches, report.candidates, report.claimed = (
                report.batches + 1,
                report.candidates + len(ids),
                report.claimed + len(held),
            )
            work = _plan(sorted(held), stale, moment, rotating, holder, report)
            results = await asyncio.gather(*(_ask(c, d, providers, gate, clock, holder) for c, d in work))
            report.outcomes.update(r for r in results if isinstance(r, Outcome))
            report.outcomes.update(await _commit_verified([r for r in results if isinstance(r, _Verified)], holder))
            for workspace_id in sorted({claimed.workspace_id for claimed, _ in work}):
                await notify.workspace_changed(workspace_id)
    return report


async def retry_sweep(keep_going: Callable[[], bool] | None = None, **options: Any) -> SweepReport:
    """The retry job's run: a failed attempt is tried again when its 30-minute backoff ends, not at
    the next hourly run (spec: "backs off for 30 minutes before retrying")."""
    return await refresh_sweep(keep_going=keep_going, retries_only=True, **options)


def _claim(db: Session, ids: list[int], holder: str, now: datetime, ttl: timedelta) -> tuple[set[int], frozenset[int]]:
    """(claimed account ids, those whose previous lease was left behind by a dead holder)."""
    names = [lease_name(i) for i in ids]
    stale = refresh_leases.stale(db, names, free_at=now)
    held = refresh_leases.claim(db, names, holder, free_at=now, until=now + ttl)
    return {refresh_store.lease_account(n) for n in held}, frozenset(refresh_store.lease_account(n) for n in stale)


def _plan(
    ids: list[int], stale: frozenset[int], now: datetime, rotating: bool, holder: str, report: SweepReport
) -> list[tuple[Claimed, Decision]]:
    """Re-read the claimed accounts and ask the policy again; park the ones not due after all."""
    work: list[tuple[Claimed, Decision]] = []
    waits: dict[int, datetime | None] = {}
    idle: list[int] = []
    with database.session_scope() as db:
        for claimed in refresh_store.load(db, ids, stale):
            decision = due(claimed.snapshot, now, refresh_rotating_tokens=rotating)
            if decision.action is Action.WAIT:
                waits[claimed.account_id] = decision.not_before
            elif decision.action is Action.NONE:
                idle.append(claimed.account_id)
            else:
                work.append((claimed, decision))
        refresh_store.defer(db, waits, holder)
        refresh_leases.release(db, map(lease_name, idle), holder)
    report.outcomes[Outcome.NOT_DUE] += len(waits) + len(idle)
    return work


@dataclass(frozen=True)
class _Verified:
    """A check the platform answered "still valid": nothing changed on its side, so the sweep writes
    these with the rest of their batch (``_commit_verified``, one transaction) rather than one
    transaction each. A crash before that commit costs one more check, never a token."""

    claimed: Claimed
    decision: Decision
    expires_at: datetime | None
    at: datetime


async def _ask(
    claimed: Claimed,
    decision: Decision,
    providers: _Providers,
    gate: asyncio.Semaphore,
    clock: Callable[[], datetime],
    holder: str,
) -> Outcome | _Verified:
    """One provider call. A refresh or a failure is committed at once: nothing runs between the
    provider's answer and its commit (a rotating refresh token is spent the moment the platform
    answers). A successful check is returned for its batch to write.

    ``gate`` bounds the provider calls in flight; the commit happens outside it, so a slow disk
    does not hold a slot that the next provider call could use."""
    try:
        if decision.action is Action.FLAG:
            return await _commit(claimed, holder, lambda db: _flagged(db, claimed, decision.reason, clock()))
        provider = providers.get(claimed.platform)
        async with gate:
            new_tokens: TokenSet | None
            if decision.action is Action.VERIFY:
                new_tokens, expires_at = None, await _verify(provider, claimed)
            else:
                tokens = claimed.tokens
                if tokens is None:  # the policy answers NONE for an account without tokens
                    raise RuntimeError(f"account {claimed.account_id} has no tokens to refresh")
                new_tokens = await provider.refresh(tokens)
                expires_at = new_tokens.expires_at_datetime
    except ProviderError as error:
        failure = error  # outlives the except block, unlike ``error``
        return await _commit(claimed, holder, lambda db: _failed(db, claimed, failure, clock()))
    except Exception:
        log.exception("token refresh of account %s failed unexpectedly", claimed.account_id)
        return Outcome.ERROR
    if new_tokens is None:
        return _Verified(claimed, decision, expires_at, clock())
    return await _commit(claimed, holder, lambda db: _succeeded(db, claimed, decision, new_tokens, expires_at, clock()))


async def _commit(claimed: Claimed, holder: str, write: Callable[[Session], Outcome]) -> Outcome:
    """Write the attempt's result and release the account's lease in one transaction.

    In a worker thread: a commit waits for the disk, and on the event loop it would stall every
    other attempt in flight (the sweep would run at one commit at a time, not at ``concurrency``)."""
    return await asyncio.to_thread(_write, claimed, holder, write)


async def _commit_verified(checks: list[_Verified], holder: str) -> list[Outcome]:
    """Write a batch's successful checks and release their leases: one worker-thread hop and one
    transaction for the batch (a transaction per check was most of the sweep's CPU)."""
    if not checks:
        return []
    try:
        return await asyncio.to_thread(_write_verified, sorted(checks, key=lambda c: c.claimed.account_id), holder)
    except Exception:
        log.exception("writing %s verified token checks failed; they are checked again", len(checks))
        return [Outcome.ERROR] * len(checks)


def _write_verified(checks: list[_Verified], holder: str) -> list[Outcome]:
    with database.session_scope() as db:
        outcomes = [_succeeded(db, c.claimed, c.decision, None, c.expires_at, c.at) for c in checks]
        refresh_leases.release(db, [lease_name(c.claimed.account_id) for c in checks], holder)
    return outcomes


def _write(claimed: Claimed, holder: str, write: Callable[[Session], Outcome]) -> Outcome:
    with database.session_scope() as db:
        outcome = write(db)
        refresh_leases.release(db, [lease_name(claimed.account_id)], holder)
    return outcome


def _succeeded(
    db: Session,
    claimed: Claimed,
    decision: Decision,
    new_tokens: TokenSet | None,
    expires_at: datetime | None,
    now: datetime,
) -> Outcome:
    kind: str | None
    if new_tokens is not None:
        kind = refresh_store.EVENT_REFRESHED
    else:  # an hourly check that changed nothing is not news (it would log 24 events a day per account)
        kind = refresh_store.EVENT_VERIFIED if expires_at != claimed.snapshot.token_expires_at else None
    stored = refresh_store.record_success(
        db,
        claimed,
        kind=kind,
        new_tokens=new_tokens,
        token_expires_at=expires_at,
        next_refresh_at=next_check_after_success(claimed.platform, decision.action, now),
        now=now,
    )
    if not stored:
        return Outcome.SUPERSEDED
    return Outcome.VERIFIED if new_tokens is None else Outcome.REFRESHED


def _failed(db: Session, claimed: Claimed, error: ProviderError, now: datetime) -> Outcome:
    outcome = refresh_store.record_failure(db, claimed, error, now)
    if outcome is None:
        return Outcome.SUPERSEDED
    if outcome.needs_reconnect:
        return Outcome.NEEDS_RECONNECT
    if outcome.paused:
        return Outcome.PAUSED
    return Outcome.BACKOFF if outcome.temporary else Outcome.FAILED


def _flagged(db: Session, claimed: Claimed, reason: str, now: datetime) -> Outcome:
    stored = refresh_store.record_flag(db, claimed, reason, now)
    return Outcome.NEEDS_RECONNECT if stored else Outcome.SUPERSEDED


async def _verify(provider: Provider, claimed: Claimed) -> datetime | None:
    """Ask the platform whether the token publishing uses still works; returns its expiry."""
    return await provider.check_token(claimed.checked_token, claimed.snapshot.token_expires_at)


async def refresh_account_now(
    account_id: int,
    actor: User,
    *,
    now: datetime | None = None,
    provider_factory: ProviderFactory = get_provider,
    refresh_rotating_tokens: bool | None = None,
) -> RefreshResult:
    """The admin "refresh now": same guard as the sweep, no window or backoff, and it ends a pause.

    Concurrent requests collapse: one calls the provider; the others find the lease held (BUSY)
    or, once it is released, a credential refreshed after they were asked (ALREADY_FRESH).
    """
    clock = _clock(now)
    requested_at, holder = clock(), refresh_leases.new_holder()
    with database.session_scope() as db:
        workspace_id = _authorize(db, account_id, actor)
        held, stale = _claim(db, [account_id], holder, requested_at, lease_ttl(1, 1))
    if not held:
        return RefreshResult(Outcome.BUSY)
    with database.session_scope() as db:
        (claimed,) = refresh_store.load(db, [account_id], stale)
        fresh = claimed.credential_updated_at is not None and claimed.credential_updated_at >= requested_at
        if fresh:
            refresh_leases.release(db, [lease_name(account_id)], holder)
            return RefreshResult(Outcome.ALREADY_FRESH)
        refresh_store.reset_pause(db, account_id)
    claimed = replace(claimed, failures=0)
    decision = due(
        claimed.snapshot, clock(), refresh_rotating_tokens=_rotating_opt_in(refresh_rotating_tokens), manual=True
    )
    if decision.action in (Action.WAIT, Action.NONE):
        with database.session_scope() as db:
            refresh_leases.release(db, [lease_name(account_id)], holder)
        result = RefreshResult(Outcome.NOT_DUE, decision.reason)
    else:
        async with _Providers(provider_factory) as providers:
            asked = await _ask(claimed, decision, providers, asyncio.Semaphore(1), clock, holder)
            outcome = asked if isinstance(asked, Outcome) else (await _commit_verified([asked], holder))[0]
            result = RefreshResult(outcome)
    await notify.workspace_changed(workspace_id)
    return result


def _authorize(db: Session, account_id: int, actor: User) -> int:
    """The account's workspace; NotFound for outsiders (ids cannot be probed), admins only."""
    account = db.get(SocialAccount, account_id)
    role = role_in(db, actor, account.workspace_id) if account and account.disconnected_at is None else None
    if account is None or role is None:
        raise NotFound("account.not_found")
    if not manages(role):
        raise PermissionDenied("refresh.admin_only")
    return account.workspace_id
