"""A stream call's parameters (s, n, r, ot, nt, c, xt, it, duplicates) as one Listing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fastapi import Request
from starlette.datastructures import FormData, QueryParams

from newsdesk.config import Settings
from newsdesk.inputs import parse_int, timestamp_moment
from newsdesk.web.errors import api_error
from newsdesk.web.greader.ids import READING_LIST, Stream, normal_stream, parse_stream

DEFAULT_COUNT = 20
MAX_COUNT = 1000
MAX_IDS = 10000  # ids listed at most for one call, as Miniflux caps them


def int_param(params: QueryParams | FormData, name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    return parse_int(str(raw), f"parameter {name}")


def _seconds(params: QueryParams, name: str) -> int:
    """Whole seconds of a time that may come with a fraction (NetNewsWire sends
    1733616000.123456)."""
    raw = params.get(name) or ""
    whole, dot, fraction = raw.partition(".")
    if dot and fraction.isascii() and fraction.isdigit():
        return int_param(QueryParams({name: whole}), name, 0)
    return int_param(params, name, 0)


def moment_of(seconds: int) -> datetime | None:
    if seconds <= 0:
        return None
    if seconds > 10**14:  # microseconds, as some clients send
        seconds //= 10**6
    return timestamp_moment(seconds)


def exact_moment(stamp: int) -> datetime | None:
    """A time given in seconds, microseconds or nanoseconds (mark-all-as-read's ts), to the
    microsecond: a client sends back an item's timestampUsec to mean "up to this item"."""
    if stamp <= 0:
        return None
    usecs = stamp // 1000 if stamp > 10**17 else stamp if stamp > 10**14 else stamp * 10**6
    return timestamp_moment(usecs // 10**6) + timedelta(microseconds=usecs % 10**6)


@dataclass(slots=True)
class Listing:
    stream: Stream
    count: int
    ascending: bool
    since: datetime | None  # ot and nt: when newsdesk got the item, as crawl time in Google Reader
    until: datetime | None
    continuation: str | None
    exclude: set[str] = field(default_factory=set)
    include: set[str] = field(default_factory=set)
    duplicates: bool | None = None  # list copies of other articles too; None: the default


TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def flag_param(params: QueryParams, name: str) -> bool | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    value = raw.strip().lower()
    if value in TRUE_WORDS or value in FALSE_WORDS:
        return value in TRUE_WORDS
    raise api_error(400, f"parameter {name}: {raw[:40]!r} is not true or false")


def listing_of(request: Request, params: QueryParams, stream_id: str | None) -> Listing:
    sid = stream_id if stream_id is not None else params.get("s", READING_LIST)
    count = int_param(params, "n", DEFAULT_COUNT)
    if count < 1:
        raise api_error(400, "parameter n: must be at least 1")
    return Listing(
        stream=parse_stream(request, sid),
        count=min(count, MAX_IDS),
        ascending=params.get("r") == "o",
        since=moment_of(_seconds(params, "ot")),
        until=moment_of(_seconds(params, "nt")),
        continuation=params.get("c") or None,
        exclude={normal_stream(x) for x in params.getlist("xt")},
        include={normal_stream(x) for x in params.getlist("it")},
        duplicates=flag_param(params, "duplicates"),
    )


def originals_only(settings: Settings, listing: Listing) -> bool:
    """Whether copies of other articles are left out: as the request says (duplicates=true or
    false), else as NEWSDESK_SHOW_DUPLICATES says, in every stream alike, so a feed's unread
    count and its stream add up to the reading list's."""
    if listing.duplicates is not None:
        return not listing.duplicates
    return not settings.show_duplicates


def values(request: Request, form: FormData, name: str) -> list[str]:
    values = [str(v) for v in form.getlist(name)] or list(request.query_params.getlist(name))
    return [v for v in values if v != ""]
