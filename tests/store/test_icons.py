"""Site icons in the store, on SQLite and PostgreSQL: kept per site, found by key, an earlier
icon kept when a later look finds none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.store import Store
from newsdesk.store.icons import icon_key
from tests.sites.icon_sites import ICO, PNG

NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)
SITE = "https://news.example"


def test_icons_are_kept_per_site(either_store: Store) -> None:
    store = either_store
    assert store.icon_checked_at(SITE) is None
    store.save_icon(SITE, checked_at=NOW, url=f"{SITE}/favicon.ico", content_type="image/x-icon",
                    data=ICO)  # fmt: skip
    store.save_icon("https://none.example", checked_at=NOW)  # looked for, none found
    assert store.icon_checked_at(SITE) == NOW
    assert store.icon_checked_at("https://none.example") == NOW
    icon = store.icon(icon_key(SITE))
    assert icon is not None and (icon.content_type, icon.data, icon.site) == ("image/x-icon", ICO,
                                                                              SITE)  # fmt: skip
    assert store.icon(icon_key("https://none.example")) is None
    assert store.icon("0" * 32) is None
    found = store.site_icons([SITE, "https://none.example", "https://other.example"])
    assert list(found) == [SITE] and found[SITE].data == ICO
    assert store.site_icons([SITE], with_data=False)[SITE].data is None

    later = NOW + timedelta(days=8)
    store.save_icon(SITE, checked_at=later)  # a look that finds nothing keeps the icon
    assert store.icon_checked_at(SITE) == later
    assert store.icon(icon_key(SITE)).data == ICO  # type: ignore[union-attr]
    store.save_icon(SITE, checked_at=later, url=f"{SITE}/i.png", content_type="image/png",
                    data=PNG)  # fmt: skip
    replaced = store.icon(icon_key(SITE))
    assert replaced is not None and (replaced.content_type, replaced.data) == ("image/png", PNG)
    assert replaced.digest != icon.digest
