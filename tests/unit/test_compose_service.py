"""Saving from the composer: drafts, post now, schedule; the rows the publisher will read (status,
``due_at``), campaigns, and that nothing crosses workspaces or gets past a platform's rules."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from socializioz.domain.platforms import platform_info
from socializioz.integrations.models import PublishOptions
from socializioz.models import Campaign, CampaignAccount, Post, PostTarget, Workspace
from socializioz.services import compose, compose_views, media_store
from socializioz.services.compose import Draft, Mode
from socializioz.services.compose_time import DueTime
from socializioz.services.errors import NotFound, ValidationError
from tests.media_samples import image_bytes, video_bytes
from tests.unit.accounts_fixtures import add_account, team_a, team_b  # noqa: F401

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LATER = DueTime(NOW + timedelta(hours=3))
X_SCOPES = " ".join(platform_info("x").connection("oauth").consent_scopes)  # all X asks for, media.write included
PRIVACY = {"tiktok": PublishOptions(privacy_levels=("PUBLIC_TO_EVERYONE", "SELF_ONLY"))}


def _upload(db, team, data: bytes, name: str = "photo.jpg"):
    return media_store.save_upload(db, team.owner, team.workspace_id, name, io.BytesIO(data))


def _save(db, team, draft: Draft, mode=Mode.SCHEDULE, due=LATER, options=None, **kw):
    return compose.save_post(db, team.member, team.workspace_id, draft, mode, due, options, now=NOW, **kw)


def _targets(db, post):
    return db.exec(select(PostTarget).where(PostTarget.post_id == post.id).order_by(PostTarget.account_id)).all()


def test_schedule_saves_a_post_and_one_due_target_per_account(db, team_a):
    photo = _upload(db, team_a, image_bytes())
    x = add_account(db, team_a.workspace_id, "x", "xa", connection_method="oauth", granted_scopes=X_SCOPES)
    post = _save(db, team_a, Draft([team_a.facebook.id, team_a.instagram.id, x.id], "Fresh bread", [photo.id]))
    assert (post.status, post.scheduled_at, json.loads(post.media_ids)) == ("scheduled", LATER.utc, [photo.id])
    targets = _targets(db, post)
    assert {t.account_id for t in targets} == {team_a.facebook.id, team_a.instagram.id, x.id}
    assert {(t.status, t.due_at) for t in targets} == {("scheduled", LATER.utc)}
    assert post.media_url == ""


def test_post_now_is_due_now(db, team_a):
    post = _save(db, team_a, Draft([team_a.facebook.id], "Now"), Mode.NOW, due=None)
    assert [(t.status, t.due_at) for t in _targets(db, post)] == [("scheduled", NOW)]


def test_schedule_needs_a_future_time(db, team_a):
    for due in (None, DueTime(NOW), DueTime(NOW - timedelta(minutes=1))):
        with pytest.raises(ValidationError) as excinfo:
            _save(db, team_a, Draft([team_a.facebook.id], "Hi"), due=due)
        assert excinfo.value.code == "compose.time_in_past"
    assert db.exec(select(Post)).all() == []


def test_a_draft_is_saved_as_is_and_edited_later(db, team_a):
    post = _save(db, team_a, Draft([team_a.instagram.id], "No photo yet"), Mode.DRAFT, due=None)
    assert post.status == "draft" and post.scheduled_at is None
    assert [(t.status, t.due_at) for t in _targets(db, post)] == [("draft", None)]
    photo = _upload(db, team_a, image_bytes())
    loaded = compose_views.draft_for_editing(team_a.member, team_a.workspace_id, post.id)
    assert loaded["account_ids"] == [team_a.instagram.id] and loaded["text"] == "No photo yet"
    again = _save(
        db, team_a, Draft([team_a.facebook.id, team_a.instagram.id], "Now with a photo", [photo.id], post_id=post.id)
    )
    assert again.id == post.id and again.status == "scheduled"
    assert {(t.account_id, t.status) for t in _targets(db, again)} == {
        (team_a.facebook.id, "scheduled"),
        (team_a.instagram.id, "scheduled"),
    }
    with pytest.raises(ValidationError) as excinfo:
        _save(db, team_a, Draft([team_a.facebook.id], "Change", post_id=post.id), Mode.DRAFT, due=None)
    assert excinfo.value.code == "compose.not_a_draft"


def test_an_empty_post_is_refused_even_as_a_draft(db, team_a):
    with pytest.raises(ValidationError) as excinfo:
        _save(db, team_a, Draft([team_a.facebook.id], "   "), Mode.DRAFT, due=None)
    assert excinfo.value.code == "compose.empty"
    with pytest.raises(ValidationError) as excinfo:
        _save(db, team_a, Draft([], "Hello"))
    assert excinfo.value.code == "compose.no_accounts"


def test_platform_rules_are_checked_again_on_save(db, team_a):
    with pytest.raises(ValidationError) as excinfo:
        _save(db, team_a, Draft([team_a.facebook.id, team_a.instagram.id], "Text only"))
    assert excinfo.value.code == "compose.not_valid_for_platforms"
    clip = _upload(db, team_a, video_bytes(), "clip.mp4")
    tiktok = Draft([team_a.tiktok.id], "Watch", [clip.id])
    with pytest.raises(ValidationError):  # the creator's options ask for a privacy level
        _save(db, team_a, tiktok, options=PRIVACY)
    with pytest.raises(ValidationError):  # the options could not be read: nothing can be chosen
        _save(db, team_a, tiktok, unavailable=["tiktok"])
    choices = {"tiktok": {"privacy_level": "SELF_ONLY", "script": "x"}, "facebook": {"privacy_level": "x"}}
    post = _save(db, team_a, Draft([team_a.tiktok.id], "Watch", [clip.id], choices=choices), options=PRIVACY)
    assert json.loads(post.options) == {"tiktok": {"privacy_level": "SELF_ONLY"}}  # nothing else is kept


def test_accounts_that_cannot_publish_are_refused(db, team_a):
    team_a.facebook.publish_capable = False
    db.add(team_a.facebook)
    expired = add_account(db, team_a.workspace_id, "x", "old", token_expires_at=NOW - timedelta(days=1))
    db.commit()
    for account_id in (team_a.facebook.id, expired.id):
        with pytest.raises(ValidationError) as excinfo:
            compose.save_post(db, team_a.member, team_a.workspace_id, Draft([account_id], "Hi"), Mode.NOW)
        assert excinfo.value.code == "compose.account_cannot_publish"
    setup = compose_views.composer_setup(team_a.member, team_a.workspace_id, NOW)
    blocked = {a["id"]: a["blocked"] for a in setup["accounts"]}
    assert blocked[team_a.facebook.id] == "compose.account.not_publish_capable"
    assert blocked[expired.id] == "compose.account.needs_reconnect"
    assert blocked[team_a.instagram.id] == ""


def test_nothing_crosses_workspaces(db, team_a, team_b):
    theirs = _upload(db, team_b, image_bytes())
    for draft in (
        Draft([team_a.facebook.id], "Hi", [theirs.id]),
        Draft([team_a.facebook.id, team_b.facebook.id], "Hi"),
        Draft([team_a.facebook.id], "Hi", campaign_id=_campaign(db, team_b)),
    ):
        with pytest.raises(NotFound):
            _save(db, team_a, draft)
    drafted = _save(db, team_b, Draft([team_b.facebook.id], "B"), Mode.DRAFT, due=None)
    with pytest.raises(NotFound):
        _save(db, team_a, Draft([team_a.facebook.id], "A", post_id=drafted.id), Mode.DRAFT, due=None)
    with pytest.raises(NotFound):
        compose_views.draft_for_editing(team_a.owner, team_a.workspace_id, drafted.id)
    with pytest.raises(NotFound):
        compose.save_post(db, team_a.owner, team_b.workspace_id, Draft([team_b.facebook.id], "B"), Mode.NOW)
    assert db.exec(select(Post).where(Post.workspace_id == team_a.workspace_id)).all() == []


def _campaign(db, team) -> int:
    campaign = Campaign(workspace_id=team.workspace_id, name="Theirs")
    db.add(campaign)
    db.commit()
    return campaign.id


def test_a_campaign_is_picked_or_created_by_name(db, team_a):
    post = _save(db, team_a, Draft([team_a.facebook.id], "One", campaign_name="  Summer   sale "))
    campaign = db.get(Campaign, post.campaign_id)
    assert campaign.name == "Summer sale" and campaign.workspace_id == team_a.workspace_id
    again = _save(
        db,
        team_a,
        Draft([team_a.instagram.id], "Two", [_upload(db, team_a, image_bytes()).id], campaign_name="summer SALE"),
    )
    assert again.campaign_id == campaign.id
    picked = _save(db, team_a, Draft([team_a.facebook.id], "Three", campaign_id=campaign.id))
    assert picked.campaign_id == campaign.id
    members = db.exec(select(CampaignAccount.account_id).where(CampaignAccount.campaign_id == campaign.id)).all()
    assert sorted(members) == sorted([team_a.facebook.id, team_a.instagram.id])
    assert compose.list_campaigns(db, team_a.member, team_a.workspace_id) == [
        {"id": campaign.id, "name": "Summer sale"}
    ]
    with pytest.raises(ValidationError):
        _save(db, team_a, Draft([team_a.facebook.id], "Four", campaign_name="x" * 81))


def test_the_workspace_time_zone_is_read(db, team_a):
    workspace = db.get(Workspace, team_a.workspace_id)
    workspace.timezone = "Asia/Riyadh"
    db.add(workspace)
    db.commit()
    setup = compose_views.composer_setup(team_a.member, team_a.workspace_id, datetime(2026, 6, 1, 7, 2, tzinfo=UTC))
    assert (setup["zone"], setup["day"], setup["clock"]) == ("Asia/Riyadh", "2026-06-01", "11:05")


def test_a_legacy_quick_compose_post_keeps_its_media_link(db, team_a):
    legacy = Post(
        workspace_id=team_a.workspace_id, author_id=team_a.owner.id, text="old", media_url="https://example.test/a.jpg"
    )
    db.add(legacy)
    db.commit()
    assert (
        compose.load_draft(db, team_a.owner, team_a.workspace_id, legacy.id)["media_url"]
        == "https://example.test/a.jpg"
    )
