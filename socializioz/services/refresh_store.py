"""The refresh job's reads and writes: batch selection, the re-read under the lease, and one commit per attempt.

Each attempt's result is written in one short transaction that also releases the account's lease, so
a result and its guard change together. The commit is a compare-and-swap on the credential's
ciphertext as read under the lease: if a reconnect or a disconnect replaced or removed the tokens
meanwhile, the stale result is dropped instead of overwriting newer tokens.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from socializioz.domain.errors import ProviderError
from socializioz.domain.health import NEEDS_RECONNECT_STATUSES
from socializioz.domain.refresh_policy import AccountSnapshot, FailureOutcome, Mode, PlatformRule, after_failure
from socializioz.integrations.models import TokenSet
from socializioz.models import ConnectionEvent, Credential, SocialAccount
from socializioz.security.credentials import store_tokens
from socializioz.security.crypto import TokenCipher
from socializioz.services.account_tokens import mark_needs_reconnect
from socializioz.services.persisted import saved_id

from . import refresh_leases

EVENT_REFRESHED = "token_refreshed"
EVENT_VERIFIED = "token_verified"
EVENT_BACKOFF = "token_refresh_backoff"  # temporary failure: retried after the 30-minute backoff
EVENT_FAILED = "token_refresh_failed"  # the token was refused (or the third failure in a row)
EVENT_EXPIRED = "token_expired"
EVENT_INTERRUPTED = "token_refresh_interrupted"
FLAG_EVENTS = {"expired": EVENT_EXPIRED, "interrupted": EVENT_INTERRUPTED}
EVENT_SUPERSEDED = "token_refresh_superseded"


LEASE_PREFIX = "account-refresh:"


def lease_name(account_id: int) -> str:
    return f"{LEASE_PREFIX}{account_id}"


def lease_account(name: str) -> int:
    return int(name.removeprefix(LEASE_PREFIX))


@dataclass(frozen=True)
class Claimed:
    """An account as re-read under its lease. ``seen`` is the ciphertext the result must replace;
    ``stored`` the decrypted credential, whose extra keys (a Page token) a refresh keeps."""

    account_id: int
    workspace_id: int
    platform: str
    failures: int
    snapshot: AccountSnapshot
    stored: dict[str, Any] | None
    seen: bytes | None
    credential_updated_at: datetime | None

    @property
    def tokens(self) -> TokenSet | None:
        return TokenSet.from_stored(self.stored) if self.stored else None

    @property
    def checked_token(self) -> str:
        """The token that publishing uses: the Page token of a Facebook Page, else the access token."""
        page_token: str | None = (self.stored or {}).get("page_access_token")
        if page_token:
            return page_token
        tokens = self.tokens
        if tokens is None:  # the policy never checks an account without tokens (it counts as disconnected)
            raise RuntimeError(f"account {self.account_id} has no tokens to check")
        return tokens.access_token


def candidate_ids(
    db: Session, *, after: int, now: datetime, limit: int, rules: list[PlatformRule], retries_only: bool = False
) -> list[int]:
    """Ids of accounts that may be due, in id order after ``after``; ``refresh_policy.due`` decides.

    Every live (unexpired) token is a candidate for the hourly check; expired ones only where a rule
    can still refresh them. ``retries_only`` (the retry job): just the accounts whose last attempt
    failed and whose 30-minute backoff is over."""
    expiry = col(SocialAccount.token_expires_at)
    windows = [
        col(SocialAccount.platform) == rule.platform.value
        if rule.mode is Mode.VERIFY
        else sa.and_(col(SocialAccount.platform) == rule.platform.value, expiry <= now + rule.window)
        for rule in rules
    ]
    windows += [expiry.is_(None), expiry > now]
    query = (
        select(col(SocialAccount.id))
        .where(
            col(SocialAccount.id) > after,
            col(SocialAccount.disconnected_at).is_(None),
            col(SocialAccount.refresh_paused).is_(False),
            col(SocialAccount.status).not_in(NEEDS_RECONNECT_STATUSES),
            sa.or_(col(SocialAccount.next_refresh_at).is_(None), col(SocialAccount.next_refresh_at) <= now),
            sa.or_(*windows),
        )
        .order_by(col(SocialAccount.id))
        .limit(limit)
    )
    if retries_only:
        query = query.where(col(SocialAccount.refresh_failures) > 0, col(SocialAccount.next_refresh_at).is_not(None))
    # A primary key is never NULL; the filter only narrows SQLModel's ``int | None`` column type.
    return [account_id for account_id in db.exec(query).all() if account_id is not None]


def load(db: Session, account_ids: list[int], interrupted: frozenset[int] = frozenset()) -> list[Claimed]:
    """The accounts and their decrypted tokens in one query (the re-read after taking the leases).

    ``interrupted``: accounts whose previous attempt left a stale lease behind."""
    if not account_ids:
        return []
    rows = db.exec(
        select(SocialAccount, Credential)
        .join(Credential, col(Credential.account_id) == col(SocialAccount.id), isouter=True)
        .where(col(SocialAccount.id).in_(account_ids))
        .order_by(col(SocialAccount.id))
    ).all()
    cipher = TokenCipher.from_settings()
    return [_claimed(account, credential, cipher, account.id in interrupted) for account, credential in rows]


def _claimed(account: SocialAccount, credential: Credential | None, cipher: TokenCipher, interrupted: bool) -> Claimed:
    stored = None
    if credential is not None:
        stored = json.loads(cipher.decrypt(credential.key_id, credential.ciphertext, saved_id(account)))
    tokens = TokenSet.from_stored(stored) if stored else None
    issued = tokens.issued_at if tokens and tokens.issued_at else None
    snapshot = AccountSnapshot(
        platform=account.platform,
        status=account.status,
        token_expires_at=account.token_expires_at,
        token_issued_at=_epoch(issued) if issued else (credential.updated_at if credential else None),
        has_refresh_token=bool(tokens and tokens.refresh_token),
        refresh_expires_at=tokens.refresh_expires_at_datetime if tokens else None,
        refresh_paused=account.refresh_paused,
        next_refresh_at=account.next_refresh_at,
        disconnected=account.disconnected_at is not None or tokens is None,
        interrupted=interrupted,
    )
    return Claimed(
        saved_id(account),
        account.workspace_id,
        account.platform,
        account.refresh_failures,
        snapshot,
        stored,
        credential.ciphertext if credential else None,
        credential.updated_at if credential else None,
    )


def _epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def defer(db: Session, waits: dict[int, datetime | None], holder: str) -> None:
    """Accounts not due after all: look again at their time (None: at the next run), and free their
    leases (two statements)."""
    if not waits:
        return
    db.connection().execute(
        sa.update(SocialAccount)
        .where(col(SocialAccount.id) == sa.bindparam("account_id"))
        .values(next_refresh_at=sa.bindparam("at")),
        [{"account_id": account_id, "at": at} for account_id, at in waits.items()],
    )
    refresh_leases.release(db, (lease_name(i) for i in waits), holder)


def _still_current(db: Session, claimed: Claimed) -> bool:
    """True when the credential is the one read under the lease (the compare-and-swap)."""
    query = select(Credential.ciphertext).where(Credential.account_id == claimed.account_id).with_for_update()
    return claimed.seen is not None and db.exec(query).first() == claimed.seen


def _event(db: Session, claimed: Claimed, kind: str, detail: str, now: datetime) -> None:
    db.add(
        ConnectionEvent(
            workspace_id=claimed.workspace_id, account_id=claimed.account_id, kind=kind, detail=detail, at=now
        )
    )


def _update(db: Session, account_id: int, **values: object) -> None:
    db.connection().execute(sa.update(SocialAccount).where(col(SocialAccount.id) == account_id).values(**values))


def record_success(
    db: Session,
    claimed: Claimed,
    *,
    kind: str | None,
    new_tokens: TokenSet | None,
    token_expires_at: datetime | None,
    next_refresh_at: datetime | None,
    now: datetime,
) -> bool:
    """Store the refreshed tokens (new written before old dropped) and clear the failure state;
    ``kind`` None records no event."""
    if not _still_current(db, claimed):
        _event(db, claimed, EVENT_SUPERSEDED, "tokens changed during the attempt; result dropped", now)
        return False
    values: dict[str, object] = dict(
        refresh_failures=0, refresh_paused=False, next_refresh_at=next_refresh_at, token_expires_at=token_expires_at
    )
    if new_tokens is not None:
        if claimed.stored is None:  # _still_current saw a credential, so it was read and decrypted
            raise RuntimeError(f"account {claimed.account_id}: a current credential without stored tokens")
        store_tokens(db, claimed.account_id, {**claimed.stored, **new_tokens.as_stored()})
        if new_tokens.scopes:
            values["granted_scopes"] = " ".join(new_tokens.scopes)
    _update(db, claimed.account_id, **values)
    if kind:
        _event(db, claimed, kind, f"ok; expires {token_expires_at.isoformat() if token_expires_at else 'never'}", now)
    return True


def record_failure(db: Session, claimed: Claimed, error: ProviderError, now: datetime) -> FailureOutcome | None:
    """Apply ``refresh_policy.after_failure``; returns the outcome, or None when superseded."""
    if not _still_current(db, claimed):
        _event(db, claimed, EVENT_SUPERSEDED, f"failure ignored, tokens changed: {error.code}", now)
        return None
    outcome = after_failure(error.kind, failures=claimed.failures, now=now, retry_after_seconds=error.retry_after)
    values: dict[str, object] = dict(
        refresh_failures=outcome.failures, refresh_paused=outcome.paused, next_refresh_at=outcome.next_refresh_at
    )
    _update(db, claimed.account_id, **values)
    if outcome.needs_reconnect:
        mark_needs_reconnect(db, claimed.account_id, error.code)
    detail = f"{error.kind.value}:{error.code}; failure {outcome.failures}"
    detail += "; automatic refresh paused" if outcome.paused else ""
    kind = EVENT_BACKOFF if outcome.temporary and not outcome.paused else EVENT_FAILED
    _event(db, claimed, kind, detail, now)
    return outcome


def record_flag(db: Session, claimed: Claimed, reason: str, now: datetime) -> bool:
    """Needs reconnecting without a provider call: expired, or a rotation interrupted by a crash."""
    if not _still_current(db, claimed):
        return False
    mark_needs_reconnect(db, claimed.account_id, "token_invalid")
    _event(db, claimed, FLAG_EVENTS[reason], f"{reason}; not refreshed", now)
    return True


def reset_pause(db: Session, account_id: int) -> None:
    """A manual refresh starts a new streak (the pause lasts until a reconnect or a manual refresh)."""
    _update(db, account_id, refresh_failures=0, refresh_paused=False, next_refresh_at=None)
