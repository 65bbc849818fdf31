"""Input variables: the value a `variable` block takes in one module instance.

Roots take `--var` / tfvars / `TF_VAR_*` values (`RootValues`), else their default; called
modules take the argument of their `module` block, else their default. Declared `type`
constraints are applied (with `optional()` defaults) and a `nullable = false` variable
given `null` takes its default, as Terraform does.
"""

from __future__ import annotations

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.load.hcl import ParseError, parse_expression
from tf_apigw_lint.model.context import EmptyScope, FunctionContextImpl, RootValues, evaluate_safely
from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.model.evaluator import evaluate, materialize
from tf_apigw_lint.model.types import convert, parse_type
from tf_apigw_lint.view.values import Unknown, Value

NOT_GIVEN = object()  # the variable has no value from outside


def variable_value(name: str, block: s.Block, given: Value, functions: FunctionContextImpl, missing: str) -> Value:
    """The value of variable `name` declared by `block`, given `given` (an evaluated value,
    a `RawText`, or `NOT_GIVEN`); `missing` explains a required variable without a value."""
    body = block.body
    default_attribute = body.attribute("default")
    has_default = default_attribute is not None
    default = evaluate_safely(default_attribute.expr, EmptyScope(functions)) if default_attribute is not None else None
    type_attribute = body.attribute("type")
    nullable_attribute = body.attribute("nullable")
    nullable = not (nullable_attribute and isinstance(nullable_attribute.expr, s.Literal) and nullable_attribute.expr.value is False)
    if isinstance(given, RawText):
        value = _raw_variable(given.text, type_attribute, functions)
    elif given is not NOT_GIVEN:
        value = given
    elif has_default:
        value = default
    else:
        return Unknown(missing)
    if value is None and has_default and not nullable:
        value = default
    if type_attribute is not None and value is not None:
        value = _convert(value, type_attribute)
    return value


class RawText:
    """A root variable value given as text (`--var`, `TF_VAR_*`), read with its type."""

    def __init__(self, text: str):
        self.text = text


def root_given(root_values: RootValues, name: str) -> Value:
    if name in root_values.values:
        return root_values.values[name]
    if name in root_values.raw:
        return RawText(root_values.raw[name])
    return NOT_GIVEN


_UNREADABLE = "cannot read variable value"
_NOT_OF_TYPE = "Invalid value for variable"


def raw_value_problem(text: str, block: s.Block, functions: FunctionContextImpl) -> str | None:
    """Why Terraform would refuse `text` (a `--var` value) for the variable `block`
    declares: not an expression where its type needs one, or not of its type; else None."""
    type_attribute = block.body.attribute("type")
    value = _raw_variable(text, type_attribute, functions)
    if type_attribute is not None and not (isinstance(value, Unknown) and value.reason.startswith(_UNREADABLE)):
        value = _convert(value, type_attribute)
    if isinstance(value, Unknown) and value.reason.startswith((_UNREADABLE, _NOT_OF_TYPE)):
        return value.reason
    return None


def _raw_variable(text: str, type_attribute: s.Attribute | None, functions: FunctionContextImpl) -> Value:
    # Terraform reads -var / TF_VAR_ text as a string for primitive types and as an
    # HCL expression for collection and structural types.
    if type_attribute is None or _type_expression(type_attribute) in ("string", "number", "bool", "any"):
        return text
    try:
        expr = parse_expression(text, "<command line>", 1, 1)
        return materialize(evaluate(expr, EmptyScope(functions)))
    except ParseError as error:
        return Unknown(f"{_UNREADABLE} {text!r}: {error.error.message}")
    except EvalError as error:
        return Unknown(str(error))


def _convert(value: Value, type_attribute: s.Attribute) -> Value:
    expr = type_attribute.expr
    try:
        if isinstance(expr, s.Literal) and isinstance(expr.value, str):
            expr = parse_expression(expr.value, type_attribute.range.path, type_attribute.range.line, type_attribute.range.column)
        return convert(value, parse_type(expr))
    except ParseError as error:
        return Unknown(f"Invalid type constraint: {error.error.message}")
    except EvalError as error:
        return Unknown(f"{_NOT_OF_TYPE}: {error}")


def _type_expression(attribute: s.Attribute) -> str | None:
    expr = attribute.expr
    if isinstance(expr, s.Variable):
        return expr.name
    if isinstance(expr, s.Literal) and isinstance(expr.value, str):
        return expr.value
    return None
