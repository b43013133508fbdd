"""The one Provider interface, and the OAuth/HTTP plumbing every platform module shares.

Every capability (connect, refresh, content, publish, insights, comment management, messages) is a
method here. A client implements the ones its platform has; the others raise ``Unsupported``.
Whether a platform *offers* a capability is its record's answer (``supports``), never the class's.

Token calls go through Authlib's ``AsyncOAuth2Client`` (client authentication, PKCE, body
encoding); a compliance hook stops any failed token response before Authlib parses it so that
``classify`` sees the raw status, headers and body. API calls use the same client with the token
in the Authorization header. Every call runs under a total deadline, so timeouts are caught the
same way over a real network, an ASGI transport or a mock.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any, ClassVar, TypeVar

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.httpx_client import AsyncOAuth2Client

from socializioz.domain.errors import ErrorKind, ProviderError, Unsupported
from socializioz.domain.platform_specs import MediaRequirement
from socializioz.domain.platforms import Capability, Platform, PlatformInfo, platform_info

from . import logsafe
from .classify import (
    ErrorRules,
    Stage,
    classify_exception,
    classify_response,
    json_object,
    missing_field,
    parse_error_body,
)
from .clock import Clock, SystemClock
from .config import ProviderSettings
from .endpoints import host_base
from .models import (
    AccountRef,
    CallbackResult,
    CommentInfo,
    ConversationInfo,
    Identity,
    ManagedComment,
    MessageInfo,
    MetricPoint,
    PageInfo,
    Permissions,
    PostInfo,
    PostMetrics,
    PublishOptions,
    PublishRequest,
    PublishResult,
    SentMessage,
    TokenSet,
)

logsafe.install()

_T = TypeVar("_T")
Checkpoint = Callable[[Mapping[str, str]], Awaitable[None]]  # saves a publish step's platform ids
Sleep = Callable[[float], Awaitable[None]]
NO_CLIENT_AUTH = httpx.Auth()  # for platforms whose credentials travel as named parameters


@functools.lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """One TLS context per process: building one loads the CA bundle (~60 ms of CPU), which was
    77 % of the event loop's time when every callback built its own."""
    return httpx.create_ssl_context()


class _TokenEndpointFailure(Exception):
    """Raised from the compliance hook; carries the raw response to ``classify``."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__("token endpoint failure")
        self.response = response


def split_scopes(value: Any) -> tuple[str, ...]:
    """Scopes from a comma- or space-separated string, or a list (platforms differ, §5.2)."""
    if not value:
        return ()
    items = value if isinstance(value, (list, tuple)) else str(value).replace(",", " ").split()
    return tuple(str(s).strip() for s in items if str(s).strip())


def as_int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# Which Provider method serves each capability a record can declare (the registry test walks it).
CAPABILITY_METHODS: dict[Capability, str] = {
    Capability.PUBLISH: "publish_post",
    Capability.POST_FEED: "recent_posts",
    Capability.ENGAGEMENT_STATS: "recent_posts",
    Capability.REFRESH_CONTENT: "recent_posts",
    Capability.COMMENT_PREVIEWS: "comments",
    Capability.COMMENT_MANAGEMENT: "reply_comment",
    Capability.DIRECT_MESSAGES: "conversations",
    Capability.ANALYTICS: "account_insights",
}


class Provider(ErrorRules, ABC):
    """A platform as the app sees it. Methods raise ``ProviderError`` and nothing else.

    ``info`` is the platform's record and ``scopes`` its consent scopes, both set from ``platform``;
    the error table and connect-flow codes are the ``ErrorRules`` hooks each client overrides."""

    platform: ClassVar[Platform]
    info: ClassVar[PlatformInfo]
    scopes: ClassVar[tuple[str, ...]]
    scope_separator: ClassVar[str] = " "
    uses_pkce: ClassVar[bool] = False
    token_auth_method: ClassVar[str] = "client_secret_post"
    # ``error`` values of a denied callback that the spec names itself; others become access_denied.
    denial_codes: ClassVar[frozenset[str]] = frozenset({"access_denied"})

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "platform" in cls.__dict__:
            cls.info = platform_info(cls.platform)
            cls.scopes = cls.info.consent_scopes

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        sandbox: bool,
        settings: ProviderSettings,
        clock: Clock | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self.sandbox = sandbox
        self.settings = settings
        self.clock = clock or SystemClock()
        self._oauth = AsyncOAuth2Client(
            client_id=client_id,
            client_secret=client_secret,
            token_endpoint_auth_method=self._token_auth_method(),
            code_challenge_method="S256",
            transport=transport,
            timeout=settings.request_timeout_seconds,
            verify=tls_context(),
        )
        self.shared = False  # set by the factory for the process-wide instances
        self.sleep: Sleep = asyncio.sleep  # how publish flows wait between status polls (tests inject)
        self._oauth.register_compliance_hook("access_token_response", self._check_token_response)

    # -- the interface -------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.platform.value

    @classmethod
    def supports(cls, capability: Capability) -> bool:
        """The platform record's answer: what the UI and services ask before calling a capability."""
        return cls.info.supports(capability)

    def authorization_url(
        self, *, state: str, redirect_uri: str, code_verifier: str | None = None, scopes: tuple[str, ...] | None = None
    ) -> str:
        """The consent URL. ``code_verifier`` is required when ``uses_pkce`` (S256 is sent)."""
        if self.uses_pkce and not code_verifier:
            raise ValueError(f"{self.name} needs a PKCE code_verifier")
        url: str  # Authlib is untyped; create_authorization_url returns (url, state)
        url, _ = self._oauth.create_authorization_url(
            self.authorize_endpoint(),
            state=state,
            code_verifier=code_verifier if self.uses_pkce else None,
            redirect_uri=redirect_uri,
            scope=self.scope_separator.join(scopes or self.scopes),
            **self.authorize_extra(),
        )
        return url

    def parse_callback(self, params: Mapping[str, str]) -> CallbackResult:
        """Our redirect URI's query: a code, or the platform's denial turned into an error."""
        error = params.get("error") or params.get("error_code")
        if error:
            code = error if error in self.denial_codes else self._other_callback_error(error)
            raise ProviderError(
                ErrorKind.NEEDS_RECONNECT, code, self.name, detail=f"authorization refused: {error}"[:120]
            )
        raw = (params.get("code") or "").split("#", 1)[0]  # Instagram appends "#_", Facebook "#_=_"
        if not raw:
            raise ProviderError(ErrorKind.NEEDS_RECONNECT, "no_code", self.name, detail="callback without code")
        return CallbackResult(
            code=raw,
            state=params.get("state"),
            granted_scopes=split_scopes(params.get("granted_scopes") or params.get("scopes")),
            denied_scopes=split_scopes(params.get("denied_scopes")),
        )

    @abstractmethod
    async def exchange_code(self, code: str, *, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        """Code → the longest-lived token the platform gives (Meta: long-lived user token)."""

    @abstractmethod
    async def fetch_identity(self, access_token: str) -> Identity:
        """Who signed in."""

    async def refresh(self, token: TokenSet) -> TokenSet:
        """A fresh token; raises ``refresh_not_supported`` where the platform has none."""
        raise ProviderError(
            ErrorKind.NEEDS_RECONNECT, "refresh_not_supported", self.name, detail="no refresh for this grant"
        )

    async def check_token(self, access_token: str, expires_at: datetime | None) -> datetime | None:
        """The hourly proof that a token still works, as cheap as the platform allows (an identity
        call); returns its expiry. Raises a classified ``ProviderError`` (needs reconnect if revoked)."""
        await self.fetch_identity(access_token)
        return expires_at

    async def verify_connection(self, token: TokenSet) -> None:
        """Connect-time rules of the platform (Meta: permissions and Pages). Default: none."""

    async def permissions(self, access_token: str) -> Permissions:
        """The scopes granted to a token, as the platform reports them now (Meta)."""
        raise ProviderError(ErrorKind.TEMPORARY, "provider_unavailable", self.name, detail="not supported")

    async def debug_token(self, input_token: str) -> dict[str, Any]:
        """The platform's token introspection: scopes, expiry, validity (Meta's ``/debug_token``)."""
        raise Unsupported(self.name, "token_introspection")

    async def list_pages(self, access_token: str) -> list[PageInfo]:
        """Pages and their linked accounts (Facebook); other platforms have none."""
        return []

    # -- content -------------------------------------------------------------------------------

    async def recent_posts(self, access_token: str, account_id: str, limit: int = 10) -> list[PostInfo]:
        """Latest posts with engagement counts."""
        raise Unsupported(self.name, "recent_posts")

    async def comments(self, access_token: str, post_id: str, limit: int = 25) -> list[CommentInfo]:
        """Comments on one post."""
        raise Unsupported(self.name, "comments")

    async def linked_posts(self, access_token: str, account_id: str, limit: int = 10) -> list[PostInfo]:
        """Recent posts of an account linked to one of this platform's accounts, read with the parent's
        token (an Instagram account linked to a Facebook Page, read on the Facebook Graph)."""
        raise Unsupported(self.name, "linked_posts")

    async def linked_comments(self, access_token: str, post_id: str, limit: int = 25) -> list[CommentInfo]:
        """Comments of a linked account's post (see ``linked_posts``)."""
        raise Unsupported(self.name, "linked_comments")

    # -- publish, insights, engagement (capabilities the record declares) -----------------------

    async def publish_post(
        self, account: AccountRef, request: PublishRequest, checkpoint: Checkpoint | None = None
    ) -> PublishResult:
        """Publish one post, the platform's whole flow (upload, container, status polling) included;
        returns only once it is live (or in the TikTok inbox). After each step that creates
        something on the platform, ``await checkpoint({"container_id": ...})`` lets the publisher
        save the handle before the next step; ``request.handles`` brings saved ones back on a
        retry. Raises ``ProviderError`` classified by the error table; a timeout after the request
        was sent is ambiguous (the publisher reconciles with ``find_published`` before any retry)."""
        raise Unsupported(self.name, Capability.PUBLISH.value)

    async def find_published(
        self, account: AccountRef, request: PublishRequest, since: datetime
    ) -> PublishResult | None:
        """The post this request created at or after ``since``, found among the account's recent
        posts (same text, same number of media), or None: how an interrupted attempt is decided."""
        raise Unsupported(self.name, Capability.PUBLISH.value)

    async def publish_options(self, account: AccountRef) -> PublishOptions:
        """What the composer must ask before posting here (TikTok's creator info); none by default."""
        return PublishOptions()

    async def account_insights(self, account: AccountRef, since: date, until: date) -> list[MetricPoint]:
        """Daily account-level metrics for ``since``..``until`` (inclusive, UTC days) under the
        app's metric names (reference/analytics.md §6); a missing scope raises MISSING_PERMISSION.
        Counters the platform gives only as "now" (followers, mostly) come back once, dated ``until``."""
        raise Unsupported(self.name, Capability.ANALYTICS.value)

    def insights_history_days(self, account: AccountRef) -> int:
        """Days of daily account metrics the platform keeps for this account: how far a connect
        backfills (0: the platform gives only "now" counters)."""
        return 0

    async def post_metrics(self, account: AccountRef, limit: int = 25) -> list[PostMetrics]:
        """Counters of the account's most recent posts (reference/analytics.md)."""
        raise Unsupported(self.name, Capability.ANALYTICS.value)

    # Comment management (reference/engagement.md §1-2). ``account`` acts (a Page token, or an
    # Instagram token); a refused permission raises MISSING_PERMISSION naming the scope.

    async def list_comments(self, account: AccountRef, post_id: str, limit: int = 50) -> list[ManagedComment]:
        """Every comment of one post, replies included (``parent_id`` set), with moderation state."""
        raise Unsupported(self.name, Capability.COMMENT_MANAGEMENT.value)

    async def reply_comment(self, account: AccountRef, comment_id: str, text: str) -> str:
        """Reply as the account to a top-level comment; returns the reply's id."""
        raise Unsupported(self.name, Capability.COMMENT_MANAGEMENT.value)

    async def hide_comment(self, account: AccountRef, comment_id: str, hidden: bool) -> None:
        """Hide (or show again) a comment on the account's post."""
        raise Unsupported(self.name, Capability.COMMENT_MANAGEMENT.value)

    async def delete_comment(self, account: AccountRef, comment_id: str) -> None:
        raise Unsupported(self.name, Capability.COMMENT_MANAGEMENT.value)

    async def like_comment(self, account: AccountRef, comment_id: str, liked: bool) -> None:
        """Like (or unlike) as the account: Facebook Pages only."""
        raise Unsupported(self.name, "comment_likes")

    async def conversations(self, account: AccountRef, limit: int = 25) -> list[ConversationInfo]:
        """Direct-message threads of the account, newest first, each with its most recent messages
        (reference/engagement.md §3.2)."""
        raise Unsupported(self.name, Capability.DIRECT_MESSAGES.value)

    async def conversation_messages(self, account: AccountRef, conversation_id: str) -> list[MessageInfo]:
        """The most recent messages of one thread, newest first."""
        raise Unsupported(self.name, Capability.DIRECT_MESSAGES.value)

    async def send_message(
        self,
        account: AccountRef,
        recipient_id: str,
        text: str = "",
        *,
        image_url: str | None = None,
        human_agent: bool = False,
    ) -> SentMessage:
        """Send a text or an image to a person who wrote to the account; ``human_agent`` sends it
        with the platform's human-agent tag (allowed longer after their last message). A refusal
        because the reply window has closed is ``messaging_window_closed``."""
        raise Unsupported(self.name, Capability.DIRECT_MESSAGES.value)

    # -- rules from the record, shared by the clients ---------------------------------------------

    def require_media(self, media_url: str | None) -> None:
        """Refuse a post without media where the record says text alone is not a post (compose
        reads the same rule, so a scheduled post never reaches this)."""
        media = self.info.media
        if media_url or media is None or media.text_only:
            return
        needs = "a video" if media.requires is MediaRequirement.VIDEO else "an image or video"
        raise ProviderError(
            ErrorKind.REJECTED_CONTENT,
            "content_rejected",
            self.name,
            detail=f"{self.info.display_name} posts require {needs}",
        )

    def refuse_account_type(self, account_type: str | None) -> None:
        """Accounts the record says cannot be connected (Instagram PERSONAL): one kind, one code."""
        rules = self.info.accounts
        if (account_type or "").upper() in rules.refused_account_types:
            raise ProviderError(
                ErrorKind.NEEDS_RECONNECT,
                rules.refused_code,
                self.name,
                detail=f"{(account_type or '').lower()} accounts cannot be connected",
            )

    async def aclose(self) -> None:
        """Close the connection pool, unless the factory shares this client with the whole process."""
        if not self.shared:
            await self._oauth.aclose()

    async def close_shared(self) -> None:
        await self._oauth.aclose()

    # -- what platform modules fill in ----------------------------------------------------------

    @abstractmethod
    def authorize_endpoint(self) -> str: ...

    def authorize_extra(self) -> dict[str, str]:
        return {}

    def _token_auth_method(self) -> str:
        return self.token_auth_method

    def _other_callback_error(self, error: str) -> str:
        return "access_denied"

    def normalize_token_body(self, body: dict[str, Any]) -> dict[str, Any]:
        """Reshape a successful token body before parsing (Instagram's wrapped CONFLICT shape)."""
        return body

    # -- shared plumbing --------------------------------------------------------------------------

    def url(self, host: str, path: str) -> str:
        return host_base(host, self.settings, sandbox=self.sandbox) + path

    def now(self) -> int:
        return int(self.clock.now())

    def _check_token_response(self, response: httpx.Response) -> httpx.Response:
        body = json_object(response)
        if response.status_code >= 400 or body is None or parse_error_body(body) is not None:
            raise _TokenEndpointFailure(response)
        return httpx.Response(200, json=self.normalize_token_body(body), request=response.request)

    async def _deadline(self, awaitable: Awaitable[_T]) -> _T:
        return await asyncio.wait_for(awaitable, self.settings.request_timeout_seconds)

    async def token_request(
        self, stage: Stage, url: str, *, grant_type: str, method: str = "POST", params_auth: bool = False, **params: Any
    ) -> dict[str, Any]:
        """One token-endpoint call through Authlib; returns the raw successful JSON body."""
        if params_auth:
            params["auth"] = NO_CLIENT_AUTH
        try:
            token = await self._deadline(self._oauth.fetch_token(url, method=method, grant_type=grant_type, **params))
        except _TokenEndpointFailure as failure:
            raise classify_response(failure.response, self.name, stage, now=self.clock.now()) from None
        except (httpx.HTTPError, TimeoutError) as exc:
            raise classify_exception(exc, self.name, stage) from None
        except AuthlibBaseError as exc:
            raise ProviderError(
                ErrorKind.TEMPORARY, "token_exchange_failed", self.name, detail=f"oauth client: {exc.error}"
            ) from None
        finally:
            self._oauth.token = None  # the shared client never keeps a user's token
        return dict(token)

    def token_set_or_no_access_token(
        self, stage: Stage, body: Mapping[str, Any], previous: TokenSet | None = None
    ) -> TokenSet:
        """X and LinkedIn: a 200 without an access token is the spec's ``no_access_token``."""
        if not body.get("access_token"):
            code = "no_access_token" if stage is Stage.TOKEN_EXCHANGE else "token_invalid"
            raise missing_field(self.name, stage, code, "access_token")
        return self.token_set(body, previous=previous)

    def token_set(self, body: Mapping[str, Any], previous: TokenSet | None = None) -> TokenSet:
        """A TokenSet whose lifetimes come from the response, timed by the injected clock."""
        now = self.now()
        expires_in = as_int(body.get("expires_in"))
        refresh_token = body.get("refresh_token") or (previous.refresh_token if previous else None)
        refresh_in = as_int(body.get("refresh_expires_in") or body.get("refresh_token_expires_in"))
        refresh_expires_at = now + refresh_in if refresh_in else None
        if refresh_expires_at is None and previous and refresh_token == previous.refresh_token:
            refresh_expires_at = previous.refresh_expires_at
        external_id = body.get("open_id") or body.get("user_id") or (previous.external_id if previous else None)
        return TokenSet(
            access_token=str(body["access_token"]),
            token_type=str(body.get("token_type") or "bearer"),
            refresh_token=refresh_token,
            issued_at=now,
            expires_at=now + expires_in if expires_in else None,
            refresh_expires_at=refresh_expires_at,
            scopes=split_scopes(body.get("scope") or body.get("permissions")) or (previous.scopes if previous else ()),
            external_id=str(external_id) if external_id is not None else None,
        )

    async def api(
        self,
        stage: Stage,
        method: str,
        url: str,
        access_token: str | None,
        *,
        required_scope: str | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """An API call, authenticated unless ``access_token`` is None (upload URLs and media links
        carry their own credentials); any failure comes back classified."""
        auth = {"Authorization": f"Bearer {access_token}"} if access_token is not None else {}
        headers = {**auth, **kwargs.pop("headers", {})}
        try:
            response: httpx.Response = await self._deadline(
                self._oauth.request(method, url, headers=headers, withhold_token=True, **kwargs)
            )
        except (httpx.HTTPError, TimeoutError) as exc:
            raise classify_exception(exc, self.name, stage) from None
        if response.status_code >= 400:
            raise classify_response(response, self.name, stage, now=self.clock.now(), required_scope=required_scope)
        return response

    async def api_json(
        self,
        stage: Stage,
        method: str,
        url: str,
        access_token: str,
        *,
        required_scope: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        response = await self.api(stage, method, url, access_token, required_scope=required_scope, **kwargs)
        body = json_object(response)
        if body is None or parse_error_body(body) is not None:
            raise classify_response(response, self.name, stage, now=self.clock.now(), required_scope=required_scope)
        return body


def parse_time(value: Any) -> datetime | None:
    """ISO-8601 (Graph's ``+0000`` included) or epoch seconds (TikTok) → aware datetime."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, tz=UTC)
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
