"""The Connections page: the active workspace's accounts and its plan usage."""

from __future__ import annotations

import reflex as rx

from socializioz.db import session_scope
from socializioz.domain.plans import Plan, is_full
from socializioz.services import connections
from socializioz.state.session import SessionState


class ConnectionsState(rx.State):
    accounts: list[dict] = []
    loaded: bool = False
    usage_text: str = ""
    full: bool = False
    subtitle: str = ""

    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        if not session.signed_in:
            return
        with session_scope() as db:
            user = session._current_user(db)
            if user is None:
                return
            views = connections.list_accounts(db, user, session.workspace_id)
        self.subtitle = session.t("connections.subtitle", workspace=session.workspace_name)
        self.accounts = [v.as_dict() for v in views]
        plan = Plan(session.plan)
        plan_name = session.t(f"plan.{plan.value}")
        if plan.account_limit is None:
            self.usage_text = session.t("connections.plan_usage_unlimited", used=len(views), plan=plan_name)
        else:
            self.usage_text = session.t("connections.plan_usage", used=len(views), limit=plan.account_limit, plan=plan_name)
        self.full = is_full(plan, len(views))
        self.loaded = True
