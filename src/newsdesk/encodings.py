"""Bytes -> text for pages and feeds; never raises. One decoder, two orders of trust.

    decode_html(page_bytes, charset)   # web pages: str
    decode_feed(feed_bytes, charset)   # feeds: (str, codec used)

Both orders: a byte-order mark outranks every label (as in browsers); UTF-16/32 without one is
recognised by the NUL bytes around the first '<'; detection (charset-normalizer) comes after
every label; cp1252 with replacement characters is the last resort.

- ``Trust.DECLARED`` (web pages, ``decode_html``): the HTTP charset, the document's own
  declaration (<meta> or XML declaration), then UTF-8. Browsers do this, and pages are written
  to look right in them.
- ``Trust.UTF8`` (feeds, ``decode_feed``): UTF-8 first when the bytes are valid UTF-8, then the
  HTTP charset and the declaration. Feeds are read by programs, not checked in a browser, and
  UTF-8 mislabelled as latin-1 is common in them, while latin-1 text is almost never valid UTF-8.
"""

from __future__ import annotations

import codecs
import re
from enum import Enum


class Trust(Enum):
    """Which comes first: the labels the page and the server give, or valid UTF-8."""

    DECLARED = "declared"
    UTF8 = "utf-8"


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NO_BOM = (  # '<' then '?', '!' or a letter
    (re.compile(rb"\x00\x00\x00<\x00\x00\x00[!?A-Za-z]"), "utf-32-be"),
    (re.compile(rb"<\x00\x00\x00[!?A-Za-z]\x00\x00\x00"), "utf-32-le"),
    (re.compile(rb"\x00<\x00[!?A-Za-z]"), "utf-16-be"),
    (re.compile(rb"<\x00[!?A-Za-z]\x00"), "utf-16-le"),
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
SNIFF_BYTES = 65536
# Labels browsers read as a wider encoding (WHATWG Encoding Standard).
_WIDER = {
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "tis-620": "cp874",
    "iso8859-15": "cp1252",
    # Detection confuses Western European text with the Baltic code pages; the web rarely uses them.
    "cp1257": "cp1252",
    "iso8859-4": "cp1252",
    "iso8859-13": "cp1252",
}
_WIDE_UNICODE = {"utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"}
_NEUTRAL = frozenset({"General Punctuation", "Currency Symbols", "Letterlike Symbols"})


def codec_for(label: str | None) -> str | None:
    """The Python codec for a charset label, or None when the label is unknown or unusable."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except (LookupError, ValueError):
        return None
    if name in _WIDE_UNICODE:
        return None  # a label saying utf-16 on bytes without its BOM or NULs is a lie
    return _WIDER.get(name, name)


def declared_charset(content: bytes) -> str | None:
    """The charset the document names for itself (XML declaration or <meta>), if any."""
    head = content[:SNIFF_BYTES]
    match = _XML_DECL.match(head) or _META.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def decode_text(
    content: bytes, charset: str | None = None, *, trust: Trust = Trust.DECLARED
) -> tuple[str, str]:
    """(text, codec used). ``charset`` is the HTTP one; ``trust`` orders it against UTF-8."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(name, errors="replace"), name
    for prefix, name in _NO_BOM:
        if prefix.match(content):
            return content.decode(name, errors="replace"), name
    labels = [codec_for(charset), codec_for(declared_charset(content))]
    order = [*labels, "utf-8"] if trust is Trust.DECLARED else ["utf-8", *labels]
    for name in order:
        text = _try(content, name)
        if text is not None:
            return text, name  # type: ignore[return-value] - _try refuses None
    for name in _detected(content):
        text = _try(content, name)
        if text is not None:
            return text, name
    last = next((name for name in labels if name), "cp1252")
    return content.decode(last, errors="replace"), last


def decode_html(content: bytes | str, charset: str | None = None) -> str:
    """An HTML page as text, as browsers read it: a BOM, the HTTP charset, the page's <meta>,
    UTF-8, then detection. Text passes through unchanged."""
    if isinstance(content, str):
        return content
    return decode_text(bytes(content), charset, trust=Trust.DECLARED)[0]


def decode_feed(content: bytes, charset: str | None = None) -> tuple[str, str]:
    """(text, codec used) for a feed document, whose declared charset is often wrong or missing:
    valid UTF-8 comes before the HTTP charset and the document's declaration."""
    return decode_text(content, charset, trust=Trust.UTF8)


def _detected(content: bytes) -> list[str]:
    """Codecs charset-normalizer suggests, best first."""
    from charset_normalizer import from_bytes  # imported late: rarely needed, slow to import

    best = from_bytes(content[:SNIFF_BYTES]).best()
    name = codec_for(best.encoding) if best is not None else None
    if best is None or name is None:
        return []
    # Among Latin-script code pages a short text cannot tell cp1250 from cp1252; the web's usual
    # one (and what browsers assume for mislabelled pages) is cp1252.
    if all("Latin" in a or a in _NEUTRAL for a in best.alphabets):
        return ["cp1252", name]
    return [name]


def _try(content: bytes, name: str | None) -> str | None:
    if not name:
        return None
    try:
        return content.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None
