"""A deployment manages its stage through `stage_name`.

## What it does
Finds `aws_api_gateway_deployment` resources with a non-empty `stage_name`. An empty
string creates no stage and is not reported; a value known only after apply is reported as
uncertain.

## Why is this bad
The stage a deployment creates through `stage_name` is deprecated (removed in AWS provider
v6). It is replaced whenever the deployment is, so it is recreated on every redeploy; its
method settings need a second apply because the stage does not exist when they are
planned; and it cannot have access logging, since only `aws_api_gateway_stage` has
`access_log_settings`.

## Bad
```hcl
resource "aws_api_gateway_deployment" "this" {
  rest_api_id = "a1b2c3"
  stage_name  = "prod"
}
```

## Good
```hcl
resource "aws_api_gateway_deployment" "this" {
  rest_api_id = "a1b2c3"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = "prod"
}
```

## Fix
Remove `stage_name` from the deployment and declare an `aws_api_gateway_stage` with
`deployment_id = aws_api_gateway_deployment.<x>.id`.

## References
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_deployment
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/version-6-upgrade
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.view.values import is_known
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW109"
NAME = "deployment-stage-name"
SEVERITY = Severity.WARNING
TITLE = "Deployment manages a stage through stage_name"
FIX = "Remove stage_name from the deployment and declare an aws_api_gateway_stage for it."


def check(apigw, options):
    for stage in apigw.stages:
        if not stage.implicit:
            continue
        name = f'"{stage.name}"' if isinstance(stage.name, str) else "(known only after apply)"
        yield Hit(
            stage.instance,
            f"stage_name {name} makes the deployment manage its stage (deprecated): the stage is "
            "recreated on every redeploy, its method settings need a second apply and it cannot "
            "have access logging",
            is_known(stage.name),
            "stage_name",
        )
