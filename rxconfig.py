"""Reflex configuration; every value comes from ``socializioz.settings``."""

import reflex as rx
from reflex_base.plugins.sitemap import SitemapPlugin

from socializioz.settings import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="socializioz",
    db_url=_settings.resolved_database_url,
    redis_url=_settings.redis_url or None,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # Indigo keeps white button text above WCAG AA contrast (Radix "blue" 9 does not).
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
    disable_plugins=[SitemapPlugin],
)
