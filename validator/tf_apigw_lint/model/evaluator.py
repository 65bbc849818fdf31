"""The Terraform expression language over `values`.

`evaluate(expr, scope)` turns a syntax node into a value. Names are resolved by the scope
(`Scope.lookup`): the model provides scopes for module instances, resource instances and
`dynamic` blocks; this module adds the nested scopes of `for` expressions, template `for`
directives and splats. Errors are `EvalError`s with Terraform's wording; the caller decides
whether an error becomes an Unknown or a finding.

Objects that must stay lazy (a resource instance whose attributes are evaluated on demand,
the `var` / `local` namespaces) implement `LazyObject`: attribute access and indexing are
delegated to them, so a reference like `aws_x.y["k"].arn` never evaluates more than it reads.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Iterable, Mapping, Protocol

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.view.values import Holes, Piece, Reference, Unknown, Value, is_known, merge_pieces, pieces_of, unknown_from


class Scope(Protocol):
    def lookup(self, name: str) -> Value:
        """The value of a root name (`var`, `local`, `aws_instance`, a `for` variable)."""

    def function_context(self) -> Any:
        """What file() and templatefile() need (`functions.FunctionContext`)."""


class LazyObject:
    """A value whose attributes are computed when read."""

    def get_attr(self, name: str) -> Value:
        raise NotImplementedError

    def get_index(self, key: Value) -> Value:
        raise EvalError("Invalid index: this value does not have any indices")

    def materialize(self) -> Value:
        """The whole value, for when it is used as data (passed to a function, encoded)."""
        return Unknown(f"{self!r} cannot be used as a whole value")


class ChildScope:
    """A scope that binds extra names over a parent (for-expression variables, iterators)."""

    def __init__(self, parent: Scope, bindings: Mapping[str, Value]):
        self.parent = parent
        self.bindings = dict(bindings)

    def lookup(self, name: str) -> Value:
        if name in self.bindings:
            return self.bindings[name]
        return self.parent.lookup(name)

    def function_context(self) -> Any:
        return self.parent.function_context()


def evaluate(expr: s.Expression, scope: Scope) -> Value:
    """The value of `expr`; raises EvalError where Terraform would report an error."""
    handler = _HANDLERS.get(type(expr))
    if handler is None:
        raise EvalError(f"unsupported expression {type(expr).__name__}")
    return handler(expr, scope)


def evaluate_data(expr: s.Expression, scope: Scope) -> Value:
    """`evaluate`, then lazy objects replaced by their data (for values stored or compared)."""
    return materialize(evaluate(expr, scope))


def materialize(value: Value) -> Value:
    if isinstance(value, LazyObject):
        return materialize(value.materialize())
    if isinstance(value, list):
        return [materialize(v) for v in value]
    if isinstance(value, dict):
        return {k: materialize(v) for k, v in value.items()}
    return value


# ---------------------------------------------------------------------------
# Conversions shared with templates and operators
# ---------------------------------------------------------------------------


def number_to_string(number: int | float) -> str:
    if isinstance(number, float):
        if number.is_integer() and abs(number) < 1e21:
            return str(int(number))
        return repr(number)
    return str(number)


def to_template_string(value: Value) -> str:
    """How Terraform turns an interpolated value into text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_to_string(value)
    if isinstance(value, str):
        return value
    if value is None:
        raise EvalError("Invalid template interpolation value: the expression result is null")
    raise EvalError("Invalid template interpolation value: cannot include a collection or object in a string template")


def to_number(value: Value, what: str) -> int | float:
    if isinstance(value, bool):
        raise EvalError(f"Invalid operand: {what} must be a number, not bool")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise EvalError(f"Invalid operand: a number is required, not {value!r}") from None
        return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number
    raise EvalError(f"Invalid operand: {what} must be a number")


def to_bool(value: Value, what: str) -> bool:
    if isinstance(value, bool):
        return value
    if value == "true":
        return True
    if value == "false":
        return False
    raise EvalError(f"Invalid operand: {what} must be a bool")


def _normalize_number(number: int | float) -> int | float:
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**63:
        return int(number)
    return number


# ---------------------------------------------------------------------------
# Handlers
# ---------------------------------------------------------------------------


def _literal(expr: s.Literal, scope: Scope) -> Value:
    return expr.value


def _parens(expr: s.Parens, scope: Scope) -> Value:
    return evaluate(expr.expr, scope)


def _variable(expr: s.Variable, scope: Scope) -> Value:
    return scope.lookup(expr.name)


def get_attr(value: Value, name: str) -> Value:
    if isinstance(value, LazyObject):
        return value.get_attr(name)
    if isinstance(value, Reference):
        return Reference(value.address, f"{value.attribute}.{name}", value.resource_type)
    if isinstance(value, Unknown):
        return value
    if isinstance(value, dict):
        if name in value:
            return value[name]
        raise EvalError(f'Unsupported attribute: this object does not have an attribute named "{name}"')
    if value is None:
        raise EvalError(f'Attempt to get attribute "{name}" from a null value')
    raise EvalError(f'Unsupported attribute "{name}": this value does not have any attributes')


def get_index(value: Value, key: Value) -> Value:
    if isinstance(value, LazyObject):
        return value.get_index(key)
    if isinstance(value, Reference):
        shown = f'"{key}"' if isinstance(key, str) else number_to_string(key) if is_known(key) else "?"
        return Reference(value.address, f"{value.attribute}[{shown}]", value.resource_type)
    if isinstance(value, Unknown):
        return value
    if not is_known(key):
        return unknown_from(key, "index")
    if value is None:
        raise EvalError("Attempt to index a null value")
    if isinstance(value, list):
        index = to_number(key, "the index")
        if not float(index).is_integer():
            raise EvalError("Invalid index: the index must be a whole number")
        index = int(index)
        if index < 0 or index >= len(value):
            raise EvalError("Invalid index: the given key does not identify an element in this collection value")
        return value[index]
    if isinstance(value, dict):
        text = to_template_string(key)
        if text not in value:
            raise EvalError(f'Invalid index: the given key "{text}" does not identify an element in this collection value')
        return value[text]
    raise EvalError("Invalid index: this value does not have any indices")


def _get_attr(expr: s.GetAttr, scope: Scope) -> Value:
    return get_attr(evaluate(expr.obj, scope), expr.name)


def _index(expr: s.Index, scope: Scope) -> Value:
    obj = evaluate(expr.obj, scope)
    return get_index(obj, materialize(evaluate(expr.key, scope)))


_SPLAT_ITEM = "\x00splat"


def _splat_item(expr: s.SplatItem, scope: Scope) -> Value:
    return scope.lookup(_SPLAT_ITEM)


def _splat(expr: s.Splat, scope: Scope) -> Value:
    source = evaluate(expr.source, scope)
    if isinstance(source, Unknown):
        return source
    if source is None:
        return []
    if isinstance(source, dict) and not isinstance(source, LazyObject):
        # Terraform applies a splat to a map as to a single value.
        items: Iterable[Value] = [source]
    elif isinstance(source, list):
        items = source
    else:
        items = [source]
    return [evaluate(expr.body, ChildScope(scope, {_SPLAT_ITEM: item})) for item in items]


def _tuple(expr: s.TupleExpr, scope: Scope) -> Value:
    return [evaluate(item, scope) for item in expr.items]


def object_key(expr: s.Expression, scope: Scope) -> Value:
    key = materialize(evaluate(expr, scope))
    if not is_known(key):
        return unknown_from(key, "object key")
    if key is None:
        raise EvalError("Invalid object key: key cannot be null")
    return to_template_string(key)


def _object(expr: s.ObjectExpr, scope: Scope) -> Value:
    result: dict[str, Value] = {}
    for item in expr.items:
        key = object_key(item.key, scope)
        if isinstance(key, Unknown):
            return key
        result[key] = evaluate(item.value, scope)
    return result


def _conditional(expr: s.Conditional, scope: Scope) -> Value:
    condition = materialize(evaluate(expr.condition, scope))
    if not is_known(condition):
        # Either branch may be chosen: known only when both agree.
        true_value = materialize(_evaluate_or_unknown(expr.true_expr, scope))
        false_value = materialize(_evaluate_or_unknown(expr.false_expr, scope))
        if is_known(true_value) and true_value == false_value:
            return true_value
        return unknown_from(condition, "condition")
    if condition is None:
        raise EvalError("Invalid conditional: the condition value is null")
    if to_bool(condition, "the condition"):
        return evaluate(expr.true_expr, scope)
    return evaluate(expr.false_expr, scope)


def _evaluate_or_unknown(expr: s.Expression, scope: Scope) -> Value:
    try:
        return evaluate(expr, scope)
    except EvalError as error:
        return Unknown(str(error))


def _unary(expr: s.UnaryOp, scope: Scope) -> Value:
    operand = materialize(evaluate(expr.operand, scope))
    if not is_known(operand):
        return unknown_from(operand, f"operator {expr.op}")
    if expr.op == "!":
        return not to_bool(operand, "the operand of !")
    return _normalize_number(-to_number(operand, "the operand of -"))


def _binary(expr: s.BinaryOp, scope: Scope) -> Value:
    op = expr.op
    left = materialize(evaluate(expr.left, scope))
    if op in ("&&", "||"):
        if is_known(left) and to_bool(left, f"the left operand of {op}") == (op == "||"):
            return op == "||"
        right = materialize(evaluate(expr.right, scope))
        if is_known(right) and to_bool(right, f"the right operand of {op}") == (op == "||"):
            return op == "||"
        if not is_known(left):
            return unknown_from(left, f"operator {op}")
        if not is_known(right):
            return unknown_from(right, f"operator {op}")
        return to_bool(right, f"the right operand of {op}")
    right = materialize(evaluate(expr.right, scope))
    for operand in (left, right):
        if not is_known(operand):
            return unknown_from(operand, f"operator {op}")
    if op == "==":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    a = to_number(left, f"the left operand of {op}")
    b = to_number(right, f"the right operand of {op}")
    if op == "<":
        return a < b
    if op == ">":
        return a > b
    if op == "<=":
        return a <= b
    if op == ">=":
        return a >= b
    if op == "+":
        return _normalize_number(a + b)
    if op == "-":
        return _normalize_number(a - b)
    if op == "*":
        return _normalize_number(a * b)
    if op == "/":
        if b == 0:
            raise EvalError("Error in function call: divide by zero")
        return _normalize_number(a / b)
    if op == "%":
        if b == 0:
            raise EvalError("Error in function call: divide by zero")
        return _normalize_number(math.fmod(a, b))
    raise EvalError(f"unsupported operator {op}")


def _equal(left: Value, right: Value) -> bool:
    # Terraform compares type and value: "1" != 1, true != "true".
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    if type(left) is not type(right):
        return False
    return left == right


def _iterate(collection: Value) -> list[tuple[Value, Value]]:
    if isinstance(collection, LazyObject):
        collection = materialize(collection)
    if isinstance(collection, list):
        return list(enumerate(collection))
    if isinstance(collection, dict):
        return sorted(collection.items())
    if collection is None:
        raise EvalError("Iteration over null value: a null value cannot be used as the collection in a 'for' expression")
    raise EvalError("Iteration over non-iterable value: a value of this type cannot be iterated")


def _for(expr: s.ForExpr, scope: Scope) -> Value:
    collection = evaluate(expr.collection, scope)
    if isinstance(collection, (Unknown, Reference)):
        return unknown_from(collection, "for expression collection")
    tuple_result: list[Value] = []
    object_result: dict[str, Value] = {}
    for key, value in _iterate(collection):
        bindings = {expr.value_var: value}
        if expr.key_var is not None:
            bindings[expr.key_var] = key
        inner = ChildScope(scope, bindings)
        if expr.condition is not None:
            keep = materialize(evaluate(expr.condition, inner))
            if not is_known(keep):
                return unknown_from(keep, "for expression condition")
            if not to_bool(keep, "the for expression condition"):
                continue
        if expr.key_expr is None:
            tuple_result.append(evaluate(expr.value_expr, inner))
            continue
        result_key = object_key(expr.key_expr, inner)
        if isinstance(result_key, Unknown):
            return result_key
        result_value = evaluate(expr.value_expr, inner)
        if expr.grouping:
            object_result.setdefault(result_key, []).append(result_value)
        elif result_key in object_result:
            raise EvalError(f'Duplicate object key: two different items produced the key "{result_key}" in this \'for\' expression')
        else:
            object_result[result_key] = result_value
    return tuple_result if expr.key_expr is None else object_result


# ---------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------


def _template(expr: s.Template, scope: Scope) -> Value:
    parts = expr.parts
    if len(parts) == 1 and isinstance(parts[0], s.Interpolation):
        return evaluate(parts[0].expr, scope)
    return render_template_parts(parts, scope)


def render_template_parts(parts: tuple[s.TemplatePart, ...], scope: Scope) -> Value:
    """The rendered text; when an interpolation is unknown, an Unknown that keeps the known
    text around it (`Holes`), so an ARN or a policy known only in part can still be read.
    An unknown directive leaves nothing to read."""
    # The loader has already removed the white space that `~` strip markers take away.
    pieces: list[Piece] = []
    unknown: Unknown | None = None
    readable = True
    for part in parts:
        if isinstance(part, str):
            pieces.append(part)
            continue
        rendered = _render_part(part, scope)
        if isinstance(rendered, (Unknown, Reference)):
            unknown = unknown or unknown_from(rendered, "template")
            readable = readable and isinstance(part, s.Interpolation)
            pieces.extend(pieces_of(rendered) or [])
        else:
            pieces.append(rendered)
    if unknown is None:
        return "".join(p for p in pieces if isinstance(p, str))
    return Unknown(unknown.reason, partial=Holes(tuple(merge_pieces(pieces)))) if readable else unknown


def _render_part(part: s.TemplatePart, scope: Scope) -> Value:
    if isinstance(part, s.Interpolation):
        value = materialize(evaluate(part.expr, scope))
        if isinstance(value, (Unknown, Reference)):
            return value
        return to_template_string(value)  # a collection, even a partly unknown one, is an error
    if isinstance(part, s.IfDirective):
        condition = materialize(evaluate(part.condition, scope))
        if not is_known(condition):
            return unknown_from(condition, "template if")
        chosen = part.then_parts if to_bool(condition, "the template condition") else part.else_parts
        return render_template_parts(chosen, scope)
    assert isinstance(part, s.ForDirective)  # the last kind of template part
    collection = evaluate(part.collection, scope)
    if isinstance(collection, (Unknown, Reference)):
        return unknown_from(collection, "template for")
    rendered_items = []
    for key, value in _iterate(collection):
        bindings = {part.value_var: value}
        if part.key_var is not None:
            bindings[part.key_var] = key
        rendered = render_template_parts(part.body, ChildScope(scope, bindings))
        if not isinstance(rendered, str):
            return rendered
        rendered_items.append(rendered)
    return "".join(rendered_items)


# ---------------------------------------------------------------------------
# Function calls
# ---------------------------------------------------------------------------


def _call(expr: s.FunctionCall, scope: Scope) -> Value:
    if expr.name == "try":
        return _try(expr, scope)
    if expr.name == "can":
        return _can(expr, scope)
    from tf_apigw_lint.model.functions import FUNCTIONS

    function = FUNCTIONS.get(expr.name)
    if function is None:
        return Unknown(f"function {expr.name}() is not evaluated by tf-apigw-lint")
    args = [materialize(evaluate(arg, scope)) for arg in expr.args]
    if expr.expand_final and args:
        last = args.pop()
        if not is_known(last):
            return unknown_from(last, f"{expr.name}() expanded argument")
        if not isinstance(last, list):
            raise EvalError("Invalid expanding argument value: the expanding argument (indicated with \"...\") must be of a tuple, list, or set type")
        args.extend(last)
    return function(scope.function_context(), args)


def _try(expr: s.FunctionCall, scope: Scope) -> Value:
    if not expr.args:
        raise EvalError("Invalid function argument: try requires at least one argument")
    last_error = None
    for arg in expr.args:
        try:
            value = evaluate(arg, scope)
        except EvalError as error:
            last_error = error
            continue
        if isinstance(value, (Unknown, Reference)):
            # Whether a later argument is chosen depends on the unknown value.
            return unknown_from(value, "try()")
        return value
    raise EvalError(f"Error in function call: no expression succeeded ({last_error})")


def _can(expr: s.FunctionCall, scope: Scope) -> Value:
    if len(expr.args) != 1:
        raise EvalError("Invalid function argument: can requires exactly one argument")
    try:
        value = materialize(evaluate(expr.args[0], scope))
    except EvalError:
        return False
    if not is_known(value):
        return unknown_from(value, "can()")
    return True


_HANDLERS: dict[type, Callable[[Any, Scope], Value]] = {
    s.Literal: _literal,
    s.Parens: _parens,
    s.Template: _template,
    s.Variable: _variable,
    s.GetAttr: _get_attr,
    s.Index: _index,
    s.SplatItem: _splat_item,
    s.Splat: _splat,
    s.TupleExpr: _tuple,
    s.ObjectExpr: _object,
    s.FunctionCall: _call,
    s.Conditional: _conditional,
    s.BinaryOp: _binary,
    s.UnaryOp: _unary,
    s.ForExpr: _for,
}


# ---------------------------------------------------------------------------
# Static analysis of expressions
# ---------------------------------------------------------------------------


def traversals(expr: s.Expression) -> Iterable[tuple[str, tuple[str, ...], s.Range]]:
    """Every reference in `expr` as (root name, leading attribute names, range).

    `aws_x.y[0].arn` gives ("aws_x", ("y",)) — enough to name the object it refers to
    (`var.x`, `local.x`, `module.m.out`, `aws_x.y`, `data.t.n`). Names bound by `for`
    expressions are reported too; callers ignore the roots they do not know.
    """
    if isinstance(expr, s.Variable):
        yield expr.name, (), expr.range
        return
    if isinstance(expr, (s.GetAttr, s.Index)):
        node: s.Expression = expr
        while isinstance(node, (s.GetAttr, s.Index)):
            if isinstance(node, s.Index):
                yield from traversals(node.key)
            node = node.obj
        if isinstance(node, s.Variable):
            yield node.name, tuple(_leading_names(expr)), expr.range
        else:
            yield from traversals(node)
        return
    for child in _children(expr):
        yield from traversals(child)


def _leading_names(expr: s.Expression) -> list[str]:
    chain: list[s.Expression] = []
    node = expr
    while isinstance(node, (s.GetAttr, s.Index)):
        chain.insert(0, node)
        node = node.obj
    names = []
    for step in chain:
        if not isinstance(step, s.GetAttr):
            # `module.m[0].out`, `aws_x.y["k"].arn`: skip the instance key, keep walking.
            continue
        names.append(step.name)
    return names


def _children(expr: s.Expression) -> Iterable[s.Expression]:
    if isinstance(expr, s.Template):
        yield from _template_children(expr.parts)
    elif isinstance(expr, s.Splat):
        yield expr.source
        yield expr.body
    elif isinstance(expr, s.TupleExpr):
        yield from expr.items
    elif isinstance(expr, s.ObjectExpr):
        for item in expr.items:
            yield item.key
            yield item.value
    elif isinstance(expr, s.FunctionCall):
        yield from expr.args
    elif isinstance(expr, s.Conditional):
        yield from (expr.condition, expr.true_expr, expr.false_expr)
    elif isinstance(expr, s.BinaryOp):
        yield from (expr.left, expr.right)
    elif isinstance(expr, s.UnaryOp):
        yield expr.operand
    elif isinstance(expr, s.ForExpr):
        yield expr.collection
        if expr.key_expr is not None:
            yield expr.key_expr
        yield expr.value_expr
        if expr.condition is not None:
            yield expr.condition
    elif isinstance(expr, s.Parens):
        yield expr.expr


def _template_children(parts: Iterable[s.TemplatePart]) -> Iterable[s.Expression]:
    for part in parts:
        if isinstance(part, s.Interpolation):
            yield part.expr
        elif isinstance(part, s.IfDirective):
            yield part.condition
            yield from _template_children(part.then_parts)
            yield from _template_children(part.else_parts)
        elif isinstance(part, s.ForDirective):
            yield part.collection
            yield from _template_children(part.body)
