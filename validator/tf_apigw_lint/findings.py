"""Findings: what every output format, suppression and exit code works from."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.Enum):
    NOTE = "note"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def sarif_level(self) -> str:
        return self.value  # SARIF uses the same three words

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls(text.lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or note)") from None


_RANK = {Severity.NOTE: 1, Severity.WARNING: 2, Severity.ERROR: 3}


@dataclass(frozen=True)
class Finding:
    """One finding, with a 1-based range (`end_column` just past the last character).
    Findings on deployed objects have no file: `path` is None and the range is all 0."""

    rule_id: str
    rule: str
    severity: Severity
    certain: bool
    message: str
    fix: str
    path: str | None
    line: int
    column: int
    end_line: int
    end_column: int
    address: str | None = None
    source: str = "static"
    suppressed: bool = False
    suppression_reason: str | None = None

    @property
    def sort_key(self) -> tuple:
        return (self.path or "", self.line, self.column, self.rule_id, self.address or "")
