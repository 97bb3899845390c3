"""The router and the shape of an authenticated route: the caller from its GoogleLogin token
(checked before a body is read; a token sent in the form instead is read from a form capped
small), the handler in a worker thread."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from newsdesk.model import User
from newsdesk.web.auth.identity import greader_user_for_token
from newsdesk.web.auth.tokens import googlelogin_token
from newsdesk.web.bodies import carries_body, small_form
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


async def _form(request: Request) -> tuple[FormData, User | None]:
    """The call's form, and its caller when it had to be known before the form was read (the
    GoogleLogin header came with a body: a wrong token is answered without reading it)."""
    if request.method != "POST" or not carries_body(request.scope):
        return FormData(), None
    if googlelogin_token(request) is None:  # the token can only be in the form (T)
        return await small_form(request), None
    user = await run_in_threadpool(greader_user, request, FormData())
    if user is None:
        return FormData(), None
    return await request.form(), user


Handler = Callable[[Request, User, FormData], Response]


def route(path: str, methods: list[str], *, on_loop: bool = False) -> Callable[[Handler], Handler]:
    """Register a sync handler: the form is read first, then the handler (which reads the
    store, and may fetch a feed) runs in a worker thread with the authenticated user. A short
    read whose answer is nearly always kept runs on the event loop instead (`on_loop`): the
    hand-off to a thread cost more CPU than the call."""

    def register(handler: Handler) -> Handler:
        def authenticated(request: Request, form: FormData, user: User | None) -> Response:
            user = user or greader_user(request, form)
            if user is None:
                return unauthorized()
            return handler(request, user, form)

        async def endpoint(request: Request) -> Response:
            form, user = await _form(request)
            if on_loop:
                return authenticated(request, form, user)
            return await run_in_threadpool(authenticated, request, form, user)

        endpoint.__name__ = handler.__name__
        router.add_api_route(path, endpoint, methods=methods)
        return handler

    return register


def ok() -> Response:
    return PlainTextResponse("OK")
