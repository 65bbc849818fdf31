"""GitHub Actions workflow commands, which GitHub shows as annotations on the changed lines.

The runner reads every line of the job's output that starts with `::` as a command, so text
from the linted files must never start a line or end a command early: GitHub's rules escape
`%`, CR and LF in the message, and `:` and `,` as well in properties. Other control
characters (an ANSI escape repainting the log) are made visible first.
"""

from __future__ import annotations

from collections.abc import Iterable

from tf_apigw_lint.findings import Finding, Severity
from tf_apigw_lint.report.escape import visible

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def render_github(findings: Iterable[Finding]) -> str:
    """One `::error|warning|notice …::message` line per unsuppressed finding."""
    shown = sorted((f for f in findings if not f.suppressed), key=lambda f: f.sort_key)
    return "".join(_command(f) + "\n" for f in shown)


def _command(finding: Finding) -> str:
    properties: dict[str, object] = {}
    if finding.path is not None:  # live findings name a deployed object, not a file
        properties = {"file": finding.path, "line": finding.line, "endLine": finding.end_line, "col": finding.column, "endColumn": finding.end_column}
    properties["title"] = f"{finding.rule_id} {finding.rule}" + (f" {finding.address}" if finding.path is None else "")
    listed = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items())
    return f"::{_COMMAND[finding.severity]} {listed}::{_escape_data(finding.message)}"


def _escape_data(text: str) -> str:
    return visible(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
