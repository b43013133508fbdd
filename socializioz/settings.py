"""Every knob of the app, read once from the environment (``SOCIALIZIOZ_*``).

The defaults give the embedded configuration: SQLite in ``data/``, one process, and
the built-in provider sandbox for every platform without configured credentials.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlsplit

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
    model_config = SettingsConfigDict(env_prefix="SOCIALIZIOZ_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = PROJECT_ROOT / "data"
    database_url: str = ""
    redis_url: str = ""
    public_base_url: str = "http://localhost:3000"
    # Reverse proxies in front of the app whose X-Forwarded-For we trust (0: use the peer address).
    # Set it behind a proxy, or every client shares the proxy's IP for sign-in throttling.
    trusted_proxy_hops: int = Field(default=0, ge=0)
    # Comma-separated "keyid:base64key" pairs; the first one encrypts, all decrypt.
    encryption_keys: SecretStr = SecretStr("")
    session_max_age_days: int = 14
    sign_in_attempts_per_15_min: int = 5
    sign_ups_per_ip_per_hour: int = 10  # new accounts from one address (behind a proxy: set the hops)
    sandbox_control_enabled: bool = False
    demo_password: SecretStr = SecretStr("demo-password-123")
    # Opt-in: refresh X and TikTok through their rotating refresh tokens near expiry (the spec's
    # default is a manual reconnect for every non-Meta platform).
    refresh_rotating_tokens: bool = False
    # Meta webhooks (/webhooks/meta): the verify token typed into the App Dashboard. Empty: webhooks
    # are not set up and the subscription handshake is refused (the embedded default).
    meta_webhook_verify_token: SecretStr = SecretStr("")
    # "Fix with AI Support" (docs/assistant.md): an OpenAI-compatible chat API, hosted or local.
    # No base URL or no model (the embedded default): the catalogue assistant answers alone.
    assistant_base_url: str = ""
    assistant_model: str = ""
    assistant_api_key: SecretStr = SecretStr("")  # server-side only; never sent to the browser or logged
    assistant_timeout_seconds: float = Field(default=20.0, gt=0, le=120)
    assistant_questions_per_hour: int = Field(default=30, ge=1)  # per user, model or not

    facebook: PlatformCredentials = Field(default_factory=PlatformCredentials)
    instagram: PlatformCredentials = Field(default_factory=PlatformCredentials)
    tiktok: PlatformCredentials = Field(default_factory=PlatformCredentials)
    x: PlatformCredentials = Field(default_factory=PlatformCredentials)
    linkedin: PlatformCredentials = Field(default_factory=PlatformCredentials)

    @property
    def assistant_configured(self) -> bool:
        return bool(self.assistant_base_url.strip() and self.assistant_model.strip())

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'socializioz.db'}"

    @property
    def allowed_origins(self) -> list[str]:
        """The browser origins allowed to talk to the app: the public URL's own origin, plus its
        other loopback spelling (``localhost`` ↔ ``127.0.0.1``) so ``make run`` works either way."""
        parts = urlsplit(self.public_base_url.strip())
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        twins = {"localhost": "127.0.0.1", "127.0.0.1": "localhost"}
        host = (parts.hostname or "").lower()
        if host in twins:
            port = f":{parts.port}" if parts.port else ""
            return [origin, f"{parts.scheme}://{twins[host]}{port}".lower()]
        return [origin]

    def credentials_for(self, platform: str) -> PlatformCredentials:
        return getattr(self, platform)


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests call ``get_settings.cache_clear()`` after changing env."""
    return Settings()
