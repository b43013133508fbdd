"""Shared fixtures: every unit/integration test gets its own data folder (so its own SQLite
file and key file) and the engine is rebuilt for it; ``db`` is a session on a fresh schema;
``clock`` freezes time at a known instant. e2e tests keep the app's real settings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from sqlmodel import Session, SQLModel

import socializioz.integrations.sandbox.store  # registers the sandbox's tables on the metadata
import socializioz.models  # noqa: F401  (registers every table on SQLModel.metadata)
from socializioz import db as database
from socializioz.settings import get_settings

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated_settings(request, tmp_path, monkeypatch) -> Iterator[None]:
    if "e2e" in request.node.path.parts:
        yield
        return
    monkeypatch.setenv("SOCIALIZIOZ_DATA_DIR", str(tmp_path / "data"))
    for name in ("SOCIALIZIOZ_DATABASE_URL", "SOCIALIZIOZ_ENCRYPTION_KEYS", "SOCIALIZIOZ_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    database.reset_engine()
    yield
    database.reset_engine()
    get_settings.cache_clear()


@pytest.fixture
def schema() -> None:
    """Tables created straight from the models (migrations are checked in test_migrations)."""
    SQLModel.metadata.create_all(database.engine())


@pytest.fixture
def db(schema) -> Iterator[Session]:
    with database.session_scope() as session:
        yield session


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Frozen at ``START``; move it with ``clock.shift(timedelta(...))``."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller
