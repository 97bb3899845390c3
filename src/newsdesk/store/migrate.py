"""Schema migrations with Alembic, run from inside the package (no alembic.ini)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from newsdesk.store.engine import WRITE_OPTION
from newsdesk.store.locks import MIGRATING, lock_transaction

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        # '%' would be read as interpolation by configparser
        url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
        config.set_main_option("sqlalchemy.url", url)
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def sql_script(url: str, revision: str = "head") -> str:
    """The SQL that brings an empty database at `url` (only its dialect matters) to `revision`,
    for review or for running by hand."""
    config = alembic_config()
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.output_buffer = io.StringIO()
    command.upgrade(config, revision, sql=True)
    return config.output_buffer.getvalue()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`. Safe to run from two processes at once: the second
    waits for the first's write lock (SQLite) or advisory lock (PostgreSQL, per schema), then
    finds nothing left to do."""
    config = alembic_config(engine)
    with engine.connect() as conn, _foreign_keys_off(conn):
        lock_transaction(conn, MIGRATING)  # held until the commit below
        config.attributes["connection"] = conn.execution_options(**{WRITE_OPTION: True})
        command.upgrade(config, revision)
        _check_foreign_keys(conn)
        conn.commit()


@contextmanager
def _foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite: foreign keys not enforced while the schema changes, as SQLite's rebuild of a
    table asks (dropping the old copy would otherwise delete every row that refers to it).
    The pragma works only outside a transaction: it is sent to the driver before SQLAlchemy
    begins one, and turned on again however the migration ends."""
    if conn.dialect.name != "sqlite":
        yield
        return
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        if conn.in_transaction():
            conn.rollback()
        driver.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        table, row, parent = broken[0][0], broken[0][1], broken[0][2]
        raise RuntimeError(
            f"migration left {len(broken)} rows pointing nowhere (first: {table} row {row} "
            f"-> {parent}); nothing was changed"
        )
