"""Dates and times for every room: the current UTC time, naive datetimes made aware, and the one
reader of date strings, for feeds and for pages.

    parse_date("Sat, 04 Dec 2021 18:53:00 +0000", source="feed")
    parse_date("December 4, 2021 at 6:53 pm", source="page")

The two sources are read by different rules, and each keeps the offset the text wrote:
- ``"feed"``: the text is one machine-written date (ISO 8601, RFC 822, else anything dateutil
  reads). A date with no zone is UTC, as feedparser and the feed specs take it; years 1970-2200.
- ``"page"``: the first date written anywhere in the text, as publishers write them (Unix
  timestamps, numeric dates, datelines in several languages with their time, RFC 822). A date
  with no zone stays naive, since a page's local time is unknown; years 1990 to next year.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Literal, overload

from dateutil import parser as dateutil_parser

DateSource = Literal["feed", "page"]


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


@overload
def as_utc(moment: datetime) -> datetime: ...
@overload
def as_utc(moment: datetime | None) -> datetime | None: ...
def as_utc(moment: datetime | None) -> datetime | None:
    """An aware datetime: a naive one is taken to be UTC; an aware one keeps its offset.
    None stays None."""
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@overload
def to_utc(moment: datetime) -> datetime: ...
@overload
def to_utc(moment: datetime | None) -> datetime | None: ...
def to_utc(moment: datetime | None) -> datetime | None:
    """An aware datetime in UTC; a naive one is taken to be UTC already. None stays None."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_date(text: str | None, *, source: DateSource) -> datetime | None:
    """The date (with its time and offset) in ``text`` read by the rules of ``source``; None when
    there is none. Never raises."""
    if not text:
        return None
    return _feed_date(text.strip()) if source == "feed" else _page_date(text)


# --- feeds ----------------------------------------------------------------------------------

FEED_YEARS = (1970, 2200)


def _feed_date(raw: str) -> datetime | None:
    value: datetime | None = None
    if raw[:1].isdigit():
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            value = None
    if value is None:
        value = _rfc822(raw)
    if value is None:
        try:
            value = dateutil_parser.parse(raw)
        except (ValueError, OverflowError, TypeError):
            return None
    value = as_utc(value)
    return value if FEED_YEARS[0] <= value.year <= FEED_YEARS[1] else None


def _rfc822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


# --- pages ----------------------------------------------------------------------------------

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
    # German, French, Spanish, Italian, Portuguese, Dutch month names seen in datelines
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12, "janvier": 1, "février": 2, "mars": 3, "avril": 4,
    "juin": 6, "juillet": 7, "août": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6,
    "julio": 7, "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12, "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6,
    "luglio": 7, "settembre": 9, "ottobre": 10, "dicembre": 12, "janeiro": 1, "fevereiro": 2,
    "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9, "outubro": 10,
    "novembro": 11, "dezembro": 12, "januari": 1, "februari": 2, "maart": 3, "mei": 5,
    "augustus": 8,
}
_MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
_TIME = (
    r"(?:,?\s*(?:at|um|à|a las|alle|às|-|–|\|)?\s*"
    r"(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*"
    r"(?P<ampm>[ap]\.?m\.?)?(?:\s*(?P<tz>[A-Z]{2,4}|[+-]\d{2}:?\d{2}))?)?"
)
# "December 4, 2021 at 6:53 pm" / "Dec. 4 2021" / "4 December 2021, 18:53" / "4. Dezember 2021"
TEXT_DATE = re.compile(
    r"(?:"
    + _MONTH
    + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    + r"|(?P<day2>\d{1,2})(?:st|nd|rd|th|\.)?\s+(?:de\s+)?(?P<month2>[^\W\d_]{3,10})\.?,?\s+"
    + r"(?:de\s+)?(?P<year2>\d{4})"
    + r")"
    + _TIME,
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"(?P<year>(?:19|20)\d{2})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})"
    r"(?:[T\s]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_DMY = re.compile(r"\b(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>(?:19|20)\d{2})\b")
_ZONES = {"UTC": 0, "GMT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EST": -5, "EDT": -4,
          "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "IST": 5.5,
          "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "MSK": 3}
PAGE_EARLIEST = 1990


def _page_date(text: str) -> datetime | None:
    text = text.strip()[:200]
    if not text:
        return None
    if text.isdigit() and len(text) in (10, 13):  # a Unix timestamp, seconds or milliseconds
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        try:
            return _plausible(datetime.fromtimestamp(seconds, tz=UTC))
        except (OverflowError, OSError, ValueError):
            return None
    m = _NUMERIC.search(text)
    if m:
        return _build(**m.groupdict())
    m = TEXT_DATE.search(text)
    if m:
        return from_text_match(m)
    if re.match(r"^[A-Za-z]{3},\s", text):
        value = _rfc822(text)
        if value is not None:
            return _plausible(value)
    m = _DMY.search(text)
    if m:
        return _build(**m.groupdict())
    return None


def from_text_match(m: re.Match[str]) -> datetime | None:
    """A datetime from a TEXT_DATE match."""
    g = m.groupdict()
    month = MONTHS.get((g["month"] or g["month2"] or "").lower())
    if month is None:
        return None
    return _build(
        g["year"] or g["year2"], month, g["day"] or g["day2"], g["hour"], g["minute"],
        g["second"], g["ampm"], g["tz"],
    )


def _zone(text: str | None) -> timezone | None:
    if not text:
        return None
    text = text.strip()
    if text.upper() in _ZONES:
        return timezone(timedelta(hours=_ZONES[text.upper()]))
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})?", text)
    if not m:
        return None
    delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
    if delta >= timedelta(hours=15):
        return None
    return timezone(-delta if m.group(1) == "-" else delta)


def _plausible(value: datetime) -> datetime | None:
    return value if PAGE_EARLIEST <= value.year <= utcnow().year + 1 else None


def _build(year, month, day, hour=None, minute=None, second=None, ampm=None, tz=None):
    try:
        h = int(hour) if hour is not None else 0
        if ampm:
            pm = ampm.lower().startswith("p")
            if h > 12:
                return None
            h = (h % 12) + (12 if pm else 0)
        value = datetime(
            int(year), int(month), int(day), h, int(minute or 0), int(second or 0),
            tzinfo=_zone(tz),
        )
    except (TypeError, ValueError):
        return None
    return _plausible(value)
