"""Traversals as Terraform's JSON writes them (`aws_x.y["k"].arn`, `module.m[0].out`,
`var.v`), and the `expressions` / `references` of a plan's configuration."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from tf_apigw_lint.load import syntax as s



@dataclass(frozen=True)
class Key:
    """An index step of a traversal (`[0]`, `["k"]`), told apart from attribute names."""

    value: int | str


Steps = tuple  # of str (attribute names) and Key

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_LEGACY_INDEX = re.compile(r"\d+")
_INDEX = re.compile(r'\[(?:(-?\d+)|("(?:[^"\\]|\\.)*")|\*)\]')


def parse_traversal(text: str) -> Steps | None:
    """Steps of a reference or address as Terraform writes them; None when it is not one.
    A splat ends the traversal: what follows names no single object."""
    match = _NAME.match(text)
    if match is None:
        return None
    steps: list = [match.group()]
    position = match.end()
    while position < len(text):
        if text[position] == ".":
            match = _NAME.match(text, position + 1)
            if match is not None:
                steps.append(match.group())
            else:
                match = _LEGACY_INDEX.match(text, position + 1)
                if match is None:
                    return None
                steps.append(Key(int(match.group())))
        else:
            match = _INDEX.match(text, position)
            if match is None:
                return None
            if match.group(1) is not None:
                steps.append(Key(int(match.group(1))))
            elif match.group(2) is not None:
                steps.append(Key(_unquote(match.group(2))))
            else:
                break
        position = match.end()
    return tuple(steps)


def _unquote(quoted: str) -> str:
    try:
        return json.loads(quoted)
    except ValueError:  # Go escapes JSON lacks (\x, \a, \v): keep the text between quotes
        return quoted[1:-1]


def steps_text(steps: Iterable) -> str:
    text = ""
    for step in steps:
        if isinstance(step, Key):
            text += f"[{json.dumps(step.value)}]" if isinstance(step.value, str) else f"[{step.value}]"
        else:
            text += f".{step}" if text else step
    return text


def module_path(address: str) -> tuple[tuple[str, int | str | None], ...] | None:
    """`module.a["x"].module.b` as ((a, "x"), (b, None)); None when it is not a module address."""
    if address == "":
        return ()
    steps = parse_traversal(address)
    if steps is None:
        return None
    segments = []
    index = 0
    while index < len(steps):
        if steps[index] != "module" or index + 1 >= len(steps) or not isinstance(steps[index + 1], str):
            return None
        name, key = steps[index + 1], None
        index += 2
        if index < len(steps) and isinstance(steps[index], Key):
            key = steps[index].value
            index += 1
        segments.append((name, key))
    return tuple(segments)


def maximal_references(references: Any) -> list[Steps]:
    """The references an expression makes. Terraform lists each one with its shorter
    prefixes (`aws_x.y.arn`, `aws_x.y`); only the longest name what the expression uses."""
    parsed = []
    for text in references if isinstance(references, list) else []:
        steps = parse_traversal(text) if isinstance(text, str) else None
        if steps is not None and steps not in parsed:
            parsed.append(steps)
    return [a for a in parsed if not any(len(b) > len(a) and b[: len(a)] == a for b in parsed)]


def static_steps(expr: s.Expression, key: int | str | None) -> Steps | None:
    """The steps of a source expression that is exactly one traversal (also `"${x}"`);
    `each.key` / `count.index` as an index are bound to `key`. None for anything else."""
    while True:
        if isinstance(expr, s.Parens):
            expr = expr.expr
        elif isinstance(expr, s.Template) and len(expr.parts) == 1 and isinstance(expr.parts[0], s.Interpolation):
            expr = expr.parts[0].expr
        else:
            break
    chain: list = []
    node: s.Expression = expr
    while isinstance(node, (s.GetAttr, s.Index)):
        if isinstance(node, s.GetAttr):
            chain.insert(0, node.name)
        else:
            index = node.key
            if isinstance(index, s.Literal) and isinstance(index.value, (str, int, float)) and not isinstance(index.value, bool):
                value = index.value
                if isinstance(value, float):
                    if not value.is_integer():
                        return None  # Terraform rejects a fractional index
                    value = int(value)
                chain.insert(0, Key(value))
            elif key is not None and static_steps(index, None) in (("each", "key"), ("count", "index")):
                chain.insert(0, Key(key))
            else:
                return None
        node = node.obj
    if not isinstance(node, s.Variable):
        return None
    return (node.name, *chain)


def is_expression(value: Any) -> bool:
    return isinstance(value, dict) and set(value) <= {"constant_value", "references"} and isinstance(value.get("references", []), list)


def expression_references(expressions: Any) -> Iterator[list]:
    """The `references` of every expression in a block's `expressions`, nested blocks too."""
    if is_expression(expressions):
        yield expressions.get("references") or []
    elif isinstance(expressions, dict):
        for value in expressions.values():
            yield from expression_references(value)
    elif isinstance(expressions, list):
        for value in expressions:
            yield from expression_references(value)


