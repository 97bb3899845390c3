"""A corpus of articles written out as JSON Lines, CSV or Parquet, one row at a time.

    with CorpusWriter.open("corpus.parquet") as writer:   # the format from the name
        for page in pages:
            writer.write_many(record_of(item) for item in page)

Memory stays flat whatever the corpus' size: JSON Lines and CSV rows go straight to the file,
Parquet rows are gathered into row groups of ROW_GROUP rows and written group by group. Every
format has the same columns (COLUMNS), in the same order; `newsdesk export` and `newsdesk
archive --out` both write through here.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from newsdesk.errors import InputError
from newsdesk.extract import article_to_json
from newsdesk.model import Article, StoredArticle
from newsdesk.store.stories import outlet_of

FORMATS = ("jsonl", "csv", "parquet")
ROW_GROUP = 1000  # Parquet rows per row group: the most held in memory at once

# (name, Arrow type name): the columns of every format, `newsdesk show --json`'s fields first
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "int64"),
    ("feed", "string"),
    ("url", "string"),
    ("canonical_url", "string"),
    ("title", "string"),
    ("authors", "list"),
    ("published", "string"),
    ("updated", "string"),
    ("language", "string"),
    ("site_name", "string"),
    ("image", "string"),
    ("text", "string"),
    ("method", "string"),
    ("feed_id", "int64"),
    ("story_id", "int64"),
    ("duplicate_of", "int64"),
    ("copies", "int64"),
    ("outlet", "string"),
    ("fetched_at", "string"),
    ("warc_record_id", "string"),
)
NAMES = tuple(name for name, _ in COLUMNS)


def article_record(article: Article, **extra: Any) -> dict[str, Any]:
    """The row of an article: its `--json` fields, its outlet, then `extra` (ids, story)."""
    data = dict.fromkeys(NAMES)
    data.update(article_to_json(article))
    del data["input"]
    data["outlet"] = outlet_of(article)
    data.update(extra)
    return data


def stored_record(item: StoredArticle) -> dict[str, Any]:
    """The row of a stored article: every field of `newsdesk show --json`, its outlet, when
    it was fetched (a WARC record's date for an archived page) and its WARC record id."""
    return article_record(
        item.article,
        id=item.id,
        feed=item.feed_title,
        feed_id=item.feed_id,
        story_id=item.story_id,
        duplicate_of=item.duplicate_of,
        copies=item.copies,
        fetched_at=item.fetched_at.isoformat() if item.fetched_at else None,
        warc_record_id=item.warc_record_id,
    )


def format_of(path: str | None, given: str | None) -> str:
    """The format asked for, else the one the file name says; JSON Lines on standard output."""
    if given is not None:
        if given not in FORMATS:
            raise InputError(f"unknown format {given!r}: one of {', '.join(FORMATS)}")
        return given
    if path is None or path == "-":
        return "jsonl"
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if suffix in ("json", "ndjson"):
        return "jsonl"
    raise InputError(f"cannot tell the format of {path}: give --format {'|'.join(FORMATS)}")


class CorpusWriter:
    """Rows out, in one of FORMATS; a context manager that closes the file it opened."""

    def __init__(self, stream: IO[bytes], fmt: str, *, owned: bool) -> None:
        self.format = fmt
        self.rows = 0
        self._stream = stream
        self._owned = owned
        self._pending: list[dict[str, Any]] = []
        self._parquet: Any = None
        self._text: io.TextIOWrapper | None = None
        self._csv: Any = None
        if fmt == "parquet":
            import pyarrow.parquet as pq

            self._parquet = pq.ParquetWriter(stream, arrow_schema(), compression="zstd")
        else:
            self._text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)
            if fmt == "csv":
                self._csv = csv.writer(self._text)
                self._csv.writerow(NAMES)

    @classmethod
    def open(cls, path: str | None, fmt: str | None = None) -> CorpusWriter:
        """A writer to `path` (None or "-": standard output, not for Parquet)."""
        chosen = format_of(path, fmt)
        if path is None or path == "-":
            if chosen == "parquet":
                raise InputError("Parquet is written to a file: give --out PATH")
            return cls(sys.stdout.buffer, chosen, owned=False)
        try:
            stream = open(path, "wb")  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise InputError(f"cannot write {path}: {exc.strerror}") from None
        return cls(stream, chosen, owned=True)

    def write(self, row: dict[str, Any]) -> None:
        self.rows += 1
        if self._parquet is not None:
            self._pending.append(row)
            if len(self._pending) >= ROW_GROUP:
                self._flush_group()
        elif self._csv is not None:
            self._csv.writerow([_cell(row.get(name)) for name in NAMES])
        else:
            assert self._text is not None
            line = {name: row.get(name) for name in NAMES}
            self._text.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")

    def write_many(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.write(row)

    def _flush_group(self) -> None:
        import pyarrow as pa

        if not self._pending:
            return
        columns = {name: [row.get(name) for row in self._pending] for name in NAMES}
        self._parquet.write_table(pa.table(columns, schema=arrow_schema()))
        self._pending = []

    def close(self) -> None:
        if self._parquet is not None:
            self._flush_group()
            self._parquet.close()
        elif self._text is not None:
            self._text.flush()
            self._text.detach()  # the stream is ours to close, or standard output's
        if self._owned:
            self._stream.close()

    def __enter__(self) -> CorpusWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _cell(value: Any) -> Any:
    """A CSV cell: lists as JSON (authors), None as the empty cell."""
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


def arrow_schema() -> Any:
    import pyarrow as pa

    types = {"int64": pa.int64(), "string": pa.string(), "list": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind in COLUMNS])
