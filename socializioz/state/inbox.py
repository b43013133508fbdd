"""The inbox page (issue 13): Instagram conversations with unread counts, one thread, the reply
composer with the 24-hour window explained, assignment and read/unread; and the navigation badge.

Every handler re-checks the caller from the session cookie and hands the fresh user and workspace
to a service that refuses a conversation of another workspace. Reads run in a worker thread. The
page registers the tab for live pushes (``state.inbox_live``): a new message re-reads the list and
the open thread. Times are shown in the workspace's time zone.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz import routes
from socializioz.domain.messaging_window import ReplyMode
from socializioz.i18n import translate
from socializioz.i18n.formatting import format_day
from socializioz.integrations.platform_clock import platform_now
from socializioz.services import inbox, inbox_view, media_store, notify
from socializioz.services.errors import ServiceError
from socializioz.services.posts_view import workspace_zone
from socializioz.services.unit_of_work import in_transaction
from socializioz.services.workspaces import members
from socializioz.state.list_page import ListPage, as_id, fresh_member, open_for_tab
from socializioz.state.session import Member, SessionState, workspace_data


def _when(lang: str, moment: datetime | None, zone: Any) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    return f"{format_day(lang, local.date())} {local:%H:%M}"


@dataclass(frozen=True)
class _Read:
    accounts: list[dict[str, str]]
    conversations: list[dict[str, str]]
    members: list[dict[str, str]]
    thread: dict[str, Any] | None


def _window_text(lang: str, mode: ReplyMode, standard: str, human: str) -> str:
    key = {
        ReplyMode.STANDARD: "inbox.window.open",
        ReplyMode.HUMAN_AGENT: "inbox.window.human_agent",
        ReplyMode.CLOSED: "inbox.window.closed",
        ReplyMode.NOT_STARTED: "inbox.window.not_started",
    }[mode]
    return translate(lang, key, until=standard, human_until=human)


def _thread(member: Member, lang: str, conversation_id: int, zone: Any) -> dict[str, Any]:
    view = in_transaction(
        inbox_view.thread, member.user, member.workspace_id, conversation_id, platform_now("instagram")
    )
    c, w = view.conversation, view.window
    standard, human = _when(lang, w.standard_until, zone), _when(lang, w.human_agent_until, zone)
    return {
        "id": str(c.id),
        "name": c.participant_name,
        "account": c.account_name,
        "unread": c.unread,
        "assigned": str(c.assigned_to or ""),
        "mode": w.mode.value,
        "window_text": _window_text(lang, w.mode, standard, human),
        "problem": view.account_problem,
        "messages": [
            {
                "id": str(m.id),
                "inbound": "1" if m.inbound else "",
                "text": m.text,
                "image": m.image_url,
                "when": _when(lang, m.sent_at, zone),
            }
            for m in view.messages
        ],
    }


def _read(member: Member, lang: str, selected: int) -> _Read:
    """The accounts, the list, the members to assign to, and the open thread; members only."""
    user, workspace_id = member.user, member.workspace_id
    zone = in_transaction(workspace_zone, workspace_id)
    rows = in_transaction(inbox_view.conversations, user, workspace_id)
    team = {m.user_id: m.name or m.email for m in in_transaction(members, user, workspace_id)}
    accounts = [
        {"id": str(a.id), "name": a.username or a.name, "problem": a.problem}
        for a in in_transaction(inbox_view.instagram_accounts, workspace_id)
    ]
    conversations = [
        {
            "id": str(r.id),
            "name": r.participant_name,
            "account": r.account_name,
            "last": _last_line(lang, r),
            "when": _when(lang, r.last_message_at, zone),
            "unread": str(r.unread),
            "assigned": team.get(r.assigned_to or 0, ""),
        }
        for r in rows
    ]
    thread = None
    if selected:
        try:
            thread = _thread(member, lang, selected, zone)
        except ServiceError:
            thread = None
    return _Read(accounts, conversations, [{"id": str(i), "name": n} for i, n in team.items()], thread)


def _last_line(lang: str, row: inbox_view.ConversationRow) -> str:
    """The list's preview of the newest message: its text, or "Photo"; "You: ..." for ours."""
    text = translate(lang, "inbox.photo") if row.last_is_image else row.last_text
    return text if row.last_inbound else translate(lang, "inbox.you", text=text)


MESSAGE_IMAGE_TYPES = inbox.MESSAGE_IMAGE_TYPES  # the picker's filter; the server checks again
MAX_MESSAGE_IMAGE_BYTES = inbox.MAX_MESSAGE_IMAGE_BYTES


@workspace_data
class InboxState(ListPage, rx.State):
    accounts: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    conversations: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    members: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    selected: str = ""  # the open conversation's id ("": the list)
    thread_name: str = ""
    thread_account: str = ""
    thread_unread: rx.Field[int] = rx.field(0)
    assigned: str = ""
    mode: str = ""  # the reply window: standard / human_agent / closed / not_started
    window_text: str = ""
    problem: str = ""  # the account cannot send: missing_scope / needs_reconnect / via_page
    messages: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    draft: str = ""
    image_id: rx.Field[int] = rx.field(0)  # an uploaded image waiting to be sent with the reply
    image_preview: str = ""
    attaching: bool = False
    human_agent: bool = False
    sending: bool = False
    failed: bool = False

    @rx.var
    def ready_accounts(self) -> int:
        return len([a for a in self.accounts if not a["problem"]])

    @rx.var
    def reconnect_accounts(self) -> list[dict[str, str]]:
        return [a for a in self.accounts if a["problem"] in ("missing_scope", "needs_reconnect")]

    @rx.var
    def can_send(self) -> bool:
        allowed = self.mode == "standard" or (self.mode == "human_agent" and self.human_agent)
        has_content = bool(self.draft.strip()) or self.image_id != 0
        return allowed and not self.problem and not self.sending and not self.attaching and has_content

    @rx.var
    def composer_enabled(self) -> bool:
        return not self.problem and (self.mode == "standard" or (self.mode == "human_agent" and self.human_agent))

    async def _lang(self) -> str:
        return (await self.get_state(SessionState)).lang

    async def _refresh(self, member: Member) -> None:
        try:
            read = await run_in_threadpool(_read, member, await self._lang(), as_id(self.selected))
        except ServiceError:
            self.failed, self.loading = True, False
            return
        self.accounts, self.conversations, self.members = read.accounts, read.conversations, read.members
        self._apply_thread(read.thread)
        self.failed, self.loading, self.loaded = False, False, True
        await (await self.get_state(InboxBadgeState)).set_count(
            len([c for c in read.conversations if c["unread"] != "0"])
        )

    def _apply_thread(self, thread: dict[str, Any] | None) -> None:
        if thread is None:
            self.selected, self.messages, self.thread_name, self.thread_account = "", [], "", ""
            self.mode, self.window_text, self.problem, self.assigned, self.thread_unread = "", "", "", "", 0
            return
        self.selected, self.thread_name, self.thread_account = thread["id"], thread["name"], thread["account"]
        self.thread_unread, self.assigned = thread["unread"], thread["assigned"]
        self.mode, self.window_text, self.problem = thread["mode"], thread["window_text"], thread["problem"]
        self.messages = thread["messages"]
        if self.mode != "human_agent":
            self.human_agent = False

    async def reread(self) -> None:
        """A live push: the list and the open thread, read again for this tab (``state.inbox_live``);
        an open thread stays read while it is on screen."""
        member = await fresh_member(self)
        if member is None or not self.loaded:
            return
        if self.selected:
            await run_in_threadpool(self._mark_read_quietly, member, as_id(self.selected))
        await self._refresh(member)
        # A webhook names nobody: a throttled read of the threads brings the new person's name.
        inbox.poll_on_open([int(a["id"]) for a in self.accounts if not a["problem"]])

    @staticmethod
    def _mark_read_quietly(member: Member, conversation_id: int) -> None:
        with contextlib.suppress(ServiceError):  # gone meanwhile: the re-read says so
            in_transaction(inbox.mark_read, member.user, member.workspace_id, conversation_id)

    @rx.event
    async def load(self):
        """on_load: ``?c=<id>`` opens a conversation."""
        self.selected = str(as_id(self.router.url.query_parameters.get("c", "")) or "")
        self.draft, self.human_agent, self.sending, self.loading = "", False, False, True
        self.image_id, self.image_preview, self.attaching = 0, "", False
        yield
        member = await open_for_tab(self)
        if member is None:
            return
        if self.selected:
            await run_in_threadpool(self._mark_read_quietly, member, as_id(self.selected))
        await self._refresh(member)
        inbox.poll_on_open([int(a["id"]) for a in self.accounts if not a["problem"]])

    @rx.event
    async def open_conversation(self, conversation_id: str):
        member = await fresh_member(self)
        if member is None:
            return
        wanted = as_id(conversation_id)
        session = await self.get_state(SessionState)
        try:
            await run_in_threadpool(in_transaction, inbox.mark_read, member.user, member.workspace_id, wanted)
        except ServiceError as error:
            return rx.toast.error(session.t(error.code))
        await self._drop_image(member)
        self.selected, self.draft, self.human_agent = str(wanted), "", False
        await self._refresh(member)
        await notify.topic_changed(member.workspace_id, notify.MESSAGES)  # other tabs' badges

    @rx.event
    async def back(self):
        self.selected, self.messages, self.draft = "", [], ""
        member = await fresh_member(self)
        if member is not None:
            await self._drop_image(member)

    # -- an image for the reply -----------------------------------------------------------------

    @rx.event
    async def attach(self, files: list[rx.UploadFile]):
        """Keep one picked image for the reply (Instagram: a PNG or JPEG up to 8 MB)."""
        session = await self.get_state(SessionState)
        member = await fresh_member(self)
        if member is None or not files:
            return
        self.attaching = True
        yield
        file = files[0]
        try:
            asset = await run_in_threadpool(
                in_transaction,
                inbox.save_message_image,
                member.user,
                member.workspace_id,
                file.name or "image",
                file.file,
            )
        except ServiceError as error:
            self.attaching = False
            yield rx.toast.error(session.t(error.code, **error.params))
            return
        await self._drop_image(member)
        self.image_id, self.image_preview, self.attaching = asset.id, asset.url, False

    @rx.event
    async def attach_rejected(self, rejections: list[dict]):
        """The browser refused the file before sending it (type or size)."""
        return rx.toast.error((await self.get_state(SessionState)).t("inbox.image_not_allowed"))

    @rx.event
    async def remove_image(self):
        member = await fresh_member(self)
        if member is not None:
            await self._drop_image(member)

    async def _drop_image(self, member: Member) -> None:
        """Forget the unsent image, and its file (nothing else uses it)."""
        if self.image_id:
            with contextlib.suppress(ServiceError):
                await run_in_threadpool(
                    in_transaction, media_store.delete_asset, member.user, member.workspace_id, self.image_id
                )
        self.image_id, self.image_preview = 0, ""

    @rx.event
    async def check_window(self):
        """Once a minute while a thread is open: the reply window closes by the clock alone, and
        the composer must follow without a reload."""
        member = await fresh_member(self)
        if member is not None and self.selected and self.loaded:
            await self._refresh(member)

    @rx.event
    def set_draft(self, value: str):
        self.draft = str(value)[:2000]

    @rx.event
    def set_human_agent(self, value: bool):
        self.human_agent = bool(value) and self.mode == "human_agent"

    async def _act(self, work: Any, *args: Any, done_key: str = ""):
        session = await self.get_state(SessionState)
        member = await fresh_member(self)
        if member is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            await run_in_threadpool(in_transaction, work, member.user, member.workspace_id, *args)
        except ServiceError as error:
            await self._refresh(member)
            return rx.toast.error(session.t(error.code))
        await self._refresh(member)
        await notify.topic_changed(member.workspace_id, notify.MESSAGES)
        return rx.toast.success(session.t(done_key)) if done_key else None

    @rx.event
    async def mark_unread(self, conversation_id: str):
        result = await self._act(inbox.mark_unread, as_id(conversation_id), done_key="inbox.marked_unread")
        self.selected, self.messages = "", []
        return result

    @rx.event
    async def mark_read(self, conversation_id: str):
        return await self._act(inbox.mark_read, as_id(conversation_id), done_key="inbox.marked_read")

    @rx.event
    async def assign(self, conversation_id: str, value: str):
        assignee = None if value in ("", "none") else as_id(value)
        return await self._act(inbox.assign, as_id(conversation_id), assignee, done_key="inbox.assigned")

    @rx.event
    async def send(self):
        session = await self.get_state(SessionState)
        member = await fresh_member(self)
        if member is None:
            yield rx.redirect(routes.SIGN_IN)
            return
        self.sending = True
        yield
        try:
            await inbox.send_reply(
                member.user,
                member.workspace_id,
                as_id(self.selected),
                self.draft,
                image_id=self.image_id or None,
                human_agent=self.human_agent,
            )
        except ServiceError as error:
            self.sending = False
            await self._refresh(member)
            yield rx.toast.error(session.t(error.code))
            return
        self.draft, self.sending, self.image_id, self.image_preview = "", False, 0, ""
        await self._refresh(member)
        yield rx.toast.success(session.t("inbox.sent"))


class InboxBadgeState(rx.State):
    """Conversations with unread messages in the tab's workspace: the navigation badge."""

    unread: rx.Field[int] = rx.field(0)

    async def set_count(self, count: int) -> None:
        self.unread = count

    async def recount(self) -> None:
        member = await fresh_member(self)
        if member is None:
            self.unread = 0
            return
        self.unread = await run_in_threadpool(in_transaction, inbox_view.unread_conversations, member.workspace_id)

    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        member = await session.member()
        if member is None:
            return
        try:
            self.unread = await run_in_threadpool(in_transaction, inbox_view.unread_conversations, member.workspace_id)
        except Exception:  # noqa: BLE001 - the badge must never break a page
            self.unread = 0
