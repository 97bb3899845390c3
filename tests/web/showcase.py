"""A reader full of news for a person to look at: the fixture publisher's three sites polled, plus
a Japanese and a Chinese outlet whose reports group into stories, behind a real server. The
README's screenshots are taken over it (`make screenshots`), and the accessibility walk reads it.

    python -m tests.web.showcase docs/images     # the README's PNGs (needs a CJK font)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsdesk.config import Settings
from newsdesk.model import Article
from newsdesk.pipeline.matching import match_step_for
from newsdesk.store import Store
from newsdesk.web.app import create_app
from tests.match.test_end_to_end import follow_and_poll
from tests.sites.publisher import Publisher
from tests.web.conftest import ADMIN, ADMIN_API_PASSWORD, ADMIN_PASSWORD, LiveServer, ThreadedServer

# (outlet, folder, feed address, [(headline, text)]): the first two of each outlet tell one event
CJK_OUTLETS = [
    (
        "東京日報",
        "アジア",
        "https://tokyo-nippo.example.jp/rss.xml",
        [
            (
                "台風10号、九州南部に上陸 鹿児島で記録的な大雨",
                "大型で強い台風10号は8日午前、鹿児島県に上陸した。気象庁によると、九州南部では"
                "記録的な大雨となり、各地で避難指示が出ている。交通機関にも大きな影響が出ている。",
            ),
            (
                "新幹線、九州で終日運休 台風10号の影響",
                "JR九州は台風10号の接近に伴い、九州新幹線を終日運休すると発表した。在来線も多くの"
                "区間で運転を見合わせている。",
            ),
            (
                "東京株式市場、日経平均が3日続伸",
                "8日の東京株式市場で日経平均株価は3日続伸した。半導体関連株に買いが集まった。",
            ),
        ],
    ),
    (
        "新华快讯",
        "亚洲",
        "https://xinhua-kuaixun.example.cn/rss.xml",
        [
            (
                "台风“珊珊”登陆日本九州 多地发布避难指示",
                "第10号台风“珊珊”8日上午在日本鹿儿岛县登陆。日本气象厅表示，九州南部出现创纪录"
                "的强降雨，多地发布避难指示，交通受到严重影响。",
            ),
            (
                "上海举办国际人工智能大会 展示最新大模型",
                "2026世界人工智能大会在上海开幕，来自全球的数百家企业展示了最新的大模型和机器人技术。",
            ),
        ],
    ),
]


def seed_cjk(store: Store, settings: Settings, now: datetime | None = None) -> None:
    """The Japanese and Chinese outlets' reports, saved and matched into stories as polled."""
    now = now or datetime.now(UTC)
    for outlet, folder, feed_url, reports in CJK_OUTLETS:
        feed, _ = store.add_feed(feed_url, title=outlet, folder=folder)
        for i, (headline, text) in enumerate(reports):
            when = now - timedelta(minutes=20 + 35 * i)
            article = Article(
                url=f"{feed_url.rsplit('/', 1)[0]}/news/{i + 1}.html",
                title=headline,
                text=text,
                site_name=outlet,
                language="ja" if feed_url.endswith(".jp/rss.xml") else "zh",
                published=when,
            )
            store.save_article(article, feed_id=feed.id, fetched_at=when + timedelta(minutes=1))
    match_step_for(store, settings).match_pending()


def showcase_settings(data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        allow_private_networks=True,  # the fixture publisher is on loopback
        per_host_interval=0.0,
        admin_user=ADMIN,
        admin_password=ADMIN_PASSWORD,
        admin_api_password=ADMIN_API_PASSWORD,
        extract_processes=0,
    )


@contextmanager
def showcase(settings: Settings) -> Iterator[LiveServer]:
    """The server over a store holding the fixture sites' articles and the CJK outlets'."""
    store = Store.open(settings)
    try:
        # the publisher stays up: the river shows its pictures from it
        with Publisher() as publisher:
            follow_and_poll(store, settings, publisher)
            seed_cjk(store, settings)
            app = create_app(settings, store=store)
            with ThreadedServer(app) as server:
                yield LiveServer(server.url, app, store, settings)
    finally:
        store.close()


def take_screenshots(live: LiveServer, folder: Path) -> list[Path]:
    """The README's pictures: the story river and a story's page on a desktop, the river on a
    phone, and an article."""
    from playwright.sync_api import sync_playwright

    from tests.web.test_browser import CHROMIUM_ARGS, PHONE

    executable = shutil.which("chromium")
    if not executable:
        raise SystemExit("Debian's chromium is needed for the screenshots (make chromium)")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        for name, context in (
            ("desktop", {"viewport": {"width": 1280, "height": 860}}),
            ("phone", {"viewport": PHONE, "is_mobile": True, "has_touch": True}),
        ):
            ctx = browser.new_context(base_url=live.url, color_scheme="light", **context)
            page = ctx.new_page()
            page.goto("/login")
            page.get_by_label("User name").fill(ADMIN)
            page.get_by_label("Password").fill(ADMIN_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{live.url}/")
            if name == "phone":
                written.append(shot(page, folder / "reader-phone.png"))
                ctx.close()
                continue
            written.append(shot(page, folder / "reader-river.png"))
            biggest = max(live.store.list_stories(limit=1000), key=lambda s: len(s.article_ids))
            page.goto(f"/stories/{biggest.id}")
            written.append(shot(page, folder / "reader-story.png"))
            page.goto(f"/articles/{pictured_article(live.store)}")
            written.append(shot(page, folder / "reader-article.png"))
            ctx.close()
        browser.close()
    return written


def pictured_article(store: Store) -> int:
    """An article with a lead picture, from the story with the most outlets."""
    ranked = sorted(store.list_stories(limit=1000), key=lambda s: -len(s.outlets))
    for story in ranked:
        for item in store.get_articles(story.article_ids):
            if item.article.image:
                return item.id
    return min(ranked[0].article_ids)


def shot(page: object, path: Path) -> Path:
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    page.screenshot(path=str(path))  # type: ignore[attr-defined]
    return path


def has_cjk_font() -> bool:
    """Whether fontconfig knows a font with Japanese and Chinese (else they show as boxes)."""
    found = [
        subprocess.run(["fc-list", f":lang={lang}"], capture_output=True, text=True).stdout
        for lang in ("ja", "zh-cn")
    ]
    return all(text.strip() for text in found)


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "docs/images")
    if not shutil.which("fc-list") or not has_cjk_font():
        print(
            "no CJK font: apt-get install fonts-noto-cjk (make screenshots does)", file=sys.stderr
        )
        return 1
    with tempfile.TemporaryDirectory(prefix="newsdesk-showcase-") as tmp:
        settings = showcase_settings(Path(tmp) / "data")
        with showcase(settings) as live:
            for path in take_screenshots(live, folder):
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
