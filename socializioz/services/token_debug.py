"""The admin-only Meta Token Debug panel: granted scopes, connected Pages with a valid-token mark,
token timestamps, the last refresh attempt and a fingerprint of the token (never the token).

Owners and admins only, checked here on every call; members get ``PermissionDenied``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from socializioz.db import session_scope
from socializioz.domain.account_rules import INSTAGRAM_LOGIN, required_scopes
from socializioz.domain.errors import ProviderError
from socializioz.domain.platforms import META_PLATFORMS, platform_info
from socializioz.integrations.base import Provider
from socializioz.integrations.factory import get_provider
from socializioz.models import ConnectionEvent, SocialAccount, User
from socializioz.security.credentials import load_tokens
from socializioz.services.account_access import workspace_account
from socializioz.services.account_tokens import record_granted_scopes
from socializioz.services.errors import NotFound
from socializioz.services.persisted import saved_id

REFRESH_EVENT_PREFIX = "token_"
# How the account was connected, as the panel names it: the scopes it checks differ per method.
METHOD_KEYS = {
    ("facebook", "facebook_page"): "debug.method.facebook_page",
    ("instagram", "facebook_page"): "debug.method.instagram_via_page",
    ("instagram", INSTAGRAM_LOGIN): "debug.method.instagram_login",
}
_STAMP = "%Y-%m-%d %H:%M UTC"


def fingerprint(token: str) -> str:
    """A short, stable, non-reversible id of a token, for telling tokens apart in support."""
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()[:12]


async def token_debug(
    user_id: int, workspace_id: int, account_id: int, *, provider_factory: Callable[[str], Provider] = get_provider
) -> dict[str, object]:
    """The panel's view model. ``found`` is False when the account holds no Meta token."""
    with session_scope() as db:
        account = workspace_account(db, db.get(User, user_id), workspace_id, account_id, managers_only=True)
        if account.platform not in META_PLATFORMS:
            raise NotFound("accounts.not_found")
        tokens = load_tokens(db, saved_id(account))
        base = _base(db, account)
        parent = db.get(SocialAccount, account.parent_account_id) if account.parent_account_id else None
        parent_name = parent.name if parent else ""
    if not tokens:
        return {**base, "found": False}
    user_token = tokens["access_token"]
    base.update(found=True, fingerprint=fingerprint(user_token))
    if account.connection_method == INSTAGRAM_LOGIN:
        return {
            **base,
            **_scopes(account.connection_method, set(account.granted_scopes.split())),
            "pages": [],
            "valid": not base["expired"],
        }
    provider = provider_factory(platform_info(account.platform).connection(account.connection_method).client)
    try:
        info = await provider.debug_token(user_token)
        pages = await _pages(provider, account, tokens, parent_name, info)
    except ProviderError as error:
        return {
            **base,
            **_scopes(account.connection_method, set(account.granted_scopes.split())),
            "pages": [],
            "valid": False,
            "error": error.code,
        }
    finally:
        await provider.aclose()
    if info.get("is_valid") and info.get("scopes"):  # what Meta says is granted now decides publishing too
        with session_scope() as db:
            record_granted_scopes(db, account_id, [str(scope) for scope in info["scopes"]])
    expires = info.get("expires_at") or 0
    return {
        **base,
        **_scopes(account.connection_method, set(info.get("scopes") or account.granted_scopes.split())),
        "pages": pages,
        "valid": bool(info.get("is_valid")),
        "expires_at": datetime.fromtimestamp(expires, tz=UTC).strftime(_STAMP) if expires else base["expires_at"],
    }


def _base(db: Session, account: SocialAccount) -> dict[str, object]:
    now = datetime.now(UTC)
    expires = account.token_expires_at
    last = db.exec(
        select(ConnectionEvent)
        .where(ConnectionEvent.account_id == account.id, col(ConnectionEvent.kind).startswith(REFRESH_EVENT_PREFIX))
        .order_by(col(ConnectionEvent.at).desc(), col(ConnectionEvent.id).desc())
    ).first()
    return {
        "account_id": account.id,
        "connected_at": account.connected_at.strftime(_STAMP),
        "expires_at": expires.strftime(_STAMP) if expires else "",
        "expired": bool(expires and expires <= now),
        "last_refresh_at": last.at.strftime(_STAMP) if last else "",
        "last_refresh_result": last.kind.removeprefix(REFRESH_EVENT_PREFIX) if last else "",
        "refresh_paused": account.refresh_paused,
        "method_key": METHOD_KEYS.get((account.platform, account.connection_method), "debug.method.facebook_page"),
        "error": "",
    }


def _scopes(connection_method: str, granted: set[str]) -> dict[str, object]:
    badges = [{"scope": s, "granted": s in granted} for s in required_scopes(connection_method)]
    return {"scopes": badges, "all_granted": all(b["granted"] for b in badges)}


async def _pages(
    provider: Provider, account: SocialAccount, tokens: dict[str, Any], parent_name: str, info: dict[str, Any]
) -> list[dict[str, object]]:
    """Facebook: every Page the user token reaches; a Page-linked Instagram account: its Page."""
    if account.platform == "instagram":
        return [{"name": parent_name or tokens.get("via_page", ""), "valid": bool(info.get("is_valid"))}]
    pages = await provider.list_pages(tokens["access_token"])
    rows: list[dict[str, object]] = []
    for page in pages:
        valid = bool(page.access_token and (await provider.debug_token(page.access_token)).get("is_valid"))
        rows.append({"name": page.name, "valid": valid})
    return rows
