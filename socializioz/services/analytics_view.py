"""The analytics page's read model: a workspace's metrics over a date range, its previous period,
per platform and per account, the top posts, and why an account shows nothing.

Days are the workspace's (``Workspace.timezone``): "the last 7 days" ends on its today, and posts
count on the local day they were published. Everything is read with aggregate statements whose
number does not depend on the number of accounts (benchmarks/analytics/page_build.py measures
500 accounts × 365 days); Python only folds their already grouped rows. The KPIs, charts and
per-platform figures come from the sync's daily rollup (``WorkspaceMetricDay``: O(days) rows);
only the page of the per-account table (``ACCOUNTS_PAGE_SIZE``, ordered in SQL) is read per account.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlmodel import Session, col, select

from socializioz.db import session_scope
from socializioz.domain.analytics import Metric
from socializioz.domain.errors import lookup
from socializioz.domain.publishing import TargetStatus
from socializioz.domain.time_zones import as_utc
from socializioz.models import (
    AccountMetricDay,
    AnalyticsState,
    PostMetricLatest,
    PostTarget,
    PublishedCount,
    SocialAccount,
    User,
    Workspace,
    WorkspaceMetricDay,
)
from socializioz.services import published_counts
from socializioz.services.errors import NotFound, ValidationError
from socializioz.services.workspaces import role_in

PRESETS = (7, 30, 90)
DEFAULT_PRESET = 30
MAX_CUSTOM_DAYS = 366
TOP_POSTS = 20
ACCOUNTS_PAGE_SIZE = 25  # rows of the per-account table per page
# Account-level metrics as the page orders them; POSTS comes from our own published targets.
DAILY_METRICS = (Metric.FOLLOWERS, Metric.REACH, Metric.VIEWS, Metric.ENGAGEMENT)
SORT_KEYS = ("engagement", "likes", "comments", "shares", "views", "published_at")

# Why an account shows nothing (catalogue keys; the state translates them).
REASON_MISSING_SCOPE = "analytics.reason.missing_scope"
REASON_NOT_SYNCED = "analytics.reason.not_synced"
REASON_NO_DATA = "analytics.reason.no_data"
REASON_OTHER = "analytics.reason.other"


# --------------------------------------------------------------------------- ranges and scope


@dataclass(frozen=True)
class DateRange:
    """Inclusive local days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> DateRange:
        """The period of the same length just before this one."""
        return DateRange(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def each_day(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_today(timezone: str, now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(zone(timezone)).date()


def preset_range(days: int, today: date) -> DateRange:
    if days not in PRESETS:
        raise ValidationError("analytics.range_invalid")
    return DateRange(today - timedelta(days=days - 1), today)


def custom_range(start: str, end: str, today: date) -> DateRange:
    """A range typed by the user (``YYYY-MM-DD``): ordered, not after today, at most a year."""
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except (TypeError, ValueError):
        raise ValidationError("analytics.range_invalid") from None
    if first > last or last > today or (last - first).days + 1 > MAX_CUSTOM_DAYS:
        raise ValidationError("analytics.range_invalid")
    return DateRange(first, last)


def utc_bounds(days: DateRange, timezone: str) -> tuple[datetime, datetime]:
    """[local midnight of the first day, local midnight after the last day) in UTC."""
    tz = zone(timezone)
    start = datetime.combine(days.start, time.min, tz).astimezone(UTC)
    end = datetime.combine(days.end + timedelta(days=1), time.min, tz).astimezone(UTC)
    return start, end


@dataclass(frozen=True)
class Scope:
    """The whole workspace, one platform, or one account (``all``, ``platform:x``, ``account:12``)."""

    platform: str | None = None
    account_id: int | None = None

    @classmethod
    def parse(cls, text: str) -> Scope:
        kind, _, value = (text or "all").partition(":")
        if kind == "all" and not value:
            return cls()
        if kind == "platform" and value:
            return cls(platform=value)
        if kind == "account" and value.isdigit():
            return cls(account_id=int(value))
        raise NotFound("analytics.scope_not_found")

    @property
    def key(self) -> str:
        if self.account_id is not None:
            return f"account:{self.account_id}"
        return f"platform:{self.platform}" if self.platform else "all"

    def covers(self, platform: str, account_id: int) -> bool:
        return (self.account_id is None or account_id == self.account_id) and self.platform in (None, platform)


# --------------------------------------------------------------------------- view models


@dataclass(frozen=True)
class Kpi:
    """A figure of the period against the previous one (followers: at the end of each)."""

    metric: str
    value: int
    previous: int

    @property
    def delta(self) -> int:
        return self.value - self.previous

    @property
    def delta_pct(self) -> float | None:
        """None when the previous period had nothing to compare with."""
        return None if self.previous == 0 else self.delta * 100.0 / abs(self.previous)


@dataclass(frozen=True)
class Figures:
    """One account's or one platform's figures for the range (followers at its end)."""

    followers: int = 0
    growth: int = 0
    engagement: int = 0
    reach: int = 0
    views: int = 0
    posts: int = 0


@dataclass(frozen=True)
class Problem:
    """Why an account shows no analytics: a catalogue key, its ``scope`` parameter, and whether
    reconnecting (with the missing permission) is the fix."""

    reason_key: str
    scope: str = ""
    reconnect: bool = False


@dataclass(frozen=True)
class AccountRow:
    id: int
    platform: str
    name: str
    username: str
    figures: Figures
    has_data: bool
    problem: Problem | None


@dataclass(frozen=True)
class PlatformRow:
    platform: str
    accounts: int
    figures: Figures


@dataclass(frozen=True)
class TopPost:
    id: int
    account_id: int
    account_name: str
    platform: str
    caption: str
    thumbnail_url: str
    permalink: str
    published: date | None
    likes: int
    comments: int
    shares: int
    views: int
    saves: int

    @property
    def engagement(self) -> int:
        return self.likes + self.comments + self.shares + self.saves


@dataclass(frozen=True)
class AnalyticsView:
    range: DateRange
    previous: DateRange
    timezone: str
    scope: str
    kpis: list[Kpi]
    offered: list[str]  # the daily metrics some account in scope reports (reach/views are not universal)
    days: list[date]
    series: dict[str, list[int | None]]  # metric -> one value per day of the range (None: no data)
    platforms: list[PlatformRow]
    accounts: list[AccountRow]  # one page of the accounts in scope (all of them for the CSV)
    top_posts: list[TopPost]
    sort: str
    has_data: bool = field(default=False)
    problems: list[AccountRow] = field(default_factory=list)  # every account in scope without analytics
    account_total: int = 0  # accounts in scope, over all pages
    account_page: int = 0  # 0-based
    page_size: int | None = ACCOUNTS_PAGE_SIZE  # None: every account on one page

    @property
    def has_accounts(self) -> bool:
        return bool(self.platforms)

    @property
    def account_pages(self) -> int:
        if not self.page_size:
            return 1
        return max(1, -(-self.account_total // self.page_size))


# --------------------------------------------------------------------------- reading


@dataclass
class _Totals:
    cur: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first: int | None = None  # followers on the first reported day of the range
    last: int | None = None  # followers on the last reported day of the range
    prev_last: int | None = None  # followers at the end of the previous period

    @property
    def has_data(self) -> bool:
        return bool(self.cur) or self.last is not None

    def followers_kpi(self) -> tuple[int, int]:
        """(at the end of the range, at the start: the previous period's end, else the range's first day)."""
        end = self.last or 0
        baseline = self.prev_last if self.prev_last is not None else (self.first if self.first is not None else end)
        return end, baseline

    def figures(self, posts: int) -> Figures:
        end, baseline = self.followers_kpi()
        return Figures(
            followers=end,
            growth=end - baseline,
            engagement=self.cur.get(Metric.ENGAGEMENT.value, 0),
            reach=self.cur.get(Metric.REACH.value, 0),
            views=self.cur.get(Metric.VIEWS.value, 0),
            posts=posts,
        )


def _rows(db: Session, query: Any) -> list[Any]:
    """A core statement's rows (sqlmodel's ``select`` types at most four columns)."""
    return list(db.connection().execute(query).all())


def _in_scope(workspace_id: int, scope: Scope) -> list[Any]:
    """The connected accounts of the workspace that ``scope`` covers, as WHERE clauses."""
    where: list[Any] = [col(SocialAccount.workspace_id) == workspace_id, col(SocialAccount.disconnected_at).is_(None)]
    if scope.platform:
        where.append(col(SocialAccount.platform) == scope.platform)
    if scope.account_id is not None:
        where.append(col(SocialAccount.id) == scope.account_id)
    return where


@dataclass(frozen=True)
class SyncStatus:
    """What the page needs of an account's ``AnalyticsState``."""

    last_synced_at: datetime | None = None
    problem_code: str | None = None
    problem_scope: str | None = None


@dataclass(frozen=True)
class _Account:
    id: int
    platform: str
    name: str
    username: str
    state: SyncStatus | None


_ACCOUNT_ORDER = (col(SocialAccount.platform), col(SocialAccount.name), col(SocialAccount.id))


def _account_columns() -> list[Any]:
    st = AnalyticsState
    return [
        col(SocialAccount.id),
        col(SocialAccount.platform),
        col(SocialAccount.name),
        col(SocialAccount.username),
        col(st.account_id),
        col(st.last_synced_at),
        col(st.problem_code),
        col(st.problem_scope),
    ]


def _account(row: Any) -> _Account:
    account_id, platform, name, username, state_id, synced, code, problem_scope = row[:8]
    state = None if state_id is None else SyncStatus(synced, code, problem_scope)
    return _Account(int(account_id), platform, name, username, state)


def _platform_accounts(db: Session, workspace_id: int) -> dict[str, int]:
    """Connected accounts per platform (the platforms table and whether there is anything)."""
    rows = _rows(
        db,
        sa.select(col(SocialAccount.platform), sa.func.count())
        .where(*_in_scope(workspace_id, Scope()))
        .group_by(col(SocialAccount.platform))
        .order_by(col(SocialAccount.platform)),
    )
    return {platform: int(n) for platform, n in rows}


def _account_page(
    db: Session, scope: Scope, where: list[Any], total: int, page: int, size: int | None
) -> tuple[list[_Account], int, int]:
    """(one page of the accounts in scope ordered by platform and name, how many in all, the page
    actually read: a page past the end falls back to the last one). ``total`` is counted by the
    caller from the per-platform counts, so the statement reads only its page of the index."""
    st = AnalyticsState
    query = (
        sa.select(*_account_columns())
        .select_from(SocialAccount)
        .outerjoin(st, col(st.account_id) == col(SocialAccount.id))
        .where(*where)
        .order_by(*_ACCOUNT_ORDER)
    )
    if size is None:
        rows = _rows(db, query)
        return [_account(r) for r in rows], len(rows), 0
    page = min(max(page, 0), max(0, -(-total // size) - 1))
    rows = _rows(db, query.limit(size).offset(page * size))
    return [_account(r) for r in rows], total, page


def _problem_accounts(db: Session, workspace_id: int, days: DateRange, scope: Scope) -> list[tuple[_Account, bool]]:
    """The accounts in scope that may need an explanation (a recorded problem, never synced, or
    no row in the range), with whether they have rows in the range: one statement, reading each
    account's sync state (its span of days with rows), not its days."""
    st = AnalyticsState
    has_rows = sa.and_(col(st.data_from) <= days.end, col(st.data_until) >= days.start)
    rows = _rows(
        db,
        sa.select(*_account_columns(), sa.func.coalesce(has_rows, False).label("has_rows"))
        .select_from(SocialAccount)
        .outerjoin(st, col(st.account_id) == col(SocialAccount.id))
        .where(
            *_in_scope(workspace_id, scope),
            sa.or_(
                col(st.account_id).is_(None),
                col(st.last_synced_at).is_(None),
                col(st.problem_code).is_not(None),
                col(st.problem_scope).is_not(None),
                col(st.data_from).is_(None),
                col(st.data_from) > days.end,
                col(st.data_until) < days.start,
            ),
        )
        .order_by(*_ACCOUNT_ORDER),
    )
    return [(_account(r), bool(r[-1])) for r in rows]


def _metric_totals(db: Session, workspace_id: int, days: DateRange, account_ids: list[int]) -> dict[int, _Totals]:
    """Per account of ``account_ids`` (a page of the table): sums of each metric in the range (one
    statement) and followers at the range's edges (``_followers``)."""
    amd = AccountMetricDay
    sums = _rows(
        db,
        sa.select(col(amd.account_id), col(amd.metric), sa.func.sum(col(amd.value)))
        .where(
            # By account only (they are the workspace's, read by _account_page): the unique
            # (account, day, metric) index then reads the page's rows, not the workspace's.
            col(amd.account_id).in_(account_ids),
            col(amd.day) >= days.start,
            col(amd.day) <= days.end,
            col(amd.metric) != Metric.FOLLOWERS.value,
        )
        .group_by(col(amd.account_id), col(amd.metric)),
    )
    totals: dict[int, _Totals] = defaultdict(_Totals)
    for account_id, metric, total in sums:
        totals[account_id].cur[metric] = int(total or 0)
    _followers(db, workspace_id, days, account_ids, totals)
    return totals


def _followers(
    db: Session, workspace_id: int, days: DateRange, account_ids: list[int], totals: dict[int, _Totals]
) -> None:
    """Followers on the first and last reported day of the range and on the last of the previous
    period. An account that reported on the three edge days (the usual case) is read from those
    days alone; only the others (new, or with gaps) are searched for their reported edges."""
    amd = AccountMetricDay
    prev_end = days.start - timedelta(days=1)
    edge_days = (prev_end, days.start, days.end)
    found: dict[int, dict[date, int]] = defaultdict(dict)
    for account_id, day, value in _rows(
        db,
        sa.select(col(amd.account_id), col(amd.day), col(amd.value)).where(
            col(amd.account_id).in_(account_ids),
            col(amd.metric) == Metric.FOLLOWERS.value,
            col(amd.day).in_(edge_days),
        ),
    ):
        found[account_id][day] = value
    for account_id, values in found.items():
        if len(values) == len(edge_days):
            entry = totals[account_id]
            entry.prev_last, entry.first, entry.last = (values[d] for d in edge_days)
    rest = [a for a in account_ids if len(found.get(a, {})) < len(edge_days)]
    if rest:
        _search_edges(db, workspace_id, days, rest, totals)


def _search_edges(
    db: Session, workspace_id: int, days: DateRange, account_ids: list[int], totals: dict[int, _Totals]
) -> None:
    prev = days.previous()
    amd = AccountMetricDay
    in_cur = sa.case((col(amd.day) >= days.start, 1), else_=0)
    edges = (
        sa.select(
            col(amd.account_id).label("account_id"),
            in_cur.label("is_cur"),
            sa.func.min(col(amd.day)).label("first_day"),
            sa.func.max(col(amd.day)).label("last_day"),
        )
        .where(
            col(amd.workspace_id) == workspace_id,
            col(amd.account_id).in_(account_ids),
            col(amd.metric) == Metric.FOLLOWERS.value,
            col(amd.day) >= prev.start,
            col(amd.day) <= days.end,
        )
        .group_by(col(amd.account_id), sa.literal_column("is_cur"))  # PostgreSQL: by the alias, not a re-bound CASE
        .subquery()
    )
    followers = _rows(
        db,
        sa.select(
            col(amd.account_id), col(amd.day), col(amd.value), edges.c.is_cur, edges.c.first_day, edges.c.last_day
        ).join(
            edges,
            sa.and_(
                col(amd.account_id) == edges.c.account_id,
                col(amd.metric) == Metric.FOLLOWERS.value,
                sa.or_(col(amd.day) == edges.c.first_day, col(amd.day) == edges.c.last_day),
            ),
        ),
    )
    for account_id, day, value, is_cur, first_day, last_day in followers:
        entry = totals[account_id]
        if is_cur:
            if day == first_day:
                entry.first = value
            if day == last_day:
                entry.last = value
        elif day == last_day:
            entry.prev_last = value


def _daily_series(
    db: Session, workspace_id: int, days: DateRange, account_ids: list[int]
) -> dict[str, dict[date, int]]:
    """metric -> day -> sum over the accounts in scope (one GROUP BY day, metric). The accounts
    are a list of ids, not a join: the covering index then answers alone, whatever the planner."""
    amd = AccountMetricDay
    rows = _rows(
        db,
        sa.select(col(amd.day), col(amd.metric), sa.func.sum(col(amd.value)))
        .where(
            col(amd.workspace_id) == workspace_id,
            col(amd.day) >= days.start,
            col(amd.day) <= days.end,
            col(amd.account_id).in_(account_ids),
        )
        .group_by(col(amd.day), col(amd.metric)),
    )
    series: dict[str, dict[date, int]] = defaultdict(dict)
    for day, metric, total in rows:
        series[metric][day] = int(total or 0)
    return series


@dataclass
class _PlatformDays:
    """One platform's rollup rows over the range and its previous period."""

    cur: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # sums in the range
    followers: dict[date, tuple[int, int]] = field(default_factory=dict)  # day -> (sum, accounts reporting)

    def followers_kpi(self, days: DateRange) -> tuple[int, int]:
        """(at the end of the range, at its start), each read on a *complete* day: the last day on
        which as many accounts reported as on any day of the period, so an account that missed a
        day (or today not synced yet for some) does not dip the total. The start is the previous
        period's last complete day, else the range's first complete day."""
        cur = {d: v for d, v in self.followers.items() if d >= days.start}
        prev = {d: v for d, v in self.followers.items() if d < days.start}

        def complete(values: dict[date, tuple[int, int]]) -> list[date]:
            most = max(n for _, n in values.values())
            return sorted(d for d, (_, n) in values.items() if n == most)

        end = first = 0
        if cur:
            full = complete(cur)
            end, first = cur[full[-1]][0], cur[full[0]][0]
        if prev:
            return end, prev[complete(prev)[-1]][0]
        return end, first if cur else end

    def figures(self, days: DateRange, posts: int) -> Figures:
        end, baseline = self.followers_kpi(days)
        return Figures(
            followers=end,
            growth=end - baseline,
            engagement=self.cur.get(Metric.ENGAGEMENT.value, 0),
            reach=self.cur.get(Metric.REACH.value, 0),
            views=self.cur.get(Metric.VIEWS.value, 0),
            posts=posts,
        )


def _rollup(
    db: Session, workspace_id: int, days: DateRange, scope: Scope
) -> tuple[dict[str, _PlatformDays], dict[str, dict[date, int]]]:
    """One read of the rollup over the range and the previous period: per platform (the platforms
    table, the KPIs) and metric -> day -> sum over the platforms in scope (the charts)."""
    wmd = WorkspaceMetricDay
    rows = _rows(
        db,
        sa.select(col(wmd.platform), col(wmd.day), col(wmd.metric), col(wmd.value), col(wmd.accounts)).where(
            col(wmd.workspace_id) == workspace_id,
            col(wmd.day) >= days.previous().start,
            col(wmd.day) <= days.end,
            col(wmd.metric).in_([m.value for m in DAILY_METRICS]),
        ),
    )
    platforms: dict[str, _PlatformDays] = defaultdict(_PlatformDays)
    series: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for platform, day, metric, value, accounts in rows:
        entry = platforms[platform]
        if metric == Metric.FOLLOWERS.value:
            entry.followers[day] = (value, accounts)
        elif day >= days.start:
            entry.cur[metric] += value
        if scope.platform in (None, platform):
            series[metric][day] += value
    return platforms, series


@dataclass(frozen=True)
class _Published:
    """Targets published through Socializioz: (range, previous period) per platform and per
    account of the table's page, and per local day of the range for the scope."""

    per_platform: dict[str, tuple[int, int]]
    per_account: dict[int, tuple[int, int]]
    per_day: dict[date, int]


def _published(
    db: Session, workspace_id: int, days: DateRange, timezone: str, scope: Scope, page_ids: list[int]
) -> _Published:
    """The workspace's counts per platform and quarter hour (``PublishedCount``), less those of
    accounts disconnected since (the page shows connected accounts); one account's own targets."""
    prev_start, _ = utc_bounds(days.previous(), timezone)
    start, end = utc_bounds(days, timezone)
    pc = PublishedCount
    slots = [
        (platform, as_utc(slot), int(posts))
        for platform, slot, posts in _rows(
            db,
            sa.select(col(pc.platform), col(pc.slot), col(pc.posts)).where(
                col(pc.workspace_id) == workspace_id, col(pc.slot) >= prev_start, col(pc.slot) < end
            ),
        )
    ]
    gone = _targets_per_slot(db, _disconnected(workspace_id), prev_start, end)
    slots += [(platform, slot, -posts) for platform, slot, posts in gone]
    per_platform: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for platform, slot, posts in slots:
        per_platform[platform][0 if slot >= start else 1] += posts
    tz = zone(timezone)
    per_day: dict[date, int] = defaultdict(int)
    if scope.account_id is not None:
        slots = _targets_per_slot(db, sa.select(sa.literal(scope.account_id)), start, end)
    for platform, slot, posts in slots:
        if slot >= start and scope.platform in (None, platform):
            per_day[slot.astimezone(tz).date()] += posts
    return _Published(
        {p: (c, q) for p, (c, q) in per_platform.items()},
        _per_account(db, page_ids, prev_start, start, end),
        per_day,
    )


def _disconnected(workspace_id: int) -> Any:
    return sa.select(col(SocialAccount.id)).where(
        col(SocialAccount.workspace_id) == workspace_id, col(SocialAccount.disconnected_at).is_not(None)
    )


def _published_targets(accounts: Any, since: datetime, until: datetime) -> list[Any]:
    return [
        col(PostTarget.account_id).in_(accounts),
        # status || '': not the publisher's (status, due_at) index, but (account_id, published_at)
        (col(PostTarget.status) + "") == TargetStatus.PUBLISHED.value,
        col(PostTarget.published_at) >= since,
        col(PostTarget.published_at) < until,
    ]


def _targets_per_slot(db: Session, accounts: Any, since: datetime, until: datetime) -> list[tuple[str, datetime, int]]:
    """(platform, quarter hour, targets) of the published targets of ``accounts`` (a subquery of
    ids: a few accounts, read through (account_id, published_at))."""
    rows = _rows(
        db,
        sa.select(col(SocialAccount.platform), col(PostTarget.published_at))
        .join(SocialAccount, col(SocialAccount.id) == col(PostTarget.account_id))
        .where(*_published_targets(accounts, since, until)),
    )
    counted: dict[tuple[str, datetime], int] = defaultdict(int)
    for platform, published in rows:
        counted[(platform, published_counts.slot_of(as_utc(published)))] += 1
    return [(platform, slot, n) for (platform, slot), n in counted.items()]


def _per_account(
    db: Session, page_ids: list[int], prev_start: datetime, start: datetime, end: datetime
) -> dict[int, tuple[int, int]]:
    published = col(PostTarget.published_at)
    rows = _rows(
        db,
        sa.select(
            col(PostTarget.account_id),
            sa.func.sum(sa.case((published >= start, 1), else_=0)),
            sa.func.sum(sa.case((published < start, 1), else_=0)),
        )
        .where(*_published_targets(page_ids, prev_start, end))
        .group_by(col(PostTarget.account_id)),
    )
    return {a: (int(c or 0), int(q or 0)) for a, c, q in rows}


def _safe_url(url: str) -> str:
    """Only web links reach the page (a platform's value is not trusted to be one)."""
    return url if url.startswith(("https://", "http://")) else ""


def top_posts(
    db: Session,
    workspace_id: int,
    days: DateRange,
    timezone: str,
    scope: Scope,
    sort: str,
    limit: int = TOP_POSTS,
) -> list[TopPost]:
    """Posts published in the range by the connected accounts in ``scope``, by their latest
    counters (``PostMetricLatest``), best first by ``sort``."""
    if sort not in SORT_KEYS:
        raise ValidationError("analytics.sort_invalid")
    latest = PostMetricLatest
    start, end = utc_bounds(days, timezone)
    order = col(getattr(latest, sort))
    in_scope = sa.select(col(SocialAccount.id)).where(*_in_scope(workspace_id, scope))
    published: Any = col(latest.published_at)
    if scope.account_id is None and sort != "published_at" and db.get_bind().dialect.name == "sqlite":
        # Walk the workspace's index of ``sort`` from the best down until ``limit`` posts of the
        # range are found (a few hundred entries for a month of a year's posts, however many
        # accounts) rather than read every post of the range and sort them, which grows with the
        # accounts: SQLite's planner, without statistics, prefers the range. ``+column`` is
        # SQLite's way of saying "not through an index" (benchmarks/analytics/page_build.py).
        published = sa.literal_column(f"+{PostMetricLatest.__tablename__}.published_at", type_=published.type)
    query = (
        select(latest)
        .where(
            col(latest.workspace_id) == workspace_id,
            published >= start,
            published < end,
            col(latest.account_id).in_(in_scope),
        )
        .order_by(order.desc(), col(latest.id).desc())
        .limit(limit)
    )
    posts = db.exec(query).all()
    names = {
        i: (name, platform)
        for i, name, platform in _rows(
            db,
            sa.select(col(SocialAccount.id), col(SocialAccount.name), col(SocialAccount.platform)).where(
                col(SocialAccount.id).in_({p.account_id for p in posts})
            ),
        )
    }
    tz = zone(timezone)
    return [
        TopPost(
            id=post.id or 0,
            account_id=post.account_id,
            account_name=names[post.account_id][0],
            platform=names[post.account_id][1],
            caption=post.caption[:280],
            thumbnail_url=_safe_url(post.thumbnail_url),
            permalink=_safe_url(post.permalink),
            published=as_utc(post.published_at).astimezone(tz).date() if post.published_at else None,
            likes=post.likes,
            comments=post.comments,
            shares=post.shares,
            views=post.views,
            saves=post.saves,
        )
        for post in posts
    ]


def problem_for(platform: str, state: SyncStatus | None, has_data: bool) -> Problem | None:
    """The explanation an account gets: its sync's problem (a missing permission first), else
    "not synced yet" or "nothing in this range" when it has no data."""
    if state is not None and state.problem_scope:
        return Problem(REASON_MISSING_SCOPE, scope=state.problem_scope, reconnect=True)
    if state is not None and state.problem_code:
        entry = lookup(state.problem_code, platform)
        return Problem(entry.cause_key if entry else REASON_OTHER, reconnect=entry is not None)
    if has_data:
        return None
    if state is None or state.last_synced_at is None:
        return Problem(REASON_NOT_SYNCED)
    return Problem(REASON_NO_DATA)


def _row(account: _Account, figures: Figures, has_data: bool) -> AccountRow:
    return AccountRow(
        id=account.id,
        platform=account.platform,
        name=account.name,
        username=account.username,
        figures=figures,
        has_data=has_data,
        problem=problem_for(account.platform, account.state, has_data),
    )


def read_view(
    db: Session,
    workspace_id: int,
    days: DateRange,
    scope: Scope,
    sort: str = "engagement",
    *,
    page: int = 0,
    page_size: int | None = ACCOUNTS_PAGE_SIZE,
) -> AnalyticsView:
    """The whole page for a workspace the caller is already known to belong to: ``page`` of the
    per-account table (``page_size`` None: every account in scope, for the CSV)."""
    workspace = db.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound("workspace.not_found")
    timezone = workspace.timezone
    if db.get_bind().dialect.name == "postgresql":
        # psycopg prepares a statement after 5 runs, and PostgreSQL may then keep a generic plan
        # that ignores the range and the account list: 20x slower for 500 accounts (benchmark).
        db.connection().execute(sa.text("SET LOCAL plan_cache_mode = force_custom_plan"))
    counts = _platform_accounts(db, workspace_id)
    total = 1 if scope.account_id is not None else sum(n for p, n in counts.items() if scope.platform in (None, p))
    accounts, total, page = _account_page(db, scope, _in_scope(workspace_id, scope), total, page, page_size)
    if scope.account_id is not None and not accounts:
        raise NotFound("analytics.scope_not_found")
    page_ids = [a.id for a in accounts]
    totals = _metric_totals(db, workspace_id, days, page_ids)
    published = _published(db, workspace_id, days, timezone, scope, page_ids)
    rows = [
        _row(
            a,
            (entry := totals.get(a.id, _Totals())).figures(published.per_account.get(a.id, (0, 0))[0]),
            entry.has_data,
        )
        for a in accounts
    ]
    platform_days, daily = _rollup(db, workspace_id, days, scope)
    platforms = [
        PlatformRow(
            platform,
            n,
            platform_days.get(platform, _PlatformDays()).figures(days, published.per_platform.get(platform, (0, 0))[0]),
        )
        for platform, n in counts.items()
    ]
    if scope.account_id is not None:  # one account: its own rows, not the platform's rollup
        daily = _daily_series(db, workspace_id, DateRange(days.previous().start, days.end), [scope.account_id])
    kpis, offered = _kpis(scope, rows, totals, platform_days, published, daily, days)
    each_day = days.each_day()
    series: dict[str, list[int | None]] = {
        metric: [daily.get(metric, {}).get(day) for day in each_day] for metric in offered
    }
    series[Metric.POSTS.value] = [published.per_day.get(day, 0) for day in each_day]
    in_range = any(day >= days.start for values in daily.values() for day in values)
    return AnalyticsView(
        range=days,
        previous=days.previous(),
        timezone=timezone,
        scope=scope.key,
        kpis=kpis,
        offered=offered,
        days=each_day,
        series=series,
        platforms=platforms,
        accounts=rows,
        top_posts=top_posts(db, workspace_id, days, timezone, scope, sort),
        sort=sort,
        has_data=in_range or any(published.per_day.values()),
        problems=[
            row
            for account, has_data in _problem_accounts(db, workspace_id, days, scope)
            if (row := _row(account, Figures(), has_data)).problem is not None
        ],
        account_total=total,
        account_page=page,
        page_size=page_size,
    )


def _kpis(
    scope: Scope,
    rows: list[AccountRow],
    totals: dict[int, _Totals],
    platform_days: dict[str, _PlatformDays],
    published: _Published,
    daily: dict[str, dict[date, int]],
    days: DateRange,
) -> tuple[list[Kpi], list[str]]:
    """Followers from one account's own first/last days, or from each platform's complete days
    (``_PlatformDays.followers_kpi``); the other metrics from the daily sums of both periods."""
    offered = [m.value for m in DAILY_METRICS if m is Metric.FOLLOWERS or daily.get(m.value)]
    if scope.account_id is not None:
        end, baseline = totals.get(scope.account_id, _Totals()).followers_kpi()
        posts = published.per_account.get(scope.account_id, (0, 0))
    else:
        covered = [p for p in platform_days if scope.platform in (None, p)]
        edges = [platform_days[p].followers_kpi(days) for p in covered]
        end, baseline = sum(e for e, _ in edges), sum(b for _, b in edges)
        counted = [v for p, v in published.per_platform.items() if scope.platform in (None, p)]
        posts = (sum(c for c, _ in counted), sum(q for _, q in counted))
    kpis = [Kpi(Metric.FOLLOWERS.value, end, baseline)]
    for metric in offered[1:]:
        values = daily[metric]
        current = sum(v for day, v in values.items() if day >= days.start)
        kpis.append(Kpi(metric, current, sum(values.values()) - current))
    kpis.append(Kpi(Metric.POSTS.value, *posts))
    return kpis, offered


def build_view(
    user: User | None,
    workspace_id: int,
    *,
    preset: int | None = DEFAULT_PRESET,
    start: str = "",
    end: str = "",
    scope: str = "all",
    sort: str = "engagement",
    page: int = 0,
    page_size: int | None = ACCOUNTS_PAGE_SIZE,
    now: datetime | None = None,
) -> AnalyticsView:
    """For the page: checks the caller is a member, resolves the range in the workspace's time
    zone (a preset, or ``start``/``end`` when ``preset`` is None) and reads the view with ``page``
    of the per-account table (``page_size`` None: all of them, as the CSV export wants)."""
    with session_scope() as db:
        if user is None or role_in(db, user, workspace_id) is None:
            raise NotFound("workspace.not_found")
        workspace = db.get(Workspace, workspace_id)
        if workspace is None:
            raise NotFound("workspace.not_found")
        today = local_today(workspace.timezone, now)
        days = preset_range(preset, today) if preset is not None else custom_range(start, end, today)
        return read_view(db, workspace_id, days, Scope.parse(scope), sort, page=page, page_size=page_size)
