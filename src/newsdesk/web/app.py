"""The FastAPI application: one factory that wires the store, sessions, pages and APIs.

app = create_app(settings)                 # web only (`newsdesk serve`)
app = create_app(settings, poll=True)      # plus the poller in the same process (`newsdesk up`)

Several worker processes (one per core) serve more at once; settings come from the environment:
    newsdesk serve --workers 2
    uvicorn --factory newsdesk.web.app:from_environment --workers 2 --no-proxy-headers
(newsdesk reads X-Forwarded-For itself, from NEWSDESK_TRUSTED_PROXIES only)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from newsdesk import __version__
from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.web import api_v1, fever, greader, icons, outputs
from newsdesk.web.assets import StaticAssets, content_version
from newsdesk.web.auth.accounts import ensure_admin
from newsdesk.web.auth.csrf import csrf_token
from newsdesk.web.auth.identity import SignedIn, current_user
from newsdesk.web.auth.limits import Throttle
from newsdesk.web.auth.sessions import Sessions, load_secret_key
from newsdesk.web.bodies import BodyLimit
from newsdesk.web.deps import base_url
from newsdesk.web.errors import install_error_handlers
from newsdesk.web.items import controls_html, feed_options, item_html, story_item_html
from newsdesk.web.pages import account, article, river, search, sources, stories
from newsdesk.web.security import SecurityHeadersMiddleware
from newsdesk.web.sidebar import sidebar
from newsdesk.web.times import exact_time, next_time, relative_time
from newsdesk.web.viewcache import ViewCache, reading_settings
from newsdesk.web.views import source_badge

log = logging.getLogger("newsdesk.web")

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
TEMPLATE_DIR = HERE / "templates"


@lru_cache(maxsize=64)
def _static_version(name: str) -> str:
    # a content hash in the URL lets browsers cache static files for good
    return content_version((STATIC_DIR / name).read_bytes())


def static_url(name: str) -> str:
    return f"/static/{name}?v={_static_version(name)}"


def breakable(address: str) -> Markup:
    """An address that may wrap after its slashes only, never inside a word."""
    return Markup(str(escape(address)).replace("/", "/<wbr>"))


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["breakable"] = breakable
    env.globals.update(
        csrf_token=csrf_token,
        static_url=static_url,
        relative_time=relative_time,
        exact_time=exact_time,
        next_time=next_time,
        source_badge=source_badge,
        item_html=item_html,
        story_item_html=story_item_html,
        controls_html=controls_html,
        feed_options=feed_options,
    )
    return env


class Renderer:
    """Renders a template with what every page needs (user, settings, CSRF token)."""

    def __init__(self, settings: Settings) -> None:
        self.env = make_environment()
        self.settings = settings

    def __call__(
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | None = None,
        *,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        user = current_user(request)
        values: dict[str, Any] = {
            "request": request,
            "settings": self.settings,
            "user": user,
            "csrf": csrf_token(request),
            "base_url": base_url(request, self.settings),
            "reading": reading_settings(request, user),
            # who may read sees the sources beside every page; an error page keeps it simple
            "sidebar": sidebar(request, user)
            if (user or self.settings.public_mode) and status_code < 400
            else None,
        }
        values.update(context or {})
        html = self.env.get_template(name).render(values)
        return HTMLResponse(html, status_code=status_code, headers=headers)


def create_app(settings: Settings, *, store: Store | None = None, poll: bool = False) -> FastAPI:
    """Build the app. A store passed in stays open after shutdown; one opened here is closed."""
    owns_store = store is None
    if store is None:
        store = Store.open(settings)
    ensure_admin(store, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = None
        if poll:
            from newsdesk.pipeline.poll import poll_forever

            task = asyncio.create_task(poll_forever(store, settings, stop))
        try:
            yield
        finally:
            stop.set()
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            app.state.signed_in.close()
            if owns_store:
                store.close()

    app = FastAPI(
        title="newsdesk",
        version=__version__,
        description="A self-hosted news desk: web reader, JSON API, Google Reader and Fever APIs.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.sessions = Sessions(load_secret_key(settings))
    app.state.throttle = Throttle(store)
    app.state.render = Renderer(settings)
    app.state.view_cache = ViewCache()
    app.state.signed_in = SignedIn()

    # inside the security headers, so that a 413 carries them too
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    # added last, so outside the other layers: a static file is answered before any of them
    app.add_middleware(StaticAssets, directory=STATIC_DIR)
    install_error_handlers(app)
    # Each request is matched against the routes in this order, one by one: the reader's pages
    # and the client APIs first, the JSON API (the most routes, the least often called) last.
    # No two routers share a path, so the order changes nothing else.
    for module in (account, river, article, stories, search, sources, greader, fever, icons,
                   outputs, api_v1):  # fmt: skip
        app.include_router(module.router)
    return app


def from_environment() -> FastAPI:
    """The app with settings from NEWSDESK_* and newsdesk.toml, for uvicorn's --factory: each
    worker process builds its own (they share the database, the secret key and the accounts)."""
    from newsdesk.config import load_settings

    return create_app(load_settings())
