"""Store speed: ingest, keyset paging deep into the archive (against OFFSET paging), search.

    .venv/bin/python benchmarks/store.py [--articles 20000] [--seed 1]

Builds a throwaway SQLite database of synthetic articles (English-like words, and one in ten
Japanese) and prints milliseconds per call, median of several runs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsdesk.config import Settings
from newsdesk.model import Article
from newsdesk.store import Store, cursor_of

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
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
        print(f"articles: {args.articles}")
        print(f"save_article: {ingest / args.articles * 1000:.2f} ms each "
              f"({args.articles / ingest:.0f}/s, one transaction each)")  # fmt: skip

        deep_id = store.articles_by_id(after_id=int(args.articles * 0.95), limit=1,
                                       newest_first=False)[0].id  # fmt: skip
        deep_cursor = cursor_of(store.get_article(deep_id))
        depth = args.articles - int(args.articles * 0.95)
        print(f"list_articles first page (50): {timed(lambda: store.list_articles()):.2f} ms")
        print(f"list_articles page at 95% depth, keyset: "
              f"{timed(lambda: store.list_articles(before=deep_cursor)):.2f} ms")  # fmt: skip
        offset = args.articles - depth
        with store.engine.connect() as conn:
            sql = ("SELECT * FROM articles ORDER BY sort_at DESC, id DESC "
                   f"LIMIT 50 OFFSET {offset}")  # fmt: skip
            print(f"same page with OFFSET {offset} (for comparison): "
                  f"{timed(lambda: conn.exec_driver_sql(sql).fetchall()):.2f} ms")  # fmt: skip
        feed = feeds[3]
        print(
            f"list_articles one feed, page at 95% depth: "
            f"{timed(lambda: store.list_articles(feed_id=feed, before=deep_cursor)):.2f} ms"
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


if __name__ == "__main__":
    main()
