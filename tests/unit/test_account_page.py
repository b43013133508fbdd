"""The Connections page's window (services.account_views.account_page): search, filters, counts
and pages come from the database, and the SQL health filter agrees with the domain rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from socializioz.domain.health import needs_reconnect
from socializioz.services.account_views import (
    HEALTHY,
    NEEDS_RECONNECT,
    PAGE_SIZE,
    AccountQuery,
    account_page,
)
from tests.unit.accounts_fixtures import add_account, make_team

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def crowded(db):
    """A workspace with 30 X accounts, 5 LinkedIn accounts of which 2 need reconnecting (one by
    status, one by an expired token), one by a platform error, and one disconnected account."""
    team = make_team(db, "crowd")
    ws = team.workspace_id
    for n in range(30):
        add_account(db, ws, "x", f"x{n:02d}", name=f"Brand {n:02d}", connected_at=NOW - timedelta(hours=60 - n))
    for n in range(5):
        add_account(db, ws, "linkedin", f"li{n}", name=f"Person {n}", username=f"person_{n}", connected_at=NOW)
    add_account(db, ws, "linkedin", "li-expired", name="Old token", token_expires_at=NOW - timedelta(minutes=1))
    add_account(db, ws, "linkedin", "li-revoked", name="Revoked", status="revoked")
    add_account(db, ws, "x", "x-error", name="Erroring", last_error="token_revoked")
    add_account(db, ws, "x", "x-gone", name="Gone", disconnected_at=NOW - timedelta(days=1))
    db.commit()
    return team


def test_a_page_holds_page_size_cards_and_the_counts_cover_the_whole_workspace(db, crowded) -> None:
    first = account_page(db, crowded.workspace_id, AccountQuery(), NOW)
    connected = 3 + 30 + 5 + 2 + 1  # the team's own three, ours, not the disconnected one
    assert len(first.views) == PAGE_SIZE
    assert (first.total, first.matching, first.page, first.pages) == (connected, connected, 1, 2)
    assert first.platform_counts == {"facebook": 1, "instagram": 1, "tiktok": 1, "x": 31, "linkedin": 7}
    assert first.reconnect_count == 3
    second = account_page(db, crowded.workspace_id, AccountQuery(page=2), NOW)
    assert len(second.views) == connected - PAGE_SIZE
    assert not {v.id for v in first.views} & {v.id for v in second.views}
    assert "Gone" not in [v.name for v in first.views + second.views]


def test_a_page_past_the_end_shows_the_last_page(db, crowded) -> None:
    assert account_page(db, crowded.workspace_id, AccountQuery(page=99), NOW).page == 2
    assert account_page(db, crowded.workspace_id, AccountQuery(page=-3), NOW).page == 1


def test_search_matches_name_or_handle_with_or_without_at_and_ignores_case(db, crowded) -> None:
    by_name = account_page(db, crowded.workspace_id, AccountQuery(search="brand 0"), NOW)
    assert by_name.matching == 10
    by_handle = account_page(db, crowded.workspace_id, AccountQuery(search="@PERSON_3"), NOW)
    assert [v.username for v in by_handle.views] == ["person_3"]


def test_search_wildcards_are_literal(db, crowded) -> None:
    """``_`` and ``%`` in a search are characters, not SQL wildcards."""
    assert account_page(db, crowded.workspace_id, AccountQuery(search="%"), NOW).matching == 0
    assert account_page(db, crowded.workspace_id, AccountQuery(search="n_1"), NOW).matching == 1  # person_1


def test_platform_and_health_filters_combine(db, crowded) -> None:
    needing = account_page(db, crowded.workspace_id, AccountQuery(health=NEEDS_RECONNECT), NOW)
    assert sorted(v.name for v in needing.views) == ["Erroring", "Old token", "Revoked"]
    assert all(v.needs_reconnect for v in needing.views)
    linkedin_healthy = account_page(db, crowded.workspace_id, AccountQuery(platform="linkedin", health=HEALTHY), NOW)
    assert linkedin_healthy.matching == 5 and not any(v.needs_reconnect for v in linkedin_healthy.views)
    assert linkedin_healthy.total == 41  # the plan usage does not shrink with a filter


def test_the_sql_health_filter_agrees_with_the_domain_rule(db, crowded) -> None:
    every = account_page(db, crowded.workspace_id, AccountQuery(), NOW).views
    every += account_page(db, crowded.workspace_id, AccountQuery(page=2), NOW).views
    needing = {v.id for v in account_page(db, crowded.workspace_id, AccountQuery(health=NEEDS_RECONNECT), NOW).views}
    assert {v.id for v in every if v.needs_reconnect} == needing


def test_another_workspace_sees_none_of_them(db, crowded) -> None:
    other = make_team(db, "other")
    page = account_page(db, other.workspace_id, AccountQuery(search="brand"), NOW)
    assert page.matching == 0 and page.total == 3


def test_a_very_long_search_is_cut_not_refused(db, crowded) -> None:
    assert account_page(db, crowded.workspace_id, AccountQuery(search="b" * 10_000), NOW).matching == 0


def test_needs_reconnect_rule_used_by_the_views_is_the_domain_one() -> None:
    assert needs_reconnect(status="active", token_expires_at=NOW, last_platform_error=None, now=NOW)
