"""The access-log destination is not a log group or an API Gateway Firehose stream.

## What it does
Checks `access_log_settings.destination_arn` of REST API and v2 stages. It must be the ARN
of a CloudWatch Logs log group (`arn:<partition>:logs:<region>:<account>:log-group:<name>`)
or of a Kinesis Data Firehose delivery stream whose name starts with `amazon-apigateway-`,
in the stage's region. A reference must read the `arn` of an `aws_cloudwatch_log_group` or
`aws_kinesis_firehose_delivery_stream` (resource or data source). A trailing `:*` (as in
`"${aws_cloudwatch_log_group.x.arn}:*"`, the form IAM policies use) is not reported: the
AWS provider removes it before calling API Gateway, for REST API and v2 stages alike. A
destination known only after apply is not reported; a Firehose stream whose name is
unknown is reported as uncertain. When only part of the ARN is known
(`"arn:aws:logs:eu-west-1:${data.aws_caller_identity.current.account_id}:log-group:x"`),
the known text is checked: a wrong service or region before the first unknown part is
certain; a problem in the resource after an unknown account id is uncertain, since the
unknown part might hold a `:`.

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
from collections.abc import Sequence

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.analysis.apigw import region_of
from tf_apigw_lint.analysis.logs import FIREHOSE_STREAM_PREFIX
from tf_apigw_lint.view.values import Piece, holes_of
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
# The provider's documentation: "Automatically removes trailing `:*` if present", for
# aws_api_gateway_stage and aws_apigatewayv2_stage alike.
PROVIDER_TRIMMED_SUFFIX = ":*"


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
            problem = _arn_problem([destination.arn], stage)
        elif (holes := holes_of(destination.arn)) is not None:
            problem = _arn_problem(holes.parts, stage)
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
    if destination.suffix not in ("", PROVIDER_TRIMMED_SUFFIX):
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


_HOLE = "\ue000"  # stands for an unknown part: a private-use character no ARN holds


def _arn_problem(parts: Sequence[Piece], stage) -> tuple[str, bool] | None:
    """The first problem of a destination ARN written as `parts` (text, and the unknown
    values between it), with its certainty. A known ARN is checked whole. Of a partly known
    one, the fields before the first unknown part are checked, certainly, and the resource
    after an unknown account id (the usual `${data.aws_caller_identity.current.account_id}`),
    uncertainly: further on, the unknown part could have held any number of `:`."""
    shown = "destination_arn \"" + "".join(part if isinstance(part, str) else "*" for part in parts) + '"'
    text = "".join(part if isinstance(part, str) else _HOLE for part in parts).removesuffix(PROVIDER_TRIMMED_SUFFIX)
    fields = text.split(":", 5)
    first_hole = next((index for index, field in enumerate(fields) if _HOLE in field), len(fields))
    complete = first_hole == len(fields)

    def known(index: int) -> str | None:
        usable = index < first_hole or (first_hole == 4 and index == 5)
        return fields[index] if usable and index < len(fields) and _HOLE not in fields[index] else None

    def certain(index: int) -> bool:
        return index < first_hole

    def may_start(text: str, prefix: str, more: bool) -> bool:
        """Whether `text`, followed by an unknown part when `more`, may start with `prefix`."""
        return text.startswith(prefix) or (more and prefix.startswith(text))

    if (complete and len(fields) != 6) or (known(0) is not None and fields[0] != "arn"):
        return f"{shown} is not an ARN", True
    service = known(2)
    if service is not None and service not in ("logs", "firehose"):
        return f"{shown} is an ARN of {service}: access logs go only to a CloudWatch Logs log group or a Firehose delivery stream", certain(2)
    resource = known(5)
    if service == "logs" and resource is not None:
        name = resource.removeprefix("log-group:")
        if name == resource or not LOG_GROUP_NAME.fullmatch(name):
            return f"{shown} is a CloudWatch Logs ARN but not of a log group", certain(5)
    if service == "firehose" and len(fields) == 6 and first_hole >= 4:
        leading, hole, _ = fields[5].partition(_HOLE)  # the resource's known beginning
        if not may_start(leading, "deliverystream/", bool(hole)):
            return f"{shown} is a Firehose ARN but not of a delivery stream", certain(5)
        stream = leading.removeprefix("deliverystream/")
        if leading.startswith("deliverystream/") and not may_start(stream, FIREHOSE_STREAM_PREFIX, bool(hole)):
            return f"{shown} names a Firehose stream not named {FIREHOSE_STREAM_PREFIX}…: API Gateway delivers only to those", certain(5)
    if complete and (not fields[3] or not ACCOUNT.fullmatch(fields[4])):
        return f"{shown} lacks a region or a 12-digit account id", True
    region = known(3)
    found = _other_region(region, stage, shown.removeprefix("destination_arn ")) if region else None
    return (found[0], certain(3)) if found is not None else None


def _other_region(region, stage, what: str) -> tuple[str, bool] | None:
    stage_region = region_of(stage.instance)
    if isinstance(region, str) and isinstance(stage_region, str) and region != stage_region:
        return f"destination {what} is in {region} but the stage is in {stage_region}: the destination must be in the stage's region", True
    return None
