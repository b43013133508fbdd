"""The publisher across processes: a worker killed between the platform's answer and its commit
leaves exactly one post on the platform (found by its successor after the lease) or a target that
needs review, never two; several workers on PostgreSQL publish 1,000 due targets exactly once.

The stand-in platform keeps its posts in a SQLite file of its own (``publisher_fakes``), so posts
made by a process that died are still counted."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from socializioz import db as database
from socializioz.models import Post, PostTarget, PublishedCount
from socializioz.services import publish_store
from socializioz.services.publisher import Publisher
from tests.unit.accounts_fixtures import add_account, make_team

from .publisher_fakes import FakePlatform
from .test_refresh_harness import postgres_database

fork = multiprocessing.get_context("fork")
CRASH_EXIT = 17
LEASE = timedelta(seconds=1)


def _start(target, *args) -> multiprocessing.Process:
    """A forked worker; the parent's engine is dropped first so no connection is shared."""
    database.reset_engine()
    process = fork.Process(target=target, args=args)
    process.start()
    return process


def _publish(fake: FakePlatform, concurrency: int = 10, lease: timedelta = LEASE) -> None:
    worker = Publisher(provider_factory=fake.factory, lease=lease, concurrency=concurrency, sync_content=False)
    asyncio.run(worker.run_until_idle())


def _publish_then_die_before_the_commit(fake: FakePlatform) -> None:
    def die(*_args, **_kwargs):
        os._exit(CRASH_EXIT)  # the platform's answer is in memory; nothing of it reaches the database

    publish_store.record_published = die
    _publish(fake)


def _schedule(team, account_ids, texts) -> list[int]:
    now = datetime.now(UTC)
    with database.session_scope() as db:
        ids = []
        for text in texts:
            post = Post(workspace_id=team.workspace_id, author_id=team.member.id, text=text, status="scheduled")
            db.add(post)
            db.flush()
            for account_id in account_ids:
                db.add(PostTarget(post_id=post.id, account_id=account_id, due_at=now))
            ids.append(post.id)
        return ids


def _targets() -> list[PostTarget]:
    with database.session_scope() as db:
        return list(db.exec(select(PostTarget).order_by(PostTarget.id)))


@pytest.fixture
def team(db):
    team = make_team(db, "c")
    team.x = add_account(db, team.workspace_id, "x", "x-c", connection_method="oauth", granted_scopes="tweet.write")
    db.commit()
    return team


@pytest.mark.parametrize(("find", "outcome"), [("search", "published"), ("unsupported", "needs_review")])
def test_a_worker_killed_after_the_platform_answered_never_causes_a_second_post(team, tmp_path, find, outcome):
    fake = FakePlatform(tmp_path / "platform.db")
    _schedule(team, [team.x.id], ["Only once"])

    crashed = _start(_publish_then_die_before_the_commit, fake)
    crashed.join(timeout=120)
    assert crashed.exitcode == CRASH_EXIT
    (left,) = _targets()
    assert left.status == "publishing" and left.attempts == 1 and left.attempt_started_at is not None
    assert fake.posts() == [("x-c", "token-x-x-c", "Only once")]

    fake.find = find
    time.sleep(LEASE.total_seconds() + 0.5)  # the dead worker's lease runs out
    successor = _start(_publish, fake)
    successor.join(timeout=120)
    assert successor.exitcode == 0

    (done,) = _targets()
    assert done.status == outcome and done.attempts == 1
    assert fake.posts() == [("x-c", "token-x-x-c", "Only once")]  # one post on the platform, never two
    if outcome == "published":
        assert done.external_id == "1" and done.lease_holder is None
    else:
        assert done.failure_code == "publish_outcome_unknown"


def _pg_available() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0


@pytest.fixture
def pg(monkeypatch):
    if not _pg_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1")
    with postgres_database(monkeypatch):
        yield


WORKERS, ACCOUNTS, TARGETS = 3, 50, 1_000


def test_several_workers_on_postgresql_publish_every_due_target_exactly_once(pg, tmp_path):
    with database.session_scope() as db:
        team = make_team(db, "m")
        accounts = [
            add_account(db, team.workspace_id, "x", f"x-{i}", connection_method="oauth", granted_scopes="tweet.write")
            for i in range(ACCOUNTS)
        ]
    fake = FakePlatform(tmp_path / "platform.db", latency=0.01)
    per_account = TARGETS // ACCOUNTS
    with database.session_scope() as db:
        now = datetime.now(UTC)
        for n in range(per_account):
            post = Post(workspace_id=team.workspace_id, author_id=team.member.id, text=f"post {n}", status="scheduled")
            db.add(post)
            db.flush()
            db.add_all(PostTarget(post_id=post.id, account_id=a.id, due_at=now) for a in accounts)

    workers = [_start(_publish, fake, 10, timedelta(minutes=15)) for _ in range(WORKERS)]
    for worker in workers:
        worker.join(timeout=600)
    assert [w.exitcode for w in workers] == [0] * WORKERS

    rows = _targets()
    assert len(rows) == TARGETS
    assert Counter(r.status for r in rows) == {"published": TARGETS}
    assert {r.attempts for r in rows} == {1}
    posts = fake.posts()
    assert len(posts) == TARGETS
    assert len({(account, text) for account, _, text in posts}) == TARGETS  # each target once
    holders = Counter(r.lease_holder for r in rows)
    assert holders == {None: TARGETS}
    # The analytics page's published counts, written by three processes at once, add up exactly.
    with database.session_scope() as db:
        counted = db.exec(
            select(sa.func.sum(PublishedCount.posts)).where(PublishedCount.workspace_id == team.workspace_id)
        )
        assert counted.one() == TARGETS
