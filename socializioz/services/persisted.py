"""Primary keys of rows that are in the database.

SQLModel types ``id`` as ``int | None`` because a new row has none until it is flushed; rows read
back from a session, or added and flushed, always have one. ``saved_id`` states that invariant
where an id is passed on, and fails loudly instead of carrying ``None`` into a foreign key.
"""

from __future__ import annotations

from typing import Protocol


class _HasId(Protocol):
    @property
    def id(self) -> int | None: ...


def saved_id(row: _HasId) -> int:
    """``row.id``, which a loaded or flushed row always has."""
    if row.id is None:
        raise RuntimeError(f"{type(row).__name__} has no id yet: it was never flushed")
    return row.id
