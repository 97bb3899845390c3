"""On a machine without a PostgreSQL server the tests start their own cluster: that works."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from newsdesk.store import Store
from tests.store.postgres import ThrowawayCluster


def test_a_throwaway_cluster_holds_a_migrated_store() -> None:
    cluster = ThrowawayCluster.start()
    try:
        admin = create_engine(cluster.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE SCHEMA here"))
        admin.dispose()
        with Store(f"{cluster.url}?options=-csearch_path%3Dhere") as store:
            store.migrate()
            feed, created = store.add_feed("https://example.com/feed.xml")
            assert created and [f.id for f in store.list_feeds()] == [feed.id]
    finally:
        cluster.stop()
    assert not cluster.folder.exists()
