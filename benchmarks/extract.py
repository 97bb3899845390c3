"""Article extraction, newsdesk side by side with its peers, on the same pages in one process.

    .venv/bin/python -m benchmarks.extract --set aeb --tools newsdesk,trafilatura,readability
    .venv/bin/python -m benchmarks.extract --set trafilatura-eval --limit 200
    .venv/bin/python -m benchmarks.extract --set trafilatura-eval --sample 4  # every 4th page

Body metrics follow the data sets' READMEs: AEB scores 4-token shingles (precision and recall
averaged over pages, F1 of the two means, accuracy = exact token match); trafilatura-eval counts
`with`/`without` snippets over all pages. Metadata (trafilatura-eval): headline exact after
whitespace normalisation, date same day, author set F1 (case and accents ignored).
"""

from __future__ import annotations

import argparse
import gc
import gzip
import importlib.metadata
import json
import re
import resource
import sys
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = {
    "aeb": ROOT.parent / "shared" / "bench" / "aeb",
    "trafilatura-eval": ROOT.parent / "shared" / "bench" / "trafilatura-eval",
}
TOOLS = ("newsdesk", "trafilatura", "readability", "newspaper4k")
SLOW_PAGE_S = 1.0  # the target: no page takes longer


@dataclass(slots=True)
class Page:
    url: str
    html: bytes
    gold_body: str | None = None  # AEB
    with_: list[str] = field(default_factory=list)  # trafilatura-eval
    without: list[str] = field(default_factory=list)
    meta: dict[str, str] | None = None  # title, author, date when labelled


@dataclass(slots=True)
class Result:
    text: str = ""
    title: str | None = None
    date: date | None = None
    authors: list[str] = field(default_factory=list)


# ---- data ---------------------------------------------------------------------------------------


def load_aeb(folder: Path, limit: int | None) -> list[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        pages.append(Page(truth[key]["url"], html, gold_body=truth[key]["articleBody"]))
    return pages


def load_trafilatura_eval(folder: Path, limit: int | None) -> list[Page]:
    data = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url in sorted(data)[:limit]:
        item = data[url]
        path = folder / item["file"]
        if not path.exists():
            continue
        meta = {k: item[k] for k in ("title", "author", "date") if k in item} or None
        pages.append(Page(url, gzip.decompress(path.read_bytes()), with_=item.get("with", []),
                          without=item.get("without", []), meta=meta))
    return pages


# ---- tools --------------------------------------------------------------------------------------


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value[:10])
    return None


def run_newsdesk(page: Page) -> Result:
    from newsdesk.extract import ExtractError, extract_article

    try:
        article = extract_article(page.html, page.url)
    except ExtractError:
        return Result()
    return Result(article.text, article.title, _day(article.published), article.authors)


def run_trafilatura(page: Page) -> Result:
    import trafilatura

    doc = trafilatura.bare_extraction(page.html, url=page.url, include_comments=False,
                                      with_metadata=True)
    if doc is None:
        return Result()
    authors = [a.strip() for a in re.split(r"[;,]", doc.author or "") if a.strip()]
    return Result(doc.text or "", doc.title, _day(doc.date), authors)


def run_readability(page: Page) -> Result:
    import lxml.html
    from readability import Document

    from newsdesk.encodings import decode_html

    doc = Document(decode_html(page.html, None))
    summary = doc.summary(html_partial=True)
    text = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
    return Result(text, doc.short_title())


def run_newspaper4k(page: Page) -> Result:
    import newspaper

    from newsdesk.encodings import decode_html

    article = newspaper.Article(page.url, fetch_images=False)
    article.download(input_html=decode_html(page.html, None))
    article.parse()
    return Result(article.text, article.title, _day(article.publish_date), list(article.authors))


RUNNERS: dict[str, Callable[[Page], Result]] = {
    "newsdesk": run_newsdesk, "trafilatura": run_trafilatura,
    "readability": run_readability, "newspaper4k": run_newspaper4k,
}
DISTRIBUTIONS = {"newsdesk": "newsdesk", "trafilatura": "trafilatura",
                 "readability": "readability-lxml", "newspaper4k": "newspaper4k"}


# ---- metrics ------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text)
    if len(tokens) < 4:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def aeb_scores(pages: list[Page], results: list[Result]) -> dict[str, float]:
    """Per-page shingle TP/FP/FN normalised by their sum; P and R averaged; F1 of the means."""
    precisions, recalls, exact = [], [], 0
    for page, result in zip(pages, results, strict=True):
        pred, gold = _shingles(result.text), _shingles(page.gold_body or "")
        tp = sum((pred & gold).values())
        fp = sum(pred.values()) - tp
        fn = sum(gold.values()) - tp
        total = tp + fp + fn
        if total:
            tp, fp, fn = tp / total, fp / total, fn / total
            if tp + fp > 0:
                precisions.append(tp / (tp + fp))
            if tp + fn > 0:
                recalls.append(tp / (tp + fn))
        exact += _WORD.findall(result.text) == _WORD.findall(page.gold_body or "")
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r,
            "accuracy": exact / len(pages) if pages else 0.0}


def _norm(text: str) -> str:
    return " ".join(text.split())


def snippet_scores(pages: list[Page], results: list[Result]) -> dict[str, float]:
    """trafilatura's evaluation: snippets found or missing, counted over all pages."""
    tp = fp = fn = tn = 0
    for page, result in zip(pages, results, strict=True):
        text = _norm(result.text)
        for snippet in page.with_:
            if _norm(snippet) in text:
                tp += 1
            else:
                fn += 1
        for snippet in page.without:
            if _norm(snippet) in text:
                fp += 1
            else:
                tn += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r,
            "accuracy": (tp + tn) / max(1, tp + fp + fn + tn)}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def _label(value: object) -> str:
    """A metadata label as text; a few pages list several values."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value) if value else ""


def metadata_scores(pages: list[Page], results: list[Result]) -> dict[str, float]:
    """Title exact, date same day, author set F1; an empty label expects nothing found."""
    title_ok = date_ok = 0
    author_f1: list[float] = []
    labelled = 0
    for page, result in zip(pages, results, strict=True):
        if not page.meta:
            continue
        labelled += 1
        gold_title = _norm(_label(page.meta.get("title")))
        title_ok += gold_title == _norm(result.title or "")
        gold_date = _label(page.meta.get("date"))
        date_ok += (result.date.isoformat() if result.date else "") == gold_date[:10]
        gold = {_fold(a) for a in re.split(r"[;,]", _label(page.meta.get("author"))) if a.strip()}
        pred = {_fold(a) for a in result.authors if a.strip()}
        if not gold and not pred:
            author_f1.append(1.0)
        elif not gold or not pred:
            author_f1.append(0.0)
        else:
            both = len(gold & pred)
            author_f1.append(2 * both / (len(gold) + len(pred)))
    if not labelled:
        return {}
    return {"title": title_ok / labelled, "date": date_ok / labelled,
            "author": sum(author_f1) / labelled}


# ---- run ----------------------------------------------------------------------------------------


def _version(tool: str) -> str:
    try:
        return importlib.metadata.version(DISTRIBUTIONS[tool])
    except importlib.metadata.PackageNotFoundError:
        return "?"


def run_tool(tool: str, pages: list[Page]) -> tuple[list[Result], dict[str, float]]:
    runner = RUNNERS[tool]
    runner(pages[0])  # imports and lazy models load outside the timed loop
    if tool == "newsdesk":
        import trafilatura  # noqa: F401 - newsdesk's fallback, imported on first use
    results, errors, times, cpu = [], 0, [], []
    gc.collect()
    start = time.perf_counter()
    for page in pages:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            result = runner(page)
        except Exception:  # noqa: BLE001 - a peer failing on a page scores an empty result
            errors += 1
            result = Result()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)  # what the page costs, whatever else the host runs
        results.append(result)
    elapsed = time.perf_counter() - start
    slowest = max(range(len(pages)), key=times.__getitem__)
    costliest = max(range(len(pages)), key=cpu.__getitem__)
    stats = {"pages_per_s": len(pages) / elapsed, "errors": errors,
             "slowest_ms": times[slowest] * 1000, "slowest_url": pages[slowest].url,
             "over_1s": sum(t > SLOW_PAGE_S for t in times),
             "cpu_ms": cpu[costliest] * 1000, "cpu_url": pages[costliest].url,
             "cpu_over_1s": sum(t > SLOW_PAGE_S for t in cpu),
             "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    return results, stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", default="aeb", choices=sorted(DEFAULT_DATA))
    parser.add_argument("--tools", default="newsdesk,trafilatura,readability,newspaper4k")
    parser.add_argument("--data", type=Path, help="the data set folder")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--sample", type=int, default=1, metavar="K",
                        help="only every K-th page (a spread-out subset for quick runs)")
    args = parser.parse_args(argv)
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t not in RUNNERS]
    if unknown:
        parser.error(f"unknown tool(s): {', '.join(unknown)}; known: {', '.join(TOOLS)}")
    folder = args.data or DEFAULT_DATA[args.set]
    loader = load_aeb if args.set == "aeb" else load_trafilatura_eval
    pages = loader(folder, args.limit)[:: max(1, args.sample)]
    warnings.filterwarnings("ignore")
    import logging

    logging.disable(logging.CRITICAL)  # peers log every page they dislike

    rows = []
    for tool in tools:
        results, stats = run_tool(tool, pages)
        scores = aeb_scores(pages, results) if args.set == "aeb" else snippet_scores(pages, results)
        if args.set == "trafilatura-eval":
            scores |= metadata_scores(pages, results)
        rows.append((tool, _version(tool), scores, stats))

    base = next((r[3]["pages_per_s"] for r in rows if r[0] == "newsdesk"), None)
    meta = args.set == "trafilatura-eval"
    head = ["tool", "version", "F1", "precision", "recall", "accuracy"]
    head += ["title", "date", "author"] if meta else []
    head += ["pages/s", "vs newsdesk", "errors", "slowest ms", "pages > 1 s", "peak RSS MB"]
    print(f"set: {args.set} ({len(pages)} pages), one process, one core")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for tool, version, scores, stats in rows:
        cells = [tool, version] + [f"{scores[k]:.3f}" for k in ("f1", "precision", "recall",
                                                                  "accuracy")]
        if meta:
            cells += [f"{scores.get(k, 0):.3f}" for k in ("title", "date", "author")]
        ratio = f"{stats['pages_per_s'] / base:.2f}x" if base else "-"
        cells += [f"{stats['pages_per_s']:.1f}", ratio, str(stats["errors"]),
                  f"{stats['slowest_ms']:.0f}", str(stats["over_1s"]),
                  f"{stats['peak_rss_mb']:.0f}"]
        print("| " + " | ".join(cells) + " |")
    print()
    for tool, _, _, stats in rows:
        print(f"{tool}: slowest page {stats['slowest_ms']:.0f} ms wall ({stats['slowest_url']}); "
              f"most CPU {stats['cpu_ms']:.0f} ms ({stats['cpu_url']}); "
              f"pages over 1 s: {stats['over_1s']} wall, {stats['cpu_over_1s']} CPU")
    given = sys.argv[1:] if argv is None else argv
    print(f"\nreproduce: .venv/bin/python -m benchmarks.extract {' '.join(given)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
