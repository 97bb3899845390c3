"""The router and the shape of an authenticated route: the caller from its GoogleLogin token,
the form read first, the handler in a worker thread."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from newsdesk.model import User
from newsdesk.web.auth.identity import greader_user_for_token
from newsdesk.web.auth.tokens import googlelogin_token
from newsdesk.web.errors import ApiRoute

router = APIRouter(prefix="/api/greader", route_class=ApiRoute, include_in_schema=False)


def unauthorized(message: str = "Unauthorized") -> Response:
    return JSONResponse(
        {"error": message},
        status_code=401,
        headers={"Google-Bad-Token": "true", "X-Reader-Google-Bad-Token": "true"},
    )


def greader_user(request: Request, form: FormData) -> User | None:
    """The caller, from the GoogleLogin header (or a POST's T field, as Miniflux allows)."""
    token = googlelogin_token(request)
    if token is None:
        value = form.get("T")
        token = value if isinstance(value, str) and "/" in value else None
    user = greader_user_for_token(request, token) if token else None
    if user is not None:
        request.scope["newsdesk.greader_token"] = token
    return user


async def _form(request: Request) -> FormData:
    if request.method != "POST":
        return FormData()
    return await request.form()


Handler = Callable[[Request, User, FormData], Response]


def route(path: str, methods: list[str], *, on_loop: bool = False) -> Callable[[Handler], Handler]:
    """Register a sync handler: the form is read first, then the handler (which reads the
    store, and may fetch a feed) runs in a worker thread with the authenticated user. A short
    read whose answer is nearly always kept runs on the event loop instead (`on_loop`): the
    hand-off to a thread cost more CPU than the call."""

    def register(handler: Handler) -> Handler:
        def authenticated(request: Request, form: FormData) -> Response:
            user = greader_user(request, form)
            if user is None:
                return unauthorized()
            return handler(request, user, form)

        async def endpoint(request: Request) -> Response:
            form = await _form(request)
            if on_loop:
                return authenticated(request, form)
            return await run_in_threadpool(authenticated, request, form)

        endpoint.__name__ = handler.__name__
        router.add_api_route(path, endpoint, methods=methods)
        return handler

    return register


def ok() -> Response:
    return PlainTextResponse("OK")
