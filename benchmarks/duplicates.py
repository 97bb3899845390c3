"""Near-duplicate detection on copies made from real article bodies, per edit kind and strength.

    .venv/bin/python benchmarks/duplicates.py [--aeb ../shared/bench/aeb]
        [--ecbplus ../shared/bench/ecbplus] [--seed 1]

Originals: the hand-checked bodies of AEB (real articles from 126 sites), headlines taken from
their URL slugs. Copies of each are made by the edits syndication makes: another headline, a
rewritten opening, a cut ending, added boilerplate, another site's byline and dateline, and
all of those at once, each at several strengths. Distinct articles on the same subject come
from ECB+ (several outlets reporting one event, 982 articles): folding any two of them is a
false positive. Everything goes through one index in random order; a document is counted as
found when it lands in its source's group, and a fold is correct when both sides share a source.
Exact-hash (normalised body) and title-only matching run on the same documents.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402
from newsdesk.match.dedup import DuplicateIndex  # noqa: E402
from newsdesk.match.text import normalise_title, words  # noqa: E402

DEFAULT_AEB = ROOT.parent / "shared" / "bench" / "aeb"
DEFAULT_ECB = ROOT.parent / "shared" / "bench" / "ecbplus"

BOILERPLATE = [
    "Advertisement",
    "Sign up for our daily newsletter to get the latest headlines delivered to your inbox.",
    "Read more: The ten stories everyone is talking about this week",
    "Follow us on Twitter and Facebook for breaking news and live updates.",
    "This article is reproduced with permission of the original publisher. All rights reserved.",
    "Related: Markets close higher as investors weigh the latest earnings reports",
    "Have a news tip? Contact our newsroom at any time, day or night.",
    "Subscribe now for unlimited access to our award-winning journalism.",
    "We use cookies to improve your experience on our site and to show you relevant advertising.",
    "Most read: Weather warning issued for the weekend as storms move east",
]
OUTLETS = ["The Daily Courier", "Metro Wire", "Northern Herald", "Coastline Times", "Capital Post"]
NAMES = ["Maria Lopez", "James Okafor", "Anna Schmidt", "Kenji Watanabe", "Priya Nair"]


@dataclass(slots=True)
class Doc:
    id: int
    family: int  # the source article; distinct same-subject articles each have their own
    kind: str  # "original", "same-subject", or the edit kind
    strength: str
    kept: float  # share of the source's words the copy keeps
    title: str
    text: str


def slug_title(url: str) -> str:
    path = urlsplit(url).path.rstrip("/").split("/")
    slug = max(path, key=lambda part: part.count("-")) if path else ""
    return re.sub(r"[-_]+", " ", re.sub(r"\.\w+$|\d{6,}", "", slug)).strip().capitalize() or url


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def cut(text: str, keep: float) -> str:
    tokens = text.split(" ")
    return " ".join(tokens[: max(1, int(len(tokens) * keep))])


def rewrite_opening(text: str, share: float, rng: random.Random) -> str:
    """Rewrite the opening `share` of the words: the same words, reordered, so no phrase survives
    (a harsher rewrite than an editor's, who keeps names and quotes)."""
    tokens = text.split(" ")
    count = int(len(tokens) * share)
    fresh = tokens[:count]
    rng.shuffle(fresh)
    return " ".join(fresh + tokens[count:])


def add_boilerplate(text: str, share: float, rng: random.Random) -> str:
    paras = paragraphs(text)
    target = int(len(text.split()) * share)
    added = 0
    while added < target:
        line = rng.choice(BOILERPLATE)
        paras.insert(rng.randrange(len(paras) + 1), line)
        added += len(line.split())
    return "\n\n".join(paras)


def rebyline(text: str, rng: random.Random, strength: str) -> str:
    paras = paragraphs(text)
    by = f"By {rng.choice(NAMES)}, {rng.choice(OUTLETS)}"
    if strength == "byline":
        return "\n\n".join([by] + paras)
    first = re.sub(r"^\s*\(?[A-Z][\w ]*\)?\s*[—–-]\s*", "", paras[0])
    paras[0] = f"WASHINGTON ({rng.choice(OUTLETS)}) — {first}"
    tail = f"(Reporting by {rng.choice(NAMES)}; Editing by {rng.choice(NAMES)})"
    return "\n\n".join([by] + paras + [tail, f"Copyright {rng.choice(OUTLETS)} 2024"])


def build(aeb: Path, ecb: Path, rng: random.Random) -> list[Doc]:
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    sources = [
        (slug_title(item["url"]), item["articleBody"])
        for item in truth.values()
        if len(item["articleBody"].split()) >= 150
    ]
    docs: list[Doc] = []

    def add(family: int, kind: str, strength: str, kept: float, title: str, text: str) -> None:
        docs.append(Doc(len(docs), family, kind, strength, kept, title, text))

    for family, (title, body) in enumerate(sources):
        add(family, "original", "", 1.0, title, body)
        add(family, "new headline", "", 1.0, f"{rng.choice(OUTLETS)}: {title} (update)", body)
        for share in (0.1, 0.2, 0.3, 0.5):
            add(family, "rewritten opening", f"{share:.0%}", 1 - share, title,
                rewrite_opening(body, share, rng))
        for keep in (0.9, 0.7, 0.5):
            add(family, "cut ending", f"keep {keep:.0%}", keep, title, cut(body, keep))
        for share in (0.1, 0.3, 0.5):
            add(family, "extra boilerplate", f"+{share:.0%}", 1.0, title,
                add_boilerplate(body, share, rng))
        for strength in ("byline", "byline+dateline+credits"):
            add(family, "other byline", strength, 1.0, title, rebyline(body, rng, strength))
        mixed = rebyline(add_boilerplate(cut(rewrite_opening(body, 0.1, rng), 0.8), 0.2, rng),
                         rng, "byline+dateline+credits")
        add(family, "all of these", "new title, -10% open, keep 80%, +20%", 0.7,
            f"{title} - {rng.choice(OUTLETS)}", mixed)
    rows = [json.loads(line) for line in (ecb / "index.jsonl").open(encoding="utf-8")]
    for offset, family in enumerate(wire_families(rows)):
        row = rows[offset]
        add(len(sources) + family, "same-subject", "", 1.0, row["title"], row["text"])
    return docs


def wire_families(rows: list[dict], ratio: float = 0.5) -> list[int]:
    """ECB+ holds some copies of one wire story in several outlets: those are duplicates, not
    distinct articles. They are found independently of MinHash, by difflib's matching-blocks
    ratio over the word sequences (>= 0.5) within one event, and share a family."""
    parent = list(range(len(rows)))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    by_event = defaultdict(list)
    for i, row in enumerate(rows):
        by_event[row["cluster"]].append(i)
    tokens = [words(row["text"]) for row in rows]
    for members in by_event.values():
        for a_pos, a in enumerate(members):
            for b in members[:a_pos]:
                matcher = difflib.SequenceMatcher(None, tokens[a], tokens[b], autojunk=False)
                if matcher.quick_ratio() >= ratio and matcher.ratio() >= ratio:
                    parent[find(a)] = find(b)
    roots = [find(i) for i in range(len(rows))]
    return roots


def run(method: str, docs: list[Doc], order: list[int]) -> tuple[dict[int, int], float]:
    """doc id -> the doc id it was folded into (absent when kept as an original)."""
    folded: dict[int, int] = {}
    started = time.perf_counter()
    if method == "newsdesk":
        index = DuplicateIndex()
        for i in order:
            match = index.add(i, docs[i].text, docs[i].title)
            if match:
                folded[i] = match.original_id
    else:
        seen: dict[str, int] = {}
        for i in order:
            if method == "exact hash":
                key = " ".join(words(docs[i].text))
            else:
                key = normalise_title(docs[i].title)
            if not key:
                continue
            if key in seen:
                folded[i] = seen[key]
            else:
                seen[key] = i
    return folded, (time.perf_counter() - started) / len(order) * 1000


def score(docs: list[Doc], folded: dict[int, int], order: list[int]) -> dict:
    # A copy counts as found when it, or its source, was folded into the other's group.
    group = {}
    for i in order:
        group[i] = group.get(folded[i], folded[i]) if i in folded else i
    family_groups: dict[int, set[int]] = defaultdict(set)
    for doc in docs:
        family_groups[doc.family].add(group[doc.id])
    original_of: dict[int, int] = {}
    for doc in docs:  # the AEB original, or the first ECB+ article of a wire family
        if doc.kind == "original" or (doc.kind == "same-subject" and doc.family not in original_of):
            original_of[doc.family] = doc.id
    # per (kind, strength): copies found, copies, correct folds, folds
    rows: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for doc in docs:
        key = (doc.kind, doc.strength)
        if doc.kind not in ("original", "same-subject") or (
            doc.kind == "same-subject" and original_of.get(doc.family, doc.id) != doc.id
        ):
            rows[key][1] += 1
            rows[key][0] += group[doc.id] == group[original_of[doc.family]]
        if doc.id in folded:
            rows[key][3] += 1
            rows[key][2] += docs[folded[doc.id]].family == doc.family
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aeb", type=Path, help=f"default {DEFAULT_AEB}")
    parser.add_argument("--ecbplus", type=Path, help=f"default {DEFAULT_ECB}")
    parser.add_argument("--seed", type=int, default=1)
    args = harness.parse_args(parser, argv, "")  # --smoke: tiny sets from the fixture stories
    rng = random.Random(args.seed)
    smoke = args.smoke
    with (
        harness.data_folder(args.aeb, DEFAULT_AEB, smoke, harness.write_aeb) as aeb,
        harness.data_folder(args.ecbplus, DEFAULT_ECB, smoke, harness.write_ecbplus) as ecbplus,
    ):
        for path in (aeb / "ground-truth.json", ecbplus / "index.jsonl"):
            if not path.is_file():
                print(f"missing {path}", file=sys.stderr)
                return 2
        docs = build(aeb, ecbplus, rng)
    order = list(range(len(docs)))
    rng.shuffle(order)
    methods = ("newsdesk", "exact hash", "title only")
    results = {}
    for method in methods:
        folded, ms = run(method, docs, order)
        results[method] = (score(docs, folded, order), ms)
    copies = sum(1 for d in docs if d.kind not in ("original", "same-subject"))
    ecb_docs = [d for d in docs if d.kind == "same-subject"]
    wire = len(ecb_docs) - len({d.family for d in ecb_docs})
    print(f"{sum(d.kind == 'original' for d in docs)} AEB originals, {copies} copies, "
          f"{len(ecb_docs)} same-subject ECB+ articles ({wire} of them copies of another "
          "ECB+ article by difflib, which count as duplicates)\n")
    print("recall per edit (share of copies grouped with their source); P = correct folds / folds")
    print("| edit | strength | kept | n | " + " | ".join(f"{m} R | {m} P" for m in methods) + " |")
    print("|---|---|---|---|" + "---|---|" * len(methods))
    keys = list(dict.fromkeys((d.kind, d.strength, round(d.kept, 2)) for d in docs))
    for kind, strength, kept in keys:
        cells = []
        for method in methods:
            found, n, ok, folds = results[method][0][(kind, strength)]
            recall = f"{found / n:.3f}" if n else "-"
            precision = f"{ok / folds:.3f}" if folds else "-"
            cells += [recall, precision]
        n = results["newsdesk"][0][(kind, strength)][1] or sum(
            1 for d in docs if d.kind == kind
        )
        print(f"| {kind} | {strength or '-'} | {kept:.0%} | {n} | " + " | ".join(cells) + " |")
    print("\n| method | P (all folds) | R (copies keeping >= 70%) | R (all copies) | "
          "false folds | ms/article |")
    print("|---|---|---|---|---|---|")
    kept70 = {(d.kind, d.strength) for d in docs if d.kept >= 0.7 and d.kind not in
              ("original", "same-subject")}
    for method in methods:
        rows, ms = results[method]
        ok = sum(r[2] for r in rows.values())
        folds = sum(r[3] for r in rows.values())
        f70 = sum(rows[k][0] for k in kept70)
        n70 = sum(rows[k][1] for k in kept70)
        fall = sum(r[0] for r in rows.values())
        nall = sum(r[1] for r in rows.values())
        precision = ok / folds if folds else 0.0
        print(f"| {method} | {precision:.4f} | {f70 / n70:.4f} | {fall / nall:.4f} | "
              f"{folds - ok} | {ms:.2f} |")
    print(f"\nreproduce: {harness.reproduce(__file__, argv)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
