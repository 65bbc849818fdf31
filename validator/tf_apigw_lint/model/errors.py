"""Errors raised while evaluating Terraform expressions."""

from __future__ import annotations


class EvalError(Exception):
    """An expression that Terraform itself would reject (a wrong argument type, a missing
    object attribute, a malformed type constraint).

    The message is one line, worded like Terraform's diagnostic (`Invalid function argument:
    Invalid value for "str" parameter: string required.`), so users recognise it. The
    evaluator decides whether it becomes a diagnostic or an Unknown with this reason.
    """
