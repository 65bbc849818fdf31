"""Findings: what every output format, suppression and exit code works from."""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace


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
    # The root module directory whose evaluation found it; None for findings about a file
    # (a parse error, a suppression comment) rather than about a configuration.
    root: str | None = None
    # Set by `merge_equal`: every address and root one mistake applies to (`address` is the
    # first). A module called from several roots, or several times, is one finding.
    addresses: tuple[str, ...] = ()
    roots: tuple[str, ...] = ()

    @property
    def sort_key(self) -> tuple:
        return (self.path or "", self.line, self.column, self.rule_id, self.address or "")

    @property
    def every_address(self) -> tuple[str, ...]:
        return self.addresses or ((self.address,) if self.address else ())

    @property
    def every_root(self) -> tuple[str, ...]:
        return self.roots or ((self.root,) if self.root else ())


def merge_equal(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per mistake: findings equal in rule, range, message and suppression become
    one that lists every address and root. It keeps the worst severity and is certain when
    any of them is: the mistake is certain where it is certain."""
    groups: dict[tuple, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: f.sort_key):
        identity = (
            finding.rule_id, finding.path, finding.line, finding.column, finding.end_line, finding.end_column,
            finding.message, finding.suppressed,
        )
        groups.setdefault(identity, []).append(finding)
    merged = []
    for group in groups.values():
        addresses = tuple(dict.fromkeys(address for f in group for address in f.every_address))
        merged.append(
            replace(
                group[0],
                severity=max((f.severity for f in group), key=lambda severity: severity.rank),
                certain=any(f.certain for f in group),
                address=addresses[0] if addresses else None,
                addresses=addresses,
                roots=tuple(sorted({root for f in group for root in f.every_root})),
            )
        )
    return sorted(merged, key=lambda f: f.sort_key)


def message_hash(message: str) -> str:
    """A short hash of the message with numbers (line numbers, counts, account ids) and
    spacing normalised, so that a finding keeps its identity when unrelated edits move lines.
    Digits inside a word are part of a name (stage `v1` is not stage `v2`) and stay."""
    normalised = " ".join(re.sub(r"(?<![^\W\d_])\d+(?![^\W\d_])", "0", message).split())
    return hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()[:16]
