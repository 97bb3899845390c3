"""`newsdesk archive`: news articles out of WARC files, stored or written out as a corpus.

    report = archive(paths, settings, engine, store=store)          # into the store, resumable
    report = archive(paths, settings, engine, out=writer)           # a corpus file, no store

The reader (pipeline/warc.py) keeps the HTML responses whose address may be a story's; the
engine extracts them (in parallel, in order); each extracted page that extraction judges an
article (extract/kind.py) in the asked language is stored and matched as polling does
(Saver and MatchStep: copies folded, stories grouped, in this one process), or matched in
memory by the same Matcher and written out. With a store, how far each file was read is
recorded after each group's articles are, so a run that stopped goes on from there and stores
nothing twice.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from newsdesk.config import Settings
from newsdesk.errors import ExtractError, NewsdeskError
from newsdesk.extract import ExtractParams
from newsdesk.extract.kind import page_kind
from newsdesk.match.dedup import DuplicateParams
from newsdesk.match.matcher import Matcher
from newsdesk.match.stories import StoryParams
from newsdesk.match.traits import MatchTraits
from newsdesk.model import Article
from newsdesk.pipeline.archive_engines import LocalEngine, Outcome, RayEngine
from newsdesk.pipeline.corpus import CorpusWriter, article_record
from newsdesk.pipeline.extracting import Extracted
from newsdesk.pipeline.matching import MatchStep
from newsdesk.pipeline.reports import PollReport, one_line
from newsdesk.pipeline.saving import Arrival, Saver
from newsdesk.pipeline.warc import Choice, FileDone, Skipped, WarcPage, read_warcs
from newsdesk.store import Store
from newsdesk.store.articles import NewArticle, article_keys

GROUP = 100  # articles stored (and matched) in one transaction
RECORDS_PER_MARK = 1000  # records read between marks of how far a file is read, at most


@dataclass
class ArchiveReport:
    files: int = 0  # files read to their end in this run
    files_done_before: int = 0  # read to their end by an earlier run: left alone
    records: int = 0  # records read in this run
    resumed_after: int = 0  # records an earlier run had done, not read again
    pages: int = 0  # HTML responses extracted
    articles: int = 0  # pages kept as articles
    stored: int = 0  # articles new to the store (or written out)
    existing: int = 0  # stored already (the same address, by an earlier run or another page)
    copies: int = 0  # of the new ones, copies of another article
    skipped: Counter[str] = field(default_factory=Counter)  # why records were left out
    errors: int = 0  # records that could not be read or extracted
    started: float = field(default_factory=time.monotonic)
    cpu_seconds: float = 0.0  # this process and the local workers

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "files_done_before": self.files_done_before,
            "records": self.records,
            "resumed_after": self.resumed_after,
            "pages": self.pages,
            "articles": self.articles,
            "stored": self.stored,
            "existing": self.existing,
            "copies": self.copies,
            "skipped": dict(sorted(self.skipped.items())),
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.rate, 2),
            "cpu_seconds": round(self.cpu_seconds, 3),
        }


@dataclass(frozen=True, slots=True)
class Filters:
    choice: Choice
    language: str | None = None


Say = Callable[[str], None]  # one line for the user: a record's error


class _StoreSink:
    """Articles into the store, matched as polling matches them; how far files are read."""

    def __init__(self, store: Store, settings: Settings, report: ArchiveReport) -> None:
        self.store = store
        self.saver = Saver(store, MatchStep.open(store, settings))
        self.report = report
        self.group: list[tuple[Arrival, PollReport]] = []
        self.poll = PollReport()

    def add(self, page: WarcPage, article: Article, traits: MatchTraits) -> None:
        article_keys(article)  # NewsdeskError for an address no article can be stored under
        item = NewArticle(
            article,
            fetched_at=page.date,
            signature=traits.signature.to_bytes(),
            warc_record_id=page.record_id,
        )
        self.group.append((Arrival(item, traits), self.poll))

    def flush(self, marks: dict[str, tuple[int, int, bool]]) -> None:
        if self.group:
            before = self.poll.new_articles
            matched = self.saver.save(self.group, self.poll)
            if self.poll.unsaved:  # the store refused the group: said, and not marked as done
                raise NewsdeskError(self.poll.unsaved)
            new = self.poll.new_articles - before
            self.report.stored += new
            self.report.existing += len(self.group) - new
            self.report.copies += sum(1 for m in matched if m.duplicate_of is not None)
            self.group = []
        if marks:
            self.store.mark_archive_files(marks)

    def close(self) -> None:
        pass


class _CorpusSink:
    """Articles matched in memory by the same Matcher, spooled, then written with their final
    story ids (a later article can merge two stories)."""

    def __init__(self, settings: Settings, writer: CorpusWriter, report: ArchiveReport) -> None:
        self.writer = writer
        self.report = report
        self.matcher = Matcher(
            StoryParams.from_settings(settings),
            DuplicateParams.from_settings(settings),
            new_story_id=self._story,
        )
        self.stories = 0
        self.keys: set[str] = set()
        self.story_of: dict[int, int] = {}
        self.into: dict[int, int] = {}  # merged story -> the story it went into
        self.spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115

    def _story(self, first_seen: object) -> int:
        self.stories += 1
        return self.stories

    def add(self, page: WarcPage, article: Article, traits: MatchTraits) -> None:
        key = article_keys(article)[0]  # NewsdeskError for an address that is no article's
        if key in self.keys:
            self.report.existing += 1
            return
        self.keys.add(key)
        number = len(self.keys)
        outlet = _outlet(article)
        result = self.matcher.add_traits(
            number, article.title, traits, at=_at(article, page), outlet=outlet
        )
        original = result.duplicate.original_id if result.duplicate else None
        story = result.story
        self.story_of[number] = story.story_id
        for merge in story.merges:
            self.into[merge.merged] = merge.into
        for move in story.moves:
            self.story_of[move.article_id] = move.into
        record = article_record(
            article,
            id=number,
            duplicate_of=original,
            fetched_at=page.date.isoformat(),
            warc_record_id=page.record_id,
        )
        self.spool.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.report.stored += 1
        self.report.copies += original is not None

    def flush(self, marks: dict[str, tuple[int, int, bool]]) -> None:
        pass

    def _final(self, story: int) -> int:
        while story in self.into:
            story = self.into[story]
        return story

    def close(self) -> None:
        self.spool.seek(0)
        for line in self.spool:
            record = json.loads(line)
            record["story_id"] = self._final(self.story_of[record["id"]])
            self.writer.write(record)
        self.spool.close()


def _outlet(article: Article) -> str:
    from newsdesk.store.stories import outlet_of

    return outlet_of(article)


def _at(article: Article, page: WarcPage) -> Any:
    from newsdesk.store.paging import sort_time

    return sort_time(article.published, page.date)


def archive(
    paths: Iterable[str],
    settings: Settings,
    engine: LocalEngine | RayEngine,
    filters: Filters,
    *,
    store: Store | None = None,
    out: CorpusWriter | None = None,
    params: ExtractParams | None = None,
    say: Say = lambda line: None,
    on_progress: Callable[[ArchiveReport], None] | None = None,
) -> ArchiveReport:
    """Read the files, keep their articles, store them (or write them to `out`)."""
    report = ArchiveReport()
    params = params or ExtractParams.from_settings(settings)
    paths = list(paths)
    choice = filters.choice
    sink: _StoreSink | _CorpusSink
    if store is not None:
        done = store.archive_progress({p: os.path.getsize(p) for p in paths})
        finished = {p for p, n in done.items() if n is None}
        report.files_done_before = len(finished)
        paths = [p for p in paths if p not in finished]
        choice.done = {p: n for p, n in done.items() if n}
        report.resumed_after = sum(choice.done.values())
        sink = _StoreSink(store, settings, report)
    else:
        assert out is not None
        sink = _CorpusSink(settings, out, report)
    cpu = time.process_time()
    marks: dict[str, tuple[int, int, bool]] = {}  # path -> (size, records done, finished)
    sizes = {p: os.path.getsize(p) for p in paths}
    unmarked = 0
    try:
        for item, outcome in engine.run(read_warcs(paths, choice)):
            if isinstance(item, FileDone):
                report.files += 1
                marks[item.path] = (item.size, item.records, True)
                sink.flush(marks)
                marks, unmarked = {}, 0
                if on_progress:
                    on_progress(report)
                continue
            report.records += 1
            unmarked += 1
            marks[item.path] = (sizes[item.path], item.index + 1, False)
            if isinstance(item, Skipped):
                if item.reason:
                    report.skipped[item.reason] += 1
                if item.error:
                    report.errors += 1
                    say(f"{item.path} record {item.index}{_at_url(item.url)}: {item.reason}")
            else:
                _take(item, outcome, filters, params, sink, report, say)
            group = len(sink.group) if isinstance(sink, _StoreSink) else 0
            if group >= GROUP or unmarked >= RECORDS_PER_MARK:
                sink.flush(marks)
                marks, unmarked = {}, 0
                if on_progress:
                    on_progress(report)
        sink.flush(marks)
        sink.close()
    finally:
        engine.close()
    report.cpu_seconds = time.process_time() - cpu + engine.cpu_seconds
    return report


def _take(
    page: WarcPage,
    outcome: Outcome,
    filters: Filters,
    params: ExtractParams,
    sink: _StoreSink | _CorpusSink,
    report: ArchiveReport,
    say: Say,
) -> None:
    report.pages += 1
    if isinstance(outcome, ExtractError):  # nothing could be made of it: no article
        report.skipped["not an article"] += 1
        return
    if not isinstance(outcome, Extracted):
        report.errors += 1
        reason = one_line(str(outcome)) if outcome is not None else "no answer"
        say(f"{page.path} record {page.index}{_at_url(page.url)}: {reason}")
        return
    article = outcome.article
    kind = page_kind(page.url, article, params)
    if kind is not None:
        report.skipped[kind] += 1
        return
    if filters.language and (article.language or "") != filters.language:
        report.skipped["other language"] += 1
        return
    try:
        sink.add(page, article, outcome.traits)
    except NewsdeskError as exc:  # a page at an address no article can be stored under
        report.errors += 1
        say(f"{page.path} record {page.index}{_at_url(page.url)}: {exc}")
        return
    report.articles += 1


def _at_url(url: str) -> str:
    return f" ({url})" if url else ""
