"""Terraform `external` data source protocol (SPEC §8): the query in, the answer out.

Terraform runs the program in the root module directory with the data source's `query` as
a JSON object of strings on stdin. On success the program exits 0 and prints a flat JSON
object of strings, which becomes the data source's `result`. On failure it exits non-zero
and Terraform stops with the program's stderr in the error. Terraform tells only zero from
non-zero, so every failure of `external` exits 1: a separate usage code (2, as for `check`)
would reach nobody, and the message on stderr says what went wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tf_apigw_lint.report.summary import Summary
from tf_apigw_lint.runner import FAIL_ON

QUERY_KEYS = ("path", "fail_on", "config")


class QueryError(Exception):
    """The query on stdin breaks the protocol; the message says how, on one line."""


@dataclass(frozen=True)
class Query:
    path: str
    fail_on: str | None = None  # None: the configuration's fail_on, else "error"
    config: str | None = None


def parse_query(text: str) -> Query:
    """`path` is required; `fail_on` and `config` are optional. An empty string or null counts
    as not given: depending on its version, the external provider sends a null query value as
    null, as "" or not at all."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise QueryError(f"the query on stdin is not JSON: {error}") from None
    except RecursionError:
        raise QueryError("the query on stdin is not a JSON object of strings (nested too deeply)") from None
    if not isinstance(data, dict):
        raise QueryError(f"the query on stdin must be a JSON object, not {_json_type(data)}")
    data = {key: value for key, value in data.items() if value is not None}
    for key, value in data.items():
        if not isinstance(value, str):
            raise QueryError(f"query value {key!r} must be a string, not {_json_type(value)}")
    unknown = sorted(set(data) - set(QUERY_KEYS))
    if unknown:
        raise QueryError(f"unknown query key(s) {', '.join(map(repr, unknown))} (expected: {', '.join(QUERY_KEYS)})")
    if not data.get("path"):
        raise QueryError("the query has no 'path' (the directory to lint, e.g. path.module)")
    fail_on = data.get("fail_on") or None
    if fail_on is not None and fail_on not in FAIL_ON:
        raise QueryError(f"query value 'fail_on' is {fail_on!r} (expected one of: {', '.join(FAIL_ON)})")
    return Query(path=data["path"], fail_on=fail_on, config=data.get("config") or None)


def answer(summary: Summary, report: str) -> str:
    """The data source's `result`: counts as decimal strings and the text report."""
    result = {
        "errors": str(summary.error),
        "warnings": str(summary.warning),
        "notes": str(summary.note),
        "report": report,
    }
    return json.dumps(result) + "\n"


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
