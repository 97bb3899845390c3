"""`newsdesk search` on a PostgreSQL store (it once failed there with a traceback): word forms,
prefixes, phrases, CJK and the hint, as on SQLite."""

from __future__ import annotations

from newsdesk.model import Article
from newsdesk.store import Store
from tests.store.postgres import postgres_schema

ARTICLES = [
    ("en", "Pirates seize a tanker", "The pirates' ship was seen off the coast at dawn."),
    ("de", "Piraten kapern Tanker", "Die Häuser am Hafen wurden geräumt."),
    ("zh", "海盗劫持油轮", "海盗在黎明时分登上了这艘船。"),
]


def test_search_on_postgresql(cli) -> None:
    with postgres_schema() as url:
        store = Store(url)
        try:
            store.migrate()
            ids = [
                store.save_article(Article(url=f"https://pg.example/{n}", title=title,
                                           text=text, language=language))[0]
                for n, (language, title, text) in enumerate(ARTICLES)
            ]  # fmt: skip
        finally:
            store.close()
        cli.env["NEWSDESK_DATABASE_URL"] = url

        def found(query: str) -> set[int]:
            return {hit["id"] for hit in cli.json_lines("search", query)}

        assert found("pirate") == found("pirat*") == {ids[0], ids[1]}
        assert found('"pirate ship"') == {ids[0]} and found("Haus") == {ids[1]}
        assert found("海盗") == {ids[2]} and found("盗") == {ids[2]}
        (hit,) = cli.json_lines("search", "pirate ship")
        assert "<mark>pirates</mark>" in hit["snippet"]
        shown = cli("search", "pirates").stdout
        assert "Pirates seize a tanker" in shown and "Piraten kapern Tanker" in shown
        nothing = cli("search", "galleons").stdout
        assert "nothing found for 'galleons'. Try a prefix like galleon*." in nothing
