"""The analytics page: the chosen range, scope and sort, and the read model turned into
display-ready rows in the user's language (numbers and days formatted on the server, so the
browser only lays them out). The last view is kept backend-only so the CSV is exactly what is shown.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz.i18n import direction, translate
from socializioz.i18n.formatting import format_day, format_number, format_percent
from socializioz.services import analytics_export, analytics_sync
from socializioz.services.analytics_export import platform_name
from socializioz.services.analytics_view import (
    DEFAULT_PRESET,
    PRESETS,
    SORT_KEYS,
    AnalyticsView,
    Figures,
    Kpi,
    build_view,
)
from socializioz.services.errors import ServiceError
from socializioz.state.session import SessionState, workspace_data

METRIC_LABELS = {
    "followers": "analytics.metric.followers",
    "reach": "analytics.metric.reach",
    "views": "analytics.metric.views",
    "engagement": "analytics.metric.engagement",
    "posts": "analytics.metric.posts",
}
CUSTOM = "custom"


def kpi_card(kpi: Kpi, lang: str) -> dict[str, Any]:
    """A KPI as the card shows it: value, signed change and percentage, and which way it went."""
    pct = kpi.delta_pct
    return {
        "metric": kpi.metric,
        "label": translate(lang, METRIC_LABELS[kpi.metric]),
        "value": format_number(lang, kpi.value),
        "delta": ("+" if kpi.delta > 0 else "") + format_number(lang, kpi.delta),
        "pct": "" if pct is None else format_percent(lang, pct, signed=True),
        "trend": "up" if kpi.delta > 0 else "down" if kpi.delta < 0 else "flat",
        "comparable": pct is not None,
    }


def _figures(figures: Figures, lang: str) -> dict[str, str]:
    return {
        "followers": format_number(lang, figures.followers),
        "growth": ("+" if figures.growth > 0 else "") + format_number(lang, figures.growth),
        "engagement": format_number(lang, figures.engagement),
        "views": format_number(lang, figures.views),
        "posts": format_number(lang, figures.posts),
    }


def display(view: AnalyticsView, lang: str) -> dict[str, Any]:
    """Every var of the page from one view (pure, so it is tested without a browser)."""
    chart_rows = [
        {"label": format_day(lang, day), **{m: values[i] for m, values in view.series.items()}}
        for i, day in enumerate(view.days)
    ]
    problems = [
        {
            "id": a.id,
            "platform": a.platform,
            "name": a.name,
            "reason": translate(lang, a.problem.reason_key, scope=a.problem.scope),
            "reconnect": a.problem.reconnect,
        }
        for a in view.problems
        if a.problem is not None
    ]
    shown_from = view.account_page * (view.page_size or 0) + 1 if view.accounts else 0
    return {
        "range_label": translate(
            lang,
            "analytics.range_label",
            start=format_day(lang, view.range.start, with_year=True),
            end=format_day(lang, view.range.end, with_year=True),
        ),
        "compare_label": translate(lang, "analytics.vs_previous", days=format_number(lang, view.range.days)),
        "timezone": view.timezone,
        "has_accounts": view.has_accounts,
        "has_data": view.has_data,
        "rtl": direction(lang) == "rtl",
        "kpis": [kpi_card(k, lang) for k in view.kpis],
        "offered": list(view.offered),
        "chart_rows": chart_rows,
        "platform_rows": [
            {
                "platform": p.platform,
                "name": platform_name(p.platform),
                "accounts": p.accounts,
                **_figures(p.figures, lang),
            }
            for p in view.platforms
        ],
        "account_rows": [
            {"id": a.id, "platform": a.platform, "name": a.name, "has_data": a.has_data, **_figures(a.figures, lang)}
            for a in view.accounts
        ],
        "problems": problems,
        "account_page": view.account_page,
        "account_pages": view.account_pages,
        "account_range": translate(
            lang,
            "analytics.accounts_range",
            first=format_number(lang, shown_from),
            last=format_number(lang, max(shown_from + len(view.accounts) - 1, 0)),
            total=format_number(lang, view.account_total),
        ),
        "top_posts": [
            {
                "id": p.id,
                "platform": p.platform,
                "platform_name": platform_name(p.platform),
                "account": p.account_name,
                "caption": p.caption,
                "thumbnail": p.thumbnail_url,
                "link": p.permalink,
                "published": format_day(lang, p.published, with_year=True) if p.published else "",
                "likes": format_number(lang, p.likes),
                "comments": format_number(lang, p.comments),
                "shares": format_number(lang, p.shares),
                "views": format_number(lang, p.views),
                "engagement": format_number(lang, p.engagement),
            }
            for p in view.top_posts
        ],
        "scope_options": [
            {"value": "all", "label": translate(lang, "analytics.scope.all")},
            *({"value": f"platform:{p.platform}", "label": platform_name(p.platform)} for p in view.platforms),
            # The accounts of the table's page (the selected one among them): the picker's cost
            # does not grow with the workspace; other accounts are reached by paging the table.
            *({"value": f"account:{a.id}", "label": f"{a.name} · {platform_name(a.platform)}"} for a in view.accounts),
        ],
        "scope": view.scope,
        "sort": view.sort,
    }


@workspace_data
class AnalyticsPageState(rx.State):
    preset: rx.Field[str] = rx.field(str(DEFAULT_PRESET))  # "7" / "30" / "90" / "custom"
    custom_start: rx.Field[str] = rx.field("")
    custom_end: rx.Field[str] = rx.field("")
    scope: rx.Field[str] = rx.field("all")
    sort: rx.Field[str] = rx.field("engagement")
    loading: rx.Field[bool] = rx.field(False)
    loaded: rx.Field[bool] = rx.field(False)
    error: rx.Field[str] = rx.field("")  # a catalogue key
    range_label: rx.Field[str] = rx.field("")
    compare_label: rx.Field[str] = rx.field("")
    timezone: rx.Field[str] = rx.field("UTC")
    has_accounts: rx.Field[bool] = rx.field(False)
    has_data: rx.Field[bool] = rx.field(False)
    rtl: rx.Field[bool] = rx.field(False)
    kpis: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    offered: rx.Field[list[str]] = rx.field(default_factory=list)
    chart_rows: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    platform_rows: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    account_rows: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    problems: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    top_posts: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    scope_options: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    account_page: rx.Field[int] = rx.field(0)  # 0-based page of the per-account table
    account_pages: rx.Field[int] = rx.field(1)
    account_range: rx.Field[str] = rx.field("")  # "1–25 of 500"
    refreshing: int = 0  # the account whose "Refresh analytics" is running
    _shown: AnalyticsView | None = None  # the view on screen, for the CSV
    _shown_workspace: int = 0

    @rx.var
    def scope_account(self) -> int:
        """The account shown alone (0 when the page shows a platform or everything)."""
        kind, _, value = self.scope.partition(":")
        return int(value) if kind == "account" and value.isdigit() else 0

    @rx.var
    def shows_reach_or_views(self) -> bool:
        return "reach" in self.offered or "views" in self.offered

    async def _read(self) -> str:
        """Re-read the view for the caller (checked from the session cookie); an error key or ""."""
        session = await self.get_state(SessionState)
        member = await session.member()
        if member is None:
            await session.forget_tab()
            return "workspace.not_found"
        custom = self.preset == CUSTOM
        try:
            view = await run_in_threadpool(
                build_view,
                member.user,
                member.workspace_id,
                preset=None if custom else int(self.preset),
                start=self.custom_start,
                end=self.custom_end,
                scope=self.scope,
                sort=self.sort,
                page=self.account_page,
            )
        except ServiceError as error:
            return error.code
        self._shown, self._shown_workspace = view, member.workspace_id
        for name, value in display(view, session.lang).items():
            setattr(self, name, value)
        self.loaded = True
        return ""

    async def _reload(self):
        self.loading, self.error = True, ""
        yield
        self.error = await self._read()
        self.loading = False

    @rx.event
    async def load(self):
        """on_load (and after a language or workspace switch): keep the chosen range and scope,
        unless the scope is an account of another workspace (then show everything)."""
        session = await self.get_state(SessionState)
        member = await session.member()
        if member is None:
            await session.forget_tab()
            return
        await session.bind_tab(member)  # registers the tab for live pushes
        async for update in self._reload():
            yield update
        if self.error == "analytics.scope_not_found":
            self.scope = "all"
            async for update in self._reload():
                yield update

    async def refresh(self) -> None:
        """A live push: new metrics arrived for this workspace."""
        self.error = await self._read()

    @rx.event
    async def refresh_account(self, account_id: int):
        """ "Refresh analytics" on an account of the problems list: read it from the platform now
        (the service re-checks the caller's workspace), then say what happened."""
        session = await self.get_state(SessionState)
        member = await session.member()
        if member is None:
            await session.forget_tab()
            return
        self.refreshing = int(account_id) if str(account_id).isdigit() else 0
        yield
        try:
            result = await analytics_sync.refresh_account_analytics(
                member.user_id, member.workspace_id, self.refreshing
            )
        except ServiceError as error:
            self.refreshing = 0
            yield rx.toast.error(session.t(error.code))
            return
        self.refreshing = 0
        self.error = await self._read()
        if result.status == "synced":
            yield rx.toast.success(session.t("analytics.refreshed"))
        else:
            yield rx.toast.error(session.t("analytics.refresh_failed"))

    @rx.event
    async def set_preset(self, preset: str | list[str]):
        preset = preset if isinstance(preset, str) else "".join(preset[:1])
        if preset != CUSTOM and preset not in {str(p) for p in PRESETS}:
            return
        self.preset = preset
        if preset == CUSTOM:
            if not self.custom_start and self._shown is not None:
                self.custom_start = self._shown.range.start.isoformat()
                self.custom_end = self._shown.range.end.isoformat()
            return
        async for update in self._reload():
            yield update

    @rx.event
    def set_custom_start(self, value: str):
        self.custom_start = value

    @rx.event
    def set_custom_end(self, value: str):
        self.custom_end = value

    @rx.event
    async def apply_custom(self):
        self.preset = CUSTOM
        async for update in self._reload():
            yield update

    @rx.event
    async def set_scope(self, scope: str):
        self.scope, self.account_page = scope, 0
        async for update in self._reload():
            yield update

    @rx.event
    async def show_account(self, account_id: int):
        """Drill down from a row of the per-account table (the service checks the workspace)."""
        if not str(account_id).isdigit():
            return
        self.scope, self.account_page = f"account:{int(account_id)}", 0
        async for update in self._reload():
            yield update

    @rx.event
    async def next_accounts(self):
        if self.account_page + 1 >= self.account_pages:
            return
        self.account_page += 1
        async for update in self._reload():
            yield update

    @rx.event
    async def previous_accounts(self):
        if self.account_page <= 0:
            return
        self.account_page -= 1
        async for update in self._reload():
            yield update

    @rx.event
    async def set_sort(self, sort: str):
        if sort not in SORT_KEYS:
            return
        self.sort = sort
        async for update in self._reload():
            yield update

    @rx.event
    async def export_csv(self):
        """The CSV of the view on screen, in the user's language."""
        session = await self.get_state(SessionState)
        member = await session.member()
        if self._shown is None or member is None or member.workspace_id != self._shown_workspace:
            return rx.toast.error(session.t("workspace.not_found"))
        return rx.download(
            data=analytics_export.export_csv(self._shown, session.lang),
            filename=analytics_export.filename(self._shown),
            mime_type="text/csv",
        )
