"""Access logging and deployment rules on inline Terraform (APIGW109, APIGW201 with
`dynamic`, APIGW202–205): each case pins (rule id, address, path, first line, last line,
certain) for one rule."""

from __future__ import annotations

import json

import pytest
from lint_helpers import per_address

from tf_apigw_lint.rules.apigw204_access_log_format_json import json_problem


def found(result, rule_id):
    return sorted((f.rule_id, address, f.path, f.line, f.end_line, f.certain) for f, address in per_address(result.findings) if f.rule_id == rule_id)


def hcl(text: str) -> str:
    """`text` as a quoted HCL string (JSON escapes are HCL escapes for these texts)."""
    return json.dumps(text)


PROVIDER = 'provider "aws" {\n  region = "eu-west-1"\n}\n'
API = 'resource "aws_api_gateway_rest_api" "api" {\n  name = "pets"\n}\n'
LOG_GROUP = """\
resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/pets"
  retention_in_days = 30
}
"""
# main.tf: provider lines 1-3, REST API lines 4-6, log group lines 7-10.
MAIN = PROVIDER + API + LOG_GROUP
GROUP_ARN = "aws_cloudwatch_log_group.access.arn"
REQUEST_ID = hcl("$context.requestId $context.status")


def stage(destination: str = GROUP_ARN, format: str = REQUEST_ID, name: str = "prod") -> str:
    """stage.tf: the stage starts on line 1, destination_arn is line 7, format starts on line 8."""
    return f"""\
resource "aws_api_gateway_stage" "{name}" {{
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d1"
  stage_name    = "{name}"

  access_log_settings {{
    destination_arn = {destination}
    format          = {format}
  }}
}}
"""


def tree(destination: str = GROUP_ARN, format: str = REQUEST_ID, other: str = "", main: str = MAIN) -> dict[str, str]:
    files = {"main.tf": main, "stage.tf": stage(destination, format)}
    if other:
        files["other.tf"] = other
    return files


def firehose(name: str) -> str:
    return f"""\
resource "aws_kinesis_firehose_delivery_stream" "logs" {{
  name        = {name}
  destination = "extended_s3"
}}
"""


INFO_SETTINGS = """\
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
}
"""


def execution_group(name: str, retention: str = "\n  retention_in_days = 14") -> str:
    return f'resource "aws_cloudwatch_log_group" "execution" {{\n  name = {name}{retention}\n}}\n'


EXEC_NAME = '"API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.api.id}/prod"'
STAGE_202 = ("APIGW202", "aws_api_gateway_stage.prod", "stage.tf", 7, 7, True)
STAGE_203 = ("APIGW203", "aws_api_gateway_stage.prod", "stage.tf", 8, 8, True)
STAGE_204 = ("APIGW204", "aws_api_gateway_stage.prod", "stage.tf", 8, 8, True)
STAGE_205 = ("APIGW205", "aws_api_gateway_stage.prod", "stage.tf", 1, 10, True)

CASES = {
    # --- APIGW109 deployment-stage-name ----------------------------------------------
    "109 deployment with stage_name": (
        "APIGW109", {"main.tf": 'resource "aws_api_gateway_deployment" "this" {\n  rest_api_id = "a1b2c3"\n  stage_name  = "prod"\n}\n'}, {},
        [("APIGW109", "aws_api_gateway_deployment.this", "main.tf", 3, 3, True)],
    ),
    "109 empty stage_name creates no stage": (
        "APIGW109", {"main.tf": 'resource "aws_api_gateway_deployment" "this" {\n  rest_api_id = "a1b2c3"\n  stage_name  = ""\n}\n'}, {}, [],
    ),
    "109 null stage_name creates no stage": (
        "APIGW109", {"main.tf": 'resource "aws_api_gateway_deployment" "this" {\n  rest_api_id = "a1b2c3"\n  stage_name  = null\n}\n'}, {}, [],
    ),
    "109 deployment without stage_name": (
        "APIGW109", {"main.tf": 'resource "aws_api_gateway_deployment" "this" {\n  rest_api_id = "a1b2c3"\n}\n'}, {}, [],
    ),
    "109 stage_name from a variable without value is uncertain": (
        "APIGW109",
        {"main.tf": 'variable "stage" {\n  type = string\n}\n\nresource "aws_api_gateway_deployment" "this" {\n  rest_api_id = "a1b2c3"\n  stage_name  = var.stage\n}\n'},
        {},
        [("APIGW109", "aws_api_gateway_deployment.this", "main.tf", 7, 7, False)],
    ),
    "109 one finding per instance": (
        "APIGW109",
        {"main.tf": 'resource "aws_api_gateway_deployment" "this" {\n  for_each    = toset(["dev", "prod"])\n  rest_api_id = "a1b2c3"\n  stage_name  = each.key\n}\n'},
        {},
        [("APIGW109", 'aws_api_gateway_deployment.this["dev"]', "main.tf", 4, 4, True),
         ("APIGW109", 'aws_api_gateway_deployment.this["prod"]', "main.tf", 4, 4, True)],
    ),
    # --- APIGW201 with dynamic blocks ----------------------------------------------------
    "201 dynamic access_log_settings expanding to nothing": (
        "APIGW201",
        {"main.tf": MAIN, "stage.tf": """\
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d1"
  stage_name    = "prod"

  dynamic "access_log_settings" {
    for_each = []
    content {
      destination_arn = aws_cloudwatch_log_group.access.arn
      format          = "$context.status"
    }
  }
}
"""},
        {},
        [("APIGW201", "aws_api_gateway_stage.prod", "stage.tf", 1, 13, True)],
    ),
    # --- APIGW202 access-log-destination-invalid -----------------------------------------
    "202 log group reference": ("APIGW202", tree(), {}, []),
    "202 S3 bucket reference": (
        "APIGW202", tree("aws_s3_bucket.logs.arn", other='resource "aws_s3_bucket" "logs" {\n  bucket = "pets-logs"\n}\n'), {}, [STAGE_202],
    ),
    "202 Firehose stream named amazon-apigateway-": (
        "APIGW202", tree("aws_kinesis_firehose_delivery_stream.logs.arn", other=firehose('"amazon-apigateway-pets"')), {}, [],
    ),
    "202 Firehose stream without the prefix": (
        "APIGW202", tree("aws_kinesis_firehose_delivery_stream.logs.arn", other=firehose('"pets-access-logs"')), {}, [STAGE_202],
    ),
    "202 Firehose stream whose name is unknown is uncertain": (
        "APIGW202",
        tree("aws_kinesis_firehose_delivery_stream.logs.arn", other=firehose("var.stream") + 'variable "stream" {\n  type = string\n}\n'),
        {},
        [STAGE_202[:5] + (False,)],
    ),
    "202 Firehose stream name from --var": (
        "APIGW202",
        tree("aws_kinesis_firehose_delivery_stream.logs.arn", other=firehose("var.stream") + 'variable "stream" {\n  type = string\n}\n'),
        {"vars": [("stream", "amazon-apigateway-pets")]},
        [],
    ),
    "202 literal log-group ARN in the stage's region": (
        "APIGW202", tree(hcl("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/pets")), {}, [],
    ),
    "202 literal log-group ARN in another region": (
        "APIGW202", tree(hcl("arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/pets")), {}, [STAGE_202],
    ),
    "202 literal ARN and no provider region: region not compared": (
        "APIGW202", tree(hcl("arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/pets"), main=API + LOG_GROUP), {}, [],
    ),
    "202 literal ARN in the region of the stage's own region argument": (
        "APIGW202",
        {"main.tf": MAIN, "stage.tf": stage(hcl("arn:aws:logs:us-east-1:123456789012:log-group:x")).replace('  deployment_id', '  region        = "us-east-1"\n  deployment_id')},
        {},
        [],
    ),
    # The AWS provider trims a trailing ":*" from destination_arn for REST API stages too.
    "202 stage in its own region, referenced log group in the provider's": (
        "APIGW202",
        {"main.tf": MAIN, "stage.tf": stage().replace('  deployment_id', '  region        = "us-east-1"\n  deployment_id')},
        {},
        [("APIGW202", "aws_api_gateway_stage.prod", "stage.tf", 8, 8, True)],
    ),
    "202 stage and referenced log group in the same own region": (
        "APIGW202",
        {"main.tf": MAIN.replace("  retention_in_days = 30\n", '  retention_in_days = 30\n  region            = "us-east-1"\n'),
         "stage.tf": stage().replace('  deployment_id', '  region        = "us-east-1"\n  deployment_id')},
        {},
        [],
    ),
    "202 referenced log group in its own region, stage in the provider's": (
        "APIGW202",
        {"main.tf": MAIN.replace("  retention_in_days = 30\n", '  retention_in_days = 30\n  region            = "us-east-1"\n'), "stage.tf": stage()},
        {},
        [STAGE_202],
    ),
    "202 data.aws_region with its own region names another region": (
        "APIGW202",
        tree('"arn:aws:logs:${data.aws_region.us.name}:123456789012:log-group:pets"',
             other='data "aws_region" "us" {\n  region = "us-east-1"\n}\n'),
        {},
        [STAGE_202],
    ),
    "202 data.aws_region of the provider names the stage's region": (
        "APIGW202", tree('"arn:aws:logs:${data.aws_region.here.name}:123456789012:log-group:pets"', other='data "aws_region" "here" {}\n'), {}, [],
    ),
    "202 log-group ARN ending in :* (the provider trims it)": (
        "APIGW202", tree(hcl("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/pets:*")), {}, [],
    ),
    "202 :* appended to a log group reference (the provider trims it)": (
        "APIGW202", tree('"${aws_cloudwatch_log_group.access.arn}:*"'), {}, [],
    ),
    "202 log-group ARN ending in :* in another region": (
        "APIGW202", tree(hcl("arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/pets:*")), {}, [STAGE_202],
    ),
    "202 :* appended to a reference to a log group in another region": (
        "APIGW202",
        tree('"${aws_cloudwatch_log_group.west.arn}:*"',
             other='provider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}\n\n'
                   'resource "aws_cloudwatch_log_group" "west" {\n  provider = aws.west\n  name     = "pets"\n}\n'),
        {},
        [STAGE_202],
    ),
    "202 another suffix appended to a log group reference": (
        "APIGW202", tree('"${aws_cloudwatch_log_group.access.arn}:log-stream:a"'), {}, [STAGE_202],
    ),
    "202 log group name instead of ARN": ("APIGW202", tree("aws_cloudwatch_log_group.access.name"), {}, [STAGE_202]),
    "202 log group id instead of ARN": ("APIGW202", tree("aws_cloudwatch_log_group.access.id"), {}, [STAGE_202]),
    "202 log stream ARN": (
        "APIGW202", tree(hcl("arn:aws:logs:eu-west-1:123456789012:log-group:pets:log-stream:a")), {}, [STAGE_202],
    ),
    "202 ARN of another service": (
        "APIGW202", tree(hcl("arn:aws:lambda:eu-west-1:123456789012:function:logs")), {}, [STAGE_202],
    ),
    "202 not an ARN": ("APIGW202", tree(hcl("/aws/apigateway/pets")), {}, [STAGE_202]),
    "202 literal Firehose ARN with the prefix": (
        "APIGW202", tree(hcl("arn:aws:firehose:eu-west-1:123456789012:deliverystream/amazon-apigateway-pets")), {}, [],
    ),
    "202 literal Firehose ARN without the prefix": (
        "APIGW202", tree(hcl("arn:aws:firehose:eu-west-1:123456789012:deliverystream/pets")), {}, [STAGE_202],
    ),
    "202 referenced log group in another region (provider alias)": (
        "APIGW202",
        tree("aws_cloudwatch_log_group.west.arn",
             other='provider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}\n\n'
                   'resource "aws_cloudwatch_log_group" "west" {\n  provider = aws.west\n  name     = "pets"\n}\n'),
        {},
        [STAGE_202],
    ),
    "202 data source log group": (
        "APIGW202", tree("data.aws_cloudwatch_log_group.shared.arn", other='data "aws_cloudwatch_log_group" "shared" {\n  name = "shared"\n}\n'), {}, [],
    ),
    "202 log group through a module output": (
        "APIGW202",
        {**tree("module.logs.arn"),
         "other.tf": 'module "logs" {\n  source = "./logs"\n}\n',
         "logs/main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n\noutput "arn" {\n  value = aws_s3_bucket.b.arn\n}\n'},
        {},
        [STAGE_202],
    ),
    "202 destination known only after apply": (
        "APIGW202", tree("var.destination", other='variable "destination" {\n  type = string\n}\n'), {}, [],
    ),
    "202 no destination_arn": (
        "APIGW202",
        {"main.tf": MAIN, "stage.tf": 'resource "aws_api_gateway_stage" "prod" {\n  rest_api_id   = "a1b2c3"\n  deployment_id = "d1"\n  stage_name    = "prod"\n\n'
                                      '  access_log_settings {\n    format = "$context.requestId"\n  }\n}\n'},
        {},
        [("APIGW202", "aws_api_gateway_stage.prod", "stage.tf", 6, 8, True)],
    ),
    "202 destination inside a dynamic block": (
        "APIGW202",
        {"main.tf": MAIN, "other.tf": 'resource "aws_s3_bucket" "logs" {\n  bucket = "pets-logs"\n}\n', "stage.tf": """\
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d1"
  stage_name    = "prod"

  dynamic "access_log_settings" {
    for_each = { s3 = aws_s3_bucket.logs.arn }
    content {
      destination_arn = access_log_settings.value
      format          = "$context.requestId"
    }
  }
}
"""},
        {},
        [("APIGW202", "aws_api_gateway_stage.prod", "stage.tf", 9, 9, True)],
    ),
    "202 dynamic block with unknown for_each is uncertain": (
        "APIGW202",
        {"main.tf": MAIN, "other.tf": 'variable "logs" {\n  type = map(string)\n}\n', "stage.tf": """\
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d1"
  stage_name    = "prod"

  dynamic "access_log_settings" {
    for_each = var.logs
    content {
      destination_arn = "arn:aws:s3:::pets-logs"
      format          = "$context.requestId"
    }
  }
}
"""},
        {},
        [("APIGW202", "aws_api_gateway_stage.prod", "stage.tf", 9, 9, False)],
    ),
    # --- APIGW203 access-log-format-invalid ----------------------------------------------
    "203 valid format": ("APIGW203", tree(), {}, []),
    "203 no request id": ("APIGW203", tree(format=hcl("$context.status $context.httpMethod")), {}, [STAGE_203]),
    "203 extendedRequestId is enough": ("APIGW203", tree(format=hcl("$context.extendedRequestId $context.status")), {}, []),
    "203 integration.requestId is not the request id": (
        "APIGW203", tree(format=hcl("$context.integration.requestId $context.status")), {}, [STAGE_203],
    ),
    "203 requestIdx is not requestId": ("APIGW203", tree(format=hcl("$context.requestIdx")), {}, [STAGE_203]),
    "203 line break inside": ("APIGW203", tree(format=hcl("$context.requestId\n$context.status")), {}, [STAGE_203]),
    "203 carriage return inside": ("APIGW203", tree(format=hcl("$context.requestId\r$context.status")), {}, [STAGE_203]),
    "203 trailing newline only is valid": ("APIGW203", tree(format=hcl("$context.requestId $context.status\n")), {}, []),
    "203 two trailing newlines": ("APIGW203", tree(format=hcl("$context.requestId\n\n")), {}, [STAGE_203]),
    "203 one-line heredoc is valid": (
        "APIGW203", tree(format="<<-EOT\n      $context.requestId $context.status\n    EOT"), {}, [],
    ),
    "203 multi-line heredoc": (
        "APIGW203",
        tree(format='<<-EOT\n      {\n        "requestId": "$context.requestId"\n      }\n    EOT'),
        {},
        [("APIGW203", "aws_api_gateway_stage.prod", "stage.tf", 8, 12, True)],
    ),
    "203 empty format": ("APIGW203", tree(format='""'), {}, [STAGE_203]),
    "203 blank format": ("APIGW203", tree(format='"  "'), {}, [STAGE_203]),
    "203 format known only after apply": (
        "APIGW203", tree(format="var.format", other='variable "format" {\n  type = string\n}\n'), {}, [],
    ),
    "203 multi-line format read with file()": (
        "APIGW203",
        {**tree(format='file("${path.module}/format.json")'), "format.json": '{\n  "requestId": "$context.requestId"\n}\n'},
        {},
        [STAGE_203],
    ),
    "203 one-line format file with a final newline": (
        "APIGW203",
        {**tree(format='file("${path.module}/format.json")'), "format.json": '{"requestId": "$context.requestId"}\n'},
        {},
        [],
    ),
    "203 jsonencode": (
        "APIGW203", tree(format='jsonencode({ requestId = "$context.requestId", status = "$context.status" })'), {}, [],
    ),
    # --- APIGW204 access-log-format-json -------------------------------------------------
    "204 quoted strings, unquoted numbers": (
        "APIGW204",
        tree(format=hcl('{"requestId": "$context.requestId", "status": "$context.status", "latency": $context.responseLatency, "code": $context.status}')),
        {},
        [],
    ),
    "204 missing comma": (
        "APIGW204", tree(format=hcl('{"requestId": "$context.requestId" "status": "$context.status"}')), {}, [STAGE_204],
    ),
    "204 trailing comma": ("APIGW204", tree(format=hcl('{"requestId": "$context.requestId",}')), {}, [STAGE_204]),
    "204 unquoted text variable": (
        "APIGW204", tree(format=hcl('{"requestId": "$context.requestId", "ip": $context.identity.sourceIp}')), {}, [STAGE_204],
    ),
    "204 quoted messageString": (
        "APIGW204", tree(format=hcl('{"requestId": "$context.requestId", "error": "$context.error.messageString"}')), {}, [STAGE_204],
    ),
    "204 unquoted messageString": (
        "APIGW204", tree(format=hcl('{"requestId": "$context.requestId", "error": $context.error.messageString}')), {}, [],
    ),
    "204 unquoted boolean and custom authorizer value": (
        "APIGW204",
        tree(format=hcl('{"requestId": "$context.requestId", "canary": $context.isCanaryRequest, "tenant": $context.authorizer.tenantId}')),
        {},
        [],
    ),
    "204 escaped quotes around a variable": (
        "APIGW204", tree(format=hcl('{"requestId": "$context.requestId", "say": "\\"$context.status\\""}')), {}, [],
    ),
    "204 jsonencode is always JSON": (
        "APIGW204", tree(format='jsonencode({ requestId = "$context.requestId", ip = "$context.identity.sourceIp" })'), {}, [],
    ),
    "204 not meant as JSON": ("APIGW204", tree(format=hcl("$context.requestId $context.status {")), {}, []),
    "204 multi-line JSON heredoc is valid JSON": (
        "APIGW204", tree(format='<<-EOT\n      {\n        "requestId": "$context.requestId"\n      }\n    EOT'), {}, [],
    ),
    # --- APIGW205 log-retention-unset ----------------------------------------------------
    "205 access-log group with retention": ("APIGW205", tree(), {}, []),
    "205 access-log group without retention": (
        "APIGW205",
        tree(main=PROVIDER + API + 'resource "aws_cloudwatch_log_group" "access" {\n  name = "/aws/apigateway/pets"\n}\n'),
        {},
        [("APIGW205", "aws_cloudwatch_log_group.access", "main.tf", 7, 9, True)],
    ),
    "205 access-log group with retention 0": (
        "APIGW205",
        tree(main=MAIN.replace("retention_in_days = 30", "retention_in_days = 0")),
        {},
        [("APIGW205", "aws_cloudwatch_log_group.access", "main.tf", 9, 9, True)],
    ),
    "205 retention known only after apply": (
        "APIGW205",
        tree(main=MAIN.replace("retention_in_days = 30", "retention_in_days = var.days"), other='variable "days" {\n  type = number\n}\n'),
        {},
        [],
    ),
    "205 log group named by a literal ARN": (
        "APIGW205",
        tree(hcl("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/pets"),
             main=PROVIDER + API + 'resource "aws_cloudwatch_log_group" "access" {\n  name = "/aws/apigateway/pets"\n}\n'),
        {},
        [("APIGW205", "aws_cloudwatch_log_group.access", "main.tf", 7, 9, True)],
    ),
    "205 unrelated log group without retention": (
        "APIGW205", tree(other='resource "aws_cloudwatch_log_group" "other" {\n  name = "other"\n}\n'), {}, [],
    ),
    "205 execution logging on, execution-log group not declared": (
        "APIGW205", tree(other=INFO_SETTINGS), {}, [STAGE_205],
    ),
    "205 execution logging off: nothing to declare": ("APIGW205", tree(), {}, []),
    "205 execution-log group declared by its template name": (
        "APIGW205", tree(other=INFO_SETTINGS + execution_group(EXEC_NAME)), {}, [],
    ),
    "205 execution-log group naming the stage by reference": (
        "APIGW205",
        tree(other=INFO_SETTINGS + execution_group('"API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.api.id}/${aws_api_gateway_stage.prod.stage_name}"')),
        {},
        [],
    ),
    "205 execution-log group declared without retention": (
        "APIGW205",
        tree(other=INFO_SETTINGS + execution_group(EXEC_NAME, retention="")),
        {},
        [("APIGW205", "aws_cloudwatch_log_group.execution", "other.tf", 9, 11, True)],
    ),
    "205 execution-log group of another stage": (
        "APIGW205",
        tree(other=INFO_SETTINGS + execution_group(EXEC_NAME.replace("/prod", "/dev"), retention="")),
        {},
        [STAGE_205, ("APIGW205", "aws_cloudwatch_log_group.execution", "other.tf", 9, 11, True)],
    ),
    "205 execution-log group of another API": (
        "APIGW205",
        tree(other=INFO_SETTINGS + execution_group(EXEC_NAME.replace("rest_api.api", "rest_api.other"))
             + 'resource "aws_api_gateway_rest_api" "other" {\n  name = "other"\n}\n'),
        {},
        [STAGE_205],
    ),
    # Through a local the name keeps its known text around the API id: it is the stage's.
    "205 execution-log group name through a local is read through it": (
        "APIGW205",
        tree(other=INFO_SETTINGS + execution_group("local.execution_group")
             + f"locals {{\n  execution_group = {EXEC_NAME}\n}}\n"),
        {},
        [],
    ),
    "205 execution-log group name that cannot be read but refers to the API is possibly the stage's": (
        "APIGW205",
        tree(other=INFO_SETTINGS + execution_group("lower(local.execution_group)")
             + f"locals {{\n  execution_group = {EXEC_NAME}\n}}\n"),
        {},
        [STAGE_205[:5] + (False,)],
    ),
    "205 implicit stage of a deployment is reported on the deployment": (
        "APIGW205",
        {"main.tf": MAIN + """
resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_deployment.this.stage_name
  method_path = "*/*"
  settings {
    logging_level = "ERROR"
  }
}
"""},
        {},
        [("APIGW205", "aws_api_gateway_deployment.this", "main.tf", 12, 15, True)],
    ),
}


@pytest.mark.parametrize("rule_id, files, kwargs, expected", CASES.values(), ids=CASES.keys())
def test_rule(lint, rule_id, files, kwargs, expected):
    assert found(lint(files, **kwargs), rule_id) == expected


MODULE_STAGE = """\
variable "name" {
  type = string
}

resource "aws_api_gateway_stage" "this" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = var.name

  access_log_settings {
    destination_arn = "arn:aws:s3:::logs"
    format          = "$context.status"
  }
}
"""


def test_stage_in_a_module_called_twice_gives_one_finding_per_instance(lint):
    result = lint({
        "main.tf": 'module "dev" {\n  source = "./api"\n  name   = "dev"\n}\n\nmodule "prod" {\n  source = "./api"\n  name   = "prod"\n}\n',
        "api/main.tf": MODULE_STAGE,
    })
    assert found(result, "APIGW202") == [
        ("APIGW202", "module.dev.aws_api_gateway_stage.this", "api/main.tf", 11, 11, True),
        ("APIGW202", "module.prod.aws_api_gateway_stage.this", "api/main.tf", 11, 11, True),
    ]
    assert found(result, "APIGW203") == [
        ("APIGW203", "module.dev.aws_api_gateway_stage.this", "api/main.tf", 12, 12, True),
        ("APIGW203", "module.prod.aws_api_gateway_stage.this", "api/main.tf", 12, 12, True),
    ]


def test_messages_name_the_problem(lint):
    result = lint(tree(hcl("arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/pets:*"),
                       format=hcl('{"requestId": "$context.requestId", "error": "$context.error.messageString"}')))
    messages = {f.rule_id: f.message for f in result.findings}
    assert messages["APIGW202"] == ('destination "arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/pets:*" is in us-east-1 '
                                    "but the stage is in eu-west-1: the destination must be in the stage's region")
    assert messages["APIGW204"] == ("access-log format starts with { but is not JSON once $context variables are filled in: "
                                    "$context.error.messageString is written with its own quotes and must not be put in quotes")


@pytest.mark.parametrize("text, problem", [
    ('{"a": "$context.requestId"}', None),
    ('{"a": $context.status, "b": $context.responseLatency}', None),
    ('{"a": $context.stage}', "$context.stage is text and must be put in quotes"),
    ('{"a": "$context.error.messageString"}', "$context.error.messageString is written with its own quotes and must not be put in quotes"),
    ('{"a": $context.error.messageString}', None),
    ('{"a": "\\"$context.stage\\""}', None),
    ('{"a": "$context.requestId"', "Expecting ',' delimiter near '{\"a\": \"x\"'"),
])
def test_json_problem(text, problem):
    assert json_problem(text) == problem


@pytest.mark.parametrize("destination, message", [
    ("arn:aws:s3:::pets-logs", 'destination_arn "arn:aws:s3:::pets-logs" is an ARN of s3: access logs go only to a CloudWatch Logs log group or a Firehose delivery stream'),
    ("arn:aws:logs:eu-west-1::log-group:pets", 'destination_arn "arn:aws:logs:eu-west-1::log-group:pets" lacks a region or a 12-digit account id'),
    ("arn:aws:firehose:eu-west-1:123456789012:deliverystream/pets",
     'destination_arn "arn:aws:firehose:eu-west-1:123456789012:deliverystream/pets" names a Firehose stream not named amazon-apigateway-…: API Gateway delivers only to those'),
])
def test_literal_destination_messages(lint, destination, message):
    result = lint(tree(hcl(destination)))
    assert [(f.rule_id, f.line, f.message) for f in result.findings if f.rule_id == "APIGW202"] == [("APIGW202", 7, message)]


CALLER = 'data "aws_caller_identity" "c" {}\n'
ACCOUNT_ID = "${data.aws_caller_identity.c.account_id}"


@pytest.mark.parametrize("destination, certain, message", [
    (f"arn:aws:s3:::{ACCOUNT_ID}-logs", True,
     'destination_arn "arn:aws:s3:::*-logs" is an ARN of s3: access logs go only to a CloudWatch Logs log group or a Firehose delivery stream'),
    (f"arn:aws:logs:us-east-1:{ACCOUNT_ID}:log-group:pets", True,
     'destination "arn:aws:logs:us-east-1:*:log-group:pets" is in us-east-1 but the stage is in eu-west-1: the destination must be in the stage\'s region'),
    # After the unknown account id: uncertain, the unknown part might hold a ":".
    (f"arn:aws:firehose:eu-west-1:{ACCOUNT_ID}:deliverystream/pets", False,
     'destination_arn "arn:aws:firehose:eu-west-1:*:deliverystream/pets" names a Firehose stream not named amazon-apigateway-…: API Gateway delivers only to those'),
    (f"arn:aws:logs:eu-west-1:{ACCOUNT_ID}:log-group:/aws/apigateway/pets", None, None),
    (f"arn:aws:firehose:eu-west-1:{ACCOUNT_ID}:deliverystream/amazon-apigateway-{{var.x}}", None, None),
    ("${var.x}:log-group:pets", None, None),  # nothing known before the first unknown part
])
def test_partly_known_destination_is_checked_where_known(lint, destination, certain, message):
    """SPEC §4: a rule never guesses from an Unknown, nor ignores what is known."""
    variable = 'variable "x" {\n  type = string\n}\n'
    result = lint(tree(hcl(destination).replace("{{", "${"), other=CALLER + variable))
    found = [(f.rule_id, f.line, f.certain, f.message) for f in result.findings if f.rule_id == "APIGW202"]
    assert found == ([] if message is None else [("APIGW202", 7, certain, message)])


@pytest.mark.parametrize("format, certain, message", [
    ("$context.requestId\\n$context.status " + ACCOUNT_ID, True,
     'access-log format "$context.requestId\\n$context.status *" has a line break before its end: API Gateway accepts one line'),
    ("$context.status " + ACCOUNT_ID, False,
     'the known text of the access-log format "$context.status *" contains neither $context.requestId nor '
     "$context.extendedRequestId (the rest is known only after apply)"),
    ("$context.requestId " + ACCOUNT_ID + "\\n", None, None),  # one line break, at the very end
])
def test_partly_known_format_is_checked_where_known(lint, format, certain, message):
    result = lint(tree(format=f'"{format}"', other=CALLER))
    found = [(f.rule_id, f.line, f.certain, f.message) for f in result.findings if f.rule_id == "APIGW203"]
    assert found == ([] if message is None else [("APIGW203", 8, certain, message)])
