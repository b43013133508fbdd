"""Where the analytics sync keeps what it reads (``AccountMetricDay``, ``PostMetricSnapshot``,
``AnalyticsState``): short synchronous units of work, called through ``db.run_db`` and never
across a provider call.

A day's value is written with one upsert on the table's unique (account, day, metric): however
many processes sync the same day, there is one row, holding the latest reading (Meta revises the
last two days). Rows older than ``RETENTION_DAYS`` are pruned; the table's unique index serves an
account's range reads and ``ix_accountmetricday_ws_day`` a workspace's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from socializioz.domain.platforms import CONNECTABLE_PLATFORMS, platform_info
from socializioz.domain.time_zones import as_utc
from socializioz.integrations.models import AccountRef, MetricPoint, PostMetrics
from socializioz.models import (
    AccountMetricDay,
    AnalyticsState,
    PostMetricLatest,
    PostMetricSnapshot,
    PostTarget,
    SocialAccount,
)
from socializioz.security.credentials import load_tokens
from socializioz.services import analytics_rollup

RETENTION_DAYS = 400  # a year of charts, plus the comparison period's edge
MISSING_SCOPE_CODE = "analytics_missing_scope"
_UPSERT_BATCH = 500  # rows per statement: well under SQLite's bound-parameter limit


@dataclass(frozen=True)
class SyncTarget:
    """One account as the sync reads it: whose client, the reference the client acts on, and how
    far its history already goes."""

    account_id: int
    workspace_id: int
    client: str  # the platform whose client reads it (a Page-linked Instagram: facebook)
    ref: AccountRef = field(repr=False)
    backfilled_until: date | None = None
    last_synced_at: datetime | None = None


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def due_account_ids(db: Session, day: date) -> list[int]:
    """Connected accounts not yet synced for ``day``; accounts waiting for a reconnect (a missing
    scope) are left out until the reconnect's backfill or a manual refresh clears them."""
    platforms = [p.value for p in CONNECTABLE_PLATFORMS]
    query = (
        select(SocialAccount.id)
        .outerjoin(AnalyticsState, col(AnalyticsState.account_id) == col(SocialAccount.id))
        .where(
            col(SocialAccount.disconnected_at).is_(None),
            col(SocialAccount.platform).in_(platforms),
            col(SocialAccount.status) != "needs_reconnect",
            sa.or_(col(AnalyticsState.problem_code).is_(None), col(AnalyticsState.problem_code) != MISSING_SCOPE_CODE),
            sa.or_(col(AnalyticsState.backfilled_until).is_(None), col(AnalyticsState.backfilled_until) < day),
        )
        .order_by(col(SocialAccount.id))
    )
    return [int(i) for i in db.exec(query).all() if i is not None]


def load_target(db: Session, account_id: int) -> SyncTarget | None:
    """The account's reference with its token, or None when it cannot be read (disconnected, no
    token, a legacy Instagram connection that is neither Business Login nor via a Page)."""
    account = db.get(SocialAccount, account_id)
    if account is None or account.disconnected_at is not None or account.id is None:
        return None
    info = platform_info(account.platform)
    if len(info.connections) > 1 and not info.has_connection(account.connection_method):
        return None
    tokens = load_tokens(db, account.id)
    if not tokens or not tokens.get("access_token"):
        return None
    client = info.connection(account.connection_method).client
    # A Page's own reads take its Page token; a linked Instagram account stores the Page token as its own.
    token = tokens.get("page_access_token") or tokens["access_token"]
    state = db.get(AnalyticsState, account.id)
    return SyncTarget(
        account_id=account.id,
        workspace_id=account.workspace_id,
        client=client,
        ref=AccountRef(account.platform, account.external_id, str(token)),
        backfilled_until=state.backfilled_until if state else None,
        last_synced_at=state.last_synced_at if state else None,
    )


def is_connected(db: Session, account_id: int) -> bool:
    account = db.get(SocialAccount, account_id)
    return account is not None and account.disconnected_at is None


def _insert(db: Session, table: Any) -> Any:
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def save_points(db: Session, workspace_id: int, account_id: int, points: Iterable[MetricPoint], now: datetime) -> int:
    """Upsert one row per (account, day, metric); returns how many values were written."""
    rows = {
        (p.day, p.metric): {
            "workspace_id": workspace_id,
            "account_id": account_id,
            "day": p.day,
            "metric": p.metric,
            "value": p.value,
            "synced_at": now,
        }
        for p in points
    }
    values = list(rows.values())
    if not values:
        return 0
    for start in range(0, len(values), _UPSERT_BATCH):
        insert = _insert(db, AccountMetricDay).values(values[start : start + _UPSERT_BATCH])
        db.connection().execute(
            insert.on_conflict_do_update(
                index_elements=["account_id", "day", "metric"],
                set_={"value": insert.excluded.value, "synced_at": insert.excluded.synced_at},
            )
        )
    _widen_span(db, account_id, min(day for day, _ in rows), max(day for day, _ in rows))
    return len(values)


def _widen_span(db: Session, account_id: int, first: date, last: date) -> None:
    """The account has rows from ``first`` to ``last`` too (``AnalyticsState.data_from/until``)."""
    state = _state(db, account_id)
    state.data_from = min(first, state.data_from or first)
    state.data_until = max(last, state.data_until or last)


def update_rollup(db: Session, target: SyncTarget, written: Iterable[MetricPoint]) -> None:
    """Rebuild the workspace's daily rollup for the days just written; all the account's days when
    it was never synced or (re)connected since its last sync, so a reconnect's kept rows return to
    the sums (a disconnect took them out)."""
    account = db.get(SocialAccount, target.account_id)
    if account is None:
        return
    state = db.get(AnalyticsState, target.account_id)
    synced = state.last_synced_at if state is not None else None
    connected = account.connected_at
    reconnected = synced is None or (connected is not None and as_utc(connected) > as_utc(synced))
    span = analytics_rollup.account_days(db, target.account_id) if reconnected else None
    if span is None:
        written_days = [p.day for p in written]
        if not written_days:
            return
        span = (min(written_days), max(written_days))
    analytics_rollup.rebuild(db, target.workspace_id, account.platform, *span)


def save_snapshots(db: Session, workspace_id: int, account_id: int, posts: Sequence[PostMetrics], now: datetime) -> int:
    """One snapshot per post per sync, linked to the ``PostTarget`` that published it here."""
    ids = [p.external_id for p in posts]
    targets = (
        dict(
            db.exec(
                select(PostTarget.external_id, PostTarget.id).where(
                    PostTarget.account_id == account_id, col(PostTarget.external_id).in_(ids)
                )
            ).all()
        )
        if ids
        else {}
    )
    _save_latest(db, workspace_id, account_id, posts, targets, now)
    for post in posts:
        db.add(
            PostMetricSnapshot(
                workspace_id=workspace_id,
                account_id=account_id,
                external_id=post.external_id[:128],
                post_target_id=targets.get(post.external_id),
                published_at=post.published_at,
                caption=post.caption,
                permalink=post.permalink,
                thumbnail_url=post.thumbnail_url,
                likes=post.likes,
                comments=post.comments,
                shares=post.shares,
                views=post.views,
                saves=post.saves,
                synced_at=now,
            )
        )
    return len(posts)


def _save_latest(
    db: Session,
    workspace_id: int,
    account_id: int,
    posts: Sequence[PostMetrics],
    targets: Mapping[str | None, int | None],
    now: datetime,
) -> None:
    """Each post's latest counters, one row per post (``PostMetricLatest``: what the page ranks)."""
    rows = {
        post.external_id[:128]: {
            "workspace_id": workspace_id,
            "account_id": account_id,
            "external_id": post.external_id[:128],
            "post_target_id": targets.get(post.external_id),
            "published_at": post.published_at,
            "caption": post.caption,
            "permalink": post.permalink,
            "thumbnail_url": post.thumbnail_url,
            "likes": post.likes,
            "comments": post.comments,
            "shares": post.shares,
            "views": post.views,
            "saves": post.saves,
            "engagement": post.likes + post.comments + post.shares + post.saves,
            "synced_at": now,
        }
        for post in posts
    }
    values = list(rows.values())
    for start in range(0, len(values), _UPSERT_BATCH):
        insert = _insert(db, PostMetricLatest).values(values[start : start + _UPSERT_BATCH])
        kept = ("workspace_id", "account_id", "external_id")
        db.connection().execute(
            insert.on_conflict_do_update(
                index_elements=["account_id", "external_id"],
                set_={name: insert.excluded[name] for name in values[0] if name not in kept},
            )
        )


def latest_snapshots(db: Session, account_id: int, before: datetime) -> dict[str, PostMetricSnapshot]:
    """Each post's most recent snapshot taken before ``before`` (what the last sync saw)."""
    newest = (
        select(PostMetricSnapshot.external_id, sa.func.max(PostMetricSnapshot.synced_at).label("at"))
        .where(PostMetricSnapshot.account_id == account_id, col(PostMetricSnapshot.synced_at) < before)
        .group_by(col(PostMetricSnapshot.external_id))
        .subquery()
    )
    rows = db.exec(
        select(PostMetricSnapshot)
        .join(
            newest,
            sa.and_(
                col(PostMetricSnapshot.external_id) == newest.c.external_id,
                col(PostMetricSnapshot.synced_at) == newest.c.at,
            ),
        )
        .where(PostMetricSnapshot.account_id == account_id)
    ).all()
    return {row.external_id: row for row in rows}


def _state(db: Session, account_id: int) -> AnalyticsState:
    state = db.get(AnalyticsState, account_id)
    if state is None:
        state = AnalyticsState(account_id=account_id)
        db.add(state)
    return state


def record_synced(db: Session, account_id: int, until: date, now: datetime) -> None:
    """A successful sync through ``until``: any earlier problem is resolved."""
    state = _state(db, account_id)
    state.last_synced_at = now
    state.backfilled_until = max(until, state.backfilled_until or until)
    state.problem_code = state.problem_scope = None


def record_problem(db: Session, account_id: int, code: str, scope: str | None) -> None:
    """Why this account has no (fresh) analytics, as a catalogue code the page explains."""
    state = _state(db, account_id)
    state.problem_code, state.problem_scope = code, scope


def prune(db: Session, today: date) -> tuple[int, int]:
    """Delete days and snapshots older than the retention; returns (days, snapshots) deleted."""
    cutoff = today - timedelta(days=RETENTION_DAYS)
    days = db.connection().execute(sa.delete(AccountMetricDay).where(col(AccountMetricDay.day) < cutoff))
    analytics_rollup.prune(db, cutoff)
    snapshots = db.connection().execute(
        sa.delete(PostMetricSnapshot).where(col(PostMetricSnapshot.synced_at) < day_start(cutoff))
    )
    # A post no sync has seen within the retention leaves the rankings with its last snapshot.
    db.connection().execute(sa.delete(PostMetricLatest).where(col(PostMetricLatest.synced_at) < day_start(cutoff)))
    state = AnalyticsState
    db.connection().execute(
        sa.update(state).where(col(state.data_until) < cutoff).values(data_from=None, data_until=None)
    )
    db.connection().execute(sa.update(state).where(col(state.data_from) < cutoff).values(data_from=cutoff))
    return days.rowcount, snapshots.rowcount
