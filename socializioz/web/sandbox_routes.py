"""``/sandbox``: the built-in provider sandbox, mounted only while some platform runs on it.

With real credentials for every platform, a branded consent page and a token endpoint on the
app's own origin would only be an attack surface, so nothing is mounted.
"""

from __future__ import annotations

from starlette.routing import Mount

from socializioz.domain.platforms import CONNECTABLE_PLATFORMS
from socializioz.integrations.factory import uses_sandbox
from socializioz.integrations.platform_clock import use_sandbox_clock
from socializioz.integrations.sandbox.app import build_sandbox_app
from socializioz.settings import Settings
from socializioz.web.webhook_routes import PATH as WEBHOOK_PATH


def sandbox_routes(settings: Settings) -> list[Mount]:
    if not any(uses_sandbox(platform, settings) for platform in CONNECTABLE_PLATFORMS):
        return []
    app = build_sandbox_app(
        control_enabled=settings.sandbox_control_enabled,
        public_base_url=settings.public_base_url,
        webhook_subscription=_webhook_subscription(settings),
    )
    use_sandbox_clock(app.state.sandbox.clock)  # platform rules (the messaging window) on its clock
    return [Mount("/sandbox", app=app)]


def _webhook_subscription(settings: Settings) -> tuple[str, str] | None:
    """With a verify token set, the sandbox's Meta apps deliver to our own webhook endpoint (as a
    real app's dashboard subscription would); without one the app polls."""
    token = settings.meta_webhook_verify_token.get_secret_value()
    if not token:
        return None
    return settings.public_base_url.rstrip("/") + WEBHOOK_PATH, token
