"""Lark, imported without the `regex` package.

Lark imports `regex` whenever it is installed (python-hcl2 installs it) so that grammars
may use Unicode classes with it. This tool's lexer is built for the standard `re`
(`grammar.IDENTIFIER_PATTERN`), and importing `regex` took a thirtieth of a one-module run,
so Lark is imported here with `regex` hidden for that moment. Code that imports `regex`
later gets it as usual.
"""

from __future__ import annotations

import sys


def _import_lark() -> None:
    if "lark" in sys.modules or "regex" in sys.modules:
        return
    sys.modules["regex"] = None  # type: ignore[assignment]  # `import regex` raises ImportError
    try:
        import lark  # noqa: F401
    finally:
        del sys.modules["regex"]


_import_lark()

import lark  # noqa: E402
from lark import Lark, Token, Tree  # noqa: E402
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken  # noqa: E402

__all__ = ["Lark", "Token", "Tree", "UnexpectedCharacters", "UnexpectedInput", "UnexpectedToken", "lark"]
