"""The newsdesk command line: one Typer app over the same core as the web."""

from __future__ import annotations

import asyncio
import errno
import gzip
import io
import json
import logging
import re
import signal
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsdesk import __version__, inputs
from newsdesk.config import Settings, load_settings
from newsdesk.errors import InputError, NewsdeskError, NotFoundError
from newsdesk.model import Feed, StoredArticle, Story
from newsdesk.pages import Pages
from newsdesk.store import Store
from newsdesk.store.listing import MAX_PAGE, ArticleQuery
from newsdesk.store.paging import cursor_of
from newsdesk.store.search import MAX_RESULTS
from newsdesk.times import utcnow

if TYPE_CHECKING:  # imported where used: a command starts faster without the pipeline
    from newsdesk.pipeline.reports import PollReport

app = typer.Typer(
    name="newsdesk",
    help="A self-hosted news desk: feeds in, clean de-duplicated articles out.\n\n"
    "Shortest start: newsdesk add https://www.theguardian.com/world && newsdesk poll --once",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

JsonOption = Annotated[
    bool, typer.Option("--json", help="One JSON object per line (see docs/json.md).")
]

# a list's length, bounded so that the database is never asked for more than it can count
LimitOption = Annotated[int, typer.Option(min=1, max=1_000_000, help="At most this many.")]
AllOption = Annotated[
    bool, typer.Option("--all", help="Every one, read page by page (instead of --limit).")
]
STORY_PAGE = 200  # stories read at a time


# -- plumbing ---------------------------------------------------------------------------------


def settings() -> Settings:
    try:
        return load_settings()
    except NewsdeskError as exc:
        raise fail(str(exc)) from None


@contextmanager
def open_store() -> Iterator[Store]:
    try:
        store = Store.open(settings())
    except NewsdeskError as exc:
        raise fail(str(exc)) from None
    try:
        yield store
    finally:
        store.close()


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"error: {message}", markup=False, highlight=False)
    return typer.Exit(code)


@contextmanager
def progress_bar(label: str, total: int | None) -> Iterator[Any]:
    """A progress bar on a terminal; nothing at all when output is piped."""
    if not sys.stderr.isatty():
        yield lambda advance=1: None
        return
    columns = [TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda advance=1: progress.advance(task, advance)


# a table piped to another program is as wide as its rows, not cut to rich's 80 columns
PIPED_WIDTH = 100_000


def print_table(table: Table) -> None:
    if out.is_terminal:
        out.print(table)
        return
    wide = Console(file=io.StringIO(), width=PIPED_WIDTH, color_system=None)
    wide.print(table)
    text = wide.file.getvalue()  # type: ignore[attr-defined]
    sys.stdout.write("".join(line.rstrip() + "\n" for line in text.splitlines()))


def print_json(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def parse_since(text: str | None) -> datetime | None:
    """--since as given (see newsdesk.inputs.parse_since); None when the option is absent."""
    if text is None:
        return None
    try:
        return inputs.parse_since(text)
    except InputError as exc:
        raise fail(str(exc), 2) from None


def checked_id(value: int, what: str) -> int:
    try:
        return inputs.check_id(value, what)
    except InputError as exc:
        raise fail(str(exc), 2) from None


def when(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return moment.isoformat(sep=" ", timespec="minutes")


# -- commands ---------------------------------------------------------------------------------


@app.callback(invoke_without_command=True)
def main_options(
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        out.print(f"newsdesk {__version__}")
        raise typer.Exit()


@app.command()
def add(
    url: Annotated[str, typer.Argument(help="A feed URL, a site's home page, or a sitemap.")],
    folder: Annotated[str | None, typer.Option(help="Put the feed in this folder.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Follow a feed; a site's home page works too (its feed is discovered). A site without a
    feed is followed through its sitemaps (robots.txt, /sitemap.xml; Google News sitemaps
    first).

    Examples: newsdesk add https://www.bbc.com/news --folder World ;
    newsdesk add https://example.com/   (a site without a feed: its sitemap)
    """
    from newsdesk.pipeline.subscribe import subscribe

    with open_store() as store:
        try:
            feed, created = subscribe(store, settings(), url, folder=folder)
        except NewsdeskError as exc:
            raise fail(str(exc)) from None
    if as_json:
        print_json(
            {
                "id": feed.id,
                "url": feed.url,
                "title": feed.display_name,
                "kind": feed.kind,
                "created": created,
            }
        )
        return
    verb = "added" if created else "already following"
    through = ", through its sitemap" if feed.kind == "sitemap" else ""
    out.print(f"{verb} [{feed.id}] {feed.display_name} ({feed.url}{through})", markup=False)
    if created:
        out.print("fetch it now with: newsdesk poll --once", markup=False)


def is_json_lines(content: bytes) -> bool:
    """JSON Lines (articles) rather than OPML (subscriptions): told by content, not name."""
    return content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


@app.command("import")
def import_(
    file: Annotated[
        Path | None,
        typer.Argument(help="An OPML file, or articles as JSON Lines (- for standard input)."),
    ] = None,
    starter: Annotated[
        bool, typer.Option("--starter", help="Import a starter list of public news feeds.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Import subscriptions from OPML (keeping folders), or articles from JSON Lines with the
    fields of `extract --json` (matched for duplicates and stories like polled ones).
    Re-importing changes nothing.

    Examples: newsdesk import subscriptions.opml ; newsdesk import corpus.jsonl ;
    newsdesk import --starter
    """
    from newsdesk.feeds.opml import MAX_OPML_BYTES, parse_opml
    from newsdesk.feeds.starter import starter_subscriptions
    from newsdesk.pipeline.subscribe import import_subscriptions

    if starter == (file is not None):
        raise fail("give either an OPML or JSON Lines file, or --starter", code=2)
    try:
        if starter:
            subscriptions = starter_subscriptions()
        else:
            assert file is not None
            given = nullcontext(sys.stdin.buffer) if str(file) == "-" else file.open("rb")
            with given as source:
                # an OPML file is read no further than its limit, so parse_opml refuses a
                # larger one without holding it whole; articles (JSON Lines) have none
                content = source.read(MAX_OPML_BYTES + 1)
                if is_json_lines(content):
                    content += source.read()
            if is_json_lines(content):
                import_article_lines(content, str(file), as_json=as_json)
                return
            subscriptions = parse_opml(content)
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror}") from None
    except NewsdeskError as exc:
        raise fail(f"{file}: {exc}") from None
    with open_store() as store, progress_bar("importing", len(subscriptions)) as advance:
        report = import_subscriptions(store, subscriptions, on_progress=advance)
    if as_json:
        print_json({"added": report.added, "existing": report.existing, "errors": report.errors})
        return
    for line in report.errors:
        err.print(f"skipped {line}", markup=False)
    out.print(f"{report.added} feeds added, {report.existing} already followed", markup=False)
    if report.added:
        out.print("fetch them with: newsdesk poll --once", markup=False)


def import_article_lines(content: bytes, source: str, *, as_json: bool) -> None:
    from newsdesk.pipeline.matching import import_articles

    try:
        lines = content.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise fail(f"{source}: not UTF-8 text (byte {exc.start})") from None
    with open_store() as store, progress_bar("importing", len(lines)) as advance:
        report = import_articles(store, settings(), lines, source=source, on_progress=advance)
    if as_json:
        print_json(
            {
                "imported": report.added,
                "existing": report.existing,
                "duplicates": report.duplicates,
                "errors": report.errors,
            }
        )
        return
    for line in report.errors:
        err.print(f"skipped {line}", markup=False)
    out.print(
        f"{report.added} articles imported ({report.duplicates} copies of others), "
        f"{report.existing} already stored",
        markup=False,
    )


ARTICLE_FORMATS = ("jsonl", "csv", "parquet")


@app.command()
def export(
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="opml (the feeds), or articles as jsonl, csv or parquet "
            "(default: from --out's name; opml when no article option is given).",
        ),
    ] = None,
    out_path: Annotated[
        str | None, typer.Option("--out", help="Write to this file (default: standard output).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Articles newer than this: 2025-01-31, 6h, 2d.")
    ] = None,
    feed: Annotated[
        str | None, typer.Option(help="Articles of this feed (id, URL or title).")
    ] = None,
    story_id: Annotated[int | None, typer.Option("--story", help="Articles of this story.")] = None,
    language: Annotated[
        str | None, typer.Option(help="Articles in this language (en, de, ja...).")
    ] = None,
) -> None:
    """Export the followed feeds as OPML 2.0 (folders kept), or the articles as a corpus:
    every field of `show --json` with story_id, duplicate_of and outlet, oldest first, read
    page by page so memory stays flat whatever the size. Parquet needs --out.

    Examples: newsdesk export > subscriptions.opml ;
    newsdesk export --format jsonl --since 7d > week.jsonl ;
    newsdesk export --out corpus.parquet --language en ; newsdesk export --story 12 --format csv
    """
    filtered = any(v is not None for v in (since, feed, story_id, language))
    named = out_path is not None and Path(out_path).suffix.lower() != ".opml"
    if fmt is None:
        fmt = None if filtered or named else "opml"
    if fmt == "opml":
        if filtered:
            raise fail("--since, --feed, --story and --language choose articles: give "
                       "--format jsonl, csv or parquet", 2)  # fmt: skip
        export_feeds(out_path)
        return
    export_articles(fmt, out_path, since=since, feed=feed, story_id=story_id, language=language)


def export_feeds(out_path: str | None) -> None:
    from newsdesk.feeds.opml import export_opml

    with open_store() as store:
        text = export_opml(store.list_feeds())
    if out_path is None or out_path == "-":
        sys.stdout.write(text)
        return
    try:
        Path(out_path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {out_path}: {exc.strerror}") from None


def export_articles(
    fmt: str | None,
    out_path: str | None,
    *,
    since: str | None,
    feed: str | None,
    story_id: int | None,
    language: str | None,
) -> None:
    from newsdesk.pipeline.corpus import CorpusWriter, stored_record

    moment = parse_since(since)
    with open_store() as store:
        try:
            feed_id = store.find_feed(feed).id if feed else None
            story = None if story_id is None else current_story(store, story_id)
        except NotFoundError as exc:
            raise fail(str(exc)) from None
        query = ArticleQuery(feed_id=feed_id, since=moment, story_id=story,
                             language=language, oldest_first=True)  # fmt: skip
        try:
            writer = CorpusWriter.open(out_path, fmt)
        except InputError as exc:
            raise fail(str(exc), 2) from None
        listing: Pages[StoredArticle] = Pages(
            lambda cursor, n: store.list_articles(query, limit=n, after=cursor),
            lambda _, page: cursor_of(page[-1]),
            wanted=None,
            size=MAX_PAGE,
        )
        total = store.count_listed(query) if sys.stderr.isatty() else None
        with writer, progress_bar("exporting", total) as advance:
            for page in listing:  # one page in memory at a time
                writer.write_many(stored_record(item) for item in page)
                advance(len(page))
    where = out_path if out_path not in (None, "-") else "standard output"
    err.print(f"{writer.rows} articles written to {where} ({writer.format})", markup=False)


def current_story(store: Store, asked: int) -> int:
    """The story's id, or that of the story it was merged into."""
    checked_id(asked, "story")
    try:
        return store.get_story(asked).id
    except NotFoundError:
        moved = store.story_redirect(asked)
        if moved is None:
            raise
        return moved


@app.command()
def feeds(as_json: JsonOption = False) -> None:
    """List followed feeds: last and next fetch, new articles in a day, last error.

    Example: newsdesk feeds --json | jq .title
    """
    with open_store() as store:
        items = store.list_feeds()
        counts = store.feed_article_counts(utcnow() - timedelta(days=1))
    if as_json:
        for f in items:
            print_json(
                {
                    "id": f.id,
                    "url": f.url,
                    "title": f.display_name,
                    "kind": f.kind,
                    "folder": f.folder,
                    "last_fetch": f.last_fetched_at.isoformat() if f.last_fetched_at else None,
                    "next_fetch": f.next_fetch_at.isoformat() if scheduled(f) else None,
                    "new_last_day": counts.get(f.id, 0),
                    "error": f.last_error,
                    "retired": f.retired,
                    "paused": f.paused,
                }
            )
        return
    if not items:
        out.print(NO_FEEDS_HINT, markup=False)
        return
    table = Table("id", "feed", "last fetch", "next fetch", "new/day", box=None)
    for f in items:
        kind = " (sitemap)" if f.kind == "sitemap" else ""
        table.add_row(
            str(f.id),
            f"{f.display_name}{kind} (retired)" if f.retired else f"{f.display_name}{kind}",
            when(f.last_fetched_at),
            next_fetch(f),
            str(counts.get(f.id, 0)),
        )
        if f.last_error:
            table.add_row("", f"  ! {f.last_error}", "", "", "", style="red")
    print_table(table)


def scheduled(feed: Feed) -> bool:
    """Whether the feed will be fetched on its own: not paused, not retired."""
    return feed.next_fetch_at is not None and not feed.paused and not feed.retired


def next_fetch(feed: Feed) -> str:
    if feed.paused:
        return "paused"
    if feed.retired:
        return "-"
    return when(feed.next_fetch_at) if feed.next_fetch_at else "now"


NO_FEEDS_HINT = (
    "No feeds yet. Follow one with:  newsdesk add https://example.com/feed.xml\n"
    "or import a starter list of public news feeds with:  newsdesk import --starter"
)


@app.command()
def poll(
    feed: Annotated[
        list[str] | None, typer.Argument(help="Feeds to poll now (id, URL or title).")
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="Poll once, then exit.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Fetch due feeds and their new articles; without --once, keep polling on schedule.

    Examples: newsdesk poll --once ; newsdesk poll 3 --once ; newsdesk poll
    """
    from newsdesk.pipeline.poll import poll as run_poll
    from newsdesk.pipeline.poll import poll_forever

    with open_store() as store:
        try:
            feed_ids = [store.find_feed(ref).id for ref in feed] if feed else None
        except NotFoundError as exc:
            raise fail(str(exc)) from None
        if not once and not feed:
            err.print("polling feeds as they fall due; Ctrl-C to stop", markup=False)
            log_to_terminal()
            run_until_signal(poll_forever, store)
            return
        total = len(feed_ids) if feed_ids else len(store.due_feeds(utcnow()))
        with progress_bar("polling", total) as advance:
            report = run_poll(
                store, settings(), feed_ids=feed_ids, on_feed_done=lambda f, r: advance()
            )
    print_poll_report(report, as_json)


def print_poll_report(report: PollReport, as_json: bool, **more: Any) -> None:
    """A poll's outcome, with `more` figures (a worker's: its name, what it matched)."""
    if as_json:
        print_json(
            {
                **more,
                "feeds": report.feeds,
                "not_modified": report.not_modified,
                "new_articles": report.new_articles,
                "failed": len(report.errors),
                "errors": report.errors,
            }
        )
        return
    for line in report.errors:
        err.print(f"! {line}", markup=False)
    extra = "".join(f", {value} {name}" for name, value in more.items() if name != "worker")
    out.print(report.summary() + extra, markup=False)


def log_to_terminal() -> None:
    """newsdesk's own log lines (a line per poll round, one per failing feed) on standard
    error, each with its time; the fetcher's notes stay out of the way."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger = logging.getLogger("newsdesk")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # not twice, when something else configures the root logger
    logging.getLogger("newsdesk.fetch").setLevel(logging.WARNING)


@app.command()
def worker(
    until_idle: Annotated[
        bool,
        typer.Option(
            "--until-idle",
            help="Exit once no feed is due and nothing waits for matching, instead of "
            "waiting for feeds to fall due.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Poll feeds as one of any number of workers sharing the database (PostgreSQL, or one
    SQLite file on one machine): each due feed is claimed with a lease, so no feed is polled
    twice; one worker at a time matches copies and stories. See docs/workers.md.

    Examples: newsdesk worker ; NEWSDESK_DATABASE_URL=postgresql+psycopg://news@db/news
    newsdesk worker ; newsdesk worker --until-idle --json
    """
    from newsdesk.pipeline.worker import Worker

    with open_store() as store:
        job = Worker(store, settings(), until_idle=until_idle)
        err.print(
            f"worker {job.name}: polling feeds as they fall due; Ctrl-C to stop", markup=False
        )
        report = run_until_signal(job.run)
    print_poll_report(report, as_json, worker=job.name, matched=report.matched)


def run_until_signal(loop_function: Any, store: Store | None = None) -> Any:
    """Run `loop_function(stop)` (or `loop_function(store, settings, stop)` with a store)
    until it returns or SIGINT/SIGTERM sets `stop`; what it returns."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        if store is None:
            return await loop_function(stop)
        return await loop_function(store, settings(), stop)

    return asyncio.run(main())


def article_json(item: StoredArticle) -> dict[str, Any]:
    from newsdesk.extract import article_to_json

    data: dict[str, Any] = {"id": item.id, "feed": item.feed_title}
    data.update(article_to_json(item.article))
    del data["input"]
    data["feed_id"] = item.feed_id
    data["story_id"] = item.story_id
    data["duplicate_of"] = item.duplicate_of
    data["copies"] = item.copies
    return data


@app.command()
def articles(
    feed: Annotated[str | None, typer.Option(help="Only this feed (id, URL or title).")] = None,
    since: Annotated[
        str | None, typer.Option(help="Only newer than this: 2025-01-31, 6h, 2d, yesterday.")
    ] = None,
    limit: LimitOption = 20,
    every: AllOption = False,
    before: Annotated[
        int | None, typer.Option(help="Only those listed after article ID: the next page.")
    ] = None,
    after: Annotated[
        int | None, typer.Option(help="Only those newer than article ID, oldest first.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List stored articles, newest first. A list cut by --limit says on standard error how to
    get the next page (--before ID); --all lists every one.

    Example: newsdesk articles --since 1d --limit 50 --json
    """
    moment = parse_since(since)
    if before is not None and after is not None:
        raise fail("give --before or --after, not both", 2)
    with open_store() as store:
        try:
            feed_id = store.find_feed(feed).id if feed else None
            anchor = before if after is None else after
            start = (
                None
                if anchor is None
                else cursor_of(store.get_article(checked_id(anchor, "article")))
            )
        except NotFoundError as exc:
            raise fail(str(exc)) from None
        query = ArticleQuery(feed_id=feed_id, since=moment, oldest_first=after is not None)
        listing: Pages[StoredArticle] = Pages(
            lambda cursor, n: store.list_articles(query, limit=n, after=cursor),
            lambda _, page: cursor_of(page[-1]),
            wanted=None if every else limit,
            size=MAX_PAGE,
            start=start,
        )
        for page in listing:  # one page in memory at a time
            if as_json:
                for item in page:
                    print_json(article_json(item))
                continue
            table = Table("id", "published", "source", "headline", box=None,
                          show_header=listing.shown == len(page))  # fmt: skip
            for item in page:
                table.add_row(
                    str(item.id),
                    when(item.article.published or item.fetched_at),
                    item.feed_title or item.article.site_name or "",
                    item.article.title or item.article.url,
                )
            print_table(table)
    if listing.cut and listing.last is not None:
        more(listing.shown, "articles", f"--{'after' if after is not None else 'before'} "
             f"{listing.last.id}")  # fmt: skip


def more(shown: int, what: str, next_page: str) -> None:
    """Say on standard error (so --json output stays clean) that a list goes on."""
    err.print(f"{shown} {what} shown, more follow: add {next_page} for the next page, or --all "
              "for every one", markup=False, highlight=False)  # fmt: skip


@app.command()
def show(
    article_id: Annotated[int, typer.Argument(help="The article's id (see newsdesk articles).")],
    as_json: JsonOption = False,
) -> None:
    """Print one article: headline, source, date and time, byline, then the clean body.

    Example: newsdesk show 42
    """
    with open_store() as store:
        try:
            item = store.get_article(checked_id(article_id, "article"))
        except NotFoundError as exc:
            raise fail(str(exc)) from None
    if as_json:
        print_json(article_json(item))
        return
    article = item.article
    out.print(article.title or "(no headline)", style="bold", markup=False)
    source = item.feed_title or article.site_name or ""
    line = " · ".join(part for part in (source, when(article.published)) if part and part != "-")
    out.print(line, style="dim", markup=False)
    if article.authors:
        out.print("By " + ", ".join(article.authors), style="dim", markup=False)
    out.print(article.canonical_url or article.url, style="dim", markup=False)
    out.print()
    out.print(article.text, markup=False, highlight=False)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find in headlines and bodies.")],
    limit: LimitOption = 20,
    every: AllOption = False,
    offset: Annotated[int, typer.Option(min=0, max=1_000_000, help="Skip the best N.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over headlines and bodies, best first, with a snippet. Words are found
    in their other forms in each article's language (pirate finds pirates); "quoted words" are
    a phrase, word* a prefix, -word leaves out, OR between two words takes either. A list cut
    by --limit says on standard error how to get the next page (--offset N); --all lists every
    one.

    Examples: newsdesk search "interest rates"; newsdesk search '"pirate ship" -navy';
    newsdesk search 'pirat*' --json
    """
    with open_store() as store:
        listing: Pages[tuple[StoredArticle, str]] = Pages(
            lambda start, n: store.search(query, limit=n, offset=start),
            lambda start, page: start + len(page),
            wanted=None if every else limit,
            size=MAX_RESULTS,
            start=offset,
        )
        for hits in listing:
            for item, snippet in hits:
                if as_json:
                    data = article_json(item)
                    data["snippet"] = snippet
                    print_json(data)
                    continue
                out.print(f"[{item.id}] {item.article.title}", style="bold", markup=False)
                plain = re.sub(r"</?mark>", "", snippet)
                out.print(f"    {item.feed_title or ''} · {when(item.article.published)}",
                          style="dim", markup=False)  # fmt: skip
                out.print(f"    {html_unescape(plain)}", markup=False, highlight=False)
        hint = store.search_hint(query) if not listing.shown else ""
    if not listing.shown and not as_json:
        out.print(f"nothing found for {query!r}. {hint}", markup=False)
    if listing.cut:
        more(listing.shown, "results", f"--offset {offset + listing.shown}")


def story_json(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "first_seen": story.first_seen.isoformat(),
        "last_seen": story.last_seen.isoformat(),
        "article_count": len(story.article_ids),
        "outlets": list(story.outlets),
        "article_ids": list(story.article_ids),
    }


@app.command()
def stories(
    since: Annotated[
        str | None, typer.Option(help="Only covered since: 2025-01-31, 6h, 2d, yesterday.")
    ] = None,
    limit: LimitOption = 20,
    every: AllOption = False,
    before: Annotated[
        int | None, typer.Option(help="Only those listed after story ID: the next page.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List stories (the coverage of one event across outlets), latest coverage first. A list
    cut by --limit says on standard error how to get the next page (--before ID); --all lists
    every one.

    Example: newsdesk stories --since 1d --json
    """
    moment = parse_since(since)
    with open_store() as store:
        if before is not None:
            checked_id(before, "story")
        listing: Pages[Story] = Pages(
            lambda last, n: store.list_stories(since=moment, limit=n, before=last),
            lambda _, page: page[-1].id,
            wanted=None if every else limit,
            size=STORY_PAGE,
            start=before,
        )
        try:
            for found in listing:
                if as_json:
                    for story in found:
                        print_json(story_json(story))
                    continue
                table = Table("id", "last seen", "articles", "outlets", "headline", box=None,
                              show_header=listing.shown == len(found))  # fmt: skip
                for story in found:
                    table.add_row(
                        str(story.id),
                        when(story.last_seen),
                        str(len(story.article_ids)),
                        str(len(story.outlets)),
                        story.title or "(no headline)",
                    )
                print_table(table)
        except NotFoundError as exc:
            raise fail(str(exc)) from None
    if listing.cut and listing.last is not None:
        more(listing.shown, "stories", f"--before {listing.last.id}")


@app.command()
def story(
    story_id: Annotated[int, typer.Argument(help="The story's id (see newsdesk stories).")],
    as_json: JsonOption = False,
) -> None:
    """Print one story: headline, first and last seen, outlets, and its articles in time order.

    Example: newsdesk story 7
    """
    with open_store() as store:
        asked, moved = checked_id(story_id, "story"), None
        try:
            found = store.get_story(asked)
        except NotFoundError as exc:
            if (moved := store.story_redirect(asked)) is None:
                raise fail(str(exc)) from None
            found = store.get_story(moved)
        members = {item.id: item for item in store.get_articles(found.article_ids)}
    items = [members[i] for i in found.article_ids if i in members]
    if moved is not None:  # on stderr, so --json output stays one object
        err.print(f"story {asked} was merged into story {found.id}", markup=False)
    if as_json:
        data = story_json(found)
        if moved is not None:
            data["merged_from"] = asked
        data["articles"] = [
            {
                "id": item.id,
                "title": item.article.title,
                "url": item.article.canonical_url or item.article.url,
                "site_name": item.article.site_name,
                "feed": item.feed_title,
                "published": item.article.published.isoformat() if item.article.published else None,
                "duplicate_of": item.duplicate_of,
                "copies": item.copies,
            }
            for item in items
        ]
        print_json(data)
        return
    out.print(found.title or "(no headline)", style="bold", markup=False)
    out.print(
        f"first seen {when(found.first_seen)} · last seen {when(found.last_seen)}",
        style="dim",
        markup=False,
    )
    out.print("Outlets: " + (", ".join(found.outlets) or "-"), markup=False)
    out.print()
    for item in items:
        copy = f" (copy of {item.duplicate_of})" if item.duplicate_of else ""
        source = item.article.site_name or item.feed_title or ""
        out.print(
            f"[{item.id}] {when(item.article.published or item.fetched_at)}  {source}: "
            f"{item.article.title or item.article.url}{copy}",
            markup=False,
        )


@app.command()
def regroup(
    since: Annotated[
        str | None,
        typer.Option(help="Only articles published since: 2025-01-31, 6h, 2d (default: all)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Decide duplicates and stories again over stored articles, e.g. after changing settings.

    Example: newsdesk regroup --since 7d
    """
    from newsdesk.pipeline.matching import regroup as run_regroup

    moment = parse_since(since)
    with open_store() as store:
        total = store.count_articles() if moment is None else None
        with progress_bar("regrouping", total) as advance:
            matched = run_regroup(store, settings(), since=moment, on_progress=advance)
    if as_json:
        print_json({"matched": matched})
        return
    out.print(f"{matched} articles matched again", markup=False)


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


@app.command()
def extract(
    inputs: Annotated[
        list[str], typer.Argument(help="Pages: .html or .html.gz files, or http(s) URLs.")
    ],
    url: Annotated[
        str | None, typer.Option(help="The page's address, for files saved from the web.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Extract clean articles from pages without touching the store.

    Examples: newsdesk extract page.html --url https://example.com/story --json ;
    newsdesk extract https://example.com/story
    """
    from newsdesk.extract import article_to_json, check_page, extract_article
    from newsdesk.fetch import fetch_one

    failures = 0
    for given in inputs:
        try:
            if re.match(r"https?://", given, re.I):
                page = fetch_one(given, settings(), kind="page")
                check_page(page.content, page.content_type, url=page.final_url)
                article = extract_article(page.content, url or page.final_url, charset=page.charset)
            else:
                path = Path(given)
                content = path.read_bytes()
                if path.suffix == ".gz":
                    content = gzip.decompress(content)
                # no address given: none is made up (a file:// address is no article's)
                article = extract_article(content, url or "")
        except (OSError, EOFError, NewsdeskError) as exc:
            failures += 1
            reason = getattr(exc, "strerror", None) or str(exc)
            err.print(f"error: {given}: {reason}", markup=False)
            if as_json:
                print_json({"input": given, "error": reason})
            continue
        if as_json:
            print_json(article_to_json(article, input=given))
        else:
            out.print(article.title or "(no headline)", style="bold", markup=False)
            out.print(when(article.published), style="dim", markup=False)
            if article.authors:
                out.print("By " + ", ".join(article.authors), style="dim", markup=False)
            out.print()
            out.print(article.text, markup=False, highlight=False)
            out.print()
    if failures:
        raise typer.Exit(1)


@app.command("archive")
def archive_(
    files: Annotated[list[str], typer.Argument(help="WARC or WARC.gz files, or globs of them.")],
    out_path: Annotated[
        str | None,
        typer.Option("--out", help="Write a corpus (.parquet, .jsonl or .csv) instead of storing."),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only pages crawled since (WARC date): 2025-01-31, 30d.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only pages crawled before (WARC date): 2025-02-01.")
    ] = None,
    domain: Annotated[
        list[str] | None,
        typer.Option(help="Only this site and its subdomains; repeatable, or @FILE of names."),
    ] = None,
    language: Annotated[
        str | None, typer.Option(help="Only articles in this language (en, de, ja...).")
    ] = None,
    engine: Annotated[
        str, typer.Option(help="local (processes on this machine) or ray (a Ray cluster).")
    ] = "local",
    processes: Annotated[
        int | None, typer.Option(min=1, max=1024, help="Extraction processes (default: cores).")
    ] = None,
    address: Annotated[
        str | None, typer.Option(help="The Ray cluster's address (default: RAY_ADDRESS).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="The summary as one JSON object.")
    ] = False,
) -> None:
    """Read news articles out of web archives (WARC files, as Common Crawl's CC-NEWS): home
    pages, section fronts, tag and video pages are skipped and counted; each article is
    extracted, its copies folded and its story found as in polling, then stored (with its URL,
    WARC date and record id) or written to --out without a store. A run that stops goes on
    where it left off when run again, and stores nothing twice.

    Examples: newsdesk archive CC-NEWS-20250101*.warc.gz --language en ;
    newsdesk archive crawl.warc.gz --out corpus.parquet --domain @sites.txt ;
    newsdesk archive 'news/*.warc.gz' --engine ray --address ray://head:10001
    """
    import os

    from newsdesk.extract import ExtractParams
    from newsdesk.pipeline.archive import ArchiveReport, Filters, archive
    from newsdesk.pipeline.archive_engines import engine_for
    from newsdesk.pipeline.corpus import CorpusWriter
    from newsdesk.pipeline.warc import Choice, expand, read_domains

    try:
        paths = expand(files)
        choice = Choice(parse_since(since), parse_since(until), read_domains(domain or []))
        writer = CorpusWriter.open(out_path) if out_path is not None else None
    except InputError as exc:
        raise fail(str(exc), 2) from None
    last = [-10.0]

    def progress(report: ArchiveReport) -> None:  # the first group's, then every 2 s
        if report.seconds - last[0] < 2 and report.files < len(paths):
            return
        last[0] = report.seconds
        err.print(f"files {report.files}/{len(paths)} · records {report.records} · articles "
                  f"{report.articles} · {report.rate:.1f} articles/s", markup=False)  # fmt: skip

    config = settings()
    filters = Filters(choice, language)
    try:
        params = ExtractParams.from_settings(config)
        runner = engine_for(engine, processes or os.cpu_count() or 1, params, address)
        if writer is not None:
            with writer:
                report = archive(paths, config, runner, filters, out=writer, params=params,
                                 say=say_error, on_progress=progress)  # fmt: skip
        else:
            with open_store() as store:
                report = archive(paths, config, runner, filters, store=store, params=params,
                                 say=say_error, on_progress=progress)  # fmt: skip
    except NewsdeskError as exc:
        raise fail(str(exc)) from None
    if as_json:
        print_json(report.as_json())
        return
    skipped = ", ".join(f"{n} {why}" for why, n in report.skipped.most_common()) or "none"
    where = f"written to {out_path}" if out_path else "stored"
    out.print(
        f"{report.files} files, {report.records} records, {report.articles} articles: "
        f"{report.stored} {where} ({report.copies} copies of others), {report.existing} had "
        f"been already; skipped: {skipped}; {report.errors} errors; "
        f"{report.rate:.1f} articles/s",
        markup=False,
    )


def say_error(line: str) -> None:
    err.print(f"error: {line}", markup=False, highlight=False)


@app.command()
def backup(
    path: Annotated[Path, typer.Argument(help="The backup file to write; it must not exist.")],
) -> None:
    """Back up the store while newsdesk runs: SQLite's online backup (the backup is itself a
    SQLite file), or pg_dump's custom format when the database is PostgreSQL.

    Examples: newsdesk backup backups/newsdesk-2025-03-31.db ;
    NEWSDESK_DATABASE_URL=postgresql+psycopg://newsdesk@db/newsdesk newsdesk backup news.pgdump
    """
    from newsdesk.store.backup import backup as write_backup

    try:
        write_backup(settings().resolved_database_url, path)
    except NewsdeskError as exc:
        raise fail(str(exc)) from None
    out.print(f"backed up to {path} ({path.stat().st_size / 1e6:.1f} MB)", markup=False)


@app.command()
def restore(
    path: Annotated[Path, typer.Argument(help="A backup made by newsdesk backup.")],
) -> None:
    """Restore a backup into an empty store (a new data directory, or an empty PostgreSQL
    database), then bring it to this version's schema. Sessions signed with the old data
    directory's secret_key end unless that file is copied too (or NEWSDESK_SECRET_KEY is set).

    Examples: NEWSDESK_DATA_DIR=./restored newsdesk restore backups/newsdesk-2025-03-31.db ;
    NEWSDESK_DATABASE_URL=postgresql+psycopg://newsdesk@db/empty newsdesk restore news.pgdump
    """
    from newsdesk.store.backup import restore as restore_backup

    try:
        restore_backup(settings().resolved_database_url, path)
    except NewsdeskError as exc:
        raise fail(str(exc)) from None
    with open_store() as store:  # migrates a backup of an older newsdesk
        counts = {"article": store.count_articles(), "feed": len(store.list_feeds()),
                  "user": store.count_users()}  # fmt: skip
    held = ", ".join(f"{n} {name}{'' if n == 1 else 's'}" for name, n in counts.items())
    out.print(f"restored {held} from {path}", markup=False)


# -- accounts ---------------------------------------------------------------------------------

user_app = typer.Typer(
    help="Accounts of the web reader and the client APIs: add, list, reset a password, remove.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(user_app, name="user")

PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from standard input (one line)."),
]


def new_password(from_stdin: bool) -> str:
    """The new password: the first line of standard input, or asked twice on a terminal."""
    from newsdesk.web.auth.passwords import check_new_password

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    else:
        raise fail("no terminal to ask for the password: pipe it in with --password-stdin", 2)
    try:
        check_new_password(password)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    return password


def find_account(store: Store, name: str) -> Any:
    try:
        return store.find_user(name.strip())
    except NotFoundError:
        raise fail(f"no account named {name!r} (see: newsdesk user list)") from None


store_app = typer.Typer(
    help="The store as a whole: copy it into another database.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(store_app, name="store")


@store_app.command("copy")
def store_copy(
    source_url: Annotated[str, typer.Argument(help="The store to copy (a SQLAlchemy URL).")],
    dest_url: Annotated[
        str, typer.Argument(help="Where to (a new database, or one a stopped copy left).")
    ],
    as_json: JsonOption = False,
) -> None:
    """Copy a whole store into another database: SQLite to PostgreSQL or back. Everything goes:
    feeds and their state, articles, stories, copies, redirects, users, read and starred marks,
    tokens, sessions; the search index is built in the destination's form. A copy that stopped
    goes on where it was when run again. The rows of every table are counted on both sides at
    the end. Stop newsdesk on the source first (or copy a backup).

    Examples: newsdesk store copy sqlite:///data/newsdesk.db
    postgresql+psycopg://news@db/news ; newsdesk store copy postgresql+psycopg://news@db/news
    sqlite:///restored/newsdesk.db --json
    """
    from newsdesk.store.copy import copy_store

    if source_url == dest_url:
        raise fail("the source and the destination are the same database")
    try:
        source, dest = Store(source_url), Store(dest_url)
    except Exception as exc:  # a URL SQLAlchemy cannot read, a driver missing
        raise fail(f"cannot open the store: {one_line_of(exc)}") from None
    try:
        with progress_bar("copying", None) as advance:
            report = copy_store(source, dest, on_progress=lambda table, rows: advance(rows))
    except NewsdeskError as exc:
        raise fail(str(exc)) from None
    except Exception as exc:  # a database that cannot be reached, refused rows
        raise fail(f"the copy stopped (run it again to go on): {one_line_of(exc)}") from None
    finally:
        source.close()
        dest.close()
    if as_json:
        print_json({"copied": report.counts})
        return
    rows = sum(count for name, count in report.counts.items() if name != "search index")
    out.print(
        f"copied {rows} rows in {len(report.counts) - 1} tables "
        f"({report.counts.get('articles', 0)} articles, search index "
        f"{report.counts['search index']}); counts checked on both sides",
        markup=False,
    )


def one_line_of(exc: BaseException) -> str:
    from newsdesk.pipeline.reports import one_line

    return one_line(str(exc))[:300]


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The new account's user name.")],
    admin: Annotated[bool, typer.Option("--admin", help="An administrator.")] = False,
    password_stdin: PasswordStdin = False,
    as_json: JsonOption = False,
) -> None:
    """Add an account; its password is asked for (or read with --password-stdin).

    Examples: newsdesk user add alice ; echo 'a long secret' | newsdesk user add bob --admin
    --password-stdin
    """
    from newsdesk.web.auth.passwords import check_username, hash_password

    try:
        username = check_username(name)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    with open_store() as store:
        try:
            store.find_user(username)
        except NotFoundError:
            pass
        else:
            raise fail(f"an account named {username!r} already exists")
        password = new_password(password_stdin)
        try:
            user = store.create_user(username, hash_password(password), is_admin=admin)
        except NewsdeskError as exc:
            raise fail(str(exc)) from None
    if as_json:
        print_json(account_json(user))
        return
    role = "administrator" if user.is_admin else "account"
    out.print(f"added the {role} {user.username!r}; it signs in on the web reader", markup=False)


@user_app.command("passwd")
def user_passwd(
    name: Annotated[str, typer.Argument(help="The account's user name.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set an account's sign-in password, also when the old one is lost; every browser signed
    in to that account is signed out.

    Examples: newsdesk user passwd admin ; echo 'a long secret' | newsdesk user passwd admin
    --password-stdin
    """
    from newsdesk.web.auth.passwords import hash_password

    with open_store() as store:
        user = find_account(store, name)
        password = new_password(password_stdin)
        store.set_user_password(user.id, hash_password(password))
        ended = store.end_sessions(user.id)
    sessions = f"{ended} signed-in browser{'' if ended == 1 else 's'} signed out"
    out.print(f"password of {user.username!r} changed; {sessions}", markup=False)


def account_json(user: Any) -> dict[str, Any]:
    created = user.created_at.isoformat() if user.created_at else None
    return {"id": user.id, "username": user.username, "admin": user.is_admin, "created": created}


@user_app.command("list")
def user_list(as_json: JsonOption = False) -> None:
    """List the accounts.

    Example: newsdesk user list --json
    """
    with open_store() as store:
        users = store.list_users()
    if as_json:
        for user in users:
            print_json(account_json(user))
        return
    table = Table("id", "user", "role", "created", box=None)
    for user in users:
        role = "admin" if user.is_admin else "reader"
        table.add_row(str(user.id), user.username, role, when(user.created_at))
    print_table(table)


@user_app.command("remove")
def user_remove(
    name: Annotated[str, typer.Argument(help="The account's user name.")],
) -> None:
    """Remove an account with its read and starred marks, API tokens and sessions (the sources
    and articles stay). The last administrator cannot be removed.

    Example: newsdesk user remove bob
    """
    from newsdesk.web.auth.accounts import remove_account

    with open_store() as store:
        user = find_account(store, name)
        try:
            remove_account(store, user)
        except NewsdeskError as exc:
            raise fail(str(exc)) from None
    out.print(f"removed the account {user.username!r}", markup=False)


@app.command()
def up(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Run newsdesk: poll feeds on their schedule and serve the web reader.

    Example: newsdesk up --port 8080
    """
    config = settings()
    with open_store() as store:
        if not store.list_feeds():
            out.print(NO_FEEDS_HINT, markup=False)
            if sys.stdin.isatty() and typer.confirm(
                "Import the starter list of public news feeds now?", default=False
            ):
                from newsdesk.feeds.starter import starter_subscriptions
                from newsdesk.pipeline.subscribe import import_subscriptions

                report = import_subscriptions(store, starter_subscriptions())
                out.print(f"{report.added} feeds added", markup=False)
    log_to_terminal()
    serve_web(config, host, port, poll=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Web worker processes (one per core serves most).")
    ] = 1,
) -> None:
    """Serve the web reader and APIs only (no polling).

    Example: newsdesk serve --host 0.0.0.0 --port 8080 --workers 2
    """
    serve_web(settings(), host, port, poll=False, workers=workers)


def check_can_listen(address: str, number: int) -> None:
    """One line, not a server's traceback, when the port is taken or the address is not ours."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind((address, number))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise fail(
                    f"port {number} on {address} is in use (another newsdesk?); "
                    "choose another with --port"
                ) from None
            raise fail(f"cannot listen on {address}:{number}: {exc.strerror or exc}") from None


def serve_web(
    config: Settings, host: str | None, port: int | None, *, poll: bool, workers: int = 1
) -> None:
    import uvicorn

    from newsdesk.web.app import create_app

    address, number = host or config.host, port or config.port
    check_can_listen(address, number)
    err.print(
        f"newsdesk {__version__} on http://{address}:{number}/ (data in {config.data_dir})",
        markup=False,
    )
    # uvicorn's own X-Forwarded-For handling trusts any local process and keeps no trace of the
    # real peer: newsdesk reads the header itself, from NEWSDESK_TRUSTED_PROXIES only
    options = {"host": address, "port": number, "log_level": "warning", "proxy_headers": False}
    if workers > 1:
        # Each worker process builds its own app from the same settings (environment and
        # newsdesk.toml); they share the database, the secret key and the accounts. These are
        # made here first, once, so that on a first start the workers do not race to migrate
        # the store (on a busy machine the second could wait past SQLite's lock timeout).
        create_app(config).state.store.close()
        uvicorn.run("newsdesk.web.app:from_environment", factory=True, workers=workers, **options)
        return
    uvicorn.run(create_app(config, poll=poll), **options)


def main() -> None:
    try:
        app()
    except NewsdeskError as exc:
        err.print(f"error: {exc}", markup=False)
        raise SystemExit(1) from None
