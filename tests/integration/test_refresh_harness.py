"""Shared pieces of the refresh tests (no tests here): accounts whose tokens really exist in the
sandbox, a transport that counts and can fault provider calls, and an hourly driver.

Time: ``time_machine`` moves ``time.time()``/``datetime.now()``; the sandbox clock and the
providers' clock read ``time.time()``, so one travel moves the app, the providers and the sandbox.
"""

from __future__ import annotations

import contextlib
import itertools
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import uvicorn
from sqlmodel import SQLModel, select

from socializioz import db as database
from socializioz.integrations import SANDBOX_CREDENTIALS
from socializioz.integrations.models import TokenSet
from socializioz.models import ConnectionEvent, Membership, SocialAccount, User, Workspace
from socializioz.security.credentials import load_tokens, store_tokens
from socializioz.settings import get_settings

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
SCOPES = {
    "instagram": ("instagram_business_basic", "instagram_business_content_publish"),
    "facebook": ("pages_show_list", "pages_read_engagement", "pages_manage_posts"),
    "x": ("tweet.read", "tweet.write", "users.read", "offline.access"),
    "tiktok": ("user.info.basic", "video.publish"),
    "linkedin": ("openid", "profile", "w_member_social"),
}
PERSONA = {"instagram": "ig-studio", "facebook": "fb-alice", "x": "x-acme", "tiktok": "tt-acme", "linkedin": "li-jane"}
_serial = itertools.count(1)


@dataclass
class Call:
    path: str
    at: float
    status: int


@dataclass
class CountingTransport(httpx.AsyncBaseTransport):
    """Every provider call goes through here: counted, and answered by ``fault`` when it returns one."""

    inner: httpx.AsyncBaseTransport
    calls: list[Call] = field(default_factory=list)
    fault: Callable[[httpx.Request], httpx.Response | None] = lambda request: None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = self.fault(request) or await self.inner.handle_async_request(request)
        self.calls.append(Call(request.url.path, time.time(), response.status_code))
        return response

    def count(self, fragment: str) -> int:
        return sum(fragment in c.path for c in self.calls)


def graph_error(code: int, message: str = "Application request limit reached") -> httpx.Response:
    return httpx.Response(400, json={"error": {"message": message, "type": "OAuthException", "code": code}})


class World:
    """A workspace whose accounts hold tokens the sandbox issued, backdated as a test needs."""

    def __init__(self, state) -> None:
        self.state = state
        with database.session_scope() as db:
            workspace = Workspace(name="Refresh team")
            db.add(workspace)
            db.flush()
            self.workspace_id = workspace.id

    def account(
        self,
        platform: str,
        *,
        expires_in: timedelta | None,
        age: timedelta = timedelta(0),
        scopes: tuple[str, ...] | None = None,
    ) -> int:
        st, persona = self.state, PERSONA[platform]
        client_id, scopes = SANDBOX_CREDENTIALS[platform][0], scopes if scopes is not None else SCOPES[platform]
        lifetime = None if expires_in is None else int((expires_in + age).total_seconds())
        kind = "long" if platform in ("instagram", "facebook") else "access"
        token = st.backdate(st.issue_token(platform, kind, persona, scopes, client_id, lifetime), age.total_seconds())
        tokens = TokenSet(
            access_token=token.value,
            issued_at=int(token.issued_at),
            expires_at=None if token.expires_at is None else int(token.expires_at),
            scopes=scopes,
        )
        extra = {}
        if platform in ("x", "tiktok"):
            refresh = st.issue_token(platform, "refresh", persona, scopes, client_id, 180 * 86400, family=token.family)
            tokens = TokenSet(**{**tokens.__dict__, "refresh_token": refresh.value})
        if platform == "facebook":
            extra["page_access_token"] = st.page_token(token, "1111").value
        with database.session_scope() as db:
            account = SocialAccount(
                workspace_id=self.workspace_id,
                platform=platform,
                external_id=f"{persona}-{next(_serial)}",
                name=f"{platform} account",
                token_expires_at=tokens.expires_at_datetime,
                granted_scopes=" ".join(scopes),
            )
            db.add(account)
            db.flush()
            store_tokens(db, account.id, {**tokens.as_stored(), **extra})
            return account.id

    def row(self, account_id: int) -> SocialAccount:
        with database.session_scope() as db:
            return db.get(SocialAccount, account_id)

    def tokens(self, account_id: int) -> dict:
        with database.session_scope() as db:
            return load_tokens(db, account_id)

    def events(self, account_id: int) -> list[str]:
        with database.session_scope() as db:
            query = select(ConnectionEvent.kind).where(ConnectionEvent.account_id == account_id)
            return list(db.exec(query.order_by(ConnectionEvent.id)).all())

    def token_state(self, account_id: int) -> str:
        """What the sandbox says of the stored access token right now: valid | expired | revoked | unknown."""
        token = self.state.token(self.tokens(account_id)["access_token"])
        return token.state(self.state.now()) if token else "unknown"


class TokenEndpointCounter:
    """ASGI wrapper around the sandbox counting token-endpoint answers by status (one server, many processes)."""

    def __init__(self, app, *fragments: str) -> None:
        self.app, self.fragments, self.statuses = app, fragments, []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not any(f in scope["path"] for f in self.fragments):
            return await self.app(scope, receive, send)

        async def recording_send(message):
            if message["type"] == "http.response.start":
                self.statuses.append(message["status"])
            await send(message)

        await self.app(scope, receive, recording_send)


class SandboxServer:
    """The sandbox on a real port in a thread, so several processes share one emulated world."""

    def __init__(self, app) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "sandbox server did not start"
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/sandbox"

    def __exit__(self, *_exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@contextlib.contextmanager
def postgres_database(monkeypatch, prefix: str = "refresh"):
    """A fresh PostgreSQL database with the schema, as the app's database for this test."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    monkeypatch.setenv("SOCIALIZIOZ_DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    get_settings.cache_clear()
    database.reset_engine()
    SQLModel.metadata.create_all(database.engine())
    try:
        yield
    finally:
        database.reset_engine()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=False)


def admin_of(workspace_id: int) -> User:
    with database.session_scope() as db:
        user = User(email=f"admin-{uuid.uuid4().hex[:8]}@example.com", name="Admin", password_hash="-")
        db.add(user)
        db.flush()
        db.add(Membership(workspace_id=workspace_id, user_id=user.id, role="admin"))
        return user
