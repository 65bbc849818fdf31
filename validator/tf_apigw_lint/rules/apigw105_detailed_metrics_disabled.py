"""Detailed CloudWatch metrics are off for a stage.

## What it does
Finds REST API stages whose stage-wide method settings do not set `metrics_enabled = true`
(including stages with no stage-wide method settings at all).

## Why is this bad
Without detailed metrics CloudWatch has only API-level numbers: 4XX/5XX counts and latency
per method are missing, so the requests that never reach the logs cannot even be counted.

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
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_stage.prod.rest_api_id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level   = "INFO"
    metrics_enabled = true
  }
}
```

## Fix
Set `metrics_enabled = true` in the stage-wide method settings.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW105"
NAME = "detailed-metrics-disabled"
SEVERITY = Severity.NOTE
TITLE = "Detailed CloudWatch metrics are disabled"
FIX = 'Set settings { metrics_enabled = true } in the "*/*" method settings.'


def check(apigw, options):
    for stage in apigw.stages:
        metrics = apigw.stage_wide_values(stage, "metrics_enabled")
        if any(metric.certain and metric.value is True for metric in metrics):
            continue
        certain = all(metric.certain and isinstance(metric.value, bool) or metric.value is None for metric in metrics)
        yield Hit(stage.instance, "detailed CloudWatch metrics (metrics_enabled) are off for this stage", certain)
