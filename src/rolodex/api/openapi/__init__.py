"""OpenAPI 3.1 documents of the three APIs, served as JSON and rendered as pages (docs/openapi.md).

The documents are built in Python rather than written as YAML: every request body comes
from the pydantic envelope the handler itself validates with, so a limit or a type changed
in code changes the document too. Responses, statuses and error shapes are written out
here, and `tests/openapi/` fails when they and the implementation disagree.
"""
