"""Alembic environment. Runs inside newsdesk (see newsdesk.store.migrate); no alembic.ini needed."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from newsdesk.store.engine import WRITE_OPTION, make_engine
from newsdesk.store.tables import metadata

FTS_PREFIX = "articles_fts"  # the SQLite full-text table and its shadow tables


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    # the full-text tables are created by hand in the migrations, not from the metadata
    return not (type_ == "table" and name is not None and name.startswith(FTS_PREFIX))


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copy
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as conn:
            run(conn.execution_options(**{WRITE_OPTION: True}))
    finally:
        engine.dispose()


def run_offline() -> None:
    """Write the SQL instead of running it (newsdesk.store.migrate.sql_script)."""
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
