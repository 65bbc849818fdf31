"""Runs rules over a model and turns what they say into findings.

A rule says *what* (a resource of the view, a message, whether it is certain, optionally
the attribute at fault); the engine says *who, where and how severe*: the Terraform address,
the most precise source range the backend knows (the attribute when it is written, else the
block; none for deployed objects), and the severity (uncertain findings become notes unless
`strict`). A rule that raises becomes a
TFL004 finding; the other rules still run.
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Iterable, Mapping, Protocol

from tf_apigw_lint.analysis.apigw import ApiGateway
from tf_apigw_lint.findings import Finding, Severity
from tf_apigw_lint.view.protocol import View
from tf_apigw_lint.view.ranges import Range


@dataclass(frozen=True)
class Hit:
    """What a rule yields. `node` is a view resource (or a diagnostic); `attribute` is a
    dotted path inside it (`settings.logging_level`, `access_log_settings.format`,
    `route_settings[1].logging_level` for the second block of a type) pointing the finding
    at that attribute when written."""

    node: Located
    message: str
    certain: bool = True
    attribute: str | None = None


class Located(Protocol):
    """What a finding is about: a view resource, or a diagnostic of the input."""

    @property
    def address(self) -> str | None: ...

    @property
    def uncertain(self) -> bool: ...

    def range_of(self, path: str | None = None) -> Range | None: ...


@dataclass
class RuleSettings:
    """Per-rule configuration: enabled, severity override and options (defaults filled)."""

    enabled: bool = True
    severity: Severity | None = None
    options: dict[str, Any] = field(default_factory=dict)


def display_path(path: str, cwd: str) -> str:
    """Paths relative to the working directory when inside it, with forward slashes."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, cwd)
    except ValueError:
        return absolute
    if relative.startswith(".."):
        return absolute.replace(os.sep, "/")
    return relative.replace(os.sep, "/")


def run_rules(
    view: View,
    rules: Iterable[ModuleType],
    settings: Mapping[str, RuleSettings],
    *,
    strict: bool = False,
    cwd: str | None = None,
) -> list[Finding]:
    """Every enabled rule over every configuration of `view`. A rule reads the API Gateway
    analysis of one configuration (`check(apigw, options)`), or with `READS = "diagnostics"`
    the problems of the input that carry its id (`check(diagnostics, options)`)."""
    cwd = cwd or os.getcwd()
    crash_rule = _rule_by_id(rules, "TFL004")
    analyses = [ApiGateway(configuration) for configuration in view.configurations]
    findings: list[Finding] = []
    for rule in rules:
        rule_settings = settings.get(rule.ID, RuleSettings())
        check = getattr(rule, "check", None)
        if not rule_settings.enabled or check is None:
            continue
        options = {**getattr(rule, "OPTIONS", {}), **rule_settings.options}
        severity = rule_settings.severity or rule.SEVERITY
        try:
            if getattr(rule, "READS", "configuration") == "diagnostics":
                # A live view's diagnostics are facts about deployed objects (LIVE rules).
                source = getattr(view, "source", "static")
                own = [diagnostic for diagnostic in view.diagnostics if diagnostic.rule_id == rule.ID]
                findings.extend(_finding(rule, severity, hit, strict, cwd, source, None) for hit in check(own, options))
                continue
            for analysis in analyses:
                configuration = analysis.configuration
                root = display_path(configuration.name, cwd) if configuration.source == "static" else configuration.name
                findings.extend(_finding(rule, severity, hit, strict, cwd, configuration.source, root) for hit in check(analysis, options))
        except Exception as error:  # noqa: BLE001 - a broken rule must not stop the others
            if crash_rule is not None and settings.get("TFL004", RuleSettings()).enabled:
                findings.append(_crash_finding(crash_rule, rule, error, view, cwd))
    return sorted(findings, key=lambda f: f.sort_key)


def _finding(rule: ModuleType, severity: Severity, hit: Hit, strict: bool, cwd: str, source: str, root: str | None) -> Finding:
    node = hit.node
    certain = hit.certain and not node.uncertain
    where = node.range_of(hit.attribute)
    return Finding(
        rule_id=rule.ID,
        rule=rule.NAME,
        severity=severity if certain or strict else Severity.NOTE,
        certain=certain,
        message=hit.message,
        fix=rule.FIX,
        path=display_path(where.path, cwd) if where is not None else None,
        line=where.line if where is not None else 0,
        column=where.column if where is not None else 0,
        end_line=where.end_line if where is not None else 0,
        end_column=where.end_column if where is not None else 0,
        address=node.address,
        source=source,
        root=root,
    )


def _crash_finding(crash_rule: ModuleType, rule: ModuleType, error: Exception, view: View, cwd: str) -> Finding:
    frame = traceback.extract_tb(error.__traceback__)[-1]
    roots = [c.name for c in view.configurations if c.source == "static"]
    return Finding(
        rule_id=crash_rule.ID,
        rule=crash_rule.NAME,
        severity=crash_rule.SEVERITY,
        certain=True,
        message=f"rule {rule.ID} ({rule.NAME}) crashed: {type(error).__name__}: {error} "
        f"(at {os.path.basename(frame.filename)}:{frame.lineno}); its findings are missing",
        fix=crash_rule.FIX,
        path=display_path(roots[0], cwd) if roots else ".",
        line=1,
        column=1,
        end_line=1,
        end_column=1,
    )


def _rule_by_id(rules: Iterable[ModuleType], rule_id: str) -> ModuleType | None:
    return next((r for r in rules if r.ID == rule_id), None)
