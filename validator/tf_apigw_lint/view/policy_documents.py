"""Policy documents as values: IAM JSON read from an attribute whatever form it has.

A policy may be JSON text, text with unknown parts (`Holes`: a heredoc interpolating an
ARN), or the partial structure `jsonencode` keeps of a partly unknown value. `parse_policy`
turns each into one dict whose leaves may be Unknown or Reference, so the IAM analysis and
the static backend's rendering of `aws_iam_policy_document` read policies the same way.
"""

from __future__ import annotations

import json
import re

from tf_apigw_lint.view.values import Holes, Unknown, Value, holes_of, unknown_from

# Stands for the n-th unknown part while a policy known in part is parsed as JSON text.
_HOLE = re.compile("\ue000(\\d+)\ue001")


def parse_policy(value: Value) -> Value:
    """A policy document (dict, leaves possibly unknown) from an attribute value: JSON text,
    a template with holes, or the partial structure of `jsonencode`. Unknown otherwise;
    None when `value` is None."""
    if value is None or isinstance(value, dict):
        return value
    if isinstance(value, str):
        return _load_json(value, [])
    holes = holes_of(value)
    if holes is not None:
        unknowns = [p for p in holes.parts if not isinstance(p, str)]
        text = "".join(p if isinstance(p, str) else f"\ue000{unknowns.index(p)}\ue001" for p in holes.parts)
        parsed = _load_json(text, unknowns)
        if isinstance(parsed, Unknown):
            return unknown_from(value, "policy")
        return parsed
    if isinstance(value, Unknown) and isinstance(value.partial, dict):
        return value.partial
    return unknown_from(value, "policy")


def _load_json(text: str, unknowns: list) -> Value:
    try:
        document = json.loads(text)
    except ValueError as error:
        return Unknown(f"policy is not valid JSON ({error})")
    if not isinstance(document, dict):
        return Unknown("policy is not a JSON object")
    return _restore_holes(document, unknowns) if unknowns else document


def _restore_holes(value: Value, unknowns: list) -> Value:
    if isinstance(value, dict):
        return {k: _restore_holes(v, unknowns) for k, v in value.items()}
    if isinstance(value, list):
        return [_restore_holes(v, unknowns) for v in value]
    if isinstance(value, str) and _HOLE.search(value):
        pieces = _HOLE.split(value)
        parts = tuple(unknowns[int(p)] if i % 2 else p for i, p in enumerate(pieces) if i % 2 or p)
        if len(parts) == 1:
            return parts[0]
        first = next(p for p in parts if not isinstance(p, str))
        return Unknown(unknown_from(first, "policy").reason, partial=Holes(parts))
    return value


def statements(policy: Value) -> list[Value]:
    """The statements of a policy (`Statement` as one object or a list); an Unknown in the
    list stands for statements that cannot be read."""
    if not isinstance(policy, dict):
        return [policy if isinstance(policy, Unknown) else unknown_from(policy, "policy")]
    body = policy.get("Statement")
    if isinstance(body, Unknown) and isinstance(body.partial, (list, dict)):
        body = body.partial
    if isinstance(body, dict):
        return [body]
    if isinstance(body, list):
        return body
    if body is None:
        return []
    return [unknown_from(body, "policy Statement")]


def items(value: Value) -> list[Value]:
    if isinstance(value, Unknown) and isinstance(value.partial, list):
        return list(value.partial)
    if isinstance(value, list):
        return value
    return [value]


def statement_body(statement: Value) -> tuple[dict | None, bool]:
    """The statement's known structure, and whether it certainly exists as read."""
    if isinstance(statement, dict):
        return statement, True
    if isinstance(statement, Unknown) and isinstance(statement.partial, dict):
        return statement.partial, False
    return None, False
