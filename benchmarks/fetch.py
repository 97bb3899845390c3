"""Fetch micro-benchmark: CPU per 100 KB page, newsdesk's transports and plain httpx side by side.

A server process on loopback answers every GET with the same page (about 100 KB of HTML,
Content-Length, kept alive). In this process, each client fetches the same pages one after the
other on one kept-alive connection, and the CPU this process spent is divided by the pages:

- newsdesk, fast: the Fetcher on its HTTP/1.1 transport (httptools);
- newsdesk, httpx: the Fetcher on httpx's own transport (httpcore, h11);
- httpx: a plain `httpx.AsyncClient().get(url)`, no caps, no guard, no host limits.

    python benchmarks/fetch.py                 # 2,000 pages per client, best of 5 runs
    python benchmarks/fetch.py --smoke         # 50 pages, one run: seconds, as the suite runs it

The server's CPU is not counted. Ratios are against newsdesk's fast transport.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from multiprocessing import Event, Process
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402
from newsdesk.config import Settings  # noqa: E402
from newsdesk.fetch import Fetcher  # noqa: E402

PAGE_BYTES = 100 * 1024
WARMUP = 20  # pages fetched before the clock starts: connections, caches, imports


def page() -> bytes:
    sentence = b"The council met on Tuesday to discuss the harbour works. "
    paragraph = b"<p>" + sentence * 8 + b"</p>\n"
    body = b"<!doctype html><html><head><title>A story</title></head><body>\n"
    while len(body) < PAGE_BYTES - 20:
        body += paragraph
    return body[: PAGE_BYTES - 15] + b"</body></html>\n"


def answer() -> bytes:
    body = page()
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        b"Content-Length: %d\r\nDate: Mon, 07 Dec 2026 00:00:00 GMT\r\nServer: bench\r\n\r\n"
    ) % len(body)
    return head + body


def serve(ready: Event, port_file: Path) -> None:
    """The page server (its own process): asyncio streams, one answer per request head."""
    response = answer()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                writer.write(response)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port_file.write_text(str(server.sockets[0].getsockname()[1]))
        ready.set()
        await server.serve_forever()

    asyncio.run(main())


Client = Callable[[str, int], Awaitable[float]]


def settings_for(transport: str) -> Settings:
    changes = {
        "allow_private_networks": True,
        "per_host_interval": 0.0,
        "respect_robots": False,
        "http_transport": transport,
    }
    return Settings(**changes)


def newsdesk(transport: str) -> Client:
    async def run(base: str, pages: int) -> float:
        async with Fetcher(settings_for(transport)) as fetcher:
            for n in range(WARMUP):
                await fetcher.get(f"{base}/warm/{n}", kind="other")
            start = time.process_time()
            for n in range(pages):
                fetched = await fetcher.get(f"{base}/p/{n}", kind="other")
                assert len(fetched.content) == PAGE_BYTES
            return time.process_time() - start

    return run


async def plain_httpx(base: str, pages: int) -> float:
    async with httpx.AsyncClient() as client:
        for n in range(WARMUP):
            (await client.get(f"{base}/warm/{n}")).raise_for_status()
        start = time.process_time()
        for n in range(pages):
            response = await client.get(f"{base}/p/{n}")
            assert len(response.content) == PAGE_BYTES
        return time.process_time() - start


def clients() -> dict[str, Client]:
    return {
        "newsdesk, fast": newsdesk("fast"),
        "newsdesk, httpx": newsdesk("httpx"),
        "httpx": plain_httpx,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages per client")
    parser.add_argument("--rounds", type=int, default=5, help="runs per client; the best counts")
    args = harness.parse_args(parser, argv, "--pages 50 --rounds 1")
    with tempfile.TemporaryDirectory() as folder:
        port_file = Path(folder) / "port"
        ready = Event()
        server = Process(target=serve, args=(ready, port_file), daemon=True)
        server.start()
        try:
            if not ready.wait(10):
                raise SystemExit("the page server did not start")
            base = f"http://127.0.0.1:{port_file.read_text()}"
            rows = []
            for name, client in clients().items():
                best = min(asyncio.run(client(base, args.pages)) for _ in range(args.rounds))
                rows.append((name, best * 1000 / args.pages))
        finally:
            server.terminate()
            server.join()
    first = rows[0][1]
    print(f"CPU per {PAGE_BYTES // 1024} KB page, {args.pages} pages, best of {args.rounds} runs\n")
    print("| client | ms CPU per page | vs newsdesk, fast |")
    print("|---|---|---|")
    for name, ms in rows:
        print(f"| {name} | {ms:.3f} | {ms / first:.2f}x |")
    print(f"\nreproduce: {harness.reproduce(__file__, argv)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
