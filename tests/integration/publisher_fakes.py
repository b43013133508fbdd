"""A stand-in platform for the publisher's tests: posts are rows in a SQLite file of its own, so
several processes publishing "to it" are counted in one place, and a post created by a process
that then dies is still there. Behaviour per call is scripted (fail, time out after posting, ...).

It is injected through the publisher's ``provider_factory``, as the real clients are."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from socializioz.domain.errors import ErrorKind, ProviderError, Unsupported
from socializioz.integrations.models import AccountRef, PostInfo, PublishRequest, PublishResult

_SCHEMA = """CREATE TABLE IF NOT EXISTS posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT, account TEXT, token TEXT, text TEXT,
    media TEXT, at REAL)"""


def error(kind: str, platform: str = "x") -> ProviderError:
    """The classified errors a client raises, by a short name."""
    return {
        "timeout": ProviderError(ErrorKind.TEMPORARY, "provider_unavailable", platform, detail="timeout"),
        "5xx": ProviderError(ErrorKind.TEMPORARY, "provider_unavailable", platform, status=503),
        "429": ProviderError(ErrorKind.TEMPORARY, "rate_limited", platform, status=429, retry_after=600),
        "reconnect": ProviderError(ErrorKind.NEEDS_RECONNECT, "token_invalid", platform, status=401),
        "permission": ProviderError(
            ErrorKind.MISSING_PERMISSION, "scope_not_granted", platform, status=403, missing_scope="tweet.write"
        ),
        "rejected": ProviderError(
            ErrorKind.REJECTED_CONTENT, "content_rejected", platform, status=400, detail="duplicate content"
        ),
        "rejected_unknown_code": ProviderError(
            ErrorKind.REJECTED_CONTENT, "x_duplicate_tweet_4321", platform, status=403, detail="You already said that"
        ),
    }[kind]


@dataclass
class FakePlatform:
    """The platform's side: its posts (a file), and what the next calls do."""

    path: Path
    latency: float = 0.0
    # One entry per publish_post call, in order: "ok", or an ``error`` name that fails before
    # posting, or "post+timeout" / "post+5xx" (the post is created, then the answer is lost).
    script: list[str] = field(default_factory=list)
    by_account: dict[str, list[str]] = field(default_factory=dict)  # a script of its own per account id
    find: str = "search"  # "search" | "unsupported" | "error"
    calls: list[tuple[str, str, PublishRequest]] = field(default_factory=list)  # (client, account, request)
    finds: int = 0

    def __post_init__(self) -> None:
        with self._db() as db:
            db.execute(_SCHEMA)

    def _db(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def posts(self) -> list[tuple[str, str, str]]:
        """(account, token, text) of every post created, oldest first."""
        with self._db() as db:
            return [tuple(r) for r in db.execute("SELECT account, token, text FROM posts ORDER BY id")]

    def create(self, client: str, account: AccountRef, request: PublishRequest) -> int:
        with self._db() as db:
            cursor = db.execute(
                "INSERT INTO posts (platform, account, token, text, media, at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    account.platform,
                    account.external_id,
                    account.access_token,
                    request.text,
                    " ".join(m.url for m in request.media),
                    datetime.now(UTC).timestamp(),
                ),
            )
            return int(cursor.lastrowid or 0)

    def search(self, account: AccountRef, request: PublishRequest, since: datetime) -> int | None:
        with self._db() as db:
            row = db.execute(
                "SELECT id FROM posts WHERE platform = ? AND account = ? AND text = ? AND at >= ? ORDER BY id",
                (account.platform, account.external_id, request.text, since.timestamp()),
            ).fetchone()
        return row[0] if row else None

    def factory(self, client: str) -> FakeClient:
        return FakeClient(self, client)


class FakeClient:
    """What the publisher sees through ``provider_factory``: ``publish_post`` and ``find_published``
    (and the reads content sync makes, from the same posts)."""

    def __init__(self, platform: FakePlatform, client: str) -> None:
        self.platform, self.client = platform, client

    async def publish_post(self, account: AccountRef, request: PublishRequest, checkpoint=None) -> PublishResult:
        fake = self.platform
        fake.calls.append((self.client, account.external_id, request))
        script = fake.by_account.get(account.external_id, fake.script)
        step = script.pop(0) if script else "ok"
        if fake.latency:
            await asyncio.sleep(fake.latency)
        if step.startswith("handle+"):  # a first step saved, then the call fails
            if checkpoint is not None:
                await checkpoint({"container_id": f"c-{len(fake.calls)}"})
            raise error(step.removeprefix("handle+"), account.platform)
        if step not in ("ok", "post+timeout", "post+5xx"):
            raise error(step, account.platform)
        post_id = fake.create(self.client, account, request)
        if step != "ok":
            raise error(step.removeprefix("post+"), account.platform)
        return PublishResult(str(post_id), permalink=f"https://example.test/{account.external_id}/{post_id}")

    async def find_published(self, account: AccountRef, request: PublishRequest, since: datetime):
        fake = self.platform
        fake.finds += 1
        if fake.find == "unsupported":
            raise Unsupported(account.platform, "publish")
        if fake.find == "error":
            raise error("5xx", account.platform)
        post_id = fake.search(account, request, since)
        if post_id is None:
            return None
        return PublishResult(str(post_id), permalink=f"https://example.test/{account.external_id}/{post_id}")

    async def recent_posts(self, token: str, account_id: str, limit: int = 10) -> list[PostInfo]:
        with self.platform._db() as db:
            rows = db.execute(
                "SELECT id, text FROM posts WHERE account = ? ORDER BY id DESC LIMIT ?", (account_id, limit)
            ).fetchall()
        return [PostInfo(str(i), text, datetime.now(UTC)) for i, text in rows]

    linked_posts = recent_posts

    async def comments(self, token: str, post_id: str, limit: int = 25):
        return []

    linked_comments = comments

    async def permissions(self, token: str):
        raise error("permission", self.client)  # content sync then leaves the recorded scopes alone

    async def aclose(self) -> None:
        return None
