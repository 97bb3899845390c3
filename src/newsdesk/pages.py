"""Reading a long list page by page, never holding more than one page: what the command line
uses to list every article (or story, or search result) with no silent cap.

    listing = Pages(fetch, next_cursor, wanted=100_000, size=1000)
    for page in listing:
        show(page)
    if listing.cut:       # the list goes on past what was asked
        hint(listing.last, listing.shown)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass
class Pages(Generic[T]):
    """`fetch(cursor, n)` gives up to n items from the cursor on (None: the start);
    `next_cursor(cursor, page)` the cursor after a page. `wanted`: how many in all (None:
    every one). To know whether the list goes on, the last page asks for one item more."""

    fetch: Callable[[Any, int], list[T]]
    next_cursor: Callable[[Any, list[T]], Any]
    wanted: int | None
    size: int
    start: Any = None
    shown: int = 0
    last: T | None = None
    cut: bool = False  # items were left after the last one shown

    def __iter__(self) -> Iterator[list[T]]:
        cursor = self.start
        while True:
            room = None if self.wanted is None else self.wanted - self.shown
            ask = self.size if room is None else min(self.size, room + 1)
            page = self.fetch(cursor, ask)
            if room is not None and len(page) > room:
                page, self.cut = page[:room], True
            if page:
                self.shown += len(page)
                self.last = page[-1]
                yield page
            if self.cut or len(page) < ask:
                return
            cursor = self.next_cursor(cursor, page)
