"""What every benchmark shares: its smallest run (`--smoke`) and the line that reproduces a run.

`--smoke` runs a benchmark for seconds, on tiny data made here, so the test suite runs each
one (tests/test_benchmarks.py) and a change that breaks a benchmark fails the suite. Smoke
figures measure nothing; they only show that the benchmark still works end to end.

The tiny data sets are written in the formats of the real ones (../shared/bench: AEB,
trafilatura-eval, ECB+) from the fixture publisher's stories (tests/sites), each page rendered
with the fixture sites' article template, so no benchmark needs a download to run.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.sites.pages.content import Story

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # tests.sites: the fixture publisher's stories and template


def parse_args(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None, sizes: str
) -> argparse.Namespace:
    """The parser's arguments plus --smoke, which stands for `sizes` (options of the parser);
    options given beside --smoke win over its sizes."""
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"the smallest run, seconds long, to check the benchmark works (its figures mean "
        f"nothing){': ' + sizes if sizes else ''}",
    )
    given = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(given)
    if args.smoke and sizes:
        args = parser.parse_args([*sizes.split(), *given])
    return args


def reproduce(script: str, argv: Sequence[str] | None) -> str:
    """The command that runs this benchmark again as it was run."""
    given = sys.argv[1:] if argv is None else argv
    return " ".join([".venv/bin/python", f"benchmarks/{Path(script).name}", *given])


@contextmanager
def data_folder(
    given: Path | None, default: Path, smoke: bool, write: Callable[[Path], Path]
) -> Iterator[Path]:
    """The data set to read: the one given, else with --smoke a tiny one written by `write`
    (removed after), else the default."""
    if given is not None or not smoke:
        yield given or default
        return
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as folder:
        yield write(Path(folder))


def _stories() -> list[Story]:
    from tests.sites.pages.content import STORIES

    return sorted(STORIES, key=lambda story: (story.site, story.path))


def _pages() -> list[tuple[Story, str, bytes]]:
    """(story, URL, page) for each fixture story, as the fixture sites serve it."""
    from tests.sites.publisher import Publisher

    publisher = Publisher()
    return [
        (story, f"https://{story.site}.example{story.path}",
         publisher.render_article(story.site, story).encode())
        for story in _stories()
    ]  # fmt: skip


def write_aeb(folder: Path) -> Path:
    """An AEB-shaped set: ground-truth.json (url, articleBody) and html/KEY.html.gz."""
    (folder / "html").mkdir(parents=True, exist_ok=True)
    truth = {}
    for n, (story, url, page) in enumerate(_pages()):
        key = f"{n:03d}"
        (folder / "html" / f"{key}.html.gz").write_bytes(gzip.compress(page))
        truth[key] = {"url": url, "articleBody": "\n\n".join(story.paragraphs)}
    (folder / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return folder


def write_trafilatura_eval(folder: Path) -> Path:
    """A trafilatura-eval-shaped set: evaldata.json (with/without snippets, title, author,
    date) and pages/*.html.gz. "without": the teasers of the page's "More stories" strip."""
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    pages = _pages()
    data = {}
    for n, (story, url, page) in enumerate(pages):
        name = f"pages/{n:03d}.html.gz"
        (folder / name).write_bytes(gzip.compress(page))
        others = [other for other, _, _ in pages if other is not story and other.site == story.site]
        data[url] = {
            "file": name,
            "with": story.paragraphs[:2],
            "without": [other.headline for other in others[:2]],
            "title": story.headline,
            "author": "; ".join(story.authors),
            "date": f"{story.published:%Y-%m-%d}",
        }
    (folder / "evaldata.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def write_readability_tests(folder: Path) -> Path:
    """A readability-tests-shaped set: pages/CASE/ with source.html.gz, expected.html.gz (the
    story's paragraphs) and expected-metadata.json (title, byline)."""
    for n, (story, _, page) in enumerate(_pages()):
        case = folder / "pages" / f"{story.site}-{n}"
        case.mkdir(parents=True, exist_ok=True)
        expected = "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)
        (case / "source.html.gz").write_bytes(gzip.compress(page))
        (case / "expected.html.gz").write_bytes(gzip.compress(f"<div>{expected}</div>".encode()))
        metadata = {"title": story.headline, "byline": ", ".join(story.authors)}
        (case / "expected-metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    return folder


def write_ecbplus(folder: Path) -> Path:
    """An ECB+-shaped index.jsonl: the fixture stories, one event per story group."""
    folder.mkdir(parents=True, exist_ok=True)
    stories = _stories()
    topics = {group: str(n) for n, group in enumerate(dict.fromkeys(s.group for s in stories), 1)}
    with (folder / "index.jsonl").open("w", encoding="utf-8") as out:
        for n, story in enumerate(stories):
            topic = topics[story.group]
            row = {
                "id": f"{topic}_{n}ecb",
                "title": story.headline,
                "text": "\n".join(story.paragraphs),
                "url": None,
                "source": story.site,
                "date": None,
                "cluster": f"{topic}_ecb",
                "topic": topic,
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return folder
