"""The access-log destination is not a log group or an API Gateway Firehose stream.

## What it does
Checks `access_log_settings.destination_arn` of REST API and v2 stages. It must be the ARN
of a CloudWatch Logs log group (`arn:<partition>:logs:<region>:<account>:log-group:<name>`)
or of a Kinesis Data Firehose delivery stream whose name starts with `amazon-apigateway-`,
in the stage's region. A reference must read the `arn` of an `aws_cloudwatch_log_group` or
`aws_kinesis_firehose_delivery_stream` (resource or data source). A log-group ARN ending
in `:*` is reported for REST API stages; for v2 stages the AWS provider removes that
suffix before calling API Gateway. A destination known only after apply is not reported;
a Firehose stream whose name is unknown is reported as uncertain.

## Why is this bad
API Gateway rejects the stage update ("Invalid ARN specified in the request"), or, for a
Firehose stream without the `amazon-apigateway-` prefix or a destination in another
region, cannot deliver: either way there are no access logs.

## Bad
```hcl
resource "aws_s3_bucket" "logs" {
  bucket = "pets-access-logs"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"

  access_log_settings {
    destination_arn = aws_s3_bucket.logs.arn
    format          = "$context.requestId $context.status"
  }
}
```

## Good
```hcl
resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/pets-prod"
  retention_in_days = 30
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "$context.requestId $context.status"
  }
}
```

## Fix
Point `destination_arn` at `aws_cloudwatch_log_group.<x>.arn` (in the stage's region), or
at a Firehose delivery stream named `amazon-apigateway-…`.

## References
- https://docs.aws.amazon.com/apigateway/latest/api/API_AccessLogSettings.html
- https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-logging-to-kinesis.html
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_stage
"""

import re

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.analysis.apigw import V2Stage, region_of
from tf_apigw_lint.analysis.logs import FIREHOSE_STREAM_PREFIX
from tf_apigw_lint.view.aws import parse_arn
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW202"
NAME = "access-log-destination-invalid"
SEVERITY = Severity.ERROR
TITLE = "Access-log destination is not a log group or an amazon-apigateway- Firehose stream"
FIX = "Set destination_arn to aws_cloudwatch_log_group.<x>.arn, or a Firehose stream named amazon-apigateway-…, in the stage's region."

LOG_GROUP = "aws_cloudwatch_log_group"
FIREHOSE = "aws_kinesis_firehose_delivery_stream"
LOG_GROUP_NAME = re.compile(r"[.\-_/#A-Za-z0-9]{1,512}")
ACCOUNT = re.compile(r"\d{12}")


def check(apigw, options):
    for stage in apigw.all_stages:
        access_log = apigw.access_log(stage)
        if access_log is None:
            continue
        destination = access_log.destination
        if not access_log.settings.has("destination_arn"):
            problem = ("access_log_settings has no destination_arn", True)
        elif destination.reference is not None:
            problem = _referenced(destination, stage)
        elif isinstance(destination.arn, str):
            problem = _literal(destination.arn, stage)
        else:
            problem = None
        if problem is not None:
            yield Hit(stage.instance, problem[0], problem[1] and not access_log.uncertain, "access_log_settings.destination_arn")


def _referenced(destination, stage) -> tuple[str, bool] | None:
    reference, target = destination.reference, destination.target
    named = f"{reference.address}.{reference.attribute}"
    if reference.resource_type not in (LOG_GROUP, FIREHOSE):
        return f"destination_arn refers to {named}, which is neither a CloudWatch Logs log group nor a Firehose delivery stream: API Gateway writes access logs only to those", True
    if reference.attribute != "arn":
        return f"destination_arn refers to {named}, which is not the ARN of {reference.address}", True
    if destination.suffix and not (destination.suffix == ":*" and isinstance(stage, V2Stage)):
        return f'destination_arn appends "{destination.suffix}" to the ARN of {reference.address}: API Gateway rejects it', True
    if target is None:
        return None
    if reference.resource_type == FIREHOSE:
        name = target.attr("name")
        if not isinstance(name, str):
            return f"the name of {reference.address} is not known: a Firehose stream for access logs must be named {FIREHOSE_STREAM_PREFIX}…", False
        if not name.startswith(FIREHOSE_STREAM_PREFIX):
            return f'Firehose stream {reference.address} is named "{name}": API Gateway delivers access logs only to streams named {FIREHOSE_STREAM_PREFIX}…', True
    return _other_region(region_of(target), stage, reference.address)


def _literal(text: str, stage) -> tuple[str, bool] | None:
    arn = parse_arn(text)
    if arn is None:
        return f'destination_arn "{text}" is not an ARN', True
    if arn.service == "logs":
        name = arn.resource.removeprefix("log-group:")
        if name.endswith(":*") and name != arn.resource:
            if not isinstance(stage, V2Stage):
                return f'destination_arn "{text}" ends in ":*": API Gateway rejects it; remove the suffix', True
            name = name[:-2]
        if name == arn.resource or not LOG_GROUP_NAME.fullmatch(name):
            return f'destination_arn "{text}" is a CloudWatch Logs ARN but not of a log group', True
    elif arn.service == "firehose":
        if not arn.resource.startswith("deliverystream/"):
            return f'destination_arn "{text}" is a Firehose ARN but not of a delivery stream', True
        if not arn.resource.removeprefix("deliverystream/").startswith(FIREHOSE_STREAM_PREFIX):
            return f'destination_arn "{text}" names a Firehose stream not named {FIREHOSE_STREAM_PREFIX}…: API Gateway delivers only to those', True
    else:
        return f'destination_arn "{text}" is an ARN of {arn.service}: access logs go only to a CloudWatch Logs log group or a Firehose delivery stream', True
    if not arn.region or not ACCOUNT.fullmatch(arn.account):
        return f'destination_arn "{text}" lacks a region or a 12-digit account id', True
    return _other_region(arn.region, stage, f'"{text}"')


def _other_region(region, stage, what: str) -> tuple[str, bool] | None:
    stage_region = region_of(stage.instance)
    if isinstance(region, str) and isinstance(stage_region, str) and region != stage_region:
        return f"destination {what} is in {region} but the stage is in {stage_region}: the destination must be in the stage's region", True
    return None
