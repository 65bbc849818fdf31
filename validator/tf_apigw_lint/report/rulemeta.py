"""What the formatters need to know about a rule, and where its documentation lives."""

from __future__ import annotations

from dataclasses import dataclass

from tf_apigw_lint.findings import Severity

TOOL_NAME = "tf-apigw-lint"
PROJECT_URL = "https://example.com/your-org/tf-apigw-lint"  # a placeholder until the project has a home
DOCS_URL = f"{PROJECT_URL}/blob/main/docs/rules.md"


def help_uri_for(rule_id: str) -> str:
    return f"{DOCS_URL}#{rule_id.lower()}"


@dataclass(frozen=True)
class RuleInfo:
    id: str
    name: str
    severity: Severity
    title: str
    fix: str
    doc: str
    help_uri: str
