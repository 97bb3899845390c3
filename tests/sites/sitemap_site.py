"""A fixture news site without a feed, read from its sitemaps, served on loopback.

    with SitemapSite("index") as site:
        site.home_url                  # its home page: links no feed, and /feed etc. are 404
        site.add_article("Title", published=..., news=True)   # a page, listed in its sitemaps

Layouts (what robots.txt and the sitemaps say):
  index      robots.txt names /sitemap_index.xml, which names the Google News sitemap
             /sitemap-news.xml (dated by its newest story) and the older regular
             /sitemap-archive.xml (2019). News articles are in the first, the others in the
             second.
  plain      only /sitemap.xml (robots.txt names none): every article, with <lastmod>, then
             the home page, a section front and a tag page (LIST_PAGES).
  gzip       robots.txt names /sitemap-news.xml.gz: the news sitemap gzipped (served as a file,
             not as a Content-Encoding).
  malformed  /sitemap.xml is broken XML (a tag left open), after its first article.
  none       no sitemap at all.
Article pages have a body and no title or date of their own (no meta, no JSON-LD), so what a
reader shows of them comes from the news sitemap. `serve(path, body, ...)` answers any path
with a given body (a loop, a sitemap naming another host); sitemaps and bodies served so answer
conditional GETs (ETag).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

LAYOUTS = ("index", "plain", "gzip", "malformed", "none")
ARCHIVE_DATE = datetime(2019, 3, 1, tzinfo=UTC)
LIST_PAGES = ("/", "/world/", "/tag/harbour/")  # in regular sitemaps, after the articles
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


@dataclass
class SiteArticle:
    path: str
    title: str
    published: datetime
    paragraphs: list[str]
    news: bool = True  # in the news sitemap (index, gzip layouts), else in the archive one


@dataclass
class _Answer:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class SitemapSite:
    """One site on 127.0.0.1 and a free port; a context manager."""

    def __init__(self, layout: str = "index", name: str = "Harbour Ledger") -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}; one of {LAYOUTS}")
        self.layout = layout
        self.name = name
        self.articles: list[SiteArticle] = []
        self.overrides: dict[str, _Answer] = {}
        self.hits: Counter[str] = Counter()
        self.conditional_hits: Counter[str] = Counter()  # requests with a validator
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self.base = ""

    # --- life cycle

    def __enter__(self) -> SitemapSite:
        ThreadingHTTPServer.daemon_threads = True
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        host, port = self._server.server_address[:2]
        self.base = f"http://{host}:{port}"
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- what tests use

    @property
    def home_url(self) -> str:
        return self.base + "/"

    def url(self, path: str) -> str:
        return self.base + path

    def add_article(
        self, title: str, *, published: datetime, news: bool = True, words: str = ""
    ) -> str:
        """Publish a page listed in the site's sitemaps; its URL."""
        with self._lock:
            number = len(self.articles) + 1
            slug = "-".join(w for w in "".join(c if c.isalnum() else " " for c in title).split())
            paragraphs = [
                f"{title} was reported by the {self.name} desk this morning, with officials "
                f"confirming the details of story number {number} to our reporters on the "
                f"scene. {words}",
                f"Residents said the events described in story {number} had been expected for "
                f"some time, and that the council would meet again to discuss what follows.",
                f"Further reporting on story {number} will follow as more becomes known, the "
                f"desk said, adding that readers could send tips to the newsroom.",
            ]
            article = SiteArticle(f"/stories/{slug.lower()}-{number}", title, published,
                                  paragraphs, news)  # fmt: skip
            self.articles.append(article)
            return self.base + article.path

    def serve(
        self, path: str, body: bytes | str, content_type: str = "application/xml", status: int = 200
    ) -> None:
        """Answer `path` with this body from now on."""
        data = body.encode() if isinstance(body, str) else body
        with self._lock:
            self.overrides[path] = _Answer(status, content_type, data)

    # --- rendering

    def news_sitemap(self) -> str:
        with self._lock:
            items = [a for a in self.articles if a.news or self.layout not in ("index", "gzip")]
        rows = "".join(
            f"<url><loc>{self.base}{a.path}</loc><news:news><news:publication>"
            f"<news:name>{html.escape(self.name)}</news:name><news:language>en</news:language>"
            f"</news:publication><news:publication_date>{a.published.isoformat()}"
            f"</news:publication_date><news:title>{html.escape(a.title)}</news:title>"
            f"</news:news></url>\n"
            for a in items
        )
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {NS} {NEWS_NS}>\n{rows}</urlset>\n'

    def regular_sitemap(self, articles: list[SiteArticle] | None = None) -> str:
        """The articles, then the site's home, a section front and a tag page, as a site's
        sitemap lists them."""
        with self._lock:
            items = self.articles if articles is None else articles
            rows = "".join(
                f"<url><loc>{self.base}{a.path}</loc>"
                f"<lastmod>{a.published.date().isoformat()}</lastmod></url>\n"
                for a in items
            )
        rows += "".join(f"<url><loc>{self.base}{path}</loc></url>\n" for path in LIST_PAGES)
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {NS}>\n{rows}</urlset>\n'

    def index(self) -> str:
        """The news sitemap dated by its newest story, the archive by 2019."""
        with self._lock:
            newest = max((a.published for a in self.articles if a.news), default=ARCHIVE_DATE)
        rows = (
            f"<sitemap><loc>{self.base}/sitemap-archive.xml</loc>"
            f"<lastmod>{ARCHIVE_DATE.isoformat()}</lastmod></sitemap>\n"
            f"<sitemap><loc>{self.base}/sitemap-news.xml</loc>"
            f"<lastmod>{newest.isoformat()}</lastmod></sitemap>\n"
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex {NS}>\n{rows}</sitemapindex>\n'
        )

    def _sitemap(self, path: str) -> _Answer | None:
        xml = "application/xml; charset=utf-8"
        if self.layout == "index":
            if path == "/sitemap_index.xml":
                return _Answer(200, xml, self.index().encode())
            if path == "/sitemap-news.xml":
                return _Answer(200, xml, self.news_sitemap().encode())
            if path == "/sitemap-archive.xml":
                with self._lock:
                    archive = [a for a in self.articles if not a.news]
                return _Answer(200, xml, self.regular_sitemap(archive).encode())
        if self.layout == "plain" and path == "/sitemap.xml":
            return _Answer(200, xml, self.regular_sitemap().encode())
        if self.layout == "gzip" and path == "/sitemap-news.xml.gz":
            body = gzip.compress(self.news_sitemap().encode(), mtime=0)
            return _Answer(200, "application/x-gzip", body)
        if self.layout == "malformed" and path == "/sitemap.xml":
            full = self.regular_sitemap()
            first_end = full.index("</url>") + len("</url>")
            return _Answer(200, xml, (full[:first_end] + "\n<url><loc>" + self.base).encode())
        return None

    def robots(self) -> str:
        named = {"index": "/sitemap_index.xml", "gzip": "/sitemap-news.xml.gz"}.get(self.layout)
        lines = "User-agent: *\nDisallow: /private/\n"
        return lines + (f"Sitemap: {self.base}{named}\n" if named else "")

    def home(self) -> str:
        with self._lock:
            links = "".join(
                f'<li><a href="{a.path}">{html.escape(a.title)}</a></li>' for a in self.articles
            )
        return (
            f"<!DOCTYPE html><html lang=en><head><title>{html.escape(self.name)}</title>"
            f'<meta property="og:site_name" content="{html.escape(self.name)}"></head>'
            f"<body><h1>{html.escape(self.name)}</h1><ul>{links}</ul></body></html>"
        )

    def page(self, article: SiteArticle) -> str:
        body = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
        return (
            f"<!DOCTYPE html><html lang=en><head><title>{html.escape(self.name)}</title></head>"
            f"<body><nav><a href=/>Home</a></nav><article>{body}</article></body></html>"
        )

    def answer(self, path: str, headers: dict[str, str]) -> _Answer:
        with self._lock:
            self.hits[path] += 1
            if "if-none-match" in headers or "if-modified-since" in headers:
                self.conditional_hits[path] += 1
            override = self.overrides.get(path)
            if override is not None:
                fresh = _Answer(override.status, override.content_type, override.body)
                return _conditional(fresh, headers) if override.status == 200 else fresh
            article = next((a for a in self.articles if a.path == path), None)
        if path == "/":
            return _Answer(200, "text/html; charset=utf-8", self.home().encode())
        if path == "/robots.txt":
            return _Answer(200, "text/plain", self.robots().encode())
        if article is not None:
            return _Answer(200, "text/html; charset=utf-8", self.page(article).encode())
        sitemap = self._sitemap(path)
        if sitemap is not None:
            return _conditional(sitemap, headers)
        return _Answer(404, "text/html", b"<html><body>Not found</body></html>")


def _conditional(answer: _Answer, request: dict[str, str]) -> _Answer:
    etag = '"' + hashlib.sha256(answer.body).hexdigest()[:16] + '"'
    answer.headers["ETag"] = etag
    if request.get("if-none-match", "").strip() == etag:
        return _Answer(304, answer.content_type, b"", {"ETag": etag})
    return answer


def _handler(site: SitemapSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (the http.server spelling)
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = site.answer(urlsplit(self.path).path, headers)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if answer.status != 304:
                self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler
