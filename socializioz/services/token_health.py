"""Which of a workspace's accounts have an expired token that automatic refresh cannot fix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from socializioz.domain.health import NEEDS_RECONNECT_STATUSES
from socializioz.domain.platforms import META_PLATFORMS
from socializioz.models import SocialAccount
from socializioz.services.persisted import saved_id


@dataclass(frozen=True)
class ExpiredAccount:
    id: int
    name: str
    platform: str


def expired_accounts(db: Session, workspace_id: int, now: datetime | None = None) -> list[ExpiredAccount]:
    """Expired and flagged (refresh failed, or the platform has no refresh), or paused after failures."""
    now = now or datetime.now(UTC)
    rows = db.exec(
        select(SocialAccount).where(
            SocialAccount.workspace_id == workspace_id,
            col(SocialAccount.disconnected_at).is_(None),
            col(SocialAccount.token_expires_at).is_not(None),
            col(SocialAccount.token_expires_at) <= now,
        )
    ).all()
    unfixable = [
        r for r in rows if r.status in NEEDS_RECONNECT_STATUSES or r.refresh_paused or r.platform not in META_PLATFORMS
    ]
    return [ExpiredAccount(saved_id(r), r.name, r.platform) for r in unfixable]
