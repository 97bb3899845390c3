"""Fixtures for the fetch tests: the hostile server on loopback."""

from tests.sites.hostile import hostile  # noqa: F401
