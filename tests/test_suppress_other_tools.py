"""Other tools' skip comments (SPEC §7): which ids count, where each tool's comment applies,
the reason recorded, `honour_other_tools = false`, and the README table kept in step with
the mapping in code."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from tf_apigw_lint.cli import main
from tf_apigw_lint.rules import RULES, resolve
from tf_apigw_lint.rules.engine import RuleSettings
from tf_apigw_lint.runner import CheckOptions, run_check
from tf_apigw_lint.suppress_other_tools import EQUIVALENTS, Reach, Skip, TABLE_END, TABLE_START, equivalents_table, skips_in

ROOT = Path(__file__).resolve().parent.parent
TODAY = datetime.date(2026, 6, 1)
ACCESS_LOGGING = frozenset({"APIGW201", "APIGW301"})


@pytest.mark.parametrize("text, expected", [
    ("checkov:skip=CKV_AWS_76:logs shipped by Firehose",
     [Skip(ACCESS_LOGGING, "checkov CKV_AWS_76: logs shipped by Firehose", Reach.INSIDE_BLOCK)]),
    ("checkov:skip=CKV_AWS_276", [Skip(frozenset({"APIGW104"}), "checkov CKV_AWS_276", Reach.INSIDE_BLOCK)]),
    ("bridgecrew:skip=CKV2_AWS_4,CKV_AWS_66: handled elsewhere", [
        Skip(frozenset({"APIGW101", "APIGW105"}), "checkov CKV2_AWS_4: handled elsewhere", Reach.INSIDE_BLOCK),
        Skip(frozenset({"APIGW205"}), "checkov CKV_AWS_66: handled elsewhere", Reach.INSIDE_BLOCK),
    ]),
    ("trivy:ignore:AVD-AWS-0001", [Skip(ACCESS_LOGGING, "trivy AVD-AWS-0001", Reach.BLOCK_OR_NEXT_LINE)]),
    ("trivy:ignore:aws-apigateway-enable-access-logging",
     [Skip(ACCESS_LOGGING, "trivy aws-apigateway-enable-access-logging", Reach.BLOCK_OR_NEXT_LINE)]),
    ("tfsec:ignore:aws-api-gateway-enable-access-logging",
     [Skip(ACCESS_LOGGING, "tfsec aws-api-gateway-enable-access-logging", Reach.BLOCK_OR_NEXT_LINE)]),
    ("tfsec:ignore:AWS061", [Skip(ACCESS_LOGGING, "tfsec AWS061", Reach.BLOCK_OR_NEXT_LINE)]),
    ("trivy:ignore:avd-aws-0001:exp:2026-06-01", [Skip(ACCESS_LOGGING, "trivy avd-aws-0001", Reach.BLOCK_OR_NEXT_LINE)]),
    ("trivy:ignore:AVD-AWS-0003 trivy:ignore:AVD-AWS-0001",
     [Skip(ACCESS_LOGGING, "trivy AVD-AWS-0001", Reach.BLOCK_OR_NEXT_LINE)]),
    ("tflint-ignore: aws_cloudwatch_log_group_retention, terraform_unused_declarations # kept for audits",
     [Skip(frozenset({"APIGW205"}), "tflint aws_cloudwatch_log_group_retention: kept for audits", Reach.NEXT_LINE)]),
    ("tflint-ignore:aws_cloudwatch_log_group_retention",
     [Skip(frozenset({"APIGW205"}), "tflint aws_cloudwatch_log_group_retention", Reach.NEXT_LINE)]),
    # not ours: other checks, expired or narrowed ignores, "everything" wildcards
    ("checkov:skip=CKV_AWS_73:no X-Ray", []),
    ("trivy:ignore:AVD-AWS-0001:exp:2026-05-31", []),
    ("trivy:ignore:AVD-AWS-0001:exp:someday", []),
    ("trivy:ignore:AVD-AWS-0001[name=prod]", []),
    ("trivy:ignore:AVD-AWS-0001:ws:staging", []),
    ("trivy:ignore:*", []),
    ("tflint-ignore: all", []),
    ("tflint-ignore-file: aws_cloudwatch_log_group_retention", []),
    ("mytrivy:ignore:AVD-AWS-0001", []),
    ("see checkov docs", []),
])
def test_skip_comment_grammar(text, expected):
    assert skips_in(text, TODAY) == expected


OTHER_TOOLS = """\
resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/apigw-logs"
}

# tflint-ignore: aws_cloudwatch_log_group_retention # kept forever for audits
resource "aws_cloudwatch_log_group" "access" {
  name = "/aws/apigateway/pets"
}

resource "aws_api_gateway_stage" "checkov" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "checkov"
  #checkov:skip=CKV_AWS_76:logs shipped by Firehose
  #checkov:skip=CKV2_AWS_4
}

#trivy:ignore:AVD-AWS-0001
#trivy:ignore:AVD-AWS-0003:exp:2999-01-01
resource "aws_api_gateway_stage" "trivy" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "trivy"
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "$context.requestId"
  }
}

resource "aws_apigatewayv2_stage" "ws" { #tfsec:ignore:aws-api-gateway-enable-access-logging
  api_id = "x"
  name   = "prod"
}

resource "aws_api_gateway_method_settings" "dev" {
  rest_api_id = "a1b2c3"
  stage_name  = aws_api_gateway_stage.trivy.stage_name
  method_path = "*/*"
  settings {
    logging_level      = "INFO"
    metrics_enabled    = true
    data_trace_enabled = true # checkov:skip=CKV_AWS_276:dev only
  }
  depends_on = [aws_api_gateway_account.this]
}
"""

RULES_UNDER_TEST = ("APIGW101", "APIGW104", "APIGW105", "APIGW201", "APIGW205", "APIGW301", "TFL002")


def outcome(result):
    return [(f.rule_id, f.address, f.line, f.end_line, f.suppressed, f.suppression_reason)
            for f in result.findings if f.rule_id in RULES_UNDER_TEST]


@pytest.fixture
def check(tf_tree):
    def run(files, honour_other_tools=True):
        tf_tree(files)
        rules = {rule.ID: RuleSettings(enabled=rule.ID in RULES_UNDER_TEST) for rule in RULES}
        return run_check(["."], CheckOptions(rules=rules, honour_other_tools=honour_other_tools))

    return run


def test_each_tool_in_its_own_placement(check):
    assert outcome(check({"main.tf": OTHER_TOOLS})) == [
        ("APIGW205", "aws_cloudwatch_log_group.access", 6, 8, True, "tflint aws_cloudwatch_log_group_retention: kept forever for audits"),
        ("APIGW101", "aws_api_gateway_stage.checkov", 10, 16, True, "checkov CKV2_AWS_4"),
        ("APIGW105", "aws_api_gateway_stage.checkov", 10, 16, True, "checkov CKV2_AWS_4"),
        ("APIGW201", "aws_api_gateway_stage.checkov", 10, 16, True, "checkov CKV_AWS_76: logs shipped by Firehose"),
        # the stage's missing execution-log group is not the log group tflint was told about
        ("APIGW205", "aws_api_gateway_stage.trivy", 20, 28, False, None),
        ("APIGW301", "aws_apigatewayv2_stage.ws", 30, 33, True, "tfsec aws-api-gateway-enable-access-logging"),
        ("APIGW104", "aws_api_gateway_method_settings.dev", 42, 42, True, "checkov CKV_AWS_276: dev only"),
    ]


def test_honour_other_tools_false_turns_them_off(check):
    assert [(rule, address, suppressed) for rule, address, _, _, suppressed, _ in outcome(check({"main.tf": OTHER_TOOLS}, False))] == [
        ("APIGW205", "aws_cloudwatch_log_group.access", False),
        ("APIGW101", "aws_api_gateway_stage.checkov", False),
        ("APIGW105", "aws_api_gateway_stage.checkov", False),
        ("APIGW201", "aws_api_gateway_stage.checkov", False),
        ("APIGW205", "aws_api_gateway_stage.trivy", False),
        ("APIGW301", "aws_apigatewayv2_stage.ws", False),
        ("APIGW104", "aws_api_gateway_method_settings.dev", False),
    ]


STAGE = 'resource "aws_api_gateway_stage" "prod" {\n  rest_api_id   = "a1b2c3"\n  deployment_id = "d1"\n  stage_name    = "prod"\n}\n'


@pytest.mark.parametrize("file, expected", [
    # Checkov reads skips inside the block only, not above it
    ("#checkov:skip=CKV_AWS_76:above\n" + STAGE, (2, False, None)),
    # Trivy and tflint apply to the line below: tflint only to findings starting there
    ("# tflint-ignore: aws_cloudwatch_log_group_retention\n" + STAGE, (2, False, None)),
    ("#trivy:ignore:AVD-AWS-0001\n\n" + STAGE, (3, False, None)),
    # our own comment gives the reason when another tool's covers the finding too
    ("# tf-apigw-lint:ignore APIGW201 -- ours\n#trivy:ignore:AVD-AWS-0001\n" + STAGE, (3, True, "ours")),
    ("#trivy:ignore:AVD-AWS-0001\n" + STAGE.replace("{\n", "{\n  # tf-apigw-lint:ignore APIGW201\n", 1),
     (2, True, "trivy AVD-AWS-0001")),
    # ids of other tools that are not ours: silent, no TFL002
    ("#trivy:ignore:AVD-AWS-0190\n" + STAGE.replace("{\n", "{ #checkov:skip=CKV_AWS_120\n", 1), (2, False, None)),
])
def test_placement_and_precedence(check, file, expected):
    (finding,) = [f for f in check({"main.tf": file}).findings if f.rule_id in ("APIGW201", "TFL002")]
    assert (finding.rule_id, finding.line, finding.suppressed, finding.suppression_reason) == ("APIGW201", *expected)


TERRAFORM_JSON = """\
{
  "resource": {
    "aws_api_gateway_stage": {
      "prod": {
        "//": "checkov:skip=CKV_AWS_76:json skip",
        "rest_api_id": "a1b2c3",
        "deployment_id": "d1",
        "stage_name": "prod"
      },
      "dev": {
        "//": "tf-apigw-lint:ignore APIGW201 -- first member",
        "rest_api_id": "a1b2c3",
        "deployment_id": "d1",
        "stage_name": "dev"
      }
    }
  }
}
"""


def test_comment_properties_of_terraform_json(check):
    # In JSON syntax a comment is a "//" property: as the block's first member it leads it.
    assert [(f.address, f.line, f.end_line, f.suppressed, f.suppression_reason)
            for f in check({"main.tf.json": TERRAFORM_JSON}).findings if f.rule_id == "APIGW201"] == [
        ("aws_api_gateway_stage.prod", 4, 9, True, "checkov CKV_AWS_76: json skip"),
        ("aws_api_gateway_stage.dev", 10, 15, True, "first member"),
    ]


def test_end_to_end_json_and_the_configuration_key(tf_tree, capsys):
    tf_tree({"main.tf": OTHER_TOOLS})
    assert main([".", "--format", "json", "--select", "APIGW201,APIGW301"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule_id"], f["line"], f["suppressed"], f["suppression_reason"]) for f in findings] == [
        ("APIGW201", 10, True, "checkov CKV_AWS_76: logs shipped by Firehose"),
        ("APIGW301", 30, True, "tfsec aws-api-gateway-enable-access-logging"),
    ]
    tf_tree({".tf-apigw-lint.toml": "honour_other_tools = false\n"})
    assert main([".", "--format", "json", "--select", "APIGW201,APIGW301"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule_id"], f["line"], f["suppressed"]) for f in findings] == [("APIGW201", 10, False), ("APIGW301", 30, False)]


def test_the_mapping_names_our_rules_and_the_readme_prints_it():
    for equivalent in EQUIVALENTS:
        assert all(resolve(rule_id) is not None and resolve(rule_id).ID == rule_id for rule_id in equivalent.rule_ids)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    printed = readme[readme.index(TABLE_START) + len(TABLE_START):readme.index(TABLE_END)]
    assert printed == equivalents_table(), "README is stale: run python -m tf_apigw_lint.suppress_other_tools"
