"""Comment management rules: who may moderate, what the granted scopes allow per connection,
where a reply goes in a thread, and how the browser's filters are read."""

from __future__ import annotations

import pytest

from socializioz.domain.comment_rules import (
    action_allowed,
    comment_capability,
    has_comment_management,
    may_moderate,
    reply_target,
)
from socializioz.services.comments import CommentFilters

FB_ALL = {"pages_read_engagement", "pages_manage_engagement", "instagram_basic", "instagram_manage_comments"}


@pytest.mark.parametrize(
    ("role", "members_allowed", "expected"),
    [
        ("owner", False, True),
        ("admin", False, True),
        ("member", False, False),
        ("member", True, True),
        (None, True, False),
        ("stranger", True, False),
    ],
)
def test_who_may_moderate(role, members_allowed, expected):
    assert may_moderate(role, members_allowed) is expected


def test_facebook_page_capability_by_scope():
    full = comment_capability("facebook", "facebook_page", FB_ALL)
    assert full.supported and full.read and full.manage and full.like and full.missing_scope == ""
    read_only = comment_capability("facebook", "facebook_page", {"pages_read_engagement"})
    assert read_only.read and not read_only.manage and not read_only.like
    assert read_only.missing_scope == "pages_manage_engagement"
    nothing = comment_capability("facebook", "facebook_page", set())
    assert nothing.missing_scope == "pages_read_engagement"


def test_instagram_capability_per_connection():
    linked = comment_capability("instagram", "facebook_page", FB_ALL - {"instagram_manage_comments"})
    assert linked.read and not linked.manage and linked.missing_scope == "instagram_manage_comments"
    assert comment_capability("instagram", "facebook_page", FB_ALL).manage
    login = comment_capability("instagram", "instagram_login", {"instagram_business_manage_comments"})
    assert login.manage and not login.like  # Instagram has no like as the account
    assert comment_capability("instagram", "instagram_login", {"instagram_business_basic"}).missing_scope == (
        "instagram_business_manage_comments"
    )


@pytest.mark.parametrize(
    ("platform", "method"), [("tiktok", "oauth"), ("x", "oauth"), ("linkedin", "oauth"), ("instagram", "legacy")]
)
def test_other_platforms_have_no_comment_management(platform, method):
    assert not has_comment_management(platform, method)
    assert not comment_capability(platform, method, FB_ALL).supported


def test_actions_follow_the_capability():
    fb = comment_capability("facebook", "facebook_page", FB_ALL)
    ig = comment_capability("instagram", "instagram_login", {"instagram_business_manage_comments"})
    assert all(action_allowed(a, fb) for a in ("reply", "hide", "unhide", "delete", "like", "unlike"))
    assert action_allowed("hide", ig) and not action_allowed("like", ig)
    assert not action_allowed("pin", fb)
    assert not action_allowed("hide", comment_capability("facebook", "facebook_page", {"pages_read_engagement"}))


def test_reply_goes_to_the_top_level_comment():
    assert reply_target("c1", None) == "c1"
    assert reply_target("c2", "c1") == "c1"  # answering a reply answers its thread


def test_filters_from_the_browser():
    assert CommentFilters.parse("unanswered", "12", " 1111_2 ") == CommentFilters("unanswered", 12, "1111_2")
    assert CommentFilters.parse("everything", "-3", "") == CommentFilters("all", 0, "")
    assert CommentFilters.parse("hidden", "9" * 20, "x" * 500).account_id == 0
    assert len(CommentFilters.parse("", "", "x" * 500).post_id) == 128
