"""``/support``: the assistant, pre-filled with the platform and error code from the banner."""

from __future__ import annotations

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz import routes
from socializioz.components.layout import app_page, page_header
from socializioz.components.text import t
from socializioz.security.input_limits import MAX_QUESTION
from socializioz.services import support

_MAX_PARAM = 100  # platform and error code from the banner's link


class SupportState(rx.State):
    platform: str = ""
    code: str = ""
    messages: list[dict[str, str]] = []

    @rx.event
    def load(self):
        query = self.router.url.query_parameters
        self.platform, self.code = query.get("platform", "")[:_MAX_PARAM], query.get("code", "")[:_MAX_PARAM]
        self.messages = []
        found = support.diagnose(self.code, self.platform) if self.code else None
        if found:
            self.messages = [{"role": "assistant", "title": found.code, "cause": found.cause, "fix": found.what_to_do}]

    @rx.event
    async def ask(self, form: dict):
        """The matching runs in a worker thread: it scans the whole catalogue per question."""
        question = form.get("question") if isinstance(form, dict) else ""
        if not isinstance(question, str) or not question.strip():
            return
        if len(question) > MAX_QUESTION:
            self.messages.append({"role": "assistant", "title": "", "cause": "", "fix": "support.too_long"})
            return
        question = question.strip()
        self.messages.append({"role": "user", "title": "", "cause": question, "fix": ""})
        replies = await run_in_threadpool(support.answer, question, self.platform)
        if not replies:
            self.messages.append({"role": "assistant", "title": "", "cause": "", "fix": "support.no_match"})
        for reply in replies:
            self.messages.append(
                {"role": "assistant", "title": reply.code, "cause": reply.cause, "fix": reply.what_to_do}
            )


def _message(m: dict) -> rx.Component:
    is_user = m["role"] == "user"
    return rx.card(
        rx.vstack(
            rx.cond(m["title"] != "", rx.code(m["title"])),
            rx.cond(m["cause"] != "", rx.text(m["cause"])),
            rx.match(
                m["fix"],
                ("support.no_match", rx.text(t("support.no_match"))),
                ("support.too_long", rx.text(t("support.too_long"), role="alert")),
                rx.cond(m["fix"] != "", rx.text(rx.text.strong(t("support.fix")), " ", m["fix"])),
            ),
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
        rx.cond(
            SupportState.code != "",
            rx.hstack(rx.badge(SupportState.platform), rx.code(SupportState.code, id="support-code"), spacing="2"),
        ),
        rx.vstack(rx.foreach(SupportState.messages, _message), width="100%", spacing="2", id="support-thread"),
        rx.form(
            rx.hstack(
                rx.input(
                    name="question",
                    max_length=MAX_QUESTION,
                    placeholder=t("support.placeholder"),
                    aria_label=t("support.placeholder"),
                    flex="1",
                    size="3",
                    id="support-question",
                ),
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
