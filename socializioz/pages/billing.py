"""Plans & billing: the four plans side by side, stacked on mobile."""

import reflex as rx

from socializioz import routes
from socializioz.components.layout import app_page, page_header
from socializioz.components.text import t
from socializioz.domain.plans import Plan
from socializioz.state.billing import BillingState
from socializioz.state.session import SessionState


def _plan_card(plan: Plan) -> rx.Component:
    is_current = SessionState.plan == plan.value
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(t(f"plan.{plan.value}"), size="5"),
                rx.spacer(),
                rx.cond(is_current, rx.badge(t("billing.current"), color_scheme="green")),
                width="100%",
                align="center",
                wrap="wrap",
                spacing="2",
            ),
            rx.text(t(f"plan.limit.{plan.value}"), weight="medium"),
            rx.text(t(f"plan.platforms.{plan.value}"), size="2", color=rx.color("gray", 11)),
            rx.spacer(),
            rx.cond(
                is_current | ~SessionState.is_owner,
                rx.fragment(),
                rx.button(
                    t("billing.choose").to(str).replace("{plan}", t(f"plan.{plan.value}").to(str)),
                    on_click=BillingState.change_plan(plan.value),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                    width="100%",
                    id=f"choose-plan-{plan.value}",
                ),
            ),
            spacing="2",
            height="100%",
            align="start",
        ),
        border=rx.cond(is_current, f"2px solid {rx.color('accent', 9)}", None),
        custom_attrs={"data-plan": plan.value},
    )


@app_page(routes.BILLING, "Plans & billing · Socializioz", on_load=[BillingState.load])
def billing_page() -> rx.Component:
    return rx.vstack(
        page_header("billing.title", BillingState.subtitle),
        rx.callout(t("billing.no_payment"), icon="info", width="100%"),
        rx.cond(
            ~SessionState.is_owner,
            rx.callout(
                BillingState.owner_hint, icon="lock", color_scheme="gray", width="100%", id="billing-owner-only"
            ),
        ),
        rx.grid(
            *[_plan_card(plan) for plan in Plan],
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="3",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
