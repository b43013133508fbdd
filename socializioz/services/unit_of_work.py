"""Services own their unit of work: ``in_transaction(work, ...)`` runs ``work(db, ...)`` in one
database transaction, so a Reflex state calls a service without ever holding a session itself
(docs/architecture.md, "Layers"). Call it from a worker thread (``db.run_db`` or
``run_in_threadpool``), never on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from socializioz.db import session_scope

T = TypeVar("T")


def in_transaction(work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``work(db, *args, **kwargs)`` in one transaction: committed when it returns, rolled back when it raises."""
    with session_scope() as db:
        return work(db, *args, **kwargs)
