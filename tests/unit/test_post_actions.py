"""Retry, cancel one account, delete a post: any member of the workspace may; ids of another
workspace, outsiders and targets in flight or live are refused, and nothing changes when refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from socializioz.models import Post, PostTarget
from socializioz.services.errors import NotFound, ValidationError
from socializioz.services.post_actions import cancel_target, delete_post, retry_target
from tests.unit.accounts_fixtures import outsider, team_a, team_b  # noqa: F401  (fixtures)
from tests.unit.posts_fixtures import make_post

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _target(db, post: Post) -> PostTarget:
    return db.exec(select(PostTarget).where(PostTarget.post_id == post.id)).first()


@pytest.mark.parametrize("status", ["failed", "needs_review"])
@pytest.mark.parametrize("role", ["owner", "admin", "member"])
def test_any_member_retries_a_failed_or_reviewed_target(db, team_a, status: str, role: str) -> None:
    post = make_post(
        db,
        team_a.workspace_id,
        team_a.owner.id,
        [(team_a.instagram, status)],
        status="failed",
        scheduled_at=NOW - timedelta(hours=3),
        failure_code="content_rejected",
        failure_detail="nope",
        attempts=2,
        lease_holder="worker-1",
        lease_until=NOW - timedelta(hours=2),
        attempt_started_at=NOW - timedelta(hours=3),
        due_at=NOW - timedelta(hours=3),
    )
    db.commit()
    retry_target(db, team_a.by_role(role), team_a.workspace_id, _target(db, post).id, now=NOW)
    db.commit()
    target = _target(db, post)
    assert target.status == "scheduled" and target.due_at == NOW
    assert target.failure_code is None and target.failure_detail is None
    assert target.lease_holder is None and target.attempt_started_at is None
    assert target.attempts == 0  # a fresh set of attempts: a person decided to try again
    assert db.get(Post, post.id).status == "scheduled"


@pytest.mark.parametrize("status", ["scheduled", "publishing", "published", "blocked", "draft"])
def test_retry_refuses_targets_that_did_not_fail(db, team_a, status: str) -> None:
    post = make_post(db, team_a.workspace_id, team_a.owner.id, [(team_a.facebook, status)], scheduled_at=NOW)
    db.commit()
    with pytest.raises(ValidationError) as refused:
        retry_target(db, team_a.member, team_a.workspace_id, _target(db, post).id, now=NOW)
    assert refused.value.code == "posts.retry_not_allowed"
    db.rollback()
    assert _target(db, post).status == status


def test_retrying_a_partly_failed_post_queues_it_again(db, team_a) -> None:
    post = make_post(db, team_a.workspace_id, team_a.owner.id, [(team_a.facebook, "published")], status="partly_failed")
    db.add(PostTarget(post_id=post.id, account_id=team_a.instagram.id, status="failed"))
    db.commit()
    failed = db.exec(select(PostTarget).where(PostTarget.post_id == post.id, PostTarget.status == "failed")).one()
    retry_target(db, team_a.member, team_a.workspace_id, failed.id, now=NOW)
    db.commit()
    assert db.get(Post, post.id).status == "scheduled"  # domain.publishing.post_status: a copy is queued again


def test_foreign_and_missing_ids_are_not_found(db, team_a, team_b, outsider) -> None:
    post = make_post(db, team_a.workspace_id, team_a.owner.id, [(team_a.facebook, "failed")])
    db.commit()
    target_id = _target(db, post).id
    for user, workspace_id, wanted in [
        (team_b.owner, team_b.workspace_id, target_id),  # another workspace's target through my workspace
        (team_b.owner, team_a.workspace_id, target_id),  # claiming the other workspace
        (outsider, team_a.workspace_id, target_id),
        (None, team_a.workspace_id, target_id),
        (team_a.member, team_a.workspace_id, 999_999),
        (team_a.member, team_a.workspace_id, "1"),  # not an int from a hostile socket
    ]:
        for action in (retry_target, cancel_target):
            with pytest.raises(NotFound):
                action(db, user, workspace_id, wanted)
        with pytest.raises(NotFound):
            delete_post(db, user, workspace_id, post.id if wanted == target_id else wanted)
    db.rollback()
    assert _target(db, post).status == "failed" and db.get(Post, post.id) is not None


def test_cancel_takes_one_account_off_and_the_last_leaves_a_draft(db, team_a) -> None:
    post = make_post(
        db, team_a.workspace_id, team_a.owner.id, [(team_a.facebook, "scheduled"), (team_a.instagram, "blocked")]
    )
    post.blocked_reason = "posts.blocked.account_disconnected"
    db.commit()
    first, second = db.exec(select(PostTarget).where(PostTarget.post_id == post.id).order_by(PostTarget.id)).all()
    cancel_target(db, team_a.member, team_a.workspace_id, first.id)
    db.commit()
    assert db.get(Post, post.id).status == "scheduled"
    cancel_target(db, team_a.member, team_a.workspace_id, second.id)
    db.commit()
    kept = db.get(Post, post.id)
    assert kept.status == "draft" and kept.text == "Hello" and kept.blocked_reason is None


@pytest.mark.parametrize("status", ["publishing", "published"])
def test_cancel_and_delete_refuse_what_went_out(db, team_a, status: str) -> None:
    post = make_post(
        db, team_a.workspace_id, team_a.owner.id, [(team_a.facebook, status), (team_a.tiktok, "scheduled")]
    )
    db.commit()
    sent = db.exec(select(PostTarget).where(PostTarget.post_id == post.id, PostTarget.status == status)).one()
    with pytest.raises(ValidationError) as cancel_refused:
        cancel_target(db, team_a.owner, team_a.workspace_id, sent.id)
    assert cancel_refused.value.code == "posts.cancel_not_allowed"
    with pytest.raises(ValidationError) as delete_refused:
        delete_post(db, team_a.owner, team_a.workspace_id, post.id)
    assert delete_refused.value.code == "posts.delete_not_allowed"
    db.rollback()
    assert len(db.exec(select(PostTarget).where(PostTarget.post_id == post.id)).all()) == 2


def test_delete_removes_a_draft_or_scheduled_post_and_its_targets(db, team_a) -> None:
    draft = make_post(db, team_a.workspace_id, team_a.owner.id, [(team_a.facebook, "draft")], status="draft")
    scheduled = make_post(
        db, team_a.workspace_id, team_a.owner.id, [(team_a.facebook, "scheduled"), (team_a.instagram, "failed")]
    )
    db.commit()
    for post_id in (draft.id, scheduled.id):
        delete_post(db, team_a.member, team_a.workspace_id, post_id)
        db.commit()
        assert db.get(Post, post_id) is None
        assert db.exec(select(PostTarget).where(PostTarget.post_id == post_id)).all() == []
