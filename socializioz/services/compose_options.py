"""The creators' publish options (TikTok's creator-info query: privacy levels, the longest video,
whether the creator may post now), asked of each chosen account's platform client.

Tokens are read in one short unit of work and the platform is called after it: no database
connection is held across a network call. A platform without options answers ``PublishOptions()``
(the ``Provider`` default); one that fails is reported so the composer can say so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from socializioz.db import run_db, session_scope
from socializioz.domain.errors import ProviderError
from socializioz.domain.platforms import platform_info
from socializioz.integrations.base import Provider
from socializioz.integrations.factory import get_provider
from socializioz.integrations.models import AccountRef, PublishOptions
from socializioz.models import User
from socializioz.security.credentials import load_tokens
from socializioz.services.account_access import workspace_account
from socializioz.services.persisted import saved_id


@dataclass(frozen=True)
class _Target:
    account_id: int
    platform: str
    client: str
    ref: AccountRef


@dataclass(frozen=True)
class OptionsResult:
    """Per account, the options its platform's client gave; the accounts whose client failed."""

    options: dict[int, PublishOptions]
    failed: tuple[int, ...] = ()


def _targets(user_id: int, workspace_id: int, account_ids: Sequence[int]) -> list[_Target]:
    with session_scope() as db:
        user = db.get(User, user_id)
        found = []
        for account_id in sorted(set(account_ids)):
            account = workspace_account(db, user, workspace_id, account_id)
            tokens = load_tokens(db, saved_id(account)) or {}
            token = tokens.get("page_access_token") or tokens.get("access_token") or ""
            client = platform_info(account.platform).connection(account.connection_method).client
            found.append(
                _Target(account_id, account.platform, client, AccountRef(account.platform, account.external_id, token))
            )
        return found


async def fetch_options(
    user_id: int,
    workspace_id: int,
    account_ids: Sequence[int],
    provider_factory: Callable[[str], Provider] = get_provider,
) -> OptionsResult:
    """Raises ``NotFound`` for an account the caller cannot see."""
    options: dict[int, PublishOptions] = {}
    failed: list[int] = []
    for target in await run_db(_targets, user_id, workspace_id, account_ids):
        provider = provider_factory(target.client)
        try:
            options[target.account_id] = await provider.publish_options(target.ref)
        except ProviderError:
            failed.append(target.account_id)
        finally:
            await provider.aclose()
    return OptionsResult(options, tuple(failed))


def by_platform(platforms: Mapping[int, str], options: Mapping[int, PublishOptions]) -> dict[str, PublishOptions]:
    """The chosen accounts' options merged per platform (``platforms``: account id -> platform)."""
    grouped: dict[str, list[PublishOptions]] = {}
    for account_id, platform in platforms.items():
        if account_id in options:
            grouped.setdefault(platform, []).append(options[account_id])
    return {platform: merge(found) for platform, found in grouped.items()}


def merge(found: Sequence[PublishOptions]) -> PublishOptions:
    """What every one of several accounts of a platform allows (a choice must suit them all)."""
    if len(found) == 1:
        return found[0]
    asked = [o.privacy_levels for o in found if o.privacy_levels]
    levels = [level for level in (asked[0] if asked else ()) if all(level in a for a in asked)]
    maxima = [o.max_video_seconds for o in found if o.max_video_seconds is not None]
    return PublishOptions(
        privacy_levels=tuple(levels),  # TikTok's public and private accounts share two levels
        comment_disabled=any(o.comment_disabled for o in found),
        duet_disabled=any(o.duet_disabled for o in found),
        stitch_disabled=any(o.stitch_disabled for o in found),
        max_video_seconds=min(maxima) if maxima else None,
        can_post=all(o.can_post for o in found),
    )
