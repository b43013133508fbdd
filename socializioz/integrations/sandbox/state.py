"""The sandbox's in-memory world: seeded personas and content, codes, tokens and faults.

One ``SandboxState`` per app; every read and write holds one lock, never across an ``await``,
so concurrent requests (and tests poking the state directly) see consistent data.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field, replace

from .clock import SandboxClock
from .options import SandboxOptions
from .seed import Comment, Post, seed_world


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


FAULT_KINDS = ("timeout", "server_error", "rate_limit", "malformed_json", "html_body", "revoked_token", "declined_scope")
TOKEN_PREFIX = {"facebook": "EAA", "instagram": "IGAA", "tiktok": "act.", "x": "", "linkedin": "AQV"}


class SandboxState:
    def __init__(self, clock: SandboxClock | None = None, options: SandboxOptions | None = None) -> None:
        self.clock = clock or SandboxClock()
        self.options = options or SandboxOptions()
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            world = seed_world(self.clock.now())
            self.personas, self.pages, self.posts = world.personas, world.pages, world.posts
            self.linked_instagram = world.linked_instagram
            self.codes: dict[str, Code] = {}
            self.tokens: dict[str, Token] = {}
            self.faults: dict[str, Fault] = {}
            self.page_tokens: dict[tuple[str, str], str] = {}
            self.rate_counters: dict[tuple[str, str, int], int] = {}
            self.containers: dict[str, tuple[str, str, str]] = {}  # Instagram: id → (owner, image, caption)

    def now(self) -> float:
        return self.clock.now()

    # -- codes -----------------------------------------------------------------------------------

    def issue_code(self, platform: str, ttl: int, **fields) -> Code:
        with self.lock:
            code = Code(value=secrets.token_urlsafe(24), platform=platform, expires_at=self.now() + ttl, **fields)
            self.codes[code.value] = code
            return code

    def redeem_code(self, value: str, platform: str) -> tuple[Code | None, str]:
        """(code, problem) with problem in "", unknown, used, expired; marks the code used."""
        with self.lock:
            code = self.codes.get(value)
            if code is None or code.platform != platform:
                return None, "unknown"
            if code.used:
                return code, "used"
            code.used = True
            if self.now() >= code.expires_at:
                return code, "expired"
            return code, ""

    # -- tokens ----------------------------------------------------------------------------------

    def issue_token(self, platform: str, kind: str, persona_id: str, scopes: tuple[str, ...], client_id: str,
                    expires_in: int | None, **fields) -> Token:
        prefix = "rft." if (platform, kind) == ("tiktok", "refresh") else TOKEN_PREFIX[platform]
        with self.lock:
            now = self.now()
            token = Token(value=prefix + secrets.token_urlsafe(32), platform=platform, kind=kind,
                          persona_id=persona_id, scopes=tuple(scopes), client_id=client_id, issued_at=now,
                          expires_at=None if expires_in is None else now + expires_in, **fields)
            token.family = token.family or token.value
            self.tokens[token.value] = token
            return token

    def token(self, value: str | None, platform: str) -> Token | None:
        with self.lock:
            token = self.tokens.get(value or "")
            return token if token and token.platform == platform else None

    def spend_refresh(self, value: str, platform: str) -> tuple[Token | None, str]:
        """Single-use refresh: (token, problem) with problem "", unknown, used, expired, revoked."""
        with self.lock:
            token = self.token(value, platform)
            if token is None or token.kind != "refresh":
                return None, "unknown"
            if token.used:
                return token, "used"
            problem = token.state(self.now())
            if problem != "valid":
                return token, problem
            token.used = True
            return token, ""

    def revoke_family(self, family: str) -> None:
        with self.lock:
            for token in self.tokens.values():
                if token.family == family:
                    token.revoked = True

    def revoke(self, value: str | None = None, persona_id: str | None = None) -> int:
        with self.lock:
            hits = [t for t in self.tokens.values() if t.value == value or (persona_id and t.persona_id == persona_id)]
            for token in hits:
                token.revoked = True
            return len(hits)

    def expire(self, value: str) -> bool:
        with self.lock:
            token = self.tokens.get(value)
            if token:
                token.expires_at = self.now() - 1
            return token is not None

    def page_token(self, user_token: Token, page_id: str) -> Token:
        """One Page token per user token and Page; no expiry when the user token is long-lived."""
        with self.lock:
            key = (user_token.value, page_id)
            if key in self.page_tokens:
                return self.tokens[self.page_tokens[key]]
            lifetime = None if user_token.kind == "long" else 3600
            token = self.issue_token("facebook", "page", user_token.persona_id, user_token.scopes,
                                     user_token.client_id, lifetime, page_id=page_id, family=user_token.family)
            self.page_tokens[key] = token.value
            return token

    # -- faults ----------------------------------------------------------------------------------

    def inject(self, endpoint: str, fault: Fault) -> None:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {fault.kind!r}")
        with self.lock:
            self.faults[endpoint] = fault

    def take_fault(self, endpoint: str) -> Fault | None:
        """The fault armed for an endpoint (``<platform>.<name>`` or ``<platform>.*``), used once."""
        with self.lock:
            for key in (endpoint, endpoint.split(".", 1)[0] + ".*"):
                fault = self.faults.get(key)
                if fault:
                    fault.times -= 1
                    if fault.times <= 0:
                        del self.faults[key]
                    return replace(fault)
            return None

    def count_call(self, platform: str, key: str, window: int) -> tuple[int, int]:
        """Calls so far in the current window and the window's reset time (X rate limits)."""
        with self.lock:
            start = int(self.now()) // window * window
            bucket = (platform, key, start)
            self.rate_counters[bucket] = self.rate_counters.get(bucket, 0) + 1
            return self.rate_counters[bucket], start + window

    # -- content ---------------------------------------------------------------------------------

    def posts_of(self, owner_id: str) -> list[Post]:
        with self.lock:
            return sorted((p for p in self.posts.values() if p.owner_id == owner_id), key=lambda p: -p.created)

    def post(self, post_id: str) -> Post | None:
        with self.lock:
            return self.posts.get(post_id)

    def add_post(self, platform: str, owner_id: str, caption: str, media_url: str | None = None, **counts) -> Post:
        with self.lock:
            post = Post(id=_new_id(platform, owner_id), platform=platform, owner_id=owner_id, caption=caption,
                        created=self.now(), media_url=media_url, **counts)
            self.posts[post.id] = post
            return post

    def add_comment(self, post_id: str, text: str, author: str = "Sandbox visitor") -> Comment:
        with self.lock:
            post = self.posts[post_id]
            comment = Comment(id=f"{post_id}_c{len(post.comment_list) + 1}_{secrets.randbelow(10**6)}",
                              text=text, author=author, created=self.now())
            post.comment_list.append(comment)
            return comment


def _new_id(platform: str, owner_id: str) -> str:
    number = str(secrets.randbelow(10**15) + 10**15)
    if platform == "facebook":
        return f"{owner_id}_{number}"
    if platform == "linkedin":
        return f"urn:li:share:{number}"
    return number
