"""Bytes -> text for feed documents, whose declared charset is often wrong or missing.

Valid UTF-8 comes before the HTTP charset and the document's declaration: a latin-1 or cp1252
text is almost never valid UTF-8, while UTF-8 mislabelled as latin-1 is common in feeds.
The decoder itself (BOMs, labels, detection) is shared with pages: newsdesk.fetch.charset.
"""

from __future__ import annotations

from newsdesk.fetch.charset import Trust, declared_charset, decode_text

__all__ = ["declared_charset", "decode"]


def decode(content: bytes, charset: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Never raises: undecodable bytes become U+FFFD."""
    return decode_text(content, charset, trust=Trust.UTF8)
