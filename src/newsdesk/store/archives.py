"""How far `newsdesk archive` has read each WARC file: a run that stopped goes on from there."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from newsdesk.store.base import StoreBase
from newsdesk.store.sql import upsert
from newsdesk.store.tables import archive_files
from newsdesk.times import utcnow

_CHANGED = ("size", "records_done", "finished_at", "updated_at")


class ArchivesMixin(StoreBase):
    def archive_progress(self, sizes: Mapping[str, int]) -> dict[str, int | None]:
        """{path: records done} for the files of `sizes` ({path: size}) read before, None for
        those read to their end. A file whose size changed since is not known: it starts over."""
        found: dict[str, int | None] = {}
        paths = list(sizes)
        with self._read() as conn:
            for start in range(0, len(paths), 500):
                chunk = paths[start : start + 500]
                rows = conn.execute(
                    select(archive_files).where(archive_files.c.path.in_(chunk))
                ).mappings()
                for row in rows:
                    if row["size"] == sizes[row["path"]]:
                        done = row["finished_at"] is not None
                        found[row["path"]] = None if done else row["records_done"]
        return found

    def mark_archive_files(self, marks: Mapping[str, tuple[int, int, bool]]) -> None:
        """Record {path: (size, records done, read to its end)}."""
        now = utcnow()
        rows = [
            {
                "path": path,
                "size": size,
                "records_done": done,
                "finished_at": now if finished else None,
                "updated_at": now,
            }
            for path, (size, done, finished) in marks.items()
        ]
        if not rows:
            return
        with self._write() as conn:
            upsert(conn, archive_files, rows, ["path"], {name: name for name in _CHANGED})
