"""Output that input cannot forge.

Names, values and messages come from the files being linted, which may come from an
untrusted pull request. A newline in them must not start a line that looks like another
finding or a CI workflow command, an ANSI escape sequence must not repaint or hide the
terminal, and a bidirectional override must not reorder what a reviewer reads. Formats that
carry text to a human (text, github, junit) show such characters as visible escapes;
JSON and SARIF carry the exact value, which JSON encoding already makes safe.
"""

from __future__ import annotations

import unicodedata

# Control and format characters (ANSI escapes, NUL, bidi overrides, zero-width marks),
# surrogates a bad file name decodes to, and the line and paragraph separators some
# terminals and viewers break lines at.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str, *, keep: str = "") -> str:
    """`text` with every character that could change how the output reads replaced by a
    visible escape (`\\n`, `\\x1b`, `\\u202e`); printable characters, accents included, stay.
    `keep` names characters the caller handles itself: tabs in source lines whose markers
    line up under them, line breaks that a format escapes its own way."""
    if text.isprintable():  # the common case: nothing to replace
        return text
    return "".join(_visible_char(char, keep) for char in text)


def _visible_char(char: str, keep: str) -> str:
    if char == " " or char in keep:
        return char
    if unicodedata.category(char) not in _HIDDEN_CATEGORIES:
        return char
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def json_for_review(dumped: str) -> str:
    """JSON written with `ensure_ascii=False` (readable accents), with the invisible
    characters that JSON leaves raw (bidi overrides, zero-width marks, C1 controls) turned
    into `\\uXXXX` escapes, so that a reviewer reads what a parser reads."""
    if dumped.isascii():
        return dumped
    return "".join(_json_escape(char) if ord(char) >= 0x7F else char for char in dumped)


def _json_escape(char: str) -> str:
    if unicodedata.category(char) not in _HIDDEN_CATEGORIES:
        return char
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # astral: a UTF-16 surrogate pair, as JSON spells it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
