"""The headline as the page shows it: no site name around it, no dateline run into it."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from newsdesk.times import TEXT_DATE, from_text_match

_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|«|/|:)\s+|\s*[|•»]\s*")
# "...invasion fearson December 4, 2021 at 6:53 pm": a dateline glued to the end of the headline
_DATELINE = re.compile(
    r"(?:\s*[-–—|,]\s*|\s*(?:on|am|le|el|il|em|op)\s*|\s+)(" + TEXT_DATE.pattern + r")\s*$",
    re.IGNORECASE,
)


_WORDS = re.compile(r"\w+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


_BLANKS = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def collapse(text: str) -> str:
    """Runs of blanks to one space; an ideographic space (U+3000) is part of a CJK headline."""
    return _BLANKS.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower-case, accents and punctuation away: for comparing names and titles."""
    text = text.casefold()
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_WORDS.findall(text))


def split_dateline(title: str) -> tuple[str, datetime | None]:
    """Cut a trailing dateline off a headline; return the headline and the date it held."""
    m = _DATELINE.search(title)
    if not m or m.start() < 8:
        return title, None
    date = from_text_match(TEXT_DATE.match(m.group(1)))
    if date is None:
        return title, None
    return title[: m.start()].rstrip(" -–—|,:"), date


def _is_site(part: str, sites: list[str], host: str) -> bool:
    folded = fold(part)
    if not folded:
        return True
    squashed = folded.replace(" ", "")
    for site in sites:
        name = fold(site)
        if name and (folded == name or squashed == name.replace(" ", "")
                     or (len(name) > 3 and name in folded and len(folded) < len(name) + 12)):
            return True
    label = host.removeprefix("www.").split(".")[0] if host else ""
    return bool(label) and len(label) > 2 and squashed in (label, host.replace(".", ""))


def strip_site_name(title: str, sites: list[str], host: str) -> str:
    """Remove a site name written before or after the headline."""
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    for _ in range(2):
        if len(parts) > 1 and _is_site(parts[-1], sites, host):
            parts = parts[:-1]
        if len(parts) > 1 and _is_site(parts[0], sites, host):
            parts = parts[1:]
    if len(parts) == len(_SEPARATORS.split(title)):
        return title
    # Rejoin with the original separators: find the kept span in the original string.
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if 0 <= start < end else title


def choose_title(
    candidates: list[str], h1: list[str], doc_title: str | None, sites: list[str], host: str,
    entry_title: str | None = None,
) -> tuple[str | None, datetime | None]:
    """The best headline and any date that was glued to it."""
    pool = [c for c in candidates if c and len(c) < 500]
    if entry_title:
        pool.append(entry_title)
    if doc_title:
        pool.append(doc_title)
    if not pool and h1:
        pool = h1[:1]
    if not pool:
        return None, None
    # A heading with a dateline run into it: the headline part is the heading.
    headings = [split_dateline(h) for h in h1[:3]]
    folded_h1 = {fold(h): (h, d) for h, d in headings}
    best = None
    for raw in pool:
        title = collapse(raw)
        cleaned = strip_site_name(title, sites, host)
        if fold(cleaned) in folded_h1:  # the page shows it as its heading: trust that spelling
            heading, date = folded_h1[fold(cleaned)]
            return (heading, date) if date else split_dateline(heading)
        if best is None:
            best = cleaned
    if not best:
        return None, None
    best, date = split_dateline(best)
    # A heading that is contained in the <title> is the headline without its decorations.
    for heading, _ in headings[:2]:
        fh, fb = fold(heading), fold(best)
        if len(fh) > 10 and fh != fb and fh in fb and len(fh) > 0.5 * len(fb):
            return heading, date
    return best, date
