"""Helpers for tests that compare findings exactly (importable: tests/ is on sys.path)."""

from __future__ import annotations


def pinned(result, rule_id=None):
    """Findings as (rule id, address, path, first line, last line[, certain]) tuples."""
    return sorted(
        (f.rule_id, f.address, f.path, f.line, f.end_line)
        for f in result.findings
        if rule_id is None or f.rule_id == rule_id
    )

