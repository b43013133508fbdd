"""The connection-error view model shared by the Connections banner and the result page.

Only the server's own record is trusted for details (pen-test finding 10): account names and
scopes come from the signed-in user's flow row, never from the URL; a code from the URL is shown
only when it is in the catalogue, otherwise the generic entry is shown instead of the raw text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from socializioz.domain import errors as error_catalogue
from socializioz.domain.platforms import PLATFORMS, Platform
from socializioz.services import oauth_flows

GENERIC_CODE = "token_exchange_failed"
# Catalogue messages that name accounts, and their wording when the names are not known (no flow row).
_UNNAMED = {
    "reconnect_wrong_account": ("live.reconnect_wrong_account_unnamed", "live.reconnect_wrong_account_unnamed_what")
}
_PLATFORMS = {p.value for p in Platform}


@dataclass(frozen=True)
class ErrorView:
    """The banner's view model: catalogue keys (so it re-renders in the chosen language), the
    code shown to the user, and the named details; ``code == ""`` is "no banner"."""

    code: str = ""
    label: str = ""
    platform: str = ""
    platform_name: str = ""
    cause_key: str = ""
    what_key: str = ""
    scope: str = ""
    expected: str = ""
    actual: str = ""

    @property
    def shown(self) -> bool:
        return self.code != ""


NO_ERROR = ErrorView()


def connection_error_view(code: str, platform: str, params: Mapping[str, str] | None = None) -> ErrorView:
    """The error banner's view model from a trusted result: catalogue keys, so it re-renders in the
    chosen language. TikTok's own codes pass through (they come from TikTok via our server)."""
    params = params or {}
    platform = platform if platform in _PLATFORMS else ""
    try:
        entry = error_catalogue.describe(code, platform)
    except error_catalogue.UnknownErrorCode:
        entry = error_catalogue.describe(GENERIC_CODE)
        code = GENERIC_CODE
    cause_key, what_key = entry.cause_key, entry.what_to_do_key
    if code in _UNNAMED and not (params.get("expected") and params.get("actual")):
        cause_key, what_key = _UNNAMED[code]
    return ErrorView(
        code=code,
        label=entry.displayed if entry.code == code else code,
        platform=platform,
        platform_name=PLATFORMS[Platform(platform)].display_name if platform else "",
        cause_key=cause_key,
        what_key=what_key,
        scope=str(params.get("scope", "")),
        expected=str(params.get("expected", "")),
        actual=str(params.get("actual", "")),
    )


def _catalogued(code: str, platform: str) -> str:
    """A code from the URL, kept only when the catalogue knows it or it is one of TikTok's
    documented OAuth codes (the spec passes those through); never other raw text."""
    if error_catalogue.lookup(code, platform or None) is not None:
        return code
    if platform == "tiktok" and code in error_catalogue.TIKTOK_OAUTH_ERRORS:
        return code
    return GENERIC_CODE


def flow_error(user_id: int | None, flow_id: str) -> oauth_flows.FlowOutcome | None:
    """The signed-in user's failed flow's stored result (by id); runs in a worker thread.
    ``None`` when the id is not theirs, unknown, or the flow did not fail."""
    if not user_id or not flow_id.isdigit():
        return None
    result = oauth_flows.read_flow_result(int(flow_id), user_id)
    return result if result is not None and result.failed else None


def flow_error_view(result: oauth_flows.FlowOutcome) -> ErrorView:
    """The error view of a failed flow's stored result (its code, platform and named details)."""
    return connection_error_view(result.code, result.platform, result.params)


def banner_from_query(query: Mapping[str, str], user_id: int | None) -> ErrorView:
    """The banner for ``?error=<code>&platform=<p>&flow=<id>``: the flow row's details when it is
    the caller's, otherwise only the catalogue text for a known code."""
    result = flow_error(user_id, str(query.get("flow", "")))
    if result is not None:
        return flow_error_view(result)
    platform = query.get("platform", "")
    platform = platform if platform in _PLATFORMS else ""
    return connection_error_view(_catalogued(str(query.get("error", "")), platform), platform)
