"""Terraform's collection functions: lists, maps and sets."""

from __future__ import annotations

from decimal import Decimal

from tf_apigw_lint.model.functions.core import BadArgument, CallFailed, Param, Unknowns, function, whole
from tf_apigw_lint.model.functions.strings import graphemes
from tf_apigw_lint.model.types import (
    ANY,
    BOOL,
    NUMBER,
    STRING,
    ListType,
    SetType,
    convert,
    equal,
    infer_type,
    normalize_number,
    number_to_string,
    set_elements,
    unify,
)
from tf_apigw_lint.view.values import UNKNOWN_TYPES, Value, is_known, type_name, unknown_from


@function("length", Param("value", unknowns=Unknowns.IN_ELEMENTS))
def _length(value: Value) -> int:
    if isinstance(value, str):
        return len(graphemes(value))
    if isinstance(value, (list, dict)):
        return len(value)
    raise CallFailed("argument must be a string, a collection type, or a structural type")


@function("concat", variadic=Param("seqs", unknowns=Unknowns.IN_ELEMENTS))
def _concat(*seqs: list) -> list:
    if not seqs:
        raise CallFailed("at least one argument is required")
    for seq in seqs:
        if not isinstance(seq, list):
            raise BadArgument("seqs", f"all arguments must be lists or tuples; got {type_name(seq)}")
    return [item for seq in seqs for item in seq]


@function("merge", variadic=Param("maps", nullable=True, unknowns=Unknowns.IN_ELEMENTS))
def _merge(*maps: dict | None) -> dict:
    result: dict = {}
    for mapping in maps:
        if mapping is None:
            continue
        if not isinstance(mapping, dict):
            raise CallFailed(f'arguments must be maps or objects, got "{type_name(mapping)}"')
        result.update(mapping)
    return result


@function("flatten", Param("list", unknowns=Unknowns.IN_ELEMENTS))
def _flatten(items: list) -> list:
    if not isinstance(items, list):
        raise CallFailed("can only flatten lists, sets and tuples")
    return _flattened(items)


def _flattened(items: list) -> list:
    # An unknown element stays one element: it is usually a string such as an ARN, and
    # dropping the whole list would hide every known element from the rules.
    flat = []
    for item in items:
        flat.extend(_flattened(item) if isinstance(item, list) else [item])
    return flat


@function(
    "lookup",
    Param("inputMap", unknowns=Unknowns.IN_ELEMENTS),
    Param("key", STRING),
    variadic=Param("default", nullable=True, unknowns=Unknowns.ACCEPT),
)
def _lookup(mapping: dict, key: str, *default: Value) -> Value:
    if len(default) > 1:
        raise CallFailed(f"lookup() takes two or three arguments, got {2 + len(default)}")
    if not isinstance(mapping, dict):
        raise BadArgument("inputMap", "lookup() requires a map as the first argument")
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise BadArgument("inputMap", f'the given object has no attribute "{key}"')


@function("keys", Param("inputMap", unknowns=Unknowns.IN_ELEMENTS))
def _keys(mapping: dict) -> list[str]:
    if not isinstance(mapping, dict):
        raise BadArgument("inputMap", "must have map or object type")
    return sorted(mapping)


@function("values", Param("mapping", unknowns=Unknowns.IN_ELEMENTS))
def _values(mapping: dict) -> list:
    if not isinstance(mapping, dict):
        raise CallFailed("values() requires a map as the first argument")
    return [mapping[key] for key in sorted(mapping)]


@function("contains", Param("list", unknowns=Unknowns.IN_ELEMENTS), Param("value"))
def _contains(items: list, value: Value) -> Value:
    if not isinstance(items, list):
        raise CallFailed("argument must be list, tuple, or set")
    if _has_element([item for item in items if is_known(item)], value):
        return True
    pending = [item for item in items if not is_known(item)]
    return unknown_from(pending, "contains()") if pending else False


@function("index", Param("list", unknowns=Unknowns.IN_ELEMENTS), Param("value"))
def _index(items: list, value: Value) -> Value:
    if not isinstance(items, list):
        raise CallFailed("argument must be a list or tuple")
    for position, item in enumerate(items):
        if not is_known(item):
            return unknown_from(item, "index()")
        if equal(item, value):
            return position
    raise CallFailed("item not found")


@function("element", Param("list", unknowns=Unknowns.IN_ELEMENTS), Param("index", NUMBER))
def _element(items: list, index: int | float) -> Value:
    if not isinstance(items, list):
        raise CallFailed(f"cannot read elements from {type_name(items)}")
    position = whole(index, "invalid index: ")
    if not items:
        raise CallFailed("cannot use element function with an empty list")
    if position < 0:
        raise CallFailed("cannot use element function with a negative index")
    return items[position % len(items)]


@function("coalesce", variadic=Param("vals", nullable=True, unknowns=Unknowns.ACCEPT))
def _coalesce(*values: Value) -> Value:
    target = unify([infer_type(value) for value in values]) if values else None
    if target is None:
        raise CallFailed("all arguments must have the same type")
    for value in values:
        if not is_known(value):
            return unknown_from(value, "coalesce()")
        converted = convert(value, target)
        if converted is not None and converted != "":
            return converted
    raise CallFailed("no non-null, non-empty-string arguments")


@function("coalescelist", variadic=Param("vals", nullable=True, unknowns=Unknowns.ACCEPT))
def _coalescelist(*lists: Value) -> Value:
    if not lists:
        raise CallFailed("at least one argument is required")
    for items in lists:
        if isinstance(items, UNKNOWN_TYPES):
            return unknown_from(items, "coalescelist()")
        if not isinstance(items, list):
            raise CallFailed("coalescelist arguments must be lists or tuples")
        if items:
            return items
    raise CallFailed("no non-null arguments")


@function("compact", Param("list", ListType(STRING)))
def _compact(items: list) -> list:
    return [item for item in items if item is not None and item != ""]


@function("distinct", Param("list", ListType(ANY)))
def _distinct(items: list) -> list:
    result: list = []
    for item in items:
        if not _has_element(result, item):
            result.append(item)
    return result


@function("reverse", Param("list", unknowns=Unknowns.IN_ELEMENTS))
def _reverse(items: list) -> list:
    if not isinstance(items, list):
        raise BadArgument("list", f"can only reverse list or tuple values, not {type_name(items)}")
    return items[::-1]


@function(
    "slice",
    Param("list", unknowns=Unknowns.IN_ELEMENTS),
    Param("start_index", NUMBER),
    Param("end_index", NUMBER),
)
def _slice(items: list, start_index: int | float, end_index: int | float) -> list:
    if not isinstance(items, list):
        raise BadArgument("list", "must be a list or tuple value")
    start = whole(start_index, "invalid start index: ", "start_index")
    end = whole(end_index, "invalid end index: ", "end_index")
    if start < 0:
        raise BadArgument("start_index", "start index must not be less than zero")
    if end > len(items):
        raise BadArgument("end_index", "end index must not be greater than the length of the list")
    if start > end:
        raise BadArgument("start_index", "start index must not be greater than end index")
    return items[start:end]


@function("sort", Param("list", ListType(STRING)))
def _sort(items: list) -> list:
    for index, item in enumerate(items):
        if item is None:
            raise CallFailed(f"given list element {index} is null; a null string cannot be sorted")
    return sorted(items)


@function("range", variadic=Param("params", NUMBER))
def _range(*params: int | float) -> list:
    if not 1 <= len(params) <= 3:
        raise CallFailed("must have one, two, or three arguments")
    # Decimal arithmetic, like Terraform's arbitrary precision: range(0, 1, 0.1) ends at 0.9.
    numbers = [Decimal(number_to_string(p)) for p in params]
    start, limit = (Decimal(0), numbers[0]) if len(numbers) == 1 else (numbers[0], numbers[1])
    step = numbers[2] if len(numbers) == 3 else Decimal(1 if limit >= start else -1)
    if step < 0 and limit > start:
        raise BadArgument("params", "end must be less than start when step is negative")
    if step > 0 and limit < start:
        raise BadArgument("params", "end must be greater than start when step is positive")
    result: list[int | float] = []
    current = start
    while (current < limit) if step >= 0 else (current > limit):
        if len(result) == 1024:
            raise CallFailed(
                "more than 1024 values were generated; either decrease the difference between start "
                "and end or use a smaller step"
            )
        result.append(normalize_number(current))
        current += step
    return result


@function("zipmap", Param("keys", ListType(STRING)), Param("values", unknowns=Unknowns.IN_ELEMENTS))
def _zipmap(keys: list, values: list) -> dict:
    if not isinstance(values, list):
        raise CallFailed("values argument must be a list or tuple value")
    if len(keys) != len(values):
        raise CallFailed(f"number of keys ({len(keys)}) does not match number of values ({len(values)})")
    if None in keys:
        raise CallFailed(f"keys list has null value at index {keys.index(None)}")
    return dict(zip(keys, values))


def _unified_sets(sets: tuple[list, ...]) -> list[list]:
    """The sets converted to one element type, as Terraform does: setunion([1], ["a"]) is
    ["1", "a"]."""
    target = unify([infer_type(item) for items in sets for item in items])
    if target is None:
        raise CallFailed("given sets must all have compatible element types")
    return [convert(items, SetType(target)) for items in sets]


@function("setunion", Param("first_set", SetType(ANY)), variadic=Param("other_sets", SetType(ANY)))
def _setunion(*sets: list) -> list:
    return set_elements([item for items in _unified_sets(sets) for item in items])


@function("setintersection", Param("first_set", SetType(ANY)), variadic=Param("other_sets", SetType(ANY)))
def _setintersection(*sets: list) -> list:
    first, *others = _unified_sets(sets)
    return [item for item in first if all(_has_element(other, item) for other in others)]


@function("setsubtract", Param("a", SetType(ANY)), Param("b", SetType(ANY)))
def _setsubtract(a: list, b: list) -> list:
    a, b = _unified_sets((a, b))
    return [item for item in a if not _has_element(b, item)]


def _has_element(items: list, value: Value) -> bool:
    return any(equal(item, value) for item in items)


@function("one", Param("list", unknowns=Unknowns.IN_ELEMENTS))
def _one(items: list) -> Value:
    if not isinstance(items, list) or len(items) > 1:
        raise BadArgument("list", "must be a list, set, or tuple value with either zero or one elements")
    return items[0] if items else None


@function("alltrue", Param("list", ListType(BOOL), unknowns=Unknowns.IN_ELEMENTS))
def _alltrue(items: list) -> Value:
    if any(item is None or item is False for item in items):
        return False
    pending = [item for item in items if not is_known(item)]
    return unknown_from(pending, "alltrue()") if pending else True


@function("anytrue", Param("list", ListType(BOOL), unknowns=Unknowns.IN_ELEMENTS))
def _anytrue(items: list) -> Value:
    if any(item is True for item in items):
        return True
    pending = [item for item in items if not is_known(item)]
    return unknown_from(pending, "anytrue()") if pending else False


@function("chunklist", Param("list", ListType(ANY), unknowns=Unknowns.IN_ELEMENTS), Param("size", NUMBER))
def _chunklist(items: list, size: int | float) -> list:
    count = whole(size, "invalid size: ")
    if count < 0:
        raise CallFailed("the size argument must be positive")
    if count == 0:
        return [items] if items else []
    return [items[i : i + count] for i in range(0, len(items), count)]


@function("sum", Param("list", ListType(NUMBER)))
def _sum(items: list) -> int | float:
    if not items:
        raise BadArgument("list", "cannot sum an empty list")
    if None in items:
        raise BadArgument("list", "argument must be list, set, or tuple of number values")
    return normalize_number(sum(Decimal(number_to_string(item)) for item in items))


FUNCTIONS = (
    _length,
    _concat,
    _merge,
    _flatten,
    _lookup,
    _keys,
    _values,
    _contains,
    _index,
    _element,
    _coalesce,
    _coalescelist,
    _compact,
    _distinct,
    _reverse,
    _slice,
    _sort,
    _range,
    _zipmap,
    _setunion,
    _setintersection,
    _setsubtract,
    _one,
    _alltrue,
    _anytrue,
    _chunklist,
    _sum,
)
