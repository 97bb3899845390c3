"""Reading a response body within the size caps, decompressing it ourselves.

Content-Encoding is undone here rather than by httpx so that every stage is bounded: zlib is
asked for at most the bytes still allowed (``max_length``), so a gzip bomb is refused after
inflating at most the cap, never the whole bomb.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterable

from newsdesk.errors import FetchError, TooLargeError

ACCEPT_ENCODING = "gzip, deflate"  # br and zstd are not asked for: only zlib is bounded here
STEP = 64 * 1024  # most bytes inflated per zlib call, whatever the cap


def format_size(size: int) -> str:
    """20971520 -> '20 MB' (binary units, as the cap is written in settings)."""
    mib, kib = 1024 * 1024, 1024
    if size >= mib:
        return f"{size // mib} MB" if size % mib == 0 else f"{size / mib:.1f} MB"
    if size >= kib:
        return f"{size // kib} KB" if size % kib == 0 else f"{size / kib:.1f} KB"
    return f"{size} bytes"


class _Inflater:
    """One zlib stage (gzip, or deflate with or without the zlib wrapper), output capped."""

    def __init__(self, name: str, cap: int) -> None:
        self.name = name
        self.cap = cap
        self.size = 0
        self._pending = b""  # deflate: bytes held until the wrapper can be recognised
        self._done = False  # set at the end of the stream: later bytes are ignored
        self._inflater: zlib._Decompress | None = None
        if name == "gzip":
            self._wbits = 16 + zlib.MAX_WBITS
            self._inflater = zlib.decompressobj(self._wbits)

    def feed(self, data: bytes) -> bytes:
        if self._done:
            return b""
        if self._inflater is None:
            self._pending += data
            if len(self._pending) < 2:
                return b""
            data, self._pending = self._pending, b""
            self._wbits = zlib.MAX_WBITS if _has_zlib_header(data) else -zlib.MAX_WBITS
            self._inflater = zlib.decompressobj(self._wbits)
        return self._inflate(data)

    def finish(self) -> bytes:
        if self._inflater is None and self._pending:  # a one-byte deflate body
            self._wbits = -zlib.MAX_WBITS
            self._inflater = zlib.decompressobj(self._wbits)
            data, self._pending = self._pending, b""
            return self._inflate(data)
        return b""  # a truncated stream keeps what was inflated, as browsers do

    def _inflate(self, data: bytes) -> bytes:
        assert self._inflater is not None
        out: list[bytes] = []
        while True:
            if self._inflater.eof:
                data = self._inflater.unused_data + data
                if not data:
                    break
                if self.name != "gzip" or data[0] != 0x1F:
                    self._done = True  # padding or junk after the end, ignored like browsers do
                    break
                self._inflater = zlib.decompressobj(self._wbits)  # the next gzip member
            limit = min(self.cap - self.size + 1, STEP)
            try:
                piece = self._inflater.decompress(data, limit)
            except zlib.error as exc:
                raise FetchError(f"cannot decompress {self.name} body: {exc}") from None
            self.size += len(piece)
            if self.size > self.cap:
                raise TooLargeError(
                    f"{self.name} body over {format_size(self.cap)} when decompressed"
                )
            out.append(piece)
            data = self._inflater.unconsumed_tail
            if len(piece) < limit and not data and not self._inflater.eof:
                break  # all input used and no output held back
        return b"".join(out)


def _has_zlib_header(data: bytes) -> bool:
    """RFC 1950 wrapper? Servers send 'deflate' both with and without it."""
    return data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


class BodyDecoder:
    """Undoes a Content-Encoding chain; each stage is capped."""

    def __init__(self, content_encoding: str, cap: int) -> None:
        names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
        self._stages: list[_Inflater] = []
        for name in reversed(names):  # the last encoding applied is undone first
            if name in ("identity", ""):
                continue
            if name in ("gzip", "x-gzip"):
                self._stages.append(_Inflater("gzip", cap))
            elif name == "deflate":
                self._stages.append(_Inflater("deflate", cap))
            else:
                raise FetchError(f"unsupported content-encoding {name!r}")

    def feed(self, data: bytes) -> bytes:
        for stage in self._stages:
            data = stage.feed(data)
        return data

    def finish(self) -> bytes:
        data = b""
        for stage in self._stages:
            data = stage.feed(data) + stage.finish()
        return data


async def read_body(
    chunks: AsyncIterable[bytes], *, content_encoding: str, content_length: str | None, cap: int
) -> bytes:
    """The decoded body, or TooLargeError as soon as the raw or decoded size passes cap."""
    if content_length and content_length.strip().isdigit() and int(content_length) > cap:
        raise TooLargeError(
            f"response over {format_size(cap)} cap (Content-Length {int(content_length)})"
        )
    decoder = BodyDecoder(content_encoding, cap)
    received = 0
    parts: list[bytes] = []
    async for chunk in chunks:
        received += len(chunk)
        if received > cap:
            raise TooLargeError(f"response over {format_size(cap)} cap")
        parts.append(decoder.feed(chunk))
    parts.append(decoder.finish())
    return b"".join(parts)
