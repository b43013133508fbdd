"""The spec's "Connection error reference" as data, and the error classes providers raise.

Every code of every table (General OAuth, Meta, X, TikTok, LinkedIn) is one ``CatalogueEntry``
holding the spec's English text; the i18n catalogue is generated from it, so the UI shows a
code's cause and what-to-do from here and nowhere else. A few entries are not in the spec
(``in_spec=False``): they name failures after connecting (rate limits, revoked tokens, ...) so that
every ``ProviderError`` carries a code the UI can explain.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any

from .error_groups import ErrorGroup
from .platforms import error_group


class ErrorKind(str, enum.Enum):
    """What a failure means for the account; decided before anything changes state."""

    TEMPORARY = "temporary"
    NEEDS_RECONNECT = "needs_reconnect"
    MISSING_PERMISSION = "missing_permission"
    REJECTED_CONTENT = "rejected_content"
    UNSUPPORTED = "unsupported"  # the platform has no such capability: nothing to retry or reconnect


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    group: ErrorGroup
    cause: str
    what_to_do: str
    label: str = ""  # what the spec displays when it differs from the code ("No Pages found")
    aliases: tuple[str, ...] = ()
    in_spec: bool = True
    passthrough: bool = False  # a provider's own code shown as-is (TikTok)

    @property
    def displayed(self) -> str:
        return self.label or self.code

    @property
    def key_prefix(self) -> str:
        """i18n key prefix: ``error.<code>`` for the general table, ``error.<group>.<code>`` else."""
        if self.group is ErrorGroup.GENERAL:
            return f"error.{self.code}"
        return f"error.{self.group.value}.{'passthrough' if self.passthrough else self.code}"

    @property
    def cause_key(self) -> str:
        return f"{self.key_prefix}.cause"

    @property
    def what_to_do_key(self) -> str:
        return f"{self.key_prefix}.what_to_do"

    @property
    def all_codes(self) -> tuple[str, ...]:
        return (self.code, *self.aliases)


def _e(group: ErrorGroup, code: str, cause: str, what_to_do: str, **kw: Any) -> CatalogueEntry:
    return CatalogueEntry(code=code, group=group, cause=cause, what_to_do=what_to_do, **kw)


_G, _M, _X, _T, _L, _R = (
    ErrorGroup.GENERAL,
    ErrorGroup.META,
    ErrorGroup.X,
    ErrorGroup.TIKTOK,
    ErrorGroup.LINKEDIN,
    ErrorGroup.RUNTIME,
)
_RETRY_SUPPORT = "Retry the connection. If it persists, contact support."

CATALOGUE: tuple[CatalogueEntry, ...] = (
    # General OAuth errors
    _e(
        _G,
        "no_code",
        "No authorization code was received from the platform.",
        "Retry the connection. Make sure you complete the full authorization flow without closing the browser.",
        aliases=("missing_code",),
    ),
    _e(
        _G,
        "missing_state",
        "The OAuth callback could not be verified, often caused by opening the flow in multiple tabs.",
        "Close extra tabs and reconnect from a single browser tab.",
        aliases=("invalid_state",),
    ),
    _e(
        _G,
        "invalid_state_data",
        "The OAuth session data was corrupted in transit.",
        "Start the connection process again from the Connections page.",
    ),
    _e(
        _G,
        "session_expired",
        "You took too long to complete the OAuth flow, or the browser session was interrupted.",
        "Start the connection process again. Complete it within a few minutes.",
        aliases=("state_expired",),
    ),
    _e(
        _G,
        "server_config",
        "A temporary configuration issue on the Socializioz side.",
        "Wait a few minutes and try again. If it persists, contact support.",
        aliases=("server_misconfigured",),
    ),
    _e(
        _G,
        "missing_params",
        "Authorization parameters were incomplete.",
        "Retry the connection. If the error repeats, contact support.",
    ),
    _e(
        _G,
        "missing_credentials",
        "Platform credentials are not configured.",
        "Contact support — this is a server-side issue.",
    ),
    _e(
        _G,
        "token_exchange_failed",
        "The platform did not return a valid access token.",
        "Try again. If the error persists, clear your browser cookies for the platform and retry.",
    ),
    _e(
        _G,
        "access_denied",
        "You cancelled the authorization or the platform rejected the request.",
        "Retry the connection and complete the full authorization flow.",
    ),
    # Meta (Facebook and Instagram) errors
    _e(
        _M,
        "missing_permission",
        "You declined one or more permissions during the OAuth flow. The error message names the specific missing permission.",
        "Go to Facebook Settings > Business Integrations, remove Socializioz, then reconnect and approve all requested permissions.",
    ),
    _e(
        _M,
        "no_pages_found",
        "Your Facebook account does not manage any Pages, or you did not select a Page during OAuth.",
        "Create a Facebook Page first, then reconnect.",
        label="No Pages found",
    ),
    _e(
        _M,
        "missing_pages_manage_posts",
        "The publishing permission was not granted.",
        "Remove Socializioz from Facebook Business Integrations, reconnect, and approve all permissions.",
        label="Missing pages_manage_posts",
    ),
    _e(
        _M,
        "IG_DIRECT_NOT_PUBLISHABLE",
        "Your Instagram account was connected using an older method that does not support publishing.",
        "Reconnect the account from the Connections page. The current flow uses Instagram Business Login and "
        "grants publishing permissions based on your account’s Platform eligibility.",
    ),
    # X (Twitter) errors
    _e(
        _X,
        "x_token_error",
        "The token exchange with X failed.",
        "Check that you completed the authorization. If the error persists, try clearing browser cookies for X and retry.",
    ),
    _e(
        _X,
        "no_access_token",
        "X did not return an access token after authorization.",
        "Retry the connection. Make sure you click Authorize app on the X consent screen.",
    ),
    _e(_X, "token_parse_failed", "The response from X could not be parsed.", _RETRY_SUPPORT),
    _e(
        _X,
        "invalid_client",
        "App credentials could not be verified by X.",
        "This is usually temporary. Wait a few minutes and try again, or contact support.",
    ),
    # TikTok errors
    _e(
        _T,
        "invalid_token_response",
        "TikTok returned a response that could not be parsed during token exchange.",
        "Retry the connection. If the error persists, clear your browser cookies for TikTok and try again.",
    ),
    _e(
        _T,
        "missing_token_fields",
        "TikTok’s response was missing the access token or user identifier.",
        "Retry the connection. Make sure you complete the full authorization on TikTok’s consent screen.",
    ),
    _e(
        _T,
        "token_creation_failed",
        "The connection succeeded on TikTok’s side but could not be saved in Socializioz.",
        "Retry the connection. If it keeps failing, contact support.",
    ),
    _e(
        _T,
        "social_account_creation_failed",
        "Your TikTok account was authorized but could not be added to your workspace.",
        "Retry the connection. If the error repeats, contact support.",
    ),
    # LinkedIn errors
    _e(
        _L,
        "user_cancelled_login",
        "You closed the LinkedIn login page before completing sign-in.",
        "Retry the connection and complete the full sign-in process.",
    ),
    _e(
        _L,
        "user_cancelled_authorize",
        "You declined to grant permissions on the LinkedIn authorization screen.",
        "Retry the connection and click Allow on the consent screen.",
    ),
    _e(
        _L,
        "linkedin_token_error",
        "The token exchange with LinkedIn failed.",
        "Retry the connection. If the error persists, clear your browser cookies for LinkedIn and try again.",
    ),
    _e(
        _L,
        "no_access_token",
        "LinkedIn did not return an access token after authorization.",
        "Retry the connection. Make sure you complete the full authorization flow.",
    ),
    _e(
        _L,
        "linkedin_profile_error",
        "Socializioz could not fetch your LinkedIn profile after authorization.",
        "This is usually a temporary LinkedIn API issue. Wait a few minutes and retry.",
    ),
    _e(_L, "invalid_profile", "LinkedIn returned a profile response that was missing required fields.", _RETRY_SUPPORT),
    _e(
        _L,
        "token_creation_failed",
        "The connection succeeded on LinkedIn’s side but could not be saved in Socializioz.",
        "Retry the connection. If it keeps failing, contact support.",
    ),
    # Ours: failures after connecting, so every ProviderError has an explainable code.
    _e(
        _R,
        "provider_unavailable",
        "The platform could not be reached or answered with a server error.",
        "Nothing to do: Socializioz retries automatically.",
        in_spec=False,
    ),
    _e(
        _R,
        "rate_limited",
        "The platform's rate limit was reached.",
        "Nothing to do: Socializioz waits and retries automatically.",
        in_spec=False,
    ),
    _e(
        _R,
        "token_invalid",
        "The platform reports the access token as expired, revoked or invalid.",
        "Reconnect the account from the Connections page.",
        in_spec=False,
    ),
    _e(
        _R,
        "scope_not_granted",
        "A permission this action needs was not granted.",
        "Reconnect the account and approve all requested permissions.",
        in_spec=False,
    ),
    _e(
        _R,
        "content_rejected",
        "The platform rejected the post's content.",
        "Edit the post and try again.",
        in_spec=False,
    ),
    _e(
        _R,
        "refresh_not_supported",
        "The platform does not let this app refresh the token.",
        "Reconnect the account when its token expires.",
        in_spec=False,
    ),
    _e(
        _R,
        "refresh_too_early",
        "Instagram only refreshes tokens that are at least 24 hours old.",
        "Nothing to do: the refresh is retried later.",
        in_spec=False,
    ),
    _e(
        _R,
        "reconnect_wrong_account",
        "You signed in as {actual}, but this reconnect is for {expected}.",
        "Reconnect again and sign in as {expected} on the platform. To connect {actual}, use Connect instead.",
        in_spec=False,
    ),
    _e(
        _R,
        "instagram_personal_account",
        "Instagram must be Business or Creator — personal accounts are not supported.",
        "Switch to a Professional account in the Instagram app, then reconnect.",
        in_spec=False,
    ),
    # Publishing (reference/publishing.md §1.9, §2.7, §3-§5): why a platform refused or has not finished a post.
    _e(
        _R,
        "duplicate_content",
        "The platform refused the post as a duplicate of one already on the account.",
        "Check the account: the post may already be live. Otherwise change the text or media and retry.",
        in_spec=False,
    ),
    _e(
        _R,
        "media_rejected",
        "The platform could not use the post's media: a format, size or shape it does not accept, or a "
        "file it could not download.",
        "Replace the image or video with one the platform accepts, then retry.",
        in_spec=False,
    ),
    _e(
        _R,
        "caption_too_long",
        "The post's text is longer than the platform allows.",
        "Shorten the text, then retry.",
        in_spec=False,
    ),
    _e(
        _R,
        "publish_limit_reached",
        "The account reached the platform's limit of posts published through apps in 24 hours.",
        "Nothing to do: Socializioz waits until the limit frees up and retries automatically.",
        in_spec=False,
    ),
    _e(
        _R,
        "media_processing",
        "The platform was still processing the post's media, or its upload expired before publishing.",
        "Nothing to do: Socializioz checks again and, if needed, uploads it again when it retries.",
        in_spec=False,
    ),
    _e(
        _R,
        "account_not_eligible",
        "The platform does not let this account post right now (a daily limit, a private-account "
        "rule or a restriction on the account).",
        "Check the account in the platform's own app, then retry later.",
        in_spec=False,
    ),
    # Publishing (issue 11): the publisher's own outcomes.
    _e(
        _R,
        "account_disconnected",
        "The account was disconnected, so this post could not be published.",
        "Reconnect the account from the Connections page, then retry the post.",
        in_spec=False,
    ),
    _e(
        _R,
        "publish_option_required",
        "The platform needs a choice for this post that was not made (TikTok: who can see it).",
        "Edit the post, choose the option among those the account offers, and retry.",
        in_spec=False,
    ),
    _e(
        _R,
        "processing_timeout",
        "The platform is still processing the media.",
        "Nothing to do: Socializioz checks again automatically.",
        in_spec=False,
    ),
    _e(
        _R,
        "publish_outcome_unknown",
        "Publishing was interrupted and Socializioz could not tell whether the post went out.",
        "Check the account on the platform. If the post is not there, retry it.",
        in_spec=False,
    ),
    # Analytics (issue 12): why an account's charts are empty, shown instead of an empty chart.
    _e(
        _R,
        "analytics_missing_scope",
        "Analytics needs the {scope} permission, which this connection did not grant.",
        "Reconnect and allow {scope} to see analytics.",
        in_spec=False,
    ),
    _e(
        _R,
        "capability_not_supported",
        "This platform does not offer this feature, so Socializioz cannot do it here.",
        "Nothing to fix on the account. Use the feature on a platform that offers it.",
        in_spec=False,
    ),
    # The inbox (issue 13): Instagram refused a reply because its messaging window has closed.
    _e(
        _R,
        "messaging_window_closed",
        "Instagram only accepts replies within 24 hours of the person's last message (7 days for a "
        "reply written by a person with the human-agent tag), and that time has passed.",
        "Wait for the person to write again: their next message opens a new 24-hour window.",
        in_spec=False,
    ),
)
UNSUPPORTED_CODE = "capability_not_supported"

# TikTok's own codes (invalid_grant, invalid_client, ...) are passed through to the banner as-is.
TIKTOK_PASSTHROUGH = _e(
    _T,
    "",
    "TikTok returned its own error code during the token exchange.",
    "Retry the connection or contact support if the error is unclear.",
    passthrough=True,
)


class UnknownErrorCode(KeyError):
    pass


def lookup(code: str, platform: str | None = None) -> CatalogueEntry | None:
    """The entry for a code or alias; the platform's table wins over the general one."""
    matches = [e for e in CATALOGUE if code in e.all_codes]
    group = error_group(platform)
    for preferred in (group, ErrorGroup.GENERAL, ErrorGroup.RUNTIME):
        for entry in matches:
            if entry.group is preferred:
                return entry
    return matches[0] if matches else None


# TikTok's documented OAuth error categories (reference: platforms.md §3.4). A code in the URL is
# passed through only when it is one of these; a code TikTok actually returned is taken from the
# flow row, whatever it is (pen-test finding 10: no free text from the URL on the page).
TIKTOK_OAUTH_ERRORS = frozenset(
    {
        "access_denied",
        "invalid_client",
        "invalid_grant",
        "invalid_request",
        "invalid_scope",
        "unauthorized_client",
        "unsupported_grant_type",
        "unsupported_response_type",
    }
)


def describe(code: str, platform: str | None = None) -> CatalogueEntry:
    """Like ``lookup``, applying the TikTok pass-through rule; unknown codes elsewhere raise."""
    entry = lookup(code, platform)
    if entry is not None:
        return entry
    if platform == "tiktok":
        return replace(TIKTOK_PASSTHROUGH, code=code)
    raise UnknownErrorCode(code)


def spec_entries() -> tuple[CatalogueEntry, ...]:
    return tuple(e for e in CATALOGUE if e.in_spec)


def i18n_messages() -> dict[str, str]:
    """English source strings keyed by message key, for the i18n catalogue generator."""
    out: dict[str, str] = {}
    for entry in (*CATALOGUE, TIKTOK_PASSTHROUGH):
        out[entry.cause_key] = entry.cause
        out[entry.what_to_do_key] = entry.what_to_do
    return out


@dataclass(eq=False)
class ProviderError(Exception):
    """A classified provider failure. ``detail`` is safe to log and show: never a token or code."""

    kind: ErrorKind
    code: str
    platform: str
    status: int | None = None
    retry_after: float | None = None
    missing_scope: str | None = None
    detail: str = ""
    provider_code: str | None = None  # the platform's own code, e.g. "190/463"
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [f"{self.platform}:{self.code}", self.kind.value]
        if self.status is not None:
            parts.append(f"http {self.status}")
        if self.provider_code:
            parts.append(f"provider {self.provider_code}")
        if self.missing_scope:
            parts.append(f"missing {self.missing_scope}")
        if self.detail:
            parts.append(self.detail)
        return " · ".join(parts)

    @property
    def entry(self) -> CatalogueEntry:
        return describe(self.code, self.platform)


class Unsupported(ProviderError):
    """A capability the platform's client does not implement (``Provider.supports`` says so first)."""

    def __init__(self, platform: str, capability: str) -> None:
        super().__init__(ErrorKind.UNSUPPORTED, UNSUPPORTED_CODE, platform, detail=f"not supported: {capability}")
        self.capability = capability
