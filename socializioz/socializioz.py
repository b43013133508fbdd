"""The Reflex app: theme, backend routes and lifespan tasks. Pages register themselves on import."""

import reflex as rx
from starlette.applications import Starlette

from socializioz import pages  # noqa: F401  (registers every page)
from socializioz.web.auth_routes import auth_routes

app = rx.App(
    theme=None,
    style={"font_family": "Inter, system-ui, 'Segoe UI', 'Noto Sans Arabic', sans-serif"},
    head_components=[rx.el.meta(name="theme-color", content="#5b5bd6")],
    toaster=rx.toast.provider(position="top-center", rich_colors=True, close_button=True),
    api_transformer=Starlette(routes=auth_routes()),
)
