"""JUnit XML for CI systems without SARIF support: one test case per (rule, resource)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping

from tf_apigw_lint.findings import Finding
from tf_apigw_lint.report.escape import visible
from tf_apigw_lint.report.rulemeta import TOOL_NAME, RuleInfo


def render_junit(findings: Iterable[Finding], rules: Mapping[str, RuleInfo]) -> str:
    """A test case fails on its unsuppressed findings and is skipped when all of them are suppressed.

    `rules` must hold each finding's rule id. With no findings at all the suite holds one passing
    test case, so CI systems show a green run rather than an empty one. Text from the linted
    files goes through `visible`: XML 1.0 cannot hold most control characters at all, and
    ElementTree escapes the markup characters (`<`, `&`, `]]>`).
    """
    cases: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: f.sort_key):
        # One finding per mistake still fails the test case of every resource it applies to.
        for name in finding.every_address or (f"{finding.path}:{finding.line}",):
            # The path is part of the key: two root modules can each hold the same resource address.
            cases.setdefault((finding.rule_id, name, finding.path or ""), []).append(finding)

    suite = ET.Element("testsuite", name=TOOL_NAME)
    failures = skipped = 0
    for (_rule_id, name, path), in_case in cases.items():
        first = in_case[0]
        case = ET.SubElement(suite, "testcase", classname=f"{first.rule_id} {first.rule}", name=visible(name))
        if path:  # deployed objects (live) have no file
            case.set("file", visible(path))
        failing = [f for f in in_case if not f.suppressed]
        if failing:
            failures += 1
            _add_failure(case, failing, rules[first.rule_id])
        else:
            skipped += 1
            reasons = "; ".join(f.suppression_reason or "suppressed" for f in in_case)
            ET.SubElement(case, "skipped", message=visible(reasons))
    if not cases:
        ET.SubElement(suite, "testcase", classname=TOOL_NAME, name=TOOL_NAME)
    suite.set("tests", str(max(len(cases), 1)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def _where(finding: Finding) -> str:
    """Where a finding is: its file position, or for a deployed object (live) its address."""
    return f"{finding.path}:{finding.line}:{finding.column}" if finding.path is not None else str(finding.address)


def _add_failure(case: ET.Element, failing: list[Finding], rule: RuleInfo) -> None:
    worst = max(failing, key=lambda f: f.severity.rank)
    lines = []
    for finding in failing:
        uncertain = " [uncertain]" if not finding.certain else ""
        lines.append(
            f"{_where(finding)}: {finding.severity.value} {finding.message}{uncertain}"
        )
        if len(finding.every_root) > 1:
            lines.append(f"roots: {', '.join(finding.every_root)}")
    lines.extend(f"fix: {fix}" for fix in dict.fromkeys(f.fix for f in failing if f.fix))
    lines.append(f"help: {rule.help_uri}")
    failure = ET.SubElement(case, "failure", type=worst.severity.value, message=rule.title)
    failure.text = "\n".join(visible(line) for line in lines)
