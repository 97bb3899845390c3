"""The typed errors users see. Each renders as one line that says what and where."""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base of every error newsdesk reports to a user."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        self.url = url
        super().__init__(message)

    def __str__(self) -> str:
        message = super().__str__()
        if self.url and self.url not in message:
            return f"{message} ({self.url})"
        return message


class ConfigError(NewsdeskError):
    """A setting has a value newsdesk cannot use."""


class FetchError(NewsdeskError):
    """A request failed: bad URL, refused address, network error, bad status, over a cap."""

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        permanent: bool = False,
    ) -> None:
        super().__init__(message, url=url)
        self.status = status
        self.retry_after = retry_after  # seconds the server asked us to wait
        self.permanent = permanent  # e.g. 410 Gone: stop asking


class BlockedAddressError(FetchError):
    """The host resolves to a private, loopback or link-local address and those are not allowed."""


class RobotsDisallowedError(FetchError):
    """robots.txt forbids this URL for our User-Agent."""


class TooLargeError(FetchError):
    """A response (or its decompressed body) is over the size cap."""


class FeedError(NewsdeskError):
    """A document that should be a feed is not one, or is too broken to read."""


class ExtractError(NewsdeskError):
    """A page holds nothing that can be made into an article."""


class OPMLError(NewsdeskError):
    """An OPML file cannot be read. `plain`: the same without the parser's details, in a
    reader's words (the web reader shows it; the command line gives the details too)."""

    def __init__(self, message: str, plain: str | None = None) -> None:
        super().__init__(message)
        self.plain = plain or message


class InputError(NewsdeskError):
    """A value a user gave is not one newsdesk can take: an id beyond the database's integers,
    a number that is not one, a time beyond the calendar."""


class NotFoundError(NewsdeskError):
    """A feed, article or story with that id does not exist."""
