"""The HTTP/1.1 layer against a server that answers byte for byte what each test scripts."""

from __future__ import annotations

import asyncio
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator

import pytest

from newsdesk.config import Settings
from newsdesk.errors import FetchError
from newsdesk.fetch import Fetcher
from tests.fetch.util import LoopbackServer, get, one_line, read_head

Script = Callable[[str], list[bytes]]  # request path -> the pieces of the answer, sent in turn


class _Server(LoopbackServer):
    def __init__(self, script: Script) -> None:
        self.script = script
        self.connections = 0  # TCP connections accepted
        self.requests: list[bytes] = []  # each request's head, as received
        super().__init__(_Handler)


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        self.server.connections += 1
        buffered = b""
        while True:
            read = read_head(self.request, buffered)
            if read is None:
                return
            head, buffered = read
            self.server.requests.append(head)
            path = head.split(b" ")[1].decode()
            for piece in self.server.script(path):
                if piece == b"CLOSE":
                    self.request.close()
                    return
                self.request.sendall(piece)


@pytest.fixture
def serve() -> Iterator[Callable[[Script], _Server]]:
    started: list[_Server] = []

    def start(script: Script) -> _Server:
        server = _Server(script)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fetch_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"respect_robots": False, "read_timeout": 2.0})


def get_all(settings: Settings, urls: list[str], pause: float = 0.0) -> list[bytes]:
    """Each URL's body, in turn through one Fetcher, `pause` seconds apart."""

    async def run() -> list[bytes]:
        bodies = []
        async with Fetcher(settings) as fetcher:
            for url in urls:
                bodies.append((await fetcher.get(url, kind="page")).content)
                await asyncio.sleep(pause)
        return bodies

    return asyncio.run(run())


def ok(body: bytes, *extra: bytes) -> bytes:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n" % len(body)
    return head + b"".join(extra) + b"\r\n" + body


def test_kept_alive_connection_carries_every_request(
    serve: Callable[[Script], _Server], fetch_settings: Settings
) -> None:
    server = serve(lambda path: [ok(path.encode() * 1000)])
    bodies = get_all(fetch_settings, [f"{server.origin}/p{i}" for i in range(4)])
    assert bodies == [f"/p{i}".encode() * 1000 for i in range(4)]
    assert server.connections == 1
    assert server.requests[0].startswith(b"GET /p0 HTTP/1.1\r\n")
    assert b"\r\nHost: 127.0.0.1:" in server.requests[0]


def test_chunked_body_in_small_pieces(
    serve: Callable[[Script], _Server], fetch_settings: Settings
) -> None:
    pieces = [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"]
    pieces += [b"5\r\nHello\r\n", b"1\r\n \r\n", b"6\r\nworld!\r\n", b"0\r\n\r\n"]
    server = serve(lambda path: pieces)
    assert get(fetch_settings, server.origin + "/c", kind="page").content == b"Hello world!"


def test_body_that_runs_until_the_connection_closes(
    serve: Callable[[Script], _Server], fetch_settings: Settings
) -> None:
    answer = [b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", b"first ", b"second", b"CLOSE"]
    server = serve(lambda path: answer)
    assert get_all(fetch_settings, [f"{server.origin}/{i}" for i in "ab"]) == [b"first second"] * 2
    assert server.connections == 2  # a connection that closed is never reused


def test_early_hints_come_before_the_answer(
    serve: Callable[[Script], _Server], fetch_settings: Settings
) -> None:
    hints = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
    server = serve(lambda path: [hints, ok(b"the page")])
    page = get(fetch_settings, server.origin + "/e", kind="page")
    assert (page.status, page.content) == (200, b"the page")


def test_a_kept_alive_connection_the_server_closed_is_replaced(
    serve: Callable[[Script], _Server], fetch_settings: Settings
) -> None:
    # the server answers, then closes the connection without saying so in its headers
    server = serve(lambda path: [ok(b"once"), b"CLOSE"])
    # the close arrives while the connection is idle
    urls = [server.origin + "/1", server.origin + "/2"]
    assert get_all(fetch_settings, urls, pause=0.2) == [b"once", b"once"]
    assert server.connections == 2


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ([b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", b"CLOSE"], "body was complete"),
        ([b"NOT HTTP AT ALL\r\n\r\n"], "malformed HTTP answer"),
        ([b"CLOSE"], "without answering"),
    ],
)
def test_broken_answers_give_one_line(
    serve: Callable[[Script], _Server], fetch_settings: Settings, answer: list[bytes], expected: str
) -> None:
    server = serve(lambda path: answer)
    with pytest.raises(FetchError) as info:
        get(fetch_settings, server.origin + "/b", kind="page")
    message = one_line(info.value)
    assert expected in message and "127.0.0.1" in message


def test_header_values_cannot_smuggle_lines(
    serve: Callable[[Script], _Server], fetch_settings: Settings
) -> None:
    server = serve(lambda path: [ok(b"x")])
    with pytest.raises(FetchError, match="invalid value in header"):
        get(fetch_settings, server.origin + "/h", etag='"a"\r\nX-Injected: 1')
    assert not any(b"X-Injected" in head for head in server.requests)


def test_nothing_listens_here_is_still_a_refused_connection(fetch_settings: Settings) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match="connection refused"):
        get(fetch_settings, f"http://127.0.0.1:{port}/", kind="page")


def test_a_request_the_kept_alive_connection_drops_unanswered_is_sent_again(
    serve: Callable[[Script], _Server], fetch_settings: Settings
) -> None:
    dropped: list[str] = []

    def script(path: str) -> list[bytes]:
        if path == "/2" and not dropped:  # the server closed just as the request went out
            dropped.append(path)
            return [b"CLOSE"]
        return [ok(path.encode())]

    server = serve(script)
    assert get_all(fetch_settings, [server.origin + "/1", server.origin + "/2"]) == [b"/1", b"/2"]
    assert dropped == ["/2"] and server.connections == 2
