"""What a static run did not analyse, and why (SPEC §6 `summary.coverage`, §10)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Coverage:
    """`module_directories_skipped`: scanned module directories outside every relevant
    root's module tree (no API Gateway resource type in their text; `--exhaustive`
    analyses them). `files_not_parsed`: their Terraform files. `remote_modules_not_installed`:
    module calls of the analysed trees whose remote source `terraform init` has not installed.
    `module_directories_excluded`: module directories below the scanned paths that the
    configuration's `exclude` takes out (they are not read at all). `directories_not_readable`:
    directories below the scanned paths that could not be listed (permissions): whatever
    Terraform files they hold are not analysed."""

    module_directories_analysed: int = 0
    module_directories_skipped: int = 0
    files_not_parsed: int = 0
    remote_modules_not_installed: int = 0
    module_directories_excluded: int = 0
    directories_not_readable: int = 0

    @property
    def complete(self) -> bool:
        return not (
            self.module_directories_skipped or self.files_not_parsed or self.remote_modules_not_installed
            or self.module_directories_excluded or self.directories_not_readable
        )

    def sentence(self) -> str | None:
        """`Not analysed: …`, or None when everything was."""
        if self.complete:
            return None
        parts = []
        if self.module_directories_skipped:
            parts.append(
                f"{_count(self.module_directories_skipped, 'module directory', 'module directories')} "
                f"({_count(self.files_not_parsed, 'file', 'files')}) whose module trees have no API Gateway "
                "resources (--exhaustive analyses them)"
            )
        if self.remote_modules_not_installed:
            parts.append(
                f"{_count(self.remote_modules_not_installed, 'remote module call', 'remote module calls')} "
                "not installed (run terraform init)"
            )
        if self.module_directories_excluded:
            parts.append(
                f"{_count(self.module_directories_excluded, 'module directory', 'module directories')} "
                "excluded by the configuration's exclude"
            )
        if self.directories_not_readable:
            parts.append(
                f"{_count(self.directories_not_readable, 'directory', 'directories')} that could not be read "
                "(permission denied)"
            )
        return "Not analysed: " + "; ".join(parts) + "."


def _count(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"
