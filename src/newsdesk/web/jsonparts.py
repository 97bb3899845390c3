"""JSON answers whose large strings (article bodies) are encoded once and reused.

A Google Reader page of 20 articles carries each body twice (summary and content), and
Python's JSON encoder writes a long string at a few tens of MB/s: encoding the bodies was a
fifth of such a call. A body wrapped in `Verbatim` is encoded once (and kept, like the
sanitised HTML it comes from) and spliced into the answer, which is byte for byte what
JSONResponse would send.
"""

from __future__ import annotations

import json
import secrets
from functools import lru_cache
from typing import Any

from fastapi.responses import JSONResponse


class Verbatim:
    """A string in a JSONParts answer, written from its cached JSON encoding."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


@lru_cache(maxsize=4096)
def _encoded(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def dumps(content: Any) -> str:
    """json.dumps as JSONResponse calls it, with every Verbatim written as its string."""
    # a mark no string of the answer can hold: a control character and a fresh random tag
    mark = "\x00" + secrets.token_hex(8)
    texts: list[str] = []

    def verbatim(value: Any) -> str:
        if isinstance(value, Verbatim):
            texts.append(value.text)
            return mark
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    skeleton = json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None,
                          separators=(",", ":"), default=verbatim)  # fmt: skip
    if not texts:
        return skeleton
    pieces = skeleton.split(json.dumps(mark))
    out = [pieces[0]]
    for text, piece in zip(texts, pieces[1:], strict=True):
        out += [_encoded(text), piece]
    return "".join(out)


class JSONParts(JSONResponse):
    def render(self, content: Any) -> bytes:
        return dumps(content).encode("utf-8")
