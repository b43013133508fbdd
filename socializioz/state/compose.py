"""The composer: accounts to post to (one pre-selected by ``?account=<id>``, a draft reopened by
``?post=<id>``), text with a live count per platform, uploaded media in order, the creators'
options (TikTok's privacy level), a campaign, and the time in the workspace's zone.

Everything shown is computed here on the server from the same rules ``compose.save_post`` applies
again on save (counts, objections, previews), so what the page allows is what the server accepts.
"""

from __future__ import annotations

import contextlib
from typing import Any

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz import i18n, routes
from socializioz.integrations.models import MediaItem, PublishOptions
from socializioz.services import (
    compose,
    compose_options,
    compose_rules,
    compose_time,
    compose_views,
    media_store,
    notify,
    publisher,
)
from socializioz.services.errors import ServiceError
from socializioz.services.persisted import saved_id
from socializioz.services.unit_of_work import in_transaction
from socializioz.state.session import Member, SessionState, workspace_data

UPLOAD_ID = "compose-upload"
MAX_UPLOAD_BYTES = media_store.MAX_UPLOAD_BYTES  # the browser refuses bigger files before sending them
MAX_MEDIA = 20  # LinkedIn's multi-image maximum, the largest of the platforms wired
_DROP_ERRORS = {
    "file-too-large": "media.too_large_for_upload",
    "file-invalid-type": "media.unsupported_type",
    "too-many-files": "compose.too_many_files",
}


@workspace_data
class ComposeState(rx.State):
    accounts: rx.Field[list[dict]] = rx.field(default_factory=list)
    selected: rx.Field[list[int]] = rx.field(default_factory=list)
    text: str = ""
    media: rx.Field[list[dict]] = rx.field(default_factory=list)
    counters: rx.Field[list[dict]] = rx.field(default_factory=list)
    issues: rx.Field[list[dict]] = rx.field(default_factory=list)
    previews: rx.Field[list[dict]] = rx.field(default_factory=list)
    privacy: rx.Field[list[dict]] = rx.field(default_factory=list)  # per platform asking: its levels
    choices: rx.Field[dict[str, str]] = rx.field(default_factory=dict)  # platform -> privacy level
    campaigns: rx.Field[list[dict]] = rx.field(default_factory=list)
    campaign: str = ""  # an existing campaign's id, or "" for none
    new_campaign: str = ""
    day: str = ""
    clock: str = ""
    zone: str = "UTC"
    time_note: str = ""  # the ambiguous or non-existent local time, in words
    time_ok: bool = True
    post_id: int = 0  # a draft being edited
    busy: str = ""  # the action running: now / schedule / draft
    uploading: bool = False
    checking: bool = False  # creator options being read
    error: rx.Field[str] = rx.field("")
    upload_errors: rx.Field[list[str]] = rx.field(default_factory=list)
    _lang: str = i18n.DEFAULT_LANGUAGE
    _options: dict[int, PublishOptions] = {}
    _failed: list[int] = []

    # -- loading -----------------------------------------------------------------------------

    async def _member(self) -> Member | None:
        session = await self.get_state(SessionState)
        self._lang = session.lang
        return await session.member()

    def _t(self, key: str, **params: object) -> str:
        return i18n.translate(self._lang, key, **params)

    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        member = await self._member()
        if member is None:
            await session.forget_tab()
            return
        await session.bind_tab(member)
        setup = await run_in_threadpool(compose_views.composer_setup, member.user, member.workspace_id)
        self.accounts, self.zone, self.campaigns = setup["accounts"], setup["zone"], setup["campaigns"]
        self.day, self.clock = setup["day"], setup["clock"]
        self._reset_fields()
        query = self.router.url.query_parameters
        wanted, post = query.get("account", ""), query.get("post", "")
        if post.isdigit():
            await self._open_draft(member, int(post))
        elif wanted.isdigit() and self._choosable(int(wanted)):
            self.selected = [int(wanted)]
        await self._read_options(member)
        self._recompute()

    def _reset_fields(self) -> None:
        self.selected, self.text, self.media, self.choices = [], "", [], {}
        self.campaign, self.new_campaign, self.post_id, self.busy = "", "", 0, ""
        self.error, self.upload_errors, self._options, self._failed = "", [], {}, []

    async def _open_draft(self, member: Member, post_id: int) -> None:
        try:
            draft = await run_in_threadpool(compose_views.draft_for_editing, member.user, member.workspace_id, post_id)
        except ServiceError as error:
            self.error = self._t(error.code, **error.params)
            return
        self.post_id, self.text, self.media = post_id, draft["text"], draft["media"]
        self.selected = [i for i in draft["account_ids"] if self._choosable(i)]
        self.choices = {p: v.get(compose_rules.PRIVACY_OPTION, "") for p, v in draft["choices"].items()}
        self.campaign = str(draft["campaign_id"] or "")
        if draft["day"]:
            self.day, self.clock = draft["day"], draft["clock"]

    def _choosable(self, account_id: int) -> bool:
        return any(a["id"] == account_id and not a["blocked"] for a in self.accounts)

    # -- what the page shows -------------------------------------------------------------------

    def _chosen(self) -> list[dict]:
        return [a for a in self.accounts if a["id"] in self.selected]

    def _media_items(self) -> list[MediaItem]:
        return [
            MediaItem(
                url=m["url"],
                kind=m["kind"],
                mime_type=m["mime_type"],
                size_bytes=m["size_bytes"],
                width=m["width"] or None,
                height=m["height"] or None,
                duration_seconds=m["duration"] or None,
            )
            for m in self.media
        ]

    def _platform_options(self) -> dict[str, PublishOptions]:
        return compose_options.by_platform({a["id"]: a["platform"] for a in self._chosen()}, self._options)

    def _recompute(self) -> None:
        chosen = self._chosen()
        platforms = list(dict.fromkeys(a["platform"] for a in chosen))
        names = {a["platform"]: a["platform_name"] for a in chosen}
        self.counters = [self._counter(p, names[p]) for p in platforms]
        options = self._platform_options()
        failed = {a["platform"] for a in chosen if a["id"] in self._failed}
        media = self._media_items()
        found = compose.issues_for(platforms, self.text.strip(), media, options, self._choice_map(), sorted(failed))
        self.issues = [
            {"platform": i.platform, "name": names[i.platform], "text": self._t(i.code, **i.params), "reconnect": 0}
            for i in found
        ] + [
            {"platform": a["platform"], "name": a["name"], "text": self._t(i.code, **i.params), "reconnect": a["id"]}
            for a in chosen
            for i in compose_rules.media_scope_issues(a["platform"], bool(a.get("media_reconnect")), media)
        ]
        self.privacy = [
            {
                "platform": p,
                "name": names[p],
                "chosen": self.choices.get(p, ""),
                "levels": [
                    {"value": v, "label": self._t(compose_rules.PRIVACY_LABELS.get(v, v))} for v in o.privacy_levels
                ],
            }
            for p, o in options.items()
            if o.privacy_levels
        ]
        self.previews = [self._preview(a) for a in chosen]
        self._check_time()

    def _counter(self, platform: str, name: str) -> dict[str, Any]:
        count, limit = compose_rules.text_count(platform, self.text.strip())
        return {"platform": platform, "name": name, "count": count, "limit": limit, "over": count > limit}

    def _preview(self, account: dict) -> dict[str, Any]:
        shown, cut = compose_rules.preview_text(account["platform"], self.text.strip())
        return {
            "id": account["id"],
            "platform": account["platform"],
            "platform_name": account["platform_name"],
            "name": account["name"],
            "username": account["username"],
            "avatar_url": account["avatar_url"],
            "text": shown,
            "cut": cut,
            "media": [m for m in self.media if compose_rules.takes_file(account["platform"], m["mime_type"])][:4],
        }

    def _choice_map(self) -> dict[str, dict[str, str]]:
        return {p: {compose_rules.PRIVACY_OPTION: v} for p, v in self.choices.items() if v}

    def _check_time(self) -> None:
        self.time_note, self.time_ok = "", True
        if not self.day or not self.clock:
            return
        try:
            due = compose_time.local_to_utc(self.day, self.clock, self.zone)
        except ServiceError as error:
            self.time_note, self.time_ok = self._t(error.code, **error.params), False
            return
        if due.ambiguous:
            self.time_note = self._t("compose.time_ambiguous", time=self.clock, zone=self.zone)

    @rx.var
    def has_content(self) -> bool:
        return bool(self.text.strip()) or bool(self.media)

    @rx.var
    def can_send(self) -> bool:
        return bool(self.selected) and self.has_content and not self.issues and not self.busy and not self.checking

    # -- editing -------------------------------------------------------------------------------

    @rx.event
    async def toggle_account(self, account_id: int):
        if account_id in self.selected:
            self.selected = [i for i in self.selected if i != account_id]
        elif self._choosable(account_id):  # a blocked account cannot be chosen, whatever the browser sends
            self.selected = [*self.selected, account_id]
        else:
            return
        self._recompute()
        if account_id in self.selected and account_id not in self._options:
            self.checking = True
            yield
            member = await self._member()
            if member is not None:
                await self._read_options(member)
            self.checking = False
            self._recompute()

    async def _read_options(self, member: Member) -> None:
        missing = [i for i in self.selected if i not in self._options]
        if not missing:
            return
        try:
            found = await compose_options.fetch_options(saved_id(member.user), member.workspace_id, missing)
        except ServiceError:
            return
        self._options = {**self._options, **found.options}
        self._failed = [i for i in self._failed if i not in found.options] + list(found.failed)

    @rx.event
    def set_text(self, value: str):
        self.text = value[: compose.MAX_TEXT * 2]  # the browser's cap; the server's rule says more
        self._recompute()

    @rx.event
    def set_privacy(self, platform: str, value: str):
        offered: list[dict] = next((e["levels"] for e in self.privacy if e["platform"] == platform), [])
        if any(level["value"] == value for level in offered):  # only a level the creator's options offer
            self.choices = {**self.choices, platform: value}
            self._recompute()

    @rx.event
    def set_day(self, value: str):
        self.day = value
        self._check_time()

    @rx.event
    def set_clock(self, value: str):
        self.clock = value
        self._check_time()

    @rx.event
    def set_campaign(self, value: str):
        self.campaign = "" if value == "none" else value

    @rx.event
    def set_new_campaign(self, value: str):
        self.new_campaign = value[: compose.MAX_CAMPAIGN_NAME * 2]

    # -- media ---------------------------------------------------------------------------------

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        member = await self._member()
        if member is None:
            return
        self.upload_errors, self.uploading = [], True
        yield
        errors: list[str] = []
        for file in files:
            name = file.name or ""
            if len(self.media) >= MAX_MEDIA:
                errors.append(self._t("compose.too_many_files", limit=MAX_MEDIA))
                break
            try:
                asset = await run_in_threadpool(
                    in_transaction, media_store.save_upload, member.user, member.workspace_id, name, file.file
                )
            except ServiceError as error:
                errors.append(self._t("media.upload_failed", name=name, reason=self._t(error.code, **error.params)))
                continue
            self.media = [*self.media, compose_views.asset_view(asset)]
        self.upload_errors, self.uploading = errors, False
        self._recompute()

    @rx.event
    def upload_rejected(self, rejections: list[dict]):
        """Files the browser refused before sending (react-dropzone: too large, wrong type)."""
        errors = []
        for rejection in rejections:
            name = str((rejection.get("file") or {}).get("path") or "").lstrip("./")
            codes = [e.get("code", "") for e in rejection.get("errors", [])]
            key = next((_DROP_ERRORS[c] for c in codes if c in _DROP_ERRORS), "media.unsupported_type")
            reason = self._t(key, limit=MAX_UPLOAD_BYTES // (1024 * 1024))
            errors.append(self._t("media.upload_failed", name=name, reason=reason))
        self.upload_errors = errors

    @rx.event
    def move_media(self, index: int, step: int):
        target = index + step
        if 0 <= index < len(self.media) and 0 <= target < len(self.media):
            items = list(self.media)
            items[index], items[target] = items[target], items[index]
            self.media = items
            self._recompute()

    @rx.event
    async def remove_media(self, asset_id: int):
        if not any(m["id"] == asset_id for m in self.media):
            return
        self.media = [m for m in self.media if m["id"] != asset_id]
        self._recompute()
        member = await self._member()
        if member is not None:
            with contextlib.suppress(ServiceError):  # forget the file unless a saved post uses it
                await run_in_threadpool(
                    in_transaction, media_store.delete_asset, member.user, member.workspace_id, asset_id
                )

    # -- saving --------------------------------------------------------------------------------

    @rx.event
    async def submit(self, mode: str):
        if self.busy or mode not in {m.value for m in compose.Mode}:
            return
        self.busy, self.error = mode, ""
        yield
        member = await self._member()
        if member is None:
            self.busy = ""
            return
        await self._read_options(member)
        self._recompute()
        chosen = self._chosen()
        try:
            await run_in_threadpool(
                in_transaction,
                compose.save_post,
                member.user,
                member.workspace_id,
                self._draft(chosen),
                compose.Mode(mode),
                self._due(compose.Mode(mode)),
                self._platform_options(),
                unavailable=sorted({a["platform"] for a in chosen if a["id"] in self._failed}),
            )
        except ServiceError as error:
            self.error, self.busy = self._t(error.code, **error.params), ""
            return
        if mode == compose.Mode.NOW.value:
            publisher.wake()  # "Post now" goes out within a second, not at the publisher's next tick
        await notify.topic_changed(member.workspace_id, notify.POSTS)
        message = {"now": "compose.posted_now", "schedule": "compose.scheduled", "draft": "compose.draft_saved"}[mode]
        keep_campaigns = await run_in_threadpool(compose_views.composer_setup, member.user, member.workspace_id)
        self.campaigns = keep_campaigns["campaigns"]
        self._reset_fields()
        self._recompute()
        yield rx.toast.success(
            self._t(message, count=len(chosen)),
            id="compose-toast",
            action={"label": self._t("compose.view_posts"), "on_click": rx.redirect(routes.POSTS)},
        )

    def _due(self, mode: compose.Mode) -> compose_time.DueTime | None:
        """The typed time as UTC; a draft keeps it only when it is a real time."""
        if mode is compose.Mode.NOW or (mode is compose.Mode.DRAFT and not (self.day and self.clock and self.time_ok)):
            return None
        return compose_time.local_to_utc(self.day, self.clock, self.zone)

    def _draft(self, chosen: list[dict]) -> compose.Draft:
        return compose.Draft(
            account_ids=[a["id"] for a in chosen],
            text=self.text,
            media_ids=[m["id"] for m in self.media],
            choices=self._choice_map(),
            campaign_id=int(self.campaign) if self.campaign.isdigit() else None,
            campaign_name=self.new_campaign,
            post_id=self.post_id or None,
        )
