"""An HTTP or WebSocket API stage has no access logging.

## What it does
Finds `aws_apigatewayv2_stage` resources without an `access_log_settings` block (after
`dynamic` blocks are expanded). Their destination and format are checked by APIGW202,
APIGW203 and APIGW204 like those of REST API stages.

## Why is this bad
HTTP APIs have no execution logs at all: access logs are the only record of requests,
their status and integration errors. For WebSocket APIs, connections rejected before
they reach a route appear only in access logs.

## Bad
```hcl
resource "aws_apigatewayv2_api" "http" {
  name          = "pets"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
}
```

## Good
```hcl
resource "aws_apigatewayv2_api" "http" {
  name          = "pets"
  protocol_type = "HTTP"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/pets"
  retention_in_days = 30
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
  }
}
```

## Fix
Add `access_log_settings { destination_arn = aws_cloudwatch_log_group.<x>.arn, format = … }`.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
- https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-logging.html
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/apigatewayv2_stage
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW301"
NAME = "v2-access-logging-missing"
SEVERITY = Severity.ERROR
TITLE = "HTTP or WebSocket API stage has no access logging"
FIX = "Add an access_log_settings block with destination_arn and format."


def check(apigw, options):
    for stage in apigw.v2_stages:
        blocks = stage.access_log_settings()
        if any(not block.uncertain for block in blocks):
            continue
        yield Hit(stage.instance, "stage has no access_log_settings: requests that fail before an integration or route are logged nowhere (HTTP APIs have no execution logs)", not blocks)
