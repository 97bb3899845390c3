"""The Store: every read and write of newsdesk's data goes through one of these."""

from __future__ import annotations

from newsdesk.config import Settings
from newsdesk.store import migrate
from newsdesk.store.archives import ArchivesMixin
from newsdesk.store.credentials import CredentialFailuresMixin
from newsdesk.store.entries import EntriesMixin
from newsdesk.store.feeds import FeedsMixin
from newsdesk.store.icons import IconsMixin
from newsdesk.store.leases import LeasesMixin
from newsdesk.store.listing import ListingMixin
from newsdesk.store.matching import MatchingMixin
from newsdesk.store.reading import ReadingSettingsMixin
from newsdesk.store.related import RelatedMixin
from newsdesk.store.roles import RolesMixin
from newsdesk.store.search import SearchMixin
from newsdesk.store.sessions import SessionsMixin
from newsdesk.store.site_blocks import SiteBlocksMixin
from newsdesk.store.state import StateMixin
from newsdesk.store.stories import StoriesMixin
from newsdesk.store.story_ids import StoryIdsMixin
from newsdesk.store.story_river import StoryRiverMixin
from newsdesk.store.tokens import TokensMixin


class Store(
    FeedsMixin,
    LeasesMixin,
    EntriesMixin,
    RelatedMixin,
    StoryRiverMixin,
    ListingMixin,
    SearchMixin,
    TokensMixin,
    IconsMixin,
    SessionsMixin,
    CredentialFailuresMixin,
    ReadingSettingsMixin,
    StateMixin,
    SiteBlocksMixin,
    StoriesMixin,
    StoryIdsMixin,
    MatchingMixin,
    ArchivesMixin,
    RolesMixin,
):
    """Sync and thread-safe (one engine, a connection per call); one per process.

    >>> store = Store.open(settings)   # creates the data folder, migrates to the newest schema
    """

    @classmethod
    def open(cls, settings: Settings) -> Store:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = cls(settings.resolved_database_url)
        store.migrate()
        return store

    def migrate(self, revision: str = "head") -> None:
        migrate.upgrade(self.engine, revision)

    def schema_revision(self) -> str | None:
        return migrate.current_revision(self.engine)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
