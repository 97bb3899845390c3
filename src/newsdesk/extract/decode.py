"""Bytes -> text for pages: the declared charset first, as browsers read them."""

from __future__ import annotations

from newsdesk.fetch.charset import Trust, decode_text


def decode_html(content: bytes | str, charset: str | None = None) -> str:
    """Decode an HTML document; never raises. A BOM outranks every label, then the HTTP charset,
    the page's <meta>, UTF-8 and detection (see newsdesk.fetch.charset)."""
    if isinstance(content, str):
        return content
    return decode_text(bytes(content), charset, trust=Trust.DECLARED)[0]
