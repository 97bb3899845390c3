"""Canonical URLs, duplicates, story clusters and related stories."""
