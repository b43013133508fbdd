"""The domain tables equal the spec's tables, read from the spec text itself (docs/spec-connections.txt)."""

from __future__ import annotations

import re
from pathlib import Path

from socializioz.domain.health import NEEDS_RECONNECT_STATUSES
from socializioz.domain.plans import Plan
from socializioz.domain.platforms import PLATFORMS, REQUIRED_META_SCOPES, Availability, Capability, Platform

SPEC = (Path(__file__).resolve().parents[2] / "docs" / "spec-connections.txt").read_text()
PLAN_WORDS = {Plan.FREE: "All plans", Plan.PROFESSIONAL: "Professional and above", Plan.ENTERPRISE: "Enterprise only"}
STATUS_WORDS = {Availability.AVAILABLE: "Available", Availability.COMING_SOON: "Coming soon"}
CAPABILITY_ROWS = {
    Capability.PUBLISH: "Publish and schedule posts",
    Capability.POST_FEED: "View post feed in account details",
    Capability.COMMENT_PREVIEWS: "Inline comment previews",
    Capability.ENGAGEMENT_STATS: "Engagement stats (reactions, comments, shares)",
    Capability.REFRESH_CONTENT: "Refresh and sync content",
    Capability.COMMENT_MANAGEMENT: "Comment management",
    Capability.DIRECT_MESSAGES: "Direct messages (inbox)",
    Capability.ANALYTICS: "Analytics and metrics",
}
CAPABILITY_COLUMNS = (Platform.FACEBOOK, Platform.INSTAGRAM, Platform.TIKTOK, Platform.X, Platform.LINKEDIN)


def _table_rows(header: str) -> list[str]:
    lines = SPEC.splitlines()
    start = lines.index(header) + 1
    rows = []
    for line in lines[start:]:
        if not line.strip() or line.startswith(("Image", "When ", "For ", "The ")):
            break
        rows.append(line)
    return rows


def test_supported_platforms_table():
    rows = _table_rows("PlatformPlan availabilityStatus")
    expected = [
        f"{info.display_name}{PLAN_WORDS[info.minimum_plan]}{STATUS_WORDS[info.availability]}"
        for info in PLATFORMS.values()
    ]
    assert rows == expected


def test_capability_table():
    rows = _table_rows("CapabilityFacebookInstagramTikTokX (Twitter)LinkedIn")
    expected = [
        label + "".join("Yes" if cap in PLATFORMS[p].capabilities else "No" for p in CAPABILITY_COLUMNS)
        for cap, label in CAPABILITY_ROWS.items()
    ]
    assert rows == expected


def test_plan_limits_table():
    rows = _table_rows("PlanAccount limit")
    expected = [f"{plan.value.title()}{plan.account_limit if plan.account_limit else 'Unlimited'}" for plan in Plan]
    assert rows == expected


def test_required_meta_scopes():
    sentence = re.search(r"The seven required scopes are: (.+?)\. If", SPEC).group(1)
    assert tuple(re.findall(r"[a-z_]+(?=,|$)", sentence.replace(", and ", ", "))) == REQUIRED_META_SCOPES


def test_needs_reconnect_statuses():
    sentence = re.search(r"The account status is (.+?)\n", SPEC).group(1)
    assert set(re.findall(r"[a-z_]+", sentence.replace(" or ", ", "))) == set(NEEDS_RECONNECT_STATUSES)
