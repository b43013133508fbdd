"""Insights endpoints of the five platforms (reference/analytics.md), generated but plausible.

Every number is a pure function of an owner or post id, a UTC day and the posts the sandbox holds,
so every worker and every rerun agrees:
  * an account grows steadily from its seeded size, counted from the day the world was seeded
    (``followers_on``; stored once, so a day's value never depends on when it is asked), and its
    daily views, reach and engagement follow a weekly rhythm (quieter weekends), plus what its posts
    gained that day;
  * a post's counters rise after publication and plateau (``post_counters``: 1 − e^(−age/τ)), so a
    post published through the sandbox later adds to its owner's days from then on;
  * comments are the post's real comment list, never invented.
Limits are the platforms' own: the valid metric names of 2026 as a table (a deprecated one, such as
``page_impressions`` or ``impressions``, is refused with Graph error 100 as Meta does), the since/until
spans (Facebook 90 days, Instagram 30), retention (Instagram 90 days, LinkedIn member 60), missing
scopes, and a per-owner call budget answered with each platform's rate-limit error.

Fault keys: facebook.insights, instagram.insights, linkedin.analytics, linkedin.followers.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .common import Handler, authenticate
from .seed import Post
from .shapes import graph_error, linkedin_error
from .state import SandboxState, Token

DAY = 86400
POST_TAU_DAYS = 1.5  # a post earns ~half its views in its first day, ~all within a week
WEEKDAY_RHYTHM = (1.0, 1.06, 1.1, 1.04, 0.97, 0.74, 0.69)  # Monday..Sunday
FACEBOOK_SPAN_DAYS, INSTAGRAM_SPAN_DAYS = 90, 30
INSTAGRAM_RETENTION_DAYS, FACEBOOK_RETENTION_DAYS, LINKEDIN_RETENTION_DAYS = 90, 730, 60
# Calls per owner and hour (UNVERIFIED: Meta's BUC and LinkedIn's quotas are not published numbers).
HOURLY_BUDGET = {"facebook": 600, "instagram": 600, "linkedin": 600}

FACEBOOK_PAGE_METRICS = frozenset(
    {
        "page_media_view",
        "page_total_media_view_unique",
        "page_post_engagements",
        "page_follows",
        "page_daily_follows",
        "page_daily_follows_unique",
        "page_daily_unfollows_unique",
        "page_views_total",
        "page_video_views",
        "page_total_actions",
    }
)
FACEBOOK_POST_METRICS = frozenset(
    {"post_media_view", "post_total_media_view_unique", "post_clicks", "post_reactions_by_type_total"}
)
INSTAGRAM_ACCOUNT_METRICS = frozenset(
    {"reach", "views", "accounts_engaged", "total_interactions", "likes", "comments", "shares", "saves"}
)
INSTAGRAM_SERIES_METRICS = frozenset({"reach"})  # the others are total_value only (§2.2)
INSTAGRAM_MEDIA_METRICS = frozenset({"views", "reach", "likes", "comments", "saved", "shares", "total_interactions"})
LINKEDIN_QUERY_TYPES = frozenset({"IMPRESSION", "MEMBERS_REACHED", "REACTION", "COMMENT", "RESHARE"})


# -- the generated world -----------------------------------------------------------------------------


def _unit(*parts: object) -> float:
    """A stable pseudo-random number in [0, 1) for the given parts."""
    return zlib.crc32("|".join(map(str, parts)).encode()) / 2**32


@dataclass(frozen=True)
class Counters:
    views: int
    reach: int
    likes: int
    comments: int
    shares: int
    saves: int

    @property
    def interactions(self) -> int:
        return self.likes + self.comments + self.shares + self.saves


def _plateau(post: Post, audience: int) -> float:
    return (audience * 0.6 + 150) * (0.5 + _unit(post.id, "views"))


def post_counters(post: Post, at: float, audience: int) -> Counters:
    """A post's lifetime counters at time ``at``: they rise after publication, then plateau."""
    age_days = max(at - post.created, 0.0) / DAY
    views = int(_plateau(post, audience) * (1 - math.exp(-age_days / POST_TAU_DAYS)))
    return Counters(
        views=views,
        reach=int(views * (0.62 + 0.1 * _unit(post.id, "reach"))),
        likes=int(views * (0.03 + 0.03 * _unit(post.id, "likes"))),
        comments=len(post.comment_list) if at >= post.created else 0,
        shares=int(views * 0.004 * (1 + _unit(post.id, "shares"))),
        saves=int(views * 0.006 * (1 + _unit(post.id, "saves"))),
    )


def audience(st: SandboxState, owner_id: str) -> int:
    """The follower count an owner was seeded with (Pages, linked Instagram, personas)."""
    if owner_id in st.pages:
        return st.pages[owner_id].followers
    if owner_id in st.linked_instagram:
        return st.linked_instagram[owner_id].followers
    persona = next((p for p in st.personas.values() if p.external_id == owner_id), None)
    base = persona.followers if persona else 0
    return base or 150 + int(300 * _unit(owner_id, "base"))  # LinkedIn members are seeded without a count


def _seed_day(st: SandboxState) -> date:
    return datetime.fromtimestamp(st.seed_epoch(), UTC).date()


def followers_on(st: SandboxState, owner_id: str, day: date) -> int:
    """Steady growth through the seeded count on the seed day; the same answer for a day whenever asked."""
    base, n = audience(st, owner_id), (day - _seed_day(st)).days
    return max(base // 3, base + int(base * 0.0012 * n + 0.4 * n))


def followers_now(st: SandboxState, owner_id: str) -> int:
    return followers_on(st, owner_id, _today(st))


def _today(st: SandboxState) -> date:
    return datetime.fromtimestamp(st.now(), UTC).date()


def _epoch(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


@dataclass(frozen=True)
class Day:
    """An owner's account-level values for one UTC day."""

    views: int
    reach: int
    engaged: int
    interactions: int
    likes: int
    comments: int
    shares: int
    saves: int
    followers: int
    new_followers: int


def account_day(st: SandboxState, owner_id: str, day: date, posts: list[Post]) -> Day:
    """The organic baseline of the day (weekly rhythm) plus what each post gained during it."""
    size, n = audience(st, owner_id), (day - _seed_day(st)).days
    rhythm = WEEKDAY_RHYTHM[day.weekday()] * (0.9 + 0.2 * _unit(owner_id, day))
    base_views = int((size * 0.25 + 40) * (1 + 0.001 * n) * rhythm)
    start, end = _epoch(day), _epoch(day) + DAY
    gained = [_minus(post_counters(p, end, size), post_counters(p, start, size)) for p in posts if p.created < end]
    views = base_views + sum(g.views for g in gained)
    likes = int(base_views * 0.02) + sum(g.likes for g in gained)
    comments = sum(g.comments for g in gained)
    shares = sum(g.shares for g in gained)
    saves = sum(g.saves for g in gained)
    followers = followers_on(st, owner_id, day)
    return Day(
        views=views,
        reach=int(views * (0.58 + 0.08 * _unit(owner_id, day, "reach"))),
        engaged=int((likes + comments + shares) * 0.8),
        interactions=likes + comments + shares + saves,
        likes=likes,
        comments=comments,
        shares=shares,
        saves=saves,
        followers=followers,
        new_followers=followers - followers_on(st, owner_id, day - timedelta(days=1)),
    )


def _minus(a: Counters, b: Counters) -> Counters:
    return Counters(
        a.views - b.views,
        a.reach - b.reach,
        a.likes - b.likes,
        a.comments - b.comments,
        a.shares - b.shares,
        a.saves - b.saves,
    )


# -- request helpers ---------------------------------------------------------------------------------


def _days_between(st: SandboxState, since: date, until_exclusive: date, retention: int) -> list[date]:
    """Complete days of the window the platform still keeps (today is not complete yet)."""
    today = _today(st)
    first = max(since, today - timedelta(days=retention))
    last = min(until_exclusive, today)
    return [first + timedelta(days=k) for k in range((last - first).days)]


def _graph_window(request: Request, st: SandboxState, max_span: int) -> tuple[date, date] | Response:
    """``since``/``until`` (Unix seconds or dates) → (since, until exclusive) or Graph's error."""
    q = request.query_params
    try:
        since = _graph_date(q.get("since")) or _today(st) - timedelta(days=2)
        until = _graph_date(q.get("until")) or _today(st)
    except ValueError:
        return graph_error(100, "(#100) The since and until parameters must be valid dates or Unix timestamps")
    if until <= since:
        return graph_error(100, "(#100) The since parameter must be before the until parameter")
    if (until - since).days > max_span:
        return graph_error(
            100, f"(#100) There cannot be more than {max_span} days between the since and until parameters"
        )
    return since, until


def _graph_date(value: str | None) -> date | None:
    if not value:
        return None
    if value.isdigit():
        return datetime.fromtimestamp(int(value), UTC).date()
    return date.fromisoformat(value[:10])


def _end_time(day: date) -> str:
    """Graph's bucket end: the next day's Pacific midnight written in UTC (analytics.md §1.4)."""
    return f"{(day + timedelta(days=1)).isoformat()}T07:00:00+0000"


def _metric_names(request: Request) -> list[str]:
    return [m.strip() for m in request.query_params.get("metric", "").split(",") if m.strip()]


def _over_budget(st: SandboxState, platform: str, owner_id: str) -> bool:
    count, _ = st.count_call(platform, f"insights:{owner_id}", 3600)
    return count > HOURLY_BUDGET[platform]


def _meta_rate_limited(platform: str) -> Response:
    if platform == "facebook":
        return graph_error(
            80001, "(#80001) There have been too many calls to this Page account. Wait a bit and try again."
        )
    return graph_error(4, "Application request limit reached")


def _invalid_facebook_metric() -> Response:
    return graph_error(100, "(#100) The value must be a valid insights metric")


def _invalid_instagram_metric(index: int, valid: frozenset[str]) -> Response:
    return graph_error(100, f"(#100) metric[{index}] must be one of the following values: {', '.join(sorted(valid))}")


def _meta_scopes(token: Token, *scopes: str) -> Response | None:
    missing = next((s for s in scopes if s not in token.scopes), None)
    return graph_error(10, f"(#10) Requires {missing} permission", status=403) if missing else None


def _meta_no_object(node: str) -> Response:
    return graph_error(
        100,
        f"Unsupported get request. Object with ID '{node}' does not exist, cannot be loaded due to missing "
        "permissions, or does not support this operation.",
        33,
    )


# -- graph.facebook.com /{node}/insights --------------------------------------------------------------


@dataclass(frozen=True)
class GraphAccess:
    """The Graph emulator's own rules (``meta.py``), handed in so this module does not import it."""

    path: Callable[[Request], list[str]]
    page_access: Callable[[SandboxState, Token, str], bool]
    ig_access: Callable[[SandboxState, Token, str], bool]
    ig_owner: Callable[[SandboxState, Token, str], str | None]


def facebook_insights(access: GraphAccess) -> Handler:
    """``/{node}/insights`` on graph.facebook.com: a Page's, a Page post's, a linked Instagram
    account's or its media's insights."""

    async def handler(request: Request, st: SandboxState) -> Response:
        token = authenticate(request, st, "facebook")
        if isinstance(token, Response):
            return token
        node = access.path(request)[0]
        page_scopes = ("pages_read_engagement", "read_insights")
        ig_scopes = ("instagram_basic", "pages_read_engagement", "instagram_manage_insights")
        if node in st.pages and access.page_access(st, token, node):
            problem = _limited(st, "facebook", node) or _meta_scopes(token, *page_scopes)
            return problem or _page_insights(request, st, node)
        if access.ig_access(st, token, node):
            problem = _limited(st, "instagram", node) or _meta_scopes(token, *ig_scopes)
            return problem or _instagram_account(request, st, node)
        post = st.post(node)
        if post and post.owner_id in st.pages and access.page_access(st, token, post.owner_id):
            return _meta_scopes(token, *page_scopes) or _facebook_post(request, st, post)
        if post and access.ig_access(st, token, post.owner_id):
            return _meta_scopes(token, *ig_scopes) or _instagram_media(request, st, post)
        return _meta_no_object(node)

    return handler


def _limited(st: SandboxState, platform: str, owner_id: str) -> Response | None:
    return _meta_rate_limited(platform) if _over_budget(st, platform, owner_id) else None


def _page_insights(request: Request, st: SandboxState, page_id: str) -> Response:
    names = _metric_names(request)
    if not names or any(m not in FACEBOOK_PAGE_METRICS for m in names):
        return _invalid_facebook_metric()  # one bad name fails the whole call (§1.1)
    if request.query_params.get("period", "day") != "day":
        return graph_error(100, "(#100) This sandbox answers period=day only")
    window = _graph_window(request, st, FACEBOOK_SPAN_DAYS)
    if isinstance(window, Response):
        return window
    posts = st.posts_of(page_id)
    days = {d: account_day(st, page_id, d, posts) for d in _days_between(st, *window, FACEBOOK_RETENTION_DAYS)}
    pick: dict[str, Callable[[Day], int]] = {
        "page_media_view": lambda v: v.views,
        "page_total_media_view_unique": lambda v: v.reach,
        "page_post_engagements": lambda v: v.interactions,
        "page_follows": lambda v: v.followers,
        "page_daily_follows": lambda v: v.new_followers,
        "page_daily_follows_unique": lambda v: v.new_followers,
        "page_daily_unfollows_unique": lambda v: 0,
        "page_views_total": lambda v: v.views // 20,
        "page_video_views": lambda v: v.views // 3,
        "page_total_actions": lambda v: v.views // 200,
    }
    data = [
        {
            "name": name,
            "period": "day",
            "values": [{"value": pick[name](v), "end_time": _end_time(d)} for d, v in days.items()],
            "title": name,
            "id": f"{page_id}/insights/{name}/day",
        }
        for name in names
    ]
    return JSONResponse({"data": data, "paging": {}})


def _facebook_post(request: Request, st: SandboxState, post: Post) -> Response:
    names = _metric_names(request)
    if not names or any(m not in FACEBOOK_POST_METRICS for m in names):
        return _invalid_facebook_metric()
    c = post_counters(post, st.now(), audience(st, post.owner_id))
    values: dict[str, object] = {
        "post_media_view": c.views,
        "post_total_media_view_unique": c.reach,
        "post_clicks": c.views // 40,
        "post_reactions_by_type_total": {"like": c.likes - c.likes // 5, "love": c.likes // 5},
    }
    return JSONResponse({"data": [_lifetime(post.id, name, values[name]) for name in names]})


def _lifetime(node: str, name: str, value: object) -> dict[str, object]:
    return {
        "name": name,
        "period": "lifetime",
        "values": [{"value": value}],
        "title": name,
        "id": f"{node}/insights/{name}/lifetime",
    }


# -- Instagram (graph.instagram.com, and a Page-linked account on graph.facebook.com) -------------------


def instagram_insights(access: GraphAccess) -> Handler:
    """``/{ig-user-id}/insights`` and ``/{ig-media-id}/insights`` with an Instagram Login token."""

    async def handler(request: Request, st: SandboxState) -> Response:
        token = authenticate(request, st, "instagram", "instagram_business_basic")
        if isinstance(token, Response):
            return token
        node = access.path(request)[0]
        owner = access.ig_owner(st, token, node)
        if owner is not None:
            problem = _limited(st, "instagram", owner) or _meta_scopes(token, "instagram_business_manage_insights")
            return problem or _instagram_account(request, st, owner)
        post = st.post(node)
        if post and post.owner_id == st.personas[token.persona_id].external_id:
            return _meta_scopes(token, "instagram_business_manage_insights") or _instagram_media(request, st, post)
        return graph_error(100, "Unsupported get request.", 33)

    return handler


def _instagram_account(request: Request, st: SandboxState, owner_id: str) -> Response:
    names = _metric_names(request)
    bad = next((i for i, m in enumerate(names) if m not in INSTAGRAM_ACCOUNT_METRICS), None)
    if not names or bad is not None:
        return _invalid_instagram_metric(bad or 0, INSTAGRAM_ACCOUNT_METRICS)
    series = request.query_params.get("metric_type", "time_series") == "time_series"
    totals_only = [m for m in names if m not in INSTAGRAM_SERIES_METRICS]
    if series and totals_only:
        return graph_error(
            100,
            f"(#100) The following metrics ({', '.join(totals_only)}) should be specified with parameter "
            "metric_type=total_value",
        )
    window = _graph_window(request, st, INSTAGRAM_SPAN_DAYS)
    if isinstance(window, Response):
        return window
    posts = st.posts_of(owner_id)
    days = {d: account_day(st, owner_id, d, posts) for d in _days_between(st, *window, INSTAGRAM_RETENTION_DAYS)}
    if not days:
        return JSONResponse({"data": []})  # "empty data set instead of 0" (§2.2)
    pick: dict[str, Callable[[Day], int]] = {
        "reach": lambda v: v.reach,
        "views": lambda v: v.views,
        "accounts_engaged": lambda v: v.engaged,
        "total_interactions": lambda v: v.interactions,
        "likes": lambda v: v.likes,
        "comments": lambda v: v.comments,
        "shares": lambda v: v.shares,
        "saves": lambda v: v.saves,
    }
    data: list[dict[str, object]] = []
    for name in names:
        row: dict[str, object] = {"name": name, "period": "day", "title": name, "id": f"{owner_id}/insights/{name}/day"}
        if series:
            row["values"] = [{"value": pick[name](v), "end_time": _end_time(d)} for d, v in days.items()]
        else:
            row["total_value"] = {"value": sum(pick[name](v) for v in days.values())}
        data.append(row)
    return JSONResponse({"data": data})


def _instagram_media(request: Request, st: SandboxState, post: Post) -> Response:
    names = _metric_names(request)
    bad = next((i for i, m in enumerate(names) if m not in INSTAGRAM_MEDIA_METRICS), None)
    if not names or bad is not None:
        return _invalid_instagram_metric(bad or 0, INSTAGRAM_MEDIA_METRICS)
    if st.now() - post.created < 3600:
        return graph_error(10, "(#10) Not enough viewers for the media to show insights")
    c = post_counters(post, st.now(), audience(st, post.owner_id))
    values = {
        "views": c.views,
        "reach": c.reach,
        "likes": c.likes,
        "comments": c.comments,
        "saved": c.saves,
        "shares": c.shares,
        "total_interactions": c.interactions,
    }
    return JSONResponse({"data": [_lifetime(post.id, name, values[name]) for name in names]})


# -- LinkedIn member analytics (api.linkedin.com/rest) --------------------------------------------------

_RESTLI_DAY = re.compile(r"\(day:(\d+),month:(\d+),year:(\d+)\)")
_ENTITY = re.compile(r"^\((share|ugc):(.+)\)$")


def _linkedin_token(request: Request, st: SandboxState, scope: str) -> Token | Response:
    if not request.headers.get("linkedin-version"):
        return linkedin_error(426, 426, "NONEXISTENT_VERSION", "Requested version  is not active")
    token = authenticate(request, st, "linkedin", scope, kinds=("access",))
    if isinstance(token, Response):
        return token
    count, _ = st.count_call("linkedin", f"insights:{token.persona_id}", 3600)
    if count > HOURLY_BUDGET["linkedin"]:
        return linkedin_error(429, 429, "TOO_MANY_REQUESTS", "Resource level throttle limit reached")
    return token


async def member_followers(request: Request, st: SandboxState) -> Response:
    """``GET /rest/memberFollowersCount?q=me`` (r_member_profileAnalytics)."""
    token = _linkedin_token(request, st, "r_member_profileAnalytics")
    if isinstance(token, Response):
        return token
    if request.query_params.get("q") != "me":
        return linkedin_error(400, 100, "ILLEGAL_ARGUMENT", "This sandbox answers q=me only")
    owner = st.personas[token.persona_id].external_id
    return JSONResponse({"elements": [{"memberFollowersCount": followers_now(st, owner)}], "paging": {"start": 0}})


async def member_post_analytics(request: Request, st: SandboxState) -> Response:
    """``GET /rest/memberCreatorPostAnalytics`` (r_member_postAnalytics): one metric per call, for all
    the member's posts (``q=me``) or one (``q=entity``), in total or per day."""
    token = _linkedin_token(request, st, "r_member_postAnalytics")
    if isinstance(token, Response):
        return token
    q = request.query_params
    query_type, aggregation = q.get("queryType", ""), q.get("aggregation", "TOTAL")
    if query_type not in LINKEDIN_QUERY_TYPES or aggregation not in ("TOTAL", "DAILY"):
        return linkedin_error(400, 100, "ILLEGAL_ARGUMENT", f"Invalid queryType or aggregation: {query_type}")
    owner = st.personas[token.persona_id].external_id
    if q.get("q") == "entity":
        match = _ENTITY.match(q.get("entity", ""))
        post = st.post(match.group(2)) if match else None
        if post is None or post.owner_id != owner:
            return linkedin_error(403, 100, "ACCESS_DENIED", "Not enough permissions to access this entity")
        posts = [post]
    elif q.get("q") == "me":
        posts = st.posts_of(owner)
    else:
        return linkedin_error(400, 100, "ILLEGAL_ARGUMENT", "q must be me or entity")
    picks: dict[str, Callable[[Counters], int]] = {
        "IMPRESSION": lambda c: c.views,
        "MEMBERS_REACHED": lambda c: c.reach,
        "REACTION": lambda c: c.likes,
        "COMMENT": lambda c: c.comments,
        "RESHARE": lambda c: c.shares,
    }
    pick = picks[query_type]
    size = audience(st, owner)
    if aggregation == "TOTAL":
        value = sum(pick(post_counters(p, st.now(), size)) for p in posts)
        return JSONResponse({"elements": [_member_element(value, query_type, posts, None)], "paging": {"start": 0}})
    span = _restli_range(q.get("dateRange", ""))
    if span is None:
        return linkedin_error(400, 100, "ILLEGAL_ARGUMENT", "dateRange is required for DAILY aggregation")
    elements = []
    for day in _days_between(st, span[0], span[1] + timedelta(days=1), LINKEDIN_RETENTION_DAYS):
        start, end = _epoch(day), _epoch(day) + DAY
        value = sum(pick(post_counters(p, end, size)) - pick(post_counters(p, start, size)) for p in posts)
        elements.append(_member_element(value, query_type, posts, day))
    return JSONResponse({"elements": elements, "paging": {"start": 0, "count": len(elements)}})


def _member_element(value: int, query_type: str, posts: list[Post], day: date | None) -> dict[str, object]:
    element: dict[str, object] = {"value": value, "metricType": query_type}
    if len(posts) == 1:
        element["targetEntity"] = {"share": posts[0].id}
    if day is not None:
        part = {"day": day.day, "month": day.month, "year": day.year}
        element["dateRange"] = {"start": part, "end": part}
    return element


def _restli_range(raw: str) -> tuple[date, date] | None:
    found = _RESTLI_DAY.findall(raw)
    if len(found) != 2:
        return None
    try:
        start, end = (date(int(y), int(m), int(d)) for d, m, y in found)
    except ValueError:
        return None
    return (start, end) if start <= end else None


# -- the counters the other endpoints show (TikTok videos, X posts) ---------------------------------


def live_counters(st: SandboxState, post: Post) -> Mapping[str, int]:
    """A post's counters now, for endpoints that show them as plain fields."""
    c = post_counters(post, st.now(), audience(st, post.owner_id))
    return {"views": c.views, "likes": c.likes, "comments": c.comments, "shares": c.shares, "saves": c.saves}
