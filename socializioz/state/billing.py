"""Plans & billing: the owner changes the active workspace's plan (no payment provider here)."""

from __future__ import annotations

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz.domain.plans import Plan
from socializioz.services import workspaces
from socializioz.services.errors import ServiceError
from socializioz.state.session import SessionState


class BillingState(rx.State):
    subtitle: str = ""
    owner_hint: str = ""

    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        self.subtitle = session.t("billing.subtitle", workspace=session.workspace_name)
        self.owner_hint = session.t("billing.owner_only", workspace=session.workspace_name)

    @rx.event
    async def change_plan(self, plan: str):
        session = await self.get_state(SessionState)
        member = await session.member()
        if member is None:
            return
        assert member.user.id is not None  # a stored user always has its primary key
        try:
            connected = await run_in_threadpool(
                workspaces.change_plan_counting, member.user.id, member.workspace_id, Plan(plan)
            )
        except (ServiceError, ValueError):
            return rx.toast.error(self.owner_hint)
        await session.reload_profile()
        plan_name = session.t(f"plan.{plan}")
        changed = rx.toast.success(session.t("billing.changed", workspace=session.workspace_name, plan=plan_name))
        limit = Plan(plan).account_limit
        if limit is not None and connected > limit:
            # Nothing is disconnected: the accounts stay, and connecting more waits for an upgrade.
            return [
                changed,
                rx.toast.warning(
                    session.t("billing.over_limit", count=connected, limit=limit, plan=plan_name), duration=12_000
                ),
            ]
        return changed
