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


def test_the_analytics_flat_migration_fills_its_tables_from_what_is_stored():
    """c7a0000anflat: each post's latest snapshot, each account's span of days and the published
    targets per quarter hour, from the rows an earlier version wrote."""
    from alembic.config import Config

    from alembic import command
    from socializioz.settings import PROJECT_ROOT

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    command.upgrade(config, "c6a0000comments")
    snapshot = {"workspace_id": 1, "account_id": 1, "caption": "c", "permalink": "", "thumbnail_url": ""}
    rows = [
        ("user", {"id": 1, "email": "a@x.test"}),
        ("workspace", {"id": 1, "name": "W", "timezone": "UTC"}),
        ("socialaccount", {"id": 1, "workspace_id": 1, "platform": "x", "external_id": "e1", "name": "X one"}),
        *[("post", {"id": i, "workspace_id": 1, "author_id": 1, "status": "published"}) for i in (1, 2, 3, 4)],
        (
            "posttarget",
            {"id": 1, "post_id": 1, "account_id": 1, "status": "published", "published_at": "2026-03-01 10:07:00"},
        ),
        (
            "posttarget",
            {"id": 2, "post_id": 2, "account_id": 1, "status": "published", "published_at": "2026-03-01 10:14:59"},
        ),
        (
            "posttarget",
            {"id": 3, "post_id": 3, "account_id": 1, "status": "published", "published_at": "2026-03-01 10:15:00"},
        ),
        ("posttarget", {"id": 4, "post_id": 4, "account_id": 1, "status": "failed", "published_at": None}),
        (
            "postmetricsnapshot",
            {**snapshot, "external_id": "p1", "likes": 5, "comments": 1, "synced_at": "2026-03-01 12:00:00"},
        ),
        (
            "postmetricsnapshot",
            {
                **snapshot,
                "external_id": "p1",
                "likes": 9,
                "comments": 2,
                "shares": 1,
                "saves": 1,
                "synced_at": "2026-03-02 12:00:00",
            },
        ),
        ("postmetricsnapshot", {**snapshot, "external_id": "p2", "likes": 3, "synced_at": "2026-03-02 12:00:00"}),
        ("analyticsstate", {"account_id": 1}),
        (
            "accountmetricday",
            {"workspace_id": 1, "account_id": 1, "day": "2026-02-10", "metric": "followers", "value": 5},
        ),
        (
            "accountmetricday",
            {"workspace_id": 1, "account_id": 1, "day": "2026-02-20", "metric": "followers", "value": 6},
        ),
    ]
    with database.engine().begin() as connection:
        for table, row in rows:
            _insert_filled(connection, table, row)
    database.migrate_to_head(configure_logging=False)
    with database.engine().connect() as connection:
        latest = connection.execute(
            sa.text("SELECT external_id, likes, engagement FROM postmetriclatest ORDER BY external_id")
        ).all()
        assert [tuple(r) for r in latest] == [("p1", 9, 13), ("p2", 3, 3)]
        span = connection.execute(sa.text("SELECT data_from, data_until FROM analyticsstate")).one()
        assert [str(d) for d in span] == ["2026-02-10", "2026-02-20"]
        counts = connection.execute(sa.text("SELECT platform, slot, posts FROM publishedcount ORDER BY slot")).all()
        assert [(p, str(s)[:16], n) for p, s, n in counts] == [
            ("x", "2026-03-01 10:00", 2),
            ("x", "2026-03-01 10:15", 1),
        ]


def _insert_filled(connection: sa.Connection, table: str, row: dict[str, object]) -> None:
    """``row``, with a plain value in every other column the schema of that revision requires."""
    filler = {sa.Integer: 0, sa.Boolean: False, sa.Date: "2026-01-01", sa.DateTime: "2026-01-01 00:00:00"}
    values = dict(row)
    for column in sa.inspect(connection).get_columns(table):
        if column["name"] in values or column["nullable"] or column.get("default") is not None:
            continue
        if column.get("autoincrement") is True or column["name"] == "id":
            continue
        kind = next((v for t, v in filler.items() if isinstance(column["type"], t)), "")
        values[column["name"]] = kind
    names = ", ".join(f'"{n}"' for n in values)
    marks = ", ".join(f":{n}" for n in values)
    connection.execute(sa.text(f'INSERT INTO "{table}" ({names}) VALUES ({marks})'), values)
