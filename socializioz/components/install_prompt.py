"""The "Install Socializioz" prompt: shown only while the browser offers installation, never in
the installed app, and not again once dismissed. The logic lives in ``install_prompt.jsx``; the
browser's offer is caught early by ``assets/pwa.js`` (it can fire before this component mounts).
"""

from __future__ import annotations

import reflex as rx

from socializioz.components.text import t

# Floats above the content: over the bottom navigation on phones, in the corner on desktop.
_PLACEMENT = (
    ".sz-install-prompt{position:fixed;z-index:30;inset-inline:0.75rem;"
    "bottom:calc(4rem + 0.75rem + env(safe-area-inset-bottom));max-width:28rem;margin-inline:auto;"
    "box-shadow:var(--shadow-4);background-color:var(--color-panel-solid);"
    # Opaque, so the page underneath doesn't show through the translucent panel.
    "--color-panel:var(--color-panel-solid);--color-surface:var(--color-panel-solid)}"
    "@media (min-width:62em){.sz-install-prompt{bottom:1.25rem;inset-inline:auto 1.25rem;width:26rem}}"
)


class InstallPrompt(rx.NoSSRComponent):
    library = rx.asset("install_prompt.jsx", shared=True).importable_path
    tag = "InstallPrompt"

    title: rx.Var[str]
    body: rx.Var[str]
    install_label: rx.Var[str]
    dismiss_label: rx.Var[str]


def install_prompt() -> rx.Component:
    return rx.fragment(
        rx.el.style(_PLACEMENT),
        InstallPrompt.create(
            title=t("pwa.install.title"),
            body=t("pwa.install.body"),
            install_label=t("pwa.install.action"),
            dismiss_label=t("pwa.install.dismiss"),
        ),
    )
