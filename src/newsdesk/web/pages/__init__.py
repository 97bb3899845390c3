"""The reader's pages, one module per page family; each has its own router."""
