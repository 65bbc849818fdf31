"""A REST API stage has no access logging.

## What it does
Finds REST API stages without an `access_log_settings` block (after `dynamic` blocks are
expanded). A stage created by `aws_api_gateway_deployment.stage_name` cannot have access
logging at all and is reported on the deployment.

## Why is this bad
Execution logs miss whole classes of requests: a 403 "Missing Authentication Token" for a
wrong path, or requests rejected before they reach an integration, appear only in access
logs. Without them, client errors are invisible.

## Bad
```hcl
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"
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
    format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
  }
}
```

## Fix
Add `access_log_settings { destination_arn = aws_cloudwatch_log_group.<x>.arn, format = … }`.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
- https://repost.aws/knowledge-center/api-gateway-missing-cloudwatch-logs
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW201"
NAME = "access-logging-missing"
SEVERITY = Severity.ERROR
TITLE = "Stage has no access logging"
FIX = "Add an access_log_settings block with destination_arn and format."


def check(apigw, options):
    for stage in apigw.stages:
        blocks = stage.access_log_settings()
        if any(not block.uncertain for block in blocks):
            continue
        if stage.implicit:
            message = "the stage created by this deployment's stage_name cannot have access logging"
        else:
            message = "stage has no access_log_settings: client errors such as 403 Missing Authentication Token are logged nowhere"
        yield Hit(stage.instance, message, not blocks)
