"""Bytes -> text for feed documents whose declared charset may be wrong or missing.

Order: a byte-order mark; UTF-16/32 without one (NUL bytes around '<'); UTF-8 when the bytes are
valid UTF-8 (a latin-1 or cp1252 text is almost never valid UTF-8, while UTF-8 mislabelled as
latin-1 is common); the HTTP charset; the XML declaration or HTML meta charset; then detection
(charset-normalizer); cp1252 with replacement characters as the last resort, so decoding
never fails.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NO_BOM = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_NEUTRAL = frozenset({"General Punctuation", "Currency Symbols", "Letterlike Symbols"})
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def declared_charset(content: bytes) -> str | None:
    """The charset the document names for itself (XML declaration or HTML meta), if any."""
    head = content[:2048]
    match = _XML_DECL.match(head) or _META.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def decode(content: bytes, charset: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Never raises: undecodable bytes become U+FFFD."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(name, errors="replace"), name
    for prefix, name in _NO_BOM:
        if content.startswith(prefix):
            return content.decode(name, errors="replace"), name
    candidates = ["utf-8", charset, declared_charset(content)]
    for name in candidates:
        text = _try(content, name)
        if text is not None:
            return text, _normal(name)
    best = from_bytes(content[:65536]).best()
    if best is not None and best.encoding:
        # among Latin-script code pages a short text cannot tell cp1250 from cp1252; the web's
        # usual one (and what browsers assume for mislabelled pages) is cp1252
        latin = all("Latin" in a or a in _NEUTRAL for a in best.alphabets)
        for name in ("cp1252", best.encoding) if latin else (best.encoding,):
            text = _try(content, name)
            if text is not None:
                return text, name
    return content.decode("cp1252", errors="replace"), "cp1252"


def _normal(name: str | None) -> str:
    try:
        return codecs.lookup(name or "utf-8").name
    except LookupError:
        return name or "utf-8"


def _try(content: bytes, name: str | None) -> str | None:
    if not name:
        return None
    # browsers read "latin-1" and "ascii" labels as windows-1252; so do we
    if _normal(name) in ("latin-1", "iso8859-1", "ascii"):
        name = "cp1252"
    try:
        return content.decode(name)
    except (LookupError, UnicodeDecodeError):
        return None
