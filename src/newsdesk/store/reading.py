"""Each reader's reading settings (newsdesk.model.ReadingSettings): one row per setting a
reader changed, so a setting added later needs no new column and starts at its default.

    store.reading_settings(user_id)                       # ReadingSettings(river_view="stories")
    store.save_reading_settings(user_id, river_view="articles")
"""

from __future__ import annotations

from dataclasses import fields, replace

from sqlalchemy import select

from newsdesk.errors import InputError, NotFoundError
from newsdesk.model import ReadingSettings
from newsdesk.store.base import StoreBase
from newsdesk.store.sql import upsert
from newsdesk.store.tables import user_settings, users

NAMES = frozenset(f.name for f in fields(ReadingSettings))


class ReadingSettingsMixin(StoreBase):
    def reading_settings(self, user_id: int) -> ReadingSettings:
        """The reader's settings; those never changed (or no longer valid) keep their default."""
        query = select(user_settings.c.name, user_settings.c.value).where(
            user_settings.c.user_id == user_id
        )
        with self._read() as conn:
            stored = {name: value for name, value in conn.execute(query) if name in NAMES}
        found = ReadingSettings()
        for name, value in stored.items():
            try:
                found = replace(found, **{name: value})
            except ValueError:
                continue  # a value an older or newer newsdesk wrote: the default instead
        return found

    def save_reading_settings(self, user_id: int, **changes: str) -> ReadingSettings:
        """Change some of the reader's settings (InputError for an unknown name or value)."""
        unknown = set(changes) - NAMES
        if unknown:
            raise InputError(f"no reading setting named {sorted(unknown)[0]!r}")
        try:
            wanted = replace(self.reading_settings(user_id), **changes)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        rows = [
            {"user_id": user_id, "name": name, "value": value} for name, value in changes.items()
        ]
        with self._write() as conn:
            if conn.execute(select(users.c.id).where(users.c.id == user_id)).first() is None:
                raise NotFoundError(f"no user with id {user_id}")
            upsert(conn, user_settings, rows, ["user_id", "name"], {"value": "value"})
        return wanted
