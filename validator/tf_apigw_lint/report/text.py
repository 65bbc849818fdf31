"""The default, human-readable report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import groupby

from tf_apigw_lint.findings import Finding, Severity
from tf_apigw_lint.report.escape import visible
from tf_apigw_lint.report.rulemeta import TOOL_NAME, help_uri_for
from tf_apigw_lint.report.summary import Summary

SourceLines = Callable[[str, int], str | None]

_RESET = "\033[0m"
_BOLD = "\033[1m"
_SEVERITY_COLOR = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.NOTE: "\033[36m"}


def render_text(
    findings: Iterable[Finding],
    summary: Summary,
    *,
    color: bool,
    source_lines: SourceLines | None,
) -> str:
    """Unsuppressed findings grouped by file, then the summary line."""
    shown = sorted((f for f in findings if not f.suppressed), key=lambda f: f.sort_key)
    blocks = []
    for _path, in_file in groupby(shown, key=lambda f: f.path):
        lines: list[str] = []
        for finding in in_file:
            lines.extend(_finding_lines(finding, color, source_lines))
        blocks.append("\n".join(lines))
    blocks.append("\n".join(filter(None, [coverage_line(summary), summary_line(summary)])))
    return "\n\n".join(blocks) + "\n"


def coverage_line(summary: Summary) -> str | None:
    """`Not analysed: …`, or None when everything was (or for a plan)."""
    return summary.coverage.sentence() if summary.coverage is not None else None


def summary_line(summary: Summary) -> str:
    """`3 errors, 1 warning (1 suppressed) in 12 files, 3 modules`, or `No problems found …`."""
    counts = [
        _plural(count, word)
        for count, word in ((summary.error, "error"), (summary.warning, "warning"), (summary.note, "note"))
        if count
    ]
    set_aside = [f"{summary.suppressed} suppressed"] if summary.suppressed else []
    if summary.baselined:
        set_aside.append(f"{summary.baselined} in the baseline")
    suppressed = f" ({', '.join(set_aside)})" if set_aside else ""
    scope = f"in {_plural(summary.files, 'file')}, {_plural(summary.modules, 'module')}"
    if summary.account_regions is not None:
        scope = f"in {_plural(summary.account_regions, 'account region')}"
    if counts:
        return f"{', '.join(counts)}{suppressed} {scope}"
    return f"No problems found{suppressed} {scope}."


def _finding_lines(finding: Finding, color: bool, source_lines: SourceLines | None) -> list[str]:
    # Everything that comes from the linted files goes through `visible`: see report/escape.py.
    # A deployed object has no file: its address is where it is.
    location = f"{visible(finding.path)}:{finding.line}:{finding.column}:" if finding.path is not None else f"{visible(finding.address or '')}:"
    severity = finding.severity.value
    if color:
        location = f"{_BOLD}{location}{_RESET}"
        severity = _paint(severity, finding.severity)
    headline = f"{location} {severity} {finding.rule_id} {finding.rule} {visible(finding.message)}"
    if not finding.certain:
        headline += " [uncertain]"
    lines = [headline]
    source = source_lines(finding.path, finding.line) if source_lines and finding.path is not None else None
    if source is not None:
        lines.extend(_source_excerpt(finding, source.rstrip("\r\n"), color))
    # One finding stands for the mistake wherever it applies: every module instance and,
    # when the file is a module outside the root, the roots that call it.
    lines.extend(f"  resource: {visible(address)}" for address in finding.every_address)
    roots = finding.every_root
    if finding.path is not None and any(not _within(finding.path, root) for root in roots):
        lines.append(f"  {'roots' if len(roots) > 1 else 'root'}: {', '.join(visible(root) for root in roots)}")
    if finding.fix:
        lines.append(f"  fix: {visible(finding.fix)}")
    lines.append(f"  help: {help_uri_for(finding.rule_id)} ({TOOL_NAME} explain {finding.rule_id})")
    return lines


def _source_excerpt(finding: Finding, source: str, color: bool) -> list[str]:
    """The finding's first line with `^~~~` under its range (to the line's end if it spans lines)."""
    start = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(source)
    # Escapes are wider than the characters they stand for: measure the escaped text.
    before, within = visible(source[:start], keep="\t"), visible(source[start:end], keep="\t")
    # Copy tabs so the marker lines up with the source however the terminal expands them.
    indent = "".join("\t" if char == "\t" else " " for char in before).ljust(start)
    marker = "^" + "~" * max(0, len(within) - 1)
    if color:
        marker = _paint(marker, finding.severity)
    gutter = str(finding.line)
    shown = visible(source, keep="\t")
    return [f"  {gutter} | {shown}", f"  {' ' * len(gutter)} | {indent}{marker}"]


def _within(path: str, directory: str) -> bool:
    return directory == "." or path.startswith(directory.rstrip("/") + "/")


def _paint(text: str, severity: Severity) -> str:
    return f"{_SEVERITY_COLOR[severity]}{text}{_RESET}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"
