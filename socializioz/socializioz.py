"""The Reflex app: theme, backend routes and lifespan tasks. Pages register themselves on import."""

import os

import reflex as rx
from starlette.applications import Starlette
from starlette.routing import Mount

from socializioz import pages, scheduler  # noqa: F401  (pages register themselves)
from socializioz.integrations.config import get_provider_settings
from socializioz.integrations.sandbox.app import build_sandbox_app
from socializioz.settings import get_settings
from socializioz.state import live
from socializioz.web.auth_routes import auth_routes
from socializioz.web.oauth_routes import oauth_routes
from socializioz.web import socket_guard

# The built-in sandbox is served by this app under /sandbox; provider clients (the connect flow
# and the refresh job alike) reach it there unless it is configured elsewhere.
os.environ.setdefault("SOCIALIZIOZ_PROVIDERS_SANDBOX_BASE_URL", get_settings().public_base_url.rstrip("/") + "/sandbox")
get_provider_settings.cache_clear()
live.register()

app = rx.App(
    style={"font_family": "Inter, system-ui, 'Segoe UI', 'Noto Sans Arabic', sans-serif"},
    head_components=[
        rx.el.meta(name="theme-color", content="#5b5bd6"),
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        rx.el.style("html[dir=rtl] .rtl-mirror { transform: scaleX(-1); }"),
    ],
    toaster=rx.toast.provider(position="top-center", rich_colors=True, close_button=True),
    api_transformer=Starlette(
        routes=[
            *auth_routes(),
            *oauth_routes(),
            Mount("/sandbox", app=build_sandbox_app(control_enabled=get_settings().sandbox_control_enabled)),
        ]
    ),
)

scheduler.register(app)
# Tab tokens must be the frontend's UUIDs; a re-used token is wiped if its session changed.
socket_guard.install(app, live.forget_if_rebound)
