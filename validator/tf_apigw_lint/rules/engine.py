"""Runs rules over a model and turns what they say into findings.

A rule says *what* (a model node, a message, whether it is certain, optionally the
attribute at fault); the engine says *who, where and how severe*: the Terraform address,
the most precise source range (the attribute when it is written, else the block), and the
severity (uncertain findings become notes unless `strict`). A rule that raises becomes a
TFL004 finding; the other rules still run.
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Iterable, Mapping

from tf_apigw_lint.findings import Finding, Severity
from tf_apigw_lint.load import syntax as s


@dataclass(frozen=True)
class Hit:
    """What a rule yields. `node` is a resource instance (or anything with `range` and
    optionally `address`); `attribute` is a dotted path inside it (`settings.logging_level`,
    `access_log_settings.format`, `route_settings[1].logging_level` for the second block of
    a type) pointing the finding at that attribute when written."""

    node: Any
    message: str
    certain: bool = True
    attribute: str | None = None


@dataclass
class RuleSettings:
    """Per-rule configuration: enabled, severity override and options (defaults filled)."""

    enabled: bool = True
    severity: Severity | None = None
    options: dict[str, Any] = field(default_factory=dict)


def attribute_range(node: Any, path: str | None) -> s.Range:
    """The range of `path` inside `node`, falling back to the deepest block that exists."""
    best: s.Range = node.range
    if not path or not hasattr(node, "body"):
        return best
    body = node.body
    parts = path.split(".")
    for index, part in enumerate(parts):
        name, _, position = part.partition("[")
        if index == len(parts) - 1 and not position:
            attribute = body.attribute(name)
            if attribute is not None:
                return attribute.range
        blocks = body.blocks(name)
        block_index = int(position.rstrip("]")) if position else 0
        if block_index >= len(blocks):
            attribute = body.attribute(name)
            return attribute.range if attribute is not None and not position else best
        body = blocks[block_index]
        best = body.range
    return best


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
    model: Any,
    rules: Iterable[ModuleType],
    settings: Mapping[str, RuleSettings],
    *,
    strict: bool = False,
    cwd: str | None = None,
) -> list[Finding]:
    cwd = cwd or os.getcwd()
    crash_rule = _rule_by_id(rules, "TFL004")
    findings = []
    for rule in rules:
        rule_settings = settings.get(rule.ID, RuleSettings())
        check = getattr(rule, "check", None)
        if not rule_settings.enabled or check is None:
            continue
        options = {**getattr(rule, "OPTIONS", {}), **rule_settings.options}
        severity = rule_settings.severity or rule.SEVERITY
        try:
            for hit in check(model, options):
                findings.append(_finding(rule, severity, hit, strict, cwd, model))
        except Exception as error:  # noqa: BLE001 - a broken rule must not stop the others
            if crash_rule is not None and settings.get("TFL004", RuleSettings()).enabled:
                findings.append(_crash_finding(crash_rule, rule, error, model, cwd))
    return sorted(findings, key=lambda f: f.sort_key)


def _finding(rule: ModuleType, severity: Severity, hit: Hit, strict: bool, cwd: str, model: Any) -> Finding:
    node = hit.node
    certain = hit.certain and not getattr(node, "uncertain", False)
    # Deployed objects (live) have no source: their nodes answer range_of with None.
    where = node.range_of(hit.attribute) if hasattr(node, "range_of") else attribute_range(node, hit.attribute)
    return Finding(
        rule_id=rule.ID,
        rule=rule.NAME,
        severity=severity if certain or strict else Severity.NOTE,
        certain=certain,
        message=hit.message,
        fix=rule.FIX,
        path=display_path(where.path, cwd) if where else None,
        line=where.line if where else 0,
        column=where.column if where else 0,
        end_line=where.end_line if where else 0,
        end_column=where.end_column if where else 0,
        address=getattr(node, "address", None),
        source=getattr(model, "source", "static"),
    )


def _crash_finding(crash_rule: ModuleType, rule: ModuleType, error: Exception, model: Any, cwd: str) -> Finding:
    frame = traceback.extract_tb(error.__traceback__)[-1]
    roots = [c.root_dir for c in getattr(model, "configurations", [])]
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
