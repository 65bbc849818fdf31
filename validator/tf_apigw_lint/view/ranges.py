"""Where something is in the source: a 1-based range, `end_column` just past the last
character (the convention SARIF and editors use)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def contains_line(self, line: int) -> bool:
        return self.line <= line <= self.end_line
