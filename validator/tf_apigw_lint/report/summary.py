"""Counts shown at the end of every report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tf_apigw_lint.coverage import Coverage
from tf_apigw_lint.findings import Finding, Severity


@dataclass(frozen=True)
class Summary:
    files: int
    modules: int
    error: int
    warning: int
    note: int
    suppressed: int
    # Findings left out because the baseline knows them; None when no baseline was used.
    baselined: int | None = None
    # What a static run left out (None for a plan, which has no discovery).
    coverage: Coverage | None = None
    # Deployed state read (live, drift): how many account regions; None for Terraform input.
    account_regions: int | None = None


def summarize(
    findings: Iterable[Finding], files: int, modules: int, baselined: int | None = None, coverage: Coverage | None = None
) -> Summary:
    """Count findings (one per mistake) by severity; a suppressed finding counts only as suppressed."""
    by_severity = {severity: 0 for severity in Severity}
    suppressed = 0
    for finding in findings:
        if finding.suppressed:
            suppressed += 1
        else:
            by_severity[finding.severity] += 1
    return Summary(
        files=files,
        modules=modules,
        error=by_severity[Severity.ERROR],
        warning=by_severity[Severity.WARNING],
        note=by_severity[Severity.NOTE],
        suppressed=suppressed,
        baselined=baselined,
        coverage=coverage,
    )
