"""Which client acts for an account and with which token, and what happens to the account when
the platform says its token no longer works. Content sync and the publisher both act through here.

A Facebook Page acts with its Page token (the user token beside it only asks Meta which scopes
are granted); an Instagram account linked to a Page is read and published by the Facebook client
with that Page token; a legacy Instagram connection has no client that can act for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from socializioz.domain.account_rules import publish_capable
from socializioz.domain.platforms import platform_info
from socializioz.integrations.models import AccountRef
from socializioz.models import SocialAccount

NEEDS_RECONNECT = "needs_reconnect"


@dataclass(frozen=True)
class ActingAccount:
    """An account as a client acts on it. ``client`` is the platform whose client does it."""

    platform: str
    external_id: str
    token: str = field(repr=False)
    user_token: str = field(default="", repr=False)  # a Facebook Page's user token: asks for the granted scopes
    client: str = ""

    @property
    def via_parent(self) -> bool:
        """A Page-linked Instagram account: acted on through its parent platform's API with the Page token."""
        return self.client != self.platform

    @property
    def ref(self) -> AccountRef:
        return AccountRef(self.platform, self.external_id, self.token)


def acting_account(account: SocialAccount, tokens: Mapping[str, Any]) -> ActingAccount | None:
    """The client and token for ``account`` (its decrypted ``tokens``); None for a legacy
    Instagram connection (neither Business Login nor linked through a Page)."""
    info = platform_info(account.platform)
    if len(info.connections) > 1 and not info.has_connection(account.connection_method):
        return None
    client = info.connection(account.connection_method).client
    if client != account.platform:
        return ActingAccount(account.platform, account.external_id, tokens["access_token"], client=client)
    page_token = tokens.get("page_access_token")
    return ActingAccount(
        account.platform,
        account.external_id,
        page_token or tokens["access_token"],
        tokens["access_token"] if page_token else "",
        client=client,
    )


def record_granted_scopes(db: Session, account_id: int, scopes: Iterable[str]) -> None:
    """The scopes the platform says are granted now, and what they mean for publishing."""
    account = db.get(SocialAccount, account_id)
    if account is None or account.disconnected_at is not None:
        return
    granted = tuple(scopes)
    account.granted_scopes = " ".join(granted)
    account.publish_capable = publish_capable(account.platform, account.connection_method, granted)
    db.add(account)


def mark_needs_reconnect(db: Session, account_id: int, code: str) -> None:
    """Turn a connected account amber as the token sweep does (status and last error); the caller
    logs its own event and pushes ``notify.workspace_changed`` after its commit."""
    db.connection().execute(
        sa.update(SocialAccount)
        .where(col(SocialAccount.id) == account_id, col(SocialAccount.disconnected_at).is_(None))
        .values(status=NEEDS_RECONNECT, last_error=code)
    )
