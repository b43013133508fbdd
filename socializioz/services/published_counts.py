"""Posts published through Socializioz, counted per workspace, platform and quarter hour
(``PublishedCount``), so the analytics page's "posts published" figures read a few rows per
period instead of every target of it (benchmarks/analytics/page_build.py).

The publisher counts a target in the transaction that marks it published, and a target is marked
published once (``publish_store.record_published``), so each is counted exactly once. The counts
include every account's targets; the page subtracts those of accounts disconnected since, as it
shows only connected accounts. A quarter hour, not an hour, because some time zones are half or
three quarters of an hour off UTC and every zone's midnight falls on a quarter hour.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from socializioz.domain.publishing import TargetStatus
from socializioz.domain.time_zones import as_utc
from socializioz.models import PostTarget, PublishedCount, SocialAccount

SLOT = timedelta(minutes=15)


def slot_of(moment: datetime) -> datetime:
    """The start of the quarter hour ``moment`` falls in."""
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def _count_statement(dialect: object) -> sa.Executable:
    """INSERT the account's (workspace, platform, slot) with 1, or add 1 to it: one statement."""
    source = sa.select(
        col(SocialAccount.workspace_id),
        col(SocialAccount.platform),
        sa.bindparam("slot", type_=PublishedCount.__table__.c.slot.type),  # type: ignore[attr-defined]
        sa.literal(1),
    ).where(col(SocialAccount.id) == sa.bindparam("account_id"))
    insert = dialect.insert(PublishedCount).from_select(  # type: ignore[attr-defined]
        ["workspace_id", "platform", "slot", "posts"], source
    )
    return insert.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=["workspace_id", "slot", "platform"],
        set_={"posts": PublishedCount.__table__.c.posts + 1},  # type: ignore[attr-defined]
    )


# Built once per dialect: building a statement costs more CPU than running it (publish_dispatch).
_COUNT = {"postgresql": _count_statement(postgresql), "sqlite": _count_statement(sqlite)}


def count_published(db: Session, account_id: int, at: datetime) -> None:
    """One more target of ``account_id`` published at ``at``."""
    statement = _COUNT["postgresql" if db.get_bind().dialect.name == "postgresql" else "sqlite"]
    db.connection().execute(statement, {"account_id": account_id, "slot": slot_of(at)})


def rebuild(db: Session, workspace_id: int) -> None:
    """Recount the workspace from its published targets (bulk imports and the benchmark's data;
    the publisher counts as it goes)."""
    rows = db.connection().execute(
        sa.select(col(SocialAccount.platform), col(PostTarget.published_at))
        .join(SocialAccount, col(SocialAccount.id) == col(PostTarget.account_id))
        .where(
            col(SocialAccount.workspace_id) == workspace_id,
            col(PostTarget.status) == TargetStatus.PUBLISHED.value,
            col(PostTarget.published_at).is_not(None),
        )
    )
    counted: Counter[tuple[str, datetime]] = Counter(
        (str(platform), slot_of(as_utc(published))) for platform, published in rows if published is not None
    )
    db.connection().execute(sa.delete(PublishedCount).where(col(PublishedCount.workspace_id) == workspace_id))
    if counted:
        db.connection().execute(
            sa.insert(PublishedCount),
            [
                {"workspace_id": workspace_id, "platform": platform, "slot": slot, "posts": n}
                for (platform, slot), n in counted.items()
            ],
        )
