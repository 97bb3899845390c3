"""What the aggregator's hints are worth: the fixture publishers' stories, re-served the way a
hard site serves them, extracted three ways side by side.

    .venv/bin/python benchmarks/extract_hints.py

Pages are extracted in publication order, as an aggregator meets them. The "hard site"
wraps every story paragraph in its own block, puts a site promo and an "about"
note inside the story, and follows the story with a "More stories" strip of long teasers that
holds more prose than the story itself, with no class names that say what anything is. A
single-page extractor picks the strip. Modes:

  page            extract_article(html, url): the page alone
  + feed entry    the feed entry's headline and teaser locate the story's start
  + site memory   also a SiteMemory fed page after page: blocks recurring on the site go

Scores: AEB's 4-token shingle F1 against the story's paragraphs, exact-body accuracy, headline
exact match. Stories come from tests/sites/pages/content.py (the fixture sites' stories).
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.sites.pages.content import STORIES, Story  # noqa: E402

from benchmarks import harness  # noqa: E402
from benchmarks.extract import Page, Result, aeb_scores  # noqa: E402
from newsdesk.extract import SiteMemory, extract_article  # noqa: E402
from newsdesk.model import Entry  # noqa: E402

PROMO = ("Independent journalism needs your support. Become a member today from just three "
         "euros a month and help us keep every story free to read for everyone.")
ABOUT = ("Newsline brings together reporting from newsrooms across the region, updated around "
         "the clock by our small editorial team in the harbour district.")
SITE = "https://newsline.example"


def _strip(story: Story, stories: list[Story]) -> str:
    """The four stories published before this one, as a site's "More stories" shows them."""
    earlier = [s for s in stories if s.published < story.published]
    others = earlier[-4:] or [s for s in stories if s is not story][:4]
    items = "".join(
        f"<div class='k'><b>{html.escape(o.headline)}</b>"
        + "".join(f"<p>{html.escape(p)}</p>" for p in o.paragraphs[:2]) + "</div>"
        for o in others
    )
    return f"<div class='m'><b>More stories</b>{items}</div>"


def hard_page(story: Story, stories: list[Story]) -> str:
    paragraphs = [f"<div class='b'><p>{html.escape(p)}</p></div>" for p in story.paragraphs]
    paragraphs.insert(min(2, len(paragraphs)), f"<div class='b'><p>{PROMO}</p></div>")
    paragraphs.append(f"<div class='b'><p>{ABOUT}</p></div>")
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(story.headline)}"
        f" - Newsline</title></head><body><div class='w'><div class='h'><a href='/'>Newsline</a>"
        f"</div><div class='c'><div class='t'>{html.escape(story.headline)}</div>"
        f"<div class='s'>{''.join(paragraphs)}</div>{_strip(story, stories)}</div>"
        "<div class='f'>Newsline · Harbour Street 1 · All rights reserved</div></div></body></html>"
    )


def run(limit: int | None) -> list[tuple[str, dict[str, float]]]:
    # In publication order, as an aggregator meets them.
    stories = sorted((s for s in STORIES if len(s.paragraphs) >= 2), key=lambda s: s.published)
    stories = stories[:limit]
    pages = [Page(f"{SITE}/{s.guid}", b"", gold_body="\n\n".join(s.paragraphs)) for s in stories]
    htmls = [hard_page(s, stories).encode() for s in stories]
    rows = []
    memory = SiteMemory()
    for mode in ("page", "+ feed entry", "+ site memory"):
        results = []
        titles = 0
        for page, story, raw in zip(pages, stories, htmls, strict=True):
            entry = None
            if mode != "page":
                entry = Entry(url=page.url, title=story.headline, summary=story.teaser,
                              published=story.published)
            article = extract_article(raw, page.url, entry=entry,
                                      site_memory=memory if mode == "+ site memory" else None)
            results.append(Result(article.text, article.title))
            titles += article.title == story.headline
        scores = aeb_scores(pages, results)
        scores["title"] = titles / len(stories)
        rows.append((mode, scores))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, help="only the first N stories")
    args = harness.parse_args(parser, argv, "--limit 4")
    rows = run(args.limit)
    print(f"hard-site copies of the fixture stories ({len(STORIES)} stories)")
    print("| mode | F1 | precision | recall | accuracy | headline |")
    print("|---|---|---|---|---|---|")
    for mode, s in rows:
        print(f"| {mode} | {s['f1']:.3f} | {s['precision']:.3f} | {s['recall']:.3f} | "
              f"{s['accuracy']:.3f} | {s['title']:.3f} |")
    print(f"\nreproduce: {harness.reproduce(__file__, argv)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
