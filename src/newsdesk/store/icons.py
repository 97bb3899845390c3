"""Site icons: one row per site (its origin), written by polling, read by the web.

store.icon_checked_at("https://example.org")     # when it was last looked for, or None
store.save_icon(site, url=..., content_type="image/png", data=b"...", checked_at=now)
store.icon(key)                                  # SiteIcon with its bytes, or None
store.site_icons(["https://example.org", ...])   # {site: SiteIcon} of those that have one
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from newsdesk.model import SiteIcon
from newsdesk.store.base import StoreBase
from newsdesk.store.sql import insert_ignore, upsert
from newsdesk.store.tables import site_icons
from newsdesk.times import as_utc

CHUNK = 500


def icon_key(site: str) -> str:
    """The name of a site's icon in newsdesk's address: a digest of the site, so the address
    says nothing of it and cannot be guessed from a feed id."""
    return hashlib.sha256(site.encode("utf-8")).hexdigest()[:32]


def _icon(row: Any) -> SiteIcon:
    return SiteIcon(site=row.site, key=row.key, checked_at=as_utc(row.checked_at), url=row.url,
                    content_type=row.content_type, data=getattr(row, "data", None),
                    digest=row.digest)  # fmt: skip


class IconsMixin(StoreBase):
    def icon_checked_at(self, site: str) -> datetime | None:
        with self._read() as conn:
            found = conn.execute(
                select(site_icons.c.checked_at).where(site_icons.c.site == site)
            ).scalar()
        return as_utc(found) if found is not None else None

    def save_icon(
        self,
        site: str,
        *,
        checked_at: datetime,
        url: str | None = None,
        content_type: str | None = None,
        data: bytes | None = None,
    ) -> None:
        """Keep what looking for the site's icon found. Without `data` (none found this time)
        an icon found before is kept; only `checked_at` moves on."""
        row = {"site": site, "key": icon_key(site), "checked_at": checked_at}
        with self._write() as conn:
            if data is None:
                insert_ignore(conn, site_icons, [row], ["site"])
                conn.execute(
                    update(site_icons)
                    .where(site_icons.c.site == site)
                    .values(checked_at=checked_at)
                )
                return
            digest = hashlib.sha256(data).hexdigest()
            full = {**row, "url": url, "content_type": content_type, "data": data,
                    "digest": digest}  # fmt: skip
            upsert(conn, site_icons, [full], ["site"], {name: name for name in full})

    def icon(self, key: str) -> SiteIcon | None:
        """The icon named `key`, with its bytes; None when there is none (or it has no data)."""
        with self._read() as conn:
            row = conn.execute(select(site_icons).where(site_icons.c.key == key)).first()
        return _icon(row) if row is not None and row.data is not None else None

    def site_icons(self, sites: Iterable[str], *, with_data: bool = True) -> dict[str, SiteIcon]:
        """{site: SiteIcon} for those of `sites` that have an icon. `with_data=False`: without
        the bytes (an address is all a subscription list needs)."""
        wanted = sorted(set(sites))
        columns = [c for c in site_icons.c if with_data or c.name != "data"]
        found: dict[str, SiteIcon] = {}
        with self._read() as conn:
            for start in range(0, len(wanted), CHUNK):
                chunk = wanted[start : start + CHUNK]
                query = select(*columns).where(
                    site_icons.c.site.in_(chunk), site_icons.c.digest.is_not(None)
                )
                found.update((row.site, _icon(row)) for row in conn.execute(query))
        return found
