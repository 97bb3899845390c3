"""Store speed: ingest, keyset paging deep into the archive (against OFFSET paging), search.

    .venv/bin/python benchmarks/store.py [--articles 3000] [--archive 200000] [--seed 1]

Builds a throwaway SQLite database of synthetic articles (English-like words, one in ten with
Japanese) saved through save_article, then adds an archive of short articles in groups
(save_articles), and prints milliseconds per call (median of several runs), with the time of a
plain Python loop so figures from a busy machine can be read against it. Beside the store's
keyset paging, the same page read with OFFSET in plain SQL (what the store avoids).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402
from newsdesk.config import Settings  # noqa: E402
from newsdesk.model import Article  # noqa: E402
from newsdesk.store import Store, cursor_of  # noqa: E402
from newsdesk.store.articles import NewArticle  # noqa: E402

JAPANESE = "東京で地震が発生しました。気象庁によると津波の心配はありません。"


def make_words(rng: random.Random, count: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(count)]


def timed(call, repeat: int = 7) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


ARCHIVE_GROUP = 5000  # archive articles saved in one transaction


def add_archive(store: Store, count: int, newest: datetime) -> None:
    """Short archive articles (a URL and a time), `ARCHIVE_GROUP` to a transaction, the n-th
    n minutes before `newest`."""
    feed_ids = [feed.id for feed in store.list_feeds()]
    for first in range(0, count, ARCHIVE_GROUP):
        group = []
        for n in range(first, min(count, first + ARCHIVE_GROUP)):
            stamp = newest - timedelta(minutes=n)
            article = Article(url=f"https://archive.example/{n}", published=stamp)
            group.append(NewArticle(article, feed_id=feed_ids[n % len(feed_ids)], fetched_at=stamp))
        store.save_articles(group)


def python_loop_ms() -> float:
    start = time.perf_counter()
    total = 0
    for n in range(1_000_000):
        total += n
    return (time.perf_counter() - start) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--archive", type=int, default=200000)
    parser.add_argument("--seed", type=int, default=1)
    args = harness.parse_args(parser, argv, "--articles 50 --archive 1000")
    rng = random.Random(args.seed)
    vocabulary = make_words(rng, 5000)
    now = datetime(2025, 3, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Settings(data_dir=Path(folder)))
        feeds = [store.add_feed(f"https://site{n}.example/feed")[0].id for n in range(20)]
        start = time.perf_counter()
        for n in range(args.articles):
            words = rng.choices(vocabulary, k=250)
            text = " ".join(words) + (JAPANESE if n % 10 == 0 else "")
            article = Article(
                url=f"https://site{n % 20}.example/{n}",
                title=" ".join(words[:8]),
                text=text,
                published=now - timedelta(minutes=n),
            )
            store.save_article(article, feed_id=feeds[n % 20], entry_keys=[f"g{n}"])
        ingest = time.perf_counter() - start
        print(f"plain Python loop of 1e6 additions: {python_loop_ms():.0f} ms (about 30 ms idle)")
        print(f"articles: {args.articles}")
        print(f"save_article: {ingest / args.articles * 1000:.2f} ms each "
              f"({args.articles / ingest:.0f}/s, one transaction each)")  # fmt: skip

        add_archive(store, args.archive, now - timedelta(days=400))
        total = store.count_articles()
        depth = int(total * 0.95)
        with store.engine.connect() as conn:
            key_sql = "SELECT sort_at, id FROM articles ORDER BY sort_at DESC, id DESC"
            stamp, deep_id = conn.exec_driver_sql(f"{key_sql} LIMIT 1 OFFSET {depth}").one()
            keyset = (
                "SELECT * FROM articles WHERE (sort_at, id) < (?, ?) "
                "ORDER BY sort_at DESC, id DESC LIMIT 50"
            )
            by_offset = (
                f"SELECT * FROM articles ORDER BY sort_at DESC, id DESC LIMIT 50 OFFSET {depth}"
            )
            key_ms = timed(lambda: conn.exec_driver_sql(keyset, (stamp, deep_id)).fetchall())
            offset_ms = timed(lambda: conn.exec_driver_sql(by_offset).fetchall())
        deep_cursor = cursor_of(store.get_article(deep_id))
        print(f"archive: {total} articles; a page of 50 at depth {depth} (95%), SQL only:")
        print(f"  keyset (sort_at, id) < cursor: {key_ms:.2f} ms; OFFSET: {offset_ms:.2f} ms")
        print(f"list_articles first page (50): {timed(lambda: store.list_articles()):.2f} ms")
        print(f"list_articles at 95% depth: "
              f"{timed(lambda: store.list_articles(after=deep_cursor)):.2f} ms")  # fmt: skip
        feed = feeds[3]
        print(
            f"list_articles one feed at 95% depth: "
            f"{timed(lambda: store.list_articles(feed_id=feed, after=deep_cursor)):.2f} ms"
        )
        common, rare = vocabulary[0], vocabulary[-1]
        queries = [
            ("common word", common),
            ("rare word", rare),
            ("two words", f"{common} {rare}"),
            ("Japanese 地震", "地震"),
        ]
        for label, query in queries:
            hits = len(store.search(query))
            print(f"search {label}: {timed(lambda q=query: store.search(q), 5):.1f} ms "
                  f"({hits} results with snippets)")  # fmt: skip
        store.close()
    print(f"\nreproduce: {harness.reproduce(__file__, argv)}")


if __name__ == "__main__":
    main()
