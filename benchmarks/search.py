"""Search at scale: a new query each time on SQLite and on PostgreSQL, beside the database's own
time for the same statement.

    .venv/bin/python benchmarks/search.py [--articles 1000000] [--queries 200]
        [--postgres postgresql+psycopg://root@127.0.0.1:5432/test] [--seed 1]

Builds the same synthetic archive in a throwaway SQLite store and in a throwaway schema of the
PostgreSQL server, through save_articles in groups as polling saves them: words drawn from a
Zipf-like vocabulary, English (with plural, -ed and -ing forms), German and French articles
and one in ten with a Chinese passage. Then it runs `--queries` different queries (single words
common to rare, two words, phrases, prefixes, word forms, Chinese words), each new to the
store's own cache of rankings, as the search page asks them (21 results, 20 snippets, no
copies), and the statement the store sends to rank each one straight to the database
(PostgreSQL: EXPLAIN ANALYZE's execution time). It prints milliseconds at the median and p95,
and the ratio of PostgreSQL's to SQLite's.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402
from newsdesk.config import Settings  # noqa: E402
from newsdesk.model import Article  # noqa: E402
from newsdesk.store import Store  # noqa: E402
from newsdesk.store.articles import NewArticle  # noqa: E402

GROUP = 2000  # articles saved in one transaction
BODY_WORDS = 120
HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你说年经"
LANGUAGES = ["en"] * 6 + ["de", "fr"]  # of each article, by turn
SEARCH_PAGE = {"limit": 21, "snippet_limit": 20, "originals_only": True, "with_html": False}


def vocabulary(rng: random.Random, size: int) -> list[str]:
    letters = "abcdefghijklmnoprstuvwy"
    words = {"".join(rng.choices(letters, k=rng.randint(4, 9))) for _ in range(size * 2)}
    return sorted(words)[:size]


class Archive:
    """The synthetic articles, made the same for both stores from one seed."""

    def __init__(self, seed: int, size: int) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary(self.rng, 30_000)
        self.rng.shuffle(self.words)  # rank order: the first is the most common
        weights = [1 / (rank + 10) for rank in range(len(self.words))]
        self.cumulative = list(_accumulate(weights))
        self.size = size
        self.newest = datetime(2025, 3, 1, tzinfo=UTC)

    def groups(self, feed_id: int) -> Iterator[list[NewArticle]]:
        rng = random.Random(7)  # the same text for every store
        for first in range(0, self.size, GROUP):
            group = []
            for n in range(first, min(self.size, first + GROUP)):
                words = rng.choices(self.words, cum_weights=self.cumulative, k=BODY_WORDS)
                language = LANGUAGES[n % len(LANGUAGES)]
                if language == "en":
                    words = [w + rng.choice(("s", "ed", "ing")) if rng.random() < 0.2 else w
                             for w in words]  # fmt: skip
                text = " ".join(words)
                if n % 10 == 3:
                    text += " " + "".join(rng.choices(HAN, k=40)) + "。"
                stamp = self.newest - timedelta(minutes=self.size - n)
                article = Article(url=f"https://bench.example/{n}", title=" ".join(words[:8]),
                                  text=text, language=language, published=stamp)  # fmt: skip
                group.append(NewArticle(article, feed_id=feed_id, fetched_at=stamp))
            yield group

    def queries(self, count: int) -> list[tuple[str, str]]:
        """`count` different queries of every kind, common words to rare: (kind, query)."""
        rng = random.Random(11)
        made: dict[str, str] = {}
        words = self.words
        kinds: list[tuple[str, Callable[[], str]]] = [
            ("common word", lambda: words[rng.randrange(0, 50)]),
            ("middling word", lambda: words[rng.randrange(500, 3000)]),
            ("rare word", lambda: words[rng.randrange(10_000, 30_000)]),
            ("plural of a common word", lambda: words[rng.randrange(0, 200)] + "s"),
            ("two words",
             lambda: f"{words[rng.randrange(0, 300)]} {words[rng.randrange(0, 3000)]}"),
            ("phrase of common words",
             lambda: f'"{words[rng.randrange(0, 30)]} {words[rng.randrange(0, 30)]}"'),
            ("prefix", lambda: words[rng.randrange(0, 3000)][:4] + "*"),
            ("Chinese word", lambda: "".join(rng.choices(HAN, k=2))),
        ]  # fmt: skip
        while len(made) < count:
            kind, make = kinds[len(made) % len(kinds)]
            made.setdefault(make(), kind)
        return [(kind, query) for query, kind in made.items()]


def _accumulate(values: list[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def fill(store: Store, archive: Archive) -> float:
    """Store the archive; seconds taken."""
    feed, _ = store.add_feed("https://bench.example/feed")
    start = time.perf_counter()
    done = 0
    for group in archive.groups(feed.id):
        store.save_articles(group)
        done += len(group)
        if done % 100_000 < GROUP:
            print(f"  {store.dialect}: {done} articles stored", file=sys.stderr, flush=True)
    return time.perf_counter() - start


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def measure(store: Store, queries: list[tuple[str, str]]) -> dict[str, float]:
    """Milliseconds of store.search (as the search page asks) and of the database alone, and
    the p95 of store.search for each kind of query."""
    whole, alone, found = [], [], 0
    by_kind: dict[str, list[float]] = {}
    for kind, query in queries:
        start = time.perf_counter()
        found += len(store.search(query, **SEARCH_PAGE))  # type: ignore[arg-type]
        whole.append((time.perf_counter() - start) * 1000)
        by_kind.setdefault(kind, []).append(whole[-1])
        alone.append(database_ms(store, query))
    (whole_50, whole_95), (alone_50, alone_95) = percentiles(whole), percentiles(alone)
    figures = {"p50": whole_50, "p95": whole_95, "db50": alone_50, "db95": alone_95,
               "results": found / len(queries)}  # fmt: skip
    figures.update({kind: percentiles(samples)[1] for kind, samples in by_kind.items()})
    return figures


def database_ms(store: Store, query: str) -> float:
    """The database's own time for the statement that ranks `query` (SQLite: the statement
    run by the driver; PostgreSQL: EXPLAIN ANALYZE's execution time)."""
    sql = store.search_sql(query)
    if sql is None:
        return 0.0
    statement, params = sql
    driver = store.engine.raw_connection()
    try:
        cursor = driver.cursor()
        if store.dialect == "sqlite":
            start = time.perf_counter()
            cursor.execute(statement, params).fetchall()
            return (time.perf_counter() - start) * 1000
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement)
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return float(plan[0]["Execution Time"])
    finally:
        driver.close()


@contextmanager
def postgres_store(server: str) -> Iterator[Store | str]:
    """A store on a throwaway schema of `server`, or why there is none."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except (OperationalError, ModuleNotFoundError) as exc:
        admin.dispose()
        yield f"no PostgreSQL at {server}: {str(exc).splitlines()[0][:160]}"
        return
    store = Store(f"{server}?options=-csearch_path%3D{schema}")
    try:
        store.migrate()
        yield store
    finally:
        store.close()
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--postgres", default="postgresql+psycopg://root@127.0.0.1:5432/test")
    parser.add_argument("--seed", type=int, default=1)
    args = harness.parse_args(parser, argv, "--articles 400 --queries 16")
    archive = Archive(args.seed, args.articles)
    queries = archive.queries(args.queries)
    rows: list[tuple[str, float, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as folder:
        sqlite = Store.open(Settings(data_dir=Path(folder)))
        try:
            rows.append(("SQLite (FTS5)", fill(sqlite, archive), measure(sqlite, queries)))
        finally:
            sqlite.close()
        with postgres_store(args.postgres) as postgres:
            if isinstance(postgres, str):
                print(postgres)
            else:
                seconds = fill(postgres, archive)
                with postgres.engine.begin() as conn:
                    conn.exec_driver_sql("ANALYZE")  # as autovacuum would by now
                rows.append(("PostgreSQL (GIN tsvector)", seconds, measure(postgres, queries)))
    print(f"\nsearch at {args.articles} articles, {len(queries)} different queries, "
          "as the search page asks (21 results, 20 snippets); milliseconds")  # fmt: skip
    print("| store | stored per s | search p50 | search p95 | database p50 | database p95 "
          "| results per query | p95 vs SQLite |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    base = rows[0][2]["p95"]
    for name, seconds, figures in rows:
        print(f"| {name} | {args.articles / seconds:.0f} | {figures['p50']:.1f} "
              f"| {figures['p95']:.1f} | {figures['db50']:.1f} | {figures['db95']:.1f} "
              f"| {figures['results']:.1f} | {figures['p95'] / base:.2f}x |")  # fmt: skip
    kinds = list(dict.fromkeys(kind for kind, _ in queries))
    print("\np95 of store.search by kind of query, milliseconds")
    print("| kind | " + " | ".join(name for name, _, _ in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for kind in kinds:
        print(f"| {kind} | " + " | ".join(f"{f[kind]:.1f}" for _, _, f in rows) + " |")
    print(f"\nreproduce: {harness.reproduce(__file__, argv)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
