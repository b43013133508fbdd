"""``/support``: the assistant's chat, opened from an error banner (``?platform=&code=``) or a
problem account (``?account=<id>``), and the fixing action under an answer.

The account id from the URL is checked against the caller's workspace and role on the server
(``services.support.load_facts``) and only then kept, in a backend-only var; a button sends just
the action's name, which must be on this conversation's allow-list, and every action re-checks
the caller before it runs. Questions count against a per-user hourly budget.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz import routes
from socializioz.domain.assistant import Action
from socializioz.domain.connect_rules import Intent
from socializioz.security.input_limits import MAX_QUESTION
from socializioz.services import support
from socializioz.services.assistant_facts import Facts
from socializioz.services.errors import ServiceError
from socializioz.services.token_refresh import refresh_account_now
from socializioz.state.connections import ConnectionsState
from socializioz.state.error_view import NO_ERROR
from socializioz.state.session import Member, SessionState

_MAX_PARAM = 100  # platform and error code from the banner's link


def _message(role: str, **fields: str) -> dict[str, str]:
    blank = {"title": "", "cause": "", "fix": "", "text": "", "action": "", "note": "", "source": ""}
    return {**blank, **fields, "role": role}


class SupportState(rx.State):
    platform: str = ""
    code: str = ""
    platform_name: str = ""
    account_name: str = ""
    messages: list[dict[str, str]] = []
    thinking: bool = False
    _account_id: int = 0  # checked against the caller's workspace on load; never taken from the browser later
    _facts: Facts | None = None
    _context: str = ""  # who asks, in which workspace, about what: a load for the same keeps the conversation
    _opening: int = 0  # how many of ``messages`` the load wrote (rewritten in the new language on a switch)

    async def _member(self) -> tuple[Member | None, SessionState]:
        session = await self.get_state(SessionState)
        member = await session.member()
        if member is None:
            await session.forget_tab()
        return member, session

    async def _read_facts(self, member: Member) -> Facts:
        return await run_in_threadpool(
            support.load_facts, member.user, member.workspace_id, self.platform, self.code, self._account_id
        )

    @rx.event
    async def load(self):
        query = self.router.url.query_parameters
        self.platform, self.code = query.get("platform", "")[:_MAX_PARAM], query.get("code", "")[:_MAX_PARAM]
        wanted = query.get("account", "")[:_MAX_PARAM]
        self._account_id = int(wanted) if wanted.isdigit() else 0
        member, session = await self._member()
        # A language switch re-runs this load: the same person, workspace and question keep what was
        # said after the opening (a workspace switch or another account starts afresh).
        context = f"{member.user_id}:{member.workspace_id}:{self.platform}:{self.code}:{wanted}" if member else ""
        earlier = self.messages[self._opening :] if context and context == self._context else []
        self.messages, self.thinking, self.account_name, self.platform_name, self._facts = [], False, "", "", None
        self._context, self._opening = context, 0
        if member is None:
            return
        # The conversation takes over the banner's error; the banner shown here from now on is only
        # that of a Reconnect or Connect again pressed in this conversation that could not start.
        (await self.get_state(ConnectionsState)).banner = NO_ERROR
        try:
            facts = await self._read_facts(member)
        except ServiceError:  # not this workspace's account, or no longer a member: the error only
            self._account_id = 0
            self.messages.append(_message("assistant", text=session.t("assistant.account_not_found")))
            facts = await self._read_facts(member)
        self._facts = facts
        self.platform, self.code = facts.platform, facts.code
        self.account_name = facts.account["name"] if facts.account else ""
        self.platform_name = facts.for_model()["platform_name"]
        opening = support.opening_reply(facts, session.lang)
        if opening is not None:
            self.messages.append(opening.as_message())
        self._opening = len(self.messages)
        self.messages.extend(earlier)

    @rx.event
    async def ask(self, form: dict):
        question = form.get("question") if isinstance(form, dict) else ""
        if not isinstance(question, str) or not question.strip() or self.thinking:
            return
        member, session = await self._member()
        if member is None:
            return
        if len(question) > MAX_QUESTION:
            self.messages.append(_message("assistant", fix="support.too_long"))
            return
        question = question.strip()
        if not await run_in_threadpool(support.within_budget, member.user_id):
            self.messages.append(_message("assistant", text=session.t("assistant.rate_limited")))
            return
        history = support.history_for_model(self.messages)
        self.messages.append(_message("user", cause=question))
        self.thinking = True
        yield
        try:
            try:
                facts = await self._read_facts(member)  # the account's state now, re-checked
            except ServiceError:  # the account left the workspace meanwhile: about the error only
                self._account_id = 0
                facts = await self._read_facts(member)
            self._facts = facts
            reply = await support.answer(facts, history, question, session.lang)
            self.messages.append(reply.as_message())
        except ServiceError:
            self.messages.append(_message("assistant", text=session.t("assistant.account_not_found")))
        finally:
            self.thinking = False

    @rx.event
    async def run_action(self, name: str):
        """The button under an answer. Only an action on this conversation's allow-list runs."""
        member, session = await self._member()
        if member is None:
            return rx.redirect(routes.SIGN_IN)
        facts = self._facts
        action = next((a for a in facts.actions if a.value == name), None) if facts else None
        if facts is None or action is None:
            return rx.toast.error(session.t("assistant.action_unavailable"))
        try:
            facts = await self._read_facts(member)  # workspace and role, checked again now
        except ServiceError:
            return rx.toast.error(session.t("accounts.not_found"))
        return await self._perform(action, facts, member, session)

    async def _perform(self, action: Action, facts: Facts, member: Member, session: SessionState) -> Any:
        if action not in facts.actions:  # the caller's role changed since the answer
            return rx.toast.error(session.t("assistant.action_unavailable"))
        if action is Action.RECONNECT:
            return ConnectionsState.begin_oauth(facts.platform, Intent.RECONNECT.value, facts.account_id)  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        if action is Action.RETRY_CONNECT:
            return ConnectionsState.begin_oauth(facts.platform, "connect", 0)  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        if action is Action.SETUP_SHEET:
            return rx.redirect(f"{routes.CONNECTIONS}?sheet={facts.platform}")
        if action is Action.OPEN_ACCOUNT:
            return rx.redirect(f"{routes.CONNECTIONS}?account={facts.account_id}")
        try:  # REFRESH_NOW: the same guarded refresh as the debug panel's button
            result = await refresh_account_now(facts.account_id, member.user)
        except ServiceError as error:
            return rx.toast.error(session.t(error.code))
        self.messages.append(_message("assistant", text=session.t(f"refresh.outcome.{result.outcome.value}")))
        return None
