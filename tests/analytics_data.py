"""Analytics rows written straight into the tables the sync job fills (``AccountMetricDay``,
``PostMetricSnapshot``, ``AnalyticsState``): the read model's tests, the e2e page and the page
benchmark prepare their data here, in bulk, with values derived from (account, day) so every test
can recompute what the page must show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from socializioz.models import AccountMetricDay, AnalyticsState, PostMetricLatest, PostMetricSnapshot, SocialAccount
from socializioz.services import analytics_rollup

PLATFORMS = ("facebook", "instagram", "tiktok", "x", "linkedin")
# Where the platforms offer them (reference/analytics.md §6): TikTok and X report no account reach.
REACH_PLATFORMS = {"facebook", "instagram", "linkedin"}


@dataclass(frozen=True)
class Curve:
    """Deterministic daily values of one account: ``base`` followers growing by ``growth`` a day."""

    base: int
    growth: int

    def followers(self, n: int) -> int:
        return self.base + self.growth * n

    @staticmethod
    def engagement(n: int) -> int:
        return 10 + n % 7

    @staticmethod
    def views(n: int) -> int:
        return 100 + 3 * (n % 10)

    @staticmethod
    def reach(n: int) -> int:
        return 50 + n % 5


def add_accounts(db: Session, workspace_id: int, count: int, prefix: str = "acct") -> list[SocialAccount]:
    """``count`` connected accounts cycling over the five platforms (no tokens: pages only read)."""
    accounts = [
        SocialAccount(
            workspace_id=workspace_id,
            platform=PLATFORMS[i % len(PLATFORMS)],
            external_id=f"{prefix}-{i}",
            name=f"{PLATFORMS[i % len(PLATFORMS)].title()} {prefix} {i}",
            username=f"{prefix}{i}",
        )
        for i in range(count)
    ]
    db.add_all(accounts)
    db.flush()
    return accounts


def day_index(day: date, first: date) -> int:
    return (day - first).days


def add_metric_days(
    db: Session,
    account: SocialAccount,
    first: date,
    last: date,
    curve: Curve,
    *,
    synced: bool = True,
    rollup: bool = True,
) -> None:
    """One row per day and metric from ``first`` to ``last`` (followers, engagement, views, and
    reach where the platform offers it), plus the account's sync state."""
    assert account.id is not None
    rows = []
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        values = {"followers": curve.followers(n), "engagement": curve.engagement(n), "views": curve.views(n)}
        if account.platform in REACH_PLATFORMS:
            values["reach"] = curve.reach(n)
        rows += [
            {"workspace_id": account.workspace_id, "account_id": account.id, "day": day, "metric": m, "value": v}
            for m, v in values.items()
        ]
    db.execute(sa.insert(AccountMetricDay), rows)
    # The sync rebuilds the workspace's daily rollup with the days it writes; so does this.
    if rollup:  # (a bulk seed passes False and rebuilds each platform once at the end)
        db.flush()  # the account's platform as set by the test
        analytics_rollup.rebuild(db, account.workspace_id, account.platform, first, last)
    # The sync's state: when it last ran (if it did) and the span of days the account has rows for.
    db.add(
        AnalyticsState(
            account_id=account.id,
            last_synced_at=datetime.now(UTC) if synced else None,
            backfilled_until=first if synced else None,
            data_from=first,
            data_until=last,
        )
    )


def add_post(
    db: Session,
    account: SocialAccount,
    external_id: str,
    published: datetime,
    *,
    likes: int,
    comments: int = 0,
    shares: int = 0,
    views: int = 0,
    saves: int = 0,
    caption: str = "",
    snapshots: int = 2,
    thumbnail_url: str = "",
) -> None:
    """A post and ``snapshots`` syncs of it; the last has the given counters, earlier ones less."""
    assert account.id is not None
    post = {
        "workspace_id": account.workspace_id,
        "account_id": account.id,
        "external_id": external_id,
        "published_at": published,
        "caption": caption or f"Post {external_id}",
        "permalink": f"https://example.test/{account.platform}/{external_id}",
        "thumbnail_url": thumbnail_url or f"https://example.test/thumbs/{external_id}.jpg",
    }
    counters = {"likes": likes, "comments": comments, "shares": shares, "views": views, "saves": saves}
    # the post's latest counters, as the sync upserts them with its last snapshot
    db.add(
        PostMetricLatest(
            **post,
            **counters,
            engagement=likes + comments + shares + saves,
            synced_at=published + timedelta(hours=6 * snapshots),
        )
    )
    for k in range(snapshots):
        scale = (k + 1) / snapshots
        db.add(
            PostMetricSnapshot(
                **post,
                **{name: int(value * scale) for name, value in counters.items()},
                synced_at=published + timedelta(hours=6 * (k + 1)),
            )
        )


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), UTC)
