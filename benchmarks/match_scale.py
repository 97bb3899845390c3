"""Time and memory of adding one article (duplicate check + story assignment) as the store grows.

    .venv/bin/python benchmarks/match_scale.py [--sizes 10000,100000,1000000] [--measure 2000]

The duplicate index is filled with synthetic signatures up to each size (what a store of that
many articles would load at start-up); the story index holds a 72-hour window of synthetic
articles at --per-day articles a day (its state is bounded by the window, not by the store).
Then --measure synthetic articles (about 350 words, a quarter of them edited copies of earlier
ones) are added through the real path, from text: DuplicateIndex.add then StoryIndex.add, one
process, one core. Prints p50/p95/p99 per size, index memory and the process's resident memory.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402
from newsdesk.match.dedup import NUM_PERM, DuplicateIndex, Signature  # noqa: E402
from newsdesk.match.stories import StoryIndex  # noqa: E402

SMOKE_ARGS = "--sizes 300 --measure 30 --per-day 40"


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Corpus:
    """Synthetic news: stories with their own names, numbers and words over a Zipf vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocab = [f"w{i}" for i in range(30000)]
        weights = 1 / np.arange(1, len(self.vocab) + 1)
        self.cum = np.cumsum(weights / weights.sum())
        self.np_rng = np.random.default_rng(rng.randrange(1 << 30))
        self.sent: list[str] = []

    def words(self, count: int) -> list[str]:
        picks = np.searchsorted(self.cum, self.np_rng.random(count))
        return [self.vocab[min(i, len(self.vocab) - 1)] for i in picks]

    def topic(self) -> dict:
        rng = self.rng
        names = [f"{rng.choice('BCDFGKLMNPRST')}{rng.randrange(10**6):06d}" for _ in range(4)]
        return {
            "names": [name.capitalize() for name in names],
            "words": self.words(30),
            "number": str(self.rng.randrange(10, 5000)),
        }

    def article(self, topic: dict) -> tuple[str, str]:
        rng = self.rng
        title = " ".join(rng.sample(topic["words"], 5) + [rng.choice(topic["names"])])
        paragraphs = []
        for _ in range(6):
            body = self.words(45) + rng.sample(topic["words"], 8)
            rng.shuffle(body)
            body.insert(3, " ".join(rng.sample(topic["names"], 2)))
            body.append(topic["number"])
            paragraphs.append(" ".join(body) + ".")
        text = "\n\n".join(paragraphs)
        self.sent.append(text)
        return title.capitalize(), text

    def copy(self) -> tuple[str, str]:
        text = self.rng.choice(self.sent[-5000:])
        keep = text.split("\n\n")[: self.rng.randint(4, 6)]
        return "Copy of a wire story", "By A. Writer, Other Outlet\n\n" + "\n\n".join(keep)


def fill_signatures(index: DuplicateIndex, target: int, rng: np.random.Generator) -> None:
    start = len(index)
    batch = 10000
    for first in range(start, target, batch):
        count = min(batch, target - first)
        minhashes = rng.integers(0, 1 << 16, size=(count, NUM_PERM), dtype=np.uint16)
        hashes = rng.integers(1, 1 << 63, size=(count, 2), dtype=np.int64)
        for offset in range(count):
            sig = Signature(0, int(hashes[offset, 0]), int(hashes[offset, 1]), 350, 340,
                            minhashes[offset])
            # as a store's start-up loads them: already decided, no lookup each
            index.add_signature(10_000_000 + first + offset, sig, decided=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--measure", type=int, default=2000)
    parser.add_argument("--per-day", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = harness.parse_args(parser, argv, SMOKE_ARGS)
    sizes = [int(size) for size in args.sizes.split(",")]
    rng = random.Random(args.seed)
    np_rng = np.random.default_rng(args.seed)
    corpus = Corpus(rng)
    duplicates = DuplicateIndex()
    stories = StoryIndex()
    now = datetime(2024, 1, 1, tzinfo=UTC)
    step = timedelta(days=1) / args.per_day
    topics = [corpus.topic() for _ in range(200)]
    article_id = 0

    def next_article() -> tuple[str, str]:
        if corpus.sent and rng.random() < 0.25:
            return corpus.copy()
        if rng.random() < 0.1:
            topics[rng.randrange(len(topics))] = corpus.topic()  # a new event begins
        return corpus.article(rng.choice(topics))

    started = time.perf_counter()
    for _ in range(3 * args.per_day):  # the window: three days of coverage
        article_id += 1
        title, text = next_article()
        duplicates.add(article_id, text, title)
        stories.add(article_id, title, text, now, outlet=f"site{article_id % 50}")
        now += step
    elapsed = time.perf_counter() - started
    print(f"story window filled with {3 * args.per_day} articles in {elapsed:.0f} s\n", flush=True)
    print("| stored articles | p50 ms | p95 ms | p99 ms | max ms | copies found | dup index MB "
          "| active stories | RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        fill_signatures(duplicates, size, np_rng)
        timings = []
        found = 0
        for _ in range(args.measure):
            article_id += 1
            title, text = next_article()
            begin = time.process_time()
            match = duplicates.add(article_id, text, title)
            stories.add(article_id, title, text, now, outlet=f"site{article_id % 50}")
            timings.append((time.process_time() - begin) * 1000)
            found += match is not None
            now += step
        timings.sort()
        q = statistics.quantiles(timings, n=100)
        print(f"| {len(duplicates):,} | {q[49]:.2f} | {q[94]:.2f} | {q[98]:.2f} "
              f"| {timings[-1]:.1f} "
              f"| {found}/{args.measure} | {duplicates.nbytes / 2**20:.0f} | {len(stories)} "
              f"| {rss_mb():.0f} |", flush=True)
    print(f"\nreproduce: {harness.reproduce(__file__, argv)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
