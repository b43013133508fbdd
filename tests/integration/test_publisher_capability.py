"""Publish capability follows the scopes the platform reports, wherever they are recorded: a
content sync and the token debug panel turn a Facebook Page without ``pages_manage_posts`` into
"not publish-capable", and the publisher then blocks its targets with that reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from socializioz import db as database
from socializioz.models import Post, PostTarget, SocialAccount
from socializioz.services.content_sync import sync_content
from socializioz.services.publisher import Publisher
from socializioz.services.token_debug import token_debug
from tests.unit.accounts_fixtures import make_team

from .publisher_fakes import FakePlatform
from .test_content_sync import ALL_FB_SCOPES, _facebook_account

WITHOUT_POSTS = [s for s in ALL_FB_SCOPES if s != "pages_manage_posts"]


@pytest.fixture
def team(db):
    return make_team(db, "cap")


def _capable(account_id: int) -> bool:
    with database.session_scope() as db:
        return db.get(SocialAccount, account_id).publish_capable


async def test_a_content_sync_records_that_the_page_can_no_longer_publish(db, team, make_provider, consent, tmp_path):
    account, _, _ = await _facebook_account(db, team, make_provider, consent, scopes=WITHOUT_POSTS)
    assert _capable(account.id) is True  # as stored before Meta was asked
    await sync_content(team.member.id, team.workspace_id, account.id, provider_factory=make_provider)
    assert _capable(account.id) is False

    with database.session_scope() as session:
        post = Post(workspace_id=team.workspace_id, author_id=team.member.id, text="Hi", status="scheduled")
        session.add(post)
        session.flush()
        session.add(PostTarget(post_id=post.id, account_id=account.id, due_at=datetime.now(UTC)))
    fake = FakePlatform(tmp_path / "platform.db")
    await Publisher(provider_factory=fake.factory, sync_content=False).run_until_idle()
    with database.session_scope() as session:
        target = session.get(PostTarget, 1)
    assert (target.status, target.failure_code) == ("blocked", "missing_pages_manage_posts") and fake.calls == []


async def test_the_token_debug_panel_records_the_scopes_both_ways(db, team, make_provider, consent):
    account, _, _ = await _facebook_account(db, team, make_provider, consent, scopes=WITHOUT_POSTS)
    await token_debug(team.owner.id, team.workspace_id, account.id, provider_factory=make_provider)
    assert _capable(account.id) is False

    other = make_team(db, "cap2")
    granted, _, _ = await _facebook_account(db, other, make_provider, consent)
    with database.session_scope() as session:
        session.get(SocialAccount, granted.id).publish_capable = False  # e.g. recorded before a re-grant
    await token_debug(other.owner.id, other.workspace_id, granted.id, provider_factory=make_provider)
    assert _capable(granted.id) is True
