"""What a static run did not analyse, and why (SPEC §6 `summary.coverage`, §10)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Coverage:
    """`module_directories_skipped`: scanned module directories outside every relevant
    root's module tree (no API Gateway resource type in their text; `--exhaustive`
    analyses them). `files_not_parsed`: their Terraform files. `remote_modules_not_installed`:
    module calls of the analysed trees whose remote source `terraform init` has not installed."""

    module_directories_analysed: int = 0
    module_directories_skipped: int = 0
    files_not_parsed: int = 0
    remote_modules_not_installed: int = 0

    @property
    def complete(self) -> bool:
        return not (self.module_directories_skipped or self.files_not_parsed or self.remote_modules_not_installed)
