"""Baselines: adopting the linter on a repository that already has findings.

`--write-baseline FILE` records today's findings; `--baseline FILE` then reports only the
findings it does not know, so CI and the pre-commit hook fail on new mistakes while old
ones are fixed at their own pace. A finding is known when the baseline holds its rule, file,
Terraform address and message hash (numbers normalised, see `findings.message_hash`): moving
a block, editing other lines or renumbering a line in the message keeps it known; a new
resource, a new file or a different message makes it new.

A file that cannot be parsed (TFL001) or a rule that crashed (TFL004) is never recorded nor
known: a baseline hides old mistakes, not what was not analysed.

The file is JSON meant for review in a pull request: a version, then one entry per
(rule, file, address, message), sorted, with the message in words beside its hash. Paths
are relative to the baseline file's directory, so it works from any working directory.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass

from tf_apigw_lint.findings import Finding, message_hash
from tf_apigw_lint.report.escape import json_for_review
from tf_apigw_lint.rules import ALWAYS_ON

BASELINE_VERSION = 1
_ABOUT = (
    "Findings recorded by tf-apigw-lint --write-baseline. With --baseline this file, only "
    "findings not listed here are reported. Regenerate it to drop entries that were fixed."
)
_ENTRY_KEYS = ("rule_id", "path", "address", "message_hash", "message")


class BaselineError(Exception):
    """A baseline file that cannot be read or is not one; the message names the file."""


@dataclass(frozen=True, order=True)
class _Key:
    path: str
    rule_id: str
    address: str
    message_hash: str


class Baseline:
    """The findings of a baseline file, matched by rule, path, address and message hash."""

    def __init__(self, directory: str, messages: dict[_Key, str]):
        self.directory = directory
        self._messages = messages

    @classmethod
    def record(cls, findings: Iterable[Finding], directory: str) -> Baseline:
        """Today's unsuppressed findings, with paths relative to `directory` (where the file goes).
        A file that cannot be parsed or a rule that crashed (`rules.ALWAYS_ON`) is never
        recorded: a baseline must not hide what was not analysed."""
        baseline = cls(os.path.abspath(directory), {})
        for finding in findings:
            if finding.suppressed or finding.rule_id in ALWAYS_ON:
                continue
            for key in baseline._keys(finding):
                baseline._messages.setdefault(key, finding.message)
        return baseline

    @classmethod
    def load(cls, file: str) -> Baseline:
        try:
            with open(file, encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            raise BaselineError(f"--baseline {file}: no such file (create it with --write-baseline {file})") from None
        except OSError as error:
            raise BaselineError(f"--baseline {file}: {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise BaselineError(f"--baseline {file}: not a tf-apigw-lint baseline (not UTF-8 text)") from None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise BaselineError(
                f"--baseline {file}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
            ) from None
        except RecursionError:
            raise BaselineError(f"--baseline {file}: not a tf-apigw-lint baseline (nested too deeply)") from None
        return cls(os.path.dirname(os.path.abspath(file)), _entries(document, file))

    def __len__(self) -> int:
        return len(self._messages)

    def knows(self, finding: Finding) -> bool:
        """Whether every address of `finding` is recorded (a new instance of an old mistake is new).
        Never for what `record` leaves out, even when a baseline written by hand lists it."""
        if finding.rule_id in ALWAYS_ON:
            return False
        return all(key in self._messages for key in self._keys(finding))

    def split(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(findings to report, findings the baseline knows); suppressed findings are reported
        as suppressed, as without a baseline."""
        reported: list[Finding] = []
        known: list[Finding] = []
        for finding in findings:
            (known if not finding.suppressed and self.knows(finding) else reported).append(finding)
        return reported, known

    def dumps(self) -> str:
        entries = [
            {"rule_id": key.rule_id, "path": key.path, "address": key.address or None,
             "message_hash": key.message_hash, "message": message}
            for key, message in sorted(self._messages.items())
        ]
        document = {"version": BASELINE_VERSION, "tool": "tf-apigw-lint", "about": _ABOUT, "findings": entries}
        return json_for_review(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"

    def _keys(self, finding: Finding) -> list[_Key]:
        # Deployed objects have no file: their address says where they are.
        path = os.path.relpath(os.path.abspath(finding.path), self.directory).replace(os.sep, "/") if finding.path else ""
        digest = message_hash(finding.message)
        return [_Key(path, finding.rule_id, address, digest) for address in finding.every_address or ("",)]


def _entries(document: object, file: str) -> dict[_Key, str]:
    def invalid(what: str) -> BaselineError:
        return BaselineError(f"--baseline {file}: not a tf-apigw-lint baseline ({what})")

    if not isinstance(document, dict):
        raise invalid("expected a JSON object")
    if document.get("version") != BASELINE_VERSION:
        raise invalid(f"version {document.get('version')!r}, expected {BASELINE_VERSION}")
    entries = document.get("findings")
    if not isinstance(entries, list):
        raise invalid("'findings' is not a list")
    messages = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise invalid(f"findings[{index}] is not an object")
        for name in _ENTRY_KEYS:
            value = entry.get(name)
            if not (isinstance(value, str) or (name == "address" and value is None)):
                raise invalid(f"findings[{index}].{name} is missing or not a string")
        key = _Key(entry["path"], entry["rule_id"], entry["address"] or "", entry["message_hash"])
        messages[key] = entry["message"]
    return messages
