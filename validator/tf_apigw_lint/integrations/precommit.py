"""pre-commit entry (SPEC §8): which roots of the repository the changed files belong to.

pre-commit passes the staged files that match the hook's `files` pattern. A file belongs to
the module directory that holds it; a module directory is included by every root that is it
or calls it, transitively, through local module sources. Only those roots are analysed, each
with its own variables, so a commit that touches a shared module is checked through every
configuration that uses it, and a commit that touches nothing Terraform costs nothing.

A path that no longer exists (deleted, or the old name of a renamed file) still names its
directory: if that directory is still a module, or is still called by one (the call is now
broken), its roots are analysed; otherwise the path is ignored. Never touches AWS.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from typing import Callable, Sequence

from tf_apigw_lint.model.build import SourceCache, find_module_directories
from tf_apigw_lint.model.discovery import TextIndex, find_roots
from tf_apigw_lint.model.sources import module_file_names


def repository_root(cwd: str | None = None) -> str:
    """The git top-level of `cwd` (default: the working directory), else `cwd` itself."""
    cwd = os.path.abspath(cwd or os.getcwd())
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, text=True, check=False
        )
    except OSError:  # git is not installed: the working directory is the repository
        return cwd
    top = completed.stdout.strip()
    return os.path.abspath(top) if completed.returncode == 0 and top else cwd


@dataclass
class Selection:
    """The outcome of mapping changed files to roots."""

    roots: list[str] = field(default_factory=list)
    # Existing files outside every module directory of the repository (e.g. a .tfvars file in
    # a folder without .tf files, which only an explicit -var-file can use).
    unplaced: list[str] = field(default_factory=list)

    def check_paths(self) -> list[str]:
        """PATHs that make `check` analyse exactly these roots: a file PATH selects its own
        directory and nothing below it (SPEC §4), so one file of each root is enough."""
        return [os.path.join(root, module_file_names(root)[0]) for root in self.roots]


def select_roots(files: Sequence[str], repository: str, excluded: Callable[[str], bool] | None = None) -> Selection:
    """The roots of `repository` that include the directories of `files` (relative to the
    working directory, as pre-commit passes them), in discovery order. Directories for which
    `excluded` (the configuration's `exclude`) is true are left out of discovery as `check`
    leaves them out, so the roots are the ones `check` would analyse."""
    excluded = excluded or (lambda path: False)
    # Module calls are read from the text, so a large repository is not parsed to find the
    # few roots a commit touches; `check` then decides which of them are relevant.
    text = TextIndex(SourceCache().look_ahead)
    directories = [d for d in find_module_directories([repository]) if not excluded(d)]
    roots = find_roots(directories, text)
    callers: dict[str, set[str]] = {}
    for caller in directories:
        for target in text.local_calls(caller):
            callers.setdefault(target, set()).add(caller)

    def including_roots(directory: str) -> set[str]:
        seen = {directory}
        pending = [directory]
        while pending:
            for caller in callers.get(pending.pop(), ()):
                if caller not in seen:
                    seen.add(caller)
                    pending.append(caller)
        return seen.intersection(roots)

    wanted: set[str] = set()
    selection = Selection()
    for path in files:
        absolute = os.path.abspath(path)
        included = including_roots(os.path.dirname(absolute))
        if included:
            wanted |= included
        elif os.path.exists(absolute) and not excluded(absolute):
            selection.unplaced.append(path)
    selection.roots = [root for root in roots if root in wanted]
    return selection
