"""End-to-end ingest benchmark: feeds in, clean articles stored, against a loopback publisher.

A publisher process serves N feeds of M articles each from several loopback addresses
(127.0.0.2, 127.0.0.3, ...), so per-host limits act as they would on the web. newsdesk then runs
one full ingest (every feed, every article page fetched, extracted and stored) and a second poll
in which every feed answers 304. Side by side, the same feeds are read by feedparser alone (what a
headline-only reader does) so the cost of full text is visible.

    python benchmarks/ingest.py                      # 1,000 feeds, 20,000 articles
    python benchmarks/ingest.py --feeds 100 --per-feed 20

Per-host spacing is set to 0 (the publisher is ours and on loopback); per-host concurrency stays 1.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import resource
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import Process
from pathlib import Path

WORDS = (
    "government minister said council report city market police court health school "
    "river energy price water budget election league season storm transport housing "
    "company workers union plan vote museum festival research hospital airport bridge"
).split()


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def article_html(host: str, feed: int, item: int) -> bytes:
    rng = random.Random(f"{host}-{feed}-{item}")
    title = sentence(rng, 8)[:-1]
    paragraphs = "".join(f"<p>{sentence(rng, 18)} {sentence(rng, 14)}</p>" for _ in range(10))
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(30))
    related = "".join(
        f'<li><a href="/f{feed}/a{(item + i) % 50}.html">{sentence(rng, 7)}</a></li>'
        for i in range(1, 8)
    )
    published = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=item)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Site {host}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published.isoformat()}">
<link rel="canonical" href="http://{host}/f{feed}/a{item}.html"></head>
<body><header><nav><ul>{nav}</ul></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Reporter {item}</p>
<div class="ad">- Advertisement -</div>{paragraphs}
<div class="share">Share on Facebook Share on X Email</div></article>
<aside><h2>More stories</h2><ul>{related}</ul></aside></main>
<footer><p>Copyright Site {host}. All rights reserved.</p></footer></body></html>""".encode()


def feed_xml(host: str, feed: int, per_feed: int) -> bytes:
    items = []
    for item in range(per_feed):
        rng = random.Random(f"{host}-{feed}-{item}")
        title = sentence(rng, 8)[:-1]
        published = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=item)
        items.append(
            f"<item><title>{title}</title><link>http://{host}/f{feed}/a{item}.html</link>"
            f"<guid>http://{host}/f{feed}/a{item}.html</guid>"
            f"<pubDate>{format_datetime(published)}</pubDate>"
            f"<description>{sentence(rng, 18)}</description></item>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {feed} of {host}</title><link>http://{host}/</link>"
        f"{''.join(items)}</channel></rss>"
    ).encode()


def serve(hosts: list[str], port: int, per_feed: int, ready: threading.Event | None) -> None:
    """The publisher: feeds answer 304 to a matching ETag; pages are generated on demand."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            host = f"{self.server.server_address[0]}:{port}"
            path = self.path
            if path == "/robots.txt":
                return self.reply(200, b"User-agent: *\nAllow: /\n", "text/plain")
            if path.endswith("/feed.xml"):
                feed = int(path.split("/")[1][1:])
                body = feed_xml(host, feed, per_feed)
                etag = '"' + hashlib.md5(body).hexdigest() + '"'
                if self.headers.get("If-None-Match") == etag:
                    return self.reply(304, b"", None, etag)
                return self.reply(200, body, "application/rss+xml", etag)
            if path.endswith(".html"):
                feed = int(path.split("/")[1][1:])
                item = int(path.split("/")[2][1:-5])
                return self.reply(200, article_html(host, feed, item), "text/html; charset=utf-8")
            return self.reply(404, b"not found", "text/plain")

        def reply(self, status: int, body: bytes, ctype: str | None, etag: str | None = None):
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client closing a kept-alive connection is no news

    servers = []
    for host in hosts:
        server = Server((host, port), Handler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    if ready:
        ready.set()
    threading.Event().wait()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.2", 0))
        return sock.getsockname()[1]


@dataclass
class Usage:
    wall: float
    cpu_self: float
    cpu_children: float
    peak_mb: float


def usage_since(start_wall: float, start: tuple[float, float]) -> Usage:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Usage(
        wall=time.perf_counter() - start_wall,
        cpu_self=me.ru_utime + me.ru_stime - start[0],
        cpu_children=kids.ru_utime + kids.ru_stime - start[1],
        peak_mb=max(me.ru_maxrss, kids.ru_maxrss) / 1024,
    )


def cpu_now() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def feedparser_baseline(urls: list[str]) -> float:
    """Seconds for feedparser to fetch and parse every feed (headlines only, no pages)."""
    import feedparser
    import httpx

    async def main() -> None:
        async with httpx.AsyncClient() as client:
            semaphore = asyncio.Semaphore(8)

            async def one(url: str) -> None:
                async with semaphore:
                    response = await client.get(url)
                feedparser.parse(response.content)

            await asyncio.gather(*(one(url) for url in urls))

    start = time.perf_counter()
    asyncio.run(main())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--per-feed", type=int, default=20)
    parser.add_argument("--hosts", type=int, default=20, help="loopback addresses to spread over")
    parser.add_argument("--workers", type=int, default=-1, help="extraction processes (-1: cores)")
    args = parser.parse_args()

    hosts = [f"127.0.0.{i + 2}" for i in range(args.hosts)]
    port = free_port()
    publisher = Process(target=serve, args=(hosts, port, args.per_feed, None), daemon=True)
    publisher.start()
    time.sleep(1.0)
    urls = [f"http://{hosts[i % len(hosts)]}:{port}/f{i}/feed.xml" for i in range(args.feeds)]

    from newsdesk.config import Settings
    from newsdesk.model import Subscription
    from newsdesk.pipeline.poll import poll
    from newsdesk.pipeline.subscribe import import_subscriptions
    from newsdesk.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            allow_private_networks=True,
            per_host_interval=0.0,
            fetch_workers=64,
            extract_processes=args.workers,
        )
        store = Store.open(settings)
        import_subscriptions(store, [Subscription(url=url) for url in urls])

        start, cpu = time.perf_counter(), cpu_now()
        first = poll(store, settings)
        full = usage_since(start, cpu)
        stored = store.count_articles()

        start, cpu = time.perf_counter(), cpu_now()
        for feed in store.list_feeds():  # make every feed due again
            store.record_fetch(
                feed.id,
                fetched_at=datetime.now(UTC),
                next_fetch_at=datetime.now(UTC) - timedelta(seconds=1),
                etag=feed.etag,
                last_modified=feed.last_modified,
            )
        second = poll(store, settings)
        again = usage_since(start, cpu)
        store.close()

    baseline = feedparser_baseline(urls)
    publisher.kill()

    # Worker processes are the forkserver's children, not ours: the pool reports their CPU.
    extraction = first.extract_cpu_seconds
    pipeline_cpu = full.cpu_self + full.cpu_children - (extraction if args.workers == 0 else 0)
    overhead_share = pipeline_cpu / (pipeline_cpu + extraction) if extraction else 1.0
    print(f"# {args.feeds} feeds x {args.per_feed} articles over {len(hosts)} loopback hosts;"
          f" per-host concurrency 1, spacing 0 s")
    print(f"{'run':<34}{'seconds':>9}{'rate':>16}{'peak MB':>9}")
    print(f"{'newsdesk first ingest':<34}{full.wall:>9.1f}{stored / full.wall:>11.1f} art/s"
          f"{full.peak_mb:>9.0f}")
    print(f"{'newsdesk second poll (304s)':<34}{again.wall:>9.1f}"
          f"{second.not_modified / again.wall:>10.1f} feeds/s{again.peak_mb:>9.0f}")
    print(f"{'feedparser, feeds only':<34}{baseline:>9.1f}"
          f"{len(urls) / baseline:>10.1f} feeds/s{'':>9}")
    print(f"stored {stored} articles, {len(first.errors)} errors; second poll: "
          f"{second.not_modified}/{second.feeds} not modified, {second.new_articles} new")
    print(f"CPU: extraction {extraction:.1f} s, pipeline {pipeline_cpu:.1f} s "
          f"-> pipeline overhead {overhead_share:.0%} of newsdesk's CPU")
    print(f"second poll vs feedparser feeds-only: {again.wall / baseline:.2f}x the time")
    print(f"reproduce: python benchmarks/ingest.py --feeds {args.feeds} --per-feed {args.per_feed}")
    for line in first.errors[:5]:
        print("  error:", line, file=sys.stderr)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
