"""The configuration file: a small validated, frozen `Config`.

Where it comes from (SPEC §7): `--config FILE`, else the nearest of these found upward from
the working directory, stopping at the filesystem root:

- `.tf-apigw-lint.toml` — keys at the top level;
- `pyproject.toml` with a `[tool.tf-apigw-lint]` table (a pyproject without it is skipped).

In one directory `.tf-apigw-lint.toml` wins. `--config` reads either form, told apart by the
file name (`pyproject.toml` → the table, anything else → top level).

```toml
select   = ["APIGW001", "execution-logging-off"]   # ids or names; default: all rules
ignore   = ["APIGW105"]
fail_on  = "warning"                                 # error | warning | note | never
exclude  = ["examples/**", "**/legacy"]              # globs relative to this file's directory
strict   = true                                      # uncertain findings keep their severity
honour_other_tools = false                           # Checkov/Trivy/tflint skips do not suppress ours

[rules.APIGW104]                                     # id or name
severity = "error"
allow_data_trace_stages = ["dev*"]
```

Everything is checked when the file is read: an unknown key, rule or option, a value of the
wrong type and invalid TOML raise `ConfigError`, whose one-line message names the file and
the key (and the line and column for TOML syntax errors).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from dataclasses import dataclass, field
from types import MappingProxyType, ModuleType
from typing import Any, Iterable, Mapping, Union

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.model.build import find_module_directories
from tf_apigw_lint.model.sources import module_file_names
from tf_apigw_lint.rules import ALWAYS_ON, ALWAYS_ON_REASON, resolve
from tf_apigw_lint.rules.engine import display_path

DOTFILE = ".tf-apigw-lint.toml"
PYPROJECT = "pyproject.toml"
FAIL_ON_VALUES = ("error", "warning", "note", "never")
TOP_LEVEL_KEYS = ("select", "ignore", "fail_on", "exclude", "strict", "honour_other_tools", "rules")
RULE_KEYS = ("enabled", "severity")

# Options whose value is one of a few words. Every other option is checked against the type
# of its default in the rule's OPTIONS.
_LEVELS = ("OFF", "ERROR", "INFO")
_ACCOUNT_ROLE = ("managed", "external")


class ConfigError(Exception):
    """Bad configuration; the message is one line naming the file and the key."""


@dataclass(frozen=True)
class RuleConfig:
    """One `[rules.ID]` table: `enabled` / `severity` are None when not written; `options`
    holds only the options written (validated, normalised)."""

    enabled: bool | None = None
    severity: Severity | None = None
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Exclude:
    """`exclude` globs, relative to `base` (the config file's directory).

    `*` and `?` match within one path segment, `**` matches any number of segments, `[...]`
    a character class. A path is excluded when the glob matches it or any directory above
    it (below `base`): `examples` and `examples/**` both exclude everything in `examples/`.
    """

    base: str
    patterns: tuple[str, ...] = ()
    _globs: tuple[_Glob, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_globs", tuple(_Glob(p) for p in self.patterns))

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def matches(self, path: str) -> bool:
        """Whether `path` (absolute, or relative to the working directory) is excluded."""
        try:
            relative = os.path.relpath(os.path.abspath(path), self.base)
        except ValueError:  # another drive
            return False
        relative = relative.replace(os.sep, "/")
        if relative == "." or relative.startswith("../") or relative == "..":
            return False
        segments = relative.split("/")
        candidates = ["/".join(segments[: index + 1]) for index in range(len(segments))]
        return any(glob.fullmatch(c) for glob in self._globs for c in candidates)

    def split(self, paths: Iterable[str]) -> tuple[list[str], list[str]]:
        """The paths to analyse once excluded module directories are taken out, and the
        module directories the globs took out (for coverage).

        Each kept module directory is named by one of its files: a file PATH selects its
        directory without walking below it, so excluded subdirectories stay unscanned.
        """
        targets: dict[str, None] = {}
        excluded: dict[str, None] = {}
        for path in paths:
            directories = find_module_directories([path])  # raises PathError as usual
            if os.path.isfile(path):  # it selects its directory, as without exclude
                if not self.matches(directories[0]):
                    targets[path] = None
                else:
                    excluded[directories[0]] = None
                continue
            for directory in directories:
                names = module_file_names(directory)
                if names and not self.matches(directory):
                    targets[os.path.join(directory, names[0])] = None
                elif names:
                    excluded[directory] = None
        return list(targets), list(excluded)


@dataclass(frozen=True)
class Config:
    """The validated configuration. `path` is the file it came from (None: no file)."""

    path: str | None = None
    select: tuple[str, ...] = ()  # rule ids; empty means every rule
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    strict: bool = False
    # Other tools' skip comments for an equivalent check suppress our findings (SPEC §7).
    honour_other_tools: bool = True
    exclude: Exclude = field(default_factory=lambda: Exclude(os.getcwd()))
    rules: Mapping[str, RuleConfig] = field(default_factory=lambda: MappingProxyType({}))


def load_config(explicit: str | None = None, cwd: str | None = None) -> Config:
    """`explicit` (from `--config`) or the configuration found upward from `cwd`; a default
    `Config` when there is none."""
    cwd = os.path.abspath(cwd or os.getcwd())
    if explicit is not None:
        if not os.path.isfile(explicit):
            raise ConfigError(f"--config {explicit}: no such file")
        return read_config(explicit)
    found = find_config(cwd)
    return read_config(found) if found else Config(exclude=Exclude(cwd))


def find_config(start: str) -> str | None:
    """The nearest `.tf-apigw-lint.toml`, or `pyproject.toml` with our table, at or above
    `start`."""
    directory = os.path.abspath(start)
    while True:
        dotfile = os.path.join(directory, DOTFILE)
        if os.path.isfile(dotfile):
            return dotfile
        pyproject = os.path.join(directory, PYPROJECT)
        if os.path.isfile(pyproject) and _has_table(pyproject):
            return pyproject
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def read_config(path: str) -> Config:
    """Read and validate one configuration file (its form told by its name)."""
    document = _parse(path)
    if os.path.basename(path) == PYPROJECT:
        tool = document.get("tool")
        table = tool.get("tf-apigw-lint") if isinstance(tool, dict) else None
        if table is None:
            raise ConfigError(f"{_shown(path)}: no [tool.tf-apigw-lint] table")
        if not isinstance(table, dict):
            raise ConfigError(f"{_shown(path)}: tool.tf-apigw-lint: expected a table")
        return _validate(table, path, "tool.tf-apigw-lint.")
    return _validate(document, path, "")


# ---------------------------------------------------------------------------
# Reading and validating
# ---------------------------------------------------------------------------


def _parse(path: str) -> dict[str, Any]:
    # Imported here: most runs find no configuration file.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"{_shown(path)}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{_shown(path)}: invalid TOML: not UTF-8 ({error.reason})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{_shown(path)}: invalid TOML: {error}") from None
    except RecursionError:  # the TOML reader recurses once per nested array or table
        raise ConfigError(f"{_shown(path)}: invalid TOML: nested too deeply") from None


def _has_table(pyproject: str) -> bool:
    # Most pyproject files are not ours: look for the name before parsing, so that an
    # unrelated broken pyproject further up does not stop the run.
    try:
        with open(pyproject, encoding="utf-8", errors="replace") as handle:
            if "tf-apigw-lint" not in handle.read():
                return False
    except OSError:
        return False
    tool = _parse(pyproject).get("tool")
    return isinstance(tool, dict) and "tf-apigw-lint" in tool


class _Checker:
    """Validates values, naming the file and the full key in every error."""

    def __init__(self, path: str, prefix: str) -> None:
        self.path = path
        self.prefix = prefix

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{_shown(self.path)}: {self.prefix}{key}: {problem}")

    def unknown_keys(self, table: Mapping[str, Any], allowed: Iterable[str], where: str, what: str) -> None:
        allowed = list(allowed)
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (expected one of: {', '.join(allowed)})" if allowed else ""
                raise self.fail(f"{where}{key}", f"unknown {what}{hint}")

    def string_list(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, f"expected a list of strings, got {_describe(value)}")
        return tuple(value)

    def rule_ids(self, key: str, value: Any, turning_off: bool = False) -> tuple[str, ...]:
        ids = []
        for item in self.string_list(key, value):
            rule = resolve(item.strip())
            if rule is None:
                raise self.fail(key, f"unknown rule {item!r} (see tf-apigw-lint rules)")
            if turning_off:
                self.not_always_on(key, rule)
            ids.append(rule.ID)
        return tuple(dict.fromkeys(ids))

    def not_always_on(self, key: str, rule: ModuleType) -> None:
        if rule.ID in ALWAYS_ON:
            raise self.fail(key, f"{rule.ID} ({rule.NAME}) cannot be turned off: {ALWAYS_ON_REASON}")

    def boolean(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {_describe(value)}")
        return value

    def choice(self, key: str, value: Any, choices: tuple[str, ...], *, fold_case: bool = False) -> str:
        text = value.upper() if fold_case and isinstance(value, str) else value
        if not isinstance(text, str) or text not in choices:
            raise self.fail(key, f"expected one of {', '.join(repr(c) for c in choices)}, got {_describe(value)}")
        return text


def _validate(table: Mapping[str, Any], path: str, prefix: str) -> Config:
    checker = _Checker(path, prefix)
    checker.unknown_keys(table, TOP_LEVEL_KEYS, "", "key")
    base = os.path.dirname(os.path.abspath(path))
    fail_on = table.get("fail_on")
    if fail_on is not None:
        fail_on = checker.choice("fail_on", fail_on, FAIL_ON_VALUES)
    patterns = checker.string_list("exclude", table.get("exclude", []))
    for pattern in patterns:
        if not pattern.strip("/") or ".." in pattern.split("/"):
            raise checker.fail("exclude", f"{pattern!r} is not a path glob below the configuration's directory")
        try:
            _Glob(pattern)
        except re.error as error:
            raise checker.fail("exclude", f"{pattern!r} is not a valid glob: {error}") from None
    return Config(
        path=path,
        select=checker.rule_ids("select", table.get("select", [])),
        ignore=checker.rule_ids("ignore", table.get("ignore", []), turning_off=True),
        fail_on=fail_on,
        strict=checker.boolean("strict", table.get("strict", False)),
        honour_other_tools=checker.boolean("honour_other_tools", table.get("honour_other_tools", True)),
        exclude=Exclude(base, patterns),
        rules=MappingProxyType(_rule_tables(checker, table.get("rules", {}))),
    )


def _rule_tables(checker: _Checker, tables: Any) -> dict[str, RuleConfig]:
    if not isinstance(tables, dict):
        raise checker.fail("rules", f"expected a table of rule tables, got {_describe(tables)}")
    configured: dict[str, RuleConfig] = {}
    written_as: dict[str, str] = {}
    for key, settings in tables.items():
        rule = resolve(key)
        if rule is None:
            raise checker.fail(f"rules.{key}", "unknown rule (see tf-apigw-lint rules)")
        if rule.ID in configured:
            raise checker.fail(f"rules.{key}", f"{rule.ID} is already configured as rules.{written_as[rule.ID]}")
        if not isinstance(settings, dict):
            raise checker.fail(f"rules.{key}", f"expected a table, got {_describe(settings)}")
        configured[rule.ID] = _rule_table(checker, f"rules.{key}.", rule, settings)
        written_as[rule.ID] = key
    return configured


def _rule_table(checker: _Checker, where: str, rule: ModuleType, settings: Mapping[str, Any]) -> RuleConfig:
    defaults = getattr(rule, "OPTIONS", {})
    checker.unknown_keys(settings, (*RULE_KEYS, *defaults), where, f"option for {rule.ID} ({rule.NAME})")
    enabled = settings.get("enabled")
    if enabled is not None:
        enabled = checker.boolean(f"{where}enabled", enabled)
        if not enabled:
            checker.not_always_on(f"{where}enabled", rule)
    severity = settings.get("severity")
    if severity is not None:
        severity = Severity(checker.choice(f"{where}severity", severity, tuple(s.value for s in Severity)))
    options = {
        name: _option(checker, f"{where}{name}", name, value, defaults[name])
        for name, value in settings.items()
        if name not in RULE_KEYS
    }
    return RuleConfig(enabled, severity, MappingProxyType(options))


# A provider configuration's name as findings show it: module path, provider, alias.
_PROVIDER_NAME = re.compile(r'(?:module\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?\.)*[a-z][a-z0-9_-]*(?:\.[A-Za-z_][\w-]*)?')


def _option(checker: _Checker, key: str, name: str, value: Any, default: Any) -> Any:
    if name == "min_level":
        return checker.choice(key, value, _LEVELS, fold_case=True)
    if name == "account_role":
        if isinstance(value, dict):
            for provider in value:
                if provider != "*" and not _PROVIDER_NAME.fullmatch(provider):
                    raise checker.fail(
                        f"{key}.{provider}",
                        'not a provider configuration as findings name it ("aws", "aws.west", "module.edge.aws"), nor "*"',
                    )
            return {provider: checker.choice(f"{key}.{provider}", role, _ACCOUNT_ROLE) for provider, role in value.items()}
        return checker.choice(key, value, _ACCOUNT_ROLE)
    if isinstance(default, list):
        return list(checker.string_list(key, value))
    if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if type(value) is not type(default):
        raise checker.fail(key, f"expected {_describe_type(default)}, got {_describe(value)}")
    return value


def _describe(value: Any) -> str:
    """A value as it is written in TOML, for messages."""
    if isinstance(value, (dict, list)):
        return f"a {_describe_type(value)}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _describe_type(value: Any) -> str:
    return {bool: "true or false", str: "a string", int: "an integer", float: "a number", list: "list", dict: "table"}.get(
        type(value), type(value).__name__
    )


def _shown(path: str) -> str:
    return display_path(path, os.getcwd())


# ---------------------------------------------------------------------------
# Globs
# ---------------------------------------------------------------------------


# A segment's pattern, token by token: `*` (_STAR), or one character: itself (a str), or a
# class or `?` (a compiled one-character pattern).
_Token = Union[str, "re.Pattern[str]", None]
_STAR = None


class _Glob:
    """One `exclude` glob, matched segment by segment and, within a segment, by the classic
    two-pointer wildcard match: the time to match grows with the pattern's length times the
    path's, whatever the pattern. (As one regular expression, `**/**/**/...` or `*a*a*a*b`
    backtracked exponentially: a configuration could stall a CI job.)"""

    def __init__(self, pattern: str):
        parts: list[list[_Token] | None] = []  # None: `**`, any number of whole segments
        for segment in pattern.strip("/").split("/"):
            if segment == "**":
                if not parts or parts[-1] is not None:  # `**/**` is `**`
                    parts.append(None)
            else:
                parts.append(_segment_tokens(segment))  # raises re.error for a bad class
        self._parts = parts

    def fullmatch(self, path: str) -> bool:
        """Whether the glob matches all of `path` (segments joined by `/`)."""
        positions = self._with_empty_globstars({0})
        for name in path.split("/"):
            following = set()
            for index in positions:
                if index == len(self._parts):
                    continue
                part = self._parts[index]
                if part is None:
                    following.add(index)
                elif _segment_matches(part, name):
                    following.add(index + 1)
            positions = self._with_empty_globstars(following)
            if not positions:
                return False
        return len(self._parts) in positions

    def _with_empty_globstars(self, positions: set[int]) -> set[int]:
        """`positions` and those reached by letting a `**` match no segment."""
        result = set(positions)
        for index in sorted(positions):
            while index < len(self._parts) and self._parts[index] is None:
                index += 1
                result.add(index)
        return result


def _segment_tokens(segment: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    while index < len(segment):
        char = segment[index]
        if char == "*":
            if not tokens or tokens[-1] is not _STAR:
                tokens.append(_STAR)
        elif char == "?":
            tokens.append(re.compile(r"[^/]"))
        elif char == "[":
            end = segment.find("]", index + 2 if segment[index + 1 : index + 2] in ("!", "]") else index + 1)
            if end < 0:
                tokens.append(char)
            else:
                body = segment[index + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                tokens.append(re.compile("[" + body.replace("\\", "\\\\") + "]"))
                index = end
        else:
            tokens.append(char)
        index += 1
    return tokens


def _segment_matches(tokens: list[_Token], name: str) -> bool:
    """Whether `tokens` match all of `name`: on a mismatch after a `*`, the `*` takes one
    more character and matching resumes after it (no other backtracking is ever needed)."""
    token = position = 0
    star_token, star_position = -1, 0
    while position < len(name):
        current = tokens[token] if token < len(tokens) else ""  # "" matches no character
        if token < len(tokens) and current is _STAR:
            star_token, star_position = token, position
            token += 1
        elif current == name[position] if isinstance(current, str) else current is not None and current.fullmatch(name[position]):
            token += 1
            position += 1
        elif star_token >= 0:
            star_position += 1
            token, position = star_token + 1, star_position
        else:
            return False
    return all(rest is _STAR for rest in tokens[token:])
