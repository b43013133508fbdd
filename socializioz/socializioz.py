"""The Reflex app: theme, backend routes and lifespan tasks. Pages register themselves on import."""

import reflex as rx
from starlette.applications import Starlette

from socializioz import logredact, pages, scheduler  # noqa: F401  (pages register themselves)
from socializioz.integrations.factory import shared_providers_lifespan
from socializioz.settings import get_settings
from socializioz.state import live
from socializioz.web import socket_guard
from socializioz.web.auth_routes import auth_routes
from socializioz.web.media_routes import media_routes
from socializioz.web.oauth_routes import oauth_routes
from socializioz.web.sandbox_routes import sandbox_routes
from socializioz.web.security_headers import SecurityHeaders
from socializioz.web.upload_limit import UploadLimit
from socializioz.web.webhook_routes import webhook_routes

live.register()
logredact.install()  # callbacks (security): no cookie, password or token in any log line

app = rx.App(
    style={"font_family": "Inter, system-ui, 'Segoe UI', 'Noto Sans Arabic', sans-serif"},
    head_components=[
        rx.el.meta(name="theme-color", content="#5b5bd6"),
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        rx.el.style(
            "html[dir=rtl] .rtl-mirror { transform: scaleX(-1); }"
            # A dialog that is closing (its exit animation still running, or paused while the
            # consent popup has the focus) must not swallow the next click on the page beneath.
            # !important: Radix puts an inline pointer-events: auto on the overlay.
            " .rt-BaseDialogOverlay[data-state=closed], .rt-BaseDialogOverlay[data-state=closed] *,"
            " .rt-BaseDialogContent[data-state=closed] { pointer-events: none !important; }"
        ),
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.link(rel="apple-touch-icon", href="/apple-touch-icon.png"),
        rx.el.meta(name="apple-mobile-web-app-capable", content="yes"),
        rx.el.meta(name="mobile-web-app-capable", content="yes"),
        rx.el.meta(name="apple-mobile-web-app-status-bar-style", content="default"),
        rx.el.meta(name="apple-mobile-web-app-title", content="Socializioz"),
        rx.script(src="/pwa.js"),  # service worker registration and the install offer (assets/pwa.js)
    ],
    toaster=rx.toast.provider(position="top-center", rich_colors=True, close_button=True),
    api_transformer=[
        Starlette(
            routes=[
                *auth_routes(),
                *oauth_routes(),
                *webhook_routes(),
                *media_routes(),
                *sandbox_routes(get_settings()),
            ]
        ),
        # callbacks (security): wraps the routes above and the static frontend mounted inside them
        SecurityHeaders,
        UploadLimit,  # outermost: an oversized upload is refused before Reflex spools it to disk
    ],
)

scheduler.register(app)
app.register_lifespan_task(shared_providers_lifespan)  # pools of the shared provider clients close on shutdown
# Tab tokens must be the frontend's UUIDs; a re-used token is wiped if its session changed.
socket_guard.install(app, live.forget_if_rebound)
