"""The analytics page as CSV: exactly the daily series and the top posts it shows, with headers in
the user's language. Values stay plain (ISO dates, integers without separators) so a spreadsheet
reads them as numbers whatever its locale."""

from __future__ import annotations

import csv
import io

from socializioz.domain.platforms import PLATFORMS, Platform
from socializioz.i18n import translate
from socializioz.services.analytics_view import AnalyticsView

# A byte-order mark: spreadsheet programs then read the file (and Arabic headers) as UTF-8.
BOM = "\ufeff"
METRIC_HEADERS = {
    "followers": "analytics.metric.followers",
    "reach": "analytics.metric.reach",
    "views": "analytics.metric.views",
    "engagement": "analytics.metric.engagement",
    "posts": "analytics.metric.posts",
}
POST_HEADERS = (
    "analytics.col.published",
    "analytics.col.platform",
    "analytics.col.account",
    "analytics.col.caption",
    "analytics.col.likes",
    "analytics.col.comments",
    "analytics.col.shares",
    "analytics.metric.views",
    "analytics.metric.engagement",
    "analytics.col.link",
)


def filename(view: AnalyticsView) -> str:
    return f"analytics-{view.range.start.isoformat()}-{view.range.end.isoformat()}.csv"


def export_csv(view: AnalyticsView, lang: str) -> str:
    """Two tables one after the other, separated by an empty line: the days, then the top posts."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    metrics = [m for m in view.series if m in METRIC_HEADERS]
    writer.writerow([translate(lang, "analytics.col.date"), *(translate(lang, METRIC_HEADERS[m]) for m in metrics)])
    for i, day in enumerate(view.days):
        writer.writerow([day.isoformat(), *("" if view.series[m][i] is None else view.series[m][i] for m in metrics)])
    writer.writerow([])
    writer.writerow([translate(lang, key) for key in POST_HEADERS])
    for post in view.top_posts:
        writer.writerow(
            [
                post.published.isoformat() if post.published else "",
                platform_name(post.platform),
                _cell(post.account_name),
                _cell(post.caption),
                post.likes,
                post.comments,
                post.shares,
                post.views,
                post.engagement,
                post.permalink,
            ]
        )
    return BOM + out.getvalue()


def platform_name(platform: str) -> str:
    try:
        return PLATFORMS[Platform(platform)].display_name
    except ValueError:
        return platform


def _cell(text: str) -> str:
    """A caption starting with = + - @ would run as a formula in a spreadsheet: quote it."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
