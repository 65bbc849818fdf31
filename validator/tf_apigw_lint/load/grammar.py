"""The Lark parser for HCL native syntax: python-hcl2's grammar, corrected where it and
Terraform disagree, and a post-lexer that applies HCL's newline rules.

This is the one place where python-hcl2's grammar is changed. Each entry of `_PATCHES`
replaces one exact piece of its `hcl2.lark` and says which valid (or invalid) Terraform it
fixes; a python-hcl2 release that rewrites one of those pieces stops the tool with a clear
error instead of silently parsing differently (python-hcl2's major version is pinned).

python-hcl2 is found with `importlib` and never imported: a different package that installs
the same top-level name `hcl2` is detected (`check_installed`) instead of being executed.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import lark
from lark import Lark, Token

from tf_apigw_lint.load.cache import default_cache_directory

DISTRIBUTION = "python-hcl2"
SUPPORTED_MAJOR = 8


class ParserInstallError(Exception):
    """The importable `hcl2` is not a python-hcl2 this tool can use; the message says how
    to install the tool so that it gets its own copy."""


_INSTALL_HINT = (
    "install tf-apigw-lint in its own environment so it gets python-hcl2 "
    "(`pipx install tf-apigw-lint`, or `python -m venv .venv && .venv/bin/pip install tf-apigw-lint`)"
)


def check_installed() -> None:
    """Raise `ParserInstallError` unless the `hcl2` on the import path is python-hcl2 of the
    supported major version with the grammar this module patches."""
    grammar_text()


@functools.lru_cache(maxsize=None)
def grammar_text() -> str:
    spec = importlib.util.find_spec("hcl2")
    if spec is None or spec.origin is None:
        raise ParserInstallError(f"the Python package `hcl2` is not installed; {_INSTALL_HINT}")
    try:
        distribution = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        distribution = None
    if distribution is None or not _installed_by(distribution, Path(spec.origin)):
        owners = [name for name in importlib.metadata.packages_distributions().get("hcl2", []) if name != DISTRIBUTION]
        found = ", ".join(owners) or "another package"
        raise ParserInstallError(f"the `hcl2` module on the import path comes from {found}, not {DISTRIBUTION}; {_INSTALL_HINT}")
    version = distribution.version
    if version.split(".")[0] != str(SUPPORTED_MAJOR):
        raise ParserInstallError(
            f"{DISTRIBUTION} {version} is installed, this tool needs {SUPPORTED_MAJOR}.x; {_INSTALL_HINT}"
        )
    if importlib.util.find_spec("regex") is None:  # python-hcl2 requires it; Lark reads `\p{}` with it
        raise ParserInstallError(f"the Python package `regex` that {DISTRIBUTION} requires is missing; {_INSTALL_HINT}")
    path = Path(spec.origin).parent / "hcl2.lark"
    try:
        grammar = path.read_text(encoding="utf-8")
    except OSError:
        raise ParserInstallError(f"{DISTRIBUTION} {version} has no grammar file {path}; {_INSTALL_HINT}") from None
    for patch in _PATCHES:
        if grammar.count(patch.old) != 1:
            raise ParserInstallError(
                f"{DISTRIBUTION} {version}'s grammar changed where this tool patches it ({patch.why}); "
                f"upgrade tf-apigw-lint, or install the {DISTRIBUTION} release it was tested with"
            )
        grammar = grammar.replace(patch.old, patch.new)
    return grammar


def _installed_by(distribution: importlib.metadata.Distribution, module_file: Path) -> bool:
    """Whether `module_file` (the `hcl2/__init__.py` Python would import) is one of the
    files `distribution` installed."""
    target = module_file.resolve()
    return any(
        Path(str(distribution.locate_file(file))).resolve() == target
        for file in distribution.files or ()
        if file.name == module_file.name and file.parent.name == "hcl2"
    )


class _Patch(NamedTuple):
    why: str
    old: str
    new: str


# Identifiers in HCL are Unicode: ID_Start or `_`, then ID_Continue or `-` (UAX #31).
# Lark compiles terminals with the `regex` module (a python-hcl2 dependency) for `\p{}`.
_IDENTIFIER = r"[\p{ID_Start}_][\p{ID_Continue}-]*"

_PATCHES = (
    _Patch(
        "`~` strip markers in `${ }`: Terraform allows them as in `%{ }`",
        "interpolation: INTERP_START expression RBRACE",
        "interpolation: INTERP_START STRIP_MARKER? expression STRIP_MARKER? RBRACE",
    ),
    _Patch(
        "non-ASCII identifiers (`größe = 1`)",
        "NAME : /[a-zA-Z_][a-zA-Z0-9_-]*/",
        f"NAME : /{_IDENTIFIER}/",
    ),
    _Patch(
        # The escape is the three characters alone: the original also took everything up
        # to the next `}`, across the closing quote (`"$${"` then broke the file).
        "`$${` escapes",
        r"ESCAPED_INTERPOLATION.2: /\$\$\{[^}]*\}/",
        r"ESCAPED_INTERPOLATION.2: /\$\$\{/",
    ),
    _Patch(
        "`%%{` escapes",
        r"ESCAPED_DIRECTIVE.2: /%%\{[^}]*\}/",
        r"ESCAPED_DIRECTIVE.2: /%%\{/",
    ),
    _Patch(
        # A quoted string ends on its line; only heredocs span lines.
        "newlines in quoted strings",
        r"""STRING_CHARS.1: /(?:(?!\$\$\{)(?!\$\{)(?!%%\{)(?!%\{)[^"\\]|""",
        r"""STRING_CHARS.1: /(?:(?!\$\$\{)(?!\$\{)(?!%%\{)(?!%\{)[^"\\\n]|""",
    ),
    _Patch(
        # The closing marker may have spaces after it (`POLICY  `), and markers are
        # identifiers (`<<é`), not `<<E.1`.
        "heredoc markers",
        r"HEREDOC_TEMPLATE : /<<(?P<heredoc>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:(?:.|\n)*?\r?\n)??\s*(?P=heredoc)\r?\n/",
        rf"HEREDOC_TEMPLATE : /<<(?P<heredoc>{_IDENTIFIER})\r?\n(?:(?:.|\n)*?\r?\n)??[ \t]*(?P=heredoc)[ \t]*\r?\n/",
    ),
    _Patch(
        "heredoc markers (`<<-`)",
        r"HEREDOC_TEMPLATE_TRIM : /<<-(?P<heredoc_trim>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:(?:.|\n)*?\r?\n)??\s*(?P=heredoc_trim)\r?\n/",
        rf"HEREDOC_TEMPLATE_TRIM : /<<-(?P<heredoc_trim>{_IDENTIFIER})\r?\n(?:(?:.|\n)*?\r?\n)??[ \t]*(?P=heredoc_trim)[ \t]*\r?\n/",
    ),
    _Patch(
        # A `/* */` comment is whitespace, even across lines: it never ends an argument
        # (`a = 1 /*⏎*/ b = 2` is invalid) and may stand between block labels.
        "block comments",
        r"NL_OR_COMMENT: /\n[ \t]*/ | /#.*\n/ | /\/\/.*\n/ | /\/\*(.|\n)*?(\*\/)/",
        "NL_OR_COMMENT: /\\n[ \\t]*/ | /#.*\\n/ | /\\/\\/.*\\n/\n%ignore /\\/\\*(.|\\n)*?\\*\\//",
    ),
    _Patch(
        "repeated unary operators (`!!x`, `- -1`)",
        "!unary_op : (MINUS | NOT) expr_term",
        "!unary_op : (MINUS | NOT) unary_expr",
    ),
)


@functools.lru_cache(maxsize=None)
def parser() -> Lark:
    """The LALR parser; raises `ParserInstallError` (see `check_installed`)."""
    return Lark(
        grammar_text(), parser="lalr", propagate_positions=True, postlex=NewlinePostLexer(),
        regex=True, cache=cache_file(),
    )


def cache_file() -> str | bool:
    """Where Lark keeps the compiled grammar (building it takes about a second), or False.

    Lark's own default is a fixed name in the shared temporary directory, and it unpickles
    that file: another local user who wrote it first would run code as this one. So the
    cache lives in this user's cache directory, and only while no one else can write there."""
    user_cache = default_cache_directory(os.environ)  # the parse cache's directory, XDG's rules
    if user_cache is None:
        return False
    directory = os.path.join(user_cache, "grammar")
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        status = os.stat(directory)
    except OSError:
        return False
    owner_is_user = not hasattr(os, "getuid") or status.st_uid == os.getuid()
    if not owner_is_user or status.st_mode & 0o022:
        return False
    digest = hashlib.sha256(grammar_text().encode("utf-8")).hexdigest()[:16]
    python = f"{sys.version_info[0]}{sys.version_info[1]}"
    return os.path.join(directory, f"grammar-{digest}-lark{lark.__version__}-py{python}.cache")


# ---------------------------------------------------------------------------
# Newlines
# ---------------------------------------------------------------------------

_OPENERS = {"LPAR", "LSQB", "INTERP_START", "DIRECTIVE_START"}
_CLOSERS = {"RPAR", "RSQB", "RBRACE"}
# In an expression `{` never follows a name or a closing quote; in a body it follows the
# block's type or last label.
_BLOCK_HEADER_ENDS = {"NAME", "DBLQUOTE"}


class NewlinePostLexer:
    """HCL's newline rule: inside `( )`, `[ ]`, `${ }`, `%{ }` and a `{ for ... }`
    expression newlines (and the line comments ending them) are ignored; elsewhere a newline
    ends an argument or an object element, so an operator never continues on the next line.

    Without brackets the grammar cannot tell those apart, so this drops the ignored newline
    tokens before the parser sees them. (The comments stay in the text, where the loader
    finds them.)"""

    # Lark's contextual lexer only reads terminals the parser can take next; a newline
    # after `${` must still be read, to be dropped here.
    always_accept = ("NL_OR_COMMENT",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        # One entry per open bracket: True where newlines are ignored. A `{` after a block's
        # type or label opens its body; any other `{` is decided by its first token: `for`
        # makes it a `for` expression.
        ignoring: list[bool] = []
        brace_undecided = False
        previous = ""
        for token in stream:
            kind = token.type
            if kind == "NL_OR_COMMENT":
                if not (ignoring and ignoring[-1]) or brace_undecided:
                    yield token
                continue
            if brace_undecided:
                ignoring[-1] = kind == "FOR"
                brace_undecided = False
            if kind in _OPENERS:
                ignoring.append(True)
            elif kind == "LBRACE":
                ignoring.append(False)
                brace_undecided = previous not in _BLOCK_HEADER_ENDS
            elif kind in _CLOSERS and ignoring:
                ignoring.pop()
            previous = kind
            yield token
            if kind.startswith("HEREDOC") and not (ignoring and ignoring[-1]):
                # The heredoc token takes the newline after its closing marker; where
                # newlines count, give it back so that `EOT` then `.a` is not a traversal.
                yield _newline_ending(token)


def _newline_ending(heredoc: Token) -> Token:
    """An empty newline token where `heredoc`'s closing marker line ends."""
    marker_line = str(heredoc).rstrip("\n").rsplit("\n", 1)[-1]
    end_line, end_pos = heredoc.end_line or 1, heredoc.end_pos or 1  # the lexer sets both
    line, column = end_line - 1, len(marker_line) + 1
    return Token("NL_OR_COMMENT", "", end_pos - 1, line, column, line, column, end_pos - 1)
