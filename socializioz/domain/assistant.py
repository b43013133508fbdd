"""The support assistant's rules: which fixing actions exist, which one a situation offers, and how
a language model's reply is read so that it can only ever propose an action from that list.

The model is untrusted text: its reply is parsed as JSON ``{"answer": ..., "action": ...}`` and
an action outside the server's allow-list for this conversation is dropped (no button), never
shown or run. A reply that is not JSON is kept as a plain answer without an action.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_ANSWER = 4000  # characters of a model's answer shown; a longer one is cut


class Action(str, enum.Enum):
    """A fixing action the assistant may offer as a button; the server performs it."""

    RECONNECT = "reconnect"  # start a reconnect of the account in question
    SETUP_SHEET = "setup_sheet"  # open the platform's setup sheet on the Connections page
    RETRY_CONNECT = "retry_connect"  # start a new connection of the platform
    REFRESH_NOW = "refresh_now"  # owners and admins: refresh a Meta token now (ends a pause)
    OPEN_ACCOUNT = "open_account"  # open the account's details panel


@dataclass(frozen=True)
class Situation:
    """What the conversation is about, as far as actions go."""

    platform: str = ""  # "" when unknown
    has_account: bool = False
    manager: bool = False  # owner or admin of the workspace
    has_setup_sheet: bool = False
    meta: bool = False  # Facebook or Instagram: the token debug panel and "refresh now" exist


def allowed_actions(s: Situation) -> tuple[Action, ...]:
    """The allow-list for one conversation: only actions that make sense and that the caller may run."""
    if not s.platform:
        return ()
    actions: list[Action] = []
    if s.has_account:
        actions += [Action.RECONNECT, Action.OPEN_ACCOUNT]
        if s.manager and s.meta:
            actions.append(Action.REFRESH_NOW)
    else:
        actions.append(Action.RETRY_CONNECT)
    if s.has_setup_sheet:
        actions.append(Action.SETUP_SHEET)
    return tuple(actions)


# Codes whose fix is something to set up on the platform first (the setup sheet says how).
_SETUP_CODES = frozenset({"no_pages_found", "instagram_personal_account", "account_not_eligible"})
# Codes with nothing for the user to press: wait, or contact support / the operator.
_NO_ACTION_CODES = frozenset(
    {
        "server_config",
        "server_misconfigured",
        "missing_credentials",
        "provider_unavailable",
        "rate_limited",
        "refresh_too_early",
        "publish_limit_reached",
        "media_processing",
        "processing_timeout",
        "capability_not_supported",
        "content_rejected",
        "caption_too_long",
        "media_rejected",
        "duplicate_content",
        "publish_option_required",
    }
)


@dataclass(frozen=True)
class AccountState:
    """The account facts the catalogue assistant reasons on (no token, ever)."""

    needs_reconnect: bool = False
    expired: bool = False
    refresh_paused: bool = False
    missing_scopes: tuple[str, ...] = ()
    last_refresh_failed: bool = False


def suggested_action(code: str, allowed: Iterable[Action], state: AccountState | None) -> Action | None:
    """The catalogue assistant's button: the fix the code and the account's state call for."""
    allowed = tuple(allowed)

    def pick(*wanted: Action) -> Action | None:
        return next((a for a in wanted if a in allowed), None)

    if code in _NO_ACTION_CODES:
        return None
    if code in _SETUP_CODES:
        return pick(Action.SETUP_SHEET, Action.RECONNECT, Action.RETRY_CONNECT)
    if state is not None:
        if state.needs_reconnect or state.expired or state.missing_scopes or code:
            return pick(Action.RECONNECT)
        if state.refresh_paused or state.last_refresh_failed:
            return pick(Action.REFRESH_NOW, Action.RECONNECT)
        return None
    return pick(Action.RETRY_CONNECT) if code else None


@dataclass(frozen=True)
class ModelReply:
    answer: str
    action: Action | None


class UnreadableReply(ValueError):
    """The model said nothing usable: the catalogue answers instead."""


_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")


def _json_object(text: str) -> dict[str, object] | None:
    stripped = _FENCE.sub("", text.strip())
    candidates = [stripped]
    start, end = stripped.find("{"), stripped.rfind("}")
    if 0 <= start < end:
        candidates.append(stripped[start : end + 1])
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def parse_reply(text: str | None, allowed: Iterable[Action]) -> ModelReply:
    """The model's reply, its action kept only when it is on this conversation's allow-list."""
    if not text or not text.strip():
        raise UnreadableReply("empty reply")
    data = _json_object(text)
    if data is None:
        return ModelReply(text.strip()[:MAX_ANSWER], None)
    answer = data.get("answer")
    if not isinstance(answer, str) or not answer.strip():
        raise UnreadableReply("no answer in the reply")
    wanted = data.get("action")
    allowed_values = {a.value: a for a in allowed}
    action = allowed_values.get(wanted) if isinstance(wanted, str) else None
    return ModelReply(answer.strip()[:MAX_ANSWER], action)
