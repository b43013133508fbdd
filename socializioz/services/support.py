"""The support assistant's answers ("Fix with AI Support").

With a model configured (``SOCIALIZIOZ_ASSISTANT_*``) a question goes to it with the conversation's
facts (``assistant_model``); without one (the embedded default), or when it times out or fails, the
catalogue assistant answers: the error's cause and fix from the catalogue, the account's own state
("your token lacks …"), and the fixing action — all in the user's language. Never a blank answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from socializioz import i18n
from socializioz.db import session_scope
from socializioz.domain import errors
from socializioz.domain.assistant import Action, suggested_action
from socializioz.domain.platforms import PLATFORMS, Platform, error_group, platform_info
from socializioz.models import User
from socializioz.security.rate_limit import register_question
from socializioz.services import assistant_model
from socializioz.services.assistant_facts import Facts, gather_facts
from socializioz.settings import get_settings

_WORD = re.compile(r"[a-z_]{3,}")
_PARAMS = ("{scope}", "{expected}", "{actual}")


@dataclass(frozen=True)
class Reply:
    """One assistant message; the UI shows ``cause``/``fix`` (catalogue) or ``text`` (either)."""

    title: str = ""
    cause: str = ""
    fix: str = ""
    text: str = ""
    action: Action | None = None
    source: str = "catalogue"  # or "model"
    note: str = ""  # an i18n key: why the catalogue answered although a model is configured

    def as_message(self) -> dict[str, str]:
        return {
            "role": "assistant",
            "title": self.title,
            "cause": self.cause,
            "fix": self.fix,
            "text": self.text,
            "action": self.action.value if self.action else "",
            "note": self.note,
            "source": self.source,
        }


def load_facts(user: User | None, workspace_id: int, platform: str, code: str, account_id: int) -> Facts:
    """The conversation's facts, the caller's workspace and role checked (runs in a worker thread)."""
    with session_scope() as db:
        return gather_facts(db, user, workspace_id, platform=platform, code=code, account_id=account_id)


def within_budget(user_id: int) -> bool:
    """Count one question against the user's hourly budget (worker thread)."""
    with session_scope() as db:
        return register_question(db, user_id, datetime.now(UTC))


def matching_entries(question: str, platform: str = "") -> list[errors.CatalogueEntry]:
    """The catalogue entries whose code, cause or fix share the most words with the question."""
    words = set(_WORD.findall(question.lower()))
    if not words:
        return []
    scored = []
    for entry in errors.spec_entries():
        text = f"{entry.code} {' '.join(entry.aliases)} {entry.cause} {entry.what_to_do}".lower()
        score = sum(1 for w in words if w in text) + (2 if entry.code in words else 0)
        if score < 2:  # one shared word ("fine", "account") says nothing about the problem
            continue
        if platform and entry.group is error_group(platform):
            score += 1
        scored.append((score, entry))
    scored.sort(key=lambda pair: -pair[0])
    return [e for _, e in scored[:3]]


def _say(lang: str, key: str, scope: str = "") -> str:
    text = i18n.translate(lang, key)
    for param in _PARAMS:  # a message naming accounts or a scope we do not know here
        text = text.replace(param, scope or "…")
    return text


def _iso(lang: str, value: str) -> str:
    """A code, scope or date inside a right-to-left sentence keeps its own direction (U+2068 … U+2069)."""
    return f"\u2068{value}\u2069" if i18n.direction(lang) == "rtl" else value


def _iso_list(lang: str, values: list[str]) -> str:
    """Scopes as a list in the language's own punctuation, each isolated in right-to-left text."""
    separator = "، " if i18n.direction(lang) == "rtl" else ", "
    return separator.join(_iso(lang, value) for value in values)


def account_state_lines(facts: Facts, lang: str) -> list[str]:
    """The account's own state in words: what is wrong with it and what fixes it."""
    account = facts.account
    if account is None:
        return []
    platform = PLATFORMS[Platform(facts.platform)].display_name
    lines: list[str] = []
    publish = platform_info(facts.platform).connection(account["connection_method"]).publish_scopes
    missing = account["missing_scopes"]
    missing_publish = [s for s in missing if s in publish]
    if missing_publish:
        lines.append(i18n.translate(lang, "assistant.state.missing_publish", scope=_iso_list(lang, missing_publish)))
    other = [s for s in missing if s not in missing_publish]
    if other:
        lines.append(i18n.translate(lang, "assistant.state.missing_scopes", scopes=_iso_list(lang, other)))
    if account["token_expired"]:
        lines.append(i18n.translate(lang, "assistant.state.expired", date=_iso(lang, account["token_expires_at"])))
    elif account["needs_reconnect"]:
        lines.append(i18n.translate(lang, "assistant.state.needs_reconnect", platform=platform))
    if account.get("refresh_paused"):
        lines.append(i18n.translate(lang, "assistant.state.refresh_paused"))
    if account["last_error"] and account["last_error"] != facts.code:
        lines.append(i18n.translate(lang, "assistant.state.last_error", code=_iso(lang, account["last_error"])))
    if not lines:
        expiry = account["token_expires_at"]
        lines.append(
            i18n.translate(lang, "assistant.state.healthy_until", date=_iso(lang, expiry))
            if expiry
            else i18n.translate(lang, "assistant.state.healthy")
        )
    return lines


def catalogue_reply(facts: Facts, lang: str, question: str = "", note: str = "") -> Reply:
    """The catalogue assistant: the conversation's error (or the entry the question matches best),
    the account's state, and the fixing action when there is one."""
    entry = facts.entry
    if question and entry is None:
        found = matching_entries(question, facts.platform)
        entry = found[0] if found else None
    state = "\n".join(account_state_lines(facts, lang))
    if entry is None and not state:
        return Reply(text=i18n.translate(lang, "support.no_match"), note=note)
    code = facts.code if entry is facts.entry else (entry.code if entry else "")
    # With an account, its own state (and the error it came with) picks the button, not a guess
    # from the question's words.
    action = suggested_action(facts.code if facts.account else code, facts.actions, facts.state)
    return Reply(
        title=(entry.displayed if entry.code == code else code) if entry else "",
        cause=_say(lang, entry.cause_key, facts.scope) if entry else "",
        fix=_say(lang, entry.what_to_do_key, facts.scope) if entry else "",
        text=state,
        action=action,
        note=note,
    )


def opening_reply(facts: Facts, lang: str) -> Reply | None:
    """The first message when the page opens from an error or an account (none for a bare visit)."""
    if facts.entry is None and facts.account is None:
        return None
    return catalogue_reply(facts, lang)


async def answer(facts: Facts, history: list[dict[str, str]], question: str, lang: str) -> Reply:
    """The reply to a question: the model's when one is configured and answers, else the catalogue's."""
    if not get_settings().assistant_configured:
        return catalogue_reply(facts, lang, question)
    try:
        reply = await assistant_model.ask_model(facts.for_model(), history, question, lang, facts.actions)
    except assistant_model.ModelUnavailable as problem:
        note = "assistant.note.timeout" if problem.reason == "timeout" else "assistant.note.unavailable"
        return catalogue_reply(facts, lang, question, note=note)
    return Reply(text=reply.answer, action=reply.action, source="model")


def history_for_model(messages: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The chat so far as model turns: questions, and answers as the user saw them."""
    turns = []
    for m in messages:
        if m.get("role") == "user":
            turns.append({"role": "user", "content": str(m.get("cause", ""))})
        else:
            content = "\n".join(str(m.get(k, "")) for k in ("cause", "fix", "text") if m.get(k))
            if content:
                turns.append({"role": "assistant", "content": content})
    return turns
