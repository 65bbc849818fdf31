"""One finding per mistake (issue 11): findings equal in rule, range and message are reported
once, listing every address and root; the summary counts mistakes."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tf_apigw_lint.cli import main
from tf_apigw_lint.findings import Finding, Severity, merge_equal

STAGE_MODULE = """\
variable "name" {
  type = string
}

resource "aws_api_gateway_stage" "this" {
  rest_api_id   = "a"
  deployment_id = "d"
  stage_name    = var.name
}
"""


def call(label: str, name: str) -> str:
    return f'module "{label}" {{\n  source = "../../modules/api"\n  name   = "{name}"\n}}\n'


SHARED_MODULE = {
    "modules/api/main.tf": STAGE_MODULE,
    "envs/prod/main.tf": call("api", "prod"),
    "envs/dev/main.tf": call("api", "dev") + call("api2", "dev"),
}


def merged(result, rule_id):
    return [
        (f.rule_id, f.path, f.line, f.end_line, f.addresses, f.roots, f.message)
        for f in result.findings
        if f.rule_id == rule_id
    ]


def test_a_module_shared_by_two_roots_is_one_finding_per_mistake(lint):
    result = lint(SHARED_MODULE)

    stages = ("module.api.aws_api_gateway_stage.this", "module.api2.aws_api_gateway_stage.this")
    assert merged(result, "APIGW201") == [
        ("APIGW201", "modules/api/main.tf", 5, 9, stages, ("envs/dev", "envs/prod"),
         "stage has no access_log_settings: client errors such as 403 Missing Authentication Token are logged nowhere"),
    ]
    # The message names the stage: two mistakes, each listing only where it was found.
    assert [(f.addresses, f.roots, f.message.split(" is ")[0]) for f in result.findings if f.rule_id == "APIGW101"] == [
        (stages, ("envs/dev",), 'execution logging of stage "dev"'),
        (stages[:1], ("envs/prod",), 'execution logging of stage "prod"'),
    ]
    assert result.findings[0].address == stages[0]
    # 2 × APIGW101 + APIGW201 are errors, APIGW105 the one note: counts count mistakes.
    assert (result.summary.error, result.summary.note) == (3, 1)


def test_instances_of_one_resource_are_one_finding(lint):
    files = {"main.tf": STAGE_MODULE.replace('variable "name" {\n  type = string\n}\n\n', "").replace(
        'stage_name    = var.name', 'count         = 3\n  stage_name    = "s"')}
    result = lint(files, disabled=("APIGW101", "APIGW105"))

    assert merged(result, "APIGW201") == [
        ("APIGW201", "main.tf", 1, 6,
         ("aws_api_gateway_stage.this[0]", "aws_api_gateway_stage.this[1]", "aws_api_gateway_stage.this[2]"),
         (".",), result.findings[0].message),
    ]
    assert result.summary.error == 1


@pytest.mark.parametrize("fmt, expected", [
    ("json", None),
    ("sarif", None),
    ("text", [
        "modules/api/main.tf:5:1: error APIGW201 access-logging-missing stage has no access_log_settings: "
        "client errors such as 403 Missing Authentication Token are logged nowhere",
        "  resource: module.api.aws_api_gateway_stage.this",
        "  resource: module.api2.aws_api_gateway_stage.this",
        "  roots: envs/dev, envs/prod",
        "  fix: Add an access_log_settings block with destination_arn and format.",
        "  help: https://example.com/your-org/tf-apigw-lint/blob/main/docs/rules.md#apigw201"
        " (tf-apigw-lint explain APIGW201)",
        "",
        "1 error in 3 files, 3 modules",
    ]),
])
def test_every_format_lists_the_addresses_of_one_mistake(tf_tree, capsys, fmt, expected):
    tf_tree(SHARED_MODULE)
    assert main([".", "--select", "APIGW201", "--format", fmt, "--color", "never"]) == 1
    out = capsys.readouterr().out
    stages = ["module.api.aws_api_gateway_stage.this", "module.api2.aws_api_gateway_stage.this"]
    if fmt == "text":
        assert out.splitlines() == expected
    elif fmt == "json":
        report = json.loads(out)
        [finding] = report["findings"]
        assert (finding["rule_id"], finding["path"], finding["line"], finding["end_line"]) == (
            "APIGW201", "modules/api/main.tf", 5, 9)
        assert (finding["address"], finding["addresses"], finding["roots"]) == (stages[0], stages, ["envs/dev", "envs/prod"])
        assert report["summary"]["error"] == 1
    else:
        [result] = json.loads(out)["runs"][0]["results"]
        assert result["ruleId"] == "APIGW201"
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
        assert result["locations"][0]["logicalLocations"] == [
            {"fullyQualifiedName": address, "kind": "resource"} for address in stages
        ]
        assert result["properties"]["roots"] == ["envs/dev", "envs/prod"]


def test_suppressed_and_unsuppressed_findings_stay_apart(lint):
    module = STAGE_MODULE.replace("resource", "# tf-apigw-lint:ignore APIGW201 -- shipped by Firehose\nresource")
    result = lint({**SHARED_MODULE, "modules/api/main.tf": module}, disabled=("APIGW101", "APIGW105"))

    assert [(f.rule_id, f.line, f.addresses, f.suppressed) for f in result.findings] == [
        ("APIGW201", 6, ("module.api.aws_api_gateway_stage.this", "module.api2.aws_api_gateway_stage.this"), True),
    ]
    assert (result.summary.error, result.summary.suppressed) == (0, 1)


@pytest.fixture
def make_stage_finding():
    base = Finding("APIGW201", "access-logging-missing", Severity.ERROR, True, "no access logs", "",
                   "modules/api/main.tf", 12, 1, 30, 2)
    return lambda **changes: replace(base, **changes)


@pytest.mark.parametrize("changes, merges", [
    ({}, True),
    ({"address": "b", "root": "envs/dev"}, True),
    ({"message": "other"}, False),
    ({"line": 13}, False),
    ({"end_column": 3}, False),
    ({"rule_id": "APIGW301"}, False),
    ({"path": "other.tf"}, False),
    ({"suppressed": True}, False),
])
def test_what_makes_findings_equal(make_stage_finding, changes, merges):
    first = make_stage_finding(address="a", root="envs/prod")
    other = make_stage_finding(**{"address": "a", "root": "envs/prod", **changes})

    assert len(merge_equal([first, other])) == (1 if merges else 2)


def test_merged_finding_is_as_severe_and_certain_as_its_worst(make_stage_finding):
    findings = [
        make_stage_finding(address="b", root="envs/dev", severity=Severity.NOTE, certain=False),
        make_stage_finding(address="a", root="envs/prod", severity=Severity.ERROR, certain=True),
        make_stage_finding(address="a", root="envs/qa", severity=Severity.NOTE, certain=False),
    ]

    [finding] = merge_equal(findings)
    assert (finding.severity, finding.certain) == (Severity.ERROR, True)
    assert (finding.address, finding.addresses, finding.roots) == ("a", ("a", "b"), ("envs/dev", "envs/prod", "envs/qa"))
