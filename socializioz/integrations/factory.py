"""``get_provider``: the right client for a platform, on the real hosts or on the sandbox.

Clients built with the defaults are shared: one per platform, configuration and event loop, so a
burst of callbacks reuses one connection pool and one TLS context instead of building them per
request. Tests that pass a transport, a clock or their own settings get a private client.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator

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


# event loop -> {(platform, client id, secret, sandbox): (provider settings object, client)}
_SHARED: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[Platform, str, str, bool], tuple[ProviderSettings, Provider]]
] = weakref.WeakKeyDictionary()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def get_provider(
    platform: Platform | str,
    settings: Settings | None = None,
    http_client: httpx.AsyncBaseTransport | None = None,
    clock: Clock | None = None,
    provider_settings: ProviderSettings | None = None,
) -> Provider:
    """A provider client. ``http_client`` is an httpx transport to route calls through
    (``httpx.ASGITransport(sandbox_app)`` in tests); by default the network is used, through a
    client shared by the running event loop (its ``aclose`` is then a no-op)."""
    platform = Platform(platform)
    if platform not in PROVIDERS:
        raise ValueError(f"{platform.value} is not connectable")
    settings = settings or get_settings()
    creds = settings.credentials_for(platform.value)
    sandbox = not creds.configured
    client_id, secret = (
        SANDBOX_CREDENTIALS[platform.value] if sandbox else (creds.client_id, creds.client_secret.get_secret_value())
    )
    private = http_client is not None or clock is not None or provider_settings is not None
    loop = None if private else _running_loop()
    provider_settings = provider_settings or get_provider_settings()
    if loop is None:
        return PROVIDERS[platform](
            client_id=client_id,
            client_secret=secret,
            sandbox=sandbox,
            settings=provider_settings,
            clock=clock,
            transport=http_client,
        )
    cache = _SHARED.setdefault(loop, {})
    key = (platform, client_id, secret, sandbox)
    found = cache.get(key)
    if found is None or found[0] is not provider_settings:  # settings reloaded (tests): a new client
        provider = PROVIDERS[platform](
            client_id=client_id, client_secret=secret, sandbox=sandbox, settings=provider_settings
        )
        provider.shared = True
        cache[key] = found = (provider_settings, provider)
    return found[1]


async def close_shared_providers() -> None:
    """Close the running loop's shared clients (app shutdown)."""
    for _settings, provider in _SHARED.pop(asyncio.get_running_loop(), {}).values():
        await provider.close_shared()


@contextlib.asynccontextmanager
async def shared_providers_lifespan() -> AsyncIterator[None]:
    """A backend worker's lifespan task: its shared clients' connection pools close with it."""
    try:
        yield
    finally:
        await close_shared_providers()
