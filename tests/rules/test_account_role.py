"""APIGW002-APIGW005 on inline Terraform: the account's CloudWatch role (trust policy and
permissions, from every place the configuration can give them), the ordering between
execution logging and the account settings, and duplicate account resources. Each case
pins (rule id, address, path, first line, last line)."""

from __future__ import annotations

import json

import pytest
from lint_helpers import per_address, pinned

APIGW = '{ Service = "apigateway.amazonaws.com" }'


def role(trust: str, extra: str = "", name: str = "apigw_logs") -> str:
    """An aws_iam_role on lines 1-N whose assume_role_policy starts on line 3."""
    return f"""\
resource "aws_iam_role" "{name}" {{
  name               = "apigw-logs"
  assume_role_policy = {trust}
{extra}}}
"""


def trust_json(principal: str = APIGW, more: str = "") -> str:
    """A one-line jsonencode trust policy (role attribute on line 3 only)."""
    return (
        "jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Action = \"sts:AssumeRole\", "
        f"Principal = {principal}{more} }}] }})"
    )


GOOD_TRUST = trust_json()

ACCOUNT = """\
resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.apigw_logs.arn
}
"""

PUSH = """\
resource "aws_iam_role_policy_attachment" "push" {
  role       = aws_iam_role.apigw_logs.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}
"""

HEREDOC_TRUST = """<<EOF
  {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Principal": {"Service": ["%s"]},
        "Action": "sts:AssumeRole"
      }
    ]
  }
  EOF"""

TRUST_FILE = json.dumps(
    {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "%s"}, "Action": "sts:AssumeRole"}}
)

ROLE_LINES = ("aws_iam_role.apigw_logs", "main.tf", 3, 3)


@pytest.fixture
def lint(lint):
    """conftest's `lint` on each case as a root configuration, with a provider block: a
    directory without one is a library module, where these account findings would be
    uncertain for that reason alone (tests/rules/test_library_module.py). A case's own
    provider.tf replaces this one."""

    def run(files, *args, **kwargs):
        return lint({"provider.tf": 'provider "aws" {}\n', **files}, *args, **kwargs)

    return run


def trust_case(trust: str, files: dict | None = None) -> dict:
    return {"main.tf": role(trust), "account.tf": ACCOUNT, "push.tf": PUSH, **(files or {})}


def policy(statements: str) -> str:
    return f'jsonencode({{ Version = "2012-10-17", Statement = [{statements}] }})'


def inline(statements: str) -> str:
    """An inline_policy block for role(): lines 4-7."""
    return f"""\
  inline_policy {{
    name   = "logs"
    policy = {policy(statements)}
  }}
"""


ALL_SEVEN = (
    '"logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", '
    '"logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents"'
)


def allow(actions: str, resource: str = '"*"') -> str:
    return f'{{ Effect = "Allow", Action = [{actions}], Resource = {resource} }}'


def deny(actions: str, resource: str = '"*"') -> str:
    return f'{{ Effect = "Deny", Action = [{actions}], Resource = {resource} }}'


def permissions_case(extra: str = "", files: dict | None = None) -> dict:
    return {"main.tf": role(GOOD_TRUST, extra), "account.tf": ACCOUNT, **(files or {})}


def role_hit(rule_id: str, last_line: int, address: str = "aws_iam_role.apigw_logs", path: str = "main.tf", first: int = 1):
    return (rule_id, address, path, first, last_line)


TRUST_CASES = {
    "jsonencode, apigateway": (trust_case(GOOD_TRUST), []),
    "jsonencode, another service": (
        trust_case(trust_json('{ Service = "lambda.amazonaws.com" }')),
        [("APIGW002", *ROLE_LINES)],
    ),
    "jsonencode, service list with apigateway": (
        trust_case(trust_json('{ Service = ["ec2.amazonaws.com", "apigateway.amazonaws.com"] }')),
        [],
    ),
    "jsonencode, principal star": (trust_case(trust_json('"*"')), []),
    "jsonencode, AWS account principal": (
        trust_case(trust_json('{ AWS = "arn:aws:iam::123456789012:root" }')),
        [("APIGW002", *ROLE_LINES)],
    ),
    "jsonencode, action sts:* covers AssumeRole": (
        trust_case(GOOD_TRUST.replace('"sts:AssumeRole"', '"sts:*"')),
        [],
    ),
    "jsonencode, wrong action": (
        trust_case(GOOD_TRUST.replace('"sts:AssumeRole"', '"sts:AssumeRoleWithWebIdentity"')),
        [("APIGW002", *ROLE_LINES)],
    ),
    "heredoc, apigateway": (trust_case(HEREDOC_TRUST % "apigateway.amazonaws.com"), []),
    "heredoc, another service": (
        trust_case(HEREDOC_TRUST % "ec2.amazonaws.com"),
        [("APIGW002", "aws_iam_role.apigw_logs", "main.tf", 3, 14)],
    ),
    "heredoc with an interpolated service": (
        trust_case(HEREDOC_TRUST % "${var.service}", {"vars.tf": 'variable "service" {\n  default = "lambda.amazonaws.com"\n}\n'}),
        [("APIGW002", "aws_iam_role.apigw_logs", "main.tf", 3, 14)],
    ),
    "file(), apigateway": (
        trust_case('file("${path.module}/trust.json")', {"trust.json": TRUST_FILE % "apigateway.amazonaws.com"}),
        [],
    ),
    "file(), another service": (
        trust_case('file("trust.json")', {"trust.json": TRUST_FILE % "states.amazonaws.com"}),
        [("APIGW002", *ROLE_LINES)],
    ),
    "templatefile(), service from its variables": (
        trust_case(
            'templatefile("trust.json.tpl", { service = "events.amazonaws.com" })',
            {"trust.json.tpl": TRUST_FILE % "${service}"},
        ),
        [("APIGW002", *ROLE_LINES)],
    ),
    "Deny for apigateway wins": (
        trust_case(
            'jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = "*" }, '
            '{ Effect = "Deny", Action = "sts:*", Principal = { Service = "apigateway.amazonaws.com" } }] })'
        ),
        [("APIGW002", *ROLE_LINES)],
    ),
    "condition on sts:ExternalId can never match": (
        trust_case(trust_json(more=', Condition = { StringEquals = { "sts:ExternalId" = "x" } }')),
        [("APIGW002", *ROLE_LINES)],
    ),
    "condition on sts:ExternalId IfExists matches": (
        trust_case(trust_json(more=', Condition = { StringEqualsIfExists = { "sts:ExternalId" = "x" } }')),
        [],
    ),
    "confused-deputy condition on aws:SourceAccount": (
        trust_case(trust_json(more=', Condition = { StringEquals = { "aws:SourceAccount" = "123456789012" } }')),
        [],
    ),
    "role without a trust statement for anybody": (
        trust_case('jsonencode({ Version = "2012-10-17", Statement = [] })'),
        [("APIGW002", *ROLE_LINES)],
    ),
}

POLICY_DOCUMENT = """\
data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "Trust"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = [var.service]
    }
  }
}

variable "service" {
  default = "apigateway.amazonaws.com"
}
"""

OVERRIDE = """
data "aws_iam_policy_document" "override" {
  statement {
    sid     = "Trust"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [data.aws_iam_policy_document.trust.json]
  override_policy_documents = [data.aws_iam_policy_document.override.json]
}
"""

TRUST_CASES.update(
    {
        "policy document data source, apigateway": (
            trust_case("data.aws_iam_policy_document.trust.json", {"doc.tf": POLICY_DOCUMENT}),
            [],
        ),
        "policy document data source, another service from tfvars": (
            trust_case(
                "data.aws_iam_policy_document.trust.json",
                {"doc.tf": POLICY_DOCUMENT, "vars.auto.tfvars": 'service = "ecs-tasks.amazonaws.com"\n'},
            ),
            [("APIGW002", *ROLE_LINES)],
        ),
        "policy document with a statement overridden by Sid": (
            trust_case("data.aws_iam_policy_document.merged.json", {"doc.tf": POLICY_DOCUMENT + OVERRIDE}),
            [("APIGW002", *ROLE_LINES)],
        ),
        "policy document merged from a source document": (
            trust_case(
                "data.aws_iam_policy_document.merged.json",
                {"doc.tf": POLICY_DOCUMENT + 'data "aws_iam_policy_document" "merged" {\n  source_policy_documents = [data.aws_iam_policy_document.trust.json]\n}\n'},
            ),
            [],
        ),
        "policy document principals all": (
            trust_case(
                "data.aws_iam_policy_document.all.json",
                {"doc.tf": 'data "aws_iam_policy_document" "all" {\n  statement {\n    actions = ["sts:AssumeRole"]\n'
                 '    principals {\n      type        = "*"\n      identifiers = ["*"]\n    }\n  }\n}\n'},
            ),
            [],
        ),
    }
)


@pytest.mark.parametrize("files, expected", TRUST_CASES.values(), ids=TRUST_CASES.keys())
def test_trust(lint, files, expected):
    assert pinned(lint(files), "APIGW002") == expected


PERMISSION_CASES = {
    "managed policy attachment": (permissions_case(files={"push.tf": PUSH}), []),
    "managed policy from a data source by name": (
        permissions_case(
            files={
                "push.tf": PUSH.replace('"arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"', "data.aws_iam_policy.push.arn"),
                "data.tf": 'data "aws_iam_policy" "push" {\n  name = "AmazonAPIGatewayPushToCloudWatchLogs"\n}\n',
            }
        ),
        [],
    ),
    "managed_policy_arns": (
        permissions_case('  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]\n'),
        [],
    ),
    "no policy at all": (permissions_case(), [role_hit("APIGW003", 4)]),
    "inline policy with logs:*": (permissions_case(inline(allow('"logs:*"'))), []),
    "inline policy with *": (permissions_case(inline(allow('"*"'))), []),
    "inline policy with logs:Put* only": (permissions_case(inline(allow('"logs:Put*"'))), [role_hit("APIGW003", 8)]),
    "case-insensitive actions": (permissions_case(inline(allow(ALL_SEVEN.lower()))), []),
    "Allow undone by a Deny": (
        permissions_case(inline(allow('"logs:*"') + ", " + deny('"logs:PutLogEvents"'))),
        [role_hit("APIGW003", 8)],
    ),
    "Deny on other log groups only": (
        permissions_case(inline(allow('"logs:*"') + ", " + deny('"logs:*"', '"arn:aws:logs:*:*:log-group:/aws/lambda/*"'))),
        [],
    ),
    "resource limited to the execution log groups": (
        permissions_case(inline(allow(ALL_SEVEN, '"arn:aws:logs:*:*:log-group:API-Gateway-Execution-Logs_*:*"'))),
        [],
    ),
    "resource limited to other log groups": (
        permissions_case(inline(allow(ALL_SEVEN, '["arn:aws:logs:*:*:log-group:/aws/lambda/*"]'))),
        [role_hit("APIGW003", 8)],
    ),
    "resource with the account id from a data source": (
        permissions_case(
            inline(allow(ALL_SEVEN, '"arn:aws:logs:*:${data.aws_caller_identity.current.account_id}:log-group:*"')),
            {"data.tf": 'data "aws_caller_identity" "current" {}\n'},
        ),
        [],
    ),
    "resource is a log group of the configuration": (
        permissions_case(
            inline(allow(ALL_SEVEN, '"${aws_cloudwatch_log_group.other.arn}:*"')),
            {"logs.tf": 'resource "aws_cloudwatch_log_group" "other" {\n  name = "/aws/lambda/other"\n}\n'},
        ),
        [role_hit("APIGW003", 8)],
    ),
    "customer policy with exactly the seven actions": (
        permissions_case(
            files={
                "policy.tf": f'resource "aws_iam_policy" "logs" {{\n  name   = "apigw-logs"\n  policy = {policy(allow(ALL_SEVEN))}\n}}\n',
                "attach.tf": 'resource "aws_iam_role_policy_attachment" "logs" {\n  role       = aws_iam_role.apigw_logs.id\n'
                '  policy_arn = aws_iam_policy.logs.arn\n}\n',
            }
        ),
        [],
    ),
    "customer policy without logs:FilterLogEvents": (
        permissions_case(
            files={
                "policy.tf": 'resource "aws_iam_policy" "logs" {\n  name   = "apigw-logs"\n  policy = '
                + policy(allow(ALL_SEVEN.replace(', "logs:FilterLogEvents"', "")))
                + "\n}\n",
                "attach.tf": 'resource "aws_iam_policy_attachment" "logs" {\n  name       = "logs"\n'
                '  roles      = [aws_iam_role.apigw_logs.name]\n  policy_arn = aws_iam_policy.logs.arn\n}\n',
            }
        ),
        [role_hit("APIGW003", 4)],
    ),
    "customer policy attached by literal ARN": (
        permissions_case(
            files={
                "policy.tf": f'resource "aws_iam_policy" "logs" {{\n  name   = "apigw-logs"\n  path   = "/apigw/"\n  policy = {policy(allow(ALL_SEVEN))}\n}}\n',
                "attach.tf": 'resource "aws_iam_role_policy_attachments_exclusive" "logs" {\n  role_name   = "apigw-logs"\n'
                '  policy_arns = ["arn:aws:iam::123456789012:policy/apigw/apigw-logs"]\n}\n',
            }
        ),
        [],
    ),
    "aws_iam_role_policy by role name": (
        permissions_case(
            files={
                "policy.tf": 'resource "aws_iam_role_policy" "logs" {\n  role   = aws_iam_role.apigw_logs.name\n'
                f'  policy = {policy(allow(chr(34) + "logs:*" + chr(34)))}\n}}\n'
            }
        ),
        [],
    ),
    "aws_iam_role_policy for another role": (
        permissions_case(
            files={
                "policy.tf": 'resource "aws_iam_role_policy" "logs" {\n  role   = "someone-else"\n'
                f'  policy = {policy(allow(chr(34) + "logs:*" + chr(34)))}\n}}\n'
            }
        ),
        [role_hit("APIGW003", 4)],
    ),
    "policy document with NotAction": (
        permissions_case(
            '  inline_policy {\n    name   = "all-but-iam"\n    policy = data.aws_iam_policy_document.logs.json\n  }\n',
            {"doc.tf": 'data "aws_iam_policy_document" "logs" {\n  statement {\n    not_actions = ["iam:*"]\n'
             '    resources   = ["*"]\n  }\n}\n'},
        ),
        [],
    ),
    "policy document that denies in an override document": (
        permissions_case(
            '  inline_policy {\n    name   = "logs"\n    policy = data.aws_iam_policy_document.logs.json\n  }\n',
            {"doc.tf": 'data "aws_iam_policy_document" "deny" {\n  statement {\n    effect    = "Deny"\n'
             '    actions   = ["logs:CreateLogGroup"]\n    resources = ["*"]\n  }\n}\n\n'
             'data "aws_iam_policy_document" "logs" {\n  override_policy_documents = [data.aws_iam_policy_document.deny.json]\n'
             '  statement {\n    actions   = ["logs:*"]\n    resources = ["*"]\n  }\n}\n'},
        ),
        [role_hit("APIGW003", 8)],
    ),
    "permissions boundary without logs": (
        permissions_case(
            '  managed_policy_arns  = ["arn:aws:iam::aws:policy/AdministratorAccess"]\n'
            '  permissions_boundary = aws_iam_policy.boundary.arn\n',
            {"boundary.tf": f'resource "aws_iam_policy" "boundary" {{\n  name   = "boundary"\n  policy = {policy(allow(chr(34) + "s3:*" + chr(34)))}\n}}\n'},
        ),
        [role_hit("APIGW003", 6)],
    ),
    "partition aws-cn": (
        permissions_case(
            files={
                "provider.tf": 'provider "aws" {\n  region = "cn-north-1"\n}\n',
                "push.tf": PUSH.replace("arn:aws:", "arn:aws-cn:"),
            }
        ),
        [],
    ),
    "partition from data.aws_partition": (
        permissions_case(
            files={
                "provider.tf": 'provider "aws" {\n  region = "us-gov-west-1"\n}\ndata "aws_partition" "current" {}\n',
                "push.tf": PUSH.replace("arn:aws:", "arn:${data.aws_partition.current.partition}:"),
            }
        ),
        [],
    ),
    "partition aws-cn, resource in another partition": (
        permissions_case(
            inline(allow('"logs:*"', '"arn:aws:logs:*:*:*"')),
            {"provider.tf": 'provider "aws" {\n  region = "cn-north-1"\n}\n'},
        ),
        [role_hit("APIGW003", 8)],
    ),
}


@pytest.mark.parametrize("files, expected", PERMISSION_CASES.values(), ids=PERMISSION_CASES.keys())
def test_permissions(lint, files, expected):
    assert pinned(lint(files), "APIGW003") == expected


def test_permissions_message_lists_the_missing_actions(lint):
    result = lint(permissions_case(inline(allow('"logs:Put*", "logs:Create*"') + ", " + deny('"logs:CreateLogGroup"'))))
    [finding] = [f for f in result.findings if f.rule_id == "APIGW003"]
    assert finding.certain
    assert finding.message == (
        "API Gateway cannot write execution logs with this CloudWatch role: it is not allowed logs:CreateLogGroup, "
        "logs:DescribeLogGroups, logs:DescribeLogStreams, logs:GetLogEvents, logs:FilterLogEvents; "
        'statement 2 of an inline_policy of aws_iam_role.apigw_logs denies it'
    )


def test_trust_message_names_the_trusted_service(lint):
    result = lint(trust_case(trust_json('{ Service = "lambda.amazonaws.com" }')))
    [finding] = [f for f in result.findings if f.rule_id == "APIGW002"]
    assert finding.message == (
        "the CloudWatch role of aws_api_gateway_account.this cannot be assumed by API Gateway: "
        "it trusts lambda.amazonaws.com, not apigateway.amazonaws.com"
    )


UNCERTAIN_CASES = {
    "trust policy from a variable without value": (
        "APIGW002",
        {"main.tf": role("var.trust"), "account.tf": ACCOUNT, "push.tf": PUSH, "vars.tf": 'variable "trust" {}\n'},
        [("APIGW002", *ROLE_LINES)],
    ),
    "only an AWS managed policy whose content is not known": (
        "APIGW003",
        permissions_case('  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]\n'),
        [role_hit("APIGW003", 5)],
    ),
    "resource from a variable without value": (
        "APIGW003",
        {**permissions_case(inline(allow(ALL_SEVEN, "var.log_groups"))), "vars.tf": 'variable "log_groups" {}\n'},
        [role_hit("APIGW003", 8)],
    ),
    "attachment whose role is unknown": (
        "APIGW003",
        {
            **permissions_case(files={"push.tf": PUSH.replace("aws_iam_role.apigw_logs.name", "var.role")}),
            "vars.tf": 'variable "role" {}\n',
        },
        [role_hit("APIGW003", 4)],
    ),
}


@pytest.mark.parametrize("rule_id, files, expected", UNCERTAIN_CASES.values(), ids=UNCERTAIN_CASES.keys())
def test_undecidable_findings_are_uncertain(lint, rule_id, files, expected):
    result = lint(files)
    assert pinned(result, rule_id) == expected
    assert all(not f.certain and f.severity.value == "note" for f in result.findings if f.rule_id == rule_id)


BAD_ROLE = role(trust_json('{ Service = "lambda.amazonaws.com" }'))

ROLE_LINK_CASES = {
    "role declared in the configuration, literal ARN matched by name": (
        {"main.tf": BAD_ROLE, "account.tf": ACCOUNT.replace("aws_iam_role.apigw_logs.arn", '"arn:aws:iam::123456789012:role/apigw-logs"')},
        [("APIGW002", *ROLE_LINES), role_hit("APIGW003", 4)],
    ),
    "ARN built from the account id and the role's name": (
        {
            "main.tf": BAD_ROLE,
            "account.tf": ACCOUNT.replace(
                "aws_iam_role.apigw_logs.arn",
                '"arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${aws_iam_role.apigw_logs.name}"',
            ),
            "data.tf": 'data "aws_caller_identity" "current" {}\n',
        },
        [("APIGW002", *ROLE_LINES), role_hit("APIGW003", 4)],
    ),
    "role outside the configuration": (
        {"main.tf": BAD_ROLE, "account.tf": ACCOUNT.replace("aws_iam_role.apigw_logs.arn", '"arn:aws:iam::123456789012:role/elsewhere"')},
        [],
    ),
    "role from a data source": (
        {
            "main.tf": 'data "aws_iam_role" "logs" {\n  name = "apigw-logs"\n}\n',
            "account.tf": ACCOUNT.replace("aws_iam_role.apigw_logs.arn", "data.aws_iam_role.logs.arn"),
        },
        [],
    ),
    "role in a module": (
        {
            "main.tf": 'module "logs_role" {\n  source = "./modules/role"\n}\n',
            "account.tf": ACCOUNT.replace("aws_iam_role.apigw_logs.arn", "module.logs_role.arn"),
            "modules/role/main.tf": BAD_ROLE + 'output "arn" {\n  value = aws_iam_role.apigw_logs.arn\n}\n',
        },
        [
            ("APIGW002", "module.logs_role.aws_iam_role.apigw_logs", "modules/role/main.tf", 3, 3),
            ("APIGW003", "module.logs_role.aws_iam_role.apigw_logs", "modules/role/main.tf", 1, 4),
        ],
    ),
    "role in a module with count, attachment in the root": (
        {
            "main.tf": 'module "logs_role" {\n  source = "./modules/role"\n  count  = 1\n}\n',
            "account.tf": ACCOUNT.replace("aws_iam_role.apigw_logs.arn", "module.logs_role[0].arn"),
            "push.tf": PUSH.replace("aws_iam_role.apigw_logs.name", "module.logs_role[0].name"),
            "modules/role/main.tf": role(GOOD_TRUST)
            + 'output "arn" {\n  value = aws_iam_role.apigw_logs.arn\n}\noutput "name" {\n  value = aws_iam_role.apigw_logs.name\n}\n',
        },
        [],
    ),
    "two accounts share one role: one finding per rule": (
        {
            "main.tf": BAD_ROLE,
            "account.tf": ACCOUNT + ACCOUNT.replace('"this"', '"west"').replace("{\n", "{\n  provider            = aws.west\n", 1),
            "provider.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\nprovider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}\n',
        },
        [("APIGW002", *ROLE_LINES), role_hit("APIGW003", 4)],
    ),
}


@pytest.mark.parametrize("files, expected", ROLE_LINK_CASES.values(), ids=ROLE_LINK_CASES.keys())
def test_role_of_the_account(lint, files, expected):
    result = lint(files)
    assert pinned(result, "APIGW002") + pinned(result, "APIGW003") == expected


# --- APIGW004 account-ordering ---------------------------------------------------------

GOOD_ROLE = role(GOOD_TRUST, '  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]\n')

STAGE = """\
resource "aws_api_gateway_rest_api" "api" {
  name = "pets"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d1"
  stage_name    = "prod"
%s}
"""


def settings(level: str = '"INFO"', extra: str = "", stage: str = "aws_api_gateway_stage.prod.stage_name") -> str:
    """Method settings with logging_level on line 6."""
    return f"""\
resource "aws_api_gateway_method_settings" "all" {{
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = {stage}
  method_path = "*/*"
  settings {{
    logging_level = {level}
  }}
{extra}}}
"""


# Child modules inherit the root's default provider configuration.
MODULE_API = {
    "modules/api/main.tf": STAGE % "" + "\n" + settings(),
    "provider.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n',
}

ORDERING_CASES = {
    "no dependency on the account": (
        {"main.tf": GOOD_ROLE, "account.tf": ACCOUNT, "api.tf": STAGE % "", "ms.tf": settings()},
        [("APIGW004", "aws_api_gateway_method_settings.all", "ms.tf", 6, 6)],
    ),
    "data trace only": (
        {"main.tf": GOOD_ROLE, "account.tf": ACCOUNT, "api.tf": STAGE % "",
         "ms.tf": settings('"OFF"').replace('logging_level = "OFF"', "data_trace_enabled = true")},
        [("APIGW004", "aws_api_gateway_method_settings.all", "ms.tf", 6, 6)],
    ),
    "logging off": (
        {"main.tf": GOOD_ROLE, "account.tf": ACCOUNT, "api.tf": STAGE % "", "ms.tf": settings('"OFF"')},
        [],
    ),
    "depends_on the account": (
        {"main.tf": GOOD_ROLE, "account.tf": ACCOUNT, "api.tf": STAGE % "",
         "ms.tf": settings(extra="  depends_on = [aws_api_gateway_account.this]\n")},
        [],
    ),
    "quoted depends_on": (
        {"main.tf": GOOD_ROLE, "account.tf": ACCOUNT, "api.tf": STAGE % "",
         "ms.tf": settings(extra='  depends_on = ["aws_api_gateway_account.this"]\n')},
        [],
    ),
    "transitively through the stage": (
        {"main.tf": GOOD_ROLE, "account.tf": ACCOUNT, "api.tf": STAGE % "  depends_on    = [aws_api_gateway_account.this]\n",
         "ms.tf": settings()},
        [],
    ),
    "through a local that refers to the account": (
        {"main.tf": GOOD_ROLE, "account.tf": ACCOUNT, "api.tf": STAGE % "",
         "ms.tf": settings(stage='local.stage'),
         "locals.tf": 'locals {\n  stage = aws_api_gateway_account.this.id == "" ? "" : aws_api_gateway_stage.prod.stage_name\n}\n'},
        [],
    ),
    "no account: left to APIGW001": (
        {"api.tf": STAGE % "", "ms.tf": settings()},
        [],
    ),
    "account of another region": (
        {"main.tf": GOOD_ROLE, "api.tf": STAGE % "", "ms.tf": settings(),
         "account.tf": ACCOUNT.replace("{\n", "{\n  provider            = aws.us\n", 1),
         "provider.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\nprovider "aws" {\n  alias  = "us"\n  region = "us-east-1"\n}\n'},
        [],
    ),
    "module without depends_on": (
        {"main.tf": GOOD_ROLE, "account.tf": ACCOUNT, "api.tf": 'module "api" {\n  source = "./modules/api"\n}\n', **MODULE_API},
        [("APIGW004", "module.api.aws_api_gateway_method_settings.all", "modules/api/main.tf", 16, 16)],
    ),
    "module with depends_on the account": (
        {"main.tf": GOOD_ROLE, "account.tf": ACCOUNT,
         "api.tf": 'module "api" {\n  source     = "./modules/api"\n  depends_on = [aws_api_gateway_account.this]\n}\n', **MODULE_API},
        [],
    ),
    "module with depends_on a module that holds the account": (
        {"main.tf": 'module "account" {\n  source = "./modules/account"\n}\n',
         "modules/account/main.tf": GOOD_ROLE + ACCOUNT,
         "api.tf": 'module "api" {\n  source     = "./modules/api"\n  depends_on = [module.account]\n}\n', **MODULE_API},
        [],
    ),
    "WebSocket stage with logging on": (
        {"main.tf": GOOD_ROLE, "account.tf": ACCOUNT,
         "ws.tf": 'resource "aws_apigatewayv2_api" "ws" {\n  name          = "ws"\n  protocol_type = "WEBSOCKET"\n'
         '  route_selection_expression = "$request.body.action"\n}\n\n'
         'resource "aws_apigatewayv2_stage" "prod" {\n  api_id = aws_apigatewayv2_api.ws.id\n  name   = "prod"\n'
         '  default_route_settings {\n    logging_level = "INFO"\n  }\n}\n'},
        [("APIGW004", "aws_apigatewayv2_stage.prod", "ws.tf", 11, 11)],
    ),
    "HTTP API stage: no execution logs (APIGW302)": (
        {"main.tf": GOOD_ROLE, "account.tf": ACCOUNT,
         "http.tf": 'resource "aws_apigatewayv2_api" "http" {\n  name          = "http"\n  protocol_type = "HTTP"\n}\n\n'
         'resource "aws_apigatewayv2_stage" "prod" {\n  api_id = aws_apigatewayv2_api.http.id\n  name   = "prod"\n'
         '  default_route_settings {\n    logging_level = "INFO"\n  }\n}\n'},
        [],
    ),
}


@pytest.mark.parametrize("files, expected", ORDERING_CASES.values(), ids=ORDERING_CASES.keys())
def test_account_ordering(lint, files, expected):
    assert pinned(lint(files), "APIGW004") == expected


# --- APIGW005 account-duplicate --------------------------------------------------------

LITERAL_ACCOUNT = 'resource "aws_api_gateway_account" "%s" {\n%s  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/logs"\n}\n'

DUPLICATE_CASES = {
    # "After the first" is in source order (file path, then line), not address order.
    "two accounts for the default provider: the later line is reported": (
        {"main.tf": LITERAL_ACCOUNT % ("b", "") + "\n" + LITERAL_ACCOUNT % ("a", "")},
        [("APIGW005", "aws_api_gateway_account.a", "main.tf", 5, 7)],
    ),
    "two accounts in two files: the later file is reported": (
        {"b.tf": LITERAL_ACCOUNT % ("a", ""), "a.tf": "\n\n\n" + LITERAL_ACCOUNT % ("z", "")},
        [("APIGW005", "aws_api_gateway_account.a", "b.tf", 1, 3)],
    ),
    "count of twelve: the instances after [0] in key order": (
        {"main.tf": LITERAL_ACCOUNT % ("a", "  count = 12\n")},
        sorted(("APIGW005", f"aws_api_gateway_account.a[{i}]", "main.tf", 1, 4) for i in range(1, 12)),
    ),
    "one account per region": (
        {"main.tf": LITERAL_ACCOUNT % ("a", "") + LITERAL_ACCOUNT % ("b", "  provider = aws.us\n"),
         "provider.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\nprovider "aws" {\n  alias  = "us"\n  region = "us-east-1"\n}\n'},
        [],
    ),
    "two provider aliases for the same region": (
        {"main.tf": LITERAL_ACCOUNT % ("a", "") + LITERAL_ACCOUNT % ("b", "  provider = aws.again\n"),
         "provider.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\nprovider "aws" {\n  alias  = "again"\n  region = "eu-west-1"\n}\n'},
        [("APIGW005", "aws_api_gateway_account.b", "main.tf", 4, 7)],
    ),
    "count of three": (
        {"main.tf": LITERAL_ACCOUNT % ("a", "  count = 3\n")},
        [("APIGW005", "aws_api_gateway_account.a[1]", "main.tf", 1, 4), ("APIGW005", "aws_api_gateway_account.a[2]", "main.tf", 1, 4)],
    ),
    "an account in a module with the root's provider": (
        {"main.tf": LITERAL_ACCOUNT % ("root", "") + 'module "shared" {\n  source = "./shared"\n}\n',
         "shared/main.tf": LITERAL_ACCOUNT % ("this", ""),
         "provider.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n'},
        [("APIGW005", "module.shared.aws_api_gateway_account.this", "shared/main.tf", 1, 3)],
    ),
}


@pytest.mark.parametrize("files, expected", DUPLICATE_CASES.values(), ids=DUPLICATE_CASES.keys())
def test_account_duplicate(lint, files, expected):
    assert pinned(lint(files), "APIGW005") == expected


def test_account_duplicate_names_the_first_in_source_order(lint):
    result = lint({"main.tf": LITERAL_ACCOUNT % ("b", "") + "\n" + LITERAL_ACCOUNT % ("a", "  count = 11\n")})
    message = "aws_api_gateway_account.b already manages the API Gateway account settings of provider aws: the two overwrite each other's cloudwatch_role_arn"
    assert sorted((address, f.message) for f, address in per_address(result.findings) if f.rule_id == "APIGW005") == sorted(
        (f"aws_api_gateway_account.a[{i}]", message) for i in range(11)
    )


def test_an_account_whose_region_is_known_only_after_apply_may_duplicate_another(lint):
    """SPEC §4 Certainty: the two may write the same account region, or not."""
    providers = ('provider "aws" {\n  region = "eu-west-1"\n}\nprovider "aws" {\n  alias  = "other"\n  region = var.r\n}\n'
                 'variable "r" {\n  type = string\n}\n')
    result = lint({"main.tf": LITERAL_ACCOUNT % ("a", "") + LITERAL_ACCOUNT % ("b", "  provider = aws.other\n"), "provider.tf": providers})
    assert [(f.rule_id, f.address, f.line, f.certain, f.message) for f in result.findings if f.rule_id == "APIGW005"] == [(
        "APIGW005", "aws_api_gateway_account.b", 4, False,
        "aws_api_gateway_account.a may already manage the API Gateway account settings of provider aws.other (which "
        "account region each writes is known only after apply): the two would overwrite each other's cloudwatch_role_arn",
    )]
    known = providers.replace("var.r", '"us-east-1"')
    result = lint({"main.tf": LITERAL_ACCOUNT % ("a", "") + LITERAL_ACCOUNT % ("b", "  provider = aws.other\n"), "provider.tf": known})
    assert [f.rule_id for f in result.findings if f.rule_id == "APIGW005"] == []
