"""SARIF 2.1.0, the format GitHub code scanning and other result viewers import.

Beyond the schema, code scanning reads: `automationDetails.id` (its category: uploads of the
same category replace each other's alerts, so separate roots scanned by separate jobs need
separate categories), `invocations` (tool notifications appear on the tool status page),
`semanticVersion`, each rule's `properties.tags` and `security-severity`, `helpUri`, and
artifact URIs relative to the repository root.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import quote

from tf_apigw_lint.coverage import Coverage
from tf_apigw_lint.findings import Finding, Severity, message_hash
from tf_apigw_lint.report.rulemeta import PROJECT_URL, TOOL_NAME, RuleInfo

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
# Versioned so that a change to what the hash covers can never match old alerts by accident.
FINGERPRINT_KEY = "tfApigwLintIdentity/v2"
# GitHub ranks security alerts by `security-severity`: over 9.0 critical, 7.0-8.9 high,
# 4.0-6.9 medium, below that low. The rule's default severity picks the band, so that code
# scanning's default pull-request check (fail on high or higher) fails where this tool's
# default `--fail-on error` does.
SECURITY_SEVERITY = {Severity.ERROR: "7.5", Severity.WARNING: "5.0", Severity.NOTE: "2.0"}
# Tool findings that say what was not analysed (a file not parsed, a module not loaded, a
# rule that crashed): tool execution notifications as well as results.
NOTIFIED = frozenset({"TFL001", "TFL003", "TFL004"})
_RULE_FAMILY_TAGS = {"APIGW0": "account-role", "APIGW1": "execution-logging", "APIGW2": "access-logging", "APIGW3": "apigatewayv2"}
_MODULE_PREFIX = re.compile(r'^(?:module\.[^.\[]+(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.)+')


@dataclass(frozen=True)
class SarifSettings:
    """Where artifact URIs are relative to, and the code-scanning category of the run."""

    # Absolute directory (the repository root); None: paths are used as they are, relative
    # to the working directory.
    root: str | None = None
    category: str = TOOL_NAME


def render_sarif(
    findings: Iterable[Finding],
    rules: Mapping[str, RuleInfo],
    version: str,
    settings: SarifSettings | None = None,
    coverage: Coverage | None = None,
) -> str:
    """One run listing every rule in `rules` (which must hold each finding's rule id) and all findings."""
    settings = settings or SarifSettings()
    rule_index = {rule_id: index for index, rule_id in enumerate(rules)}
    ordered = sorted(findings, key=lambda f: f.sort_key)
    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": version,
                        "semanticVersion": version,
                        "informationUri": PROJECT_URL,
                        "rules": [_rule(rule) for rule in rules.values()],
                    }
                },
                # A category alone (`id` ending in "/"): code scanning adds the run itself.
                "automationDetails": {"id": f"{settings.category}/"},
                "invocations": [_invocation(ordered, rule_index, settings, coverage)],
                "originalUriBaseIds": {
                    # No uri: the consumer (e.g. code scanning) knows where the checkout lives.
                    SRCROOT: {"description": {"text": "The repository root (git top level, else the scanned path)."}}
                },
                "results": [_result(f, rule_index[f.rule_id], settings) for f in ordered],
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _invocation(
    findings: list[Finding], rule_index: Mapping[str, int], settings: SarifSettings, coverage: Coverage | None
) -> dict:
    """Successful unless a rule crashed; what was not analysed is a notification."""
    notified = [f for f in findings if f.rule_id in NOTIFIED and not f.suppressed]
    notifications = [
        {
            "level": f.severity.sarif_level,
            "message": {"text": plain_message(f.message)},
            "locations": [_location(f, settings)],
            "associatedRule": {"id": f.rule_id, "index": rule_index[f.rule_id]},
        }
        for f in notified
    ]
    left_out = coverage.sentence() if coverage is not None else None
    if left_out is not None:  # the directories relevance skipped: no file or rule to point at
        notifications.append({"level": "note", "message": {"text": left_out}})
    return {
        "executionSuccessful": not any(f.rule_id == "TFL004" for f in notified),
        "toolExecutionNotifications": notifications,
    }


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
        "properties": _rule_properties(rule),
    }


def _rule_properties(rule: RuleInfo) -> dict:
    """Tags for filtering in code scanning; API Gateway rules are security rules (missing or
    leaking logs), tool rules (TFL) are not and carry no security severity."""
    family = _RULE_FAMILY_TAGS.get(rule.id[:6])
    if family is None:
        return {"tags": ["terraform", "tool"]}
    return {
        "tags": ["security", "logging", "terraform", "aws-api-gateway", family],
        "security-severity": SECURITY_SEVERITY[rule.severity],
    }


def _result(finding: Finding, rule_index: int, settings: SarifSettings) -> dict:
    result: dict = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": finding.severity.sarif_level,
        "message": {"text": plain_message(finding.message)},
        "locations": [_location(finding, settings)],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(finding, settings)},
        "properties": {"certain": finding.certain},
    }
    if finding.every_root:
        # Root module directories, relative to the repository root like the URIs.
        result["properties"]["roots"] = [_root_relative(root, settings) or root for root in finding.every_root]
    if finding.suppressed:
        suppression = {"kind": "inSource"}
        if finding.suppression_reason:
            suppression["justification"] = finding.suppression_reason
        result["suppressions"] = [suppression]
    return result


def plain_message(text: str) -> str:
    """`text` as a SARIF plain-text message. Viewers turn `[text](target)` into a link
    (SARIF 2.1.0, 3.11.6), so a value from the linted files could plant one; literal brackets
    are escaped with a backslash, as is a backslash written just before a bracket."""
    return re.sub(r"(\\*)([\[\]])", lambda match: match.group(1) * 2 + "\\" + match.group(2), text)


def _location(finding: Finding, settings: SarifSettings) -> dict:
    location: dict = {}
    if finding.path is not None:  # deployed objects have only their logical location
        location["physicalLocation"] = {
            "artifactLocation": _artifact_location(finding.path, settings),
            "region": {
                "startLine": finding.line,
                "startColumn": finding.column,
                "endLine": finding.end_line,
                "endColumn": finding.end_column,
            },
        }
    if finding.every_address:
        # One finding per mistake: one logical location per module instance it applies to.
        location["logicalLocations"] = [
            {"fullyQualifiedName": address, "kind": "resource"} for address in finding.every_address
        ]
    return location


def _artifact_location(path: str, settings: SarifSettings) -> dict:
    """Relative to %SRCROOT% (the repository root); a file outside it as a file: URI."""
    relative = _root_relative(path, settings)
    if relative is None:
        return {"uri": PurePath(os.path.abspath(path)).as_uri()}
    return {"uri": quote(relative), "uriBaseId": SRCROOT}


def _root_relative(path: str, settings: SarifSettings) -> str | None:
    """`path` relative to the root, with forward slashes; None when it is outside."""
    if settings.root is None:
        pure = PurePath(path)
        return None if pure.is_absolute() else pure.as_posix()
    try:
        relative = os.path.relpath(os.path.abspath(path), settings.root)
    except ValueError:  # another drive
        return None
    return None if relative.split(os.sep)[0] == ".." else PurePath(relative).as_posix()


def _fingerprint(finding: Finding, settings: SarifSettings) -> str:
    """Same rule, file, resource and message → same alert, wherever the block moves and
    whichever roots call its module.

    The resource is the address inside its module (`aws_api_gateway_stage.this["prod"]`):
    the first full address of a merged finding changes when a new root calls the module. The
    message (numbers normalised) tells apart two findings of one rule on one resource.
    """
    path = (_root_relative(finding.path, settings) or PurePath(os.path.abspath(finding.path)).as_posix()) if finding.path else ""
    resource = _MODULE_PREFIX.sub("", finding.address or "")
    identity = "\0".join((finding.rule_id, path, resource, message_hash(finding.message)))
    return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()  # a key may hold a lone surrogate

