"""What a job did, for the CLI, the web and scripts."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PollReport:
    feeds: int = 0  # feeds asked
    not_modified: int = 0  # answered 304
    new_articles: int = 0
    left: int = 0  # new entries left for the next poll (over the cap, or out of time)
    errors: list[str] = field(default_factory=list)  # one line each, "feed title: what went wrong"
    extract_cpu_seconds: float = 0.0  # CPU spent extracting articles, over all workers
    parse_cpu_seconds: float = 0.0  # CPU spent parsing feeds, in the workers
    # CPU of the polling thread in its synchronous steps: saving and matching
    save_cpu_seconds: float = 0.0
    match_cpu_seconds: float = 0.0
    save_groups: int = 0  # transactions that stored new articles (of this feed and others)
    unsaved: str | None = None  # why some of a feed's new articles could not be saved

    def merge(self, other: PollReport) -> None:
        self.feeds += other.feeds
        self.not_modified += other.not_modified
        self.new_articles += other.new_articles
        self.left += other.left
        self.errors.extend(other.errors)
        self.parse_cpu_seconds += other.parse_cpu_seconds
        self.save_cpu_seconds += other.save_cpu_seconds
        self.match_cpu_seconds += other.match_cpu_seconds
        self.save_groups += other.save_groups

    def summary(self) -> str:
        """One line for a person: what a poll did, failures counted."""
        return (
            f"{self.feeds} feeds polled ({self.not_modified} unchanged), "
            f"{self.new_articles} new articles, {len(self.errors)} failed"
        )


@dataclass
class ImportReport:
    """What an import added: feeds from OPML, or articles from JSON Lines."""

    added: int = 0
    existing: int = 0  # followed, or stored, already
    duplicates: int = 0  # articles only: copies of others
    errors: list[str] = field(default_factory=list)  # one line each, "where: why"


def one_line(text: str) -> str:
    return " ".join(text.split())
