"""Synthetic knowledge bases of realistic shape, for benchmarks at scale.

Shapes: leaders' visit counts follow a Zipf law (a few leaders travel a lot), some visits carry
hundreds of claims, article bodies run to several thousand characters, every claim quotes a
sentence of its source, every public filter has values to match, and about 5% of rows are drafts.

Rows are written in bulk: PostgreSQL's COPY where available, multi-row INSERTs elsewhere. No
history rows are written for synthetic data. The stored columns that save() keeps (which rows
are public, a claim's source date) are computed here as the rows are made, then checked by
config.visibility over the new rows before the transaction commits.
"""

from config.synthetic.builder import SyntheticBuilder

__all__ = ["SyntheticBuilder"]
