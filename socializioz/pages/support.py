"""``/support``: the assistant, pre-filled with the platform and error code from the banner."""

from __future__ import annotations

import reflex as rx

from socializioz.components.layout import app_page, page_header
from socializioz.components.text import t
from socializioz.pages import routes
from socializioz.services import support


class SupportState(rx.State):
    platform: str = ""
    code: str = ""
    messages: list[dict[str, str]] = []

    @rx.event
    def load(self):
        query = self.router.url.query_parameters
        self.platform, self.code = query.get("platform", ""), query.get("code", "")
        self.messages = []
        found = support.diagnose(self.code, self.platform) if self.code else None
        if found:
            self.messages = [{"role": "assistant", "title": found.code, "cause": found.cause, "fix": found.what_to_do}]

    @rx.event
    def ask(self, form: dict):
        question = (form.get("question") or "").strip()
        if not question:
            return
        self.messages.append({"role": "user", "title": "", "cause": question, "fix": ""})
        replies = support.answer(question, self.platform)
        if not replies:
            self.messages.append({"role": "assistant", "title": "", "cause": "", "fix": "support.no_match"})
        for reply in replies:
            self.messages.append({"role": "assistant", "title": reply.code, "cause": reply.cause, "fix": reply.what_to_do})


def _message(m: dict) -> rx.Component:
    is_user = m["role"] == "user"
    return rx.card(
        rx.vstack(
            rx.cond(m["title"] != "", rx.code(m["title"])),
            rx.cond(m["cause"] != "", rx.text(m["cause"])),
            rx.cond(m["fix"] == "support.no_match", rx.text(t("support.no_match")),
                    rx.cond(m["fix"] != "", rx.text(rx.text.strong(t("support.fix")), " ", m["fix"]))),
            spacing="2",
            align="start",
        ),
        width="100%",
        background=rx.cond(is_user, rx.color("accent", 3), rx.color("gray", 2)),
        custom_attrs={"data-message": m["role"]},
    )


@app_page(routes.SUPPORT, "Support · Socializioz", on_load=[SupportState.load])
def support_page() -> rx.Component:
    return rx.vstack(
        page_header("support.title", t("support.subtitle")),
        rx.cond(SupportState.code != "", rx.hstack(rx.badge(SupportState.platform), rx.code(SupportState.code, id="support-code"), spacing="2")),
        rx.vstack(rx.foreach(SupportState.messages, _message), width="100%", spacing="2", id="support-thread"),
        rx.form(
            rx.hstack(
                rx.input(name="question", placeholder=t("support.placeholder"), aria_label=t("support.placeholder"), flex="1", size="3", id="support-question"),
                rx.button(t("support.ask"), type="submit", size="3", id="support-ask"),
                width="100%",
            ),
            on_submit=SupportState.ask,
            reset_on_submit=True,
            width="100%",
        ),
        spacing="3",
        width="100%",
    )
