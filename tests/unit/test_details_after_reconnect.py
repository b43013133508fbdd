"""The details panel after a reconnect: a sync from before the account was (re)connected describes
posts that are gone, so no stale "Last synced" sits above an empty list; a sync since then shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from socializioz.models import ConnectionEvent
from socializioz.services.account_details import account_details
from tests.unit.accounts_fixtures import add_account, team_a  # noqa: F401


def test_a_sync_before_the_reconnect_is_not_shown_and_one_after_is(db, team_a):
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    account = add_account(db, team_a.workspace_id, "facebook", "page-1", connected_at=now)
    db.add(
        ConnectionEvent(
            workspace_id=team_a.workspace_id,
            account_id=account.id,
            kind="content_synced",
            detail="3 posts",
            at=now - timedelta(days=3),
        )
    )
    db.flush()
    details = account_details(db, team_a.owner, team_a.workspace_id, account.id)
    assert (details.last_synced, details.posts) == ("", [])

    db.add(
        ConnectionEvent(
            workspace_id=team_a.workspace_id,
            account_id=account.id,
            kind="content_synced",
            detail="0 posts",
            at=now + timedelta(minutes=5),
        )
    )
    db.flush()
    assert account_details(db, team_a.owner, team_a.workspace_id, account.id).last_synced == "2026-05-01 12:05 UTC"
