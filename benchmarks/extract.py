"""Article extraction, newsdesk side by side with its peers, on the same pages in one process.

    .venv/bin/python benchmarks/extract.py --set aeb --tools newsdesk,trafilatura,readability
    .venv/bin/python benchmarks/extract.py --set trafilatura-eval --limit 200
    .venv/bin/python benchmarks/extract.py --set trafilatura-eval --sample 4  # every 4th page
    .venv/bin/python benchmarks/extract.py --set readability-tests --sites --catastrophes
    .venv/bin/python benchmarks/extract.py --set trafilatura-eval --smoke  # seconds, tiny set

Body metrics follow the data sets' READMEs: AEB scores 4-token shingles (precision and recall
averaged over pages, F1 of the two means, accuracy = exact token match); trafilatura-eval counts
`with`/`without` snippets over all pages; readability-tests compares bags of words with the text
of Readability's expected output (precision and recall averaged over pages, F1 of the means).
Metadata (trafilatura-eval, readability-tests): headline exact after whitespace normalisation,
date same day, author set F1 (case and accents ignored; readability-tests: pages with a byline).

--sites scores by leaving sites out: pages are grouped by site (registrable domain, or the
folder's name without its number), sites are dealt into folds, and the table gives the whole set
beside the sites no rule was written for (a site is "seen" when the project's code, tests, docs
or history name it, or benchmarks/extract_seen_sites.txt lists it), and each fold without its
seen sites.
--catastrophes lists, per tool, the pages where its body recall is below 0.5 while the best
other tool's is above 0.8 (per-page recall: AEB shingles, trafilatura-eval `with` snippets,
readability-tests words).
"""

from __future__ import annotations

import argparse
import contextlib
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
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402

DEFAULT_DATA = {
    "aeb": ROOT.parent / "shared" / "bench" / "aeb",
    "trafilatura-eval": ROOT.parent / "shared" / "bench" / "trafilatura-eval",
    "readability-tests": ROOT.parent / "shared" / "bench" / "readability-tests",
}
READABILITY_URL = "http://fakehost/test/page.html"  # the address Readability's own tests use
SEEN_SITES = Path(__file__).with_name("extract_seen_sites.txt")
FOLDS = 5
CATASTROPHE_RECALL, CATASTROPHE_BEST = 0.5, 0.8
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
    site: str = ""  # what --sites groups by


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
        url = truth[key]["url"]
        pages.append(Page(url, html, gold_body=truth[key]["articleBody"], site=site_key(url)))
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
                          without=item.get("without", []), meta=meta, site=site_key(url)))
    return pages


def load_readability_tests(folder: Path, limit: int | None) -> list[Page]:
    """Readability's test pages: the gold body is the text of its expected output, the byline
    its expected metadata's; the folder names the site (nytimes-1 -> nytimes)."""
    import lxml.html

    pages = []
    for case in sorted(p for p in (folder / "pages").iterdir() if p.is_dir())[:limit]:
        expected = gzip.decompress((case / "expected.html.gz").read_bytes()).decode("utf-8")
        gold = lxml.html.fromstring(expected).text_content() if expected.strip() else ""
        info = json.loads((case / "expected-metadata.json").read_text(encoding="utf-8"))
        meta = {"title": info.get("title") or "", "byline": info.get("byline") or ""}
        pages.append(Page(f"{READABILITY_URL}#{case.name}",
                          gzip.decompress((case / "source.html.gz").read_bytes()),
                          gold_body=gold, meta=meta, site=re.sub(r"-\d+$", "", case.name)))
    return pages


LOADERS: dict[str, Callable[[Path, int | None], list[Page]]] = {
    "aeb": load_aeb, "trafilatura-eval": load_trafilatura_eval,
    "readability-tests": load_readability_tests,
}
# --smoke: the tiny set of each kind (benchmarks/harness.py)
TINY_SETS: dict[str, Callable[[Path], Path]] = {
    "aeb": harness.write_aeb, "trafilatura-eval": harness.write_trafilatura_eval,
    "readability-tests": harness.write_readability_tests,
}

_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go"}


def site_key(url: str) -> str:
    """The registrable part of a URL's host: www.bbc.co.uk -> bbc.co.uk."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname
    if not host:  # a page named like "hard::elfaro.net-asamblea.html": its domain-like part
        found = re.search(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", url.lower().removesuffix(".html"))
        host = found.group(0) if found else url
    labels = host.removeprefix("www.").split(".")
    keep = 3 if len(labels) > 2 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


# ---- tools --------------------------------------------------------------------------------------


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value[:10])
    return None


def _url(page: Page) -> str:
    return page.url.split("#")[0]


def run_newsdesk(page: Page) -> Result:
    from newsdesk.extract import ExtractError, extract_article

    try:
        article = extract_article(page.html, _url(page))
    except ExtractError:
        return Result()
    return Result(article.text, article.title, _day(article.published), article.authors)


def run_trafilatura(page: Page) -> Result:
    import trafilatura

    doc = trafilatura.bare_extraction(page.html, url=_url(page), include_comments=False,
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

    article = newspaper.Article(_url(page), fetch_images=False)
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


def _bag(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in _WORD.findall(text))


def bag_scores(pages: list[Page], results: list[Result]) -> dict[str, float]:
    """Bags of words against the gold text: precision and recall averaged over pages, F1 of the
    means (as AEB's); accuracy = the same bag."""
    precisions, recalls, exact = [], [], 0
    for page, result in zip(pages, results, strict=True):
        pred, gold = _bag(result.text), _bag(page.gold_body or "")
        both = sum((pred & gold).values())
        if pred:
            precisions.append(both / sum(pred.values()))
        if gold:
            recalls.append(both / sum(gold.values()))
        exact += pred == gold
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r,
            "accuracy": exact / len(pages) if pages else 0.0}


def page_recall(kind: str, page: Page, result: Result) -> float | None:
    """How much of one page's story a result holds; None when the page has no gold body."""
    if kind == "trafilatura-eval":
        if not page.with_:
            return None
        text = _norm(result.text)
        return sum(_norm(s) in text for s in page.with_) / len(page.with_)
    if kind == "aeb":
        gold = _shingles(page.gold_body or "")
        return sum((_shingles(result.text) & gold).values()) / sum(gold.values()) if gold else None
    gold_words = _bag(page.gold_body or "")
    if not gold_words:
        return None
    return sum((_bag(result.text) & gold_words).values()) / sum(gold_words.values())


def body_scores(kind: str, pages: list[Page], results: list[Result]) -> dict[str, float]:
    if kind == "aeb":
        return aeb_scores(pages, results)
    if kind == "trafilatura-eval":
        return snippet_scores(pages, results)
    return bag_scores(pages, results)


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


def _author_f1(gold: set[str], pred: set[str]) -> float:
    if not gold and not pred:
        return 1.0
    if not gold or not pred:
        return 0.0
    return 2 * len(gold & pred) / (len(gold) + len(pred))


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
        author_f1.append(_author_f1(gold, {_fold(a) for a in result.authors if a.strip()}))
    if not labelled:
        return {}
    return {"title": title_ok / labelled, "date": date_ok / labelled,
            "author": sum(author_f1) / labelled}


_BYLINE_SPLIT = re.compile(r"\s*(?:[;,&]|\band\b|\bund\b|\by\b|\bet\b)\s*")


def byline_scores(pages: list[Page], results: list[Result]) -> dict[str, float]:
    """readability-tests: title exact on every page; author set F1 on the pages with a byline
    (a missing byline there means Readability found none, not that the page has none)."""
    title_ok, author_f1 = 0, []
    for page, result in zip(pages, results, strict=True):
        meta = page.meta or {}
        title_ok += _norm(meta.get("title", "")) == _norm(result.title or "")
        byline = re.sub(r"^\s*by\s+", "", meta.get("byline", ""), flags=re.IGNORECASE)
        if byline.strip():
            gold = {_fold(a) for a in _BYLINE_SPLIT.split(byline) if a.strip()}
            author_f1.append(_author_f1(gold, {_fold(a) for a in result.authors if a.strip()}))
    return {"title": title_ok / len(pages) if pages else 0.0,
            "author": sum(author_f1) / len(author_f1) if author_f1 else 0.0}


def all_scores(kind: str, pages: list[Page], results: list[Result]) -> dict[str, float]:
    scores = body_scores(kind, pages, results)
    if kind == "trafilatura-eval":
        scores |= metadata_scores(pages, results)
    elif kind == "readability-tests":
        scores |= byline_scores(pages, results)
    return scores


# ---- leaving sites out, catastrophes -----------------------------------------------------------

_DOMAIN = re.compile(r"\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b")


def seen_sites() -> set[str]:
    """Sites a rule was written for: those benchmarks/extract_seen_sites.txt lists (folder names
    or domains), and every domain the project's code, tests, docs and commit messages name."""
    import subprocess

    seen = {line.split("#")[0].strip().lower() for line in SEEN_SITES.read_text().splitlines()
            } if SEEN_SITES.exists() else set()
    texts = []
    for folder in ("src", "tests", "docs"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".md", ".html", ".txt", ".json", ".xml", ".opml"):
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
    with contextlib.suppress(OSError):  # no git: the files and the list only
        texts.append(subprocess.run(["git", "-C", str(ROOT), "log", "--format=%B"],
                                    capture_output=True, text=True, check=False).stdout)
    for text in texts:
        seen.update(site_key("http://" + d) for d in _DOMAIN.findall(text.lower()))
    return seen - {""}


def site_folds(pages: list[Page], folds: int = FOLDS) -> list[int]:
    """Each page's fold: sites dealt round-robin in order of their name's hash, so a site's pages
    stay together and the folds do not depend on the pages sampled."""
    import zlib

    sites = sorted({p.site for p in pages}, key=lambda s: (zlib.crc32(s.encode()), s))
    fold_of = {site: i % folds for i, site in enumerate(sites)}
    return [fold_of[p.site] for p in pages]


def sites_table(kind: str, pages: list[Page], rows: list[tuple[str, list[Result]]]) -> None:
    """The whole set beside its unseen sites (pages of sites no rule was written for), and each
    fold of sites with its seen sites left out: how the figure varies from sites to sites."""
    seen = seen_sites()
    fold = site_folds(pages)
    unseen = [i for i, p in enumerate(pages) if p.site not in seen]
    seen_here = sorted({p.site for p in pages if p.site in seen})
    print(f"\nleaving sites out: {len({p.site for p in pages})} sites in {FOLDS} folds; "
          f"{len(seen_here)} sites a rule was written for ({', '.join(seen_here) or 'none'}), "
          f"left out of the folds; {len(unseen)} pages of "
          f"{len({pages[i].site for i in unseen})} other sites")
    head = ["tool", "whole set F1", "unseen sites F1", "difference"]
    head += [f"fold {f} F1" for f in range(FOLDS)] + ["worst fold"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for tool, results in rows:
        whole = body_scores(kind, pages, results)["f1"]
        part = body_scores(kind, [pages[i] for i in unseen], [results[i] for i in unseen])["f1"]
        cells = [tool, f"{whole:.3f}", f"{part:.3f}", f"{part - whole:+.3f}"]
        folds = []
        for f in range(FOLDS):
            idx = [i for i in unseen if fold[i] == f]
            score = body_scores(kind, [pages[i] for i in idx], [results[i] for i in idx])["f1"]
            folds.append(score)
            cells.append(f"{score:.3f}")
        cells.append(f"{min(folds):.3f}")
        print("| " + " | ".join(cells) + " |")


def catastrophes(kind: str, pages: list[Page], rows: list[tuple[str, list[Result]]]
                 ) -> dict[str, list[tuple[Page, float, str, float]]]:
    """Per tool: the pages it all but misses (recall < 0.5) while another tool gets them
    (recall > 0.8): the page, its recall, the best other tool and that tool's recall."""
    recalls = {tool: [page_recall(kind, p, r) for p, r in zip(pages, results, strict=True)]
               for tool, results in rows}
    found: dict[str, list[tuple[Page, float, str, float]]] = {tool: [] for tool, _ in rows}
    for i, page in enumerate(pages):
        for tool in recalls:
            mine = recalls[tool][i]
            others = [(recalls[t][i], t) for t in recalls
                      if t != tool and recalls[t][i] is not None]
            if mine is None or not others:
                continue
            best, by = max(others)
            if mine < CATASTROPHE_RECALL and best > CATASTROPHE_BEST:
                found[tool].append((page, mine, by, best))
    return found


def print_catastrophes(kind: str, pages: list[Page],
                       rows: list[tuple[str, list[Result]]]) -> None:
    found = catastrophes(kind, pages, rows)
    counts = ", ".join(f"{tool} {len(items)}" for tool, items in found.items())
    print(f"\ncatastrophes (body recall < {CATASTROPHE_RECALL} while the best other tool's > "
          f"{CATASTROPHE_BEST}), set {kind}: {counts}")
    for tool, items in found.items():
        for page, mine, by, best in items:
            print(f"  {tool}: {page.url} recall {mine:.2f} ({by} {best:.2f})")


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
    parser.add_argument("--sites", action="store_true",
                        help="also score by leaving sites out: the whole set beside the folds of "
                             "sites no rule was written for")
    parser.add_argument("--catastrophes", action="store_true",
                        help="also list each tool's pages with body recall < 0.5 where the best "
                             "other tool's is > 0.8")
    parser.add_argument("--tools", default="newsdesk,trafilatura,readability,newspaper4k")
    parser.add_argument("--data", type=Path, help="the data set folder")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--sample", type=int, default=1, metavar="K",
                        help="only every K-th page (a spread-out subset for quick runs)")
    args = harness.parse_args(parser, argv, "")  # --smoke: a tiny set from the fixture stories
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t not in RUNNERS]
    if unknown:
        parser.error(f"unknown tool(s): {', '.join(unknown)}; known: {', '.join(TOOLS)}")
    tiny = TINY_SETS[args.set]
    with harness.data_folder(args.data, DEFAULT_DATA[args.set], args.smoke, tiny) as folder:
        pages = LOADERS[args.set](folder, args.limit)[:: max(1, args.sample)]
    warnings.filterwarnings("ignore")
    import logging

    logging.disable(logging.CRITICAL)  # peers log every page they dislike

    rows, outputs = [], []
    for tool in tools:
        results, stats = run_tool(tool, pages)
        rows.append((tool, _version(tool), all_scores(args.set, pages, results), stats))
        outputs.append((tool, results))

    base = next((r[3]["pages_per_s"] for r in rows if r[0] == "newsdesk"), None)
    meta = {"trafilatura-eval": ("title", "date", "author"),
            "readability-tests": ("title", "author")}.get(args.set, ())
    head = ["tool", "version", "F1", "precision", "recall", "accuracy", *meta]
    head += ["pages/s", "vs newsdesk", "errors", "slowest ms", "pages > 1 s", "peak RSS MB"]
    print(f"set: {args.set} ({len(pages)} pages), one process, one core")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for tool, version, scores, stats in rows:
        cells = [tool, version] + [f"{scores[k]:.3f}" for k in ("f1", "precision", "recall",
                                                                  "accuracy")]
        cells += [f"{scores.get(k, 0):.3f}" for k in meta]
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
    if args.sites:
        sites_table(args.set, pages, outputs)
    if args.catastrophes:
        print_catastrophes(args.set, pages, outputs)
    print(f"\nreproduce: {harness.reproduce(__file__, argv)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
