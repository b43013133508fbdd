"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from socializioz import db as database


def test_migrations_on_a_fresh_sqlite_file_match_the_models():
    database.migrate_to_head(configure_logging=False)
    with database.engine().connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), SQLModel.metadata)
        tables = set(inspect(connection).get_table_names())
    assert diffs == []
    assert set(SQLModel.metadata.tables) <= tables


def test_migrating_twice_is_harmless():
    database.migrate_to_head(configure_logging=False)
    database.migrate_to_head(configure_logging=False)
    with database.engine().connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() is not None
