"""Issue 11: an X account connected before ``media.write`` was asked for posts text but not images
or video (X answers ``scope_not_granted``). The rule lives in the platform record; the card says
"Reconnect X to post images and video", the composer says so beside a Reconnect, and the server
refuses to queue such a post."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest

from socializioz.domain.account_rules import missing_media_scope
from socializioz.domain.platforms import PLATFORMS, platform_info
from socializioz.i18n import translate
from socializioz.services import compose, compose_rules, media_store
from socializioz.services.account_views import account_view
from socializioz.services.compose import Draft, Mode
from socializioz.services.compose_time import DueTime
from socializioz.services.errors import ValidationError
from tests.media_samples import image_bytes
from tests.unit.accounts_fixtures import add_account, team_a  # noqa: F401

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
X_NOW = " ".join(platform_info("x").connection("oauth").consent_scopes)
X_BEFORE = "tweet.read tweet.write users.read offline.access"  # the consent before media.write


def test_only_x_asks_for_a_media_scope_and_it_is_one_it_asks_for_at_consent():
    with_media = {p.value for p, info in PLATFORMS.items() for c in info.connections if c.media_scope}
    assert with_media == {"x"}
    assert "media.write" in platform_info("x").connection("oauth").consent_scopes


def test_missing_media_scope_reads_the_granted_scopes():
    assert missing_media_scope("x", "oauth", X_BEFORE.split()) == "media.write"
    assert missing_media_scope("x", "oauth", X_NOW.split()) == ""
    assert missing_media_scope("linkedin", "oauth", ["w_member_social"]) == ""
    assert missing_media_scope("telegram", "", []) == ""  # no connection at all: nothing to say


def test_the_card_flags_an_x_account_connected_before_media_write(db, team_a):
    old = add_account(db, team_a.workspace_id, "x", "old", connection_method="oauth", granted_scopes=X_BEFORE)
    new = add_account(db, team_a.workspace_id, "x", "new", connection_method="oauth", granted_scopes=X_NOW)
    gone = add_account(
        db, team_a.workspace_id, "x", "no", connection_method="oauth", granted_scopes="", publish_capable=False
    )
    assert account_view(old).media_reconnect is True
    assert account_view(new).media_reconnect is False
    assert account_view(gone).media_reconnect is False  # cannot publish at all: the other message says why


def test_the_composer_explains_it_only_when_media_is_attached():
    photo = compose_rules.MediaItem(url="u", kind="image", mime_type="image/jpeg", size_bytes=10, width=10, height=10)
    assert compose_rules.media_scope_issues("x", True, []) == []
    assert compose_rules.media_scope_issues("x", False, [photo]) == []
    (issue,) = compose_rules.media_scope_issues("x", True, [photo])
    assert issue.code == "compose.rule.media_reconnect"
    assert translate("en", issue.code, **issue.params).startswith("reconnect X (Twitter) to post images and video")
    assert "X" in translate("ar", issue.code, **issue.params)


def _upload(db, team):
    return media_store.save_upload(db, team.owner, team.workspace_id, "photo.jpg", io.BytesIO(image_bytes()))


def test_the_server_refuses_to_queue_media_for_it_but_text_goes(db, team_a):
    old = add_account(db, team_a.workspace_id, "x", "old", connection_method="oauth", granted_scopes=X_BEFORE)
    photo = _upload(db, team_a)
    due = DueTime(NOW + timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:
        compose.save_post(
            db, team_a.member, team_a.workspace_id, Draft([old.id], "Hi", [photo.id]), Mode.SCHEDULE, due, now=NOW
        )
    assert refused.value.code == "compose.not_valid_for_platforms"
    post = compose.save_post(db, team_a.member, team_a.workspace_id, Draft([old.id], "Hi"), Mode.SCHEDULE, due, now=NOW)
    assert post.status == "scheduled"


def test_instagram_caption_caps_say_how_many_the_caption_has():
    """publishing.md, Instagram: caption ≤ 2,200 chars, ≤ 30 hashtags, ≤ 20 @mentions."""
    photo = compose_rules.MediaItem(url="u", kind="image", mime_type="image/jpeg", size_bytes=10, width=10, height=10)
    rules = platform_info("instagram").media
    assert rules is not None and (rules.max_text, rules.max_hashtags, rules.max_mentions) == (2200, 30, 20)
    text = " ".join(f"#t{i}" for i in range(31)) + " " + " ".join(f"@u{i}" for i in range(22))
    issues = {i.code: i for i in compose_rules.check("instagram", text, [photo])}
    tags, mentions = issues["compose.rule.too_many_hashtags"], issues["compose.rule.too_many_mentions"]
    assert translate("en", tags.code, **tags.params) == "the caption has 31 hashtags; at most 30 are allowed."
    assert translate("en", mentions.code, **mentions.params) == "the caption has 22 @mentions; at most 20 are allowed."
    assert "31" in translate("ar", tags.code, **tags.params)
    assert compose_rules.check("facebook", text, [photo]) == []  # Facebook states no such caps
