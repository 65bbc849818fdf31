"""Helpers for tests that compare findings exactly (importable: tests/ is on sys.path)."""

from __future__ import annotations


def per_address(findings):
    """(finding, address) for every address a finding applies to: one finding per mistake
    lists every module instance and root it was found in (None when it has no address)."""
    for finding in findings:
        for address in finding.every_address or (None,):
            yield finding, address


def pinned(result, rule_id=None):
    """Findings as (rule id, address, path, first line, last line) tuples, one per address."""
    return sorted(
        (f.rule_id, address, f.path, f.line, f.end_line)
        for f, address in per_address(result.findings)
        if rule_id is None or f.rule_id == rule_id
    )

