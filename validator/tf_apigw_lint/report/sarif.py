"""SARIF 2.1.0, the format GitHub code scanning and other result viewers import."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from urllib.parse import quote

from tf_apigw_lint.findings import Finding
from tf_apigw_lint.report.rulemeta import PROJECT_URL, TOOL_NAME, RuleInfo

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
# Versioned so that a change to what the hash covers can never match old alerts by accident.
FINGERPRINT_KEY = "tfApigwLintIdentity/v1"


def render_sarif(findings: Iterable[Finding], rules: Mapping[str, RuleInfo], version: str) -> str:
    """One run listing every rule in `rules` (which must hold each finding's rule id) and all findings."""
    rule_index = {rule_id: index for index, rule_id in enumerate(rules)}
    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": version,
                        "informationUri": PROJECT_URL,
                        "rules": [_rule(rule) for rule in rules.values()],
                    }
                },
                "originalUriBaseIds": {
                    # No uri: the consumer (e.g. code scanning) knows where the checkout lives.
                    SRCROOT: {"description": {"text": "The directory tf-apigw-lint was run from."}}
                },
                "results": [
                    _result(f, rule_index[f.rule_id]) for f in sorted(findings, key=lambda f: f.sort_key)
                ],
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _rule(rule: RuleInfo) -> dict:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        # The title, not the documentation: code scanning shows this above every alert and
        # bounds its length; the documentation goes in `help`.
        "fullDescription": {"text": rule.title},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": rule.severity.sarif_level},
    }


def _result(finding: Finding, rule_index: int) -> dict:
    result: dict = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": finding.severity.sarif_level,
        "message": {"text": finding.message},
        "locations": [_location(finding)],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(finding)},
        "properties": {"certain": finding.certain},
    }
    if finding.suppressed:
        suppression = {"kind": "inSource"}
        if finding.suppression_reason:
            suppression["justification"] = finding.suppression_reason
        result["suppressions"] = [suppression]
    return result


def _location(finding: Finding) -> dict:
    location: dict = {}
    if finding.path is None:  # a deployed object: only its logical location
        location["logicalLocations"] = [{"fullyQualifiedName": finding.address, "kind": "resource"}]
        return location
    location = {
        "physicalLocation": {
            "artifactLocation": _artifact_location(finding.path),
            "region": {
                "startLine": finding.line,
                "startColumn": finding.column,
                "endLine": finding.end_line,
                "endColumn": finding.end_column,
            },
        }
    }
    if finding.address:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.address, "kind": "resource"}]
    return location


def _artifact_location(path: str) -> dict:
    """Relative paths against %SRCROOT%; a path outside the working directory as a file: URI."""
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    return {"uri": quote(pure.as_posix()), "uriBaseId": SRCROOT}


def _fingerprint(finding: Finding) -> str:
    """Same rule, file and resource → same alert, wherever the block moves within the file.

    A finding without an address (a parse error, a bad suppression comment) is told apart by
    its message instead.
    """
    identity = "\0".join((finding.rule_id, PurePath(finding.path or "").as_posix(), finding.address or finding.message))
    return hashlib.sha256(identity.encode()).hexdigest()

