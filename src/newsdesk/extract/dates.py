"""Date strings as publishers write them -> datetime, keeping the time and the offset."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

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
_EARLIEST = 1990


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
    latest = datetime.now(UTC).year + 1
    return value if _EARLIEST <= value.year <= latest else None


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


def parse_date(text: str | None) -> datetime | None:
    """The first date (and time, and offset) in ``text``, or None. Never raises."""
    if not text:
        return None
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
        try:
            return _plausible(parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError):
            pass
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
