"""Reading WARC files (plain or gzipped, read with FastWARC): the HTML responses that may be
news articles, in file order, each numbered by its record's place in the file.

    for item in read_warcs(files, choose):   # WarcPage, Skipped or FileDone, in order
        ...

A record is numbered whatever its type, so "records 0..n-1 are done" names the same records in
every run: `newsdesk archive` resumes a file from there. What is left out is said (Skipped, with
the reason), so every record is counted once.
"""

from __future__ import annotations

import glob
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from newsdesk.errors import InputError
from newsdesk.extract.kind import address_kind
from newsdesk.times import to_utc

MAX_PAGE_BYTES = 20 << 20  # a larger response is no article page


@dataclass(frozen=True, slots=True)
class WarcPage:
    """An HTML response to extract: where it is, and what the crawler got."""

    path: str
    index: int  # the record's place in its file, from 0
    record_id: str
    url: str
    date: datetime  # WARC-Date: when it was crawled, UTC
    content: bytes
    charset: str | None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record left out before extraction, and why ("" for records that are no response)."""

    path: str
    index: int
    reason: str
    url: str = ""
    error: bool = False  # a fault of the record (truncated, unreadable), said on its own line


@dataclass(frozen=True, slots=True)
class FileDone:
    """The end of a file: `records` in it."""

    path: str
    records: int
    size: int


@dataclass(slots=True)
class Choice:
    """Which responses go on to extraction: WARC dates in [since, until), these domains (and
    their subdomains; empty: any); `done`: the records of each file an earlier run did."""

    since: datetime | None = None
    until: datetime | None = None
    domains: frozenset[str] = frozenset()
    done: dict[str, int] = field(default_factory=dict)  # path -> records done in an earlier run

    def wants_host(self, url: str) -> bool:
        if not self.domains:
            return True
        host = (url.split("//", 1)[-1].split("/", 1)[0].split("@")[-1].split(":")[0]).lower()
        host = host.removeprefix("www.")
        return any(host == d or host.endswith("." + d) for d in self.domains)


def expand(patterns: Iterable[str]) -> list[str]:
    """The files named by paths and globs, each once, in the order given (a glob's sorted)."""
    found: dict[str, None] = {}
    for pattern in patterns:
        names = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not names:
            raise InputError(f"no file matches {pattern}")
        for name in names:
            path = Path(name)
            try:
                if not path.is_file():
                    raise InputError(f"{name[:200]}: no such file")
                found[str(path.resolve())] = None
            except OSError as exc:  # a name too long for the file system, say
                raise InputError(f"{name[:200]}: {exc.strerror}") from None
    return list(found)


def read_domains(values: Iterable[str]) -> frozenset[str]:
    """--domain values: names, or @FILE with one name a line (# starts a comment)."""
    domains: set[str] = set()
    for value in values:
        if value.startswith("@"):
            try:
                lines = Path(value[1:]).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise InputError(f"cannot read {value[1:]}: {exc.strerror}") from None
        else:
            lines = [value]
        for line in lines:
            name = line.split("#", 1)[0].strip().lower().removeprefix("www.").strip(".")
            if name:
                domains.add(name)
    return frozenset(domains)


def read_warcs(paths: Iterable[str], choice: Choice) -> Iterator[WarcPage | Skipped | FileDone]:
    for path in paths:
        yield from read_warc(path, choice)


def read_warc(path: str, choice: Choice) -> Iterator[WarcPage | Skipped | FileDone]:
    size = os.path.getsize(path)
    first = choice.done.get(path, 0)
    index = -1
    try:
        for index, record in enumerate(ArchiveIterator(path, parse_http=True)):
            if index < first:
                continue
            yield _page_of(path, index, record, choice)
    except Exception as exc:  # a file that cannot be read on: what it held so far stands
        index += 1
        yield Skipped(path, index, f"unreadable from here on: {exc}", error=True)
    yield FileDone(path, index + 1, size)


def _page_of(path: str, index: int, r: WarcRecord, choice: Choice) -> WarcPage | Skipped:
    if r.record_type != WarcRecordType.response:
        return Skipped(path, index, "")
    url = (r.headers.get("WARC-Target-URI") or "").strip("<> ")
    declared = r.headers.get("Content-Length")
    if not r.is_http_parsed or declared is None:
        return Skipped(path, index, "truncated record", url, error=True)
    content = r.reader.read(MAX_PAGE_BYTES + 1)
    if len(content) > MAX_PAGE_BYTES:
        return Skipped(path, index, "too large", url)
    if len(content) < r.content_length:
        return Skipped(path, index, "truncated record", url, error=True)
    status = r.http_headers.status_code
    if status != 200:
        return Skipped(
            path, index, "redirect" if status and 300 <= status < 400 else "not 200", url
        )
    kind = (r.http_content_type or "").lower()
    if kind not in ("text/html", "application/xhtml+xml"):
        return Skipped(path, index, "not HTML", url)
    date = to_utc(r.record_date)
    if (choice.since and date < choice.since) or (choice.until and date >= choice.until):
        return Skipped(path, index, "outside the dates", url)
    if not choice.wants_host(url):
        return Skipped(path, index, "other domain", url)
    shape = address_kind(url)
    if shape is not None:
        return Skipped(path, index, shape, url)
    encoding = (r.http_headers.get("Content-Encoding") or "").lower().strip()
    if encoding and encoding != "identity":
        try:
            content = zlib.decompress(content, 47 if encoding != "deflate" else 15)
        except zlib.error:
            return Skipped(path, index, f"cannot decode {encoding}", url, error=True)
    record_id = r.record_id or f"{Path(path).name}#{index}"
    return WarcPage(path, index, record_id, url, date, content, r.http_charset)
