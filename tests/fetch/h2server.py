"""An HTTP/2-only server on loopback: TLS with a test CA's certificate, ALPN "h2", the h2 library.

Each request is answered with a small feed naming its path; `requests` logs each (path, the
protocol agreed in the TLS handshake).
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator

import pytest
import trustme

FEED = b"<rss version='2.0'><channel><title>Over HTTP/2</title></channel></rss>"


class H2Server:
    def __init__(self, ca: trustme.CA) -> None:
        import h2.config
        import h2.connection

        self._h2 = h2
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert("127.0.0.1").configure_cert(self._context)
        self._context.set_alpn_protocols(["h2"])
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.requests: list[tuple[str, str | None]] = []
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self._listener.getsockname()[1]}"

    def close(self) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        import h2.events
        import h2.exceptions

        config = self._h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        h2conn = self._h2.connection.H2Connection(config=config)
        try:
            with self._context.wrap_socket(conn, server_side=True) as tls:
                protocol = tls.selected_alpn_protocol()
                h2conn.initiate_connection()
                tls.sendall(h2conn.data_to_send())
                while data := tls.recv(65536):
                    for event in h2conn.receive_data(data):
                        if isinstance(event, h2.events.RequestReceived):
                            path = dict(event.headers)[":path"]
                            self.requests.append((path, protocol))
                            body = FEED + f"<!--{path}-->".encode()
                            h2conn.send_headers(
                                event.stream_id,
                                [
                                    (":status", "200"),
                                    ("content-type", "application/rss+xml"),
                                    ("content-length", str(len(body))),
                                ],
                            )
                            h2conn.send_data(event.stream_id, body, end_stream=True)
                    tls.sendall(h2conn.data_to_send())
        except (OSError, ssl.SSLError, h2.exceptions.ProtocolError):
            return  # the client left, or spoke something else than HTTP/2


@pytest.fixture
def h2_site() -> Iterator[tuple[trustme.CA, H2Server]]:
    pytest.importorskip("h2")
    ca = trustme.CA()
    server = H2Server(ca)
    try:
        yield ca, server
    finally:
        server.close()
