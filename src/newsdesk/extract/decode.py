"""Bytes -> text: the declared charset, a byte-order mark, a <meta> charset, then detection."""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
# Labels browsers treat as a wider encoding (WHATWG Encoding Standard).
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
_SNIFF_BYTES = 65536


def _codec(label: str | None) -> str | None:
    """The Python codec for a charset label, or None when the label is unknown or unusable."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except (LookupError, ValueError):
        return None
    if name in ("utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        return None  # a <meta> saying utf-16 in an ASCII-compatible document is a lie
    return _WIDER.get(name, name)


def _try(content: bytes, codec: str) -> str | None:
    try:
        return content.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(content: bytes | str, charset: str | None = None) -> str:
    """Decode an HTML document; never raises. A BOM outranks every label, as in browsers."""
    if isinstance(content, str):
        return content
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(codec, errors="replace")
    declared = _codec(charset)
    if declared:
        text = _try(content, declared)
        if text is not None:
            return text
    match = _META_CHARSET.search(content[:_SNIFF_BYTES])
    meta = _codec(match.group(1).decode("ascii", "ignore")) if match else None
    if meta:
        text = _try(content, meta)
        if text is not None:
            return text
    text = _try(content, "utf-8")
    if text is not None:
        return text
    guess = _detect(content)
    if guess:
        text = _try(content, guess)
        if text is not None:
            return text
    return content.decode(declared or meta or guess or "cp1252", errors="replace")


def _detect(content: bytes) -> str | None:
    from charset_normalizer import from_bytes  # imported late: rarely needed, slow to import

    best = from_bytes(content[:_SNIFF_BYTES]).best()
    return _codec(best.encoding) if best is not None else None
