"""The Reflex app: theme, backend routes and lifespan tasks. Pages register themselves on import."""

import reflex as rx
from starlette.applications import Starlette
from starlette.routing import Mount

from socializioz import pages  # noqa: F401  (registers every page)
from socializioz.integrations.sandbox.app import build_sandbox_app
from socializioz.settings import get_settings
from socializioz.state import live
from socializioz.web.auth_routes import auth_routes
from socializioz.web.oauth_routes import oauth_routes

live.register()

app = rx.App(
    theme=None,
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
