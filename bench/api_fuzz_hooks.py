"""Schemathesis check for bench/api_fuzz.py: no response of the API shows a draft record."""

import schemathesis

#: Written into every draft the fuzz run makes (see api_fuzz.make_drafts).
SENTINEL = "draft-sentinel"


@schemathesis.check
def no_drafts(ctx, response, case):
    if SENTINEL in response.text.lower():
        raise AssertionError(f"A draft record ({SENTINEL}) appears in the response")
