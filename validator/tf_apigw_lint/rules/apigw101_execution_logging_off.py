"""Execution logging of a stage is off.

## What it does
Finds REST API stages whose stage-wide execution logging level is `OFF`: no method settings
with `method_path = "*/*"` applies to the stage and sets `logging_level`, or it sets `"OFF"`.
A stage created by `aws_api_gateway_deployment.stage_name` is reported on the deployment.

## Why is this bad
`OFF` is the default. Without execution logs there is no record of authorizer decisions,
integration requests and responses or errors inside API Gateway, which is what most teams
expect to find when they "turn on logging".

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
    logging_level = "INFO"
  }
}
```

## Fix
Add `aws_api_gateway_method_settings` with `method_path = "*/*"` and
`settings { logging_level = "INFO" }` for the stage.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method_settings
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.analysis.apigw import level_rank
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW101"
NAME = "execution-logging-off"
SEVERITY = Severity.ERROR
TITLE = "Stage execution logging is OFF"
FIX = 'Add aws_api_gateway_method_settings with method_path = "*/*" and settings { logging_level = "INFO" }.'


def check(apigw, options):
    for stage in apigw.stages:
        levels = apigw.stage_wide_values(stage, "logging_level")
        if any(level.certain and (level_rank(level.value) or 0) > 0 for level in levels):
            continue
        undecided = any(not level.certain or (level_rank(level.value) is None and level.value is not None) for level in levels)
        if not levels:
            reason = 'no method settings with method_path "*/*" applies to it'
        elif undecided:
            reason = "its stage-wide logging_level could not be determined"
        else:
            reason = 'its stage-wide method settings leave logging_level "OFF"'
        yield Hit(stage.instance, f"execution logging of stage {_name(stage)} is OFF: {reason}", not undecided)


def _name(stage) -> str:
    return f'"{stage.name}"' if isinstance(stage.name, str) else stage.address
