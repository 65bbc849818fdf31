"""From paths on disk to a `Model`: discovery of roots, relevance, root variable values, parsing.

Discovery: every directory below a PATH that holds Terraform files is a module directory;
one that another scanned directory calls as a local module is analysed through its callers
(with their inputs); the others are roots (`discovery.find_roots`). Unless `exhaustive`,
only roots whose module tree can hold an API Gateway finding are parsed and analysed; both
questions are answered from the files' text (`model/discovery.py`), so a directory that
cannot matter is never parsed. The files to parse are parsed up front, in parallel and
through the parse cache (`load/parallel.py`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

from tf_apigw_lint.coverage import Coverage
from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.load.cache import ParseCache
from tf_apigw_lint.load.parallel import FileLoader, Progress
from tf_apigw_lint.model.configuration import Configuration
from tf_apigw_lint.model.context import EmptyScope, FunctionContextImpl, RootValues, ScannedTree, evaluate_safely
from tf_apigw_lint.model.discovery import ModuleTree, TextIndex, find_roots, module_tree
from tf_apigw_lint.model.sources import ModuleSource, is_terraform_file, read_module
from tf_apigw_lint.model.variables import raw_value_problem
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
    # Analyse every root, not only those whose module tree can hold an API Gateway finding.
    exhaustive: bool = False
    jobs: int = 1
    # The parse cache directory; None parses every file.
    cache_directory: str | None = None
    progress: Progress | None = None
    # The paths whose repositories file() and module sources may read (`ScannedTree.of`);
    # empty: the PATHs themselves. pre-commit passes single roots of its repository and
    # exclusions narrow the PATHs, but what may be read is still the whole repository.
    scanned_tree: tuple[str, ...] = ()


@dataclass
class Model:
    """The static backend's view of the scanned paths, and the files it read."""

    configurations: list[Configuration]
    files: list[s.SourceFile]
    module_directories: list[str]
    coverage: Coverage | None = None
    # Lines for stderr about the run's input that are not findings (a --var no analysed
    # root declares); the CLI prints them unless --quiet.
    notices: list[str] = field(default_factory=list)

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
    """Each file and module directory is parsed once per run, however often it is called.
    `prefetch` parses many files at once (in parallel, through the parse cache); `load`
    hands them out in the order the analysis asks for them, so the run does not depend on
    how many processes parsed."""

    def __init__(self, loader: FileLoader | None = None) -> None:
        self.files: dict[str, s.SourceFile] = {}
        self.modules: dict[str, ModuleSource] = {}
        self.loader = loader or FileLoader()
        self._prefetched: dict[str, s.SourceFile] = {}

    def prefetch(self, paths: Iterable[str]) -> None:
        wanted = [p for p in paths if p not in self.files and p not in self._prefetched]
        self._prefetched.update(self.loader.load_many(wanted))

    def look_ahead(self, path: str) -> s.SourceFile:
        """A file discovery needs to parse: kept for the analysis, but not one of the run's
        files (nor its TFL001) unless the analysis reads it."""
        if path in self.files:
            return self.files[path]
        if path not in self._prefetched:
            self._prefetched[path] = self.loader.load(path)
        return self._prefetched[path]

    def load(self, path: str) -> s.SourceFile:
        if path not in self.files:
            prefetched = self._prefetched.pop(path, None)
            self.files[path] = prefetched if prefetched is not None else self.loader.load(path)
        return self.files[path]

    def module(self, directory: str) -> ModuleSource:
        if directory not in self.modules:
            self.modules[directory] = read_module(directory, self.load)
        return self.modules[directory]


def find_module_directories(paths: Iterable[str], unreadable: list[str] | None = None) -> list[str]:
    """Absolute module directories below `paths`; raises PathError for a missing path.
    Directories below them that cannot be listed are added to `unreadable` (they may hold
    Terraform files: coverage counts them)."""
    found: dict[str, None] = {}

    def not_listed(error: OSError) -> None:
        if unreadable is not None and error.filename is not None:
            unreadable.append(os.fspath(error.filename))
    for path in paths:
        if not os.path.exists(path):
            raise PathError(f"{path}: no such file or directory")
        absolute = os.path.abspath(path)
        if os.path.isfile(absolute):
            found[os.path.dirname(absolute)] = None
            continue
        if not os.access(absolute, os.R_OK | os.X_OK):
            raise PathError(f"{path}: permission denied")
        for directory, subdirectories, names in os.walk(absolute, onerror=not_listed):
            subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_DIRECTORIES and not d.startswith("."))
            if any(is_terraform_file(name) for name in names):
                found[directory] = None
    return list(found)


def build_model(paths: list[str], options: BuildOptions) -> Model:
    for assignment in options.assignments:
        if assignment.file is not None and not os.path.isfile(assignment.file):
            raise PathError(f"--var-file {assignment.file}: no such file")
    parse_cache = ParseCache.open(options.cache_directory) if options.cache_directory else None
    scanned = ScannedTree.of(options.scanned_tree or paths)  # once per run: what file() and module sources may read
    named = {os.path.abspath(a.file) for a in options.assignments if a.file is not None}  # the user's own choice

    def refuse(path: str) -> str | None:
        return None if path in named else scanned.link_out(path)

    loader = FileLoader(options.jobs, parse_cache, options.progress, refuse)
    cache = SourceCache(loader)
    unreadable: list[str] = []
    directories = find_module_directories(paths, unreadable)
    text = TextIndex(cache.look_ahead, refuse)
    for done, directory in enumerate(directories, 1):
        text.directory(directory)
        if options.progress is not None:
            options.progress(done, len(directories), "module directories read")
    trees = [module_tree(root, text, scanned) for root in find_roots(directories, text)]
    analysed = trees if options.exhaustive else [tree for tree in trees if tree.relevant(text)]
    to_parse = _files_to_parse(analysed, text, options)
    cache.prefetch(to_parse)
    configurations = []
    for tree in analysed:
        root = tree.root
        values = root_values(root, options, cache, scanned)
        workspace = options.workspace or options.environ.get("TF_WORKSPACE") or environment_workspace(root) or "default"
        configurations.append(Configuration(root, cache.module, values, workspace, scanned))
    notices = _check_assignments([tree.root for tree in analysed], options, cache, scanned)
    for configuration in configurations:
        configuration.modules  # noqa: B018 - expands every module call, so TFL003 is complete
    for path in to_parse:
        cache.load(path)  # each file discovery listed counts, even one whose directory is gone
    loader.finish()
    coverage = replace(_coverage(directories, analysed, text, cache), directories_not_readable=len(unreadable))
    return Model(configurations, list(cache.files.values()), list(cache.modules), coverage, notices)


def _check_assignments(roots: list[str], options: BuildOptions, cache: SourceCache, scanned: ScannedTree) -> list[str]:
    """`--var` as Terraform reads it. A value the declared type cannot read is an error
    (exit 2), as in Terraform; otherwise the finding it decides would quietly turn uncertain.
    A variable no analysed root declares is a notice, not an error: with several roots (or
    roots left out as irrelevant) it may be meant for another one."""
    notices = []
    for assignment in options.assignments:
        if assignment.name is None or assignment.text is None or not roots:
            continue
        declared = [(root, cache.module(root).variables.get(assignment.name)) for root in roots]
        blocks = [(root, block) for root, block in declared if block is not None]
        if not blocks:
            notices.append(f"--var {assignment.name}: no analysed root module declares this variable; the value is not used")
        for root, block in blocks:
            problem = raw_value_problem(assignment.text, block, FunctionContextImpl(root, scanned))
            if problem is not None:
                raise PathError(f"--var {assignment.name}: {problem}")
    return notices


def _files_to_parse(trees: list[ModuleTree], text: TextIndex, options: BuildOptions) -> list[str]:
    """Every Terraform file of the trees, and the variable files of their roots."""
    files: list[str] = []
    for tree in trees:
        for directory in tree.directories:
            files.extend(scan.path for scan in text.directory(directory).files)
        files.extend(_tfvars_files(tree.root))
    files.extend(os.path.abspath(a.file) for a in options.assignments if a.file is not None)
    return files


def _coverage(directories: list[str], analysed: list[ModuleTree], text: TextIndex, cache: SourceCache) -> Coverage:
    in_trees = {d for tree in analysed for d in tree.directories}
    skipped = [d for d in directories if d not in in_trees]
    return Coverage(
        module_directories_analysed=len(cache.modules),
        module_directories_skipped=len(skipped),
        files_not_parsed=sum(len(text.directory(d).files) for d in skipped),
        remote_modules_not_installed=sum(len(tree.uninstalled_calls) for tree in analysed),
    )


def environment_workspace(root: str) -> str | None:
    """The workspace `terraform workspace select` recorded in `.terraform/environment`."""
    try:
        with open(os.path.join(root, ".terraform", "environment"), encoding="utf-8") as handle:
            return handle.read().strip() or None
    except OSError:
        return None


def root_values(root: str, options: BuildOptions, cache: SourceCache, scanned: ScannedTree) -> RootValues:
    """Terraform's precedence, lowest first: TF_VAR_* < terraform.tfvars <
    terraform.tfvars.json < *.auto.tfvars(.json) in lexical order < --var-file / --var in
    command-line order."""
    values = RootValues()
    for key, text in options.environ.items():
        if key.startswith("TF_VAR_") and len(key) > 7:
            values.set_raw(key[7:], text)
    for path in _tfvars_files(root):
        _apply_tfvars(values, cache.load(path), FunctionContextImpl(root, scanned))
    for assignment in options.assignments:
        if assignment.file is not None:
            _apply_tfvars(values, cache.load(os.path.abspath(assignment.file)), FunctionContextImpl(root, scanned))
        elif assignment.name is not None and assignment.text is not None:
            values.set_raw(assignment.name, assignment.text)
    return values


def _tfvars_files(root: str) -> list[str]:
    try:
        names = sorted(os.listdir(root))
    except OSError:
        names = []
    files: list[str] = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
    files += [n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
    return [os.path.join(root, name) for name in files]


def _apply_tfvars(values: RootValues, source_file: s.SourceFile, functions: FunctionContextImpl) -> None:
    if source_file.body is None:
        return  # reported as TFL001
    scope = EmptyScope(functions)
    for attribute in source_file.body.attributes.values():
        values.set_value(attribute.name, evaluate_safely(attribute.expr, scope))
