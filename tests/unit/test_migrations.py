"""The Alembic migrations build exactly the schema the models describe.

SQLite always; PostgreSQL too when ``SOCIALIZIOZ_TEST_POSTGRES_URL`` points at a server where
the user may create databases (a throwaway database is made and dropped).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import socializioz.integrations.sandbox.store  # noqa: F401  (the sandbox's tables are compared too)
from socializioz import db as database
from socializioz.settings import get_settings

POSTGRES_URL = os.environ.get("SOCIALIZIOZ_TEST_POSTGRES_URL", "")


@pytest.fixture
def postgres(monkeypatch) -> Iterator[None]:
    if not POSTGRES_URL:
        pytest.skip("SOCIALIZIOZ_TEST_POSTGRES_URL not set")
    name = f"sz_test_{secrets.token_hex(4)}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    monkeypatch.setenv("SOCIALIZIOZ_DATABASE_URL", make_url(POSTGRES_URL).set(database=name).render_as_string(False))
    get_settings.cache_clear()
    database.reset_engine()
    yield
    database.reset_engine()
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}"'))
    admin.dispose()


def _assert_schema_matches_models() -> None:
    database.migrate_to_head(configure_logging=False)
    with database.engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
        assert set(SQLModel.metadata.tables) <= set(sa.inspect(connection).get_table_names())


def test_migrations_on_a_fresh_sqlite_file_match_the_models():
    _assert_schema_matches_models()


def test_migrations_on_postgres_match_the_models(postgres):
    _assert_schema_matches_models()


def test_migrating_twice_is_harmless():
    database.migrate_to_head(configure_logging=False)
    database.migrate_to_head(configure_logging=False)
    with database.engine().connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() is not None
