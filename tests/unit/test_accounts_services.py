"""Account details, disconnect (posts held) and reconnect (posts released, same row, no slot),
quick-compose rules, and that none of it crosses workspaces or roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from socializioz.models import Campaign, CampaignAccount, Credential, Post, PostTarget, SocialAccount
from socializioz.services import accounts_store, compose
from socializioz.services.account_details import account_details
from socializioz.services.accounts_store import AccountDraft
from socializioz.services.disconnect import disconnect_account
from socializioz.services.errors import NotFound, PermissionDenied, ValidationError
from socializioz.services.post_holds import ACCOUNT_DISCONNECTED
from tests.unit.accounts_fixtures import add_account, outsider, team_a, team_b  # noqa: F401

ROLES = ("owner", "admin", "member")
LATER = datetime.now(UTC) + timedelta(days=2)


def _post(db, team, account_ids, status="scheduled"):
    post = Post(workspace_id=team.workspace_id, author_id=team.owner.id, text="hi", status=status, scheduled_at=LATER)
    db.add(post)
    db.flush()
    for account_id in account_ids:
        db.add(PostTarget(post_id=post.id, account_id=account_id))
    db.commit()
    return post


@pytest.mark.parametrize("role", ROLES)
def test_every_member_sees_details_of_their_own_workspace(db, team_a, role):
    details = account_details(db, team_a.by_role(role), team_a.workspace_id, team_a.facebook.id)
    assert details.account.id == team_a.facebook.id
    assert details.has_content is True
    assert details.missing_scopes == []


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reads_another_workspaces_account(db, team_a, team_b, role):
    user = team_a.by_role(role)
    for workspace_id, account_id in (
        (team_a.workspace_id, team_b.facebook.id),
        (team_b.workspace_id, team_b.facebook.id),
    ):
        with pytest.raises(NotFound):
            account_details(db, user, workspace_id, account_id)


def test_outsider_and_unknown_ids_are_not_found(db, team_a, outsider):
    with pytest.raises(NotFound):
        account_details(db, outsider, team_a.workspace_id, team_a.facebook.id)
    with pytest.raises(NotFound):
        account_details(db, team_a.owner, team_a.workspace_id, 999_999)
    with pytest.raises(NotFound):
        account_details(db, None, team_a.workspace_id, team_a.facebook.id)


def test_missing_engagement_scopes_and_placeholder(db, team_a):
    account = add_account(
        db, team_a.workspace_id, "facebook", "thin", granted_scopes="pages_show_list", connection_method="facebook_page"
    )
    details = account_details(db, team_a.owner, team_a.workspace_id, account.id)
    assert details.missing_scopes == ["read_insights", "pages_read_engagement"]
    tiktok = account_details(db, team_a.owner, team_a.workspace_id, team_a.tiktok.id)
    assert tiktok.has_content is False and tiktok.missing_scopes == []


def test_instagram_connected_the_old_way_gets_the_guidance(db, team_a):
    old = add_account(
        db,
        team_a.workspace_id,
        "instagram",
        "old-ig",
        publish_capable=False,
        connection_method="facebook_page",
        granted_scopes="instagram_basic",
    )
    details = account_details(db, team_a.owner, team_a.workspace_id, old.id)
    assert details.account.publish_capable is False
    assert details.guidance_code == "IG_DIRECT_NOT_PUBLISHABLE"
    assert details.guidance_cause_key.endswith("IG_DIRECT_NOT_PUBLISHABLE.cause")
    assert account_details(db, team_a.owner, team_a.workspace_id, team_a.instagram.id).guidance_code == ""


@pytest.mark.parametrize("role", ("owner", "admin"))
def test_disconnect_holds_scheduled_posts_and_keeps_published(db, team_a, role):
    scheduled = _post(db, team_a, [team_a.facebook.id])
    published = _post(db, team_a, [team_a.facebook.id], status="published")
    held = disconnect_account(db, team_a.by_role(role), team_a.workspace_id, team_a.facebook.id)
    assert held == 1
    db.expire_all()
    account = db.get(SocialAccount, team_a.facebook.id)
    assert account.disconnected_at is not None
    assert db.exec(select(Credential).where(Credential.account_id == account.id)).first() is None
    assert db.get(Post, scheduled.id).blocked_reason == ACCOUNT_DISCONNECTED
    assert db.get(Post, scheduled.id).status == "scheduled"
    assert db.get(Post, published.id).blocked_reason is None
    assert accounts_store.active_account_count(db, team_a.workspace_id) == 2
    with pytest.raises(NotFound):  # gone from the list and from every per-account action
        account_details(db, team_a.owner, team_a.workspace_id, team_a.facebook.id)


def test_member_cannot_disconnect(db, team_a):
    with pytest.raises(PermissionDenied):
        disconnect_account(db, team_a.member, team_a.workspace_id, team_a.facebook.id)
    assert db.get(SocialAccount, team_a.facebook.id).disconnected_at is None


@pytest.mark.parametrize("role", ROLES)
def test_nobody_disconnects_another_workspaces_account(db, team_a, team_b, role):
    for workspace_id in (team_a.workspace_id, team_b.workspace_id):
        with pytest.raises(NotFound):
            disconnect_account(db, team_a.by_role(role), workspace_id, team_b.facebook.id)
    assert db.get(SocialAccount, team_b.facebook.id).disconnected_at is None


def _draft(account: SocialAccount) -> AccountDraft:
    return AccountDraft(
        platform=account.platform,
        external_id=account.external_id,
        name=account.name,
        username="",
        avatar_url="",
        followers=5,
        tokens={"access_token": "fresh"},
        token_expires_at=None,
        granted_scopes=(),
        publish_capable=True,
        connection_method=account.connection_method,
    )


def test_connecting_again_revives_the_same_row_with_posts_and_campaigns(db, team_a):
    campaign = Campaign(workspace_id=team_a.workspace_id, name="Spring")
    db.add(campaign)
    db.flush()
    db.add(CampaignAccount(campaign_id=campaign.id, account_id=team_a.facebook.id))
    other = add_account(db, team_a.workspace_id, "x", "xx", connection_method="oauth")
    mine, shared = _post(db, team_a, [team_a.facebook.id]), _post(db, team_a, [team_a.facebook.id, other.id])
    disconnect_account(db, team_a.owner, team_a.workspace_id, team_a.facebook.id)
    disconnect_account(db, team_a.owner, team_a.workspace_id, other.id)
    saved = accounts_store.save_account(db, team_a.workspace_id, _draft(team_a.facebook), "connected")
    db.commit()
    assert saved.id == team_a.facebook.id and saved.disconnected_at is None
    assert db.get(Post, mine.id).blocked_reason is None
    assert db.get(Post, shared.id).blocked_reason == ACCOUNT_DISCONNECTED  # its other account is still gone
    assert db.exec(select(CampaignAccount).where(CampaignAccount.account_id == saved.id)).one()


def test_reconnect_of_an_active_account_uses_no_slot(db, team_a):
    before = accounts_store.active_account_count(db, team_a.workspace_id)
    assert accounts_store.uses_a_slot(db, team_a.workspace_id, _draft(team_a.facebook)) is False
    accounts_store.save_account(db, team_a.workspace_id, _draft(team_a.facebook), "reconnected")
    assert accounts_store.active_account_count(db, team_a.workspace_id) == before


# -- quick-compose --------------------------------------------------------------------------------


def _schedule(db, team, account_ids, **kw):
    values = dict(text="Hello", media_url="", scheduled_at=LATER)
    values.update(kw)
    return compose.schedule_post(db, team.member, team.workspace_id, account_ids=account_ids, **values)


def test_compose_saves_a_scheduled_post_for_the_chosen_accounts(db, team_a):
    post = _schedule(db, team_a, [team_a.facebook.id])
    assert post.status == "scheduled" and post.author_id == team_a.member.id
    assert [t.account_id for t in db.exec(select(PostTarget).where(PostTarget.post_id == post.id))] == [
        team_a.facebook.id
    ]


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        (dict(text="", media_url=""), "compose.empty"),
        (dict(media_url="javascript:alert(1)"), "compose.media_invalid"),
        (dict(scheduled_at=datetime.now(UTC) - timedelta(minutes=1)), "compose.time_in_past"),
        (dict(scheduled_at=None), "compose.time_in_past"),
        (dict(text="x" * 5001), "compose.too_long"),
    ],
)
def test_compose_rules(db, team_a, kw, code):
    with pytest.raises(ValidationError) as excinfo:
        _schedule(db, team_a, [team_a.facebook.id], **kw)
    assert excinfo.value.code == code


def test_instagram_requires_media(db, team_a):
    with pytest.raises(ValidationError) as excinfo:
        _schedule(db, team_a, [team_a.instagram.id])
    assert excinfo.value.code == "compose.instagram_needs_media"
    assert _schedule(db, team_a, [team_a.instagram.id], media_url="https://example.test/a.jpg").id


def test_compose_never_targets_another_workspace(db, team_a, team_b):
    with pytest.raises(NotFound):
        _schedule(db, team_a, [team_a.facebook.id, team_b.facebook.id])
    with pytest.raises(ValidationError):
        _schedule(db, team_a, [])
    assert db.exec(select(Post)).all() == []
