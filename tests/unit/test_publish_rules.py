"""The publisher's rules as plain functions: backoff, which failure may already have posted, the
catalogue code a failure is shown with, a post's status from its targets, and publish capability
over every platform record (spec: "Publish capability", IG_DIRECT_NOT_PUBLISHABLE)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from socializioz.domain.account_rules import publish_block_code, publish_capable
from socializioz.domain.errors import ErrorKind, ProviderError, Unsupported, lookup
from socializioz.domain.platforms import CONNECTABLE_PLATFORMS, PLATFORMS, Capability, Platform, platform_info
from socializioz.domain.publishing import (
    ACCOUNT_DISCONNECTED,
    MAX_ATTEMPTS,
    OUTCOME_UNKNOWN,
    PostStatus,
    failure_code,
    may_have_posted,
    post_status,
    retry_delay,
)

# -- backoff ---------------------------------------------------------------------------------


def test_backoff_doubles_from_30_seconds():
    assert [retry_delay(n) for n in range(1, MAX_ATTEMPTS)] == [
        timedelta(seconds=30),
        timedelta(seconds=60),
        timedelta(seconds=120),
        timedelta(seconds=240),
    ]


def test_backoff_gives_up_at_the_limit():
    assert retry_delay(MAX_ATTEMPTS) is None and retry_delay(MAX_ATTEMPTS + 3, 10) is None


def test_the_platforms_reset_time_wins_when_it_is_later():
    assert retry_delay(1, 900) == timedelta(seconds=900)
    assert retry_delay(1, 86_400) == timedelta(days=1)  # Instagram's 24-hour quota window, not our cap
    assert retry_delay(3, 5) == timedelta(seconds=120)  # an earlier reset does not shorten the backoff
    assert retry_delay(1, 0) == timedelta(seconds=30)


# -- which failures may have posted --------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "posted"),
    [
        (ProviderError(ErrorKind.TEMPORARY, "provider_unavailable", "x", detail="timeout"), True),
        (ProviderError(ErrorKind.TEMPORARY, "provider_unavailable", "x", status=502), True),
        (None, True),  # an unexpected fault mid-call
        (ProviderError(ErrorKind.TEMPORARY, "rate_limited", "x", status=429), False),
        (ProviderError(ErrorKind.TEMPORARY, "provider_unavailable", "x", status=429), False),
        (ProviderError(ErrorKind.NEEDS_RECONNECT, "token_invalid", "x", status=401), False),
        (ProviderError(ErrorKind.REJECTED_CONTENT, "content_rejected", "x", status=400), False),
        (ProviderError(ErrorKind.MISSING_PERMISSION, "scope_not_granted", "x", status=403), False),
    ],
)
def test_only_a_lost_answer_may_have_posted(error, posted):
    assert may_have_posted(error) is posted


# -- catalogue codes -------------------------------------------------------------------------


def test_a_failure_keeps_the_platforms_code_when_the_catalogue_explains_it():
    error = ProviderError(ErrorKind.MISSING_PERMISSION, "missing_pages_manage_posts", "facebook")
    assert failure_code(error) == "missing_pages_manage_posts"


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (ErrorKind.TEMPORARY, "provider_unavailable"),
        (ErrorKind.NEEDS_RECONNECT, "token_invalid"),
        (ErrorKind.MISSING_PERMISSION, "scope_not_granted"),
        (ErrorKind.REJECTED_CONTENT, "content_rejected"),
        (ErrorKind.UNSUPPORTED, "capability_not_supported"),
    ],
)
def test_an_unexplained_code_falls_back_to_its_kinds(kind, code):
    assert failure_code(ProviderError(kind, "x_error_187_duplicate", "x")) == code


def test_every_code_the_publisher_stores_is_in_the_catalogue():
    for code in (ACCOUNT_DISCONNECTED, OUTCOME_UNKNOWN, failure_code(Unsupported("x", "publish"))):
        assert lookup(code, "x") is not None


# -- a post's status -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("targets", "status"),
    [
        ([], PostStatus.DRAFT),
        (["draft", "draft"], PostStatus.DRAFT),
        (["scheduled", "published"], PostStatus.SCHEDULED),
        (["publishing", "failed"], PostStatus.SCHEDULED),
        (["blocked", "published"], PostStatus.SCHEDULED),  # a reconnect releases it
        (["published", "published"], PostStatus.PUBLISHED),
        (["published", "failed"], PostStatus.PARTLY_FAILED),
        (["published", "needs_review"], PostStatus.PARTLY_FAILED),
        (["failed", "needs_review"], PostStatus.FAILED),
        (["failed"], PostStatus.FAILED),
    ],
)
def test_a_posts_status_follows_its_targets(targets, status):
    assert post_status(targets) is status


# -- publish capability over the platform records --------------------------------------------------

_PUBLISHING = [p for p in CONNECTABLE_PLATFORMS if platform_info(p).supports(Capability.PUBLISH)]
_CONNECTIONS = [(p.value, spec) for p in _PUBLISHING for spec in platform_info(p).connections]


@pytest.mark.parametrize(("platform", "spec"), _CONNECTIONS, ids=lambda v: getattr(v, "label", v))
def test_each_publish_scope_of_each_connection_is_enough_on_its_own(platform, spec):
    assert spec.publish_scopes, f"{platform} {spec.label} names no publish scope"
    for scope in spec.publish_scopes:
        assert publish_capable(platform, spec.method.value, ["some.other.scope", scope])


@pytest.mark.parametrize(("platform", "spec"), _CONNECTIONS, ids=lambda v: getattr(v, "label", v))
def test_without_a_publish_scope_an_account_cannot_publish_and_says_why(platform, spec):
    others = [s for s in spec.consent_scopes + spec.debug_scopes if s not in spec.publish_scopes]
    code = publish_block_code(platform, spec.method.value, others)
    assert code and lookup(code, platform) is not None
    assert not publish_capable(platform, spec.method.value, others)


@pytest.mark.parametrize(
    ("platform", "method", "scopes"),
    [
        ("facebook", "facebook_page", ["pages_manage_posts"]),
        ("instagram", "instagram_login", ["instagram_business_content_publish"]),
        ("instagram", "facebook_page", ["instagram_content_publish"]),
        ("tiktok", "oauth", ["video.publish"]),
        ("tiktok", "oauth", ["video.upload"]),  # upload to the creator's inbox
        ("x", "oauth", ["tweet.write"]),
        ("linkedin", "oauth", ["w_member_social"]),
        ("linkedin", "oauth", ["w_organization_social"]),
    ],
)
def test_the_issues_publish_scopes(platform, method, scopes):
    assert publish_capable(platform, method, scopes)


@pytest.mark.parametrize(
    ("platform", "method", "scopes", "code"),
    [
        ("facebook", "facebook_page", ["pages_show_list"], "missing_pages_manage_posts"),
        ("instagram", "instagram_login", ["instagram_business_basic"], "IG_DIRECT_NOT_PUBLISHABLE"),
        ("instagram", "facebook_page", ["instagram_basic"], "IG_DIRECT_NOT_PUBLISHABLE"),
        ("tiktok", "oauth", ["user.info.basic", "video.list"], "scope_not_granted"),
        ("x", "oauth", ["tweet.read", "users.read"], "scope_not_granted"),
        ("linkedin", "oauth", ["openid", "profile"], "scope_not_granted"),
        # Business Login's scope does not make a Page-linked account publishable, nor the reverse.
        ("instagram", "facebook_page", ["instagram_business_content_publish"], "IG_DIRECT_NOT_PUBLISHABLE"),
        ("instagram", "instagram_login", ["instagram_content_publish"], "IG_DIRECT_NOT_PUBLISHABLE"),
    ],
)
def test_the_reason_when_not_capable(platform, method, scopes, code):
    assert publish_block_code(platform, method, scopes) == code


@pytest.mark.parametrize("legacy", ["", "instagram_basic_display", "legacy"])
def test_a_legacy_instagram_connection_is_not_publishable_whatever_it_was_granted(legacy):
    every_scope = {s for spec in platform_info(Platform.INSTAGRAM).connections for s in spec.consent_scopes}
    every_scope |= {"instagram_content_publish", "instagram_basic"}
    assert publish_block_code("instagram", legacy, every_scope) == "IG_DIRECT_NOT_PUBLISHABLE"
    assert publish_capable("instagram", "instagram_login", every_scope)  # fixed by reconnecting


def test_platforms_without_publishing_are_never_capable():
    for platform, info in PLATFORMS.items():
        if not info.supports(Capability.PUBLISH):
            assert publish_block_code(platform.value, "oauth", ["anything"]) == "capability_not_supported"
