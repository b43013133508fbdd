"""The publisher against a stand-in platform (``publisher_fakes``), on SQLite: what it sends, each
outcome of each error kind, reconciliation of attempts that may have posted, holds on disconnect
and reconnect, and the posts page's Retry and "post now"."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from socializioz import db as database
from socializioz.models import ConnectionEvent, MediaAsset, Post, PostTarget, SocialAccount, SyncedPost
from socializioz.security.credentials import store_tokens
from socializioz.services import accounts_store, post_actions, publish_claim, publisher
from socializioz.services.accounts_store import AccountDraft
from socializioz.services.disconnect import disconnect_account
from socializioz.services.errors import NotFound, ValidationError
from socializioz.services.publisher import Publisher
from socializioz.services.unit_of_work import in_transaction
from tests.unit.accounts_fixtures import add_account, make_team

from .publisher_fakes import FakePlatform


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def shift(self, **kw) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def team(db):
    team = make_team(db, "p")
    team.x = add_account(
        db, team.workspace_id, "x", "x-1", connection_method="oauth", granted_scopes="tweet.read tweet.write"
    )
    db.commit()
    return team


@pytest.fixture
def fake(tmp_path):
    return FakePlatform(tmp_path / "platform.db")


@pytest.fixture
def make_publisher(fake, clock):
    def make(**kw):
        return Publisher(provider_factory=fake.factory, clock=clock, sync_content=False, **kw)

    return make


def schedule(team, account_ids, clock, *, text="Hello", due=None, media_ids=(), options=None) -> Post:
    with database.session_scope() as db:
        post = Post(
            workspace_id=team.workspace_id,
            author_id=team.member.id,
            text=text,
            status="scheduled",
            scheduled_at=due or clock.now,
            media_ids=json.dumps(list(media_ids)),
            options=json.dumps(options or {}),
        )
        db.add(post)
        db.flush()
        for account_id in account_ids:
            db.add(PostTarget(post_id=post.id, account_id=account_id, due_at=due or clock.now))
        return post


def targets(post_id: int) -> list[PostTarget]:
    with database.session_scope() as db:
        return list(db.exec(select(PostTarget).where(PostTarget.post_id == post_id).order_by(PostTarget.id)))


def target(post_id: int) -> PostTarget:
    (only,) = targets(post_id)
    return only


def post(post_id: int) -> Post:
    with database.session_scope() as db:
        return db.get(Post, post_id)


def account(account_id: int) -> SocialAccount:
    with database.session_scope() as db:
        return db.get(SocialAccount, account_id)


async def run(make_publisher, **kw) -> Publisher:
    worker = make_publisher(**kw)
    await worker.run_until_idle()
    return worker


# -- what is sent ----------------------------------------------------------------------------


async def test_a_due_target_is_published_once_with_its_text_media_options_and_link(team, fake, clock, make_publisher):
    with database.session_scope() as db:
        assets = [
            MediaAsset(
                workspace_id=team.workspace_id,
                uploaded_by=team.member.id,
                token=f"tok{i}",
                storage_key=f"k{i}",
                mime_type="image/png",
                kind="image",
                size_bytes=10 + i,
                width=100,
                height=50,
            )
            for i in range(2)
        ]
        db.add_all(assets)
        db.flush()
        media_ids = [assets[1].id, assets[0].id]  # the composer's order, not the ids' order
    later = schedule(team, [team.x.id], clock, text="Later", due=clock.now + timedelta(minutes=5))
    now = schedule(team, [team.x.id], clock, text="Now", media_ids=media_ids, options={"x": {"reply": "none"}})

    await run(make_publisher)

    sent = target(now.id)
    assert sent.status == "published" and sent.attempts == 1 and sent.lease_holder is None
    assert sent.permalink == f"https://example.test/x-1/{sent.external_id}" and sent.published_at == clock.now
    assert post(now.id).status == "published" and post(now.id).published_at == clock.now
    ((client, external_id, request),) = fake.calls
    assert (client, external_id, request.text) == ("x", "x-1", "Now")
    assert [m.url.rsplit("/", 1)[-1] for m in request.media] == ["tok1", "tok0"]
    assert request.media[0].size_bytes == 11 and request.media[0].kind == "image"
    assert dict(request.options) == {"reply": "none"}
    assert fake.posts() == [("x-1", "token-x-x-1", "Now")]
    assert target(later.id).status == "scheduled"  # not due yet: not touched


async def test_facebook_uses_the_page_token_and_a_page_linked_instagram_goes_through_the_facebook_client(
    team, fake, clock, make_publisher
):
    with database.session_scope() as db:
        page = add_account(db, team.workspace_id, "facebook", "page-9", connection_method="facebook_page")
        store_tokens(db, page.id, {"access_token": "user-token", "page_access_token": "page-token"})
        linked = add_account(db, team.workspace_id, "instagram", "ig-9", connection_method="facebook_page")
        store_tokens(db, linked.id, {"access_token": "page-token", "via_page": "page-9"})
        legacy = add_account(db, team.workspace_id, "instagram", "ig-old", connection_method="", publish_capable=False)
    sent = schedule(team, [page.id, linked.id, legacy.id], clock, text="Both")

    await run(make_publisher)

    assert sorted((c, a, r.text) for c, a, r in fake.calls) == [
        ("facebook", "ig-9", "Both"),
        ("facebook", "page-9", "Both"),
    ]
    assert sorted(fake.posts()) == [("ig-9", "page-token", "Both"), ("page-9", "page-token", "Both")]
    by_account = {t.account_id: t for t in targets(sent.id)}
    assert by_account[legacy.id].status == "blocked"
    assert by_account[legacy.id].failure_code == "IG_DIRECT_NOT_PUBLISHABLE"
    assert by_account[legacy.id].attempts == 0 and by_account[legacy.id].attempt_started_at is None  # never sent
    assert post(sent.id).status == "scheduled"  # blocked is still on its way: a reconnect releases it


async def test_a_legacy_instagram_connection_publishes_after_reconnecting_with_business_login(
    team, fake, clock, make_publisher
):
    with database.session_scope() as db:
        legacy = add_account(db, team.workspace_id, "instagram", "ig-old", connection_method="basic_display")
    from socializioz.domain.account_rules import publish_capable

    assert publish_capable("instagram", "basic_display", ["instagram_basic"]) is False
    with database.session_scope() as db:
        db.get(SocialAccount, legacy.id).publish_capable = False
    sent = schedule(team, [legacy.id], clock)
    await run(make_publisher)
    assert (target(sent.id).status, target(sent.id).failure_code) == ("blocked", "IG_DIRECT_NOT_PUBLISHABLE")
    assert fake.calls == []

    scopes = ("instagram_business_basic", "instagram_business_content_publish")
    with database.session_scope() as db:
        accounts_store.save_account(
            db,
            team.workspace_id,
            AccountDraft(
                "instagram",
                "ig-old",
                "Old",
                "",
                "",
                0,
                {"access_token": "new"},
                None,
                scopes,
                publish_capable("instagram", "instagram_login", scopes),
                "instagram_login",
            ),
            "reconnected",
            now=clock.now,
        )
    clock.shift(seconds=1)
    await run(make_publisher)
    assert target(sent.id).status == "published" and fake.posts() == [("ig-old", "new", "Hello")]


# -- failures --------------------------------------------------------------------------------


async def test_a_rate_limit_waits_for_the_platform_reset_then_publishes_without_reconciling(
    team, fake, clock, make_publisher
):
    fake.script = ["429"]
    sent = schedule(team, [team.x.id], clock)
    await run(make_publisher)
    waiting = target(sent.id)
    assert waiting.status == "scheduled" and waiting.failure_code == "rate_limited"
    assert waiting.due_at == clock.now + timedelta(seconds=600)  # Retry-After beats the 30 s backoff
    assert waiting.attempt_started_at is None  # a 429 did not post: nothing to reconcile

    clock.shift(seconds=599)
    await run(make_publisher)
    assert target(sent.id).status == "scheduled"
    clock.shift(seconds=1)
    await run(make_publisher)
    assert target(sent.id).status == "published" and target(sent.id).attempts == 2
    assert fake.finds == 0 and len(fake.posts()) == 1


@pytest.mark.parametrize("lost", ["post+timeout", "post+5xx"])
async def test_an_answer_lost_after_the_post_was_created_is_found_not_posted_again(
    team, fake, clock, make_publisher, lost
):
    fake.script = [lost]
    sent = schedule(team, [team.x.id], clock)
    await run(make_publisher)
    waiting = target(sent.id)
    assert waiting.status == "scheduled" and waiting.attempt_started_at == clock.now
    assert waiting.due_at == clock.now + timedelta(seconds=30)

    clock.shift(seconds=30)
    await run(make_publisher)
    done = target(sent.id)
    assert done.status == "published" and done.attempts == 1 and fake.finds == 1
    assert len(fake.posts()) == 1 and len(fake.calls) == 1


async def test_a_timeout_before_anything_was_posted_is_retried_after_the_platform_says_it_is_not_there(
    team, fake, clock, make_publisher
):
    fake.script = ["handle+timeout"]  # the first step's id is saved, then the call times out
    sent = schedule(team, [team.x.id], clock)
    await run(make_publisher)
    assert json.loads(target(sent.id).handles) == {"container_id": "c-1"}
    clock.shift(seconds=30)
    await run(make_publisher)
    assert target(sent.id).status == "published" and target(sent.id).attempts == 2
    assert fake.finds == 1 and len(fake.posts()) == 1
    assert dict(fake.calls[1][2].handles) == {"container_id": "c-1"}  # the retry resumes from it


@pytest.mark.parametrize("find", ["unsupported", "error"])
async def test_an_undecidable_interrupted_attempt_needs_review_and_is_never_blindly_retried(
    team, fake, clock, make_publisher, find
):
    fake.script, fake.find = ["post+timeout"], find
    sent = schedule(team, [team.x.id], clock)
    await run(make_publisher)
    clock.shift(minutes=5)
    await run(make_publisher)
    review = target(sent.id)
    assert review.status == "needs_review" and review.failure_code == "publish_outcome_unknown"
    assert len(fake.calls) == 1 and len(fake.posts()) == 1
    assert post(sent.id).status == "failed"
    clock.shift(hours=1)
    await run(make_publisher)
    assert len(fake.calls) == 1  # stays for a person


async def test_temporary_failures_stop_after_the_limit(team, fake, clock, make_publisher):
    fake.script = ["429"] * 5
    sent = schedule(team, [team.x.id], clock)
    for _ in range(5):
        await run(make_publisher)
        clock.shift(hours=1)
    failed = target(sent.id)
    assert (failed.status, failed.failure_code, failed.attempts) == ("failed", "rate_limited", 5)
    assert post(sent.id).status == "failed"


async def test_an_expired_token_turns_the_account_amber_and_blocks_its_queued_targets(
    team, fake, clock, make_publisher
):
    fake.script = ["reconnect"]
    first = schedule(team, [team.x.id], clock)
    queued = schedule(team, [team.x.id], clock, due=clock.now + timedelta(days=1))
    other = schedule(team, [team.tiktok.id], clock, due=clock.now + timedelta(days=1))
    await run(make_publisher)
    assert account(team.x.id).status == "needs_reconnect" and account(team.x.id).last_error == "token_invalid"
    for blocked in (target(first.id), target(queued.id)):
        assert (blocked.status, blocked.failure_code) == ("blocked", "token_invalid")
    assert target(other.id).status == "scheduled"

    clock.shift(days=2)  # a blocked target waits for the reconnect, it does not fail at its time
    await run(make_publisher)
    assert target(queued.id).status == "blocked" and [a for _, a, _ in fake.calls] == ["x-1", team.tiktok.external_id]

    with database.session_scope() as db:
        accounts_store.save_account(db, team.workspace_id, _draft(team.x), "reconnected", now=clock.now)
    assert target(first.id).status == "scheduled" and target(first.id).due_at <= datetime.now(UTC)
    await run(make_publisher)
    assert target(first.id).status == target(queued.id).status == "published"


def _draft(row: SocialAccount) -> AccountDraft:
    return AccountDraft(
        row.platform,
        row.external_id,
        row.name,
        "",
        "",
        0,
        {"access_token": "fresh"},
        None,
        ("tweet.write",),
        True,
        row.connection_method,
    )


async def test_a_missing_publish_permission_blocks_the_target_with_a_reconnect_reason(
    team, fake, clock, make_publisher
):
    fake.script = ["permission"]
    sent = schedule(team, [team.x.id], clock)
    await run(make_publisher)
    blocked = target(sent.id)
    assert (blocked.status, blocked.failure_code, blocked.failure_detail) == (
        "blocked",
        "scope_not_granted",
        "tweet.write",
    )
    assert account(team.x.id).status == "active"


@pytest.mark.parametrize(
    ("step", "code"), [("rejected", "content_rejected"), ("rejected_unknown_code", "content_rejected")]
)
async def test_rejected_content_fails_with_the_catalogue_code_and_the_platforms_words(
    team, fake, clock, make_publisher, step, code
):
    fake.by_account = {"x-1": [step]}
    sent = schedule(team, [team.x.id, team.tiktok.id], clock)
    await run(make_publisher)
    by_account = {t.account_id: t for t in targets(sent.id)}
    failed = by_account[team.x.id]
    assert (failed.status, failed.failure_code) == ("failed", code)
    assert failed.failure_detail in ("duplicate content", "You already said that")
    assert by_account[team.tiktok.id].status == "published"
    assert post(sent.id).status == "partly_failed"


async def test_a_missing_media_file_fails_without_calling_the_platform(team, fake, clock, make_publisher):
    sent = schedule(team, [team.x.id], clock, media_ids=[999])
    await run(make_publisher)
    assert (target(sent.id).status, target(sent.id).failure_code) == ("failed", "content_rejected")
    assert fake.calls == []


# -- crash takeover and leases ---------------------------------------------------------------


async def test_a_dead_workers_target_is_reconciled_after_its_lease_not_before(team, fake, clock, make_publisher):
    sent = schedule(team, [team.x.id], clock)
    with database.session_scope() as db:  # a worker claimed it, recorded the attempt, posted, and died
        (claim,) = publish_claim.claim(db, "dead-worker", now=clock.now, limit=5, lease=timedelta(minutes=15))
        row = db.get(PostTarget, claim.target_id)
        row.status, row.attempts, row.attempt_started_at = "publishing", 1, clock.now
    fake.create("x", _ref(team.x), _request("Hello"))

    clock.shift(minutes=14)
    await run(make_publisher)
    assert target(sent.id).status == "publishing" and fake.finds == 0  # its lease still runs
    clock.shift(minutes=2)
    await run(make_publisher)
    assert target(sent.id).status == "published" and fake.finds == 1 and fake.calls == []
    assert len(fake.posts()) == 1


def _ref(row):
    from socializioz.integrations.models import AccountRef

    return AccountRef(row.platform, row.external_id, "token")


def _request(text):
    from socializioz.integrations.models import PublishRequest

    return PublishRequest(text=text)


async def test_two_publishers_never_take_the_same_target(team, fake, clock, make_publisher):
    posts = [schedule(team, [team.x.id, team.tiktok.id], clock, text=f"p{i}") for i in range(10)]
    fake.latency = 0.01
    first, second = make_publisher(concurrency=3), make_publisher(concurrency=3)
    await asyncio.gather(first.run_until_idle(), second.run_until_idle())
    assert all(t.status == "published" and t.attempts == 1 for p in posts for t in targets(p.id))
    assert len(fake.posts()) == 20 and len(fake.calls) == 20


# -- holds -----------------------------------------------------------------------------------


async def test_a_disconnected_accounts_target_fails_at_its_time_and_a_reconnect_before_it_releases_it(
    team, fake, clock, make_publisher
):
    soon = schedule(team, [team.x.id], clock, due=clock.now + timedelta(minutes=10))
    with database.session_scope() as db:
        disconnect_account(db, db.get(type(team.owner), team.owner.id), team.workspace_id, team.x.id)
    assert (target(soon.id).status, target(soon.id).failure_code) == ("blocked", "account_disconnected")
    await run(make_publisher)
    assert target(soon.id).status == "blocked"
    clock.shift(minutes=10)
    await run(make_publisher)
    failed = target(soon.id)
    assert (failed.status, failed.failure_code) == ("failed", "account_disconnected") and fake.calls == []
    assert post(soon.id).status == "failed"

    later = schedule(team, [team.tiktok.id], clock, due=clock.now + timedelta(hours=1))
    with database.session_scope() as db:
        disconnect_account(db, db.get(type(team.owner), team.owner.id), team.workspace_id, team.tiktok.id)
        accounts_store.save_account(db, team.workspace_id, _draft(team.tiktok), "connected", now=clock.now)
    released = target(later.id)
    assert released.status == "scheduled" and released.failure_code is None
    assert released.due_at == clock.now + timedelta(hours=1)  # its own time kept
    clock.shift(hours=1)
    await run(make_publisher)
    assert target(later.id).status == "published"


# -- content sync after publishing -----------------------------------------------------------


async def test_a_published_facebook_post_appears_in_the_accounts_details(team, fake, clock):
    with database.session_scope() as db:
        page = add_account(db, team.workspace_id, "facebook", "page-5", connection_method="facebook_page")
        store_tokens(db, page.id, {"access_token": "user", "page_access_token": "page"})
    schedule(team, [page.id], clock, text="Fresh bread")
    worker = Publisher(provider_factory=fake.factory, clock=clock)
    await worker.run_until_idle()
    with database.session_scope() as db:
        captions = [p.caption for p in db.exec(select(SyncedPost).where(SyncedPost.account_id == page.id))]
        kinds = [e.kind for e in db.exec(select(ConnectionEvent).where(ConnectionEvent.account_id == page.id))]
    assert captions == ["Fresh bread"] and "content_synced" in kinds


# -- the posts page's actions ----------------------------------------------------------------


async def test_retry_puts_a_failed_target_back_and_it_publishes(team, fake, clock, make_publisher, db):
    fake.script = ["rejected"]
    sent = schedule(team, [team.x.id], clock)
    await run(make_publisher)
    failed = target(sent.id)
    with pytest.raises(NotFound):
        in_transaction(post_actions.retry_target, make_team(db, "other").member, team.workspace_id, failed.id)
    other = make_team(db, "q")
    with pytest.raises(NotFound):  # a member of another workspace naming its own workspace
        in_transaction(post_actions.retry_target, other.member, other.workspace_id, failed.id)
    in_transaction(post_actions.retry_target, team.member, team.workspace_id, failed.id, now=clock.now)
    again = target(sent.id)
    assert (again.status, again.attempts, again.failure_code, again.due_at) == ("scheduled", 0, None, clock.now)
    assert post(sent.id).status == "scheduled"
    with pytest.raises(ValidationError):
        in_transaction(post_actions.retry_target, team.member, team.workspace_id, failed.id)
    await run(make_publisher)
    assert target(sent.id).status == "published"


async def test_post_now_goes_out_within_a_second_not_at_the_next_tick(team, fake, db):
    worker = Publisher(provider_factory=fake.factory, sync_content=False)
    publisher._default = worker
    try:
        await worker.tick()  # the scheduler's first tick: nothing due
        sent = schedule(team, [team.x.id], Clock(), due=datetime.now(UTC) + timedelta(days=1))
        with pytest.raises(NotFound):
            await asyncio.to_thread(
                in_transaction, post_actions.publish_now, make_team(db, "z").member, team.workspace_id, sent.id
            )
        assert (
            await asyncio.to_thread(in_transaction, post_actions.publish_now, team.member, team.workspace_id, sent.id)
            == 1
        )
        publisher.wake()
        for _ in range(20):
            await asyncio.sleep(0.05)
            if target(sent.id).status == "published":
                break
        assert target(sent.id).status == "published"
        await worker.drain()
    finally:
        publisher._default = None
