"""The app's provider clients: the sandbox is reached at the app's own public URL."""

from __future__ import annotations

import os

from socializioz.integrations.base import Provider
from socializioz.integrations.config import ProviderSettings, get_provider_settings
from socializioz.integrations.factory import get_provider
from socializioz.settings import get_settings


def app_provider_settings() -> ProviderSettings:
    """The built-in sandbox lives under ``/sandbox`` of this app unless configured elsewhere."""
    configured = get_provider_settings()
    if "SOCIALIZIOZ_PROVIDERS_SANDBOX_BASE_URL" in os.environ:
        return configured
    return configured.model_copy(update={"sandbox_base_url": get_settings().public_base_url.rstrip("/") + "/sandbox"})


def provider_for(platform: str) -> Provider:
    return get_provider(platform, provider_settings=app_provider_settings())
