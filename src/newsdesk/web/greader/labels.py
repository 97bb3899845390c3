"""Folders as labels: renaming one (rename-tag) and dissolving one (disable-tag), as FreshRSS
answers them: OK, or 400 for a label that is no folder."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from newsdesk.model import User
from newsdesk.web.errors import api_error
from newsdesk.web.greader.ids import LABEL, normal_stream
from newsdesk.web.greader.params import values
from newsdesk.web.greader.routing import ok, route
from newsdesk.web.state import get_store


def folder_name(value: str, what: str) -> str:
    """The folder of a label stream (user/-/label/<name>) or of a bare name."""
    sid = normal_stream(value.strip())
    name = sid[len(LABEL) :] if sid.startswith(LABEL) else sid
    if not name or name.startswith(("user/", "feed/")):
        raise api_error(400, f"parameter {what}: {value[:120]!r} is not a folder label")
    return name


def _sources(request: Request, form: FormData) -> list[str]:
    given = [(v, "s") for v in values(request, form, "s")]
    given += [(v, "t") for v in values(request, form, "t")]  # a bare name, as Inoreader sends
    if not given:
        raise api_error(400, "parameter s: give the label (user/-/label/<folder>)")
    return [folder_name(value, what) for value, what in given]


@route("/reader/api/0/rename-tag", ["POST"])
def rename_tag(request: Request, user: User, form: FormData) -> Response:
    [folder, *more] = _sources(request, form)
    if more:
        raise api_error(400, "parameter s: rename one label at a time")
    dest = str(form.get("dest") or request.query_params.get("dest") or "")
    if not dest:
        raise api_error(400, "parameter dest: give the new label (user/-/label/<folder>)")
    _move(request, folder, folder_name(dest, "dest"))
    return ok()


@route("/reader/api/0/disable-tag", ["POST"])
def disable_tag(request: Request, user: User, form: FormData) -> Response:
    for folder in _sources(request, form):
        _move(request, folder, None)  # its feeds stay subscribed, in no folder
    return ok()


def _move(request: Request, folder: str, into: str | None) -> None:
    request.app.state.view_cache.forget_feeds()
    if not get_store(request).rename_folder(folder, into):
        raise api_error(400, f"no folder {folder[:120]!r}")
