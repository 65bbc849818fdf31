"""Terraform type constraints: `parse_type` reads a variable's `type = ...` expression and
`convert` applies it to a value the way Terraform does for input variables.

Conversion is Terraform's "unsafe" one, the one variables and `to*()` functions use:
numbers and bools become strings and back ("1" → 1, "true" → true), tuples become lists
or sets, objects become maps or objects. Object types drop attributes they do not declare,
require the ones they declare (unless `optional`), and fill absent optional attributes with
their default (null when none), recursively. `any` inside a collection means "any single
type": the elements are unified to one type, so `list(any)` turns `["a", 1]` into
`["a", "1"]`. Sets are sorted, deduplicated lists (strings lexically, numbers numerically).

Unknown and Reference leaves pass through conversion unchanged: their type is only known
later, and a Reference must keep naming its resource.

Errors are `EvalError`s worded like Terraform's, with the path to the failing element:
`attribute "items": element 0: attribute "name" is required`.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NoReturn, Union

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.view.values import UNKNOWN_TYPES, Value, is_known


@dataclass(frozen=True)
class PrimitiveType:
    name: str  # "string", "number" or "bool"

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class AnyType:
    def __str__(self) -> str:
        # Only ever printed as an element type ("list of any single type"), as Terraform does.
        return "any single type"


@dataclass(frozen=True)
class ListType:
    element: "TfType"

    def __str__(self) -> str:
        return f"list of {self.element}"


@dataclass(frozen=True)
class SetType:
    element: "TfType"

    def __str__(self) -> str:
        return f"set of {self.element}"


@dataclass(frozen=True)
class MapType:
    element: "TfType"

    def __str__(self) -> str:
        return f"map of {self.element}"


@dataclass(frozen=True)
class TupleType:
    elements: tuple["TfType", ...]

    def __str__(self) -> str:
        return "tuple"


@dataclass(frozen=True)
class Attribute:
    """One attribute of an object type; `default` (already converted to `type`) is used
    when an optional attribute is absent or null."""

    type: "TfType"
    optional: bool = False
    default: Value = None


@dataclass(frozen=True)
class ObjectType:
    attributes: dict[str, Attribute]

    def __str__(self) -> str:
        return "object"


TfType = Union[PrimitiveType, AnyType, ListType, SetType, MapType, TupleType, ObjectType]

STRING = PrimitiveType("string")
NUMBER = PrimitiveType("number")
BOOL = PrimitiveType("bool")
ANY = AnyType()

_KEYWORDS: dict[str, TfType] = {
    "string": STRING,
    "number": NUMBER,
    "bool": BOOL,
    "any": ANY,
    # Terraform 0.11 spellings that Terraform still accepts.
    "list": ListType(ANY),
    "map": MapType(ANY),
}
_COLLECTIONS = {"list": ListType, "set": SetType, "map": MapType}


# ---------------------------------------------------------------------------
# Parsing type constraints
# ---------------------------------------------------------------------------


def parse_type(expr: s.Expression) -> TfType:
    """The type constraint written as `expr`; raises EvalError when it is not one."""
    if isinstance(expr, s.Variable):
        if expr.name in _KEYWORDS:
            return _KEYWORDS[expr.name]
        raise EvalError(f'Invalid type specification: the keyword "{expr.name}" is not a valid type specification.')
    if isinstance(expr, s.FunctionCall):
        return _parse_constructor(expr)
    if isinstance(expr, s.Literal) and isinstance(expr.value, str):
        raise EvalError(f'Invalid quoted type constraints: remove the quotes around "{expr.value}".')
    raise EvalError(
        "Invalid type specification: a type specification is either a primitive type keyword "
        "(bool, number, string) or a complex type constructor call, like list(string)."
    )


def _parse_constructor(call: s.FunctionCall) -> TfType:
    name, args = call.name, call.args
    if name in _COLLECTIONS:
        if len(args) != 1:
            raise EvalError(
                f"Invalid type specification: the {name} type constructor requires one argument "
                "specifying the element type."
            )
        return _COLLECTIONS[name](parse_type(args[0]))
    if name == "object":
        if len(args) != 1 or not isinstance(args[0], s.ObjectExpr):
            raise EvalError(
                "Invalid type specification: the object type constructor requires one argument "
                "specifying the attribute types and values as a map."
            )
        return ObjectType({_attribute_name(item.key): _parse_attribute(item.value) for item in args[0].items})
    if name == "tuple":
        if len(args) != 1 or not isinstance(args[0], s.TupleExpr):
            raise EvalError(
                "Invalid type specification: the tuple type constructor requires a list of element types."
            )
        return TupleType(tuple(parse_type(item) for item in args[0].items))
    if name == "optional":
        raise EvalError('Invalid type specification: keyword "optional" is valid only as a modifier for object type attributes.')
    raise EvalError(f'Invalid type specification: keyword "{name}" is not a valid type constructor.')


def _attribute_name(key: s.Expression) -> str:
    if isinstance(key, s.Literal) and isinstance(key.value, str):
        return key.value
    raise EvalError("Invalid type specification: object constructor map keys must be attribute names.")


def _parse_attribute(expr: s.Expression) -> Attribute:
    if not (isinstance(expr, s.FunctionCall) and expr.name == "optional"):
        return Attribute(parse_type(expr))
    if not 1 <= len(expr.args) <= 2:
        raise EvalError(
            "Invalid type specification: optional attribute modifier expects at most two "
            "arguments: the attribute type, and a default value."
        )
    attribute_type = parse_type(expr.args[0])
    if len(expr.args) == 1:
        return Attribute(attribute_type, optional=True)
    default = _constant(expr.args[1])
    try:
        default = convert(default, attribute_type)
    except EvalError as error:
        raise EvalError(
            "Invalid default value for optional attribute: this default value is not compatible "
            f"with the attribute's type constraint: {error}."
        ) from None
    return Attribute(attribute_type, optional=True, default=default)


def _constant(expr: s.Expression) -> Value:
    """The value of an `optional()` default: Terraform evaluates it with no variables and
    no functions, so in practice only literal values appear."""
    if isinstance(expr, s.Literal):
        return expr.value
    if isinstance(expr, s.Parens):
        return _constant(expr.expr)
    if isinstance(expr, s.Template) and all(isinstance(part, str) for part in expr.parts):
        return "".join(expr.parts)
    if isinstance(expr, s.TupleExpr):
        return [_constant(item) for item in expr.items]
    if isinstance(expr, s.ObjectExpr):
        result = {}
        for item in expr.items:
            key = _constant(item.key)
            if not isinstance(key, str):
                raise EvalError("Invalid default value for optional attribute: object keys must be strings.")
            result[key] = _constant(item.value)
        return result
    if isinstance(expr, s.UnaryOp):
        operand = _constant(expr.operand)
        if expr.op == "-" and is_number(operand):
            return -operand
        if expr.op == "!" and isinstance(operand, bool):
            return not operand
    raise EvalError(
        "Invalid default value for optional attribute: the default must be a constant value; "
        "variables and function calls may not be used here."
    )


# ---------------------------------------------------------------------------
# Converting values
# ---------------------------------------------------------------------------


def convert(value: Value, tftype: TfType) -> Value:
    """`value` converted to `tftype`; raises EvalError when Terraform would reject it."""
    return _convert(value, tftype, ())


def _convert(value: Value, tftype: TfType, path: tuple[str, ...]) -> Value:
    if value is None or isinstance(value, UNKNOWN_TYPES) or isinstance(tftype, AnyType):
        return value
    if tftype == STRING:
        return _to_string(value, path)
    if tftype == NUMBER:
        return _to_number(value, path)
    if tftype == BOOL:
        return _to_bool(value, path)
    if isinstance(tftype, (ListType, SetType)):
        if not isinstance(value, list):
            _fail(path, f"{tftype} required")
        items = [_convert(item, tftype.element, path + (f"element {i}",)) for i, item in enumerate(value)]
        if _has_any(tftype.element):
            items = _unified(items, "list" if isinstance(tftype, ListType) else "set", path)
        return set_elements(items) if isinstance(tftype, SetType) else items
    if isinstance(tftype, MapType):
        if not isinstance(value, dict):
            _fail(path, f"{tftype} required")
        result = {key: _convert(item, tftype.element, path + (f'element "{key}"',)) for key, item in value.items()}
        if _has_any(tftype.element):
            result = dict(zip(result, _unified(list(result.values()), "map", path)))
        return result
    if isinstance(tftype, TupleType):
        if not isinstance(value, list) or len(value) != len(tftype.elements):
            _fail(path, "tuple required")
        return [_convert(item, t, path + (f"element {i}",)) for i, (item, t) in enumerate(zip(value, tftype.elements))]
    if not isinstance(value, dict):
        _fail(path, "object required")
    return _convert_object(value, tftype, path)


def _convert_object(value: dict, tftype: ObjectType, path: tuple[str, ...]) -> dict:
    result = {}
    for name, attribute in tftype.attributes.items():
        if attribute.optional and value.get(name) is None:
            item = copy.deepcopy(attribute.default)
        elif name in value:
            item = value[name]
        else:
            _fail(path, f'attribute "{name}" is required')
        result[name] = _convert(item, attribute.type, path + (f'attribute "{name}"',))
    return result


def _to_string(value: Value, path: tuple[str, ...]) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return number_to_string(value)
    _fail(path, "string required")


def _to_number(value: Value, path: tuple[str, ...]) -> int | float:
    if is_number(value):
        return value
    if isinstance(value, str):
        number = parse_number(value)
        if number is None:
            _fail(path, "a number is required")
        return number
    _fail(path, "number required")


def _to_bool(value: Value, path: tuple[str, ...]) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    _fail(path, "a bool is required" if isinstance(value, str) else "bool required")


def _fail(path: tuple[str, ...], message: str) -> NoReturn:
    raise EvalError(": ".join(path + (message,)))


def _has_any(tftype: TfType) -> bool:
    if isinstance(tftype, AnyType):
        return True
    if isinstance(tftype, (ListType, SetType, MapType)):
        return _has_any(tftype.element)
    if isinstance(tftype, TupleType):
        return any(_has_any(t) for t in tftype.elements)
    if isinstance(tftype, ObjectType):
        return any(_has_any(a.type) for a in tftype.attributes.values())
    return False


def _unified(items: list, kind: str, path: tuple[str, ...]) -> list:
    """`items` converted to the one type they all fit, as a collection of `any` requires."""
    target = unify([infer_type(item) for item in items])
    if target is None:
        _fail(path, f"all {kind} elements must have the same type")
    return [_convert(item, target, path + (f"element {i}",)) for i, item in enumerate(items)]


# ---------------------------------------------------------------------------
# Type inference and unification
# ---------------------------------------------------------------------------


def infer_type(value: Value) -> TfType:
    """The type Terraform gives a literal of this shape: lists are tuples and dicts objects;
    null, Unknown and Reference are of a type not known yet (`ANY`)."""
    if isinstance(value, bool):
        return BOOL
    if is_number(value):
        return NUMBER
    if isinstance(value, str):
        return STRING
    if isinstance(value, list):
        return TupleType(tuple(infer_type(item) for item in value))
    if isinstance(value, dict):
        return ObjectType({key: Attribute(infer_type(item)) for key, item in value.items()})
    return ANY


def unify(types: list[TfType]) -> TfType | None:
    """The one type all of `types` convert to, or None; `ANY` entries fit any type.

    Follows Terraform: mixed primitives become string (number and bool alone do not mix),
    objects with the same attribute names unify attribute by attribute and otherwise become
    a map, tuples of one length unify element by element and otherwise become a list.
    """
    known = [t for t in types if not isinstance(t, AnyType)]
    if not known:
        return ANY
    if all(t == known[0] for t in known):
        return known[0]
    if all(isinstance(t, PrimitiveType) for t in known):
        return STRING if STRING in known else None
    if all(isinstance(t, ObjectType) for t in known):
        names = set(known[0].attributes)
        if all(set(t.attributes) == names for t in known):
            attributes = {}
            for name in known[0].attributes:
                unified = unify([t.attributes[name].type for t in known])
                if unified is None:
                    return None
                attributes[name] = Attribute(unified)
            return ObjectType(attributes)
    if all(isinstance(t, TupleType) for t in known):
        if len({len(t.elements) for t in known}) == 1:
            elements = [unify(list(column)) for column in zip(*(t.elements for t in known))]
            return None if None in elements else TupleType(tuple(elements))
    if all(isinstance(t, (ObjectType, MapType)) for t in known):
        return _collection_of(MapType, [e for t in known for e in _element_types(t)])
    if all(isinstance(t, (TupleType, ListType)) for t in known):
        return _collection_of(ListType, [e for t in known for e in _element_types(t)])
    if all(isinstance(t, SetType) for t in known):
        return _collection_of(SetType, [t.element for t in known])
    return None


def _collection_of(kind: type, element_types: list[TfType]) -> TfType | None:
    element = unify(element_types)
    return None if element is None else kind(element)


def _element_types(tftype: TfType) -> list[TfType]:
    if isinstance(tftype, ObjectType):
        return [a.type for a in tftype.attributes.values()]
    if isinstance(tftype, TupleType):
        return list(tftype.elements)
    return [tftype.element]


# ---------------------------------------------------------------------------
# Values: numbers, equality, sets
# ---------------------------------------------------------------------------

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def is_number(value: Value) -> bool:
    """A Terraform number: an int or float that is not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def normalize_number(number: int | float | Decimal) -> int | float:
    """An int when the number is whole, else a float. Whole floats go through their
    shortest decimal text, so `1.5e300` becomes 15 followed by zeros, as Terraform prints it."""
    if isinstance(number, int):
        return number
    if isinstance(number, float):
        if not number.is_integer():
            return number
        number = Decimal(repr(number))
    return int(number) if number == number.to_integral_value() else float(number)


def parse_number(text: str) -> int | float | None:
    """The number a string converts to in Terraform (decimal notation only), or None."""
    if not _DECIMAL.fullmatch(text):
        return None
    return normalize_number(Decimal(text))


def number_to_string(number: int | float) -> str:
    """Terraform's text for a number: no exponent, no trailing `.0`."""
    number = normalize_number(number)
    if isinstance(number, int):
        return str(number)
    text = repr(number)
    return format(Decimal(text), "f") if "e" in text else text


def equal(a: Value, b: Value) -> bool:
    """Terraform's `==` on known values: types must match (`1 != "1"`, `true != 1`)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) or is_number(b):
        return is_number(a) and is_number(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def set_elements(items: list) -> list:
    """`items` as Terraform orders a set: known elements deduplicated and sorted, then the
    elements not known yet (which may or may not equal another one) in their given order."""
    known: dict = {}  # by `_identity`: toset() of 10⁵ keys costs 10⁵ lookups, not 10¹⁰ comparisons
    pending: list = []
    for item in items:
        if not is_known(item):
            if item not in pending:
                pending.append(item)
        else:
            known.setdefault(_identity(item), item)
    return sorted(known.values(), key=_set_order) + pending


def _identity(value: Value) -> object:
    """A hashable key equal for two known values exactly when `equal` says they are."""
    if isinstance(value, bool):
        return ("bool", value)
    if is_number(value):
        return ("number", value)  # 1 and 1.0 are one number, with one hash
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, list):
        return ("list", tuple(_identity(v) for v in value))
    if isinstance(value, dict):
        return ("map", tuple(sorted((k, _identity(v)) for k, v in value.items())))
    return ("value", value)


def _set_order(value: Value) -> tuple:
    if isinstance(value, bool):
        return (0, value)
    if is_number(value):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    return (3, json.dumps(value, sort_keys=True))
