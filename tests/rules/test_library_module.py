"""Library modules: a directory analysed as a root without a caller and without a
`provider`, `backend` or `cloud` block. The account-wide findings (APIGW001-APIGW005) are
uncertain there, since the caller's account decides them; every other rule is unchanged.
Each case pins (rule id, address, path, first line, last line, certain, severity)."""

from __future__ import annotations

import pytest
from lint_helpers import per_address

LIBRARY = (
    "; this is a library module (no provider, backend or cloud block and no caller here): "
    "the account of the configuration that calls it decides"
)

API = """\
resource "aws_api_gateway_rest_api" "this" {
  name = "pets"
}

resource "aws_api_gateway_stage" "this" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  deployment_id = "d1"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
}
"""

PROVIDER = 'provider "aws" {\n  region = "eu-west-1"\n}\n'


def found(result, *rule_ids):
    return sorted(
        (f.rule_id, address, f.path, f.line, f.end_line, f.certain, f.severity.value)
        for f, address in per_address(result.findings)
        if f.rule_id in rule_ids
    )


def role_missing(certain: bool, address="aws_api_gateway_method_settings.all", path="main.tf"):
    return ("APIGW001", address, path, 16, 16, certain, "error" if certain else "note")


# APIGW201 (no access logs) does not depend on the account: certain in a library module too.
NO_ACCESS_LOGS = ("APIGW201", "aws_api_gateway_stage.this", "main.tf", 5, 9, True, "error")

SETTINGS_CASES = {
    "no provider, backend or cloud block: a library module": (
        {"main.tf": API},
        [role_missing(False), NO_ACCESS_LOGS],
    ),
    "required_providers alone is still a library module": (
        {"main.tf": API, "versions.tf": 'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}\n'},
        [role_missing(False), NO_ACCESS_LOGS],
    ),
    "a provider block": (
        {"main.tf": API, "provider.tf": PROVIDER},
        [role_missing(True), NO_ACCESS_LOGS],
    ),
    "a backend block alone": (
        {"main.tf": API, "backend.tf": 'terraform {\n  backend "s3" {}\n}\n'},
        [role_missing(True), NO_ACCESS_LOGS],
    ),
    "a cloud block alone": (
        {"main.tf": API, "backend.tf": 'terraform {\n  cloud {\n    organization = "acme"\n  }\n}\n'},
        [role_missing(True), NO_ACCESS_LOGS],
    ),
    "a backend block in Terraform JSON": (
        {"main.tf": API, "backend.tf.json": '{"terraform": {"backend": {"s3": {}}}}\n'},
        [role_missing(True), NO_ACCESS_LOGS],
    ),
    "a backend block in an override file": (
        {"main.tf": API, "backend_override.tf": 'terraform {\n  backend "s3" {}\n}\n'},
        [role_missing(True), NO_ACCESS_LOGS],
    ),
}


@pytest.mark.parametrize("files, expected", SETTINGS_CASES.values(), ids=SETTINGS_CASES.keys())
def test_what_makes_a_library_module(lint, files, expected):
    assert found(lint(files), "APIGW001", "APIGW201") == expected


def test_library_module_message_says_the_caller_decides(lint):
    [finding] = [f for f in lint({"main.tf": API}).findings if f.rule_id == "APIGW001"]
    assert finding.message == (
        "execution logging is on but provider configuration aws has no aws_api_gateway_account with a "
        "cloudwatch_role_arn: API Gateway cannot write the logs" + LIBRARY
    )


def test_strict_keeps_the_severity_of_library_findings(lint):
    result = lint({"main.tf": API}, strict=True)
    assert found(result, "APIGW001") == [("APIGW001", "aws_api_gateway_method_settings.all", "main.tf", 16, 16, False, "error")]


MODULE_ADDRESS = "module.api.aws_api_gateway_method_settings.all"
CALLER = 'module "api" {\n  source = "../../modules/api"\n}\n'

CALLER_CASES = {
    "module and example scanned together: analysed through the example": (
        {"modules/api/main.tf": API, "examples/basic/main.tf": PROVIDER + CALLER},
        ["."],
        [role_missing(True, MODULE_ADDRESS, "modules/api/main.tf")],
    ),
    "the example alone loads the module it calls": (
        {"modules/api/main.tf": API, "examples/basic/main.tf": PROVIDER + CALLER},
        ["examples/basic"],
        [role_missing(True, MODULE_ADDRESS, "modules/api/main.tf")],
    ),
    "a caller without a provider block is the library module": (
        {"modules/api/main.tf": API, "examples/basic/main.tf": CALLER},
        ["."],
        [role_missing(False, MODULE_ADDRESS, "modules/api/main.tf")],
    ),
}


@pytest.mark.parametrize("files, paths, expected", CALLER_CASES.values(), ids=CALLER_CASES.keys())
def test_a_called_module_is_analysed_through_its_caller(lint, files, paths, expected):
    assert found(lint(files, paths), "APIGW001") == expected


ROLE = """\
resource "aws_iam_role" "logs" {
  name               = "apigw-logs"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "%s" } }] })
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.logs.arn
}
"""
PUSH = """\
resource "aws_iam_role_policy_attachment" "push" {
  role       = aws_iam_role.logs.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}
"""
ACCOUNT = 'resource "aws_api_gateway_account" "%s" {\n  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/logs"\n}\n'

ACCOUNT_RULE_CASES = {
    "APIGW002 role not trusting API Gateway": (
        {"account.tf": ROLE % "lambda.amazonaws.com", "push.tf": PUSH},
        ("APIGW002", "aws_iam_role.logs", "account.tf", 3, 3, "error"),
    ),
    "APIGW003 role without permissions": (
        {"account.tf": ROLE % "apigateway.amazonaws.com"},
        ("APIGW003", "aws_iam_role.logs", "account.tf", 1, 4, "error"),
    ),
    "APIGW004 logging on without a dependency on the account": (
        {"main.tf": API, "account.tf": ACCOUNT % "this"},
        ("APIGW004", "aws_api_gateway_method_settings.all", "main.tf", 16, 16, "warning"),
    ),
    "APIGW005 two accounts": (
        {"account.tf": ACCOUNT % "a" + ACCOUNT % "b"},
        ("APIGW005", "aws_api_gateway_account.b", "account.tf", 4, 6, "error"),
    ),
}


@pytest.mark.parametrize("files, hit", ACCOUNT_RULE_CASES.values(), ids=ACCOUNT_RULE_CASES.keys())
def test_every_account_wide_rule_is_uncertain_in_a_library_module(lint, files, hit):
    rule_id = hit[0]
    library = lint(files)
    assert found(library, rule_id) == [(*hit[:-1], False, "note")]
    assert all(f.message.endswith(LIBRARY) for f in library.findings if f.rule_id == rule_id)


@pytest.mark.parametrize("files, hit", ACCOUNT_RULE_CASES.values(), ids=ACCOUNT_RULE_CASES.keys())
def test_every_account_wide_rule_is_certain_in_a_root(lint, files, hit):
    rule_id, severity = hit[0], hit[-1]
    root = lint({**files, "provider.tf": PROVIDER})
    assert found(root, rule_id) == [(*hit[:-1], True, severity)]
    assert not any(f.message.endswith(LIBRARY) for f in root.findings if f.rule_id == rule_id)
