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

    @classmethod
    def from_settings(cls, settings: Settings) -> PipelineParams:
        return cls(
            entries_ahead=max(0, settings.entries_ahead),
            save_group=max(1, settings.save_group),
            save_wait=max(0.0, settings.save_wait),
            match_group=max(1, settings.match_group),
            site_memory=settings.site_memory,
        )
