"""Writers in several threads (as the web server and the poller are) queue for SQLite's lock
instead of failing, and racing saves of one URL still store it once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from newsdesk.model import Article
from newsdesk.store import Store


def test_parallel_writers_and_readers(store: Store) -> None:
    feed, _ = store.add_feed("https://n.example/feed")
    user = store.create_user("reader", "hash")

    def write(worker: int) -> list[tuple[int, bool]]:
        results = []
        for n in range(20):
            # every worker saves the same 20 shared URLs and 20 of its own
            shared = Article(url=f"https://n.example/shared/{n}", title="Shared", text="common")
            own = Article(url=f"https://n.example/{worker}/{n}", title="Own", text="mine")
            results.append(store.save_article(shared, feed_id=feed.id, entry_keys=[f"s{n}"]))
            results.append(store.save_article(own, feed_id=feed.id, entry_keys=[f"{worker}-{n}"]))
            store.set_read(user.id, [results[-1][0]])
            store.list_articles(limit=10)
            store.search("common")
        return results

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = [r for batch in pool.map(write, range(4)) for r in batch]
    assert store.count_articles() == 20 + 4 * 20
    created = [article_id for article_id, was_created in outcomes if was_created]
    assert len(created) == len(set(created)) == 100
    assert store.unread_counts(user.id) == {feed.id: 20}
