"""JSONParts answers are byte for byte what JSONResponse sends for the same content."""

from __future__ import annotations

import json

from fastapi.responses import JSONResponse

from newsdesk.web.jsonparts import JSONParts, Verbatim, dumps

AWKWARD = [
    "<p>plain</p>",
    'quotes " and \\ backslashes',
    "ünïcödé, 中文, emoji 🎉, line\nbreaks\tand tabs",
    "\x00" + "0" * 16,  # looks like the mark, but is not this answer's mark
    '"\\u0000"',
    "",
]


def test_verbatim_strings_encode_as_plain_strings() -> None:
    plain = {"items": [{"summary": {"content": t}, "content": {"content": t}, "n": i}
                       for i, t in enumerate(AWKWARD)], "title": "x\x00y"}  # fmt: skip
    wrapped = {"items": [{"summary": {"content": Verbatim(t)}, "content": {"content": Verbatim(t)},
                          "n": i} for i, t in enumerate(AWKWARD)], "title": "x\x00y"}  # fmt: skip
    assert JSONParts(wrapped).body == JSONResponse(plain).body
    assert json.loads(dumps(wrapped)) == plain


def test_content_without_verbatim_is_unchanged() -> None:
    content = {"a": [1, 2.5, None, True], "b": "é"}
    assert JSONParts(content).body == JSONResponse(content).body


def test_other_objects_are_still_refused() -> None:
    try:
        dumps({"a": object()})
    except TypeError as exc:
        assert "object is not JSON serializable" in str(exc)
    else:
        raise AssertionError("an object that is not Verbatim must not be encoded")
