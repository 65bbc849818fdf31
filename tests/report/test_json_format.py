import json

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.report.json_format import render_json
from tf_apigw_lint.report.summary import summarize

# SPEC §6: a public contract. Key order is part of it, so the expectation is an ordered literal.
EXPECTED = {
    "version": 1,
    "tool": {"name": "tf-apigw-lint", "version": "1.2.3"},
    "findings": [
        {
            "rule_id": "APIGW201",
            "rule": "access-logging-missing",
            "severity": "error",
            "certain": True,
            "source": "static",
            "message": 'stage "prod" has no access_log_settings',
            "fix": "add an access_log_settings block",
            "path": "envs/prod/api.tf",
            "line": 12,
            "column": 1,
            "end_line": 30,
            "end_column": 2,
            "address": 'module.api.aws_api_gateway_stage.this["prod"]',
            "addresses": ['module.api.aws_api_gateway_stage.this["prod"]'],
            "roots": [],
            "suppressed": False,
            "suppression_reason": None,
        },
        {
            "rule_id": "APIGW104",
            "rule": "data-trace-enabled",
            "severity": "warning",
            "certain": False,
            "source": "live",
            "message": "data trace is on",
            "fix": "set data_trace_enabled = false",
            "path": "envs/prod/api.tf",
            "line": 41,
            "column": 3,
            "end_line": 41,
            "end_column": 28,
            "address": "aws_api_gateway_method_settings.all",
            "addresses": ["aws_api_gateway_method_settings.all"],
            "roots": [],
            "suppressed": True,
            "suppression_reason": "dev account only",
        },
        {
            "rule_id": "TFL001",
            "rule": "parse-error",
            "severity": "error",
            "certain": True,
            "source": "static",
            "message": "expected '}'",
            "fix": "",
            "path": "modules/api/broken.tf",
            "line": 7,
            "column": 5,
            "end_line": 7,
            "end_column": 6,
            "address": None,
            "addresses": [],
            "roots": [],
            "suppressed": False,
            "suppression_reason": None,
        },
    ],
    "summary": {"files": 12, "modules": 3, "error": 2, "warning": 0, "note": 0, "suppressed": 1},
}


def test_report_is_the_documented_object(make_finding):
    findings = [
        make_finding(
            rule_id="TFL001",
            rule="parse-error",
            message="expected '}'",
            fix="",
            path="modules/api/broken.tf",
            line=7,
            column=5,
            end_line=7,
            end_column=6,
            address=None,
        ),
        make_finding(
            rule_id="APIGW104",
            rule="data-trace-enabled",
            severity=Severity.WARNING,
            certain=False,
            source="live",
            message="data trace is on",
            fix="set data_trace_enabled = false",
            line=41,
            column=3,
            end_line=41,
            end_column=28,
            address="aws_api_gateway_method_settings.all",
            suppressed=True,
            suppression_reason="dev account only",
        ),
        make_finding(),
    ]

    report = render_json(findings, summarize(findings, files=12, modules=3), version="1.2.3")

    assert json.loads(report) == EXPECTED
    assert report == json.dumps(EXPECTED, indent=2) + "\n"


def test_no_findings():
    report = render_json([], summarize([], files=0, modules=0), version="1.2.3")

    assert json.loads(report) == {
        "version": 1,
        "tool": {"name": "tf-apigw-lint", "version": "1.2.3"},
        "findings": [],
        "summary": {"files": 0, "modules": 0, "error": 0, "warning": 0, "note": 0, "suppressed": 0},
    }


def test_baselined_count_only_with_a_baseline():
    """Sections a run adds when it has them come after the six counts of version 1."""
    summary = summarize([], files=2, modules=1, baselined=5)
    report = json.loads(render_json([], summary, version="1.2.3"))
    assert list(report["summary"].items()) == [
        ("files", 2), ("modules", 1), ("error", 0), ("warning", 0), ("note", 0), ("suppressed", 0), ("baselined", 5),
    ]
