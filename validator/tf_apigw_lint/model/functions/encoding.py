"""Terraform's encoding functions: JSON, base64 and URL encoding. `json_text` is also
what format()'s %v and %#v print."""

from __future__ import annotations

import base64
import binascii
import json
import urllib.parse
from decimal import Decimal

from tf_apigw_lint.model.functions.core import CallFailed, Param, Unknowns, function
from tf_apigw_lint.model.types import STRING, is_number, normalize_number, number_to_string
from tf_apigw_lint.view.values import UNKNOWN_TYPES, Unknown, Value, is_known, unknown_from


_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_string(text: str) -> str:
    """A JSON string as Go writes it: HTML-sensitive characters escaped, other non-ASCII raw."""
    encoded = json.dumps(text, ensure_ascii=False)
    return "".join(_HTML_ESCAPES.get(char, char) for char in encoded)


def json_text(value: Value) -> str:
    """Terraform's JSON for a known value: keys sorted, no spaces, numbers without exponent."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return number_to_string(value)
    if isinstance(value, str):
        return json_string(value)
    if isinstance(value, list):
        return "[" + ",".join(json_text(item) for item in value) + "]"
    return "{" + ",".join(f"{json_string(key)}:{json_text(value[key])}" for key in sorted(value)) + "}"


@function("jsonencode", Param("val", nullable=True, unknowns=Unknowns.IN_ELEMENTS))
def _jsonencode(value: Value) -> Value:
    if not is_known(value):
        unknown = unknown_from(value, "jsonencode()")
        return Unknown(unknown.reason, partial=value)
    return json_text(value)


def _json_number(text: str) -> int | float:
    return normalize_number(Decimal(text))


def _reject_constant(name: str):
    raise ValueError(f"invalid character '{name[0]}' looking for beginning of value")


@function("jsondecode", Param("str", STRING, unknowns=Unknowns.ACCEPT))
def _jsondecode(text: Value) -> Value:
    if isinstance(text, Unknown) and text.partial is not None:
        return text.partial
    if isinstance(text, UNKNOWN_TYPES):
        return unknown_from(text, "jsondecode()")
    if not text.strip():
        raise CallFailed("EOF")
    try:
        return json.loads(text, parse_float=_json_number, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":
            raise CallFailed("extraneous data after JSON object") from None
        raise CallFailed(f"{error.msg} at offset {error.pos}") from None
    except ValueError as error:
        raise CallFailed(str(error)) from None


@function("base64encode", Param("str", STRING))
def _base64encode(text: str) -> str:
    return base64.b64encode(text.encode()).decode("ascii")


@function("base64decode", Param("str", STRING))
def _base64decode(text: str) -> str:
    try:
        # Go's decoder skips line breaks; everything else must be strict base64.
        data = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        raise CallFailed(f'failed to decode base64 data "{text}"') from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise CallFailed("the result of decoding the provided string is not valid UTF-8") from None


@function("urlencode", Param("str", STRING))
def _urlencode(text: str) -> str:
    return urllib.parse.quote_plus(text, safe="~")


FUNCTIONS = (
    _jsonencode,
    _jsondecode,
    _base64encode,
    _base64decode,
    _urlencode,
)
