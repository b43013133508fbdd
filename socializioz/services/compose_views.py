"""What the composer page shows, read in one unit of work per call: the accounts it may pick
(with why one cannot be picked), the workspace's time zone and campaigns, uploads as thumbnails,
and a saved draft to edit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from socializioz import routes
from socializioz.db import session_scope
from socializioz.domain.platforms import platform_info
from socializioz.models import MediaAsset, User
from socializioz.services import compose, compose_rules, compose_time, media_store
from socializioz.services.account_views import list_accounts
from socializioz.services.persisted import saved_id


def asset_view(asset: MediaAsset) -> dict[str, Any]:
    """An upload as a thumbnail: the browser loads it from this app's own origin."""
    return {
        "id": saved_id(asset),
        "url": routes.MEDIA_PREFIX + asset.token,
        "kind": asset.kind,
        "mime_type": asset.mime_type,
        "size_bytes": asset.size_bytes,
        "width": asset.width or 0,
        "height": asset.height or 0,
        "duration": asset.duration_seconds or 0.0,
        "name": asset.filename,
    }


def composer_setup(user: User, workspace_id: int, now: datetime | None = None) -> dict[str, Any]:
    """Accounts (each with ``blocked``: a catalogue key, "" when it can be chosen, and its
    platform's display name), the time zone, the campaigns and a first free time slot."""
    with session_scope() as db:
        views = list_accounts(db, user, workspace_id)
        zone = compose.workspace_zone(db, workspace_id)
        day, clock = compose_time.default_slot(now or datetime.now(UTC), zone)
        return {
            "accounts": [
                v.as_dict()
                | {
                    "blocked": compose_rules.account_block(v.platform, v.publish_capable, v.needs_reconnect),
                    "platform_name": platform_info(v.platform).display_name,
                }
                for v in views
            ],
            "zone": compose_time.zone(zone).key,
            "campaigns": compose.list_campaigns(db, user, workspace_id),
            "day": day,
            "clock": clock,
        }


def draft_for_editing(user: User, workspace_id: int, post_id: int) -> dict[str, Any]:
    """A saved draft as the composer's fields, its media as thumbnails and its time in the zone."""
    with session_scope() as db:
        draft = compose.load_draft(db, user, workspace_id, post_id)
        ids = [int(i) for i in draft["media_ids"]]
        draft["media"] = [asset_view(a) for a in media_store.workspace_assets(db, user, workspace_id, ids)]
        zone = compose.workspace_zone(db, workspace_id)
        moment = draft.pop("scheduled_at")
        draft["day"], draft["clock"] = compose_time.utc_to_local(moment, zone) if moment else ("", "")
        return draft
