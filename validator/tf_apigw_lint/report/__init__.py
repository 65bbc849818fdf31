"""Formatters: pure functions from findings to the text of one output format (SPEC §6)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # each format is imported when it is asked for: a run renders one
    from tf_apigw_lint.findings import Finding
    from tf_apigw_lint.report.rulemeta import RuleInfo
    from tf_apigw_lint.report.sarif import SarifSettings
    from tf_apigw_lint.report.summary import Summary
    from tf_apigw_lint.report.text import SourceLines

FORMATS = ("text", "json", "sarif", "github", "junit")


def render(
    fmt: str,
    findings: Sequence[Finding],
    summary: Summary,
    rules: Mapping[str, RuleInfo],
    version: str,
    *,
    color: bool = False,
    source_lines: SourceLines | None = None,
    sarif: SarifSettings | None = None,
) -> str:
    """The report in format `fmt` (one of FORMATS); `color` and `source_lines` matter only for
    text, `sarif` (repository root and category) only for SARIF."""
    if fmt == "text":
        from tf_apigw_lint.report.text import render_text

        return render_text(findings, summary, color=color, source_lines=source_lines)
    if fmt == "json":
        from tf_apigw_lint.report.json_format import render_json

        return render_json(findings, summary, version)
    if fmt == "sarif":
        from tf_apigw_lint.report.sarif import render_sarif

        return render_sarif(findings, rules, version, sarif, summary.coverage)
    if fmt == "github":
        from tf_apigw_lint.report.github import render_github

        return render_github(findings)
    if fmt == "junit":
        from tf_apigw_lint.report.junit import render_junit

        return render_junit(findings, rules)
    raise ValueError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
