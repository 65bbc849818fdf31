"""The versioned JSON report (SPEC §6): a public contract, so its shape never changes silently."""

from __future__ import annotations

import json
from collections.abc import Iterable

from tf_apigw_lint.coverage import Coverage
from tf_apigw_lint.findings import Finding
from tf_apigw_lint.report.rulemeta import TOOL_NAME
from tf_apigw_lint.report.summary import Summary

JSON_FORMAT_VERSION = 1


def render_json(findings: Iterable[Finding], summary: Summary, version: str) -> str:
    """Every finding, suppressed ones included and marked, then the summary."""
    report = {
        "version": JSON_FORMAT_VERSION,
        "tool": {"name": TOOL_NAME, "version": version},
        "findings": [_finding(f) for f in sorted(findings, key=lambda f: f.sort_key)],
        "summary": _summary(summary),
    }
    return json.dumps(report, indent=2) + "\n"


def _summary(summary: Summary) -> dict:
    """The six counts every version-1 report has, then the sections a run adds when it has
    them (`baselined` with --baseline, `coverage` for a static run), so a reader never sees a
    key that means nothing."""
    counts: dict[str, int | dict[str, int]] = {
        "files": summary.files,
        "modules": summary.modules,
        "error": summary.error,
        "warning": summary.warning,
        "note": summary.note,
        "suppressed": summary.suppressed,
    }
    if summary.baselined is not None:
        counts["baselined"] = summary.baselined
    if summary.coverage is not None:  # static runs; a plan has no discovery to report on
        counts["coverage"] = _coverage(summary.coverage)
    return counts


def _coverage(coverage: Coverage) -> dict[str, int]:
    return {
        "module_directories_analysed": coverage.module_directories_analysed,
        "module_directories_skipped": coverage.module_directories_skipped,
        "files_not_parsed": coverage.files_not_parsed,
        "remote_modules_not_installed": coverage.remote_modules_not_installed,
        "module_directories_excluded": coverage.module_directories_excluded,
        "directories_not_readable": coverage.directories_not_readable,
    }


def _finding(finding: Finding) -> dict:
    return {
        "rule_id": finding.rule_id,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "certain": finding.certain,
        "source": finding.source,
        "message": finding.message,
        "fix": finding.fix,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "address": finding.address,
        # One finding per mistake: every address and root it applies to; `address` is the first.
        "addresses": list(finding.every_address),
        "roots": list(finding.every_root),
        "suppressed": finding.suppressed,
        "suppression_reason": finding.suppression_reason,
    }
