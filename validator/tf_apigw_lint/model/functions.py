"""Terraform's built-in functions on plain values (see `values.py`).

`FUNCTIONS` maps a function name to `fn(context, args) -> Value`. Each function checks its
arguments as Terraform does (count, conversion to the parameter type, null) and raises
`EvalError` with Terraform's wording: `Invalid function argument: Invalid value for "str"
parameter: string required.` Results match `terraform console`.

Unknown values: by default an argument that is, or contains, an Unknown or a Reference
makes the result an Unknown whose reason names the function and the unknown value. Where
Terraform knows more, so do these functions (declared per parameter):
`length`, `concat`, `merge`, `flatten`, `lookup`, `element`, `keys`, `values`, `reverse`,
`slice`, `one`, `zipmap`, `chunklist` and `coalescelist` keep unknown elements in place;
`contains`, `index`, `coalesce`, `alltrue` and `anytrue` answer when the known part
decides; `jsonencode` of a structure with unknown leaves is an Unknown that keeps the
structure as `partial`, which `jsondecode` gives back; `to*()` conversions pass Unknowns
and References through.

`try` and `can` are not here: they need their arguments unevaluated, so the evaluator
implements them.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import json
import math
import os
import posixpath
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from typing import Callable, NoReturn, Protocol

from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.model.types import (
    ANY,
    BOOL,
    NUMBER,
    STRING,
    ListType,
    MapType,
    SetType,
    TfType,
    convert,
    equal,
    infer_type,
    is_number,
    normalize_number,
    number_to_string,
    set_elements,
    unify,
)
from tf_apigw_lint.view.values import UNKNOWN_TYPES, Unknown, Value, is_known, type_name, unknown_from


class FunctionContext(Protocol):
    """What the file functions need from the evaluator."""

    base_dir: str  # the root module directory, Terraform's working directory

    def read_file(self, path: str) -> str:
        """The text of `path` (relative to `base_dir`); EvalError when missing or unreadable."""

    def render_template(self, text: str, path: str, variables: dict) -> Value:
        """`text` (read from `path`) rendered as a template with only `variables` in scope."""


class _Unknowns(enum.Enum):
    """How much of an argument may be unknown before the function gives up."""

    REJECT = "reject"  # any Unknown inside makes the result Unknown
    IN_ELEMENTS = "elements"  # the argument must be known; the function handles unknown elements
    ACCEPT = "accept"  # the function handles the argument itself being Unknown


@dataclass(frozen=True)
class _Param:
    name: str
    type: TfType = ANY
    nullable: bool = False
    unknowns: _Unknowns = _Unknowns.REJECT


class _BadArgument(Exception):
    """Raised by an implementation: the argument for `param` is unacceptable."""

    def __init__(self, param: str, detail: str):
        super().__init__(detail)
        self.param = param
        self.detail = detail


class _CallFailed(Exception):
    """Raised by an implementation: the call failed for a reason not tied to one argument."""


class _Unsupported(Exception):
    """Raised by an implementation for a valid call this tool cannot evaluate."""


@dataclass(frozen=True)
class _Function:
    name: str
    params: tuple[_Param, ...]
    variadic: _Param | None
    impl: Callable[..., Value]
    wants_context: bool

    def __call__(self, context: FunctionContext, args: list[Value]) -> Value:
        params = self._params_for(len(args))
        values = []
        blocking = None
        for param, arg in zip(params, args):
            if isinstance(arg, UNKNOWN_TYPES) and param.unknowns is not _Unknowns.ACCEPT:
                blocking = arg if blocking is None else blocking
                values.append(arg)
                continue
            if arg is None:
                if not param.nullable:
                    raise self._argument_error(param.name, "argument must not be null")
                values.append(None)
                continue
            try:
                value = convert(arg, param.type)
            except EvalError as error:
                raise self._argument_error(param.name, str(error)) from None
            if param.unknowns is _Unknowns.REJECT and blocking is None and not is_known(value):
                blocking = value
            values.append(value)
        if blocking is not None:
            return unknown_from(blocking, f"{self.name}()")
        try:
            return self.impl(context, *values) if self.wants_context else self.impl(*values)
        except _BadArgument as error:
            raise self._argument_error(error.param, error.detail) from None
        except _CallFailed as error:
            detail = _sentence(str(error))
            raise EvalError(f'Error in function call: Call to function "{self.name}" failed: {detail}') from None
        except _Unsupported as error:
            return Unknown(f"{self.name}(): {error}")

    def _params_for(self, count: int) -> list[_Param]:
        expected = len(self.params)
        if count < expected:
            at_least = "at least " if self.variadic else ""
            raise EvalError(
                f'Not enough function arguments: Function "{self.name}" expects {at_least}{expected} argument(s). '
                f'Missing value for "{self.params[count].name}".'
            )
        if count > expected and self.variadic is None:
            raise EvalError(f'Too many function arguments: Function "{self.name}" expects only {expected} argument(s).')
        return list(self.params) + [self.variadic] * (count - expected)

    def _argument_error(self, param: str, detail: str) -> EvalError:
        return EvalError(f'Invalid function argument: Invalid value for "{param}" parameter: {_sentence(detail)}')


def _sentence(text: str) -> str:
    return text if text.endswith(".") else text + "."


FUNCTIONS: dict[str, Callable[[FunctionContext, list[Value]], Value]] = {}


def _function(name: str, *params: _Param, variadic: _Param | None = None, context: bool = False):
    def register(impl: Callable[..., Value]) -> Callable[..., Value]:
        FUNCTIONS[name] = _Function(name, params, variadic, impl, context)
        return impl

    return register


def _whole(number: int | float, what: str = "", param: str | None = None) -> int:
    """`number` as an int; Terraform's error naming `param` (or the call) when not whole."""
    if isinstance(number, float) and not number.is_integer() or not -(2**63) <= number < 2**63:
        detail = f"{what}value must be a whole number, between -9223372036854775808 and 9223372036854775807"
        raise _BadArgument(param, detail) if param else _CallFailed(detail)
    return int(number)


# ---------------------------------------------------------------------------
# Strings
# ---------------------------------------------------------------------------

_ZWJ = "\u200d"
# Go's unicode.IsSpace, which trimspace() and title() use; narrower than str.isspace().
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"


def _graphemes(text: str) -> list[str]:
    """`text` split into user-perceived characters, which Terraform counts in length(),
    substr() and format() widths: a base character with its combining marks, emoji
    sequences joined by ZWJ or modifiers, flag pairs, CR LF."""
    clusters: list[str] = []
    for char in text:
        if clusters and _continues_cluster(clusters[-1], char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _continues_cluster(cluster: str, char: str) -> bool:
    last = cluster[-1]
    if last == "\r":
        return char == "\n"
    if last == "\n" or char in "\r\n":
        return False
    if char == _ZWJ or last == _ZWJ or unicodedata.category(char) in ("Mn", "Me", "Mc"):
        return True
    if 0x1F3FB <= ord(char) <= 0x1F3FF:  # skin tone modifiers
        return True
    # Flags are pairs of regional indicators.
    pairs_open = _is_regional_indicator(last) and sum(map(_is_regional_indicator, cluster)) % 2 == 1
    return _is_regional_indicator(char) and pairs_open


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _map_runes(text: str, mapping: Callable[[str], str]) -> str:
    """Go's rune-by-rune case mapping: a rune whose mapping is not one rune is kept ("ß"
    has no one-rune upper case)."""
    return "".join(_map_rune(char, mapping) for char in text)


def _map_rune(char: str, mapping: Callable[[str], str]) -> str:
    mapped = mapping(char)
    return mapped if len(mapped) == 1 else char


def _lower_rune(char: str) -> str:
    # The one character whose full lower case is two characters but whose simple one is "i".
    return "i" if char == "\u0130" else char.lower()


@_function("lower", _Param("str", STRING))
def _lower(text: str) -> str:
    return _map_runes(text, _lower_rune)


@_function("upper", _Param("str", STRING))
def _upper(text: str) -> str:
    return _map_runes(text, str.upper)


@_function("title", _Param("str", STRING))
def _title(text: str) -> str:
    result = []
    previous = " "
    for char in text:
        result.append(_map_rune(char, str.title) if _separates_words(previous) else char)
        previous = char
    return "".join(result)


def _separates_words(char: str) -> bool:
    if char.isascii():
        return not (char.isalnum() or char == "_")
    if char.isalpha() or char.isdigit():
        return False
    return char in _GO_SPACE


@_function("trimspace", _Param("str", STRING))
def _trimspace(text: str) -> str:
    return text.strip(_GO_SPACE)


@_function("trim", _Param("str", STRING), _Param("cutset", STRING))
def _trim(text: str, cutset: str) -> str:
    return text.strip(cutset)


@_function("trimprefix", _Param("str", STRING), _Param("prefix", STRING))
def _trimprefix(text: str, prefix: str) -> str:
    return text.removeprefix(prefix)


@_function("trimsuffix", _Param("str", STRING), _Param("suffix", STRING))
def _trimsuffix(text: str, suffix: str) -> str:
    return text.removesuffix(suffix)


@_function("chomp", _Param("str", STRING))
def _chomp(text: str) -> str:
    return text.rstrip("\r\n")


@_function("indent", _Param("spaces", NUMBER), _Param("str", STRING))
def _indent(spaces: int | float, text: str) -> str:
    count = _whole(spaces)
    if count < 0:
        raise _CallFailed("spaces must not be negative")
    return text.replace("\n", "\n" + " " * count)


@_function("strrev", _Param("str", STRING))
def _strrev(text: str) -> str:
    return "".join(reversed(_graphemes(text)))


@_function("substr", _Param("str", STRING), _Param("offset", NUMBER), _Param("length", NUMBER))
def _substr(text: str, offset: int | float, length: int | float) -> str:
    start, count = _whole(offset), _whole(length)
    clusters = _graphemes(text)
    if start < 0:
        start += len(clusters)
    elif count == 0:
        return ""
    if start > 0:
        clusters = clusters[start:]
    # A negative length takes the rest of the string; so does, as in Terraform, a zero
    # length after a negative offset.
    if count <= 0:
        return "".join(clusters)
    return "".join(clusters[:count])


@_function("split", _Param("separator", STRING), _Param("str", STRING))
def _split(separator: str, text: str) -> list[str]:
    if separator == "":
        return list(text)
    return text.split(separator)


@_function("join", _Param("separator", STRING), variadic=_Param("lists", ListType(STRING)))
def _join(separator: str, *lists: list) -> str:
    if not lists:
        raise _CallFailed("at least one list is required")
    for number, items in enumerate(lists, start=1):
        for index, item in enumerate(items):
            if item is None:
                where = f"element {index} of list {number}" if len(lists) > 1 else f"element {index}"
                raise _BadArgument("lists", f"{where} is null; cannot concatenate null values")
    return separator.join(item for items in lists for item in items)


@_function("replace", _Param("str", STRING), _Param("substr", STRING), _Param("replace", STRING))
def _replace(text: str, search: str, replacement: str) -> str:
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        pattern = _compile_re2(search[1:-1], "substr")
        return _replace_all(pattern, text, replacement)
    return text.replace(search, replacement)


@_function("startswith", _Param("str", STRING), _Param("prefix", STRING))
def _startswith(text: str, prefix: str) -> bool:
    return text.startswith(prefix)


@_function("endswith", _Param("str", STRING), _Param("suffix", STRING))
def _endswith(text: str, suffix: str) -> bool:
    return text.endswith(suffix)


@_function("strcontains", _Param("str", STRING), _Param("substr", STRING))
def _strcontains(text: str, part: str) -> bool:
    return part in text


# ---------------------------------------------------------------------------
# format() and formatlist()
# ---------------------------------------------------------------------------


@dataclass
class _Verb:
    raw: str
    offset: int
    flags: str
    arg_number: int
    width: int | None
    precision: int | None
    mode: str


@_function("format", _Param("format", STRING), variadic=_Param("args", nullable=True))
def _format(template: str, *args: Value) -> str:
    return _format_text(template, list(args))


@_function(
    "formatlist",
    _Param("format", STRING),
    variadic=_Param("args", nullable=True, unknowns=_Unknowns.IN_ELEMENTS),
)
def _formatlist(template: str, *args: Value) -> Value:
    lengths = [(number, len(arg)) for number, arg in enumerate(args, start=1) if isinstance(arg, list)]
    for number, length in lengths[1:]:
        if length != lengths[0][1]:
            first, first_length = lengths[0]
            detail = f"which is inconsistent with argument {first} of length {first_length}"
            raise _BadArgument("args", f"argument {number} has length {length}, {detail}")
    results = []
    for index in range(lengths[0][1] if lengths else 1):
        row = [arg[index] if isinstance(arg, list) else arg for arg in args]
        if not is_known(row):
            results.append(unknown_from(row, "formatlist()"))
            continue
        try:
            results.append(_format_text(template, row))
        except _CallFailed as error:
            raise _CallFailed(f"error on format iteration {index}: {error}") from None
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
            raise _CallFailed(f'not enough arguments for "{verb.raw}" at {verb.offset}: {need}')
        out.append(_format_value(verb, args[verb.arg_number - 1]))
        next_arg = verb.arg_number + 1
        highest_used = max(highest_used, verb.arg_number)
    if len(args) > highest_used:
        detail = f"only {highest_used} used by format string" if highest_used else "no verbs in format string"
        raise _BadArgument("args", f"too many arguments; {detail}")
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
        raise _CallFailed(f"invalid format string starting at offset {i}")
    mode = template[i]
    if not (mode.isascii() and mode.isalpha()):
        _unrecognized(template, i)
    verb = _Verb(template[start : i + 1], start, flags, arg_number, int(width) if width else None, precision, mode)
    return verb, i + 1


def _unrecognized(template: str, i: int) -> NoReturn:
    if i >= len(template):
        raise _CallFailed(f"invalid format string starting at offset {i}")
    raise _CallFailed(f"unrecognized format character '{template[i]}' at offset {i}")


def _format_value(verb: _Verb, value: Value) -> str:
    if value is None and verb.mode != "v":
        raise _CallFailed(f'unsupported value for "{verb.raw}" at {verb.offset}: null value cannot be formatted')
    if verb.mode == "v":
        if "#" not in verb.flags and isinstance(value, str):
            return _pad(verb, value)
        if "#" not in verb.flags and is_number(value):
            return _pad(verb, ("-" if value < 0 else "") + _go_g(Decimal(number_to_string(abs(value))), None))
        return _pad(verb, _json_text(value))
    if verb.mode == "t":
        return "true" if _verb_operand(verb, value, BOOL) else "false"
    if verb.mode in "bdoxX":
        number = _verb_operand(verb, value, NUMBER)
        if isinstance(number, float) and not number.is_integer():
            raise _CallFailed(f'unsupported value for "{verb.raw}" at {verb.offset}: an integer is required')
        return _format_integer(verb, int(number))
    if verb.mode in "eEfgG":
        return _format_float(verb, _verb_operand(verb, value, NUMBER))
    if verb.mode in "sq":
        text = _verb_operand(verb, value, STRING)
        if verb.precision:
            text = "".join(_graphemes(text)[: verb.precision])
        return _pad(verb, text if verb.mode == "s" else _json_string(text))
    raise _CallFailed(f"unsupported format verb '{verb.mode}' in \"{verb.raw}\" at offset {verb.offset}")


def _verb_operand(verb: _Verb, value: Value, wanted: TfType) -> Value:
    try:
        return convert(value, wanted)
    except EvalError as error:
        raise _CallFailed(f'unsupported value for "{verb.raw}" at {verb.offset}: {error}') from None


def _pad(verb: _Verb, text: str) -> str:
    """Width padding for %s, %q and %v, counted in characters; the 0 flag pads with zeros
    even for text, as Terraform does."""
    missing = (verb.width or 0) - len(_graphemes(text))
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
    return "".join(map(str, digit_tuple)).rstrip("0"), len(digit_tuple) + exponent


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


# ---------------------------------------------------------------------------
# Regular expressions (Go RE2 syntax, run with Python's re)
# ---------------------------------------------------------------------------

_ASCII_CLASSES = {"d": "0-9", "s": "\\t\\n\\f\\r ", "w": "0-9A-Za-z_"}
_POSIX_CLASSES = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}
_UNICODE_LETTER = "[^\\W\\d_]"
_ASCII_WORD_BOUNDARY = "(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))"
_ASCII_NOT_WORD_BOUNDARY = "(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))"


class _InvalidPattern(Exception):
    pass


def _compile_re2(pattern: str, param: str) -> re.Pattern:
    """`pattern` in Go's RE2 syntax compiled with Python's `re`. RE2's `\\d \\s \\w`,
    POSIX classes and `$` are ASCII and end-of-text only, so they are spelled out; a valid
    RE2 construct Python cannot express raises _Unsupported."""
    try:
        return re.compile(_translate_re2(pattern))
    except (_InvalidPattern, re.error) as error:
        raise _BadArgument(param, f"invalid regexp pattern: {error}") from None


def _translate_re2(pattern: str) -> str:
    out = []
    i = 0
    multiline = False
    leading_flags = re.match(r"\(\?([imsU]+)\)", pattern)
    if leading_flags:
        if "U" in leading_flags.group(1):
            raise _Unsupported("the (?U) flag is not supported")
        multiline = "m" in leading_flags.group(1)
        out.append(leading_flags.group(0))
        i = leading_flags.end()
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            text, i = _translate_escape(pattern, i, in_class=False)
        elif char == "[":
            text, i = _translate_class(pattern, i)
        elif pattern.startswith("(?", i):
            text, i = _translate_group_start(pattern, i)
        elif char == "$" and not multiline:
            text, i = "\\Z", i + 1
        else:
            text, i = char, i + 1
        out.append(text)
    return "".join(out)


def _translate_group_start(pattern: str, i: int) -> tuple[str, int]:
    named = re.match(r"\(\?P?<([A-Za-z0-9_]+)>", pattern[i:])
    if named:
        return f"(?P<{named.group(1)}>", i + named.end()
    flags = re.match(r"\(\?([imsU-]*)(:|\))", pattern[i:])
    if not flags:
        raise _InvalidPattern("invalid or unsupported Perl syntax")
    if flags.group(2) == ")" or "m" in flags.group(1) or "U" in flags.group(1):
        raise _Unsupported(f"the regular expression flag group {flags.group(0)} is not supported here")
    return flags.group(0), i + flags.end()


def _translate_escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    if i + 1 >= len(pattern):
        raise _InvalidPattern("trailing backslash at end of expression")
    char = pattern[i + 1]
    if char in "dsw":
        ranges = _ASCII_CLASSES[char]
        return (ranges if in_class else f"[{ranges}]"), i + 2
    if char in "DSW":
        if in_class:
            raise _Unsupported(f"\\{char} inside a character class is not supported")
        return f"[^{_ASCII_CLASSES[char.lower()]}]", i + 2
    if char in "pP":
        name = re.match(r"\{(\w+)\}|(\w)", pattern[i + 2 :])
        if not name:
            raise _InvalidPattern("invalid character class range")
        if (name.group(1) or name.group(2)) not in ("L", "Letter") or in_class:
            raise _Unsupported(f"the Unicode class {pattern[i:i + 2 + name.end()]} is not supported")
        return (_UNICODE_LETTER if char == "p" else "[\\W\\d_]"), i + 2 + name.end()
    if char == "Q":
        end = pattern.find("\\E", i + 2)
        literal = pattern[i + 2 :] if end < 0 else pattern[i + 2 : end]
        return re.escape(literal), len(pattern) if end < 0 else end + 2
    if char == "x" and pattern.startswith("{", i + 2):
        end = pattern.find("}", i + 3)
        if end < 0:
            raise _InvalidPattern("invalid escape sequence")
        return re.escape(chr(int(pattern[i + 3 : end], 16))), end + 1
    if char == "z" and not in_class:
        return "\\Z", i + 2
    if char.isdigit():
        octal = re.match(r"0[0-7]{0,2}|[1-7][0-7]{1,2}", pattern[i + 1 :])
        if not octal:
            raise _InvalidPattern("invalid escape sequence")
        return re.escape(chr(int(octal.group(0), 8))), i + 1 + octal.end()
    if char in "bB" and not in_class:
        return _ASCII_WORD_BOUNDARY if char == "b" else _ASCII_NOT_WORD_BOUNDARY, i + 2
    if char == "x" and re.match(r"[0-9A-Fa-f]{2}", pattern[i + 2 : i + 4]):
        return pattern[i : i + 4], i + 4
    if char == "A" and not in_class or char in "afnrtv" or not char.isalnum():
        return pattern[i : i + 2], i + 2
    raise _InvalidPattern(f"invalid escape sequence: \\{char}")


def _translate_class(pattern: str, i: int) -> tuple[str, int]:
    out = ["["]
    i += 1
    if pattern.startswith("^", i):
        out.append("^")
        i += 1
    first = True
    while i < len(pattern) and (pattern[i] != "]" or first):
        first = False
        posix = re.match(r"\[:(\^?)([a-z]+):\]", pattern[i:])
        if posix:
            if posix.group(1) or posix.group(2) not in _POSIX_CLASSES:
                raise _Unsupported(f"the character class {posix.group(0)} is not supported")
            out.append(_POSIX_CLASSES[posix.group(2)])
            i += posix.end()
        elif pattern[i] == "\\":
            text, i = _translate_escape(pattern, i, in_class=True)
            out.append(text)
        else:
            # Python gives these a future meaning inside classes ("[[", "&&", "~~", "||").
            out.append("\\" + pattern[i] if pattern[i] in "[&~|" else pattern[i])
            i += 1
    if i >= len(pattern):
        raise _InvalidPattern("missing closing ]")
    out.append("]")
    return "".join(out), i + 1


def _matches(pattern: re.Pattern, text: str) -> list[re.Match]:
    """All matches as Go finds them: an empty match right after a previous match is skipped
    (Python would report it)."""
    found = []
    position = 0
    previous_end = -1
    while position <= len(text):
        match = pattern.search(text, position)
        if match is None:
            break
        if match.end() == match.start():
            accept = match.start() != previous_end
            position = match.end() + 1
        else:
            accept = True
            position = match.end()
        previous_end = match.end()
        if accept:
            found.append(match)
    return found


def _replace_all(pattern: re.Pattern, text: str, template: str) -> str:
    out = []
    last = 0
    for match in _matches(pattern, text):
        out.append(text[last : match.start()])
        out.append(_expand(template, match))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _expand(template: str, match: re.Match) -> str:
    """Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; an unknown group is empty."""
    out = []
    i = 0
    while i < len(template):
        reference = re.match(r"\$(?:\{(\w+)\}|(\w+))", template[i:]) if template[i] == "$" else None
        if template.startswith("$$", i):
            out.append("$")
            i += 2
        elif reference:
            name = reference.group(1) or reference.group(2)
            out.append(_group(match, name) or "")
            i += reference.end()
        else:
            out.append(template[i])
            i += 1
    return "".join(out)


def _group(match: re.Match, name: str) -> str | None:
    if re.fullmatch(r"[0-9]+", name):
        number = int(name)
        return match.group(number) if number <= match.re.groups else None
    return match.group(name) if name in match.re.groupindex else None


def _regex_result(pattern: re.Pattern, match: re.Match) -> Value:
    if not pattern.groups:
        return match.group(0)
    if pattern.groupindex:
        return {name: match.group(name) for name in pattern.groupindex}
    return list(match.groups())


def _check_groups(pattern: re.Pattern):
    if pattern.groupindex and len(pattern.groupindex) != pattern.groups:
        raise _BadArgument("pattern", "invalid regexp pattern: cannot mix both named and unnamed capture groups")


@_function("regex", _Param("pattern", STRING), _Param("string", STRING))
def _regex(pattern_text: str, text: str) -> Value:
    pattern = _compile_re2(pattern_text, "pattern")
    _check_groups(pattern)
    match = pattern.search(text)
    if match is None:
        raise _CallFailed("pattern did not match any part of the given string")
    return _regex_result(pattern, match)


@_function("regexall", _Param("pattern", STRING), _Param("string", STRING))
def _regexall(pattern_text: str, text: str) -> list:
    pattern = _compile_re2(pattern_text, "pattern")
    _check_groups(pattern)
    return [_regex_result(pattern, match) for match in _matches(pattern, text)]


# ---------------------------------------------------------------------------
# Collections
# ---------------------------------------------------------------------------


@_function("length", _Param("value", unknowns=_Unknowns.IN_ELEMENTS))
def _length(value: Value) -> int:
    if isinstance(value, str):
        return len(_graphemes(value))
    if isinstance(value, (list, dict)):
        return len(value)
    raise _CallFailed("argument must be a string, a collection type, or a structural type")


@_function("concat", variadic=_Param("seqs", unknowns=_Unknowns.IN_ELEMENTS))
def _concat(*seqs: list) -> list:
    if not seqs:
        raise _CallFailed("at least one argument is required")
    for seq in seqs:
        if not isinstance(seq, list):
            raise _BadArgument("seqs", f"all arguments must be lists or tuples; got {type_name(seq)}")
    return [item for seq in seqs for item in seq]


@_function("merge", variadic=_Param("maps", nullable=True, unknowns=_Unknowns.IN_ELEMENTS))
def _merge(*maps: dict | None) -> dict:
    result: dict = {}
    for mapping in maps:
        if mapping is None:
            continue
        if not isinstance(mapping, dict):
            raise _CallFailed(f'arguments must be maps or objects, got "{type_name(mapping)}"')
        result.update(mapping)
    return result


@_function("flatten", _Param("list", unknowns=_Unknowns.IN_ELEMENTS))
def _flatten(items: list) -> list:
    if not isinstance(items, list):
        raise _CallFailed("can only flatten lists, sets and tuples")
    # An unknown element stays one element: it is usually a string such as an ARN, and
    # dropping the whole list would hide every known element from the rules.
    flat = []
    for item in items:
        flat.extend(_flatten(item) if isinstance(item, list) else [item])
    return flat


@_function(
    "lookup",
    _Param("inputMap", unknowns=_Unknowns.IN_ELEMENTS),
    _Param("key", STRING),
    variadic=_Param("default", nullable=True, unknowns=_Unknowns.ACCEPT),
)
def _lookup(mapping: dict, key: str, *default: Value) -> Value:
    if len(default) > 1:
        raise _CallFailed(f"lookup() takes two or three arguments, got {2 + len(default)}")
    if not isinstance(mapping, dict):
        raise _BadArgument("inputMap", "lookup() requires a map as the first argument")
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise _BadArgument("inputMap", f'the given object has no attribute "{key}"')


@_function("keys", _Param("inputMap", unknowns=_Unknowns.IN_ELEMENTS))
def _keys(mapping: dict) -> list[str]:
    if not isinstance(mapping, dict):
        raise _BadArgument("inputMap", "must have map or object type")
    return sorted(mapping)


@_function("values", _Param("mapping", unknowns=_Unknowns.IN_ELEMENTS))
def _values(mapping: dict) -> list:
    if not isinstance(mapping, dict):
        raise _CallFailed("values() requires a map as the first argument")
    return [mapping[key] for key in sorted(mapping)]


@_function("contains", _Param("list", unknowns=_Unknowns.IN_ELEMENTS), _Param("value"))
def _contains(items: list, value: Value) -> Value:
    if not isinstance(items, list):
        raise _CallFailed("argument must be list, tuple, or set")
    if _has_element([item for item in items if is_known(item)], value):
        return True
    pending = [item for item in items if not is_known(item)]
    return unknown_from(pending, "contains()") if pending else False


@_function("index", _Param("list", unknowns=_Unknowns.IN_ELEMENTS), _Param("value"))
def _index(items: list, value: Value) -> Value:
    if not isinstance(items, list):
        raise _CallFailed("argument must be a list or tuple")
    for position, item in enumerate(items):
        if not is_known(item):
            return unknown_from(item, "index()")
        if equal(item, value):
            return position
    raise _CallFailed("item not found")


@_function("element", _Param("list", unknowns=_Unknowns.IN_ELEMENTS), _Param("index", NUMBER))
def _element(items: list, index: int | float) -> Value:
    if not isinstance(items, list):
        raise _CallFailed(f"cannot read elements from {type_name(items)}")
    position = _whole(index, "invalid index: ")
    if not items:
        raise _CallFailed("cannot use element function with an empty list")
    if position < 0:
        raise _CallFailed("cannot use element function with a negative index")
    return items[position % len(items)]


@_function("coalesce", variadic=_Param("vals", nullable=True, unknowns=_Unknowns.ACCEPT))
def _coalesce(*values: Value) -> Value:
    target = unify([infer_type(value) for value in values]) if values else None
    if target is None:
        raise _CallFailed("all arguments must have the same type")
    for value in values:
        if not is_known(value):
            return unknown_from(value, "coalesce()")
        converted = convert(value, target)
        if converted is not None and converted != "":
            return converted
    raise _CallFailed("no non-null, non-empty-string arguments")


@_function("coalescelist", variadic=_Param("vals", nullable=True, unknowns=_Unknowns.ACCEPT))
def _coalescelist(*lists: Value) -> Value:
    if not lists:
        raise _CallFailed("at least one argument is required")
    for items in lists:
        if isinstance(items, UNKNOWN_TYPES):
            return unknown_from(items, "coalescelist()")
        if not isinstance(items, list):
            raise _CallFailed("coalescelist arguments must be lists or tuples")
        if items:
            return items
    raise _CallFailed("no non-null arguments")


@_function("compact", _Param("list", ListType(STRING)))
def _compact(items: list) -> list:
    return [item for item in items if item is not None and item != ""]


@_function("distinct", _Param("list", ListType(ANY)))
def _distinct(items: list) -> list:
    result: list = []
    for item in items:
        if not _has_element(result, item):
            result.append(item)
    return result


@_function("reverse", _Param("list", unknowns=_Unknowns.IN_ELEMENTS))
def _reverse(items: list) -> list:
    if not isinstance(items, list):
        raise _BadArgument("list", f"can only reverse list or tuple values, not {type_name(items)}")
    return items[::-1]


@_function(
    "slice",
    _Param("list", unknowns=_Unknowns.IN_ELEMENTS),
    _Param("start_index", NUMBER),
    _Param("end_index", NUMBER),
)
def _slice(items: list, start_index: int | float, end_index: int | float) -> list:
    if not isinstance(items, list):
        raise _BadArgument("list", "must be a list or tuple value")
    start = _whole(start_index, "invalid start index: ", "start_index")
    end = _whole(end_index, "invalid end index: ", "end_index")
    if start < 0:
        raise _BadArgument("start_index", "start index must not be less than zero")
    if end > len(items):
        raise _BadArgument("end_index", "end index must not be greater than the length of the list")
    if start > end:
        raise _BadArgument("start_index", "start index must not be greater than end index")
    return items[start:end]


@_function("sort", _Param("list", ListType(STRING)))
def _sort(items: list) -> list:
    for index, item in enumerate(items):
        if item is None:
            raise _CallFailed(f"given list element {index} is null; a null string cannot be sorted")
    return sorted(items)


@_function("range", variadic=_Param("params", NUMBER))
def _range(*params: int | float) -> list:
    if not 1 <= len(params) <= 3:
        raise _CallFailed("must have one, two, or three arguments")
    # Decimal arithmetic, like Terraform's arbitrary precision: range(0, 1, 0.1) ends at 0.9.
    numbers = [Decimal(number_to_string(p)) for p in params]
    start, limit = (Decimal(0), numbers[0]) if len(numbers) == 1 else (numbers[0], numbers[1])
    step = numbers[2] if len(numbers) == 3 else Decimal(1 if limit >= start else -1)
    if step < 0 and limit > start:
        raise _BadArgument("params", "end must be less than start when step is negative")
    if step > 0 and limit < start:
        raise _BadArgument("params", "end must be greater than start when step is positive")
    result = []
    current = start
    while (current < limit) if step >= 0 else (current > limit):
        if len(result) == 1024:
            raise _CallFailed(
                "more than 1024 values were generated; either decrease the difference between start "
                "and end or use a smaller step"
            )
        result.append(normalize_number(current))
        current += step
    return result


@_function("zipmap", _Param("keys", ListType(STRING)), _Param("values", unknowns=_Unknowns.IN_ELEMENTS))
def _zipmap(keys: list, values: list) -> dict:
    if not isinstance(values, list):
        raise _CallFailed("values argument must be a list or tuple value")
    if len(keys) != len(values):
        raise _CallFailed(f"number of keys ({len(keys)}) does not match number of values ({len(values)})")
    if None in keys:
        raise _CallFailed(f"keys list has null value at index {keys.index(None)}")
    return dict(zip(keys, values))


def _unified_sets(sets: tuple[list, ...]) -> list[list]:
    """The sets converted to one element type, as Terraform does: setunion([1], ["a"]) is
    ["1", "a"]."""
    target = unify([infer_type(item) for items in sets for item in items])
    if target is None:
        raise _CallFailed("given sets must all have compatible element types")
    return [convert(items, SetType(target)) for items in sets]


@_function("setunion", _Param("first_set", SetType(ANY)), variadic=_Param("other_sets", SetType(ANY)))
def _setunion(*sets: list) -> list:
    return set_elements([item for items in _unified_sets(sets) for item in items])


@_function("setintersection", _Param("first_set", SetType(ANY)), variadic=_Param("other_sets", SetType(ANY)))
def _setintersection(*sets: list) -> list:
    first, *others = _unified_sets(sets)
    return [item for item in first if all(_has_element(other, item) for other in others)]


@_function("setsubtract", _Param("a", SetType(ANY)), _Param("b", SetType(ANY)))
def _setsubtract(a: list, b: list) -> list:
    a, b = _unified_sets((a, b))
    return [item for item in a if not _has_element(b, item)]


def _has_element(items: list, value: Value) -> bool:
    return any(equal(item, value) for item in items)


@_function("one", _Param("list", unknowns=_Unknowns.IN_ELEMENTS))
def _one(items: list) -> Value:
    if not isinstance(items, list) or len(items) > 1:
        raise _BadArgument("list", "must be a list, set, or tuple value with either zero or one elements")
    return items[0] if items else None


@_function("alltrue", _Param("list", ListType(BOOL), unknowns=_Unknowns.IN_ELEMENTS))
def _alltrue(items: list) -> Value:
    if any(item is None or item is False for item in items):
        return False
    pending = [item for item in items if not is_known(item)]
    return unknown_from(pending, "alltrue()") if pending else True


@_function("anytrue", _Param("list", ListType(BOOL), unknowns=_Unknowns.IN_ELEMENTS))
def _anytrue(items: list) -> Value:
    if any(item is True for item in items):
        return True
    pending = [item for item in items if not is_known(item)]
    return unknown_from(pending, "anytrue()") if pending else False


@_function("chunklist", _Param("list", ListType(ANY), unknowns=_Unknowns.IN_ELEMENTS), _Param("size", NUMBER))
def _chunklist(items: list, size: int | float) -> list:
    count = _whole(size, "invalid size: ")
    if count < 0:
        raise _CallFailed("the size argument must be positive")
    if count == 0:
        return [items] if items else []
    return [items[i : i + count] for i in range(0, len(items), count)]


@_function("sum", _Param("list", ListType(NUMBER)))
def _sum(items: list) -> int | float:
    if not items:
        raise _BadArgument("list", "cannot sum an empty list")
    if None in items:
        raise _BadArgument("list", "argument must be list, set, or tuple of number values")
    return normalize_number(sum(Decimal(number_to_string(item)) for item in items))


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------


@_function("abs", _Param("num", NUMBER))
def _abs(number: int | float) -> int | float:
    return normalize_number(abs(number))


@_function("ceil", _Param("num", NUMBER))
def _ceil(number: int | float) -> int:
    return math.ceil(number)


@_function("floor", _Param("num", NUMBER))
def _floor(number: int | float) -> int:
    return math.floor(number)


@_function("max", variadic=_Param("numbers", NUMBER))
def _max(*numbers: int | float) -> int | float:
    if not numbers:
        raise _CallFailed("must pass at least one number")
    return normalize_number(max(numbers))


@_function("min", variadic=_Param("numbers", NUMBER))
def _min(*numbers: int | float) -> int | float:
    if not numbers:
        raise _CallFailed("must pass at least one number")
    return normalize_number(min(numbers))


@_function("pow", _Param("num", NUMBER), _Param("power", NUMBER))
def _pow(number: int | float, power: int | float) -> int | float:
    # Terraform computes pow() in float64, so large results are rounded the same way.
    try:
        return normalize_number(math.pow(number, power))
    except (OverflowError, ValueError):
        raise _CallFailed("the result is not a finite number") from None


@_function("signum", _Param("num", NUMBER))
def _signum(number: int | float) -> int:
    whole = _whole(number)
    return (whole > 0) - (whole < 0)


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@_function("parseint", _Param("number"), _Param("base", NUMBER))
def _parseint(text: Value, base: int | float) -> int:
    if not isinstance(text, str):
        raise _BadArgument("number", f"first argument must be a string, not {type_name(text)}")
    if isinstance(base, float) and not base.is_integer() or not 2 <= base <= 62:
        raise _BadArgument("base", "base must be a whole number between 2 and 62 inclusive")
    radix = int(base)
    # Go's big.Int: letters are case-insensitive up to base 36, distinct digits above.
    alphabet = _DIGITS[:radix] if radix > 36 else _DIGITS[:radix].upper() + _DIGITS[:radix]
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.removeprefix("+"))
    if not digits or any(char not in alphabet for char in digits):
        raise _BadArgument("number", f'cannot parse "{text}" as a base {radix} integer')
    value = 0
    for char in digits:
        value = value * radix + (_DIGITS.index(char.lower()) if radix <= 36 else _DIGITS.index(char))
    return sign * value


# ---------------------------------------------------------------------------
# Encoding and hashing
# ---------------------------------------------------------------------------

_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _json_string(text: str) -> str:
    """A JSON string as Go writes it: HTML-sensitive characters escaped, other non-ASCII raw."""
    encoded = json.dumps(text, ensure_ascii=False)
    return "".join(_HTML_ESCAPES.get(char, char) for char in encoded)


def _json_text(value: Value) -> str:
    """Terraform's JSON for a known value: keys sorted, no spaces, numbers without exponent."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return number_to_string(value)
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, list):
        return "[" + ",".join(_json_text(item) for item in value) + "]"
    return "{" + ",".join(f"{_json_string(key)}:{_json_text(value[key])}" for key in sorted(value)) + "}"


@_function("jsonencode", _Param("val", nullable=True, unknowns=_Unknowns.IN_ELEMENTS))
def _jsonencode(value: Value) -> Value:
    if not is_known(value):
        unknown = unknown_from(value, "jsonencode()")
        return Unknown(unknown.reason, partial=value)
    return _json_text(value)


def _json_number(text: str) -> int | float:
    return normalize_number(Decimal(text))


def _reject_constant(name: str):
    raise ValueError(f"invalid character '{name[0]}' looking for beginning of value")


@_function("jsondecode", _Param("str", STRING, unknowns=_Unknowns.ACCEPT))
def _jsondecode(text: Value) -> Value:
    if isinstance(text, Unknown) and text.partial is not None:
        return text.partial
    if isinstance(text, UNKNOWN_TYPES):
        return unknown_from(text, "jsondecode()")
    if not text.strip():
        raise _CallFailed("EOF")
    try:
        return json.loads(text, parse_float=_json_number, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":
            raise _CallFailed("extraneous data after JSON object") from None
        raise _CallFailed(f"{error.msg} at offset {error.pos}") from None
    except ValueError as error:
        raise _CallFailed(str(error)) from None


@_function("base64encode", _Param("str", STRING))
def _base64encode(text: str) -> str:
    return base64.b64encode(text.encode()).decode("ascii")


@_function("base64decode", _Param("str", STRING))
def _base64decode(text: str) -> str:
    try:
        # Go's decoder skips line breaks; everything else must be strict base64.
        data = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        raise _CallFailed(f'failed to decode base64 data "{text}"') from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _CallFailed("the result of decoding the provided string is not valid UTF-8") from None


@_function("urlencode", _Param("str", STRING))
def _urlencode(text: str) -> str:
    return urllib.parse.quote_plus(text, safe="~")


def _hash_function(name: str, algorithm: str) -> None:
    _function(name, _Param("str", STRING))(lambda text: hashlib.new(algorithm, text.encode()).hexdigest())


_hash_function("md5", "md5")
_hash_function("sha1", "sha1")
_hash_function("sha256", "sha256")
_hash_function("sha512", "sha512")


# ---------------------------------------------------------------------------
# Files and paths
# ---------------------------------------------------------------------------


@_function("file", _Param("path", STRING), context=True)
def _file(context: FunctionContext, path: str) -> str:
    return context.read_file(path)


@_function("templatefile", _Param("path", STRING), _Param("vars", unknowns=_Unknowns.IN_ELEMENTS), context=True)
def _templatefile(context: FunctionContext, path: str, variables: dict) -> Value:
    if not isinstance(variables, dict):
        raise _BadArgument("vars", "invalid vars value: must be a map")
    return context.render_template(context.read_file(path), path, variables)


@_function("fileexists", _Param("path", STRING), context=True)
def _fileexists(context: FunctionContext, path: str) -> bool:
    full = os.path.join(context.base_dir, _expand_home(path))
    if os.path.isdir(full):
        raise _CallFailed(f'"{path}" is a directory, not a file')
    return os.path.isfile(full)


@_function("pathexpand", _Param("path", STRING))
def _pathexpand(path: str) -> str:
    return _expand_home(path)


def _expand_home(path: str) -> str:
    if path == "~" or path.startswith("~/"):
        return os.path.expanduser("~") + path[1:]
    if path.startswith("~"):
        raise _CallFailed("cannot expand user-specific home dir")
    return path


@_function("abspath", _Param("path", STRING), context=True)
def _abspath(context: FunctionContext, path: str) -> str:
    return _clean(posixpath.join(os.path.abspath(context.base_dir).replace(os.sep, "/"), path))


@_function("dirname", _Param("path", STRING))
def _dirname(path: str) -> str:
    return _clean(path[: path.rfind("/") + 1])


@_function("basename", _Param("path", STRING))
def _basename(path: str) -> str:
    if path == "":
        return "."
    stripped = path.rstrip("/")
    return stripped[stripped.rfind("/") + 1 :] if stripped else "/"


def _clean(path: str) -> str:
    """Go's filepath.Clean, which differs from normpath for "" and a leading "//"."""
    cleaned = posixpath.normpath(path) if path else "."
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


# ---------------------------------------------------------------------------
# Type conversion
# ---------------------------------------------------------------------------


def _conversion(name: str, target: TfType) -> None:
    def to(value: Value) -> Value:
        try:
            return convert(value, target)
        except EvalError:
            if isinstance(value, str) and target == NUMBER:
                detail = "given string must be a decimal representation of a number"
                raise _BadArgument("v", f"cannot convert {json.dumps(value)} to number; {detail}") from None
            if isinstance(value, str) and target == BOOL:
                detail = 'only the strings "true" or "false" are allowed'
                raise _BadArgument("v", f"cannot convert {json.dumps(value)} to bool; {detail}") from None
            raise _BadArgument("v", f"cannot convert {type_name(value)} to {target}") from None

    _function(name, _Param("v", nullable=True, unknowns=_Unknowns.ACCEPT))(to)


_conversion("tostring", STRING)
_conversion("tonumber", NUMBER)
_conversion("tobool", BOOL)
_conversion("tolist", ListType(ANY))
_conversion("toset", SetType(ANY))
_conversion("tomap", MapType(ANY))


# ---------------------------------------------------------------------------
# Values known only at apply, and identity functions
# ---------------------------------------------------------------------------


@_function("timestamp")
def _timestamp() -> Value:
    return Unknown("timestamp() is known only at apply")


@_function("uuid")
def _uuid() -> Value:
    return Unknown("uuid() is different on every run")


@_function("sensitive", _Param("value", nullable=True, unknowns=_Unknowns.ACCEPT))
def _sensitive(value: Value) -> Value:
    return value


@_function("nonsensitive", _Param("value", nullable=True, unknowns=_Unknowns.ACCEPT))
def _nonsensitive(value: Value) -> Value:
    return value
