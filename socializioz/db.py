"""The one SQLAlchemy engine of a process and the transaction scope services run in."""

from __future__ import annotations

import asyncio
import functools
import os
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import anyio
import anyio.to_thread
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import Session

from socializioz.settings import get_settings

# Writers queue for SQLite's one write lock; they wait in worker threads (never on the event loop), so
# a burst of callbacks on a loaded machine waits its turn instead of failing with "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 30_000
POOL_SIZE, MAX_OVERFLOW = 5, 10  # at most 15 connections per process
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")
T = TypeVar("T")


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    """WAL lets readers run beside the writer; busy_timeout makes writers queue instead of failing.
    In WAL mode ``synchronous=NORMAL`` syncs at checkpoints instead of at every commit: the database
    cannot be corrupted, and only a power cut (not a crash of the app) can lose the last commits.
    That is SQLite's own advice for WAL, and it keeps each request's write short."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def secure_sqlite_files(database: Path) -> None:
    """Tokens are encrypted, but the file still holds e-mails and hashes: owner-only, like the key
    file. A missing folder is created 0700 and the DB file 0600 (SQLite gives its -wal/-shm files the
    database's mode); an existing DB, its side files and its folder are tightened at startup."""
    folder = database.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
    elif folder.resolve() == get_settings().data_dir.resolve():
        os.chmod(folder, 0o700)
    os.close(os.open(database, os.O_RDWR | os.O_CREAT, 0o600))
    for suffix in SQLITE_SUFFIXES:
        side = database.with_name(database.name + suffix)
        if side.exists():
            os.chmod(side, 0o600)


def create_engine_for(url: str) -> sa.Engine:
    """An engine for ``url``; SQLite gets its private data folder, cross-thread use and pragmas."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW)
    pool = {}
    if parsed.database and parsed.database != ":memory:":
        secure_sqlite_files(Path(parsed.database))
        pool = {"pool_size": POOL_SIZE, "max_overflow": MAX_OVERFLOW}
    engine = sa.create_engine(url, connect_args={"check_same_thread": False}, **pool)
    sa.event.listen(engine, "connect", _on_sqlite_connect)
    return engine


@functools.lru_cache(maxsize=1)
def engine() -> sa.Engine:
    """The process-wide engine for ``settings.resolved_database_url``."""
    return create_engine_for(get_settings().resolved_database_url)


def reset_engine() -> None:
    """Drop the cached engine (tests point settings at a new database between cases)."""
    if engine.cache_info().currsize:
        engine().dispose()
    engine.cache_clear()


@contextmanager
def session_scope() -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error; loaded rows stay readable after."""
    with Session(engine(), expire_on_commit=False) as db:
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise


_limiters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def run_db(fn: Callable[..., T], *args, **kwargs) -> T:
    """Run blocking database work in a worker thread, never on the event loop (docs/architecture.md, "The event loop never blocks").

    At most as many threads as the pool has connections run at once per event loop, so a burst
    queues here, asynchronously, instead of threads waiting out the pool's timeout.
    """
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(POOL_SIZE + MAX_OVERFLOW)
    return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs), limiter=limiter)


def migrate_to_head(configure_logging: bool = True) -> None:
    """Apply every Alembic migration to the configured database (what ``cli migrate`` runs)."""
    from alembic.config import Config

    from alembic import command
    from socializioz.settings import PROJECT_ROOT

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = configure_logging
    command.upgrade(config, "head")
