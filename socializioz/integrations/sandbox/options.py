"""Emulator knobs: every UNVERIFIED or CONFLICT fact of platforms.md the sandbox has to pick.

Defaults follow the reference's advice; tests flip them to exercise the other variant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass
class SandboxOptions:
    facebook_code_ttl: int = 600  # UNVERIFIED
    facebook_short_token_expires_in: int = 3600  # CONFLICT §1.2 (some report ~60 d)
    facebook_long_token_expires_in: int = 5183944
    instagram_code_ttl: int = 3600
    instagram_short_token_expires_in: int = 3600
    instagram_long_token_expires_in: int = 5183944
    instagram_token_shape: Literal["flat", "wrapped"] = "flat"  # CONFLICT §2.2
    instagram_min_refresh_age: int = 24 * 3600
    tiktok_profile: Literal["current", "legacy"] = "current"  # CONFLICT §3.2
    tiktok_code_ttl: int = 600  # UNVERIFIED
    tiktok_oauth_error_status: int = 400  # UNVERIFIED (400 vs 200)
    x_code_ttl: int = 30
    x_access_expires_in: int = 7200
    x_refresh_ttl: int = 182 * 86400  # UNVERIFIED ("~6 months")
    x_revoke_family_on_replay: bool = True  # UNVERIFIED-official
    x_user_rate_limit: int = 75  # GET /2/users/me per user per 15 min
    linkedin_code_ttl: int = 1800
    linkedin_access_expires_in: int = 5184000
    linkedin_refresh_tokens: bool = False  # partners only
    linkedin_refresh_ttl: int = 365 * 86400
    timeout_fault_seconds: float = 30.0
    # Publishing on Meta (publishing.md §1, §2).
    instagram_image_processing_seconds: float = 0.0  # images are usually FINISHED at once (§2.2)
    instagram_video_processing_seconds: float = 30.0  # UNVERIFIED: how long IN_PROGRESS lasts
    instagram_quota_total: int = 100  # CONFLICT §2.5: 100 (Limitations) vs 50 (reference page)
    instagram_image_max_bytes: int = 8 * 1024 * 1024  # §2.6
    instagram_video_max_bytes: int = 300 * 1024 * 1024  # CONFLICT §2.6: 300 MB vs 1 GB (Postman)
    facebook_photo_max_bytes: int = 10 * 1024 * 1024  # UNVERIFIED §1.7 (4 MB recommended, 10 MB hard?)
    facebook_video_max_bytes: int = 1024 * 1024 * 1024  # UNVERIFIED
    facebook_video_processing_seconds: float = 30.0  # UNVERIFIED
    # Publishing (reference/publishing.md §3-§5): processing times are the sandbox clock's seconds.
    tiktok_audited: bool = True  # False: every post SELF_ONLY, private accounts only (§3.9)
    tiktok_daily_post_cap: int = 15  # per creator, across apps (§3.9, "roughly")
    tiktok_download_seconds: float = 5.0
    tiktok_processing_seconds: float = 10.0
    tiktok_min_video_seconds: float = 3.0  # UNVERIFIED: not in the reference
    x_max_append_bytes: int = 1024 * 1024  # observed: 5 MB segments got 413 (§4.3)
    x_processing_seconds: float = 6.0
    x_tweet_rate_limit: int = 100  # CONFLICT §4.5: 100 vs 200 per 15 min per user
    linkedin_processing_seconds: float = 5.0
    linkedin_duplicate_window: int = 600  # "wait ~10 min before an identical re-post" (§5.8)

    @property
    def tiktok_lifetimes(self) -> tuple[int, int, bool]:
        """(access, refresh, rotate) for the chosen TikTok documentation profile."""
        if self.tiktok_profile == "legacy":
            return 86400, 31536000, False
        return 7200, 15552000, True
