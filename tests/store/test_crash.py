"""A process killed in the middle of save_article leaves nothing behind, and a re-run stores
the article exactly once."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from newsdesk.config import Settings
from newsdesk.model import Article
from newsdesk.store import Store

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from sqlalchemy import event
    from newsdesk.config import Settings
    from newsdesk.model import Article
    from newsdesk.store import Store

    store = Store(sys.argv[1])
    feed_id = int(sys.argv[2])

    def die_at_the_index(conn, cursor, statement, parameters, context, executemany):
        # the article row is written, the full-text row is next: stop dead here
        if "articles_fts" in statement and statement.lstrip().startswith("INSERT"):
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(store.engine, "before_cursor_execute", die_at_the_index)
    store.save_article(Article(url="https://n.example/a", title="Half", text="written"),
                       feed_id=feed_id, entry_keys=["guid-a"])
    print("survived")
    """
)


def test_killed_mid_write_leaves_no_partial_article(settings: Settings) -> None:
    with Store.open(settings) as store:
        feed, _ = store.add_feed("https://n.example/feed")
    child = subprocess.run(
        [sys.executable, "-c", CHILD, settings.resolved_database_url, str(feed.id)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == -9, child.stderr
    assert "survived" not in child.stdout
    with Store.open(settings) as store:
        assert store.count_articles() == 0
        assert store.known_entries(feed.id, ["guid-a"]).seen == {}
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM articles_fts").scalar() == 0
        article = Article(url="https://n.example/a", title="Whole", text="written")
        article_id, created = store.save_article(article, feed_id=feed.id, entry_keys=["guid-a"])
        assert created
        assert store.save_article(article, feed_id=feed.id) == (article_id, False)
        assert store.count_articles() == 1
        assert store.search("written")[0][0].id == article_id
