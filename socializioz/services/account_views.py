"""Reading a workspace's connected accounts as display-ready views (the cards, compose, live pushes)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, or_, select

from socializioz.db import session_scope
from socializioz.domain.account_rules import missing_media_scope
from socializioz.domain.health import NEEDS_RECONNECT_STATUSES, Health, needs_reconnect
from socializioz.models import SocialAccount, User
from socializioz.services.errors import NotFound, ServiceError
from socializioz.services.persisted import saved_id
from socializioz.services.workspaces import role_in


@dataclass(frozen=True)
class AccountView:
    id: int
    platform: str
    name: str
    username: str
    avatar_url: str
    followers: int
    connected_at: str
    needs_reconnect: bool
    publish_capable: bool
    connection_method: str
    refresh_paused: bool = False  # three failed refreshes in a row: nothing automatic until a person acts
    # Text only until a reconnect: the scope posts with images or video need was not granted (X's media.write).
    media_reconnect: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def card(self) -> CardView:
        return CardView(
            self.id,
            self.platform,
            self.name,
            self.username,
            self.avatar_url,
            self.followers,
            self.connected_at,
            self.publish_capable,
            self.media_reconnect,
        )

    @property
    def health(self) -> CardHealth:
        return CardHealth(self.needs_reconnect, self.refresh_paused)


@dataclass(frozen=True)
class CardView:
    """What a card shows that changes only with a (re)connect: the Connections page sends the page's
    list of these again only when one of them changes."""

    id: int
    platform: str
    name: str
    username: str
    avatar_url: str
    followers: int
    connected_at: str
    publish_capable: bool
    media_reconnect: bool = False  # text only until a reconnect grants the media scope (X's media.write)


@dataclass(frozen=True)
class CardHealth:
    """What a card shows that changes on its own (a refresh, an expiry, a platform error): kept
    apart, keyed by account id, so one card's change sends these few bytes, not the whole page."""

    needs_reconnect: bool = False
    refresh_paused: bool = False


def list_accounts(db: Session, user: User, workspace_id: int, now: datetime | None = None) -> list[AccountView]:
    """The workspace's connected accounts, oldest first; only for members of that workspace."""
    if role_in(db, user, workspace_id) is None:
        raise NotFound("workspace.not_found")
    return workspace_accounts(db, workspace_id, now)


def workspace_accounts(db: Session, workspace_id: int, now: datetime | None = None) -> list[AccountView]:
    """Same, for server pushes that already know the audience is the workspace's members."""
    now = now or datetime.now(UTC)
    rows = db.exec(
        select(SocialAccount)
        .where(SocialAccount.workspace_id == workspace_id, col(SocialAccount.disconnected_at).is_(None))
        .order_by(col(SocialAccount.connected_at), col(SocialAccount.id))
    ).all()
    return [account_view(row, now) for row in rows]


def member_account_dicts(user: User, workspace_id: int) -> list[dict[str, Any]]:
    """The accounts a member may pick (compose); none for anyone else."""
    with session_scope() as db:
        try:
            return [v.as_dict() for v in list_accounts(db, user, workspace_id)]
        except ServiceError:
            return []


def account_view(row: SocialAccount, now: datetime | None = None) -> AccountView:
    """One account as the card shows it."""
    return AccountView(
        id=saved_id(row),
        platform=row.platform,
        name=row.name,
        username=row.username,
        avatar_url=row.avatar_url,
        followers=row.followers,
        connected_at=row.connected_at.date().isoformat(),
        needs_reconnect=needs_reconnect(
            status=row.status,
            token_expires_at=row.token_expires_at,
            last_platform_error=row.last_error,
            now=now or datetime.now(UTC),
        ),
        publish_capable=row.publish_capable,
        connection_method=row.connection_method,
        refresh_paused=row.refresh_paused,
        media_reconnect=row.publish_capable
        and bool(missing_media_scope(row.platform, row.connection_method, row.granted_scopes.split())),
    )


# -- the Connections page's window --------------------------------------------------------------

PAGE_SIZE = 24  # cards per page: two columns of twelve on desktop, one column on a phone
HEALTHY, NEEDS_RECONNECT = Health.HEALTHY, Health.NEEDS_RECONNECT
MAX_SEARCH = 100


@dataclass(frozen=True)
class AccountQuery:
    """What a tab asks of the list: a search over name and handle, a platform, a health, a page."""

    search: str = ""
    platform: str = ""
    health: Health | None = None  # None: either
    page: int = 1


@dataclass(frozen=True)
class AccountPage:
    """One page of cards and the counts the page shows, all counted by the database.

    ``total`` is every connected account (the plan usage); ``matching`` those the filters keep;
    ``platform_counts`` and ``reconnect_count`` are over the whole workspace, for the filter chips.
    """

    views: list[AccountView]
    total: int
    matching: int
    page: int
    pages: int
    platform_counts: dict[str, int] = field(default_factory=dict)
    reconnect_count: int = 0


def _needs_reconnect_clause(now: datetime) -> sa.ColumnElement[bool]:
    """The SQL twin of ``domain.health.needs_reconnect`` (the unit test checks they agree)."""
    return or_(
        col(SocialAccount.status).in_(sorted(NEEDS_RECONNECT_STATUSES)),
        sa.and_(col(SocialAccount.token_expires_at).is_not(None), col(SocialAccount.token_expires_at) <= now),
        sa.and_(col(SocialAccount.last_error).is_not(None), col(SocialAccount.last_error) != ""),
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def account_page(db: Session, workspace_id: int, query: AccountQuery, now: datetime | None = None) -> AccountPage:
    """The page of the workspace's connected accounts that ``query`` asks for, oldest first, with
    the counts; four statements however many accounts there are."""
    now = now or datetime.now(UTC)
    connected = sa.and_(col(SocialAccount.workspace_id) == workspace_id, col(SocialAccount.disconnected_at).is_(None))
    needs = _needs_reconnect_clause(now)
    filters: list[sa.ColumnElement[bool]] = [connected]
    search = query.search[:MAX_SEARCH].strip().lower()  # a longer search is cut, not refused
    if search:
        pattern = f"%{_escape_like(search.lstrip('@'))}%"
        filters.append(
            or_(
                func.lower(SocialAccount.name).like(pattern, escape="\\"),
                func.lower(SocialAccount.username).like(pattern, escape="\\"),
            )
        )
    if query.platform:
        filters.append(col(SocialAccount.platform) == query.platform)
    if query.health is Health.NEEDS_RECONNECT:
        filters.append(needs)
    elif query.health is Health.HEALTHY:
        filters.append(sa.not_(needs))
    by_platform = db.exec(
        select(SocialAccount.platform, func.count()).where(connected).group_by(col(SocialAccount.platform))
    ).all()
    platform_counts = {platform: int(count) for platform, count in by_platform}
    reconnect_count = int(db.exec(select(func.count()).select_from(SocialAccount).where(connected, needs)).one())
    matching = int(db.exec(select(func.count()).select_from(SocialAccount).where(*filters)).one())
    pages = max(1, -(-matching // PAGE_SIZE))
    page = min(max(1, query.page), pages)
    rows = db.exec(
        select(SocialAccount)
        .where(*filters)
        .order_by(col(SocialAccount.connected_at), col(SocialAccount.id))
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return AccountPage(
        views=[account_view(row, now) for row in rows],
        total=sum(platform_counts.values()),
        matching=matching,
        page=page,
        pages=pages,
        platform_counts=platform_counts,
        reconnect_count=reconnect_count,
    )


def workspace_account_page(workspace_id: int, query: AccountQuery) -> AccountPage:
    """``account_page`` in its own unit of work (a tab's load, reload and live push)."""
    with session_scope() as db:
        return account_page(db, workspace_id, query)
