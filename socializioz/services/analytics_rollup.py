"""The daily rollup of the analytics sync (``WorkspaceMetricDay``): per workspace, platform, day and
metric, the sum over the workspace's *connected* accounts of that platform and how many reported.

The analytics page reads its KPIs, charts and per-platform figures from here, so their cost grows
with the days shown, not with the accounts (benchmarks/analytics/page_build.py). Every change is a
rebuild of the days it touches from ``AccountMetricDay`` (delete, then one INSERT ... SELECT ...
GROUP BY), in the transaction that wrote those days: a re-run writes the same rows (idempotent),
and the result is by construction the from-scratch aggregation. Callers:
  * the sync, for the days it wrote (the whole account's history after a (re)connect);
  * a disconnect, for all the account's days (it leaves the sums, its rows stay for a reconnect);
  * the retention prune.
On PostgreSQL concurrent rebuilds of one (workspace, platform) are serialised by a transaction
advisory lock: the last one to run sees every committed day, so no sum is lost to a race.
"""

from __future__ import annotations

import zlib
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col

from socializioz.models import AccountMetricDay, SocialAccount, WorkspaceMetricDay

_LOCK_SPACE = 0x5A_0A11  # advisory-lock namespace of the rollup (first key of the pair)


def _lock(db: Session, workspace_id: int, platform: str) -> None:
    if db.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"{workspace_id}:{platform}".encode()) & 0x7FFFFFFF
        db.connection().execute(sa.text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": _LOCK_SPACE, "b": key})


def rebuild(db: Session, workspace_id: int, platform: str, first: date, last: date) -> None:
    """Recompute the rollup of ``platform`` in the workspace for ``first``..``last`` (inclusive)."""
    if first > last:
        return
    _lock(db, workspace_id, platform)
    wmd, amd, account = WorkspaceMetricDay, AccountMetricDay, SocialAccount
    conn = db.connection()
    conn.execute(
        sa.delete(wmd).where(
            col(wmd.workspace_id) == workspace_id,
            col(wmd.platform) == platform,
            col(wmd.day) >= first,
            col(wmd.day) <= last,
        )
    )
    totals = (
        sa.select(
            col(amd.workspace_id),
            sa.literal(platform, sa.String),
            col(amd.day),
            col(amd.metric),
            sa.func.sum(col(amd.value)),
            sa.func.count(),
        )
        .join(account, col(account.id) == col(amd.account_id))
        .where(
            col(amd.workspace_id) == workspace_id,
            col(account.workspace_id) == workspace_id,
            col(account.platform) == platform,
            col(account.disconnected_at).is_(None),
            col(amd.day) >= first,
            col(amd.day) <= last,
        )
        .group_by(col(amd.workspace_id), col(amd.day), col(amd.metric))
    )
    conn.execute(sa.insert(wmd).from_select(["workspace_id", "platform", "day", "metric", "value", "accounts"], totals))


def account_days(db: Session, account_id: int) -> tuple[date, date] | None:
    """The first and last day the account has rows for (None without rows)."""
    first, last = (
        db.connection()
        .execute(
            sa.select(sa.func.min(col(AccountMetricDay.day)), sa.func.max(col(AccountMetricDay.day))).where(
                col(AccountMetricDay.account_id) == account_id
            )
        )
        .one()
    )
    return None if first is None else (first, last)


def rebuild_account(db: Session, account_id: int) -> None:
    """Every day the account has rows for, in its workspace and platform: after it disconnects
    (its values leave the sums) or reconnects (they come back)."""
    account = db.get(SocialAccount, account_id)
    span = account_days(db, account_id) if account is not None else None
    if account is None or span is None:
        return
    db.flush()  # a pending disconnected_at must be what the rebuild reads
    rebuild(db, account.workspace_id, account.platform, *span)


def prune(db: Session, cutoff: date) -> int:
    """Drop the rollup's days before ``cutoff`` (the retention of ``AccountMetricDay``)."""
    result = db.connection().execute(sa.delete(WorkspaceMetricDay).where(col(WorkspaceMetricDay.day) < cutoff))
    return int(result.rowcount or 0)
