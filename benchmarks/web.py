"""Web speed: the river page, an article page, a search and a Google Reader stream-contents call
under concurrent load from a second process on loopback, beside the same query run directly on
the store (the floor).

    .venv/bin/python benchmarks/web.py [--articles 100000] [--duration 10] [--concurrency 4]

The synthetic database (English-like words, 50 feeds, a year of articles) is built once under
--data (default benchmarks/results/web-data, ignored by git) and reused while it holds
--articles articles. Targets: p95 under 50 ms for pages, under 100 ms for search.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
USER, PASSWORD, API_PASSWORD = "bench", "bench password", "bench api password"
FEEDS = 50
SEARCH = "harbour storm"
PAGE_TARGET_MS, SEARCH_TARGET_MS = 50.0, 100.0


# --- the load generator (runs in its own process) -------------------------------------------


async def _load(url: str, headers: dict[str, str], cookies: dict[str, str],
                concurrency: int, duration: float) -> dict[str, Any]:  # fmt: skip
    import httpx

    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(headers=headers, cookies=cookies, limits=limits,
                                 timeout=30) as client:  # fmt: skip
        await client.get(url)  # warm up
        stop = time.perf_counter() + duration

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                start = time.perf_counter()
                answer = await client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
                if answer.status_code == 200:
                    latencies.append(elapsed)
                else:
                    errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - began
    return {"latencies": latencies, "errors": errors, "seconds": wall}


def load_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--headers", default="{}")
    parser.add_argument("--cookies", default="{}")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--duration", type=float, default=10)
    args = parser.parse_args(argv)
    result = asyncio.run(
        _load(
            args.url,
            json.loads(args.headers),
            json.loads(args.cookies),
            args.concurrency,
            args.duration,
        )  # fmt: skip
    )
    json.dump(result, sys.stdout)


# --- building the database ------------------------------------------------------------------


BATCH = 2000


def save_batch(store: Any, batch: list[tuple[Any, int]]) -> None:
    """The rows save_article writes (article + full-text entry), many per transaction: one
    transaction per article would take an hour to build 100,000 on a busy 2-core machine."""
    from newsdesk.store.articles import article_keys

    fetched = datetime.now(UTC)
    with store._write() as conn:
        for article, feed_id in batch:
            key, source = article_keys(article)
            store._insert_article(conn, article, key, source, feed_id, None, fetched)


def build(store: Any, count: int, seed: int) -> None:
    from newsdesk.model import Article

    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(5000)]
    vocabulary += ["harbour", "storm", "council", "election", "quake", "budget"]
    feeds = [
        store.add_feed(
            f"https://site{n}.example/feed", title=f"Site {n}", folder=f"Folder {n % 5}"
        )[0].id  # fmt: skip
        for n in range(FEEDS)
    ]
    now = datetime.now(UTC)
    have = store.count_articles()
    started = time.perf_counter()
    batch: list[tuple[Any, int]] = []
    for n in range(have, count):
        words = rng.choices(vocabulary, k=300)
        paragraphs = [" ".join(words[i : i + 60]) for i in range(0, 300, 60)]
        article = Article(
            url=f"https://site{n % FEEDS}.example/story/{n}",
            title=" ".join(words[:8]).capitalize(),
            authors=[f"Reporter {n % 97}"],
            published=now - timedelta(minutes=5 * (count - n)),
            description=" ".join(words[8:40]),
            text="\n\n".join(paragraphs),
            html="".join(f"<p>{p}</p>" for p in paragraphs),
            language="en",
        )
        batch.append((article, feeds[n % FEEDS]))
        if len(batch) == BATCH or n == count - 1:
            save_batch(store, batch)
            batch.clear()
        if n and n % 10000 == 0:
            rate = (n - have) / (time.perf_counter() - started)
            print(f"  stored {n} articles ({rate:.0f}/s)", file=sys.stderr, flush=True)


# --- the server (in this process) -----------------------------------------------------------


class Server:
    def __init__(self, app: Any) -> None:
        import uvicorn

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)  # fmt: skip

    def __enter__(self) -> Server:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def sign_in(url: str) -> dict[str, str]:
    import re

    import httpx

    with httpx.Client(base_url=url) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
        answer = client.post("/login", data={"username": USER, "password": PASSWORD,
                                             "csrf": token})  # fmt: skip
        assert answer.status_code == 303, answer.text[:200]
        return dict(client.cookies.items())


def greader_token(url: str) -> str | None:
    import httpx

    answer = httpx.post(f"{url}/api/greader/accounts/ClientLogin",
                        data={"Email": USER, "Passwd": API_PASSWORD})  # fmt: skip
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    return answer.text.split("Auth=")[1].strip()


def run_load(url: str, headers: dict[str, str], cookies: dict[str, str],
             args: argparse.Namespace) -> dict[str, Any]:  # fmt: skip
    command = [sys.executable, __file__, "--load", url, "--headers", json.dumps(headers),
               "--cookies", json.dumps(cookies), "--concurrency", str(args.concurrency),
               "--duration", str(args.duration)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def floor(call: Any, seconds: float) -> list[float]:
    """The same query straight on the store, one after another."""
    samples = []
    stop = time.perf_counter() + seconds
    call()
    while time.perf_counter() < stop or len(samples) < 20:
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def pct(samples: list[float], p: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--load":
        load_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight")
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks/results/web-data")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from newsdesk.config import Settings
    from newsdesk.store import Store
    from newsdesk.web.app import create_app

    settings = Settings(data_dir=args.data, admin_user=USER, admin_password=PASSWORD,
                        admin_api_password=API_PASSWORD)  # fmt: skip
    store = Store.open(settings)
    if store.count_articles() < args.articles:
        print(f"building {args.articles} articles in {args.data} (once)", file=sys.stderr)
        build(store, args.articles, args.seed)
    app = create_app(settings, store=store)
    user = store.find_user(USER)
    newest = store.list_articles(limit=1)[0]
    middle = store.articles_by_id(after_id=args.articles // 2, limit=1, newest_first=False)[0]

    scenarios: list[tuple[str, str, Any, float, str]] = [
        # no database and no template: what the machine, uvicorn and the client cost alone
        ("baseline: static file (no DB, no template)", "/static/newsdesk.css", lambda: None,
         PAGE_TARGET_MS, "session"),
        ("river page /", "/", lambda: store.list_articles(
            limit=30, originals_only=True, user_id=user.id), PAGE_TARGET_MS, "session"),
        (f"article page /articles/{middle.id}", f"/articles/{middle.id}",
         lambda: store.get_article(middle.id), PAGE_TARGET_MS, "session"),
        (f"search /search?q={SEARCH}", "/search?q=" + SEARCH.replace(" ", "+"),
         lambda: store.search(SEARCH, limit=50), SEARCH_TARGET_MS, "session"),
        ("greader stream/contents (n=20)",
         "/api/greader/reader/api/0/stream/contents/user/-/state/com.google/reading-list?n=20",
         lambda: store.list_articles(limit=20, user_id=user.id), PAGE_TARGET_MS, "greader"),
    ]  # fmt: skip
    rows = []
    with Server(app) as server:
        cookies = sign_in(server.url)
        token = greader_token(server.url)
        for name, path, direct, target, auth in scenarios:
            if auth == "greader" and token is None:
                print(f"skipping {name}: no Google Reader API in this build", file=sys.stderr)
                continue
            headers = {"Authorization": f"GoogleLogin auth={token}"} if auth == "greader" else {}
            jar = cookies if auth == "session" else {}
            result = run_load(server.url + path, headers, jar, args)
            lat = result["latencies"]
            base = floor(direct, min(args.duration, 3.0))
            rows.append((name, len(lat) / result["seconds"], pct(lat, 50), pct(lat, 95),
                         pct(lat, 99), result["errors"], pct(base, 50), pct(base, 95),
                         pct(base, 99), target))  # fmt: skip
    from newsdesk.web.reader import related_articles

    related = floor(lambda: related_articles(store, middle), min(args.duration, 3.0))
    store.close()

    print(f"\nnewsdesk web benchmark: {args.articles} articles, {args.concurrency} concurrent "
          f"requests from a second process, {args.duration:.0f} s per scenario")  # fmt: skip
    print(f"newest article {newest.id}; SQLite at {args.data}\n")
    head = (f"{'scenario':<44} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
            f"{'errors':>6} | {'floor p50':>9} {'p95':>6} {'p99':>6} | target p95")  # fmt: skip
    print(head)
    print("-" * len(head))
    for name, rps, p50, p95, p99, errors, f50, f95, f99, target in rows:
        verdict = "ok" if p95 < target else "OVER"
        print(f"{name:<44} {rps:7.0f} {p50:7.1f} {p95:7.1f} {p99:7.1f} {errors:6d} | "
              f"{f50:9.2f} {f95:6.2f} {f99:6.2f} | < {target:.0f} ms {verdict}")  # fmt: skip
    print(f"\nrelated stories of one article, uncached (the article page caches them for 10 min):"
          f" p50 {pct(related, 50):.1f} ms, p95 {pct(related, 95):.1f} ms")  # fmt: skip
    print(f"median floor/server ratio: {statistics.median(r[6] / r[2] for r in rows):.2f}"
          if rows else "")  # fmt: skip


if __name__ == "__main__":
    main()
