"""Every knob of the app, read once from the environment (``SOCIALIZIOZ_*``).

The defaults give the embedded configuration: SQLite in ``data/``, one process, and
the built-in provider sandbox for every platform without configured credentials.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class PlatformCredentials(BaseSettings):
    """A platform's app credentials; an empty client id means "use the sandbox"."""

    client_id: str = ""
    client_secret: SecretStr = SecretStr("")

    @property
    def configured(self) -> bool:
        return bool(self.client_id)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SOCIALIZIOZ_", env_nested_delimiter="__", extra="ignore"
    )

    data_dir: Path = PROJECT_ROOT / "data"
    database_url: str = ""
    redis_url: str = ""
    public_base_url: str = "http://localhost:3000"
    # Comma-separated "keyid:base64key" pairs; the first one encrypts, all decrypt.
    encryption_keys: SecretStr = SecretStr("")
    session_max_age_days: int = 14
    sign_in_attempts_per_15_min: int = 5
    sandbox_control_enabled: bool = False
    demo_password: SecretStr = SecretStr("demo-password-123")
    # Opt-in: refresh X and TikTok through their rotating refresh tokens near expiry (the spec's
    # default is a manual reconnect for every non-Meta platform).
    refresh_rotating_tokens: bool = False

    facebook: PlatformCredentials = Field(default_factory=PlatformCredentials)
    instagram: PlatformCredentials = Field(default_factory=PlatformCredentials)
    tiktok: PlatformCredentials = Field(default_factory=PlatformCredentials)
    x: PlatformCredentials = Field(default_factory=PlatformCredentials)
    linkedin: PlatformCredentials = Field(default_factory=PlatformCredentials)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'socializioz.db'}"

    def credentials_for(self, platform: str) -> PlatformCredentials:
        return getattr(self, platform)


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests call ``get_settings.cache_clear()`` after changing env."""
    return Settings()
