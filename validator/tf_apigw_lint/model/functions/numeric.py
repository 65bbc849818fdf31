"""Terraform's numeric functions."""

from __future__ import annotations

import math

from tf_apigw_lint.model.functions.core import BadArgument, CallFailed, Param, function, whole
from tf_apigw_lint.model.types import NUMBER, normalize_number
from tf_apigw_lint.view.values import Value, type_name


@function("abs", Param("num", NUMBER))
def _abs(number: int | float) -> int | float:
    return normalize_number(abs(number))


@function("ceil", Param("num", NUMBER))
def _ceil(number: int | float) -> int:
    return math.ceil(number)


@function("floor", Param("num", NUMBER))
def _floor(number: int | float) -> int:
    return math.floor(number)


@function("max", variadic=Param("numbers", NUMBER))
def _max(*numbers: int | float) -> int | float:
    if not numbers:
        raise CallFailed("must pass at least one number")
    return normalize_number(max(numbers))


@function("min", variadic=Param("numbers", NUMBER))
def _min(*numbers: int | float) -> int | float:
    if not numbers:
        raise CallFailed("must pass at least one number")
    return normalize_number(min(numbers))


@function("pow", Param("num", NUMBER), Param("power", NUMBER))
def _pow(number: int | float, power: int | float) -> int | float:
    # Terraform computes pow() in float64, so large results are rounded the same way.
    try:
        return normalize_number(math.pow(number, power))
    except (OverflowError, ValueError):
        raise CallFailed("the result is not a finite number") from None


@function("signum", Param("num", NUMBER))
def _signum(number: int | float) -> int:
    value = whole(number)
    return (value > 0) - (value < 0)


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@function("parseint", Param("number"), Param("base", NUMBER))
def _parseint(text: Value, base: int | float) -> int:
    if not isinstance(text, str):
        raise BadArgument("number", f"first argument must be a string, not {type_name(text)}")
    if isinstance(base, float) and not base.is_integer() or not 2 <= base <= 62:
        raise BadArgument("base", "base must be a whole number between 2 and 62 inclusive")
    radix = int(base)
    # Go's big.Int: letters are case-insensitive up to base 36, distinct digits above.
    alphabet = _DIGITS[:radix] if radix > 36 else _DIGITS[:radix].upper() + _DIGITS[:radix]
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.removeprefix("+"))
    if not digits or any(char not in alphabet for char in digits):
        raise BadArgument("number", f'cannot parse "{text}" as a base {radix} integer')
    value = 0
    for char in digits:
        value = value * radix + (_DIGITS.index(char.lower()) if radix <= 36 else _DIGITS.index(char))
    return sign * value


FUNCTIONS = (
    _abs,
    _ceil,
    _floor,
    _max,
    _min,
    _pow,
    _signum,
    _parseint,
)
