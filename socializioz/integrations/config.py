"""Provider-layer knobs (``SOCIALIZIOZ_PROVIDERS_*``): hosts, API versions, and the CONFLICT choices.

Kept apart from ``socializioz/settings.py`` so the provider layer owns its own settings. Every
UNVERIFIED or CONFLICT fact of ``reference/platforms.md`` that the *client* depends on is a field
here, never a constant in code.
"""

from __future__ import annotations

import functools
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from socializioz.domain.platforms import FACEBOOK_CONNECT_REQUIRED_SCOPES, INSTAGRAM
from socializioz.settings import get_settings


class ProviderSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOCIALIZIOZ_PROVIDERS_", extra="ignore")

    # Where the built-in sandbox is mounted, as the browser and the server both reach it; empty:
    # the app's own mount, ``<public_base_url>/sandbox`` (read it through ``sandbox_url``).
    sandbox_base_url: str = ""
    # Per real host, an override base URL (e.g. a recording proxy); JSON in the environment.
    host_overrides: dict[str, str] = {}
    # Total time allowed for one provider HTTP call, whatever the transport.
    request_timeout_seconds: float = 15.0

    graph_api_version: str = "v21.0"  # Facebook Graph; platforms.md §1.1: any v\d+.\d+ works
    instagram_api_version: str = "v21.0"  # graph.instagram.com
    linkedin_version: str = "202601"  # LinkedIn-Version header (YYYYMM)
    # X: a confidential client authenticates with HTTP Basic, a public one sends client_id only.
    x_client_type: Literal["confidential", "public"] = "confidential"
    # TikTok web apps need no PKCE (platforms.md §3.1: desktop/mobile only); switchable.
    tiktok_use_pkce: bool = False
    # TikTok pulls videos itself (PULL_FROM_URL) only from URL prefixes verified in its developer
    # portal (publishing.md §3.5); media elsewhere is uploaded in chunks (FILE_UPLOAD).
    tiktok_pull_url_prefixes: tuple[str, ...] = ()
    # Meta scopes whose refusal fails the connection (others are reported, not required).
    facebook_required_scopes: tuple[str, ...] = FACEBOOK_CONNECT_REQUIRED_SCOPES
    # Instagram refreshes only tokens at least this old (the record's refresh facts: 24 h).
    instagram_min_refresh_age_seconds: int = int(INSTAGRAM.refresh.min_token_age.total_seconds())

    @property
    def sandbox_url(self) -> str:
        """The sandbox's base URL without a trailing slash: the override, else the app's own mount."""
        return (self.sandbox_base_url or get_settings().public_base_url.rstrip("/") + "/sandbox").rstrip("/")


@functools.lru_cache(maxsize=1)
def get_provider_settings() -> ProviderSettings:
    return ProviderSettings()
