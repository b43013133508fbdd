"""Shared fixtures: every unit/integration test gets its own data folder (so its own SQLite
file and key file) and the engine is rebuilt for it; ``db`` is a session on a fresh schema;
``clock`` freezes time at a known instant. e2e tests keep the app's real settings."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

import socializioz.integrations.sandbox.store  # registers the sandbox's tables on the metadata
import socializioz.models  # noqa: F401  (registers every table on SQLModel.metadata)
from socializioz import db as database
from socializioz.security import passwords
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


# Argon2id at its cheapest for unit/integration tests: production's parameters cost 0.2 s a hash on
# a quiet 2-core box (2 s loaded), and hundreds of fixtures sign users up. It is still a real
# Argon2id hash and check; tests/unit/test_security_passwords.py (marked ``real_password_hashing``)
# checks the production parameters, and the e2e server always runs them.
_FAST_HASHER = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),))


@pytest.fixture(autouse=True)
def fast_password_hashing(request, monkeypatch) -> None:
    if "e2e" in request.node.path.parts or request.node.get_closest_marker("real_password_hashing"):
        return
    monkeypatch.setattr(passwords, "_hasher", lambda: _FAST_HASHER)


@pytest.fixture(scope="session")
def schema_template(tmp_path_factory) -> Path:
    """An empty SQLite database with every table, made once per run (``create_all`` costs ~0.15 s of
    CPU a time, and most unit/integration tests ask for a schema)."""
    path = tmp_path_factory.mktemp("schema-template") / "template.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:  # WAL is kept in the file, as the app's engine leaves it:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")  # processes forked on a copy never race to switch
    SQLModel.metadata.create_all(engine)
    engine.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
def schema(schema_template: Path) -> None:
    """Tables created straight from the models (migrations are checked in test_migrations): a copy
    of the session's template when the test's SQLite file does not exist yet, else ``create_all``."""
    url = make_url(get_settings().resolved_database_url)
    target = Path(url.database or "")
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") and not target.exists():
        database.secure_sqlite_files(target)  # the private folder and a 0600 file, as the app makes them
        shutil.copyfile(schema_template, target)  # into that file: its mode stays
        return
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
