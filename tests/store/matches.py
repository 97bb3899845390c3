"""Matching decisions written as the matching step writes them: through Store.match_recorder."""

from __future__ import annotations

from collections.abc import Sequence

from newsdesk.store import Store


def record_match(
    store: Store,
    article_id: int,
    story_id: int,
    *,
    original_id: int | None = None,
    moves: Sequence[tuple[int, int]] = (),
    title: str = "Flood",
) -> None:
    """Record that the article joined `story_id` (headline `title`), copying `original_id`
    (None: it is an original), and that `moves` (article, into) changed story."""
    with store.match_recorder() as recorder:
        recorder.record(article_id, signature=b"", original_id=original_id, story_id=story_id,
                        story_title=title, moves=moves)
