"""What evaluation needs from outside the module tree, in one object per configuration.

`EvalContext` carries the root directory (Terraform's working directory), the workspace, the
root variable values, how to read a module directory, where `terraform init` installed remote
modules, the file functions, the dependency graph and where problems are reported. Module
and resource instances hold it instead of calling back into the configuration.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Protocol

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.model.evaluator import evaluate, materialize
from tf_apigw_lint.model.functions.core import Unsupported
from tf_apigw_lint.model.sources import ModuleSource
from tf_apigw_lint.view.protocol import Diagnostic
from tf_apigw_lint.view.values import Unknown, Value


@dataclass
class RootValues:
    """Values of root variables after Terraform's precedence: evaluated values from tfvars
    files, or raw text from `--var` / `TF_VAR_*` that is read with the variable's type."""

    values: dict[str, Value] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)

    def set_value(self, name: str, value: Value) -> None:
        self.values[name] = value
        self.raw.pop(name, None)

    def set_raw(self, name: str, text: str) -> None:
        self.raw[name] = text
        self.values.pop(name, None)


@dataclass(frozen=True)
class ScannedTree:
    """What evaluation may read: the repositories being scanned, as real paths. The linter
    runs on untrusted pull requests, so `file("../../../etc/hostname")`, an absolute path, a
    symlink pointing out or a module source outside them must not be read."""

    tops: tuple[str, ...]
    # Real paths already resolved: discovery asks about the same shared module directories
    # from every root that calls them.
    _real: dict[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def of(cls, paths: Iterable[str]) -> "ScannedTree":
        """Each PATH's git top level (a directory holding `.git`), else the PATH itself (a
        file selects its directory)."""
        tops = []
        for path in paths:
            real = os.path.realpath(path)
            directory = real if os.path.isdir(real) else os.path.dirname(real)
            tops.append(_repository_top(directory) or directory)
        return cls(tuple(dict.fromkeys(tops)))

    def outside(self, path: str, shown: str) -> str | None:
        """Why `path` (written as `shown`) is not read, or None when it may be. Git's own
        directory is not read either: CI checkouts keep credentials in `.git/config`, and a
        finding's message may quote what a file holds."""
        real = self._real.get(path)
        if real is None:
            real = self._real[path] = os.path.realpath(path)
        below = self._below_top(real)
        if below is None:
            return f'"{shown}" is outside the scanned tree ({", ".join(self.tops)}); it is not read'
        if ".git" in below.split(os.sep):
            return f'"{shown}" is inside a .git directory; it is not read'
        return None

    def link_out(self, path: str) -> str | None:
        """Why a file found in a scanned directory is not read: it is a symlink that leads
        out of the tree (`main.tf -> /etc/passwd` would otherwise reach the report through a
        parse error). None for every other file."""
        return self.outside(path, path) if os.path.islink(path) else None

    def _below_top(self, real: str) -> str | None:
        """`real` relative to the top it lies in ("" for a top itself); None outside them."""
        for top in self.tops:
            if real == top:
                return ""
            prefix = top.rstrip(os.sep) + os.sep
            if real.startswith(prefix):
                return real[len(prefix):]
        return None


def _repository_top(directory: str) -> str | None:
    current = directory
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


# file() and templatefile() read at most this much: policies and templates are kilobytes.
READ_FILE_LIMIT = 8 * 1024 * 1024


def _regular_file_opener(path: str, flags: int) -> int:
    descriptor = os.open(path, flags | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not wait for a writer
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise IsADirectoryError(path) if os.path.isdir(path) else OSError(f"{path}: not a regular file")
    return descriptor


class FunctionContextImpl:
    """What file(), templatefile() and fileexists() need: Terraform resolves relative paths
    against the working directory, which is the root module directory; nothing outside the
    scanned tree is read."""

    def __init__(self, base_dir: str, tree: ScannedTree):
        self.base_dir = base_dir
        self.tree = tree

    def resolve(self, path: str) -> str:
        """The path to read for `path`; Unsupported (the call is Unknown) when it is outside
        the scanned tree."""
        full = path if os.path.isabs(path) else os.path.join(self.base_dir, path)
        problem = self.tree.outside(full, path)
        if problem is not None:
            raise Unsupported(problem)
        return full

    def read_file(self, path: str) -> str:
        full = self.resolve(path)
        try:
            # Only a regular file: a FIFO would block the run, a device never end.
            with open(full, "rb", opener=_regular_file_opener) as handle:
                data = handle.read(READ_FILE_LIMIT + 1)
            if len(data) > READ_FILE_LIMIT:
                raise Unsupported(f'"{path}" is larger than {READ_FILE_LIMIT // (1024 * 1024)} MiB; it is not read')
            return data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise EvalError(f"Invalid function argument: no file exists at {path!r} ({error.__class__.__name__})") from None

    def render_template(self, text: str, path: str, variables: dict) -> Value:
        from tf_apigw_lint.load.hcl import ParseError, parse_template

        try:
            template = parse_template(text, path, 1, 1)
        except ParseError as error:
            raise EvalError(f"Invalid template {path}: {error.error.message} at line {error.error.line}") from None
        return materialize(evaluate(template, _TemplateFileScope(variables, self)))


class _TemplateFileScope:
    """templatefile(): only the given variables are visible."""

    def __init__(self, variables: dict, context: FunctionContextImpl):
        self.variables = variables
        self.context = context

    def lookup(self, name: str) -> Value:
        if name in self.variables:
            return self.variables[name]
        raise EvalError(f'Invalid reference in templatefile: there is no variable named "{name}"')

    def function_context(self) -> FunctionContextImpl:
        return self.context


class EmptyScope:
    """Where variable defaults and tfvars values are evaluated: no references allowed."""

    def __init__(self, context: FunctionContextImpl):
        self.context = context

    def lookup(self, name: str) -> Value:
        raise EvalError(f'Variables not allowed: "{name}" cannot be referenced here')

    def function_context(self) -> FunctionContextImpl:
        return self.context


def evaluate_safely(expr: s.Expression, scope: object) -> Value:
    """The value of `expr`; an error Terraform would report becomes an Unknown with its
    message, so one bad expression never stops the analysis."""
    try:
        return materialize(evaluate(expr, scope))  # type: ignore[arg-type]
    except EvalError as error:
        return Unknown(str(error))
    except RecursionError:
        return Unknown("expression nested too deeply to evaluate")


class References(Protocol):
    """What a resource instance asks the dependency graph (`model.graph.DependencyGraph`)."""

    def attribute_references(self, instance: Any, name: str) -> frozenset[str]: ...


class Diagnostics:
    """Problems of the configuration itself (TFL003), each reported once per place and
    module call address: the instances of one call (`module.a["x"].module.b`,
    `module.a["y"].module.b`) become one finding that lists every address."""

    def __init__(self) -> None:
        self.found: list[Diagnostic] = []
        self._seen: set[tuple] = set()

    def report_once(self, rule_id: str, message: str, where: s.Range, address: str | None = None) -> None:
        key = (rule_id, where.path, where.line, where.column, address)
        if key not in self._seen:
            self._seen.add(key)
            self.found.append(Diagnostic(rule_id, message, where, address))


@dataclass
class EvalContext:
    root_dir: str
    workspace: str
    root_values: RootValues
    read_module: Callable[[str], ModuleSource]
    references: References
    tree: ScannedTree
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    def __post_init__(self) -> None:
        self.functions = FunctionContextImpl(self.root_dir, self.tree)
        self.installed = installed_modules(self.root_dir)


def installed_modules(root_dir: str) -> dict[str, str]:
    """`.terraform/modules/modules.json` written by `terraform init`: call path → directory."""
    manifest = os.path.join(root_dir, ".terraform", "modules", "modules.json")
    try:
        with open(manifest, encoding="utf-8") as handle:
            entries = json.load(handle).get("Modules", [])
    except (OSError, ValueError, AttributeError):
        return {}
    installed = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("Key") and isinstance(entry.get("Dir"), str):
            installed[entry["Key"]] = os.path.normpath(os.path.join(root_dir, entry["Dir"]))
    return installed
