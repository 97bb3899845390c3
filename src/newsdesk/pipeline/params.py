"""The pipeline's tuning values, as one frozen object fed from Settings."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.config import Settings


@dataclass(frozen=True, slots=True)
class PipelineParams:
    # A feed's pages fetched ahead of the ones its host is serving: a feed's pages mostly share
    # one host, which takes them one by one anyway, and pages fetched far ahead only fill memory.
    entries_ahead: int = 2
    # Articles saved in one transaction: a crash costs at most their fetching.
    save_group: int = 100
    # Seconds a group waits for more after its first article: each group costs a commit (where
    # the search index merges) and a matching transaction; the end of a poll does not wait.
    save_wait: float = 10.0
    # Stored articles matched, and recorded, in one transaction when catching up.
    match_group: int = 50
    # Whether polling learns the blocks each site repeats on every page, and drops them.
    site_memory: bool = True
    # Seconds a worker may parse one feed before it is killed and the feed fails: the time a
    # document costs the parsers has no other bound.
    parse_deadline: float = 10.0
    # New entries taken from one feed in one poll, oldest first; a feed with more left is due
    # again at once, so none is skipped for good and no feed holds a round for hours.
    entries_per_poll: int = 200
    # Seconds one feed's pages are fetched in one round; its entries not started by then wait
    # for the next round, so one slow host cannot hold up the others.
    feed_round_seconds: float = 300.0
    # URLs read from one sitemap (the protocol's most); a longer one is read that far, and
    # the source says so.
    sitemap_max_urls: int = 50_000
    # Child sitemaps of an index read in one poll (news sitemaps, else the newest), so a site
    # with thousands of them costs a few fetches.
    sitemap_children: int = 3
    # Whether matching embeds each article (the `semantic` extra) and weighs the embeddings
    # into story scores (StoryParams.semantic_weight).
    semantic: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> PipelineParams:
        return cls(
            entries_ahead=max(0, settings.entries_ahead),
            save_group=max(1, settings.save_group),
            save_wait=max(0.0, settings.save_wait),
            match_group=max(1, settings.match_group),
            site_memory=settings.site_memory,
            parse_deadline=max(0.001, settings.feed_parse_seconds),
            entries_per_poll=max(1, settings.feed_entries_per_poll),
            feed_round_seconds=max(0.0, settings.feed_round_seconds),
            sitemap_max_urls=max(1, settings.sitemap_max_urls),
            sitemap_children=max(1, settings.sitemap_children_per_poll),
            semantic=settings.semantic,
        )
