"""The matching step: each stored article's duplicates and story, recorded in the store.

    step = MatchStep.open(store, settings)   # indexes rebuilt from the store; leftovers matched
    step.match_saved([(row, traits), ...])   # new articles as saved, with their traits
    step.match_many(article_ids)             # stored articles, read from the store

Rebuilding reads no texts for duplicates (stored signatures, in id order) and replays only the
story window's articles (their stored story ids restore the grouping instead of deciding).
"""

from __future__ import annotations

import json
import logging
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from newsdesk.config import Settings
from newsdesk.match.dedup import DuplicateParams, Signature
from newsdesk.match.matcher import Matcher
from newsdesk.match.semantic import Embedder, embedding_text
from newsdesk.match.stories import StoryParams
from newsdesk.match.traits import MatchTraits, traits_of
from newsdesk.model import Article
from newsdesk.pipeline.params import PipelineParams
from newsdesk.pipeline.reports import ImportReport
from newsdesk.store import Store
from newsdesk.store.matching import MatchRecorder, MatchRow
from newsdesk.times import utcnow

log = logging.getLogger(__name__)
Progress = Callable[[int], None]
# a stored row to match, with its traits when they came with it (else computed from the row)
Pending = tuple[MatchRow, MatchTraits | None]


@dataclass(frozen=True, slots=True)
class Matched:
    article_id: int
    duplicate_of: int | None
    story_id: int


class MatchStep:
    def __init__(
        self, store: Store, settings: Settings, *, stories: StoryParams | None = None
    ) -> None:
        """`stories`: the story parameters, when not those the settings give."""
        self.store = store
        self.stories = stories or StoryParams.from_settings(settings)
        self.duplicates = DuplicateParams.from_settings(settings)
        self.params = PipelineParams.from_settings(settings)
        self.last_id = 0  # the newest article id the indexes hold
        self._lock = threading.Lock()  # a refresh request may poll beside the background poller
        self._recorder: MatchRecorder | None = None  # the open transaction of a group
        # NEWSDESK_SEMANTIC: each article is embedded as it is matched (stored decisions are
        # restored without: a story restored at start-up weighs its new members' embeddings)
        self.embedder = Embedder.load() if self.params.semantic else None
        self.matcher = self._new_matcher()

    def _new_matcher(self) -> Matcher:
        return Matcher(self.stories, self.duplicates, new_story_id=self._new_story)

    @classmethod
    def open(
        cls, store: Store, settings: Settings, *, stories: StoryParams | None = None
    ) -> MatchStep:
        """A step with its indexes rebuilt from the store and every leftover article matched."""
        step = cls(store, settings, stories=stories)
        step.rebuild()
        step.match_pending()
        return step

    def rebuild(self) -> None:
        for article_id, blob, original_id in self.store.matched_signatures():
            # the store decided already: no lookup per article, so start-up stays linear
            self.matcher.restore_duplicate(article_id, Signature.from_bytes(blob), original_id)
            self.last_id = max(self.last_id, article_id)
        newest = self.store.newest_matched_time()
        if newest is None:
            return
        since = newest - timedelta(hours=self.stories.window_hours)
        for row in self.store.match_rows(since=since, matched=True):
            self._restore_story(row)

    def _restore_story(self, row: MatchRow) -> None:
        if row.story_id is not None:
            self.matcher.restore_story(
                row.id,
                row.title,
                row.text,
                row.at,
                outlet=row.outlet,
                story_id=row.story_id,
                copy_of=row.duplicate_of,
            )

    def catch_up(self) -> None:
        """Take in what another process (an import, a refresh) matched since we last looked."""
        self._take_in(self.store.match_rows(matched=True, after_id=self.last_id))

    def _take_in(self, rows: Iterable[MatchRow]) -> set[int]:
        """Take in rows matched elsewhere; their ids."""
        taken = set()
        for row in rows:
            if row.signature is not None:
                sig = Signature.from_bytes(row.signature)
                self.matcher.restore_duplicate(row.id, sig, row.duplicate_of)
            self._restore_story(row)
            self.last_id = row.id
            taken.add(row.id)
        return taken

    def match_pending(
        self, *, since: datetime | None = None, on_progress: Progress | None = None
    ) -> int:
        """Match every stored article not matched yet, in arrival order; returns how many."""
        done = 0
        group: list[Pending] = []
        for row in self.store.match_rows(since=since, matched=False):
            group.append((row, None))
            if len(group) == self.params.match_group:
                done += self._match_pending_group(group, on_progress)
                group = []
        return done + self._match_pending_group(group, on_progress)

    def _match_pending_group(self, rows: list[Pending], on_progress: Progress | None) -> int:
        with self._lock:
            try:
                self.catch_up()
            except Exception:
                log.exception("reading what other processes matched failed")
            done = len(self._match_locked(rows))
        if on_progress and rows:
            on_progress(len(rows))
        return done

    def match(self, article_id: int) -> Matched | None:
        """Match one stored article (nothing happens if it is matched already)."""
        found = self.match_many([article_id])
        return found[0] if found else None

    def match_many(self, article_ids: Sequence[int]) -> list[Matched]:
        """Match stored articles in arrival order, recorded in one transaction; those matched
        already are left as they are."""
        if not article_ids:
            return []
        wanted = set(article_ids)
        with self._lock:
            try:
                rows = [row for row in self._read_with_news(wanted) if not row.matched]
            except Exception:  # they stay unmatched; the next start matches them
                log.exception("reading articles %s to match failed", sorted(wanted))
                return []
            return self._match_locked([(row, None) for row in rows])

    def match_saved(self, new: Sequence[tuple[MatchRow, MatchTraits]]) -> list[Matched]:
        """Match articles just saved, in arrival order, from what was saved (their rows as
        save_articles made them, and their traits): nothing is read back but what other
        processes matched meanwhile. Recorded in one transaction."""
        if not new:
            return []
        with self._lock:
            older = [row.id for row, _ in new if row.id <= self.last_id]
            try:
                taken = self._news_through(max(row.id for row, _ in new))
                if older:  # rare: another process went past them; did it match them too?
                    taken |= {r.id for r in self.store.match_rows_of(older) if r.matched}
            except Exception:  # they stay unmatched; the next start matches them
                log.exception("reading what other processes matched failed")
                return []
            return self._match_locked([pair for pair in new if pair[0].id not in taken])

    def _news_through(self, newest: int) -> set[int]:
        """Take in what others matched up to `newest`: polling saves new articles after
        everything the indexes hold. The ids taken in."""
        if newest <= self.last_id:
            return set()
        return self._take_in(
            self.store.match_rows(matched=True, after_id=self.last_id, through_id=newest)
        )

    def _read_with_news(self, wanted: set[int]) -> list[MatchRow]:
        """The wanted rows, in one read with what others matched since we last looked (taken
        in on the way): polling saves new articles after everything the indexes hold."""
        older = sorted(i for i in wanted if i <= self.last_id)
        found = self.store.match_rows_of(older) if older else []
        newest = max(wanted)
        if newest > self.last_id:
            recent = list(self.store.match_rows(after_id=self.last_id, through_id=newest))
            self._take_in(row for row in recent if row.matched)
            found += [row for row in recent if row.id in wanted]
        return found

    def _match_locked(self, rows: list[Pending]) -> list[Matched]:
        if not rows:
            return []
        try:
            embeddings = self._embeddings([row for row, _ in rows])
            with self._recording() as recorder:
                matched = [
                    self._match_row(row, traits, recorder, embedding)
                    for (row, traits), embedding in zip(rows, embeddings, strict=True)
                ]
        except Exception:
            # the indexes may hold decisions the store rolled back: start them afresh,
            # then match one at a time so a fault on one article leaves only it unmatched
            log.exception("matching %d articles failed; retrying one by one", len(rows))
            self._reopen()
            matched = [m for pair in rows if (m := self._match_alone(*pair)) is not None]
        self.last_id = max(self.last_id, max(row.id for row, _ in rows))
        return matched

    def _match_alone(self, row: MatchRow, traits: MatchTraits | None) -> Matched | None:
        # a fault on one article must not stop polling; it stays unmatched and is tried again
        try:
            (embedding,) = self._embeddings([row])
            with self._recording() as recorder:
                return self._match_row(row, traits, recorder, embedding)
        except Exception:
            log.exception("matching article %s failed; it stays unmatched", row.id)
            self._reopen()
            return None

    def _embeddings(self, rows: list[MatchRow]) -> list[Any]:
        """The rows' sentence embeddings, in one batch (None each without the extra)."""
        if self.embedder is None:
            return [None] * len(rows)
        return list(self.embedder.embed([embedding_text(row.title, row.text) for row in rows]))

    @contextmanager
    def _recording(self) -> Iterator[MatchRecorder]:
        """A write transaction for decisions; stories created meanwhile are made in it."""
        with self.store.match_recorder() as recorder:
            self._recorder = recorder
            try:
                yield recorder
            finally:
                self._recorder = None

    def _reopen(self) -> None:
        self.matcher = self._new_matcher()
        self.last_id = 0
        self.rebuild()

    def _new_story(self, first_seen: datetime) -> int:
        if self._recorder is not None:  # inside the group's transaction, rolled back with it
            return self._recorder.create_story("", first_seen=first_seen)
        return self.store.create_story("", first_seen=first_seen)

    def _match_row(
        self,
        row: MatchRow,
        traits: MatchTraits | None,
        recorder: MatchRecorder,
        embedding: Any = None,
    ) -> Matched:
        if traits is None:
            traits = traits_of(row.title, row.text, row.canonical_url or row.url)
        result = self.matcher.add_traits(
            row.id,
            row.title,
            traits,
            at=row.at,
            outlet=row.outlet,
            stored_story=self._stored_story,
            embedding=embedding,
        )
        original = result.duplicate.original_id if result.duplicate else None
        assignment = result.story
        recorder.record(
            row.id,
            signature=traits.signature.to_bytes(),
            original_id=original,
            story_id=assignment.story_id,
            story_title=assignment.title,
            merges=[(m.merged, m.into) for m in assignment.merges],
            moves=[(m.article_id, m.into) for m in assignment.moves],
            known=row,
            retitle=self.matcher.story_title,
        )
        return Matched(row.id, original, assignment.story_id)

    def _stored_story(self, article_id: int) -> int | None:
        if self._recorder is not None:  # it may have been matched in this very group
            return self._recorder.story_of(article_id)
        row = self.store.match_row(article_id)
        return row.story_id if row is not None else None


_steps: weakref.WeakKeyDictionary[Store, MatchStep] = weakref.WeakKeyDictionary()
_steps_lock = threading.Lock()


def match_step_for(store: Store, settings: Settings) -> MatchStep:
    """The process's one matching step for `store`, opened on first use, so every poll in the
    process (the background poller, a refresh request) shares one set of indexes."""
    with _steps_lock:
        step = _steps.get(store)
        if step is None:
            step = _steps[store] = MatchStep.open(store, settings)
        return step


def regroup(
    store: Store,
    settings: Settings,
    *,
    since: datetime | None = None,
    on_progress: Progress | None = None,
) -> int:
    """Forget the matches from `since` on (all when None) and decide them again with the
    current settings, in arrival order as polling did; returns how many were matched. Story
    ids hold: a story keeps the id of its earliest article's story, and an id no story keeps
    redirects (Store.story_redirect) to the story that holds its earliest article."""
    firsts = store.first_articles_of_stories(since=since)
    store.clear_matches(since=since)
    kept = store.story_ids()
    step = MatchStep(store, settings)
    step.rebuild()
    matched = step.match_pending(on_progress=on_progress)
    # each story takes the id its earliest coverage had; ids given up redirect
    store.keep_story_ids(firsts, kept=kept)
    with _steps_lock:
        _steps.pop(store, None)  # out of date now: the next use opens a step on the new ids
    return matched


ARTICLE_FIELDS = ("url", "canonical_url", "title", "site_name", "language", "image", "method")


def article_from_json(data: object) -> Article:
    """An Article from the JSON of `newsdesk extract --json` (unknown fields are ignored)."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    # a page extracted from a file without --url has no address but its own canonical one
    url = data.get("url") or data.get("canonical_url")
    if not isinstance(url, str) or not url.strip():
        raise ValueError("no url and no canonical_url")
    values: dict[str, Any] = {}
    for name in ARTICLE_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name} is not a string")
        values[name] = value
    values["url"] = url
    for name in ("published", "updated"):
        value = data.get(name)
        if value is None:
            values[name] = None
        elif isinstance(value, str):
            values[name] = datetime.fromisoformat(value)  # ValueError names the bad text
        else:
            raise ValueError(f"{name} is not a date")
    authors = data.get("authors") or []
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise ValueError("authors is not a list of names")
    text = data.get("text") or ""
    if not isinstance(text, str):
        raise ValueError("text is not a string")
    values["method"] = values["method"] or "import"
    return Article(authors=authors, text=text, **values)


def import_articles(
    store: Store,
    settings: Settings,
    lines: Iterable[str],
    *,
    source: str = "input",
    on_progress: Progress | None = None,
) -> ImportReport:
    """Store articles given as JSON Lines and match each like a polled one. A bad line is
    reported ("FILE line N: why") and skipped; the others are imported."""
    report = ImportReport()
    step = match_step_for(store, settings)
    for number, line in enumerate(lines, 1):
        if on_progress:
            on_progress(1)
        if not line.strip():
            continue
        try:
            article = article_from_json(json.loads(line))
        except ValueError as exc:  # json.JSONDecodeError is one
            report.errors.append(f"{source} line {number}: {exc}")
            continue
        article_id, created = store.save_article(article, fetched_at=utcnow())
        if not created:
            report.existing += 1
            continue
        report.added += 1
        matched = step.match(article_id)
        if matched is not None and matched.duplicate_of is not None:
            report.duplicates += 1
    return report
