"""Provider layer: one client per platform behind ``Provider``, and the offline sandbox.

Public API: ``get_provider``, ``uses_sandbox``, ``redirect_uri``, ``Provider``, the result
dataclasses in ``models``, ``ProviderSettings``; errors are ``socializioz.domain.errors``.
"""

from .base import Provider
from .classify import Stage
from .clock import Clock, SystemClock
from .config import ProviderSettings, get_provider_settings
from .endpoints import SANDBOX_CREDENTIALS, redirect_uri
from .factory import get_provider, uses_sandbox
from .models import (
    CallbackResult,
    CommentInfo,
    Identity,
    LinkedInstagram,
    PageInfo,
    Permissions,
    PostInfo,
    PublishResult,
    TokenSet,
)

__all__ = [
    "SANDBOX_CREDENTIALS",
    "CallbackResult",
    "Clock",
    "CommentInfo",
    "Identity",
    "LinkedInstagram",
    "PageInfo",
    "Permissions",
    "PostInfo",
    "Provider",
    "ProviderSettings",
    "PublishResult",
    "Stage",
    "SystemClock",
    "TokenSet",
    "get_provider",
    "get_provider_settings",
    "redirect_uri",
    "uses_sandbox",
]
