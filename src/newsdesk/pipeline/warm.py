"""Imported once by the extraction pool before any page: loads parsers, the language model and
what matching derives from an article, so each worker starts ready instead of paying for that on
its first article."""

from newsdesk.extract import extract_article
from newsdesk.match.traits import article_traits

_SAMPLE = (
    "<html><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1><p>"
    + "The council met on Tuesday to discuss the budget for the coming year. " * 4
    + "</p></article></body></html>"
)

article_traits(extract_article(_SAMPLE, "https://newsdesk.invalid/warm-up"))
