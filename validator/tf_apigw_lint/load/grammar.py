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
import importlib.util
import os
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tf_apigw_lint.load.lark_import import Lark, Token, UnexpectedCharacters, lark
from tf_apigw_lint.load.user_cache import default_cache_directory

if TYPE_CHECKING:
    import importlib.metadata

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
    module_file = Path(spec.origin)
    version = _recorded_version(module_file) or _version_from_metadata(module_file)
    if version.split(".")[0] != str(SUPPORTED_MAJOR):
        raise ParserInstallError(
            f"{DISTRIBUTION} {version} is installed, this tool needs {SUPPORTED_MAJOR}.x; {_INSTALL_HINT}"
        )
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


def _recorded_version(module_file: Path) -> str | None:
    """python-hcl2's version if its `.dist-info` beside the `hcl2` package lists
    `module_file` as installed by it (how pip and uv install it), else None.

    This reads the one RECORD file instead of importing `importlib.metadata`, which takes a
    twentieth of a one-module run; every other layout is left to `_version_from_metadata`."""
    if module_file.name != "__init__.py":
        return None
    site = module_file.parent.parent
    prefix = DISTRIBUTION.replace("-", "_") + "-"
    try:
        names = [name for name in os.listdir(site) if name.startswith(prefix) and name.endswith(".dist-info")]
    except OSError:
        return None
    for name in names:
        try:
            record = (site / name / "RECORD").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if any(line.split(",", 1)[0] == "hcl2/__init__.py" for line in record.splitlines()):
            return name[len(prefix):-len(".dist-info")]
    return None


def _version_from_metadata(module_file: Path) -> str:
    """python-hcl2's version from the installed distributions' metadata; raises
    `ParserInstallError` naming the package that installed `module_file` if not python-hcl2."""
    import importlib.metadata  # only here: see `_recorded_version`

    try:
        distribution: importlib.metadata.Distribution | None = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        distribution = None
    if distribution is None or not _installed_by(distribution, module_file):
        owners = [name for name in importlib.metadata.packages_distributions().get("hcl2", []) if name != DISTRIBUTION]
        found = ", ".join(owners) or "another package"
        raise ParserInstallError(f"the `hcl2` module on the import path comes from {found}, not {DISTRIBUTION}; {_INSTALL_HINT}")
    return distribution.version


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
# Python's `re` has no `\p{ID_Start}`, and the `regex` package that has it doubles the time
# to build the lexer, which a run over one module pays. So the lexer reads ASCII identifiers
# exactly and lets any non-ASCII character into one; `NewlinePostLexer` then checks those few
# (`invalid_identifier_at`) and reports the first character that is not allowed. No valid
# token other than a name, string, heredoc or comment holds a non-ASCII character, so the
# wider pattern changes no verdict, only which token an error is found in.
# The classes are written as "not these ASCII characters" because `re` compiles a range up to
# U+10FFFF slowly: the first is letters, `_` and non-ASCII; the second adds digits and `-`.
IDENTIFIER_PATTERN = r"[^\x00-\x40\x5b-\x5e\x60\x7b-\x7f][^\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]*"

_PATCHES = (
    _Patch(
        "`~` strip markers in `${ }`: Terraform allows them as in `%{ }`",
        "interpolation: INTERP_START expression RBRACE",
        "interpolation: INTERP_START STRIP_MARKER? expression STRIP_MARKER? RBRACE",
    ),
    _Patch(
        "non-ASCII identifiers (`größe = 1`)",
        "NAME : /[a-zA-Z_][a-zA-Z0-9_-]*/",
        f"NAME : /{IDENTIFIER_PATTERN}/",
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
        rf"HEREDOC_TEMPLATE : /<<(?P<heredoc>{IDENTIFIER_PATTERN})\r?\n(?:(?:.|\n)*?\r?\n)??[ \t]*(?P=heredoc)[ \t]*\r?\n/",
    ),
    _Patch(
        "heredoc markers (`<<-`)",
        r"HEREDOC_TEMPLATE_TRIM : /<<-(?P<heredoc_trim>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:(?:.|\n)*?\r?\n)??\s*(?P=heredoc_trim)\r?\n/",
        rf"HEREDOC_TEMPLATE_TRIM : /<<-(?P<heredoc_trim>{IDENTIFIER_PATTERN})\r?\n(?:(?:.|\n)*?\r?\n)??[ \t]*(?P=heredoc_trim)[ \t]*\r?\n/",
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
        cache=cache_file(),
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
    python = f"{sys.version_info[0]}{sys.version_info[1]}"
    return os.path.join(directory, f"grammar-{grammar_digest()}-lark{lark.__version__}-py{python}.cache")


@functools.lru_cache(maxsize=None)
def grammar_digest() -> str:
    """A short hash of the grammar the parser is built from: python-hcl2's grammar and this
    tool's patches, whatever their version numbers say."""
    return hashlib.sha256(grammar_text().encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------
# Identifiers
# ---------------------------------------------------------------------------

# UAX #31: ID_Start is the letters, letter numbers and Other_ID_Start, less Pattern_Syntax
# (of which U+2E2F is the only letter); ID_Continue adds marks, decimal digits, connector
# punctuation and Other_ID_Continue. Categories come from Python's `unicodedata`.
_START_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nl"})
_CONTINUE_CATEGORIES = _START_CATEGORIES | {"Mn", "Mc", "Nd", "Pc"}
_OTHER_ID_START = frozenset("\u1885\u1886\u2118\u212e\u309b\u309c")
_OTHER_ID_CONTINUE = frozenset("\u00b7\u0387\u1369\u136a\u136b\u136c\u136d\u136e\u136f\u1370\u1371\u19da")
_PATTERN_SYNTAX_LETTERS = frozenset("\u2e2f")


def invalid_identifier_at(name: str) -> int | None:
    """The offset of the first character of `name` that an HCL identifier may not have
    there (ID_Start or `_` first, then ID_Continue or `-`), or None if `name` is one."""
    for offset, char in enumerate(name):
        if char.isascii():
            allowed = char.isalpha() or char == "_" or (offset > 0 and (char.isdigit() or char == "-"))
        elif char in _PATTERN_SYNTAX_LETTERS:
            allowed = False
        else:
            category = unicodedata.category(char)
            allowed = (
                category in _START_CATEGORIES or char in _OTHER_ID_START
                or (offset > 0 and (category in _CONTINUE_CATEGORIES or char in _OTHER_ID_CONTINUE))
            )
        if not allowed:
            return offset
    return None


def _checked_identifier(token: Token) -> Token:
    """`token` unchanged if the identifier it is or opens (a heredoc's marker) is valid;
    else `UnexpectedCharacters` at the first character that is not allowed."""
    if token.isascii():  # the lexer's pattern is exact for ASCII
        return token
    skip = 0 if token.type == "NAME" else 3 if token.startswith("<<-") else 2
    name = str(token)[skip:].split("\n", 1)[0].rstrip("\r")
    offset = invalid_identifier_at(name)
    if offset is None:
        return token
    # `seq` is the token's own text: the exception is read for its character and position.
    raise UnexpectedCharacters(str(token), skip + offset, token.line, (token.column or 1) + skip + offset)


# ---------------------------------------------------------------------------
# Newlines
# ---------------------------------------------------------------------------

_OPENERS = {"LPAR", "LSQB", "INTERP_START", "DIRECTIVE_START"}
_CLOSERS = {"RPAR", "RSQB", "RBRACE"}
# In an expression `{` never follows a name or a closing quote; in a body it follows the
# block's type or last label.
_BLOCK_HEADER_ENDS = {"NAME", "DBLQUOTE"}
# A block type may be a word the lexer reads as a keyword (`for {`); it opens a line, where
# no expression stands (`in {` inside `[for x in {...} : x]` follows a name).
_KEYWORDS = {"IF", "IN", "FOR", "FOR_EACH", "ELSE", "ENDIF", "ENDFOR", "NULL", "TRUE", "FALSE"}
_IDENTIFIER_TOKENS = {"NAME", "HEREDOC_TEMPLATE", "HEREDOC_TEMPLATE_TRIM"}


class NewlinePostLexer:
    """HCL's newline rule: inside `( )`, `[ ]`, `${ }`, `%{ }` and a `{ for ... }`
    expression newlines (and the line comments ending them) are ignored; elsewhere a newline
    ends an argument or an object element, so an operator never continues on the next line.

    Without brackets the grammar cannot tell those apart, so this drops the ignored newline
    tokens before the parser sees them. (The comments stay in the text, where the loader
    finds them.)

    It also checks the non-ASCII characters of names and heredoc markers, which the lexer
    reads widely (`IDENTIFIER_PATTERN`)."""

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
        line_start = True  # no token yet since the last newline that counts
        after_line_keyword = False  # the previous token is a keyword that opened its line
        for token in stream:
            kind = token.type
            if kind == "NL_OR_COMMENT":
                if not (ignoring and ignoring[-1]) or brace_undecided:
                    line_start = True
                    yield token
                continue
            block_type_keyword, after_line_keyword = after_line_keyword, line_start and kind in _KEYWORDS
            line_start = False
            if kind in _IDENTIFIER_TOKENS:
                token = _checked_identifier(token)
            if brace_undecided:
                ignoring[-1] = kind == "FOR"
                brace_undecided = False
            if kind in _OPENERS:
                ignoring.append(True)
            elif kind == "LBRACE":
                ignoring.append(False)
                brace_undecided = previous not in _BLOCK_HEADER_ENDS and not block_type_keyword
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
