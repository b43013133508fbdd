"""The posts page's read model: a workspace's posts with their per-account targets, as typed view
models, for the queue (tabs, filters, "Load more") and the week/month calendar.

Times are shown in the workspace's time zone (``Workspace.timezone``), converted here with
``zoneinfo`` so DST is the library's job, not the page's. A page costs the same few statements
whatever its size: the posts, then their targets with accounts, campaigns and first media assets,
each read once for the whole page (``tests/unit/test_posts_view.py`` counts them).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlmodel import Session, col, select

from socializioz import routes
from socializioz.domain import errors as error_catalogue
from socializioz.domain.ids import positive_id
from socializioz.domain.platforms import platform_info
from socializioz.domain.publishing import PostStatus, TargetStatus
from socializioz.models import Campaign, MediaAsset, Post, PostTarget, SocialAccount, User, Workspace
from socializioz.services.errors import NotFound
from socializioz.services.persisted import saved_id
from socializioz.services.workspaces import role_in

PAGE_SIZE = 50
EXCERPT_CHARS = 180
CALENDAR_CAP = 600  # posts in one calendar window; a month of a busy team fits
UNKNOWN_FAILURE = "posts.failure.unknown"  # a failure code the catalogue does not know (yet)
# In flight or live: the platform may have (or has) the post, so it is not the page's to cancel or delete.
SENT = frozenset({TargetStatus.PUBLISHING.value, TargetStatus.PUBLISHED.value})


class Tab(str, enum.Enum):
    """The queue's tabs and the target statuses that put a post in each."""

    UPCOMING = "upcoming"
    PUBLISHED = "published"
    FAILED = "failed"
    DRAFTS = "drafts"


_TAB_STATUSES: dict[Tab, tuple[str, ...]] = {
    Tab.UPCOMING: (TargetStatus.SCHEDULED.value, TargetStatus.PUBLISHING.value, TargetStatus.BLOCKED.value),
    Tab.PUBLISHED: (TargetStatus.PUBLISHED.value,),
    Tab.FAILED: (TargetStatus.FAILED.value, TargetStatus.NEEDS_REVIEW.value),
    Tab.DRAFTS: (),  # by the post's own status
}


@dataclass(frozen=True)
class PostFilters:
    """What the page narrows the posts to; 0 / "" mean "any"."""

    tab: Tab = Tab.UPCOMING
    account_id: int = 0
    platform: str = ""
    campaign_id: int = 0

    @classmethod
    def parse(cls, tab: str = "", account_id: object = 0, platform: str = "", campaign_id: object = 0) -> PostFilters:
        """From the browser: anything unknown becomes "any" rather than an error."""
        return cls(
            tab=Tab(tab) if tab in {t.value for t in Tab} else Tab.UPCOMING,
            account_id=positive_id(account_id),
            platform=platform if _known_platform(platform) else "",
            campaign_id=positive_id(campaign_id),
        )


@dataclass(frozen=True)
class TargetView:
    """One account's copy of a post, as its status chip shows it."""

    id: int
    account_id: int
    account_name: str
    platform: str
    status: str
    permalink: str  # the live post, once published
    failure_code: str
    failure_cause_key: str  # the reason in words: an i18n key from the error catalogue
    failure_what_key: str
    failure_detail: str  # the platform's own words, shown small under the catalogue text
    profile_url: str  # the account's posts on the platform (what to check on "needs review")


@dataclass(frozen=True)
class PostView:
    id: int
    excerpt: str
    truncated: bool
    thumbnail_url: str  # an image to show; "" for none (a video shows an icon instead)
    media_kind: str  # image / video / ""
    campaign_id: int
    campaign_name: str
    status: str
    day: str  # YYYY-MM-DD in the workspace's time zone
    time: str  # HH:MM in the workspace's time zone
    has_time: bool  # drafts may have none
    weekday: int  # 0 Monday … 6 Sunday, for the localised date label
    month: int
    day_of_month: int
    summary: str  # the most pressing target status, for the calendar's colour (see _summary)
    deletable: bool  # nothing of it is in flight or live
    targets: list[TargetView] = field(default_factory=list)


@dataclass(frozen=True)
class PostPage:
    posts: list[PostView]
    has_more: bool
    timezone: str


@dataclass(frozen=True)
class CalendarDay:
    date: str  # YYYY-MM-DD
    day: int
    weekday: int  # 0 Monday … 6 Sunday
    month: int  # 1 … 12
    in_range: bool  # inside the month shown (the grid's leading and trailing days are not)
    is_today: bool
    posts: list[PostView] = field(default_factory=list)


@dataclass(frozen=True)
class Calendar:
    """A week (one row) or a month (whole weeks, Monday first) of days with their posts."""

    weeks: list[list[CalendarDay]]
    days_with_posts: list[CalendarDay]  # the phone's list: only days that have posts, in order
    anchor: str  # the day the view was asked for
    title_month: int
    title_year: int
    timezone: str
    truncated: bool  # more posts in the window than CALENDAR_CAP


# -- public readers -------------------------------------------------------------------------------


def read_queue(
    db: Session, user: User | None, workspace_id: int, filters: PostFilters, limit: int = PAGE_SIZE
) -> PostPage:
    """The first ``limit`` posts of a tab (Load more asks again with a larger limit, so a live
    re-read keeps what the person already sees); members only."""
    zone = _member_zone(db, user, workspace_id)
    limit = max(1, min(limit, 1000))
    query = _filtered(workspace_id, filters).order_by(*_order(filters.tab)).limit(limit + 1)
    rows = list(db.exec(query).all())
    return PostPage(posts=_views(db, rows[:limit], zone), has_more=len(rows) > limit, timezone=zone.key)


def read_calendar(
    db: Session,
    user: User | None,
    workspace_id: int,
    filters: PostFilters,
    anchor: date,
    span: str = "month",
    today: date | None = None,
) -> Calendar:
    """The week or month around ``anchor`` (a date in the workspace's zone); every post but
    drafts, placed on its local day."""
    zone = _member_zone(db, user, workspace_id)
    first, last = _window(anchor, span)
    start = datetime.combine(first, time(), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC)
    when = _when()
    query = (
        _filtered(workspace_id, filters, any_tab=True)
        .where(when >= start, when < end)
        .order_by(when, col(Post.id))
        .limit(CALENDAR_CAP + 1)
    )
    rows = list(db.exec(query).all())
    views = _views(db, rows[:CALENDAR_CAP], zone)
    by_day: dict[str, list[PostView]] = {}
    for view in views:
        by_day.setdefault(view.day, []).append(view)
    today = today or datetime.now(zone).date()
    days = [
        CalendarDay(
            date=d.isoformat(),
            day=d.day,
            weekday=d.weekday(),
            month=d.month,
            in_range=span == "week" or d.month == anchor.month,
            is_today=d == today,
            posts=by_day.get(d.isoformat(), []),
        )
        for d in (first + timedelta(days=i) for i in range((last - first).days + 1))
    ]
    return Calendar(
        weeks=[days[i : i + 7] for i in range(0, len(days), 7)],
        days_with_posts=[d for d in days if d.posts],
        anchor=anchor.isoformat(),
        title_month=anchor.month,
        title_year=anchor.year,
        timezone=zone.key,
        truncated=len(rows) > CALENDAR_CAP,
    )


def workspace_zone(db: Session, workspace_id: int) -> ZoneInfo:
    """The workspace's zone; an unknown name (never saved by the app) falls back to UTC."""
    workspace = db.get(Workspace, workspace_id)
    try:
        return ZoneInfo(workspace.timezone if workspace and workspace.timezone else "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def post_views(db: Session, posts: Sequence[Post], zone: ZoneInfo) -> list[PostView]:
    """Posts already read (a campaign's, say) as views, with the same constant statements."""
    return _views(db, posts, zone)


def failure_keys(code: str, platform: str) -> tuple[str, str]:
    """(cause, what to do) catalogue keys for a target's failure code; unknown codes get ours."""
    if not code:
        return "", ""
    try:
        entry = error_catalogue.describe(code, platform)
    except error_catalogue.UnknownErrorCode:
        return UNKNOWN_FAILURE, ""
    return entry.cause_key, entry.what_to_do_key


# -- building blocks ------------------------------------------------------------------------------


def _known_platform(platform: str) -> bool:
    try:
        platform_info(platform)
    except ValueError:
        return False
    return True


def _member_zone(db: Session, user: User | None, workspace_id: int) -> ZoneInfo:
    if user is None or role_in(db, user, workspace_id) is None:
        raise NotFound("workspace.not_found")
    return workspace_zone(db, workspace_id)


def _when() -> Any:
    """A post's place in time: its schedule, else when it went out, else when it was written."""
    return sa.func.coalesce(col(Post.scheduled_at), col(Post.published_at), col(Post.created_at))


def _order(tab: Tab) -> tuple[Any, ...]:
    if tab is Tab.UPCOMING:
        return (_when().asc(), col(Post.id).asc())
    if tab is Tab.DRAFTS:
        return (col(Post.created_at).desc(), col(Post.id).desc())
    return (_when().desc(), col(Post.id).desc())


def _filtered(workspace_id: int, filters: PostFilters, any_tab: bool = False) -> Any:
    """Posts of the workspace in the tab, with a target matching the account/platform filters.
    One EXISTS carries both, so "failed on account X" means X's own target failed."""
    query = select(Post).where(Post.workspace_id == workspace_id)
    if filters.campaign_id:
        query = query.where(Post.campaign_id == filters.campaign_id)
    drafts = filters.tab is Tab.DRAFTS and not any_tab
    query = query.where(
        col(Post.status) == PostStatus.DRAFT.value if drafts else col(Post.status) != PostStatus.DRAFT.value
    )
    statuses = () if drafts or any_tab else _TAB_STATUSES[filters.tab]
    if not (statuses or filters.account_id or filters.platform):
        return query
    target = select(PostTarget.id).where(col(PostTarget.post_id) == col(Post.id))
    if statuses:
        target = target.where(col(PostTarget.status).in_(statuses))
    if filters.account_id:
        target = target.where(PostTarget.account_id == filters.account_id)
    if filters.platform:
        target = target.join(SocialAccount, col(SocialAccount.id) == col(PostTarget.account_id)).where(
            SocialAccount.platform == filters.platform
        )
    return query.where(target.exists())


def _window(anchor: date, span: str) -> tuple[date, date]:
    """First and last day shown: the anchor's Monday-to-Sunday week, or whole weeks covering its month."""
    if span == "week":
        first = anchor - timedelta(days=anchor.weekday())
        return first, first + timedelta(days=6)
    month_start = anchor.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    month_end = next_month - timedelta(days=1)
    return month_start - timedelta(days=month_start.weekday()), month_end + timedelta(days=6 - month_end.weekday())


def _views(db: Session, posts: Sequence[Post], zone: ZoneInfo) -> list[PostView]:
    if not posts:
        return []
    post_ids = [saved_id(p) for p in posts]
    targets = _targets_by_post(db, post_ids)
    campaigns = _names(db, Campaign, {p.campaign_id for p in posts if p.campaign_id})
    first_media = {saved_id(p): m[0] for p in posts if (m := _media_ids(p.media_ids))}
    assets = {
        saved_id(a): a
        for a in (
            db.exec(select(MediaAsset).where(col(MediaAsset.id).in_(set(first_media.values())))).all()
            if first_media
            else []
        )
    }
    views = []
    for post in posts:
        post_id = saved_id(post)
        asset = assets.get(first_media.get(post_id, 0))
        thumbnail, kind = _thumbnail(post, asset)
        local = _local(post, zone)
        text = " ".join(post.text.split())
        statuses = {t.status for t in targets.get(post_id, [])}
        views.append(
            PostView(
                id=post_id,
                excerpt=text[:EXCERPT_CHARS].rstrip() + ("…" if len(text) > EXCERPT_CHARS else ""),
                truncated=len(text) > EXCERPT_CHARS,
                thumbnail_url=thumbnail,
                media_kind=kind,
                campaign_id=post.campaign_id or 0,
                campaign_name=campaigns.get(post.campaign_id or 0, ""),
                status=post.status,
                day=local.date().isoformat() if local else "",
                time=local.strftime("%H:%M") if local else "",
                has_time=local is not None,
                weekday=local.weekday() if local else 0,
                month=local.month if local else 0,
                day_of_month=local.day if local else 0,
                summary=_summary(statuses, post.status),
                deletable=not statuses & SENT,
                targets=targets.get(post_id, []),
            )
        )
    return views


# The first of these a post's targets have decides its colour on the calendar.
_SUMMARY_ORDER = (
    (TargetStatus.FAILED.value, "failed"),
    (TargetStatus.NEEDS_REVIEW.value, "failed"),
    (TargetStatus.BLOCKED.value, "blocked"),
    (TargetStatus.PUBLISHING.value, "publishing"),
    (TargetStatus.SCHEDULED.value, "scheduled"),
    (TargetStatus.PUBLISHED.value, "published"),
)


def _summary(statuses: set[str], post_status: str) -> str:
    return next((summary for status, summary in _SUMMARY_ORDER if status in statuses), post_status)


def _local(post: Post, zone: ZoneInfo) -> datetime | None:
    moment = (
        post.scheduled_at or post.published_at or (None if post.status == PostStatus.DRAFT.value else post.created_at)
    )
    return moment.astimezone(zone) if moment else None


def _media_ids(raw: str) -> list[int]:
    try:
        ids = json.loads(raw or "[]")
    except ValueError:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


_VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm")


def _thumbnail(post: Post, asset: MediaAsset | None) -> tuple[str, str]:
    if asset is not None:
        return (routes.MEDIA_PREFIX + asset.token if asset.kind == "image" else ""), asset.kind
    if post.media_url:
        is_video = post.media_url.split("?", 1)[0].lower().endswith(_VIDEO_SUFFIXES)
        return ("", "video") if is_video else (_web_link(post.media_url), "image")
    return "", ""


def _names(db: Session, table: type[Campaign], ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {saved_id(row): row.name for row in db.exec(select(table).where(col(table.id).in_(wanted))).all()}


def _targets_by_post(db: Session, post_ids: list[int]) -> dict[int, list[TargetView]]:
    rows = db.exec(
        select(PostTarget, SocialAccount)
        .join(SocialAccount, col(SocialAccount.id) == col(PostTarget.account_id))
        .where(col(PostTarget.post_id).in_(post_ids))
        .order_by(col(PostTarget.post_id), col(SocialAccount.platform), col(SocialAccount.name), col(PostTarget.id))
    ).all()
    out: dict[int, list[TargetView]] = {}
    for target, account in rows:
        cause, what = failure_keys(target.failure_code or "", account.platform)
        out.setdefault(target.post_id, []).append(
            TargetView(
                id=saved_id(target),
                account_id=saved_id(account),
                account_name=account.name,
                platform=account.platform,
                status=target.status,
                permalink=_web_link(target.permalink),
                failure_code=target.failure_code or "",
                failure_cause_key=cause,
                failure_what_key=what,
                failure_detail=(target.failure_detail or "")[:300],
                profile_url=_profile_url(account),
            )
        )
    return out


def _web_link(url: str | None) -> str:
    """Only http(s) links reach an href: a platform's answer is not trusted to be one."""
    return url if url and url.lower().startswith(("https://", "http://")) else ""


def _profile_url(account: SocialAccount) -> str:
    try:
        return platform_info(account.platform).profile_link(account.external_id, account.username)
    except ValueError:
        return ""
