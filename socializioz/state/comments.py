"""The comments page (issue 13): threads with filters, the reply box, hide / unhide, like,
delete with a confirmation; and the nav badge of unanswered comments.

Every handler re-checks the caller from the session cookie and passes the fresh user and
workspace to a service that refuses foreign ids and roles that may not moderate (the ids a
browser sends are never trusted); reads run in a worker thread. The page load registers the tab
for live pushes; ``state.comments_live`` re-reads an open page when a comment arrives.
"""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz.services import comment_actions
from socializioz.services.comments import (
    PAGE_SIZE,
    AccountComments,
    CommentFilters,
    CommentView,
    badge_count,
    members_may_moderate,
    read_comments,
    set_members_may_moderate,
)
from socializioz.services.errors import ServiceError
from socializioz.services.unit_of_work import in_transaction
from socializioz.state.list_page import ListPage, as_id, fresh_member, open_for_tab
from socializioz.state.session import Member, SessionState, workspace_data

DONE_KEYS = {
    "reply": "comments.replied",
    "hide": "comments.done.hide",
    "unhide": "comments.done.unhide",
    "delete": "comments.done.delete",
    "like": "comments.done.like",
    "unlike": "comments.done.unlike",
}


def _read(member: Member, filters: CommentFilters, limit: int) -> Any:
    return in_transaction(read_comments, member.user, member.workspace_id, filters, limit)


@workspace_data
class CommentsBadgeState(rx.State):
    """The nav badge: unanswered comments of the workspace, read on every page load and pushed."""

    count: rx.Field[int] = rx.field(0)

    async def recount(self) -> None:
        member = await (await self.get_state(SessionState)).member()
        self.count = (
            await run_in_threadpool(in_transaction, badge_count, member.user, member.workspace_id) if member else 0
        )

    @rx.event
    async def refresh(self):
        await self.recount()


@workspace_data
class CommentsState(ListPage, rx.State):
    page_size: ClassVar[int] = PAGE_SIZE
    status: str = "all"  # all / unanswered / hidden
    account_filter: str = ""  # "" = every account; select values are strings
    post_filter: str = ""  # a platform post id ("Manage comments" from the details panel)
    threads: rx.Field[list[CommentView]] = rx.field(default_factory=list)
    accounts: rx.Field[list[AccountComments]] = rx.field(default_factory=list)
    has_more: bool = False
    limit: int = PAGE_SIZE
    may_moderate: bool = False
    failed: bool = False
    reply_to: rx.Field[int] = rx.field(0)  # the comment whose reply box is open
    reply_text: str = ""
    busy: rx.Field[int] = rx.field(0)  # a comment whose action is on its way
    confirm_delete: rx.Field[int] = rx.field(0)

    @rx.var
    def confirm_open(self) -> bool:
        return self.confirm_delete != 0

    @rx.var
    def filtered(self) -> bool:
        return bool(self.status != "all" or self.account_filter or self.post_filter)

    @rx.var
    def problems(self) -> list[AccountComments]:
        """Accounts whose scopes do not allow moderation (shown with Reconnect to moderators)."""
        return [a for a in self.accounts if a.missing_scope]

    def _filters(self) -> CommentFilters:
        return CommentFilters.parse(self.status, self.account_filter, self.post_filter)

    async def _refresh(self, member: Member) -> None:
        try:
            page = await run_in_threadpool(_read, member, self._filters(), self.limit)
        except ServiceError:
            self.failed, self.loading = True, False
            return
        self.threads, self.has_more, self.accounts = page.threads, page.has_more, page.accounts
        self.may_moderate = page.may_moderate
        self.failed, self.loading, self.loaded = False, False, True
        badge = await self.get_state(CommentsBadgeState)
        badge.count = page.unanswered

    @rx.event
    async def load(self):
        """on_load: ``?status=&account=&post=`` choose what is shown."""
        query = self.router.url.query_parameters
        parsed = CommentFilters.parse(query.get("status", ""), query.get("account", ""), query.get("post", ""))
        self.status, self.account_filter = parsed.status, str(parsed.account_id or "")
        self.post_filter = parsed.post_id
        self.limit, self.reply_to, self.reply_text, self.confirm_delete, self.busy = PAGE_SIZE, 0, "", 0, 0
        self.loading = True
        yield
        member = await open_for_tab(self)
        if member is not None:
            await self._refresh(member)

    @rx.event
    async def set_status(self, status: str | list[str]):
        status = status if isinstance(status, str) else ""
        async for update in self._show(status=CommentFilters.parse(status).status):
            yield update

    @rx.event
    async def set_account(self, value: str):
        """An account of this workspace, or all; another workspace's id reads nothing (the
        service keeps to the caller's workspace)."""
        async for update in self._show(account_filter="" if value == "all" else str(as_id(value) or "")):
            yield update

    @rx.event
    async def clear_post(self):
        async for update in self._show(post_filter=""):
            yield update

    @rx.event
    async def load_more(self):
        member = await fresh_member(self)
        if member is not None:
            self.limit += PAGE_SIZE
            await self._refresh(member)

    # -- actions: the service checks workspace, role and scopes for each --------------------------

    @rx.event
    def open_reply(self, comment_id: int):
        """Only a comment this tab shows (the send re-checks everything on the server)."""
        shown = {t.id for t in self.threads} | {r.id for t in self.threads for r in t.replies}
        number = as_id(comment_id)
        self.reply_to, self.reply_text = (number, "") if number in shown else (0, "")

    @rx.event
    def cancel_reply(self):
        self.reply_to, self.reply_text = 0, ""

    @rx.event
    def set_reply_text(self, value: str):
        self.reply_text = value[:5000]

    @rx.event
    async def send_reply(self):
        async for update in self._act(self.reply_to, "reply", self.reply_text):
            yield update

    @rx.event
    async def hide(self, comment_id: int):
        async for update in self._act(comment_id, "hide"):
            yield update

    @rx.event
    async def unhide(self, comment_id: int):
        async for update in self._act(comment_id, "unhide"):
            yield update

    @rx.event
    async def like(self, comment_id: int):
        async for update in self._act(comment_id, "like"):
            yield update

    @rx.event
    async def unlike(self, comment_id: int):
        async for update in self._act(comment_id, "unlike"):
            yield update

    @rx.event
    def ask_delete(self, comment_id: int):
        self.confirm_delete = as_id(comment_id)

    @rx.event
    def cancel_delete(self, _open: bool = False):
        self.confirm_delete = 0

    @rx.event
    async def confirm_delete_comment(self):
        comment_id, self.confirm_delete = self.confirm_delete, 0
        async for update in self._act(comment_id, "delete"):
            yield update

    async def _act(self, comment_id: Any, action: str, text: str = ""):
        session = await self.get_state(SessionState)
        member = await fresh_member(self)
        number = as_id(comment_id)
        if member is None or not number:
            return
        self.busy = number
        yield
        try:
            result = await comment_actions.moderate(member.user_id, member.workspace_id, number, action, text)
        except ServiceError as error:
            self.busy = 0
            yield rx.toast.error(session.t(error.code, **error.params))
            return
        self.busy = 0
        if not result.ok:
            yield rx.toast.error(session.t(result.code, scope=result.scope))
            return
        if action == "reply":
            self.reply_to, self.reply_text = 0, ""
        await self._refresh(member)
        yield rx.toast.success(session.t(DONE_KEYS[action]))


@workspace_data
class CommentSettingsState(rx.State):
    """The workspace page's "who moderates comments" switch; only the owner changes it (the
    service checks the role again)."""

    members_may_moderate: bool = False

    @rx.event
    async def load(self):
        member = await fresh_member(self)
        if member is not None:
            self.members_may_moderate = await run_in_threadpool(
                in_transaction, lambda db: members_may_moderate(db, member.workspace_id)
            )

    @rx.event
    async def set_members_may_moderate(self, allowed: bool):
        session = await self.get_state(SessionState)
        member = await fresh_member(self)
        if member is None:
            return None
        try:
            await run_in_threadpool(
                in_transaction, set_members_may_moderate, member.user, member.workspace_id, bool(allowed)
            )
        except ServiceError as error:
            return rx.toast.error(session.t(error.code))
        self.members_may_moderate = bool(allowed)
        return rx.toast.success(session.t("comments.setting.saved"))
