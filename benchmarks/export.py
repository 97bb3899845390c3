"""newsdesk export's memory stays flat whatever the store's size; an analyst's pandas export
beside it grows with the store.

    .venv/bin/python benchmarks/export.py                      # 5,000 and 20,000 articles
    .venv/bin/python benchmarks/export.py --sizes 10000,40000
    .venv/bin/python benchmarks/export.py --smoke              # seconds

For each size a throwaway store of synthetic articles (about 2 KB of text each, saved through
save_articles) is exported by `newsdesk export --out FILE` in each format, each run its own
process, and by the peer most would write instead: pandas.read_sql of the articles table, then
DataFrame.to_parquet / to_json(lines) / to_csv. The table gives rows/s and each process's peak
resident memory (its own rusage); the lines below it, how peak memory grows from the smallest
store to the largest (flat: newsdesk reads and writes a page of 1,000 at a time).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402

FORMATS = ("jsonl", "csv", "parquet")
GROUP = 2000  # articles saved in one transaction

PANDAS = """
import sqlite3, sys
import pandas as pd
db, fmt, out = sys.argv[1:4]
frame = pd.read_sql_query("SELECT * FROM articles", sqlite3.connect(db))
frame["signature"] = None  # bytes: not a corpus column
if fmt == "parquet":
    frame.to_parquet(out)
elif fmt == "csv":
    frame.to_csv(out, index=False)
else:
    frame.to_json(out, orient="records", lines=True, force_ascii=False)
"""


def build_store(folder: Path, count: int, seed: int) -> None:
    from newsdesk.config import Settings
    from newsdesk.model import Article
    from newsdesk.store import Store
    from newsdesk.store.articles import NewArticle

    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(5000)]
    now = datetime(2025, 3, 1, tzinfo=UTC)
    with Store.open(Settings(data_dir=folder)) as store:
        feed = store.add_feed("https://site.example/feed")[0].id
        for first in range(0, count, GROUP):
            group = []
            for n in range(first, min(count, first + GROUP)):
                text = "\n\n".join(" ".join(rng.choices(words, k=60)) for _ in range(5))
                stamp = now - timedelta(minutes=n)
                article = Article(
                    url=f"https://site.example/{n}",
                    title=text[:60],
                    text=text,
                    published=stamp,
                    authors=["A. Writer"],
                    language="en",
                )
                group.append(NewArticle(article, feed_id=feed, fetched_at=stamp))
            store.save_articles(group)


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak resident MB) of the command, its own process's."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if status != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed:\n{error[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,20000", help="store sizes, smallest first")
    parser.add_argument("--formats", default=",".join(FORMATS), help=",".join(FORMATS))
    parser.add_argument("--seed", type=int, default=1)
    args = harness.parse_args(parser, argv, "--sizes 100,400 --formats jsonl")
    sizes = [int(n) for n in args.sizes.split(",")]
    formats = [f for f in args.formats.split(",") if f in FORMATS]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    rows: list[tuple[str, str, int, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-export-bench-") as tmp:
        for size in sizes:
            data = Path(tmp) / f"store-{size}"
            build_store(data, size, args.seed)
            env["NEWSDESK_DATA_DIR"] = str(data)
            for fmt in formats:
                out = Path(tmp) / f"out.{fmt}"
                newsdesk = [
                    sys.executable,
                    "-m",
                    "newsdesk",
                    "export",
                    "--format",
                    fmt,
                    "--out",
                    str(out),
                ]
                rows.append(("newsdesk export", fmt, size, *measured(newsdesk, env)))
                pandas = [sys.executable, "-c", PANDAS, str(data / "newsdesk.db"), fmt, str(out)]
                rows.append(("pandas read_sql", fmt, size, *measured(pandas, env)))
    print("| tool | format | articles | seconds | rows/s | peak MB | vs newsdesk |")
    print("|---|---|---:|---:|---:|---:|---:|")
    ours = {(fmt, size): peak for tool, fmt, size, _, peak in rows if tool == "newsdesk export"}
    for tool, fmt, size, seconds, peak in rows:
        print(
            f"| {tool} | {fmt} | {size} | {seconds:.2f} | {size / seconds:.0f} | {peak:.0f} | "
            f"{peak / ours[fmt, size]:.2f}x |"
        )
    print()
    small, large = sizes[0], sizes[-1]
    for tool in ("newsdesk export", "pandas read_sql"):
        for fmt in formats:
            peaks = {size: peak for t, f, size, _, peak in rows if t == tool and f == fmt}
            print(
                f"{tool}, {fmt}: peak {peaks[small]:.0f} MB at {small} articles, "
                f"{peaks[large]:.0f} MB at {large} ({peaks[large] / peaks[small]:.2f}x)"
            )
    print(f"\nreproduce: {harness.reproduce(__file__, argv)}")


if __name__ == "__main__":
    main()
