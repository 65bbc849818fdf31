"""Terraform's string functions (regex() and regexall() are in `regex.py`, format() and
formatlist() in `formatting.py`)."""

from __future__ import annotations

import unicodedata
from typing import Callable

from tf_apigw_lint.model.functions.core import BadArgument, CallFailed, Param, function, whole
from tf_apigw_lint.model.functions.regex import compile_re2, replace_all
from tf_apigw_lint.model.types import NUMBER, STRING, ListType


_ZWJ = "\u200d"
# Go's unicode.IsSpace, which trimspace() and title() use; narrower than str.isspace().
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"


def graphemes(text: str) -> list[str]:
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


@function("lower", Param("str", STRING))
def _lower(text: str) -> str:
    return _map_runes(text, _lower_rune)


@function("upper", Param("str", STRING))
def _upper(text: str) -> str:
    return _map_runes(text, str.upper)


@function("title", Param("str", STRING))
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


@function("trimspace", Param("str", STRING))
def _trimspace(text: str) -> str:
    return text.strip(_GO_SPACE)


@function("trim", Param("str", STRING), Param("cutset", STRING))
def _trim(text: str, cutset: str) -> str:
    return text.strip(cutset)


@function("trimprefix", Param("str", STRING), Param("prefix", STRING))
def _trimprefix(text: str, prefix: str) -> str:
    return text.removeprefix(prefix)


@function("trimsuffix", Param("str", STRING), Param("suffix", STRING))
def _trimsuffix(text: str, suffix: str) -> str:
    return text.removesuffix(suffix)


@function("chomp", Param("str", STRING))
def _chomp(text: str) -> str:
    return text.rstrip("\r\n")


@function("indent", Param("spaces", NUMBER), Param("str", STRING))
def _indent(spaces: int | float, text: str) -> str:
    count = whole(spaces)
    if count < 0:
        raise CallFailed("spaces must not be negative")
    return text.replace("\n", "\n" + " " * count)


@function("strrev", Param("str", STRING))
def _strrev(text: str) -> str:
    return "".join(reversed(graphemes(text)))


@function("substr", Param("str", STRING), Param("offset", NUMBER), Param("length", NUMBER))
def _substr(text: str, offset: int | float, length: int | float) -> str:
    start, count = whole(offset), whole(length)
    clusters = graphemes(text)
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


@function("split", Param("separator", STRING), Param("str", STRING))
def _split(separator: str, text: str) -> list[str]:
    if separator == "":
        return list(text)
    return text.split(separator)


@function("join", Param("separator", STRING), variadic=Param("lists", ListType(STRING)))
def _join(separator: str, *lists: list) -> str:
    if not lists:
        raise CallFailed("at least one list is required")
    for number, items in enumerate(lists, start=1):
        for index, item in enumerate(items):
            if item is None:
                where = f"element {index} of list {number}" if len(lists) > 1 else f"element {index}"
                raise BadArgument("lists", f"{where} is null; cannot concatenate null values")
    return separator.join(item for items in lists for item in items)


@function("replace", Param("str", STRING), Param("substr", STRING), Param("replace", STRING))
def _replace(text: str, search: str, replacement: str) -> str:
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        pattern = compile_re2(search[1:-1], "substr")
        return replace_all(pattern, text, replacement)
    return text.replace(search, replacement)


@function("startswith", Param("str", STRING), Param("prefix", STRING))
def _startswith(text: str, prefix: str) -> bool:
    return text.startswith(prefix)


@function("endswith", Param("str", STRING), Param("suffix", STRING))
def _endswith(text: str, suffix: str) -> bool:
    return text.endswith(suffix)


@function("strcontains", Param("str", STRING), Param("substr", STRING))
def _strcontains(text: str, part: str) -> bool:
    return part in text


FUNCTIONS = (
    _lower,
    _upper,
    _title,
    _trimspace,
    _trim,
    _trimprefix,
    _trimsuffix,
    _chomp,
    _indent,
    _strrev,
    _substr,
    _split,
    _join,
    _replace,
    _startswith,
    _endswith,
    _strcontains,
)
