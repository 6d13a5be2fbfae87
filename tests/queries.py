"""Query budgets shared by the tests of every public page."""

#: Every anonymous public request reads the data's version once, for the page cache's key.
DATA_VERSION_QUERIES = 1
