"""The setup sheets' "Account readiness" list (spec: "The sheet explains platform requirements,
checks that your account is ready, and provides direct links to fix any issues").

Before consent, the only thing Socializioz can read is a Facebook connection the workspace already
holds: with its stored user token it asks Graph which Pages that login still manages, the tasks
(Page role) it has on each, and each Page's linked Instagram professional account
(``instagram_business_account``). This module turns those facts into the sheet's items, one per
connected Page; ``services/connect_readiness.py`` gathers the facts. What only the consent itself
can show (the permissions granted, which Pages are picked, whether the Instagram account signing
in is personal) is still checked right after consent, in ``services/connect.py``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .platforms import META_PLATFORM_NAMES

# The sheets that have a readiness check: Meta's two, both read through a stored Facebook login.
READINESS_PLATFORMS = META_PLATFORM_NAMES

# Page tasks that publish (platforms.md §1.5 a, f): Admin ("MANAGE") and Editor ("CREATE_CONTENT").
PUBLISH_TASKS = frozenset({"CREATE_CONTENT", "MANAGE"})

# Meta's own help pages, the "direct links to fix any issues".
INSTAGRAM_LINK_PAGE_HELP = "https://help.instagram.com/570895513091465"  # add or change the Page connected to Instagram
PAGE_ACCESS_HELP = "https://www.facebook.com/help/187316341316631"  # give, edit or remove Facebook Page access


class Mark(enum.StrEnum):
    READY = "ready"
    WARN = "warn"


@dataclass(frozen=True)
class ConnectedPage:
    """A Facebook Page connected in the workspace, as stored."""

    external_id: str
    name: str


@dataclass(frozen=True)
class GrantedPage:
    """A Page as Graph lists it for the stored login now (``/me/accounts``)."""

    external_id: str
    name: str
    tasks: tuple[str, ...] = ()
    instagram_username: str | None = None  # None: no Instagram professional account linked


@dataclass(frozen=True)
class ReadinessItem:
    """One line of the list: ✓ or ⚠, a catalogue message about one Page, and how to fix it."""

    mark: Mark
    message: str  # i18n key; {page} and {instagram} are filled in by the sheet
    page: str
    instagram: str = ""  # the linked account's @handle, without the "@"
    fix_label: str = ""  # i18n key of the fix link, "" when nothing needs fixing
    fix_url: str = ""


def can_publish(tasks: Iterable[str]) -> bool:
    """The login's role on the Page lets it publish (Admin or Editor)."""
    return bool(PUBLISH_TASKS & set(tasks))


def _page_gone(page: ConnectedPage) -> ReadinessItem:
    """The Page is no longer among those the stored login manages."""
    return ReadinessItem(
        Mark.WARN, "connect.ready.page_gone", page.name, fix_label="connect.ready.fix_access", fix_url=PAGE_ACCESS_HELP
    )


def _facebook_item(page: ConnectedPage, granted: GrantedPage | None) -> ReadinessItem:
    if granted is None:
        return _page_gone(page)
    if not can_publish(granted.tasks):
        return ReadinessItem(
            Mark.WARN,
            "connect.ready.fb_role",
            granted.name,
            fix_label="connect.ready.fix_access",
            fix_url=PAGE_ACCESS_HELP,
        )
    return ReadinessItem(Mark.READY, "connect.ready.fb_ready", granted.name)


def _instagram_item(page: ConnectedPage, granted: GrantedPage | None) -> ReadinessItem:
    if granted is None:
        return _page_gone(page)
    if granted.instagram_username is None:
        return ReadinessItem(
            Mark.WARN,
            "connect.ready.ig_missing",
            granted.name,
            fix_label="connect.ready.fix_link",
            fix_url=INSTAGRAM_LINK_PAGE_HELP,
        )
    return ReadinessItem(Mark.READY, "connect.ready.ig_linked", granted.name, instagram=granted.instagram_username)


def readiness_items(
    platform: str, connected: Sequence[ConnectedPage], granted: Mapping[str, GrantedPage]
) -> list[ReadinessItem]:
    """One item per connected Page, problems first (then by name).

    ``granted``: the Pages Graph lists for the stored login, by id. A connected Page missing from
    it is no longer managed by that login (its role was removed, or the Page was unticked in
    Facebook's business integrations). Facebook: the role must publish. Instagram (via a Facebook
    Page): a professional account must be linked to the Page."""
    if platform not in READINESS_PLATFORMS:
        raise ValueError(f"no readiness check for {platform}")
    make = _facebook_item if platform == "facebook" else _instagram_item
    items = [make(page, granted.get(page.external_id)) for page in connected]
    return sorted(items, key=lambda item: (item.mark is Mark.READY, item.page.casefold()))
