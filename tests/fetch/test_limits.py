"""Caps on size and time, and what broken connections look like."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import pytest

from newsdesk.config import Settings
from newsdesk.errors import FetchError, TooLargeError
from newsdesk.fetch.decode import BodyDecoder, format_size
from tests.fetch.util import closed_port, get, one_line, tuned
from tests.sites.hostile import HostileServer

MB = 1024 * 1024


def test_endless_body_stops_at_the_cap(settings: Settings, hostile: HostileServer) -> None:
    url = hostile.url("/endless")
    with pytest.raises(TooLargeError) as caught:
        get(tuned(settings, max_response_bytes=MB), url)
    assert one_line(caught.value) == f"response over 1 MB cap ({url})"


def test_gzip_bomb_is_refused_without_inflating_it(
    settings: Settings, hostile: HostileServer
) -> None:
    # 2 MB lets the 1.1 MB of compressed bytes in, so the decompressed size is what trips
    tracemalloc.start()
    try:
        with pytest.raises(TooLargeError) as caught:
            get(tuned(settings, max_response_bytes=2 * MB), hostile.url("/bomb.gz"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert one_line(caught.value).startswith("gzip body over 2 MB when decompressed")
    assert peak < 64 * MB  # the bomb inflates to 1100 MB


def test_content_length_over_the_cap_is_refused_up_front(
    settings: Settings, hostile: HostileServer
) -> None:
    with pytest.raises(TooLargeError) as caught:
        get(settings, hostile.url("/huge-length"))
    assert "over 20 MB cap (Content-Length 1000000000000)" in one_line(caught.value)


def test_slow_headers_time_out(settings: Settings, hostile: HostileServer) -> None:
    url = hostile.url("/slow?delay=10")
    with pytest.raises(FetchError) as caught:
        get(tuned(settings, read_timeout=0.5), url)
    assert one_line(caught.value) == f"timed out after 0.5 s waiting for response ({url})"


def test_total_timeout_bounds_a_dripping_body(settings: Settings, hostile: HostileServer) -> None:
    # each byte comes well within the read timeout; only the total timeout can stop this
    url = hostile.url("/drip?bytes=200&interval=0.05")
    with pytest.raises(FetchError) as caught:
        get(tuned(settings, read_timeout=2.0, total_timeout=1.0), url)
    assert one_line(caught.value) == f"timed out after 1 s reading body ({url})"
    assert hostile.records("/drip")[0].finished is None  # the body was never all sent


def test_reset_connection(settings: Settings, hostile: HostileServer) -> None:
    with pytest.raises(FetchError) as caught:
        get(settings, hostile.url("/reset"))
    assert one_line(caught.value).startswith(f"connection reset by 127.0.0.1:{hostile.port}")


def test_refused_connection(settings: Settings) -> None:
    port = closed_port()
    url = f"http://127.0.0.1:{port}/feed.xml"
    with pytest.raises(FetchError) as caught:
        get(settings, url)
    assert one_line(caught.value) == f"connection refused by 127.0.0.1:{port} ({url})"
    assert caught.value.status is None and not caught.value.permanent


# The decoder on its own: plain bytes in, bytes out.


def _decode(encoding: str, body: bytes, cap: int = MB, step: int = 0) -> bytes:
    decoder = BodyDecoder(encoding, cap)
    pieces = [body[i : i + step] for i in range(0, len(body), step)] if step else [body]
    return b"".join(decoder.feed(piece) for piece in pieces) + decoder.finish()


def test_decoder_reads_byte_by_byte() -> None:
    text = b"newsdesk " * 1000
    for encoding, body in [
        ("gzip", gzip.compress(text)),
        ("deflate", zlib.compress(text)),
        ("deflate", zlib.compress(text)[2:-4]),  # raw deflate, no zlib wrapper
        ("identity", text),
    ]:
        assert _decode(encoding, body, step=1) == text


def test_decoder_joins_gzip_members_and_ignores_padding() -> None:
    body = gzip.compress(b"first ") + gzip.compress(b"second") + b"\0\0\0\0"
    assert _decode("gzip", body) == b"first second"
    assert _decode("gzip", body, step=3) == b"first second"


def test_decoder_undoes_stacked_encodings_in_reverse() -> None:
    body = zlib.compress(gzip.compress(b"twice"))  # gzip applied first, then deflate
    assert _decode("gzip, deflate", body) == b"twice"


def test_decoder_caps_each_stage() -> None:
    with pytest.raises(TooLargeError, match="deflate body over 1 KB when decompressed"):
        _decode("deflate", zlib.compress(bytes(4096)), cap=1024)
    assert _decode("deflate", zlib.compress(bytes(1024)), cap=1024) == bytes(1024)


def test_decoder_rejects_garbage_and_unknown_encodings() -> None:
    with pytest.raises(FetchError, match="cannot decompress gzip body"):
        _decode("gzip", b"this is not gzip at all")
    with pytest.raises(FetchError, match="unsupported content-encoding 'br'"):
        BodyDecoder("br", MB)


def test_sizes_read_as_people_write_them() -> None:
    assert format_size(20 * MB) == "20 MB"
    assert format_size(1536 * 1024) == "1.5 MB"
    assert format_size(512 * 1024) == "512 KB"
    assert format_size(100) == "100 bytes"
