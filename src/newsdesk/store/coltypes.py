"""Column types shared by the tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator

from newsdesk.times import to_utc


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as UTC, read back as an aware UTC datetime on every database.

    SQLite keeps datetimes as text without an offset, so the offset is normalised away on the way
    in and put back on the way out; text of one fixed width also sorts in time order.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        utc = to_utc(value)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return to_utc(value)
