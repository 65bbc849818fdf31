import xml.etree.ElementTree as ET

import pytest

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.report.junit import render_junit

HELP = "https://example.com/your-org/tf-apigw-lint/blob/main/docs/rules.md#"


def suite_of(findings, rules):
    report = render_junit(findings, rules)
    assert report.startswith("<?xml") and report.endswith("</testsuite>\n")
    return ET.fromstring(report)


def counts(suite):
    return {key: suite.get(key) for key in ("name", "tests", "failures", "errors", "skipped")}


@pytest.fixture
def findings(make_finding):
    trace = dict(rule_id="APIGW104", rule="data-trace-enabled", address="aws_api_gateway_method_settings.all")
    return [
        make_finding(),
        # The same resource in another root module: a test case of its own.
        make_finding(path="envs/dev/api.tf"),
        # Two findings for one rule and resource share one test case and one failure.
        make_finding(**trace, severity=Severity.NOTE, line=41, column=3, message="trace on for GET", certain=False,
                     fix="set data_trace_enabled = false"),
        make_finding(**trace, severity=Severity.WARNING, line=44, column=3, message="trace on for */*",
                     fix="set data_trace_enabled = false"),
        make_finding(**trace, severity=Severity.NOTE, line=47, column=3, message="trace on for POST",
                     fix="remove the POST override"),
        make_finding(
            rule_id="APIGW105",
            rule="detailed-metrics-disabled",
            severity=Severity.NOTE,
            suppressed=True,
            suppression_reason="metrics cost money",
        ),
        make_finding(rule_id="TFL001", rule="parse-error", path="broken.tf", line=7, column=5, address=None, fix=""),
    ]


def test_one_test_case_per_rule_and_resource(findings, rules):
    suite = suite_of(findings, rules)

    assert counts(suite) == {"name": "tf-apigw-lint", "tests": "5", "failures": "4", "errors": "0", "skipped": "1"}
    assert [(case.get("classname"), case.get("name"), case.get("file")) for case in suite] == [
        ("TFL001 parse-error", "broken.tf:7", "broken.tf"),
        ("APIGW201 access-logging-missing", 'module.api.aws_api_gateway_stage.this["prod"]', "envs/dev/api.tf"),
        ("APIGW105 detailed-metrics-disabled", 'module.api.aws_api_gateway_stage.this["prod"]', "envs/prod/api.tf"),
        ("APIGW201 access-logging-missing", 'module.api.aws_api_gateway_stage.this["prod"]', "envs/prod/api.tf"),
        ("APIGW104 data-trace-enabled", "aws_api_gateway_method_settings.all", "envs/prod/api.tf"),
    ]


def test_failure_holds_every_finding_of_its_case(findings, rules):
    trace_case = suite_of(findings, rules)[4]

    [failure] = trace_case
    assert failure.tag == "failure"
    assert failure.get("type") == "warning"  # the worst of its findings
    assert failure.get("message") == "Data trace logs full payloads"
    assert failure.text == (
        "envs/prod/api.tf:41:3: note trace on for GET [uncertain]\n"
        "envs/prod/api.tf:44:3: warning trace on for */*\n"
        "envs/prod/api.tf:47:3: note trace on for POST\n"
        "fix: set data_trace_enabled = false\n"
        "fix: remove the POST override\n"
        f"help: {HELP}apigw104"
    )


def test_finding_without_fix_hint(findings, rules):
    [failure] = suite_of(findings, rules)[0]

    assert failure.get("type") == "error"
    assert failure.text == f'broken.tf:7:5: error stage "prod" has no access_log_settings\nhelp: {HELP}tfl001'


def test_suppressed_case_is_skipped(findings, rules):
    [skipped] = suite_of(findings, rules)[2]

    assert skipped.tag == "skipped"
    assert skipped.get("message") == "metrics cost money"


def test_case_with_suppressed_and_unsuppressed_findings_fails_on_the_unsuppressed(make_finding, rules):
    findings = [make_finding(), make_finding(line=13, suppressed=True, message="ignored")]
    suite = suite_of(findings, rules)

    assert counts(suite) == {"name": "tf-apigw-lint", "tests": "1", "failures": "1", "errors": "0", "skipped": "0"}
    [failure] = suite[0]
    assert failure.text.splitlines()[0] == 'envs/prod/api.tf:12:1: error stage "prod" has no access_log_settings'
    assert "ignored" not in failure.text


def test_no_findings_is_one_passing_test_case(rules):
    suite = suite_of([], rules)

    assert counts(suite) == {"name": "tf-apigw-lint", "tests": "1", "failures": "0", "errors": "0", "skipped": "0"}
    [case] = suite
    assert (case.get("classname"), case.get("name"), list(case)) == ("tf-apigw-lint", "tf-apigw-lint", [])


def test_one_finding_for_several_resources_fails_the_case_of_each(make_finding, rules):
    merged = make_finding(
        path="modules/api/main.tf",
        address="module.a.aws_api_gateway_stage.this",
        addresses=("module.a.aws_api_gateway_stage.this", "module.b.aws_api_gateway_stage.this"),
        roots=("envs/dev", "envs/prod"),
    )
    suite = suite_of([merged], rules)

    assert counts(suite) == {"name": "tf-apigw-lint", "tests": "2", "failures": "2", "errors": "0", "skipped": "0"}
    assert [(case.get("name"), case.get("file")) for case in suite] == [
        ("module.a.aws_api_gateway_stage.this", "modules/api/main.tf"),
        ("module.b.aws_api_gateway_stage.this", "modules/api/main.tf"),
    ]
    for case in suite:
        [failure] = case
        assert failure.text.splitlines()[:2] == [
            'modules/api/main.tf:12:1: error stage "prod" has no access_log_settings',
            "roots: envs/dev, envs/prod",
        ]
