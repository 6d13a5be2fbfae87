"""Query budgets shared by the tests of every public page."""

#: Every anonymous public request reads the data's version once, for the page cache's key.
DATA_VERSION_QUERIES = 1
#: A count kept block by block (core.lists.tally) first reads its blocks' stamps.
STAMP_QUERIES = 1
#: A download's number of rows, to tell a large one: its blocks' stamps, its count by block.
ROW_COUNT_QUERIES = 2
