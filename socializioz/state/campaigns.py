"""The Campaigns page: the list with post counts and accounts, create and rename, and one
campaign's posts (``?campaign=<id>``) shown with the posts page's own list.

Handlers re-check the caller from the session cookie and pass the fresh user and workspace to
``services.campaigns``, which refuses another workspace's ids.
"""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz.services.campaigns import (
    CampaignView,
    campaign_detail,
    create_campaign,
    list_campaigns,
    rename_campaign,
)
from socializioz.services.errors import ServiceError
from socializioz.services.posts_view import PAGE_SIZE, PostView
from socializioz.services.unit_of_work import in_transaction
from socializioz.state.list_page import ListPage, fresh_member, open_for_tab
from socializioz.state.session import Member, SessionState, workspace_data

_NONE = CampaignView(id=0, name="", post_count=0)


@workspace_data
class CampaignsState(ListPage, rx.State):
    page_size: ClassVar[int] = PAGE_SIZE
    campaigns: rx.Field[list[CampaignView]] = rx.field(default_factory=list)
    selected: rx.Field[CampaignView] = rx.field(default_factory=lambda: _NONE)
    posts: rx.Field[list[PostView]] = rx.field(default_factory=list)
    has_more: bool = False
    limit: int = PAGE_SIZE
    timezone: str = ""
    failed: bool = False
    new_name: str = ""
    error: rx.Field[str] = rx.field("")  # a catalogue key for the create/rename form
    renaming: rx.Field[bool] = rx.field(False)
    rename_to: str = ""

    @rx.var
    def showing_one(self) -> bool:
        return self.selected.id != 0

    def _wanted(self) -> int:
        raw = self.router.url.query_parameters.get("campaign", "")
        return int(raw) if raw.isdigit() else 0

    async def _refresh(self, member: Member) -> None:
        wanted = self.selected.id or self._wanted()
        try:
            if wanted:
                detail = await run_in_threadpool(
                    in_transaction, campaign_detail, member.user, member.workspace_id, wanted, self.limit
                )
                self.selected, self.posts, self.has_more = detail.campaign, detail.posts, detail.has_more
                self.timezone = detail.timezone
            else:
                self.campaigns = await run_in_threadpool(
                    in_transaction, list_campaigns, member.user, member.workspace_id
                )
                self.selected, self.posts, self.has_more = _NONE, [], False
        except ServiceError:
            self.failed, self.loading = True, False
            return
        self.failed, self.loading, self.loaded = False, False, True

    @rx.event
    async def load(self):
        self.selected, self.limit, self.error, self.renaming, self.new_name = _NONE, PAGE_SIZE, "", False, ""
        self.loading, self.failed = True, False
        yield
        member = await open_for_tab(self)
        if member is not None:
            await self._refresh(member)

    @rx.event
    async def load_more(self):
        self.limit = min(self.limit + PAGE_SIZE, 1000)
        member = await fresh_member(self)
        if member is not None:
            await self._refresh(member)

    @rx.event
    def set_new_name(self, value: str):
        self.new_name, self.error = value, ""

    @rx.event
    def set_rename_to(self, value: str):
        self.rename_to, self.error = value, ""

    @rx.event
    def start_rename(self):
        self.renaming, self.rename_to, self.error = True, self.selected.name, ""

    @rx.event
    def cancel_rename(self):
        self.renaming, self.error = False, ""

    async def _save(self, work: Any, *args: Any):
        session = await self.get_state(SessionState)
        member = await fresh_member(self)
        if member is None:
            return None
        try:
            saved = await run_in_threadpool(in_transaction, work, member.user, member.workspace_id, *args)
        except ServiceError as error:
            self.error = error.code
            return None
        self.error = ""
        await self._refresh(member)
        return session, saved.name

    @rx.event
    async def create(self):
        done = await self._save(create_campaign, self.new_name[:500])
        if done is not None:
            self.new_name = ""
            return rx.toast.success(done[0].t("campaigns.created", name=done[1]))

    @rx.event
    async def rename(self):
        done = await self._save(rename_campaign, self.selected.id, self.rename_to[:500])
        if done is not None:
            self.renaming = False
            return rx.toast.success(done[0].t("campaigns.renamed", name=done[1]))
