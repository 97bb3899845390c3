"""Google Reader ids: items (long, short and decimal forms) and streams (states, feeds, labels)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from newsdesk.errors import NotFoundError
from newsdesk.inputs import MAX_ID, parse_id
from newsdesk.model import Feed
from newsdesk.web.errors import api_error
from newsdesk.web.state import get_store

ITEM_PREFIX = "tag:google.com,2005:reader/item/"
HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
STATE = "user/-/state/com.google/"
LABEL = "user/-/label/"
READING_LIST = STATE + "reading-list"
READ = STATE + "read"
STARRED = STATE + "starred"
KEPT_UNREAD = STATE + "kept-unread"
IGNORED_TAGS = {STATE + "broadcast", STATE + "like", STATE + "tracking-kept-unread"}


def long_item_id(article_id: int) -> str:
    return f"{ITEM_PREFIX}{article_id:016x}"


def _decimal(text: str) -> bool:
    return text.isascii() and text.isdigit() and not text.startswith("0")


def parse_item_ids(values: list[str]) -> list[int]:
    """The item ids of one call. Bare ids are read as FreshRSS reads them (digits not starting
    with 0 are decimal, anything else hex), except that a call with any bare id that can only
    be hex has all its bare ids read as hex: NetNewsWire sends a whole batch in unpadded hex,
    where 22 is "16"."""
    bare = [v.strip() for v in values if not v.strip().startswith(ITEM_PREFIX)]
    all_hex = any(not _decimal(text) for text in bare)
    return [parse_item_id(value, hex_only=all_hex) for value in values]


def parse_item_id(value: str, *, hex_only: bool = False) -> int:
    """Long form (padded or not), decimal (Liferea, itemRefs), else bare hex, padded (Reeder,
    NetNewsWire's edit-tag) or not (NetNewsWire's items/contents)."""
    text = value.strip()
    try:
        if text.startswith(ITEM_PREFIX):
            number = int(text[len(ITEM_PREFIX) :], 16)
        elif not hex_only and _decimal(text):
            number = int(text, 10)
        elif 0 < len(text) <= 16 and all(ch in HEX_DIGITS for ch in text):
            number = int(text, 16)
        else:
            raise ValueError(text)
    except ValueError:
        raise api_error(400, f"item id {value[:80]!r} is not a Google Reader item id") from None
    if not 1 <= number <= MAX_ID:
        raise api_error(400, f"item id {value[:80]!r} is out of range")
    return number


def normal_stream(stream_id: str) -> str:
    """user/<digits>/... is the same as user/-/..."""
    if stream_id.startswith("user/"):
        head, _, rest = stream_id[5:].partition("/")
        if head.isdigit() or head == "-":
            return "user/-/" + rest
    return stream_id


@dataclass(slots=True)
class Stream:
    kind: str  # reading-list, starred, read, feed, label
    feed: Feed | None = None
    folder: str | None = None


def parse_stream(request: Request, stream_id: str) -> Stream:
    store = get_store(request)
    sid = normal_stream(stream_id.strip())
    if sid in ("", READING_LIST):
        return Stream("reading-list")
    if sid == STARRED:
        return Stream("starred")
    if sid == READ:
        return Stream("read")
    if sid.startswith("feed/"):
        ref = sid[5:]
        try:
            feed = store.get_feed(parse_id(ref, "feed")) if ref.isdigit() else store.find_feed(ref)
            return Stream("feed", feed=feed)
        except NotFoundError:
            raise api_error(404, f"no subscription {sid!r}") from None
    if sid.startswith(LABEL):
        folder = sid[len(LABEL) :]
        if not folder:
            raise api_error(400, "a label stream needs a name")
        return Stream("label", folder=folder)
    raise api_error(400, f"unknown stream {stream_id[:120]!r}")


def stream_title(stream: Stream) -> str:
    if stream.feed:
        return stream.feed.display_name
    if stream.folder:
        return stream.folder
    return {"starred": "Starred", "read": "Read"}.get(stream.kind, "Reading list")


def stream_id_of(stream: Stream) -> str:
    if stream.feed:
        return f"feed/{stream.feed.id}"
    if stream.folder:
        return LABEL + stream.folder
    return STATE + stream.kind
