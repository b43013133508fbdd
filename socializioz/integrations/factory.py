"""``get_provider``: the right client for a platform, on the real hosts or on the sandbox."""

from __future__ import annotations

import httpx

from socializioz.domain.platforms import Platform
from socializioz.settings import Settings, get_settings

from .base import Provider
from .clock import Clock
from .config import ProviderSettings, get_provider_settings
from .endpoints import SANDBOX_CREDENTIALS
from .facebook import FacebookProvider
from .instagram import InstagramProvider
from .linkedin import LinkedInProvider
from .tiktok import TikTokProvider
from .x import XProvider

PROVIDERS: dict[Platform, type[Provider]] = {
    Platform.FACEBOOK: FacebookProvider,
    Platform.INSTAGRAM: InstagramProvider,
    Platform.TIKTOK: TikTokProvider,
    Platform.X: XProvider,
    Platform.LINKEDIN: LinkedInProvider,
}


def uses_sandbox(platform: Platform | str, settings: Settings | None = None) -> bool:
    """True when the platform has no configured credentials (the UI says so)."""
    settings = settings or get_settings()
    return not settings.credentials_for(Platform(platform).value).configured


def get_provider(
    platform: Platform | str,
    settings: Settings | None = None,
    http_client: httpx.AsyncBaseTransport | None = None,
    clock: Clock | None = None,
    provider_settings: ProviderSettings | None = None,
) -> Provider:
    """A provider client. ``http_client`` is an httpx transport to route calls through
    (``httpx.ASGITransport(sandbox_app)`` in tests); by default the network is used."""
    platform = Platform(platform)
    if platform not in PROVIDERS:
        raise ValueError(f"{platform.value} is not connectable")
    settings = settings or get_settings()
    creds = settings.credentials_for(platform.value)
    sandbox = not creds.configured
    client_id, secret = (
        SANDBOX_CREDENTIALS[platform.value] if sandbox else (creds.client_id, creds.client_secret.get_secret_value())
    )
    return PROVIDERS[platform](
        client_id=client_id, client_secret=secret, sandbox=sandbox,
        settings=provider_settings or get_provider_settings(), clock=clock, transport=http_client,
    )
