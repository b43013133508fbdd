"""What the support assistant knows about one conversation: the error code and its catalogue entry,
the platform, and — when it is about a connected account — that account's actual state (granted
and missing scopes, token expiry, recent errors, connection method, the debug panel's refresh facts).

Read with the caller's workspace and role checked here (``workspace_account``). Tokens are never
read: the facts are built from the account row and its event trail only, so nothing secret can
reach a prompt. The token debug panel's refresh facts go to owners and admins only, as the panel does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from socializioz import i18n
from socializioz.domain import errors as catalogue
from socializioz.domain.account_rules import publish_block_code
from socializioz.domain.assistant import AccountState, Action, Situation, allowed_actions
from socializioz.domain.health import needs_reconnect
from socializioz.domain.platforms import META_PLATFORM_NAMES, PLATFORMS, Platform, platform_info
from socializioz.domain.roles import manages
from socializioz.models import ConnectionEvent, SocialAccount, User
from socializioz.services.account_access import workspace_account
from socializioz.services.errors import NotFound
from socializioz.services.token_debug import METHOD_KEYS, REFRESH_EVENT_PREFIX
from socializioz.services.workspaces import role_in

RECENT_EVENTS = 5
_STAMP = "%Y-%m-%d %H:%M UTC"
_FAILED_REFRESH = ("refresh_failed", "refresh_backoff", "expired", "refresh_interrupted")
_PLATFORMS = {p.value for p in Platform}


@dataclass(frozen=True)
class Facts:
    """One conversation's facts: ``for_model`` is exactly what a language model is sent."""

    platform: str
    code: str  # a catalogue code, "" when the conversation is not about an error
    entry: catalogue.CatalogueEntry | None
    account: dict[str, Any] | None
    state: AccountState | None
    actions: tuple[Action, ...]
    account_id: int = 0
    scope: str = ""  # a scope the error names (``missing_permission``)

    def for_model(self) -> dict[str, Any]:
        info = PLATFORMS[Platform(self.platform)] if self.platform else None
        return {
            "platform": self.platform,
            "platform_name": info.display_name if info else "",
            "error": (
                {"code": self.code, "cause": self.entry.cause, "what_to_do": self.entry.what_to_do}
                if self.entry
                else None
            ),
            "account": self.account,
            "allowed_actions": [a.value for a in self.actions],
        }


def _entry(code: str, platform: str) -> tuple[str, catalogue.CatalogueEntry | None]:
    """A code from the URL is used only when the catalogue knows it; anything else is dropped."""
    if not code:
        return "", None
    try:
        entry = catalogue.describe(code, platform or None)
    except catalogue.UnknownErrorCode:
        return "", None
    return code, entry


def expected_scopes(platform: str, connection_method: str) -> tuple[str, ...]:
    """The scopes the account's connection should hold: the debug panel's badges for Meta, the
    consent screen's for the others."""
    spec = platform_info(platform).connection(connection_method)
    return spec.debug_scopes or spec.consent_scopes


def _events(db: Session, account_id: int) -> list[ConnectionEvent]:
    return list(
        db.exec(
            select(ConnectionEvent)
            .where(ConnectionEvent.account_id == account_id)
            .order_by(col(ConnectionEvent.at).desc(), col(ConnectionEvent.id).desc())
            .limit(RECENT_EVENTS)
        ).all()
    )


def account_facts(db: Session, account: SocialAccount, manager: bool, now: datetime) -> dict[str, Any]:
    """The account's state as plain values (never a token: none is read)."""
    granted = account.granted_scopes.split()
    expected = expected_scopes(account.platform, account.connection_method)
    known = bool(granted) or account.platform in META_PLATFORM_NAMES  # others may not report scopes
    expires = account.token_expires_at
    events = _events(db, account.id or 0)
    facts: dict[str, Any] = {
        "name": account.name,
        "username": account.username,
        "connection_method": account.connection_method,
        "connection_method_note": i18n.translate("en", METHOD_KEYS[(account.platform, account.connection_method)])
        if (account.platform, account.connection_method) in METHOD_KEYS
        else "",
        "status": account.status,
        "needs_reconnect": needs_reconnect(
            status=account.status, token_expires_at=expires, last_platform_error=account.last_error, now=now
        ),
        "publish_capable": account.publish_capable,
        "publish_block_code": publish_block_code(account.platform, account.connection_method, granted),
        "granted_scopes": granted,
        "expected_scopes": list(expected),
        "missing_scopes": [s for s in expected if s not in granted] if known else [],
        "token_expires_at": expires.strftime(_STAMP) if expires else "",
        "token_expired": bool(expires and expires <= now),
        "last_error": account.last_error or "",
        "recent_events": [{"at": e.at.strftime(_STAMP), "kind": e.kind, "detail": e.detail[:200]} for e in events],
    }
    if manager:  # the token debug panel's refresh facts: owners and admins only
        last = next((e for e in events if e.kind.startswith(REFRESH_EVENT_PREFIX)), None)
        facts.update(
            refresh_paused=account.refresh_paused,
            refresh_failures=account.refresh_failures,
            last_refresh_at=last.at.strftime(_STAMP) if last else "",
            last_refresh_result=last.kind.removeprefix(REFRESH_EVENT_PREFIX) if last else "",
        )
    return facts


def gather_facts(
    db: Session,
    user: User | None,
    workspace_id: int,
    *,
    platform: str = "",
    code: str = "",
    account_id: int = 0,
    scope: str = "",
    now: datetime | None = None,
) -> Facts:
    """The facts of a conversation opened from an error banner (platform, code) or a problem
    account (its id). The account must be one of the caller's workspace's (``NotFound`` else)."""
    now = now or datetime.now(UTC)
    role = role_in(db, user, workspace_id) if user is not None else None
    if role is None:
        raise NotFound("workspace.not_found")
    manager = manages(role)
    account_row = workspace_account(db, user, workspace_id, account_id) if account_id else None
    platform = account_row.platform if account_row else (platform if platform in _PLATFORMS else "")
    if not code and account_row is not None:
        code = account_row.last_error or ""
    code, entry = _entry(code, platform)
    account = account_facts(db, account_row, manager, now) if account_row else None
    state = (
        AccountState(
            needs_reconnect=account["needs_reconnect"],
            expired=account["token_expired"],
            refresh_paused=account_row.refresh_paused,
            missing_scopes=tuple(account["missing_scopes"]),
            last_refresh_failed=any(e["kind"].endswith(_FAILED_REFRESH) for e in account["recent_events"][:1]),
        )
        if account is not None and account_row is not None
        else None
    )
    situation = Situation(
        platform=platform,
        has_account=account_row is not None,
        manager=manager,
        has_setup_sheet=bool(platform) and PLATFORMS[Platform(platform)].has_setup_sheet,
        meta=platform in META_PLATFORM_NAMES,
    )
    return Facts(
        platform=platform,
        code=code,
        entry=entry,
        account=account,
        state=state,
        actions=allowed_actions(situation),
        account_id=(account_row.id or 0) if account_row else 0,
        scope=scope,
    )
