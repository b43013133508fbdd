"""The analytics sync's daily rollup (``WorkspaceMetricDay``): always the from-scratch aggregation of
the connected accounts' ``AccountMetricDay`` rows however the days arrive (property-based), the
same after a re-run, without an account once it disconnects and with its whole history again
after it reconnects and syncs, and pruned with the days it sums."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from socializioz.integrations.models import AccountRef, MetricPoint
from socializioz.models import AccountMetricDay, AnalyticsState, SocialAccount, WorkspaceMetricDay
from socializioz.services import analytics_rollup, analytics_store
from socializioz.services.disconnect import disconnect_account
from tests.unit.accounts_fixtures import make_team
from tests.unit.test_migrations import postgres  # noqa: F401  (the fixture, by name)

FIRST = date(2026, 1, 1)
NOW = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
METRICS = ("followers", "reach", "views", "engagement")


@pytest.fixture(autouse=True, params=["sqlite", "postgresql"])
def backend(request) -> Iterator[str]:
    """On SQLite, and on PostgreSQL (the advisory lock, INSERT ... SELECT) when its URL is set."""
    if request.param == "postgresql":
        request.getfixturevalue("postgres")
    yield request.param


def rollup(db, workspace_id: int | None = None) -> dict[tuple[int, str, date, str], tuple[int, int]]:
    query = select(WorkspaceMetricDay)
    if workspace_id is not None:
        query = query.where(WorkspaceMetricDay.workspace_id == workspace_id)
    return {(r.workspace_id, r.platform, r.day, r.metric): (r.value, r.accounts) for r in db.exec(query).all()}


def from_scratch(db) -> dict[tuple[int, str, date, str], tuple[int, int]]:
    """What the rollup must hold: every connected account's rows, summed in Python."""
    platforms = {a.id: (a.platform, a.disconnected_at is None) for a in db.exec(select(SocialAccount)).all()}
    sums: dict[tuple[int, str, date, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in db.exec(select(AccountMetricDay)).all():
        platform, connected = platforms[row.account_id]
        if connected:
            entry = sums[(row.workspace_id, platform, row.day, row.metric)]
            entry[0] += row.value
            entry[1] += 1
    return {key: (value, n) for key, (value, n) in sums.items()}


def target(account: SocialAccount) -> analytics_store.SyncTarget:
    assert account.id is not None
    return analytics_store.SyncTarget(account.id, account.workspace_id, account.platform, AccountRef("x", "x", "t"))


def sync(db, account: SocialAccount, points: list[MetricPoint], now: datetime = NOW) -> None:
    """What the sync's store step does with one account's reading (``analytics_sync._store``)."""
    assert account.id is not None
    analytics_store.save_points(db, account.workspace_id, account.id, points, now)
    analytics_store.update_rollup(db, target(account), points)
    analytics_store.record_synced(db, account.id, max(p.day for p in points), now)
    db.commit()


def points(first: date, days: int, base: int, metrics=METRICS) -> list[MetricPoint]:
    return [
        MetricPoint(first + timedelta(days=n), m, base + 10 * n + k) for n in range(days) for k, m in enumerate(metrics)
    ]


# One write: (account index, first day offset, number of days, base value, metrics).
writes = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.integers(0, 20),
        st.integers(1, 8),
        st.integers(0, 10_000),
        st.lists(st.sampled_from(METRICS), min_size=1, max_size=4, unique=True),
    ),
    min_size=1,
    max_size=12,
)


def test_the_rollup_is_the_aggregation_of_the_connected_accounts_days(db) -> None:
    """Random overlapping writes (revisions of earlier days included) into six accounts of two
    workspaces and three platforms, some disconnecting at the end: the rollup equals the sum of
    the connected accounts' rows, value and count, for every (workspace, platform, day, metric)."""
    teams = (make_team(db, "p1"), make_team(db, "p2"))
    ids = [a.id for t in teams for a in (t.facebook, t.instagram, t.tiktok)]

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(writes=writes, disconnect=st.sets(st.integers(0, 5), max_size=2))
    def check(writes, disconnect) -> None:
        for table in (WorkspaceMetricDay, AccountMetricDay, AnalyticsState):
            db.exec(sa.delete(table))
        accounts = [db.get(SocialAccount, i) for i in ids]
        for account in accounts:
            account.disconnected_at, account.connected_at = None, NOW - timedelta(days=90)
        db.commit()
        for index, offset, days, base, metrics in writes:
            sync(db, accounts[index], points(FIRST + timedelta(days=offset), days, base, metrics))
        for index in disconnect:
            account = accounts[index]
            disconnect_account(db, teams[index // 3].owner, account.workspace_id, account.id, now=NOW)
        assert rollup(db) == from_scratch(db)

    check()


@pytest.fixture
def team(db):
    return make_team(db, "r")


def test_a_rerun_writes_the_same_rollup(db, team) -> None:
    reading = points(FIRST, 5, 100)
    sync(db, team.facebook, reading)
    sync(db, team.instagram, points(FIRST, 5, 7))
    once = rollup(db, team.workspace_id)
    sync(db, team.facebook, reading, now=NOW + timedelta(hours=1))
    sync(db, team.facebook, reading, now=NOW + timedelta(hours=2))
    assert rollup(db, team.workspace_id) == once
    assert once[(team.workspace_id, "facebook", FIRST, "followers")] == (100, 1)
    assert len(once) == 2 * 5 * len(METRICS)  # two platforms, five days, four metrics
    analytics_rollup.rebuild(db, team.workspace_id, "facebook", FIRST, FIRST + timedelta(days=4))
    db.commit()
    assert rollup(db, team.workspace_id) == once


def test_a_revised_day_replaces_its_value_in_the_sum(db, team) -> None:
    """Meta revises the last two days: the re-read value replaces the old one, it is not added."""
    sync(db, team.facebook, [MetricPoint(FIRST, "reach", 10)])
    sync(db, team.facebook, [MetricPoint(FIRST, "reach", 25)], now=NOW + timedelta(hours=1))
    assert rollup(db, team.workspace_id)[(team.workspace_id, "facebook", FIRST, "reach")] == (25, 1)


def test_disconnect_takes_the_account_out_and_reconnect_brings_its_history_back(db, team) -> None:
    sync(db, team.facebook, points(FIRST, 30, 1000))
    sync(db, team.instagram, points(FIRST, 30, 50))
    disconnect_account(db, team.owner, team.workspace_id, team.facebook.id, now=NOW)
    after = rollup(db, team.workspace_id)
    assert not any(platform == "facebook" for _, platform, _, _ in after)
    assert after == from_scratch(db)

    # Reconnected (as accounts_store.save_account does): the next sync reads only its recent
    # window, yet the rollup gets back every kept day of the account.
    account = db.get(SocialAccount, team.facebook.id)
    assert account is not None
    account.disconnected_at, account.connected_at = None, NOW + timedelta(hours=1)
    db.commit()
    sync(db, account, points(FIRST + timedelta(days=28), 2, 5000), now=NOW + timedelta(hours=2))
    restored = rollup(db, team.workspace_id)
    assert restored == from_scratch(db)
    assert restored[(team.workspace_id, "facebook", FIRST, "followers")] == (1000, 1)
    assert restored[(team.workspace_id, "facebook", FIRST + timedelta(days=29), "views")] == (5012, 1)


def test_prune_drops_the_rollup_with_the_days(db, team) -> None:
    old = date(2024, 1, 1)
    sync(db, team.facebook, [MetricPoint(old, "followers", 3), MetricPoint(FIRST, "followers", 4)])
    analytics_store.prune(db, FIRST)
    db.commit()
    assert rollup(db, team.workspace_id) == {(team.workspace_id, "facebook", FIRST, "followers"): (4, 1)}


def test_an_account_of_another_workspace_never_counts(db, team) -> None:
    other = make_team(db, "other")
    sync(db, team.facebook, points(FIRST, 3, 10))
    sync(db, other.facebook, points(FIRST, 3, 1000))
    mine = rollup(db, team.workspace_id)
    assert mine[(team.workspace_id, "facebook", FIRST, "followers")] == (10, 1)
    assert all(key[0] == team.workspace_id for key in mine)
