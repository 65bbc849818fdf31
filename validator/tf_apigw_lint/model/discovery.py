"""Roots, module trees and relevance (SPEC §4), decided from the files' text before parsing.

Every Terraform file of a scanned directory is read once as text (`load.scan`): which
modules it calls, with which literal source, and whether it mentions an API Gateway resource
type. From that alone come the roots (directories no other scanned directory calls), each
root's module tree (local sources, and remote ones where `terraform init` installed them),
and whether the tree can hold an API Gateway finding. Only a file whose module calls the
text cannot tell for sure is parsed here; its parse is kept for the analysis.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Callable

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.load.scan import FileScan, scan_file
from tf_apigw_lint.model.context import ScannedTree, installed_modules
from tf_apigw_lint.model.sources import _is_override, module_file_names

# A remote module whose source names API Gateway may create API Gateway resources even though
# no file that is there says so (SPEC §4).
API_GATEWAY_SOURCE_NAME = re.compile(r"api[-_]?gateway|apigw", re.IGNORECASE)


@dataclass
class DirectoryText:
    """One module directory as its text tells: its files, its module calls after override
    files are applied (name → literal source, None when not a literal), and whether any
    file mentions an API Gateway resource type."""

    directory: str
    files: list[FileScan]
    module_sources: dict[str, str | None]
    mentions_api_gateway: bool


@dataclass
class ModuleTree:
    """A root and every module directory Terraform would load for it, root first."""

    root: str
    directories: list[str]
    # (calling directory, call name, source) of each remote call that is not installed
    uninstalled_calls: list[tuple[str, str, str]] = field(default_factory=list)
    # (calling directory, call name) of each call into a directory outside the scanned tree:
    # not read, so it may hold API Gateway resources; the analysis reports it (TFL003)
    outside_calls: list[tuple[str, str]] = field(default_factory=list)

    def relevant(self, text: TextIndex) -> bool:
        return (
            bool(self.outside_calls)
            or any(text.directory(d).mentions_api_gateway for d in self.directories)
            or any(API_GATEWAY_SOURCE_NAME.search(source) for _, _, source in self.uninstalled_calls)
        )


class TextIndex:
    """Module directories read as text, each once. `parse` loads a file whose module calls
    the text leaves ambiguous."""

    def __init__(self, parse: Callable[[str], s.SourceFile], refuse: Callable[[str], str | None] = lambda path: None):
        self._parse = parse
        self._refuse = refuse  # a file not to read even as text (a link out of the tree)
        self._directories: dict[str, DirectoryText] = {}

    def directory(self, directory: str) -> DirectoryText:
        if directory not in self._directories:
            self._directories[directory] = self._read(directory)
        return self._directories[directory]

    def _read(self, directory: str) -> DirectoryText:
        names = module_file_names(directory)
        paths = [os.path.join(directory, name) for name in names]
        scans = [FileScan(path, False, {}) if self._refuse(path) else scan_file(path) for path in paths]
        sources: dict[str, str | None] = {}
        # Terraform's override rule for module blocks: the first declaration wins among
        # primary files; an override file replaces the source of a call declared elsewhere.
        for name, scan in sorted(zip(names, scans), key=lambda pair: _is_override(pair[0])):
            calls = scan.module_sources if scan.module_sources is not None else module_sources(self._parse(scan.path))
            for call, source in calls.items():
                if _is_override(name):
                    if call in sources:
                        sources[call] = source
                else:
                    sources.setdefault(call, source)
        return DirectoryText(directory, scans, sources, any(scan.mentions_api_gateway for scan in scans))

    def local_calls(self, directory: str) -> list[str]:
        """Directories `directory` calls through local sources (`./x`, `../x`), whether or
        not they exist; a directory calling itself is left out."""
        targets = []
        for source in self.directory(directory).module_sources.values():
            if source is not None and _is_local(source):
                target = os.path.normpath(os.path.join(directory, source))
                if target != directory:
                    targets.append(target)
        return targets


def module_sources(source_file: s.SourceFile) -> dict[str, str | None]:
    """The module calls of a parsed file, as `load.scan` reads them from text: call name →
    literal source (None when the source is not a literal string)."""
    sources: dict[str, str | None] = {}
    for block in source_file.body.blocks("module") if source_file.body is not None else ():
        if len(block.labels) != 1:
            continue
        attribute = block.body.attribute("source")
        expr = attribute.expr if attribute is not None else None
        literal = expr.value if isinstance(expr, s.Literal) and isinstance(expr.value, str) else None
        sources.setdefault(block.labels[0], literal)
    return sources


def find_roots(directories: list[str], text: TextIndex) -> list[str]:
    """The directories no other scanned directory calls. Directories that only call each
    other in a cycle get their first directory (in path order) as a root, so nothing is
    skipped."""
    scanned = set(directories)
    calls = {d: [t for t in text.local_calls(d) if t in scanned] for d in directories}
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


def module_tree(root: str, text: TextIndex, scanned: ScannedTree) -> ModuleTree:
    """Follows module calls the way the analysis loads them: an installed module (by its
    call path in `.terraform/modules/modules.json`) first, else a local source that exists;
    never into a directory outside the scanned tree, which the analysis does not load."""
    installed = installed_modules(root)
    tree = ModuleTree(root, [root])
    seen_directories = {root}
    seen_calls: set[tuple[str, tuple[str, ...]]] = set()
    uninstalled: set[tuple[str, str]] = set()
    pending: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [(root, (), (root,))]
    while pending:
        directory, call_path, chain = pending.pop()
        for name, source in text.directory(directory).module_sources.items():
            if source is None:
                continue
            path = (*call_path, name)
            target = installed.get(".".join(path))
            if target is None or not os.path.isdir(target):
                if not _is_local(source):
                    if (directory, name) not in uninstalled:
                        uninstalled.add((directory, name))
                        tree.uninstalled_calls.append((directory, name, source))
                    continue
                target = os.path.normpath(os.path.join(directory, source))
                if not os.path.isdir(target):
                    continue
            if scanned.outside(target, source) is not None:
                tree.outside_calls.append((directory, name))
                continue
            if target in chain:
                continue  # a cycle: the analysis reports it
            # Without installed modules the call path does not change what a directory
            # loads, so each directory is followed once.
            visit = (target, path if installed else ())
            if visit in seen_calls:
                continue
            seen_calls.add(visit)
            if target not in seen_directories:
                seen_directories.add(target)
                tree.directories.append(target)
            pending.append((target, path, (*chain, target)))
    return tree


def _is_local(source: str) -> bool:
    return source.startswith(("./", "../")) or source in (".", "..")
