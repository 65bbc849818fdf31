"""Terraform's date and time functions."""

from __future__ import annotations

from tf_apigw_lint.model.functions.core import function
from tf_apigw_lint.view.values import Unknown, Value


@function("timestamp")
def _timestamp() -> Value:
    return Unknown("timestamp() is known only at apply")


FUNCTIONS = (
    _timestamp,
)
