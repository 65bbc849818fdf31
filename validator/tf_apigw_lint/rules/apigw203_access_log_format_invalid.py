"""The access-log format is rejected by API Gateway.

## What it does
Checks `access_log_settings.format` of REST API and v2 stages: it must not be empty, must
be a single line (one line break is allowed at its very end, which a heredoc adds), and must
contain `$context.requestId` or `$context.extendedRequestId`. A format known only after
apply is not reported. Of a format known in part (`"$context.requestId ${var.extra}"`), the
known text is checked: a line break in it before the format's end is certain, and no request
id in it is uncertain (the unknown part might hold one).

## Why is this bad
API Gateway refuses the stage update: "Access Log format must be single line, new line
character is allowed only at end of the format", or a format without a request id. The
apply fails, or a multi-line heredoc copied from the console never becomes the format, and
there are no access logs.

## Bad
```hcl
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"

  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/pets"
    format          = <<-EOT
      {
        "status": "$context.status"
      }
    EOT
  }
}
```

## Good
```hcl
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"

  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/pets"
    format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
  }
}
```

## Fix
Write the format on one line, e.g. with `jsonencode({ requestId = "$context.requestId", … })`,
and include `$context.requestId` or `$context.extendedRequestId`.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
- https://docs.aws.amazon.com/apigateway/latest/api/API_AccessLogSettings.html
"""

import re

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit
from tf_apigw_lint.view.values import Holes, holes_of

ID = "APIGW203"
NAME = "access-log-format-invalid"
SEVERITY = Severity.ERROR
TITLE = "Access-log format is empty, multi-line or has no request id"
FIX = 'Use a single-line format containing $context.requestId, e.g. jsonencode({ requestId = "$context.requestId", … }).'

REQUEST_ID = re.compile(r"\$context\.(?:requestId|extendedRequestId)(?![A-Za-z0-9_])")


def check(apigw, options):
    for stage in apigw.all_stages:
        access_log = apigw.access_log(stage)
        if access_log is None:
            continue
        holes = holes_of(access_log.format)
        problems, certain = _partly_known(holes) if holes is not None else (_problems(access_log.format), True)
        if problems:
            yield Hit(stage.instance, "; ".join(problems), certain and not access_log.uncertain, "access_log_settings.format")


def _partly_known(holes: Holes) -> tuple[list[str], bool]:
    parts = holes.parts
    for index, part in enumerate(parts):
        if isinstance(part, str):
            text = part[:-1] if index == len(parts) - 1 and part.endswith("\n") else part
            if "\n" in text or "\r" in text:
                shown = holes.pattern().replace("\r", "\\r").replace("\n", "\\n")
                return [f'access-log format "{shown}" has a line break before its end: API Gateway accepts one line'], True
    if not any(isinstance(part, str) and REQUEST_ID.search(part) for part in parts):
        return [
            f'the known text of the access-log format "{holes.pattern()}" contains neither $context.requestId nor '
            "$context.extendedRequestId (the rest is known only after apply)"
        ], False
    return [], True


def _problems(text) -> list[str]:
    if text is None:
        return ["access_log_settings has no format"]
    if not isinstance(text, str):
        return []
    if not text.strip():
        return ["access-log format is empty"]
    problems = []
    single = text[:-1] if text.endswith("\n") else text
    if "\n" in single or "\r" in single:
        lines = len(single.splitlines())
        problems.append(f"access-log format has {lines} lines: API Gateway accepts one line, a line break only at its very end")
    if not REQUEST_ID.search(text):
        problems.append("access-log format contains neither $context.requestId nor $context.extendedRequestId")
    return problems
