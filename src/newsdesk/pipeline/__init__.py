"""The jobs: subscribe, poll due feeds, fetch pages, extract, match, store."""
