"""API Gateway v2 (HTTP and WebSocket APIs) on inline Terraform: APIGW301, APIGW302, and
what APIGW001, APIGW102, APIGW202–205 report on `aws_apigatewayv2_stage`. Each case pins
(rule id, address, path, first line, last line, certain)."""

from __future__ import annotations

import pytest
from lint_helpers import per_address


def found(result, rule_id):
    return sorted((f.rule_id, address, f.path, f.line, f.end_line, f.certain) for f, address in per_address(result.findings) if f.rule_id == rule_id)


PROVIDER = 'provider "aws" {\n  region = "eu-west-1"\n}\n'
ACCOUNT = 'resource "aws_api_gateway_account" "this" {\n  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/apigw-logs"\n}\n'
LOG_GROUP = 'resource "aws_cloudwatch_log_group" "access" {\n  name              = "/aws/apigateway/chat"\n  retention_in_days = 30\n}\n'


def api(protocol: str = '"WEBSOCKET"') -> str:
    return f'resource "aws_apigatewayv2_api" "this" {{\n  name          = "chat"\n  protocol_type = {protocol}\n}}\n'


def v2_stage(body: str = "", api_id: str = "aws_apigatewayv2_api.this.id") -> str:
    """stage.tf: the stage starts on line 1; `body` starts on line 4."""
    return f'resource "aws_apigatewayv2_stage" "prod" {{\n  api_id = {api_id}\n  name   = "prod"\n{body}}}\n'


def access(destination: str = "aws_cloudwatch_log_group.access.arn", format: str = '"$context.requestId"') -> str:
    """access_log_settings: 4 lines, destination_arn on its 2nd line, format on its 3rd."""
    return f"  access_log_settings {{\n    destination_arn = {destination}\n    format          = {format}\n  }}\n"


def route_defaults(settings: str) -> str:
    """default_route_settings: 3 lines, the setting on its 2nd line."""
    return f"  default_route_settings {{\n    {settings}\n  }}\n"


def tree(body: str = "", protocol: str = '"WEBSOCKET"', other: str = "", api_id: str = "aws_apigatewayv2_api.this.id") -> dict[str, str]:
    files = {"main.tf": PROVIDER + ACCOUNT + LOG_GROUP + api(protocol), "stage.tf": v2_stage(body, api_id)}
    if other:
        files["other.tf"] = other
    return files


STAGE = "aws_apigatewayv2_stage.prod"
LOGGED = access()
INFO = route_defaults('logging_level = "INFO"')
ERROR = route_defaults('logging_level = "ERROR"')

CASES = {
    # --- APIGW301 v2-access-logging-missing ---------------------------------------------
    "301 stage without access_log_settings": ("APIGW301", tree(INFO), {}, [("APIGW301", STAGE, "stage.tf", 1, 7, True)]),
    "301 HTTP stage without access_log_settings": ("APIGW301", tree(protocol='"HTTP"'), {}, [("APIGW301", STAGE, "stage.tf", 1, 4, True)]),
    "301 stage with access_log_settings": ("APIGW301", tree(LOGGED + INFO), {}, []),
    "301 dynamic access_log_settings expanding to nothing": (
        "APIGW301",
        tree('  dynamic "access_log_settings" {\n    for_each = []\n    content {\n      destination_arn = "x"\n      format          = "y"\n    }\n  }\n'),
        {},
        [("APIGW301", STAGE, "stage.tf", 1, 11, True)],
    ),
    "301 dynamic access_log_settings with unknown for_each is uncertain": (
        "APIGW301",
        tree('  dynamic "access_log_settings" {\n    for_each = var.logs\n    content {\n      destination_arn = "x"\n      format          = "y"\n    }\n  }\n',
             other='variable "logs" {\n  type = list(string)\n}\n'),
        {},
        [("APIGW301", STAGE, "stage.tf", 1, 11, False)],
    ),
    "301 REST API stages are APIGW201's": (
        "APIGW301",
        {"main.tf": 'resource "aws_api_gateway_stage" "prod" {\n  rest_api_id   = "a1b2c3"\n  deployment_id = "d1"\n  stage_name    = "prod"\n}\n'},
        {},
        [],
    ),
    # --- APIGW302 v2-execution-logging --------------------------------------------------
    "302 WebSocket without default_route_settings": ("APIGW302", tree(LOGGED), {}, [("APIGW302", STAGE, "stage.tf", 1, 8, True)]),
    "302 WebSocket with OFF": (
        "APIGW302", tree(LOGGED + route_defaults('logging_level = "OFF"')), {}, [("APIGW302", STAGE, "stage.tf", 9, 9, True)],
    ),
    "302 WebSocket with data trace but no level": (
        "APIGW302", tree(LOGGED + route_defaults("data_trace_enabled = true")), {}, [("APIGW302", STAGE, "stage.tf", 8, 10, True)],
    ),
    "302 WebSocket with ERROR is APIGW102's": ("APIGW302", tree(LOGGED + ERROR), {}, []),
    "302 WebSocket with INFO": ("APIGW302", tree(LOGGED + INFO), {}, []),
    "302 WebSocket level known only after apply is uncertain": (
        "APIGW302",
        tree(LOGGED + route_defaults("logging_level = var.level"), other='variable "level" {\n  type = string\n}\n'),
        {},
        [("APIGW302", STAGE, "stage.tf", 9, 9, False)],
    ),
    "302 WebSocket protocol from a variable": (
        "APIGW302",
        tree(LOGGED, protocol="var.protocol", other='variable "protocol" {\n  type = string\n}\n'),
        {"vars": [("protocol", "WEBSOCKET")]},
        [("APIGW302", STAGE, "stage.tf", 1, 8, True)],
    ),
    "302 HTTP API with a logging level in default_route_settings": (
        "APIGW302", tree(LOGGED + INFO, protocol='"HTTP"'), {}, [("APIGW302", STAGE, "stage.tf", 9, 9, True)],
    ),
    "302 HTTP API with OFF still sets a logging level": (
        "APIGW302", tree(LOGGED + route_defaults('logging_level = "OFF"'), protocol='"HTTP"'), {}, [("APIGW302", STAGE, "stage.tf", 9, 9, True)],
    ),
    "302 HTTP API with a logging level in route_settings": (
        "APIGW302",
        tree(LOGGED + '  route_settings {\n    route_key     = "GET /pets"\n    logging_level = "ERROR"\n  }\n', protocol='"HTTP"'),
        {},
        [("APIGW302", STAGE, "stage.tf", 10, 10, True)],
    ),
    "302 HTTP API with a logging level in the second route_settings block": (
        "APIGW302",
        tree(LOGGED + '  route_settings {\n    route_key = "GET /a"\n  }\n'
             '  route_settings {\n    route_key     = "GET /pets"\n    logging_level = "ERROR"\n  }\n', protocol='"HTTP"'),
        {},
        [("APIGW302", STAGE, "stage.tf", 13, 13, True)],
    ),
    "302 HTTP API without a logging level": (
        "APIGW302", tree(LOGGED + route_defaults("detailed_metrics_enabled = true"), protocol='"HTTP"'), {}, [],
    ),
    "302 protocol unknown (API not in the configuration) is uncertain": (
        "APIGW302", tree(LOGGED, api_id='"abc123"'), {}, [("APIGW302", STAGE, "stage.tf", 1, 8, False)],
    ),
    "302 protocol unknown with a logging level is uncertain too": (
        "APIGW302",
        tree(LOGGED + INFO, protocol="var.protocol", other='variable "protocol" {\n  type = string\n}\n'),
        {},
        [("APIGW302", STAGE, "stage.tf", 9, 9, False)],
    ),
    # --- APIGW102 on WebSocket stages ---------------------------------------------------
    "102 WebSocket ERROR": ("APIGW102", tree(LOGGED + ERROR), {}, [("APIGW102", STAGE, "stage.tf", 9, 9, True)]),
    "102 WebSocket INFO": ("APIGW102", tree(LOGGED + INFO), {}, []),
    "102 WebSocket ERROR with min_level ERROR": ("APIGW102", tree(LOGGED + ERROR), {"options": {"APIGW102": {"min_level": "ERROR"}}}, []),
    "102 ERROR on an API of unknown protocol is uncertain": (
        "APIGW102", tree(LOGGED + ERROR, api_id='"abc123"'), {}, [("APIGW102", STAGE, "stage.tf", 9, 9, False)],
    ),
    "102 HTTP API ERROR is APIGW302's": ("APIGW102", tree(LOGGED + ERROR, protocol='"HTTP"'), {}, []),
    # --- APIGW001 on WebSocket stages ---------------------------------------------------
    "001 WebSocket logging on without account": (
        "APIGW001",
        {"main.tf": PROVIDER + LOG_GROUP + api(), "stage.tf": v2_stage(LOGGED + INFO)},
        {},
        [("APIGW001", STAGE, "stage.tf", 9, 9, True)],
    ),
    "001 WebSocket data trace on without account": (
        "APIGW001",
        {"main.tf": PROVIDER + LOG_GROUP + api(), "stage.tf": v2_stage(LOGGED + route_defaults("data_trace_enabled = true"))},
        {},
        [("APIGW001", STAGE, "stage.tf", 9, 9, True)],
    ),
    "001 WebSocket logging on with account": ("APIGW001", tree(LOGGED + INFO), {}, []),
    "001 WebSocket logging OFF without account": (
        "APIGW001", {"main.tf": PROVIDER + LOG_GROUP + api(), "stage.tf": v2_stage(LOGGED)}, {}, [],
    ),
    "001 HTTP API never logs execution": (
        "APIGW001", {"main.tf": PROVIDER + LOG_GROUP + api('"HTTP"'), "stage.tf": v2_stage(LOGGED + INFO)}, {}, [],
    ),
    "001 protocol unknown is uncertain": (
        "APIGW001", {"main.tf": PROVIDER + LOG_GROUP, "stage.tf": v2_stage(LOGGED + INFO, api_id='"abc123"')}, {},
        [("APIGW001", STAGE, "stage.tf", 9, 9, False)],
    ),
    # --- APIGW202-204 on v2 stages ------------------------------------------------------
    "202 v2 destination is an S3 bucket": (
        "APIGW202",
        tree(access("aws_s3_bucket.logs.arn") + INFO, other='resource "aws_s3_bucket" "logs" {\n  bucket = "chat-logs"\n}\n'),
        {},
        [("APIGW202", STAGE, "stage.tf", 5, 5, True)],
    ),
    "202 v2 log group reference": ("APIGW202", tree(LOGGED + INFO), {}, []),
    "202 v2 literal ARN ending in :* (the provider strips it)": (
        "APIGW202", tree(access('"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/chat:*"') + INFO), {}, [],
    ),
    "202 v2 literal ARN in another region": (
        "APIGW202", tree(access('"arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/chat"') + INFO), {},
        [("APIGW202", STAGE, "stage.tf", 5, 5, True)],
    ),
    "203 v2 format with a line break": (
        "APIGW203", tree(access(format='"$context.requestId\\n$context.status"') + INFO), {}, [("APIGW203", STAGE, "stage.tf", 6, 6, True)],
    ),
    "203 v2 format without request id": (
        "APIGW203", tree(access(format='"$context.status"') + INFO), {}, [("APIGW203", STAGE, "stage.tf", 6, 6, True)],
    ),
    "204 v2 format not JSON": (
        "APIGW204", tree(access(format='"{\\"requestId\\": \\"$context.requestId\\", \\"route\\": $context.routeKey}"') + INFO), {},
        [("APIGW204", STAGE, "stage.tf", 6, 6, True)],
    ),
    # --- APIGW205 on v2 stages ----------------------------------------------------------
    "205 WebSocket logging on, execution-log group not declared": (
        "APIGW205", tree(LOGGED + INFO), {}, [("APIGW205", STAGE, "stage.tf", 1, 11, True)],
    ),
    "205 WebSocket execution-log group declared": (
        "APIGW205",
        tree(LOGGED + INFO, other='resource "aws_cloudwatch_log_group" "execution" {\n'
                                  '  name              = "API-Gateway-Execution-Logs_${aws_apigatewayv2_api.this.id}/prod"\n'
                                  '  retention_in_days = 7\n}\n'),
        {},
        [],
    ),
    "205 HTTP API has no execution-log group": ("APIGW205", tree(LOGGED + INFO, protocol='"HTTP"'), {}, []),
}


@pytest.mark.parametrize("rule_id, files, kwargs, expected", CASES.values(), ids=CASES.keys())
def test_rule(lint, rule_id, files, kwargs, expected):
    assert found(lint(files, **kwargs), rule_id) == expected


MODULE = """\
variable "name" {
  type = string
}

resource "aws_apigatewayv2_api" "ws" {
  name                       = var.name
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_stage" "this" {
  api_id = aws_apigatewayv2_api.ws.id
  name   = var.name

  default_route_settings {
    logging_level = "OFF"
  }
}
"""


def test_stage_in_a_module_called_twice_gives_one_finding_per_instance(lint):
    result = lint({
        "main.tf": 'module "chat" {\n  for_each = toset(["a", "b"])\n  source   = "./chat"\n  name     = each.key\n}\n',
        "chat/main.tf": MODULE,
    })
    assert found(result, "APIGW302") == [
        ("APIGW302", 'module.chat["a"].aws_apigatewayv2_stage.this', "chat/main.tf", 16, 16, True),
        ("APIGW302", 'module.chat["b"].aws_apigatewayv2_stage.this', "chat/main.tf", 16, 16, True),
    ]
    assert found(result, "APIGW301") == [
        ("APIGW301", 'module.chat["a"].aws_apigatewayv2_stage.this', "chat/main.tf", 11, 18, True),
        ("APIGW301", 'module.chat["b"].aws_apigatewayv2_stage.this', "chat/main.tf", 11, 18, True),
    ]


def test_v2_messages(lint):
    result = lint(tree(LOGGED + INFO, protocol='"HTTP"'))
    assert [f.message for f in result.findings if f.rule_id == "APIGW302"] == [
        'HTTP APIs have no execution logging: API Gateway rejects logging_level "INFO" in default_route_settings'
    ]
    result = lint(tree(LOGGED, api_id='"abc123"'))
    assert [f.message for f in result.findings if f.rule_id == "APIGW302"] == [
        "WebSocket execution logging is OFF: default_route_settings sets no logging_level (if it is a WebSocket API; "
        "the api_id of aws_apigatewayv2_stage.prod does not refer to an aws_apigatewayv2_api of this configuration)"
    ]
