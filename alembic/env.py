"""Alembic environment for ``alembic`` itself and ``python -m socializioz.cli migrate``.

(``reflex db makemigrations`` configures alembic on its own and does not run this file.)
The database URL comes from Socializioz settings unless the caller passes a connection in
``config.attributes["connection"]``; SQLite gets batch mode so ALTERs work there too.
"""

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

import socializioz.integrations.sandbox.store  # registers the sandbox's tables on the metadata
import socializioz.models  # noqa: F401  (registers every table on SQLModel.metadata)
from socializioz.db import create_engine_for
from socializioz.settings import get_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=get_settings().resolved_database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine_for(get_settings().resolved_database_url)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
