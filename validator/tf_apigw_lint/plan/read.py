"""Reading `terraform show -json` plan output: the document, checked for what it claims to be.

Every failure is a `PlanError` naming the file (with line and column for JSON syntax
errors), never a traceback; `Shape` gives typed access to the parts of the document.
"""

from __future__ import annotations

import json
from typing import Any

from tf_apigw_lint.model.build import PathError

SUPPORTED_FORMAT_MAJORS = frozenset({"0", "1"})


class PlanError(PathError):
    """The plan file cannot be used; the message names it (with line and column for JSON
    syntax errors)."""


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def read_plan(path: str) -> tuple[dict, str]:
    """The plan document and its text; PlanError when it is not a readable JSON plan."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise PlanError(f"{path}: {error.strerror or error}") from None
    if data.startswith(b"PK\x03\x04"):
        raise PlanError(f"{path}: binary plan file; give the output of `terraform show -json {path}` instead")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlanError(f"{path}: not UTF-8 text (byte {error.start})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanError(f"{path}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}") from None
    except RecursionError:
        raise PlanError(f"{path}: invalid plan: JSON nested too deeply") from None
    except ValueError as error:  # a number of more digits than Python converts
        raise PlanError(f"{path}: invalid plan: {str(error).split(';')[0]}") from None
    if not isinstance(document, dict) or not isinstance(document.get("planned_values"), dict):
        state = isinstance(document, dict) and "values" in document
        what = "Terraform state, not a plan" if state else "not a Terraform plan (no planned_values object)"
        raise PlanError(f"{path}: {what}; expected the output of `terraform show -json PLANFILE`")
    version = document.get("format_version")
    if not isinstance(version, str) or version.split(".")[0] not in SUPPORTED_FORMAT_MAJORS:
        raise PlanError(f"{path}: unsupported plan format_version {version!r} (expected 1.x)")
    return document, text


class Shape:
    """Typed access to the plan document: a part of the wrong JSON type is a PlanError
    naming the file and the part, never a traceback."""

    def __init__(self, path: str):
        self.path = path

    def object(self, value: Any, where: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise PlanError(f"{self.path}: invalid plan: {where} is not an object")
        return value

    def objects(self, value: Any, where: str) -> list[dict]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise PlanError(f"{self.path}: invalid plan: {where} is not a list of objects")
        return value

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise PlanError(f"{self.path}: invalid plan: {where} is not a string")
        return value


