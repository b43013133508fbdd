"""The sandbox's world: static seeded personas and Pages in memory, everything that changes in the
database (``store.py``) so several workers and restarts agree.

Methods are synchronous and each opens a short session of its own; the app runs a whole sandbox
request in a worker thread (``app._run``), so none of this blocks the event loop and no connection
is held across an ``await``. Content reads and writes are scoped to the *current tenant*, a
context variable that ``common.authenticate`` sets from the request's token: a tenant sees the
shared world (``store.WORLD``) plus its own posts and comments, never another tenant's.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import TypedDict, Unpack

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select, update

from .clock import SandboxClock
from .fetch import MediaFetcher, http_fetch
from .options import SandboxOptions
from .seed import Comment, Post, seed_world
from .store import (
    TABLES,
    WORLD,
    SandboxCode,
    SandboxComment,
    SandboxContainer,
    SandboxCounter,
    SandboxCsrf,
    SandboxFault,
    SandboxMedia,
    SandboxMessage,
    SandboxMeta,
    SandboxPost,
    SandboxToken,
    SandboxUpload,
)
from .webhook_push import WebhookPusher

CODE_GRACE = 3600  # expired codes still answer "expired" (not "unknown") for an hour
TOKEN_GRACE = 30 * 86400  # expired tokens still answer "expired" for a month, then go
UNEXPIRING_KEEP = 90 * 86400  # Page tokens without expiry: Facebook's data-access window
CONTAINER_TTL = 24 * 3600  # unpublished Instagram containers expire (publishing.md §2.3)
CONTAINER_KEEP = 2 * CONTAINER_TTL  # ... and are still answered EXPIRED for another day
QUOTA_WINDOW = 24 * 3600  # Instagram's moving publishing window (§2.5)
PRUNE_EVERY = 60.0  # real seconds between opportunistic prunes per process

_TENANT: ContextVar[str] = ContextVar("sandbox_tenant", default="")


class CodeFields(TypedDict, total=False):
    """What ``SandboxState.issue_code`` takes besides platform, lifetime and tenant."""

    client_id: str
    redirect_uri: str
    persona_id: str
    scopes: tuple[str, ...]
    challenge: str | None
    challenge_method: str | None
    page_ids: tuple[str, ...]


class TokenExtras(TypedDict, total=False):
    """Optional ``Token`` fields ``SandboxState.issue_token`` passes through."""

    page_ids: tuple[str, ...]
    page_id: str | None
    family: str


class PostCounts(TypedDict, total=False):
    """Engagement a post added through ``SandboxState.add_post`` starts with, and what media it holds."""

    reactions: int
    shares: int
    views: int
    media_kind: str
    media_count: int


@dataclass(frozen=True)
class ContainerSpec:
    """What ``POST /{ig-user-id}/media`` asked for (publishing.md §2.2), after validation."""

    owner_id: str
    media_url: str
    caption: str
    media_type: str = "IMAGE"
    is_carousel_item: bool = False
    children: tuple[str, ...] = ()


def current_tenant() -> str:
    return _TENANT.get()


def use_tenant(tenant: str) -> None:
    """Scope this request's content reads and writes to ``tenant``."""
    _TENANT.set(tenant)


@dataclass
class Code:
    value: str
    platform: str
    client_id: str
    redirect_uri: str
    persona_id: str
    scopes: tuple[str, ...]
    expires_at: float
    challenge: str | None = None
    challenge_method: str | None = None
    page_ids: tuple[str, ...] = ()
    used: bool = False
    tenant: str = ""


@dataclass
class Token:
    value: str
    platform: str
    kind: str  # short | long | access | refresh | page | app
    persona_id: str
    scopes: tuple[str, ...]
    client_id: str
    issued_at: float
    expires_at: float | None  # None: never (Page tokens from long-lived user tokens)
    page_ids: tuple[str, ...] = ()
    page_id: str | None = None
    family: str = ""
    revoked: bool = False
    used: bool = False  # single-use refresh tokens
    tenant: str = ""

    def state(self, now: float) -> str:
        """valid | expired | revoked."""
        if self.revoked:
            return "revoked"
        if self.expires_at is not None and now >= self.expires_at:
            return "expired"
        return "valid"


@dataclass
class Fault:
    kind: str  # timeout | server_error | rate_limit | malformed_json | html_body | revoked_token | declined_scope
    times: int = 1
    status: int | None = None
    retry_after: int | None = None
    scope: str | None = None


FAULT_KINDS = (
    "timeout",
    "server_error",
    "rate_limit",
    "malformed_json",
    "html_body",
    "revoked_token",
    "declined_scope",
    # Publishing (meta_publishing.py): the request succeeds on the platform, then the answer never
    # arrives; the fetched media is refused; a new container or video ends in ERROR or is EXPIRED.
    "timeout_after_create",
    "media_rejected",
    "container_error",
    "container_expired",
    "processing_failed",  # publish_faults.py: TikTok, X and LinkedIn processing fails
)
TOKEN_PREFIX = {"facebook": "EAA", "instagram": "IGAA", "tiktok": "act.", "x": "", "linkedin": "AQV"}


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _code(row: SandboxCode) -> Code:
    return Code(
        value=row.value,
        platform=row.platform,
        client_id=row.client_id,
        redirect_uri=row.redirect_uri,
        persona_id=row.persona_id,
        scopes=_split(row.scopes),
        expires_at=row.expires_at,
        challenge=row.challenge,
        challenge_method=row.challenge_method,
        page_ids=_split(row.page_ids),
        used=row.used,
        tenant=row.tenant,
    )


def _token(row: SandboxToken) -> Token:
    return Token(
        value=row.value,
        platform=row.platform,
        kind=row.kind,
        persona_id=row.persona_id,
        scopes=_split(row.scopes),
        client_id=row.client_id,
        issued_at=row.issued_at,
        expires_at=row.expires_at,
        page_ids=_split(row.page_ids),
        page_id=row.page_id,
        family=row.family,
        revoked=row.revoked,
        used=row.used,
        tenant=row.tenant,
    )


def _csrf_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SandboxState:
    def __init__(
        self, clock: SandboxClock | None = None, options: SandboxOptions | None = None, engine: sa.Engine | None = None
    ) -> None:
        self.clock = clock or SandboxClock()
        self.options = options or SandboxOptions()
        self._engine = engine  # None: the app's engine, looked up per call (tests rebuild it)
        world = seed_world(0)
        self.personas, self.pages, self.linked_instagram = world.personas, world.pages, world.linked_instagram
        self._seeded: dict[str, Post] | None = None
        self.fetch_media: MediaFetcher = http_fetch  # how publish calls download media (tests inject)
        self._epoch: float | None = None
        self._last_prune = time.monotonic()
        # URL prefixes whose ownership the app "verified" (TikTok PULL_FROM_URL, publishing.md §3.5).
        self.verified_url_prefixes: tuple[str, ...] = ()
        self.webhooks = WebhookPusher()  # the app's Meta webhook subscription (webhook_push.py)

    def _db(self) -> Session:
        if self._engine is None:
            from socializioz import db  # late: the app's engine follows settings changed by tests

            return Session(db.engine(), expire_on_commit=False)
        return Session(self._engine, expire_on_commit=False)

    def now(self) -> float:
        return self.clock.now()

    def session(self) -> Session:
        """A short session on the sandbox's database, for modules with tables of their own."""
        return self._db()

    # -- housekeeping ----------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget every code, token, fault, counter and post added since seeding (not the seed epoch)."""
        with self._db() as s:
            for table in TABLES:
                if table is not SandboxMeta:
                    s.exec(delete(table))
            s.commit()

    def prune(self) -> dict[str, int]:
        """Delete what has outlived its use; bounded storage depends on this running."""
        now = self.now()
        rules = {
            "codes": delete(SandboxCode).where(col(SandboxCode.expires_at) < now - CODE_GRACE),
            "tokens": delete(SandboxToken).where(col(SandboxToken.purge_at) < now),
            "counters": delete(SandboxCounter).where(col(SandboxCounter.expires_at) < now),
            "csrf": delete(SandboxCsrf).where(col(SandboxCsrf.expires_at) < now),
            "containers": delete(SandboxContainer).where(col(SandboxContainer.expires_at) < now),
            "media": delete(SandboxMedia).where(col(SandboxMedia.expires_at) < now),
            "uploads": delete(SandboxUpload).where(col(SandboxUpload.expires_at) < now),
            "messages": delete(SandboxMessage).where(col(SandboxMessage.expires_at) < now),
        }
        with self._db() as s:
            counts = {name: s.exec(statement).rowcount for name, statement in rules.items()}
            s.commit()
        self._last_prune = time.monotonic()
        return counts

    def maybe_prune(self) -> None:
        if time.monotonic() - self._last_prune >= PRUNE_EVERY:
            self.prune()

    def counts(self) -> dict[str, int]:
        with self._db() as s:
            return {t.__tablename__: s.exec(select(sa.func.count()).select_from(t)).one() for t in TABLES}

    # -- consent forms ---------------------------------------------------------------------------

    def issue_csrf(self, binding: str, ttl: int = 1800) -> str:
        token = secrets.token_urlsafe(24)
        with self._db() as s:
            s.add(SandboxCsrf(token_hash=_csrf_hash(token), binding=binding, expires_at=self.now() + ttl))
            s.commit()
        return token

    def consume_csrf(self, token: str, binding: str) -> bool:
        """True once for a live token shown on this very consent page; it is gone afterwards."""
        if not token or len(token) > 64:
            return False
        with self._db() as s:
            hit = s.exec(
                delete(SandboxCsrf).where(
                    col(SandboxCsrf.token_hash) == _csrf_hash(token),
                    col(SandboxCsrf.binding) == binding,
                    col(SandboxCsrf.expires_at) > self.now(),
                )
            ).rowcount
            s.commit()
        return hit == 1

    # -- codes -----------------------------------------------------------------------------------

    def issue_code(self, platform: str, ttl: int, *, tenant: str = "", **values: Unpack[CodeFields]) -> Code:
        code = Code(
            value=secrets.token_urlsafe(24), platform=platform, expires_at=self.now() + ttl, tenant=tenant, **values
        )
        with self._db() as s:
            s.add(
                SandboxCode(
                    value=code.value,
                    tenant=tenant,
                    platform=platform,
                    client_id=code.client_id,
                    redirect_uri=code.redirect_uri,
                    persona_id=code.persona_id,
                    scopes=" ".join(code.scopes),
                    page_ids=" ".join(code.page_ids),
                    challenge=code.challenge,
                    challenge_method=code.challenge_method,
                    expires_at=code.expires_at,
                )
            )
            s.commit()
        return code

    def redeem_code(self, value: str, platform: str) -> tuple[Code | None, str]:
        """(code, problem) with problem in "", unknown, used, expired; marks the code used (atomically)."""
        with self._db() as s:
            row = s.get(SandboxCode, value or "")
            if row is None or row.platform != platform:
                return None, "unknown"
            code = _code(row)
            taken = s.exec(
                update(SandboxCode)
                .where(col(SandboxCode.value) == value, col(SandboxCode.used) == sa.false())
                .values(used=True)
            ).rowcount
            s.commit()
        if not taken:
            return code, "used"
        if self.now() >= code.expires_at:
            return code, "expired"
        return code, ""

    # -- tokens ----------------------------------------------------------------------------------

    def issue_token(
        self,
        platform: str,
        kind: str,
        persona_id: str,
        scopes: tuple[str, ...],
        client_id: str,
        expires_in: int | None,
        *,
        tenant: str | None = None,
        parent: str | None = None,
        **values: Unpack[TokenExtras],
    ) -> Token:
        """A new token; ``tenant`` defaults to the current one (the grant's, passed explicitly by token endpoints)."""
        prefix = "rft." if (platform, kind) == ("tiktok", "refresh") else TOKEN_PREFIX[platform]
        now = self.now()
        token = Token(
            value=prefix + secrets.token_urlsafe(32),
            platform=platform,
            kind=kind,
            persona_id=persona_id,
            scopes=tuple(scopes),
            client_id=client_id,
            issued_at=now,
            expires_at=None if expires_in is None else now + expires_in,
            tenant=current_tenant() if tenant is None else tenant,
            **values,
        )
        token.family = token.family or token.value
        purge_at = (token.expires_at if token.expires_at is not None else now + UNEXPIRING_KEEP) + TOKEN_GRACE
        with self._db() as s:
            s.add(
                SandboxToken(
                    value=token.value,
                    tenant=token.tenant,
                    platform=platform,
                    kind=kind,
                    persona_id=persona_id,
                    scopes=" ".join(token.scopes),
                    client_id=client_id,
                    issued_at=now,
                    expires_at=token.expires_at,
                    page_ids=" ".join(token.page_ids),
                    page_id=token.page_id,
                    parent=parent,
                    family=token.family,
                    purge_at=purge_at,
                )
            )
            s.commit()
        return token

    def backdate(self, token: Token, seconds: float) -> Token:
        """The token as if issued ``seconds`` earlier (tests and benchmarks age tokens this way)."""
        with self._db() as s:
            row = s.get(SandboxToken, token.value)
            if row is None:
                raise KeyError(token.value)
            row.issued_at -= seconds
            row.expires_at = None if row.expires_at is None else row.expires_at - seconds
            s.add(row)
            s.commit()
            return _token(row)

    def token(self, value: str | None, platform: str | None = None) -> Token | None:
        if not value or len(value) > 128:
            return None
        with self._db() as s:
            row = s.get(SandboxToken, value)
        return _token(row) if row and (platform is None or row.platform == platform) else None

    def spend_refresh(self, value: str, platform: str) -> tuple[Token | None, str]:
        """Single-use refresh: (token, problem) with problem "", unknown, used, expired, revoked."""
        token = self.token(value, platform)
        if token is None or token.kind != "refresh":
            return None, "unknown"
        if token.used:
            return token, "used"
        problem = token.state(self.now())
        if problem != "valid":
            return token, problem
        with self._db() as s:
            taken = s.exec(
                update(SandboxToken)
                .where(col(SandboxToken.value) == value, col(SandboxToken.used) == sa.false())
                .values(used=True)
            ).rowcount
            s.commit()
        return (token, "") if taken else (token, "used")

    def _revoke_where(self, *conditions: sa.ColumnElement[bool]) -> int:
        with self._db() as s:
            hits = s.exec(update(SandboxToken).where(*conditions).values(revoked=True)).rowcount
            s.commit()
        return hits

    def revoke_family(self, family: str) -> None:
        self._revoke_where(col(SandboxToken.family) == family)

    def revoke(self, value: str | None = None, persona_id: str | None = None, tenant: str | None = None) -> int:
        """Revoke one token, or every token of a persona (in one tenant when ``tenant`` is given)."""
        if value:
            return self._revoke_where(col(SandboxToken.value) == value)
        if not persona_id:
            return 0
        scope = [col(SandboxToken.tenant) == tenant] if tenant is not None else []
        return self._revoke_where(col(SandboxToken.persona_id) == persona_id, *scope)

    def expire(self, value: str) -> bool:
        with self._db() as s:
            hit = s.exec(
                update(SandboxToken).where(col(SandboxToken.value) == value).values(expires_at=self.now() - 1)
            ).rowcount
            s.commit()
        return bool(hit)

    def page_token(self, user_token: Token, page_id: str) -> Token:
        """One Page token per user token and Page; no expiry when the user token is long-lived."""
        with self._db() as s:
            row = s.exec(
                select(SandboxToken).where(SandboxToken.parent == user_token.value, SandboxToken.page_id == page_id)
            ).first()
        if row is not None:
            return _token(row)
        lifetime = None if user_token.kind == "long" else 3600
        return self.issue_token(
            "facebook",
            "page",
            user_token.persona_id,
            user_token.scopes,
            user_token.client_id,
            lifetime,
            tenant=user_token.tenant,
            parent=user_token.value,
            page_id=page_id,
            family=user_token.family,
        )

    # -- faults ----------------------------------------------------------------------------------

    def inject(self, endpoint: str, fault: Fault) -> None:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {fault.kind!r}")
        with self._db() as s:
            s.merge(SandboxFault(endpoint=endpoint, **{f.name: getattr(fault, f.name) for f in fields(Fault)}))
            s.commit()

    def take_fault(self, endpoint: str, *, wildcard: bool = True) -> Fault | None:
        """The fault armed for an endpoint (``<platform>.<name>`` or ``<platform>.*``), used once."""
        keys = (endpoint, endpoint.split(".", 1)[0] + ".*") if wildcard else (endpoint,)
        # Nearly every call finds nothing armed: a read says so without the write transaction (two
        # UPDATEs were a third of the sandbox's CPU per request); the decrement below stays atomic.
        with self._db() as s:
            armed = set(
                s.exec(
                    select(SandboxFault.endpoint).where(
                        col(SandboxFault.endpoint).in_(keys), col(SandboxFault.times) > 0
                    )
                ).all()
            )
        for key in (k for k in keys if k in armed):
            with self._db() as s:
                taken = s.exec(
                    update(SandboxFault)
                    .where(col(SandboxFault.endpoint) == key, col(SandboxFault.times) > 0)
                    .values(times=SandboxFault.times - 1)
                ).rowcount
                if not taken:
                    s.rollback()
                    continue
                row = s.get(SandboxFault, key)
                assert row is not None  # the update above just matched it, in this transaction
                fault = Fault(
                    kind=row.kind, times=row.times, status=row.status, retry_after=row.retry_after, scope=row.scope
                )
                s.exec(delete(SandboxFault).where(col(SandboxFault.endpoint) == key, col(SandboxFault.times) <= 0))
                s.commit()
                return fault
        return None

    def fault_endpoints(self) -> list[str]:
        with self._db() as s:
            return sorted(s.exec(select(SandboxFault.endpoint)).all())

    def clear_faults(self) -> None:
        with self._db() as s:
            s.exec(delete(SandboxFault))
            s.commit()

    def count_call(self, platform: str, key: str, window: int) -> tuple[int, int]:
        """Calls so far in the current window (per tenant) and the window's reset time."""
        start = int(self.now()) // window * window
        bucket = f"{platform}|{current_tenant()}|{key}|{start}"[:320]
        bump = (
            update(SandboxCounter)
            .where(col(SandboxCounter.bucket) == bucket)
            .values(count=SandboxCounter.count + 1)
            .returning(col(SandboxCounter.count))
        )
        with self._db() as s:
            count = s.exec(bump).scalar_one_or_none()
            if count is None:
                try:
                    s.add(SandboxCounter(bucket=bucket, count=1, expires_at=start + window))
                    s.commit()
                    count = 1
                except IntegrityError:  # another worker created the bucket first
                    s.rollback()
                    count = s.exec(bump).scalar_one()
            s.commit()
        return count, start + window

    # -- content ---------------------------------------------------------------------------------

    def _seed(self) -> dict[str, Post]:
        """Seeded posts dated from one epoch stored in the database, so every worker shows the same."""
        if self._seeded is None:
            self._seeded = seed_world(self.seed_epoch()).posts
        return self._seeded

    def seed_epoch(self) -> float:
        """When this world was seeded (stored once: every worker and restart agrees); generated
        insights count their growth from it."""
        if self._epoch is None:
            with self._db() as s:
                row = s.get(SandboxMeta, "seed_epoch")
                if row is None:
                    try:
                        s.add(SandboxMeta(key="seed_epoch", value=repr(self.now())))
                        s.commit()
                    except IntegrityError:
                        s.rollback()
                    row = s.get(SandboxMeta, "seed_epoch")
            assert row is not None  # inserted above, or by the worker whose insert won
            self._epoch = float(row.value)
        return self._epoch

    def _visible(self) -> sa.ColumnElement[bool]:
        return col(SandboxPost.tenant).in_((WORLD, current_tenant()))

    def _with_comments(self, s: Session, posts: list[Post]) -> list[Post]:
        ids = [p.id for p in posts]
        rows = (
            s.exec(
                select(SandboxComment)
                .where(col(SandboxComment.post_id).in_(ids), col(SandboxComment.tenant).in_((WORLD, current_tenant())))
                .order_by(col(SandboxComment.created))
            ).all()
            if ids
            else []
        )
        added: dict[str, list[Comment]] = {}
        for r in rows:
            added.setdefault(r.post_id, []).append(
                Comment(r.id, r.text, r.author, r.created, r.likes, r.parent_id, r.author_id)
            )
        return [
            Post(
                p.id,
                p.platform,
                p.owner_id,
                p.caption,
                p.created,
                p.media_url,
                p.reactions,
                p.shares,
                p.views,
                [*p.comment_list, *added.get(p.id, [])],
                p.media_kind,
                p.media_count,
            )
            for p in posts
        ]

    @staticmethod
    def _post(row: SandboxPost) -> Post:
        return Post(
            row.id,
            row.platform,
            row.owner_id,
            row.caption,
            row.created,
            row.media_url,
            row.reactions,
            row.shares,
            row.views,
            [],
            row.media_kind,
            row.media_count,
        )

    def posts_of(self, owner_id: str) -> list[Post]:
        seeded = [p for p in self._seed().values() if p.owner_id == owner_id]
        with self._db() as s:
            rows = s.exec(
                select(SandboxPost).where(
                    SandboxPost.owner_id == owner_id, self._visible(), col(SandboxPost.created) <= self.now()
                )
            ).all()
            posts = self._with_comments(s, seeded + [self._post(r) for r in rows])
        return sorted(posts, key=lambda p: -p.created)

    def post(self, post_id: str) -> Post | None:
        if not post_id or len(post_id) > 64:
            return None
        with self._db() as s:
            found = self._seed().get(post_id)
            if found is None:
                row = s.exec(select(SandboxPost).where(SandboxPost.id == post_id, self._visible())).first()
                found = self._post(row) if row else None
            return self._with_comments(s, [found])[0] if found else None

    def add_post(
        self,
        platform: str,
        owner_id: str,
        caption: str,
        media_url: str | None = None,
        *,
        tenant: str | None = None,
        created: float | None = None,
        post_id: str | None = None,
        **counts: Unpack[PostCounts],
    ) -> Post:
        """A post on the account's feed; ``created`` in the future keeps it off the feed until then."""
        post = Post(
            id=post_id or new_post_id(platform, owner_id),
            platform=platform,
            owner_id=owner_id,
            caption=caption,
            created=self.now() if created is None else created,
            media_url=media_url,
            **counts,
        )
        with self._db() as s:
            s.add(
                SandboxPost(
                    id=post.id,
                    tenant=current_tenant() if tenant is None else tenant,
                    platform=platform,
                    owner_id=owner_id,
                    caption=caption,
                    created=post.created,
                    media_url=media_url,
                    **counts,
                )
            )
            s.commit()
        return post

    def add_comment(
        self,
        post_id: str,
        text: str,
        author: str = "Sandbox visitor",
        *,
        tenant: str | None = None,
        parent_id: str | None = None,
        author_id: str = "",
    ) -> Comment:
        post = self.post(post_id)
        if post is None:
            raise KeyError(post_id)
        comment = Comment(
            id=f"{post_id}_c{len(post.comment_list) + 1}_{secrets.randbelow(10**6)}",
            text=text,
            author=author,
            created=self.now(),
            parent_id=parent_id,
            author_id=author_id,
        )
        with self._db() as s:
            s.add(
                SandboxComment(
                    id=comment.id,
                    tenant=current_tenant() if tenant is None else tenant,
                    post_id=post_id,
                    text=text,
                    author=author,
                    created=comment.created,
                    parent_id=parent_id,
                    author_id=author_id,
                )
            )
            s.commit()
        return comment

    # -- Instagram media containers (publishing.md §2.2-2.5) -------------------------------------

    def add_container(
        self, spec: ContainerSpec, *, processing_seconds: float, error_subcode: int | None = None, expired: bool = False
    ) -> str:
        """A new container of this tenant; ``expired`` backdates it past the 24 h limit (a fault)."""
        container = str(secrets.randbelow(10**15) + 10**16)
        created = self.now() - (CONTAINER_TTL if expired else 0)
        with self._db() as s:
            s.add(
                SandboxContainer(
                    id=container,
                    tenant=current_tenant(),
                    owner_id=spec.owner_id,
                    image_url=spec.media_url,
                    caption=spec.caption,
                    media_type=spec.media_type,
                    is_carousel_item=spec.is_carousel_item,
                    children=" ".join(spec.children),
                    created=created,
                    ready_at=created + processing_seconds,
                    error_subcode=error_subcode,
                    expires_at=created + CONTAINER_KEEP,
                )
            )
            s.commit()
        return container

    def container(self, container: str) -> SandboxContainer | None:
        """A container of this tenant (a detached copy)."""
        if not container or len(container) > 32:
            return None
        with self._db() as s:
            row = s.get(SandboxContainer, container)
        return row if row is not None and row.tenant == current_tenant() else None

    def mark_published(self, container: str, media_id: str) -> bool:
        """Record the container as published, once: two concurrent ``media_publish`` calls cannot both win."""
        now = self.now()
        with self._db() as s:
            won = s.exec(
                update(SandboxContainer)
                .where(col(SandboxContainer.id) == container, col(SandboxContainer.media_id).is_(None))
                .values(media_id=media_id, published_at=now, expires_at=now + QUOTA_WINDOW)
            ).rowcount
            s.commit()
        return bool(won)

    def published_count(self, owner_id: str, since: float) -> int:
        """Posts published through the API since ``since`` (a carousel counts once: children never publish)."""
        with self._db() as s:
            return s.exec(
                select(sa.func.count())
                .select_from(SandboxContainer)
                .where(
                    col(SandboxContainer.owner_id) == owner_id,
                    col(SandboxContainer.tenant) == current_tenant(),
                    col(SandboxContainer.published_at) >= since,
                )
            ).one()

    # -- Facebook staged photos and processing videos (publishing.md §1.4, §1.5) ------------------

    def add_media(
        self,
        owner_id: str,
        kind: str,
        url: str,
        *,
        ready_at: float,
        post_id: str | None = None,
        failed: bool = False,
        caption: str = "",
    ) -> str:
        media_id = str(secrets.randbelow(10**14) + 10**14)
        with self._db() as s:
            s.add(
                SandboxMedia(
                    id=media_id,
                    tenant=current_tenant(),
                    owner_id=owner_id,
                    kind=kind,
                    url=url,
                    caption=caption,
                    created=self.now(),
                    ready_at=ready_at,
                    post_id=post_id,
                    failed=failed,
                    expires_at=max(ready_at, self.now()) + UNEXPIRING_KEEP,
                )
            )
            s.commit()
        return media_id

    def media(self, media_id: str) -> SandboxMedia | None:
        if not media_id or len(media_id) > 32:
            return None
        with self._db() as s:
            row = s.get(SandboxMedia, media_id)
        return row if row is not None and row.tenant == current_tenant() else None

    def videos_of(self, owner_id: str) -> list[SandboxMedia]:
        """A Page's uploaded videos of this tenant, newest first (processing ones included)."""
        with self._db() as s:
            rows = s.exec(
                select(SandboxMedia).where(
                    col(SandboxMedia.owner_id) == owner_id,
                    col(SandboxMedia.tenant) == current_tenant(),
                    col(SandboxMedia.kind) == "video",
                )
            ).all()
        return sorted(rows, key=lambda r: -r.created)

    def attach_photos(self, owner_id: str, photo_ids: list[str], post_id: str) -> bool:
        """Attach staged photos to a feed post, all or none; an attached photo cannot be attached again."""
        with self._db() as s:
            attached = s.exec(
                update(SandboxMedia)
                .where(
                    col(SandboxMedia.id).in_(photo_ids),
                    col(SandboxMedia.owner_id) == owner_id,
                    col(SandboxMedia.tenant) == current_tenant(),
                    col(SandboxMedia.kind) == "photo",
                    col(SandboxMedia.post_id).is_(None),
                )
                .values(post_id=post_id)
            ).rowcount
            if attached != len(set(photo_ids)):
                s.rollback()
                return False
            s.commit()
        return True

    def delete_media(self, media_id: str) -> bool:
        with self._db() as s:
            gone = s.exec(
                delete(SandboxMedia).where(
                    col(SandboxMedia.id) == media_id, col(SandboxMedia.tenant) == current_tenant()
                )
            ).rowcount
            s.commit()
        return bool(gone)

    def take_publishing_fault(self, key: str, kinds: tuple[str, ...]) -> Fault | None:
        """A publishing fault armed for exactly ``key`` (no wildcard: those are the request faults)."""
        with self._db() as s:
            row = s.get(SandboxFault, key)
            if row is None or row.kind not in kinds:
                return None
        return self.take_fault(key, wildcard=False)


def new_post_id(platform: str, owner_id: str) -> str:
    number = str(secrets.randbelow(10**15) + 10**15)
    if platform == "facebook":
        return f"{owner_id}_{number}"
    if platform == "linkedin":
        return f"urn:li:share:{number}"
    return number
