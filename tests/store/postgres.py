"""A throwaway schema on the local PostgreSQL server (127.0.0.1:5432, trust auth, database
`test`); tests using it are skipped when there is no server or no psycopg."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

PG_SERVER = "postgresql+psycopg://root@127.0.0.1:5432/test"


@contextmanager
def postgres_schema() -> Iterator[str]:
    """The URL of a throwaway schema on the local PostgreSQL server, dropped afterwards."""
    pytest.importorskip("psycopg", reason="the postgres extra (psycopg) is not installed")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError as exc:
        admin.dispose()
        pytest.skip(f"no PostgreSQL server at 127.0.0.1:5432: {str(exc)[:200]}")
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
