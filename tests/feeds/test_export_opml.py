import listparser

from newsdesk.feeds.opml import export_opml
from newsdesk.model import Feed


def test_export_uses_the_names_and_folders_the_user_gave() -> None:
    feeds = [
        Feed(id=1, url="https://a.example/rss", title="A Daily", user_title="Morning paper",
             folder="World"),
        Feed(id=2, url="https://b.example/atom", title="B Weekly"),
    ]
    parsed = listparser.parse(export_opml(feeds))
    got = {(f.url, f.title, tuple(c[0] for c in f.categories if c)) for f in parsed.feeds}
    assert got == {
        ("https://a.example/rss", "Morning paper", ("World",)),
        ("https://b.example/atom", "B Weekly", ()),
    }
