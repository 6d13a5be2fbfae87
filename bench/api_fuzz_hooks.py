"""Schemathesis check for bench/api_fuzz.py: no response of the API shows a draft record."""

import json

import schemathesis

#: Written into every draft the fuzz run makes (see api_fuzz.make_drafts).
SENTINEL = "draft-sentinel"


@schemathesis.check
def no_drafts(ctx, response, case):
    text = response.text
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict):
        # `next` repeats the request's own parameters (a generated value may be anything).
        body.pop("next", None)
        text = json.dumps(body, ensure_ascii=False)
    if SENTINEL in text.lower():
        raise AssertionError(f"A draft record ({SENTINEL}) appears in the response")
