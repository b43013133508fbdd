"""Comment management end to end below the UI (issue 13): the sandbox's simulated audience, the
webhook payload it pushes read into a comment row, the polling fallback storing each comment once,
and every action checked on the server (workspace, role, scopes) before the platform is asked,
the platform's state and the local row agreeing afterwards."""

from __future__ import annotations

import pytest
from sqlmodel import select

from socializioz.domain.platforms import REQUIRED_META_SCOPES
from socializioz.integrations import ProviderSettings
from socializioz.integrations.meta_webhooks import parse_meta_delivery
from socializioz.integrations.sandbox import meta_comments
from socializioz.models import EngagementComment, Workspace
from socializioz.services import comments_poll
from socializioz.services.comment_actions import moderate
from socializioz.services.comments import CommentFilters, read_comments, set_members_may_moderate
from socializioz.services.engagement_store import apply_events
from socializioz.services.errors import NotFound, PermissionDenied, ValidationError
from socializioz.settings import get_settings
from tests.unit.accounts_fixtures import make_team

from .conftest import BASE
from .test_content_sync import _facebook_account


@pytest.fixture
def provider_settings():
    """A shared 2-core box under load: a generous deadline, so a slow answer is not a timeout."""
    return ProviderSettings(sandbox_base_url=BASE, request_timeout_seconds=15.0)


SCOPES = [*REQUIRED_META_SCOPES, "pages_manage_engagement", "instagram_manage_comments"]


class _Recorder:
    """Stands in for the sandbox's webhook pusher: keeps what Meta would have delivered."""

    def __init__(self) -> None:
        self.pushed: list[tuple[str, str, dict]] = []

    def push(self, app, object_type, entry):
        self.pushed.append((app, object_type, entry))


@pytest.fixture
def team(db):
    return make_team(db, "cm")


@pytest.fixture
def page(db, team, make_provider, consent):
    async def make(scopes=SCOPES):
        account, _, _ = await _facebook_account(db, team, make_provider, consent, scopes=scopes)
        account.granted_scopes = " ".join(scopes)  # as the connect records them (from /me/permissions)
        db.add(account)
        db.commit()
        return account

    return make


async def _poll(make_provider):
    return await comments_poll.poll_comments(provider_factory=make_provider)


def _rows(db, account_id):
    db.expire_all()
    return list(db.exec(select(EngagementComment).where(EngagementComment.account_id == account_id)).all())


async def test_the_audience_webhook_becomes_one_comment_row(db, team, page, state):
    account = await page()
    state.webhooks = _Recorder()
    post = state.posts_of("1111")[0].id
    made = meta_comments.audience_comment(state, {"post_id": post, "text": "Open late?", "author": "Jane"})
    app, object_type, entry = state.webhooks.pushed[0]
    assert (app, object_type) == ("facebook", "page") and entry["changes"][0]["value"]["verb"] == "add"
    events = parse_meta_delivery({"object": object_type, "entry": [entry]})
    assert apply_events(db, events) == {(team.workspace_id, "comments")}
    assert apply_events(db, events) == set()  # the same delivery twice: one row
    db.commit()
    rows = _rows(db, account.id)
    assert [(r.external_id, r.text, r.author_name, r.parent_external_id) for r in rows] == [
        (made["id"], "Open late?", "Jane", None)
    ]


async def test_polling_stores_each_comment_once_and_only_without_webhooks(
    db, team, page, state, make_provider, monkeypatch
):
    account = await page()
    post = state.posts_of("1111")[0].id
    made = meta_comments.audience_comment(state, {"post_id": post, "text": "Polled", "author": "Kim"})
    first = await _poll(make_provider)
    assert first.stored >= 1
    count = len(_rows(db, account.id))
    again = await _poll(make_provider)
    assert (
        len(_rows(db, account.id)) == count and (team.workspace_id, "comments") not in {(0, "")} and again.stored == 0
    )
    assert made["id"] in {r.external_id for r in _rows(db, account.id)}
    monkeypatch.setenv("SOCIALIZIOZ_META_WEBHOOK_VERIFY_TOKEN", "configured")
    get_settings.cache_clear()
    try:
        assert await comments_poll.run_poll_job(provider_factory=make_provider) is None
    finally:
        monkeypatch.delenv("SOCIALIZIOZ_META_WEBHOOK_VERIFY_TOKEN")
        get_settings.cache_clear()
    ran = await comments_poll.run_poll_job(provider_factory=make_provider, holder="a")
    assert ran is not None
    assert await comments_poll.run_poll_job(provider_factory=make_provider, holder="b") is None  # the slot's lease


async def _one(db, team, make_provider, state, text="Do you deliver?"):
    post = state.posts_of("1111")[0].id
    made = meta_comments.audience_comment(state, {"post_id": post, "text": text, "author": "Jane"})
    await _poll(make_provider)
    db.expire_all()
    row = db.exec(select(EngagementComment).where(EngagementComment.external_id == made["id"])).one()
    return made["id"], row.id


async def test_owner_reply_hide_like_delete_reach_the_platform_and_the_row(db, team, page, state, make_provider):
    await page()
    external, comment_id = await _one(db, team, make_provider, state)
    owner = team.owner.id
    assert (await moderate(owner, team.workspace_id, comment_id, "reply", "Yes!", provider_factory=make_provider)).ok
    platform = meta_comments.inspect_comment(state, external)
    assert [r["text"] for r in platform["replies"]] == ["Yes!"]
    page_view = read_comments(db, team.owner, team.workspace_id, CommentFilters())
    thread = next(t for t in page_view.threads if t.id == comment_id)
    assert [(r.text, r.by_account) for r in thread.replies] == [("Yes!", True)]
    unanswered = read_comments(db, team.owner, team.workspace_id, CommentFilters(status="unanswered"))
    assert comment_id not in {t.id for t in unanswered.threads}

    assert (await moderate(owner, team.workspace_id, comment_id, "hide", provider_factory=make_provider)).ok
    assert meta_comments.inspect_comment(state, external)["hidden"]
    hidden = read_comments(db, team.owner, team.workspace_id, CommentFilters(status="hidden"))
    assert [t.id for t in hidden.threads] == [comment_id]
    assert (await moderate(owner, team.workspace_id, comment_id, "like", provider_factory=make_provider)).ok
    assert meta_comments.inspect_comment(state, external)["liked"]
    assert (await moderate(owner, team.workspace_id, comment_id, "delete", provider_factory=make_provider)).ok
    assert meta_comments.inspect_comment(state, external)["deleted"]
    assert comment_id not in {t.id for t in read_comments(db, team.owner, team.workspace_id, CommentFilters()).threads}
    with pytest.raises(NotFound):  # deleted: nothing more to do
        await moderate(owner, team.workspace_id, comment_id, "hide", provider_factory=make_provider)


async def test_members_moderate_only_when_the_owner_allows(db, team, page, state, make_provider):
    await page()
    external, comment_id = await _one(db, team, make_provider, state)
    with pytest.raises(PermissionDenied):
        await moderate(team.member.id, team.workspace_id, comment_id, "hide", provider_factory=make_provider)
    assert not meta_comments.inspect_comment(state, external)["hidden"]
    assert read_comments(db, team.member, team.workspace_id, CommentFilters()).may_moderate is False
    with pytest.raises(PermissionDenied):
        set_members_may_moderate(db, team.admin, team.workspace_id, True)
    set_members_may_moderate(db, team.owner, team.workspace_id, True)
    db.commit()
    assert db.get(Workspace, team.workspace_id).members_may_moderate
    assert (await moderate(team.member.id, team.workspace_id, comment_id, "hide", provider_factory=make_provider)).ok
    assert meta_comments.inspect_comment(state, external)["hidden"]


async def test_foreign_workspace_and_bad_input_are_refused_before_the_platform(db, team, page, state, make_provider):
    await page()
    external, comment_id = await _one(db, team, make_provider, state)
    other = make_team(db, "other")
    for user, workspace in ((other.owner, other.workspace_id), (other.owner, team.workspace_id)):
        with pytest.raises(NotFound):
            await moderate(user.id, workspace, comment_id, "delete", provider_factory=make_provider)
    with pytest.raises(NotFound):
        read_comments(db, other.owner, team.workspace_id, CommentFilters())
    with pytest.raises(ValidationError):
        await moderate(team.owner.id, team.workspace_id, comment_id, "reply", "   ", provider_factory=make_provider)
    with pytest.raises(ValidationError):  # not an action
        await moderate(team.owner.id, team.workspace_id, comment_id, "pin", provider_factory=make_provider)
    assert not meta_comments.inspect_comment(state, external)["deleted"]


async def test_missing_scope_is_refused_with_the_scope_named(db, team, page, state, make_provider):
    await page([s for s in SCOPES if s != "pages_manage_engagement"])
    external, comment_id = await _one(db, team, make_provider, state)
    view = read_comments(db, team.owner, team.workspace_id, CommentFilters())
    fb = next(a for a in view.accounts if a.platform == "facebook" and a.name == "Acme Bakery")
    assert not fb.can_manage and fb.missing_scope == "pages_manage_engagement" and fb.reconnect_platform == "facebook"
    with pytest.raises(PermissionDenied) as refused:
        await moderate(team.owner.id, team.workspace_id, comment_id, "hide", provider_factory=make_provider)
    assert refused.value.code == "comments.error.missing_permission"
    assert refused.value.params["scope"] == "pages_manage_engagement"
    assert not meta_comments.inspect_comment(state, external)["hidden"]
