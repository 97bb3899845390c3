"""Story grouping on ECB+: newsdesk's StoryIndex against the baselines its README names.

    .venv/bin/python benchmarks/stories.py [--data ../shared/bench/ecbplus] [--seed 1]
        [--text title|lead|body] [--semantic]

`--text` says what each article brings, as feeds give it: the headline only (`title`), the
headline and the body's first sentence (`lead`), or the whole body (`body`, the default).

Articles carry no dates, so each run gives them times in two streams:
- "by event": each event's coverage arrives within 24 h of its own start; starts spread over
  30 days, so look-alike events may still overlap in the 72 h window;
- "interleaved": all 982 articles in random order within 48 h, every event open at once.
The baselines see the whole set at once with corpus-wide idf, and get their best threshold in
hindsight (swept on the gold labels), which flatters them; newsdesk runs with its defaults.
Prints B-cubed and pairwise precision/recall/F1, stories against events, and the look-alike
pairs that were merged, for three sets: the dev half (odd-numbered topics, the only ones
StoryParams was tuned on), the held-out half (even-numbered topics) and all topics, each run
on its own. `--semantic` adds newsdesk with sentence embeddings as NEWSDESK_SEMANTIC=true
polls (the `semantic` extra, model loaded from its package).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402
from newsdesk.match.stories import SEMANTIC_WEIGHT, StoryIndex, StoryParams  # noqa: E402
from newsdesk.match.text import STOPWORDS, words  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "bench" / "ecbplus"


def load_or_complain(path: Path) -> list[dict] | None:
    """The set's articles, or None after saying on stderr that `path` holds no ECB+ index."""
    if not (path / "index.jsonl").is_file():
        print(f"no ECB+ index at {path}/index.jsonl", file=sys.stderr)
        return None
    return load(path)


def load(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in (path / "index.jsonl").open(encoding="utf-8")]
    for row in rows:
        row["text"] = _rejoin(row["text"])
        row["title"] = _rejoin(row["title"])
    return rows


def cut_text(rows: list[dict], keep: str) -> list[dict]:
    """The rows with their bodies cut to what `keep` says: "title" (none), "lead" (the first
    sentence, skipping a dateline line such as "May 03, 2013"), "body" (all of it)."""
    if keep == "body":
        return rows
    cut = []
    for row in rows:
        lead = ""
        if keep == "lead":
            lines = [line for line in row["text"].splitlines() if len(line.split()) >= 4]
            lead = lines[0] if lines else ""
        cut.append({**row, "text": lead})
    return cut


def _rejoin(text: str) -> str:
    # The corpus was tokenised; undo the commonest artefacts so text reads like a page.
    text = text.replace("``", '"').replace("''", '"')
    text = re.sub(r" - ", "-", text)
    text = re.sub(r" ([,.;:!?%)])", r"\1", text)
    # numbers were cut at their separators ("6. 1-magnitude", "100, 000", "1: 32 PM"): a
    # magnitude, a count or a time is one number on a page
    text = re.sub(r"(?<![\d.])(\d{1,3})\. (\d+)(?![\d.])", r"\1.\2", text)
    text = re.sub(r"(?<![\d,])(\d{1,3}), (\d{3})(?!\d)", r"\1,\2", text)
    return re.sub(r"(?<!\d)(\d{1,2}): (\d\d)(?!\d)", r"\1:\2", text)


# -- metrics -----------------------------------------------------------------------------------


def bcubed(pred: list, gold: list) -> tuple[float, float, float]:
    by_pred, by_gold = defaultdict(list), defaultdict(list)
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        by_pred[p].append(i)
        by_gold[g].append(i)
    precision = recall = 0.0
    for p, g in zip(pred, gold, strict=True):
        same = sum(1 for j in by_pred[p] if gold[j] == g)
        precision += same / len(by_pred[p])
        recall += same / len(by_gold[g])
    n = len(pred)
    return _prf(precision / n, recall / n)


def pairwise(pred: list, gold: list) -> tuple[float, float, float]:
    def pairs(labels: list) -> Counter:
        return Counter(labels)

    both = Counter(zip(pred, gold, strict=True))
    tp = sum(c * (c - 1) / 2 for c in both.values())
    pp = sum(c * (c - 1) / 2 for c in pairs(pred).values())
    gp = sum(c * (c - 1) / 2 for c in pairs(gold).values())
    return _prf(tp / pp if pp else 0.0, tp / gp if gp else 0.0)


def _prf(p: float, r: float) -> tuple[float, float, float]:
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def merged_pairs(pred: list, rows: list[dict]) -> list[str]:
    """Topics whose two look-alike events share their main predicted story."""
    main: dict[str, Counter] = defaultdict(Counter)
    for p, row in zip(pred, rows, strict=True):
        main[row["cluster"]][p] += 1
    merged = []
    topics = sorted({row["topic"] for row in rows}, key=int)
    for topic in topics:
        a, b = main.get(f"{topic}_ecb"), main.get(f"{topic}_ecbplus")
        if a and b and a.most_common(1)[0][0] == b.most_common(1)[0][0]:
            merged.append(topic)
    return merged


# -- newsdesk ----------------------------------------------------------------------------------


def stream_times(rows: list[dict], mode: str, rng: random.Random) -> list[datetime]:
    base = datetime(2024, 1, 1, tzinfo=UTC)
    if mode == "interleaved":
        return [base + timedelta(minutes=rng.uniform(0, 48 * 60)) for _ in rows]
    clusters = sorted({r["cluster"] for r in rows})  # sorted: the same times whatever the hash seed
    starts = {c: base + timedelta(days=rng.uniform(0, 30)) for c in clusters}
    return [starts[r["cluster"]] + timedelta(minutes=rng.uniform(0, 24 * 60)) for r in rows]


def run_newsdesk(
    rows: list[dict],
    times: list[datetime],
    index: StoryIndex | None = None,
    embeddings: np.ndarray | None = None,
) -> tuple[list, float]:
    """`index`: a configured StoryIndex (default: one with defaults); `embeddings`: a row per
    article, given to it (benchmarks/semantic.py)."""
    order = sorted(range(len(rows)), key=lambda i: times[i])
    index = StoryIndex() if index is None else index
    story: dict[int, int] = {}
    started = time.perf_counter()
    for i in order:
        row = rows[i]
        embedding = None if embeddings is None else embeddings[i]
        assignment = index.add(
            i, row["title"], row["text"], times[i], outlet=row["source"], embedding=embedding
        )
        story[i] = assignment.story_id
        for merge in assignment.merges:
            for j, sid in story.items():
                if sid == merge.merged:
                    story[j] = merge.into
        for move in assignment.moves:
            story[move.article_id] = move.into
    elapsed = time.perf_counter() - started
    return [story[i] for i in range(len(rows))], elapsed / len(rows) * 1000


# -- baselines ---------------------------------------------------------------------------------


def tfidf_matrix(rows: list[dict]) -> np.ndarray:
    docs = [[w for w in words(r["title"] + " " + r["text"]) if w not in STOPWORDS] for r in rows]
    vocab: dict[str, int] = {}
    for doc in docs:
        for w in set(doc):
            vocab.setdefault(w, len(vocab))
    df = np.zeros(len(vocab))
    matrix = np.zeros((len(docs), len(vocab)))
    for i, doc in enumerate(docs):
        for w, c in Counter(doc).items():
            matrix[i, vocab[w]] = 1 + math.log(c)
        for w in set(doc):
            df[vocab[w]] += 1
    matrix *= np.log((len(docs) + 1) / (df + 1)) + 1
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12
    return matrix


def single_pass(sim: np.ndarray, threshold: float, order: list[int]) -> list[int]:
    """Each article joins the most similar earlier cluster (mean similarity) or starts one."""
    labels = np.full(len(sim), -1)
    clusters = 0
    done: list[int] = []
    for i in order:
        if done:
            seen = np.array(done)
            sums = np.bincount(labels[seen], weights=sim[i, seen], minlength=clusters)
            means = sums / np.bincount(labels[seen], minlength=clusters)
            best = int(np.argmax(means))
            if means[best] >= threshold:
                labels[i] = best
                done.append(i)
                continue
        labels[i] = clusters
        clusters += 1
        done.append(i)
    return labels.tolist()


def agglomerative(sim: np.ndarray, threshold: float) -> list[int]:
    distance = np.clip(1 - sim, 0, None)
    np.fill_diagonal(distance, 0)
    tree = linkage(squareform(distance, checks=False), method="average")
    return list(fcluster(tree, t=1 - threshold, criterion="distance"))


def headline_overlap(rows: list[dict], threshold: float) -> list[int]:
    """NewsBlur-style: headlines sharing enough words are one story (connected components)."""
    heads = [{w for w in words(r["title"]) if w not in STOPWORDS} for r in rows]
    parent = list(range(len(rows)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i in range(len(rows)):
        for j in range(i):
            if heads[i] and heads[j]:
                overlap = len(heads[i] & heads[j]) / len(heads[i] | heads[j])
                if overlap >= threshold:
                    parent[find(i)] = find(j)
    return [find(i) for i in range(len(rows))]


def best_of(name: str, gold: list, runs: dict[float, list]) -> tuple[str, float, list]:
    threshold = max(runs, key=lambda t: bcubed(runs[t], gold)[2])
    return f"{name} (t={threshold:g})", threshold, runs[threshold]


HALVES = (
    ("dev half (odd topics: tuned on)", lambda topic: int(topic) % 2 == 1),
    ("held-out half (even topics: never tuned on)", lambda topic: int(topic) % 2 == 0),
    ("all topics", lambda topic: True),
)


def embed(rows: list[dict]) -> np.ndarray | None:
    """Each row's sentence embedding with the `semantic` extra (None, said on stdout, without)."""
    from newsdesk.errors import ConfigError
    from newsdesk.match.semantic import Embedder, embedding_text

    try:
        embedder = Embedder.load()
    except ConfigError as error:
        print(f"newsdesk + embeddings left out: {error}\n")
        return None
    return embedder.embed([embedding_text(row["title"], row["text"]) for row in rows])


def tools(
    rows: list[dict], vectors: np.ndarray | None, seed: int, baselines: bool
) -> list[tuple[str, list, str]]:
    """(label, predicted labels, note) for newsdesk on both streams, with the embeddings when
    given, and the baselines at their best threshold in hindsight."""
    gold = [r["cluster"] for r in rows]
    results: list[tuple[str, list, str]] = []
    for mode in ("by event", "interleaved"):
        times = stream_times(rows, mode, random.Random(seed))
        pred, ms = run_newsdesk(rows, times)
        results.append((f"newsdesk StoryIndex, {mode}", pred, f"{ms:.2f} ms/article"))
        if vectors is not None:
            index = StoryIndex(StoryParams(semantic_weight=SEMANTIC_WEIGHT))
            pred, ms = run_newsdesk(rows, times, index=index, embeddings=vectors)
            label = f"newsdesk StoryIndex + embeddings (NEWSDESK_SEMANTIC), {mode}"
            results.append((label, pred, f"{ms:.2f} ms/article, embedding not counted"))
    if baselines:
        sim = tfidf_matrix(rows)
        sim = sim @ sim.T
        order = list(range(len(rows)))
        random.Random(seed).shuffle(order)
        grid = [round(0.05 * k, 2) for k in range(1, 13)]
        for name, runs in (
            ("tf-idf cosine, single pass", {t: single_pass(sim, t, order) for t in grid}),
            ("agglomerative, average link", {t: agglomerative(sim, t) for t in grid}),
            ("headline word overlap", {t: headline_overlap(rows, t) for t in grid}),
        ):
            label, _, pred = best_of(name, gold, runs)
            results.append((label, pred, "best threshold in hindsight"))
    return results


def print_table(title: str, rows: list[dict], results: list[tuple[str, list, str]]) -> None:
    gold = [r["cluster"] for r in rows]
    events = len(set(gold))
    pairs = len({r["topic"] for r in rows})
    print(f"### {title}: {len(rows)} articles, {events} events, {pairs} look-alike pairs\n")
    print(
        "| method | B3 P | B3 R | B3 F1 | pair P | pair R | pair F1 | stories "
        "| stories/events | pairs merged | note |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for label, pred, note in results:
        b = bcubed(pred, gold)
        p = pairwise(pred, gold)
        merged = merged_pairs(pred, rows)
        stories = len(set(pred))
        print(
            f"| {label} | {b[0]:.3f} | {b[1]:.3f} | {b[2]:.3f} | {p[0]:.3f} | {p[1]:.3f} | "
            f"{p[2]:.3f} | {stories} | {stories / events:.2f}x | {len(merged)}/{pairs} "
            f"| {note} |"
        )
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help=f"default {DEFAULT_DATA}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument(
        "--text",
        choices=("title", "lead", "body"),
        default="body",
        help="what each article brings: headline, headline and first sentence, or the whole body",
    )
    parser.add_argument(
        "--semantic",
        action="store_true",
        help="also newsdesk with sentence embeddings (the semantic extra)",
    )
    args = harness.parse_args(parser, argv, "")  # --smoke: a tiny set from the fixture stories
    with harness.data_folder(args.data, DEFAULT_DATA, args.smoke, harness.write_ecbplus) as data:
        rows = load_or_complain(data)
    if rows is None:
        return 2
    rows = cut_text(rows, args.text)
    vectors = embed(rows) if args.semantic else None
    print(f"ECB+, text: {args.text}; tuning was done on the dev half only\n")
    for title, wanted in HALVES:
        picked = [i for i, row in enumerate(rows) if wanted(row["topic"])]
        if not picked:
            continue
        part = [rows[i] for i in picked]
        given = None if vectors is None else vectors[picked]
        results = tools(part, given, args.seed, not args.no_baselines)
        print_table(title, part, results)
        for label, pred, _ in results[:2]:
            merged = merged_pairs(pred, part)
            print(f"look-alike pairs merged by {label}: {', '.join(merged) or 'none'}")
        print()
    print(f"reproduce: {harness.reproduce(__file__, argv)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
