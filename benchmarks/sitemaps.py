"""Sitemaps read by newsdesk and by ultimate-sitemap-parser, on the same documents in one run.

The documents are written here: a Google News sitemap of N URLs (each with its title,
publication date and language), the same gzipped, a sitemap index of N/100 sitemaps with their
<lastmod>, and the news sitemap cut off part way (a server that timed out). Each tool reads each
document from memory: newsdesk's `parse_sitemap` from the bytes, ultimate-sitemap-parser's
`SitemapStrParser` (its parser for a document handed to it, no HTTP) from the text it would
decode itself (for the gzip file, the text inside). Printed per document and tool: the URLs (or
sitemaps) found, the news titles and dates found, the child sitemaps' <lastmod> kept, whether a
cut-off document is reported, CPU seconds, URLs per CPU second and the ratio to newsdesk.

    .venv/bin/python benchmarks/sitemaps.py              # 50,000 URLs (the protocol's most)
    .venv/bin/python benchmarks/sitemaps.py --urls 5000
"""

from __future__ import annotations

import argparse
import gzip
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402

SITE = "https://news.example"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
XML = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass
class Reading:
    urls: int  # URLs, or an index's sitemaps
    titled: int  # URLs with a news title and publication date
    lastmods: int  # an index's sitemaps with their <lastmod>
    reported: bool  # the document said to be broken
    cpu: float


def news_sitemap(count: int) -> bytes:
    rows = "".join(
        f"<url><loc>{SITE}/2026/12/story-{n}</loc><lastmod>2026-12-08T09:00:00Z</lastmod>"
        f"<news:news><news:publication><news:name>Example News</news:name>"
        f"<news:language>en</news:language></news:publication>"
        f"<news:publication_date>2026-12-08T08:{n % 60:02d}:00+01:00</news:publication_date>"
        f"<news:title>Story {n}: the harbour council meets again</news:title>"
        f"</news:news></url>\n"
        for n in range(count)
    )
    return f"{XML}<urlset {NS} {NEWS}>\n{rows}</urlset>\n".encode()


def index(count: int) -> bytes:
    rows = "".join(
        f"<sitemap><loc>{SITE}/sitemaps/posts-{n}.xml</loc>"
        f"<lastmod>2026-{n % 12 + 1:02d}-{n % 28 + 1:02d}</lastmod></sitemap>\n"
        for n in range(count)
    )
    return f"{XML}<sitemapindex {NS}>\n{rows}</sitemapindex>\n".encode()


def newsdesk_reader(content: bytes) -> Reading:
    from newsdesk.feeds.sitemaps import parse_sitemap

    started = time.process_time()
    sitemap = parse_sitemap(content, f"{SITE}/sitemap.xml")
    cpu = time.process_time() - started
    if sitemap.index:
        found = sitemap.children
        return Reading(len(found), 0, sum(bool(c.lastmod) for c in found), False, cpu)
    titled = sum(bool(e.title and e.published) for e in sitemap.entries)
    broken = bool(sitemap.problem and "malformed" in sitemap.problem)
    return Reading(len(sitemap.entries), titled, 0, broken, cpu)


def usp_reader(content: bytes) -> Reading:
    from usp.fetch_parse import SitemapStrParser
    from usp.objects.sitemap import IndexXMLSitemap

    if content[:2] == b"\x1f\x8b":  # handed the text, as its fetcher would have unpacked it
        content = gzip.decompress(content)
    started = time.process_time()
    text = content.decode("utf-8-sig", errors="replace")  # what its fetcher does
    errors = _Errors()
    logging.getLogger("usp").addHandler(errors)
    try:
        sitemap = SitemapStrParser(text).sitemap()
    finally:
        logging.getLogger("usp").removeHandler(errors)
    cpu = time.process_time() - started
    if isinstance(sitemap, IndexXMLSitemap):
        children = sitemap.sub_sitemaps
        kept = sum(bool(getattr(c, "last_modified", None)) for c in children)
        return Reading(len(children), 0, kept, False, cpu)
    pages = list(sitemap.all_pages())
    titled = sum(bool(p.news_story and p.news_story.publish_date) for p in pages)
    # it logs a parse error and returns what it read as a normal sitemap: nothing to report by
    return Reading(len(pages), titled, 0, False, cpu)


class _Errors(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        pass  # its error log is not a result a caller gets; kept quiet here


TOOLS: dict[str, Callable[[bytes], Reading]] = {
    "newsdesk": newsdesk_reader,
    "ultimate-sitemap-parser": usp_reader,
}


def best_of(reader: Callable[[bytes], Reading], content: bytes, runs: int) -> Reading:
    readings = [reader(content) for _ in range(runs)]
    return min(readings, key=lambda r: r.cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=50_000, help="URLs in the news sitemap")
    parser.add_argument("--runs", type=int, default=3, help="runs per tool; the fastest counts")
    args = harness.parse_args(parser, argv, "--urls 500 --runs 1")
    logging.getLogger("usp").setLevel(logging.CRITICAL)
    news = news_sitemap(args.urls)
    documents = {
        f"news sitemap, {args.urls:,} URLs": news,
        "the same, gzip": gzip.compress(news),
        f"index of {max(1, args.urls // 100):,} sitemaps": index(max(1, args.urls // 100)),
        "news sitemap cut off half way": news[: len(news) // 2],
    }
    print(f"# sitemaps: {args.urls:,} URLs, best of {args.runs} runs, CPU seconds per document\n")
    print("| document | tool | found | news title+date | child lastmod | cut-off reported "
          "| CPU s | found/CPU s | vs newsdesk |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for name, content in documents.items():
        readings = {tool: best_of(reader, content, args.runs) for tool, reader in TOOLS.items()}
        base = readings["newsdesk"].cpu
        for tool, r in readings.items():
            rate = r.urls / r.cpu if r.cpu else float("inf")
            ratio = f"{r.cpu / base:.2f}x" if base else "-"
            print(
                f"| {name} | {tool} | {r.urls:,} | {r.titled:,} | {r.lastmods:,} | "
                f"{'yes' if r.reported else 'no'} | {r.cpu:.3f} | {rate:,.0f} | {ratio} |"
            )
    print("\nvs newsdesk: the tool's CPU seconds over newsdesk's on the same document (lower "
          "is faster).")  # fmt: skip
    print(f"\nreproduce: {harness.reproduce(__file__, argv)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
