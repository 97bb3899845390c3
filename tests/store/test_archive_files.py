"""How far each archive file was read: kept per path and size, on SQLite and PostgreSQL."""

from __future__ import annotations

from newsdesk.model import Article
from newsdesk.store import Store
from newsdesk.store.articles import NewArticle


def test_progress_is_kept_per_file_and_forgotten_when_the_file_changes(either_store: Store) -> None:
    store = either_store
    assert store.archive_progress({"/a.warc.gz": 100, "/b.warc.gz": 200}) == {}
    store.mark_archive_files({"/a.warc.gz": (100, 40, False), "/b.warc.gz": (200, 7, True)})
    assert store.archive_progress({"/a.warc.gz": 100, "/b.warc.gz": 200}) == {
        "/a.warc.gz": 40,
        "/b.warc.gz": None,  # read to its end
    }
    store.mark_archive_files({"/a.warc.gz": (100, 90, False)})
    assert store.archive_progress({"/a.warc.gz": 100}) == {"/a.warc.gz": 90}
    assert store.archive_progress({"/a.warc.gz": 150}) == {}  # another file under that name


def test_an_archived_article_keeps_its_record_id(either_store: Store) -> None:
    article = Article(url="https://news.example/2024/03/12/a-story", title="A story", text="x")
    record = "<urn:uuid:0e8c919f-66ae-4e85-a48c-7477c0ef3cfe>"
    ((article_id, created),) = either_store.save_articles(
        [NewArticle(article, warc_record_id=record)]
    )
    assert created and either_store.get_article(article_id).warc_record_id == record
