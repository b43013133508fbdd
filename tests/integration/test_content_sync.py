"""Refresh content and the Meta token debug panel against the sandbox: real posts, comments and
engagement; a new post shows up; an expired token turns the account amber, an outage does not."""

from __future__ import annotations

import pytest
from sqlmodel import delete

from socializioz.domain.platforms import REQUIRED_META_SCOPES
from socializioz.integrations.sandbox import Fault
from socializioz.models import Credential, SocialAccount
from socializioz.security.credentials import store_tokens
from socializioz.services.account_details import account_details
from socializioz.services.content_sync import sync_content
from socializioz.services.errors import NotFound, PermissionDenied
from socializioz.services.token_debug import token_debug
from tests.unit.accounts_fixtures import add_account, make_team

from .test_client_flows import connect

ALL_FB_SCOPES = [*REQUIRED_META_SCOPES, "pages_manage_engagement", "read_insights"]


@pytest.fixture
def team(db):
    return make_team(db, "s")


async def _facebook_account(db, team, make_provider, consent, scopes=ALL_FB_SCOPES):
    provider, token = await connect(
        make_provider, consent, "facebook", persona="fb-alice", pages=["1111"], scopes=scopes
    )
    page = next(p for p in await provider.list_pages(token.access_token) if p.external_id == "1111")
    account = add_account(
        db,
        team.workspace_id,
        "facebook",
        "1111",
        name="Acme Bakery",
        granted_scopes=" ".join(token.scopes),
        connection_method="facebook_page",
    )
    store_tokens(db, account.id, {"access_token": token.access_token, "page_access_token": page.access_token})
    db.commit()
    return account, token.access_token, page.access_token


async def _instagram_account(db, team, make_provider, consent):
    provider, token = await connect(make_provider, consent, "instagram", persona="ig-studio")
    me = await provider.fetch_identity(token.access_token)
    account = add_account(
        db,
        team.workspace_id,
        "instagram",
        me.external_id,
        name=me.name,
        granted_scopes=" ".join(token.scopes),
        connection_method="instagram_login",
    )
    store_tokens(db, account.id, {"access_token": token.access_token})
    db.commit()
    return account


async def test_facebook_posts_engagement_comments_and_a_new_post(db, team, make_provider, consent, state):
    account, _, _ = await _facebook_account(db, team, make_provider, consent)
    result = await sync_content(team.member.id, team.workspace_id, account.id, provider_factory=make_provider)
    assert result.status == "synced" and result.posts == 3 and result.new_posts == 3
    posts = account_details(db, team.member, team.workspace_id, account.id).posts
    assert posts[0]["media_url"].startswith("data:image/svg+xml") and posts[0]["reactions"] > 0
    commented = next(p for p in posts if p["comments"])
    assert commented["comment_preview"][0]["text"] and commented["permalink"].startswith("https://www.facebook.com/")
    state.add_post("facebook", "1111", "Fresh croissants today")
    again = await sync_content(team.member.id, team.workspace_id, account.id, provider_factory=make_provider)
    assert again.new_posts == 1
    captions = [p["caption"] for p in account_details(db, team.member, team.workspace_id, account.id).posts]
    assert "Fresh croissants today" in captions


async def test_instagram_media_from_business_login(db, team, make_provider, consent):
    account = await _instagram_account(db, team, make_provider, consent)
    result = await sync_content(team.owner.id, team.workspace_id, account.id, provider_factory=make_provider)
    assert result.status == "synced" and result.posts > 0
    post = account_details(db, team.owner, team.workspace_id, account.id).posts[0]
    assert post["permalink"].startswith("https://www.instagram.com/p/") and post["media_url"]


async def test_expired_token_turns_the_account_amber(db, team, make_provider, consent, state):
    account, _, page_token = await _facebook_account(db, team, make_provider, consent)
    state.expire(page_token)
    result = await sync_content(team.owner.id, team.workspace_id, account.id, provider_factory=make_provider)
    assert result.status == "needs_reconnect"
    db.expire_all()
    assert account_details(db, team.owner, team.workspace_id, account.id).account.needs_reconnect is True


@pytest.mark.parametrize("fault", ["server_error", "rate_limit", "timeout", "malformed_json"])
async def test_temporary_errors_change_nothing(db, team, make_provider, consent, state, fault):
    account, _, _ = await _facebook_account(db, team, make_provider, consent)
    state.inject("facebook.posts", Fault(kind=fault))
    result = await sync_content(team.owner.id, team.workspace_id, account.id, provider_factory=make_provider)
    assert result.status == "temporary"
    db.expire_all()
    row = db.get(SocialAccount, account.id)
    assert row.status == "active" and row.last_error is None


async def test_missing_engagement_permission_is_named(db, team, make_provider, consent):
    scopes = [s for s in ALL_FB_SCOPES if s not in ("pages_read_engagement", "read_insights")]
    account, _, _ = await _facebook_account(db, team, make_provider, consent, scopes=scopes)
    assert account_details(db, team.owner, team.workspace_id, account.id).missing_scopes == [
        "read_insights",
        "pages_read_engagement",
    ]
    result = await sync_content(team.owner.id, team.workspace_id, account.id, provider_factory=make_provider)
    assert result.status == "missing_permission" and result.scope == "pages_read_engagement"


async def test_sync_is_only_for_the_accounts_workspace(db, team, make_provider, consent):
    other = make_team(db, "t")
    account, _, _ = await _facebook_account(db, team, make_provider, consent)
    for user in (other.owner, other.admin, other.member):
        for workspace_id in (team.workspace_id, other.workspace_id):
            with pytest.raises(NotFound):
                await sync_content(user.id, workspace_id, account.id, provider_factory=make_provider)


async def test_token_debug_for_admins_with_pages_and_fingerprint(db, team, make_provider, consent):
    account, user_token, _ = await _facebook_account(db, team, make_provider, consent)
    for admin in (team.owner, team.admin):
        panel = await token_debug(admin.id, team.workspace_id, account.id, provider_factory=make_provider)
        assert panel["found"] and panel["valid"] and panel["all_granted"]
        assert [b["scope"] for b in panel["scopes"]] == list(REQUIRED_META_SCOPES)
        assert panel["pages"] == [{"name": "Acme Bakery", "valid": True}]
        assert panel["fingerprint"].startswith("sha256:") and user_token not in str(panel)
        assert panel["expires_at"] and panel["connected_at"]


async def test_token_debug_is_refused_to_members_and_outsiders(db, team, make_provider, consent):
    account, _, _ = await _facebook_account(db, team, make_provider, consent)
    with pytest.raises(PermissionDenied):
        await token_debug(team.member.id, team.workspace_id, account.id, provider_factory=make_provider)
    other = make_team(db, "u")
    with pytest.raises(NotFound):
        await token_debug(other.owner.id, team.workspace_id, account.id, provider_factory=make_provider)


async def test_token_debug_missing_scope_and_no_token(db, team, make_provider, consent):
    scopes = [s for s in ALL_FB_SCOPES if s != "business_management"]
    account, _, _ = await _facebook_account(db, team, make_provider, consent, scopes=scopes)
    panel = await token_debug(team.owner.id, team.workspace_id, account.id, provider_factory=make_provider)
    assert not panel["all_granted"]
    assert {b["scope"]: b["granted"] for b in panel["scopes"]}["business_management"] is False
    db.exec(delete(Credential).where(Credential.account_id == account.id))
    db.commit()
    assert (await token_debug(team.owner.id, team.workspace_id, account.id, provider_factory=make_provider))[
        "found"
    ] is False


async def test_sync_learns_the_granted_scopes_from_meta(db, team, make_provider, consent):
    account, _, _ = await _facebook_account(db, team, make_provider, consent)
    account.granted_scopes = ""  # what a long-lived token body without "scope" leaves us
    db.add(account)
    db.commit()
    assert account_details(db, team.owner, team.workspace_id, account.id).missing_scopes
    await sync_content(team.owner.id, team.workspace_id, account.id, provider_factory=make_provider)
    db.expire_all()
    assert account_details(db, team.owner, team.workspace_id, account.id).missing_scopes == []


async def test_token_debug_says_when_automatic_refresh_is_paused(db, team, make_provider, consent):
    account, _, _ = await _facebook_account(db, team, make_provider, consent)
    panel = await token_debug(team.admin.id, team.workspace_id, account.id, provider_factory=make_provider)
    assert panel["refresh_paused"] is False
    account.refresh_paused = True
    db.add(account)
    db.commit()
    panel = await token_debug(team.admin.id, team.workspace_id, account.id, provider_factory=make_provider)
    assert panel["refresh_paused"] is True
