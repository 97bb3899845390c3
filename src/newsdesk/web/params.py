"""Types for the ids and times a request carries (path, query, form or JSON body), bounded by
newsdesk.inputs as they are read: an id no row could have, or a time beyond the calendar, is a
400 answer that says so, never a failure in the database.

    def get_feed(feed_id: FeedId) -> ...
    def list_articles(since: MaybeMoment = Query(None)) -> ...

An optional filter left empty (a form's "All sources" sends `feed=`) is no filter, on every page
and API alike: the Maybe types read a blank value as absent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from newsdesk.inputs import check_id, check_moment

# The checks raise InputError, which pydantic lets through (it wraps only ValueError and
# AssertionError) and the error handlers answer with 400.


def _id_of(what: str) -> Callable[[int], int]:
    def check(value: int) -> int:
        return check_id(value, what)

    return check


def _moment(value: datetime) -> datetime:
    return check_moment(value, "time")


FeedId = Annotated[int, AfterValidator(_id_of("feed"))]
ArticleId = Annotated[int, AfterValidator(_id_of("article"))]
StoryId = Annotated[int, AfterValidator(_id_of("story"))]
TokenId = Annotated[int, AfterValidator(_id_of("token"))]
Moment = Annotated[datetime, AfterValidator(_moment)]


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


Blank = BeforeValidator(_blank_is_none)
MaybeFeedId = Annotated[FeedId | None, Blank]
MaybeStoryId = Annotated[StoryId | None, Blank]
MaybeMoment = Annotated[Moment | None, Blank]
MaybeInt = Annotated[int | None, Blank]
MaybeBool = Annotated[bool | None, Blank]
