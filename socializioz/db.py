"""The one SQLAlchemy engine of a process and the transaction scope services run in."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import Session

from socializioz.settings import get_settings

SQLITE_BUSY_TIMEOUT_MS = 5000


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    """WAL lets readers run beside the writer; busy_timeout makes writers queue instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_engine_for(url: str) -> sa.Engine:
    """An engine for ``url``; SQLite gets its data folder, cross-thread use and pragmas."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"check_same_thread": False})
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


def migrate_to_head(configure_logging: bool = True) -> None:
    """Apply every Alembic migration to the configured database (what ``cli migrate`` runs)."""
    from alembic import command
    from alembic.config import Config

    from socializioz.settings import PROJECT_ROOT

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = configure_logging
    command.upgrade(config, "head")
