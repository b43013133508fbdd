"""Where a platform fetches an uploaded file: the public base URL, the media prefix and the asset's
unguessable token. The composer's previews and the publisher build the same URL from here."""

from __future__ import annotations

from socializioz import routes
from socializioz.settings import get_settings


def media_public_url(token: str) -> str:
    return get_settings().public_base_url.rstrip("/") + routes.MEDIA_PREFIX + token
