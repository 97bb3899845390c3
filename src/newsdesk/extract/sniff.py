"""Whether a fetched page is a web page at all, from what its server says it is and from its
first bytes, before anything is extracted from it: a PDF, an image or an archive (whatever its
Content-Type claims) is refused with an ExtractError instead of becoming an article of garbage.

    check_page(page.content, page.content_type, url=page.final_url)   # raises ExtractError
"""

from __future__ import annotations

import re

from newsdesk.errors import ExtractError

# What servers call a page; "" (no type) is judged by the bytes alone.
PAGE_TYPES = {"", "text/html", "application/xhtml+xml", "text/xml", "application/xml",
              "text/plain"}  # fmt: skip
SNIFF_BYTES = 4096
# Formats by their first bytes (the name is what the error message says).
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"%!PS", "a PostScript document"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"RIFF", "a RIFF file (WebP, WAV or AVI)"),
    (b"OggS", "an Ogg file"),
    (b"ID3", "an MP3 file"),
    (b"fLaC", "a FLAC file"),
    (b"\x1aE\xdf\xa3", "a Matroska or WebM video"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)
UNICODE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")
# C0 control characters no text uses (tab, newlines, form feed and ESC, which ISO-2022 needs,
# are left out)
_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.02


def check_page(content: bytes, content_type: str | None = None, *, url: str | None = None) -> None:
    """Raise ExtractError unless `content` can be a web page: its declared type (the media type
    alone, lower case, as Page.content_type gives it) is a page's or none, and its first bytes
    are text rather than a known binary format or binary noise."""
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared not in PAGE_TYPES:
        raise ExtractError(f"not a web page: the server says it is {declared}", url=url)
    what = binary_kind(content)
    if what is not None:
        raise ExtractError(f"not a web page: its content is {what}", url=url)


def binary_kind(content: bytes) -> str | None:
    """What binary thing `content` starts as (None: it reads as text)."""
    head = content[:SNIFF_BYTES]
    if head.startswith(UNICODE_BOMS):
        return None  # UTF-16 text is full of zero bytes; the decoder judges it
    stripped = head.lstrip()
    for signature, name in SIGNATURES:
        if stripped.startswith(signature):
            return name
    if len(head) >= 8 and head[4:8] == b"ftyp":
        return "an MP4 or QuickTime video"
    if b"\x00" in head:
        return "binary data"
    if head and len(_CONTROLS.findall(head)) > MAX_CONTROL_SHARE * len(head):
        return "binary data"
    return None
