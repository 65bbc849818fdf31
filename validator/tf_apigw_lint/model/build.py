"""From paths on disk to a `Model`: discovery of roots, root variable values, parsing.

Discovery: every directory below a PATH that holds Terraform files is a module directory;
one that another scanned directory calls as a local module is analysed through its callers
(with their inputs); the others are roots. Directories that only call each other in a
cycle get their first directory (in path order) as a root, so nothing is skipped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.load.files import load_file
from tf_apigw_lint.model.configuration import Configuration
from tf_apigw_lint.model.context import EmptyScope, FunctionContextImpl, RootValues, evaluate_safely
from tf_apigw_lint.model.sources import ModuleSource, module_file_names, read_module
from tf_apigw_lint.view import protocol as view
from tf_apigw_lint.view.protocol import Diagnostic

SKIPPED_DIRECTORIES = frozenset({".terraform", ".git", "node_modules"})


class PathError(Exception):
    """A PATH or option names something that cannot be read; the message names it."""


@dataclass(frozen=True)
class Assignment:
    """One `--var NAME=VALUE` (file is None) or `--var-file FILE`, in command-line order."""

    name: str | None = None
    text: str | None = None
    file: str | None = None


@dataclass
class BuildOptions:
    assignments: list[Assignment] = field(default_factory=list)
    workspace: str | None = None
    environ: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Model:
    """The static backend's view of the scanned paths, and the files it read."""

    configurations: list[Configuration]
    files: list[s.SourceFile]
    module_directories: list[str]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """TFL001 for each file that did not load, then the configurations' own problems."""
        found = [
            Diagnostic("TFL001", f.error.message, s.Range(f.path, f.error.line, f.error.column, f.error.line, f.error.column + 1))
            for f in self.files
            if f.error is not None
        ]
        for configuration in self.configurations:
            found.extend(configuration.diagnostics)
        return found


def _conforms(model: Model) -> view.View:
    """The static backend implements the view protocol; the type checker proves it here."""
    return model


class SourceCache:
    """Each file and module directory is parsed once per run, however often it is called."""

    def __init__(self) -> None:
        self.files: dict[str, s.SourceFile] = {}
        self.modules: dict[str, ModuleSource] = {}

    def load(self, path: str) -> s.SourceFile:
        if path not in self.files:
            self.files[path] = load_file(path)
        return self.files[path]

    def module(self, directory: str) -> ModuleSource:
        if directory not in self.modules:
            self.modules[directory] = read_module(directory, self.load)
        return self.modules[directory]


def find_module_directories(paths: Iterable[str]) -> list[str]:
    """Absolute module directories below `paths`; raises PathError for a missing path."""
    found: dict[str, None] = {}
    for path in paths:
        if not os.path.exists(path):
            raise PathError(f"{path}: no such file or directory")
        absolute = os.path.abspath(path)
        if os.path.isfile(absolute):
            found[os.path.dirname(absolute)] = None
            continue
        if not os.access(absolute, os.R_OK | os.X_OK):
            raise PathError(f"{path}: permission denied")
        for directory, subdirectories, _ in os.walk(absolute):
            subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_DIRECTORIES and not d.startswith("."))
            if module_file_names(directory):
                found[directory] = None
    return list(found)


def local_module_calls(directories: list[str], cache: SourceCache) -> dict[str, list[str]]:
    """For each directory, the absolute directories it calls through local module sources
    (`./x`, `../x`), whether or not they exist; a directory calling itself is left out."""
    calls: dict[str, list[str]] = {}
    for directory in directories:
        targets = []
        for source in cache.module(directory).module_call_sources().values():
            if source.startswith(("./", "../")):
                target = os.path.normpath(os.path.join(directory, source))
                if target != directory:
                    targets.append(target)
        calls[directory] = targets
    return calls


def find_roots(directories: list[str], cache: SourceCache) -> list[str]:
    scanned = set(directories)
    calls = {d: [t for t in targets if t in scanned] for d, targets in local_module_calls(directories, cache).items()}
    called = {t for targets in calls.values() for t in targets}
    roots = [d for d in directories if d not in called]
    reached: set[str] = set()

    def reach(start: str) -> None:
        pending = [start]
        while pending:
            node = pending.pop()
            if node not in reached:
                reached.add(node)
                pending.extend(calls.get(node, []))

    for root in roots:
        reach(root)
    for directory in sorted(directories):
        if directory not in reached:
            roots.append(directory)
            reach(directory)
    return roots


def build_model(paths: list[str], options: BuildOptions) -> Model:
    cache = SourceCache()
    for assignment in options.assignments:
        if assignment.file is not None and not os.path.isfile(assignment.file):
            raise PathError(f"--var-file {assignment.file}: no such file")
    directories = find_module_directories(paths)
    roots = find_roots(directories, cache)
    configurations = []
    for root in roots:
        values = root_values(root, options, cache)
        workspace = options.workspace or options.environ.get("TF_WORKSPACE") or environment_workspace(root) or "default"
        configurations.append(Configuration(root, cache.module, values, workspace))
    for configuration in configurations:
        configuration.modules  # noqa: B018 - expands every module call, so TFL003 is complete
    return Model(configurations, list(cache.files.values()), list(cache.modules))


def environment_workspace(root: str) -> str | None:
    """The workspace `terraform workspace select` recorded in `.terraform/environment`."""
    try:
        with open(os.path.join(root, ".terraform", "environment"), encoding="utf-8") as handle:
            return handle.read().strip() or None
    except OSError:
        return None


def root_values(root: str, options: BuildOptions, cache: SourceCache) -> RootValues:
    """Terraform's precedence, lowest first: TF_VAR_* < terraform.tfvars <
    terraform.tfvars.json < *.auto.tfvars(.json) in lexical order < --var-file / --var in
    command-line order."""
    values = RootValues()
    for key, text in options.environ.items():
        if key.startswith("TF_VAR_") and len(key) > 7:
            values.set_raw(key[7:], text)
    try:
        names = sorted(os.listdir(root))
    except OSError:
        names = []
    files: list[str] = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
    files += [n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
    for name in files:
        _apply_tfvars(values, cache.load(os.path.join(root, name)), root)
    for assignment in options.assignments:
        if assignment.file is not None:
            _apply_tfvars(values, cache.load(os.path.abspath(assignment.file)), root)
        elif assignment.name is not None and assignment.text is not None:
            values.set_raw(assignment.name, assignment.text)
    return values


def _apply_tfvars(values: RootValues, source_file: s.SourceFile, root: str) -> None:
    if source_file.body is None:
        return  # reported as TFL001
    scope = EmptyScope(FunctionContextImpl(root))
    for attribute in source_file.body.attributes.values():
        values.set_value(attribute.name, evaluate_safely(attribute.expr, scope))
