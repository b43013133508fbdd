"""Reflex configuration; every value comes from ``socializioz.settings``."""

import os

import reflex as rx
from reflex_base.plugins.sitemap import SitemapPlugin

from socializioz.settings import get_settings

_settings = get_settings()

# Finding 2: Socket.IO accepted 1 MB frames. 64 KB is far above any event the UI sends (the
# largest is a form of capped fields) and is read by every worker when the app is set up.
os.environ.setdefault("REFLEX_SOCKET_MAX_HTTP_BUFFER_SIZE", str(64 * 1024))

config = rx.Config(
    app_name="socializioz",
    db_url=_settings.resolved_database_url,
    redis_url=_settings.redis_url or None,
    telemetry_enabled=False,
    # Finding 3: only the app's own origin may open the websocket or call /auth/* with cookies.
    cors_allowed_origins=_settings.allowed_origins,
    trusted_proxy_hops=_settings.trusted_proxy_hops,
    show_built_with_reflex=False,
    # Indigo keeps white button text above WCAG AA contrast (Radix "blue" 9 does not).
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
    disable_plugins=[SitemapPlugin],
)
