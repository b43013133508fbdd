"""The creators' publish options (TikTok's creator-info query: privacy levels, the longest video,
whether the creator may post now), asked of each chosen account's platform client.

Tokens are read in one short unit of work and the platform is called after it: no database
connection is held across a network call. A platform without options answers ``PublishOptions()``
(the ``Provider`` default); one that fails is reported so the composer can say so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
    """Per platform, the options of its chosen accounts merged (the strictest answer wins), and the
    platforms whose client could not answer."""

    options: dict[str, PublishOptions]
    failed: tuple[str, ...] = ()


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
    per_platform: dict[str, list[PublishOptions]] = {}
    failed: list[str] = []
    for target in await run_db(_targets, user_id, workspace_id, account_ids):
        provider = provider_factory(target.client)
        try:
            per_platform.setdefault(target.platform, []).append(await provider.publish_options(target.ref))
        except ProviderError:
            failed.append(target.platform)
        finally:
            await provider.aclose()
    return OptionsResult({p: merge(found) for p, found in per_platform.items()}, tuple(dict.fromkeys(failed)))


def merge(found: Sequence[PublishOptions]) -> PublishOptions:
    """What every one of several accounts of a platform allows (a choice must suit them all)."""
    if len(found) == 1:
        return found[0]
    levels = [level for level in found[0].privacy_levels if all(level in o.privacy_levels for o in found)]
    maxima = [o.max_video_seconds for o in found if o.max_video_seconds is not None]
    return PublishOptions(
        privacy_levels=tuple(levels),
        comment_disabled=any(o.comment_disabled for o in found),
        duet_disabled=any(o.duet_disabled for o in found),
        stitch_disabled=any(o.stitch_disabled for o in found),
        max_video_seconds=min(maxima) if maxima else None,
        can_post=all(o.can_post for o in found),
    )
