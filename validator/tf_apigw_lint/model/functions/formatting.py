"""format() and formatlist(): Go's fmt verbs as Terraform applies them to its values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from typing import NoReturn

from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.model.functions.core import BadArgument, CallFailed, Param, Unknowns, function
from tf_apigw_lint.model.functions.encoding import json_string, json_text
from tf_apigw_lint.model.functions.strings import graphemes
from tf_apigw_lint.model.types import BOOL, NUMBER, STRING, TfType, convert, is_number, number_to_string
from tf_apigw_lint.view.values import Value, is_known, unknown_from


@dataclass
class _Verb:
    raw: str
    offset: int
    flags: str
    arg_number: int
    width: int | None
    precision: int | None
    mode: str


@function("format", Param("format", STRING), variadic=Param("args", nullable=True))
def _format(template: str, *args: Value) -> str:
    return _format_text(template, list(args))


@function(
    "formatlist",
    Param("format", STRING),
    variadic=Param("args", nullable=True, unknowns=Unknowns.IN_ELEMENTS),
)
def _formatlist(template: str, *args: Value) -> Value:
    lengths = [(number, len(arg)) for number, arg in enumerate(args, start=1) if isinstance(arg, list)]
    for number, length in lengths[1:]:
        if length != lengths[0][1]:
            first, first_length = lengths[0]
            detail = f"which is inconsistent with argument {first} of length {first_length}"
            raise BadArgument("args", f"argument {number} has length {length}, {detail}")
    results: list[Value] = []
    for index in range(lengths[0][1] if lengths else 1):
        row = [arg[index] if isinstance(arg, list) else arg for arg in args]
        if not is_known(row):
            results.append(unknown_from(row, "formatlist()"))
            continue
        try:
            results.append(_format_text(template, row))
        except CallFailed as error:
            raise CallFailed(f"error on format iteration {index}: {error}") from None
    return results


def _format_text(template: str, args: list[Value]) -> str:
    out = []
    next_arg = 1
    highest_used = 0
    i = 0
    while i < len(template):
        char = template[i]
        if char != "%":
            out.append(char)
            i += 1
            continue
        if template.startswith("%%", i):
            out.append("%")
            i += 2
            continue
        verb, i = _parse_verb(template, i, next_arg)
        if verb.arg_number > len(args):
            need = f"need index {verb.arg_number} but have {len(args)} total"
            raise CallFailed(f'not enough arguments for "{verb.raw}" at {verb.offset}: {need}')
        out.append(_format_value(verb, args[verb.arg_number - 1]))
        next_arg = verb.arg_number + 1
        highest_used = max(highest_used, verb.arg_number)
    if len(args) > highest_used:
        detail = f"only {highest_used} used by format string" if highest_used else "no verbs in format string"
        raise BadArgument("args", f"too many arguments; {detail}")
    return "".join(out)


def _parse_verb(template: str, start: int, next_arg: int) -> tuple[_Verb, int]:
    i = start + 1

    def digits(first: str) -> str:
        nonlocal i
        end = i
        if end < len(template) and template[end] in first:
            end += 1
            while end < len(template) and template[end].isascii() and template[end].isdigit():
                end += 1
        found, i = template[i:end], end
        return found

    flags = ""
    while i < len(template) and template[i] in "-+# 0":
        flags += template[i]
        i += 1
    arg_number = next_arg
    if i < len(template) and template[i] == "[":
        i += 1
        index = digits("123456789")
        if not index or i >= len(template) or template[i] != "]":
            _unrecognized(template, i)
        arg_number = int(index)
        i += 1
    width = digits("123456789")
    precision = None
    if i < len(template) and template[i] == ".":
        i += 1
        precision = int(digits("0123456789") or "0")
    if i >= len(template):
        raise CallFailed(f"invalid format string starting at offset {i}")
    mode = template[i]
    if not (mode.isascii() and mode.isalpha()):
        _unrecognized(template, i)
    verb = _Verb(template[start : i + 1], start, flags, arg_number, int(width) if width else None, precision, mode)
    return verb, i + 1


def _unrecognized(template: str, i: int) -> NoReturn:
    if i >= len(template):
        raise CallFailed(f"invalid format string starting at offset {i}")
    raise CallFailed(f"unrecognized format character '{template[i]}' at offset {i}")


def _format_value(verb: _Verb, value: Value) -> str:
    if value is None and verb.mode != "v":
        raise CallFailed(f'unsupported value for "{verb.raw}" at {verb.offset}: null value cannot be formatted')
    if verb.mode == "v":
        if "#" not in verb.flags and isinstance(value, str):
            return _pad(verb, value)
        if "#" not in verb.flags and is_number(value):
            return _pad(verb, ("-" if value < 0 else "") + _go_g(Decimal(number_to_string(abs(value))), None))
        return _pad(verb, json_text(value))
    if verb.mode == "t":
        return "true" if _verb_operand(verb, value, BOOL) else "false"
    if verb.mode in "bdoxX":
        number = _verb_operand(verb, value, NUMBER)
        if isinstance(number, float) and not number.is_integer():
            raise CallFailed(f'unsupported value for "{verb.raw}" at {verb.offset}: an integer is required')
        return _format_integer(verb, int(number))
    if verb.mode in "eEfgG":
        return _format_float(verb, _verb_operand(verb, value, NUMBER))
    if verb.mode in "sq":
        text = _verb_operand(verb, value, STRING)
        if verb.precision:
            text = "".join(graphemes(text)[: verb.precision])
        return _pad(verb, text if verb.mode == "s" else json_string(text))
    raise CallFailed(f"unsupported format verb '{verb.mode}' in \"{verb.raw}\" at offset {verb.offset}")


def _verb_operand(verb: _Verb, value: Value, wanted: TfType) -> Value:
    try:
        return convert(value, wanted)
    except EvalError as error:
        raise CallFailed(f'unsupported value for "{verb.raw}" at {verb.offset}: {error}') from None


def _pad(verb: _Verb, text: str) -> str:
    """Width padding for %s, %q and %v, counted in characters; the 0 flag pads with zeros
    even for text, as Terraform does."""
    missing = (verb.width or 0) - len(graphemes(text))
    if missing <= 0:
        return text
    if "-" in verb.flags:
        return text + " " * missing
    return ("0" if "0" in verb.flags else " ") * missing + text


def _pad_number(verb: _Verb, sign: str, digits: str, zero_allowed: bool = True) -> str:
    """Width padding the way Go's fmt does it for numbers: zeros go after the sign."""
    width = verb.width or 0
    if "-" in verb.flags:
        return (sign + digits).ljust(width)
    if "0" in verb.flags and zero_allowed:
        return sign + digits.rjust(width - len(sign), "0")
    return (sign + digits).rjust(width)


def _sign(negative: bool, verb: _Verb) -> str:
    if negative:
        return "-"
    return "+" if "+" in verb.flags else " " if " " in verb.flags else ""


def _format_integer(verb: _Verb, number: int) -> str:
    digits = format(abs(number), verb.mode)
    if verb.precision is not None:
        digits = digits.zfill(verb.precision) if number or verb.precision else ""
    if "#" in verb.flags:
        digits = {"b": "0b", "o": "0", "x": "0x", "X": "0X"}.get(verb.mode, "") + digits
    return _pad_number(verb, _sign(number < 0, verb), digits, zero_allowed=verb.precision is None)


def _format_float(verb: _Verb, number: int | float) -> str:
    magnitude = _held_value(abs(number))
    if verb.mode in "gG":
        if verb.precision is None:
            digits = _go_g(Decimal(number_to_string(abs(number))), None)
        else:
            digits = _go_g(magnitude, verb.precision)
        digits = digits.upper() if verb.mode == "G" else digits
    elif verb.mode in "eE":
        digits = _go_e(magnitude, 6 if verb.precision is None else verb.precision)
        digits = digits.upper() if verb.mode == "E" else digits
    else:
        digits = format(magnitude, f".{6 if verb.precision is None else verb.precision}f")
    return _pad_number(verb, _sign(number < 0, verb), digits)


def _held_value(number: int | float) -> Decimal:
    """The exact value Terraform holds for `number`: its decimal text rounded to a 512-bit
    binary mantissa. format() rounds that value half to even, so "%.1f" of 0.05 is "0.1"
    (the binary value is just above 0.05) while "%.0f" of 2.5 is "2"."""
    exact = Fraction(Decimal(number_to_string(number)))
    if exact == 0:
        return Decimal(0)
    shift = 512 - (abs(exact.numerator).bit_length() - exact.denominator.bit_length())
    mantissa = round(exact * Fraction(2) ** shift)
    if shift <= 0:
        return Decimal(mantissa * 2**-shift)
    scaled = Decimal(mantissa * 5**shift).as_tuple()
    return Decimal((scaled.sign, scaled.digits, -shift))


def _significant(number: Decimal, precision: int | None = None) -> tuple[str, int]:
    """The digits of a non-zero `number` without trailing zeros, and the position of the
    decimal point relative to the first digit (number = 0.digits × 10^point)."""
    if precision is not None:
        with localcontext() as context:
            context.prec = precision
            context.rounding = ROUND_HALF_EVEN
            number = +number
    _, digit_tuple, exponent = number.as_tuple()
    return "".join(map(str, digit_tuple)).rstrip("0"), len(digit_tuple) + int(exponent)  # finite here


def _plain(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * -point + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]


def _exponent_form(digits: str, point: int) -> str:
    exponent = point - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


def _go_e(number: Decimal, precision: int) -> str:
    """Go's %e for a non-negative number: `precision` decimals, a two-digit exponent."""
    if number == 0:
        return "0" + ("." + "0" * precision if precision else "") + "e+00"
    digits, point = _significant(number, precision + 1)
    return _exponent_form(digits.ljust(precision + 1, "0"), point)


def _go_g(number: Decimal, precision: int | None) -> str:
    """Go's %g for a non-negative number; None is Go's shortest form (Terraform's %v).
    Exponent form when the exponent is below -4 or not below the precision (6 for the
    shortest form); trailing zeros are dropped."""
    if number == 0:
        return "0"
    significant = None if precision is None else max(precision, 1)
    digits, point = _significant(number, significant)
    limit = 6 if significant is None else significant
    if significant is not None and significant > len(digits) and len(digits) >= point:
        limit = len(digits)
    if not -4 <= point - 1 < limit:
        return _exponent_form(digits, point)
    return _plain(digits, point)


FUNCTIONS = (
    _format,
    _formatlist,
)
