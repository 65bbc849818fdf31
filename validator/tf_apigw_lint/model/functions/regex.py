"""regex() and regexall(): patterns in Go's RE2 syntax, run with Python's `re`. replace()
uses the same translation for its "/pattern/" form."""

from __future__ import annotations

import re

from tf_apigw_lint.model.functions.core import BadArgument, CallFailed, Param, Unsupported, function
from tf_apigw_lint.model.types import STRING
from tf_apigw_lint.view.values import Value


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


def compile_re2(pattern: str, param: str) -> re.Pattern:
    """`pattern` in Go's RE2 syntax compiled with Python's `re`. RE2's `\\d \\s \\w`,
    POSIX classes and `$` are ASCII and end-of-text only, so they are spelled out; a valid
    RE2 construct Python cannot express raises Unsupported."""
    try:
        return re.compile(_translate_re2(pattern))
    except (_InvalidPattern, re.error) as error:
        raise BadArgument(param, f"invalid regexp pattern: {error}") from None


def _translate_re2(pattern: str) -> str:
    out = []
    i = 0
    multiline = False
    leading_flags = re.match(r"\(\?([imsU]+)\)", pattern)
    if leading_flags:
        if "U" in leading_flags.group(1):
            raise Unsupported("the (?U) flag is not supported")
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
        raise Unsupported(f"the regular expression flag group {flags.group(0)} is not supported here")
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
            raise Unsupported(f"\\{char} inside a character class is not supported")
        return f"[^{_ASCII_CLASSES[char.lower()]}]", i + 2
    if char in "pP":
        name = re.match(r"\{(\w+)\}|(\w)", pattern[i + 2 :])
        if not name:
            raise _InvalidPattern("invalid character class range")
        if (name.group(1) or name.group(2)) not in ("L", "Letter") or in_class:
            raise Unsupported(f"the Unicode class {pattern[i:i + 2 + name.end()]} is not supported")
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
                raise Unsupported(f"the character class {posix.group(0)} is not supported")
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


def replace_all(pattern: re.Pattern, text: str, template: str) -> str:
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
        raise BadArgument("pattern", "invalid regexp pattern: cannot mix both named and unnamed capture groups")


@function("regex", Param("pattern", STRING), Param("string", STRING))
def _regex(pattern_text: str, text: str) -> Value:
    pattern = compile_re2(pattern_text, "pattern")
    _check_groups(pattern)
    match = pattern.search(text)
    if match is None:
        raise CallFailed("pattern did not match any part of the given string")
    return _regex_result(pattern, match)


@function("regexall", Param("pattern", STRING), Param("string", STRING))
def _regexall(pattern_text: str, text: str) -> list:
    pattern = compile_re2(pattern_text, "pattern")
    _check_groups(pattern)
    return [_regex_result(pattern, match) for match in _matches(pattern, text)]


FUNCTIONS = (
    _regex,
    _regexall,
)
