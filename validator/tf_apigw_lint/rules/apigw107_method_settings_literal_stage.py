"""Method settings find their stage only by a literal name.

## What it does
Finds method settings that match a stage only by value (same REST API, same stage name
written as text or computed from variables) with no dependency on the stage: neither a
reference nor `depends_on`, directly or transitively.

## Why is this bad
Terraform does not know the settings need the stage, so on the first apply it may create
them first, and the AWS API answers "Invalid stage identifier specified". The second apply
works, which hides the problem until the next fresh environment.

## Bad
```hcl
resource "aws_api_gateway_rest_api" "api" {
  name = "pets"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d1"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
}
```

## Good
```hcl
resource "aws_api_gateway_rest_api" "api" {
  name = "pets"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d1"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
}
```

## Fix
Use `stage_name = aws_api_gateway_stage.<name>.stage_name` (or add `depends_on`).

## References
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method_settings
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW107"
NAME = "method-settings-literal-stage"
SEVERITY = Severity.WARNING
TITLE = "Method settings match their stage only by a literal name"
FIX = "Refer to the stage (stage_name = aws_api_gateway_stage.<name>.stage_name) or add depends_on."


def check(apigw, options):
    for settings in apigw.method_settings:
        links = apigw.links_of_settings(settings)
        if not links or any(link.by_reference for link in links):
            continue
        if any(apigw.depends_on(settings, link.stage.instance) for link in links):
            continue
        stage = links[0].stage
        yield Hit(
            settings,
            f"method settings match stage {stage.address} only by its name, without a reference or "
            "depends_on: the first apply can fail with \"Invalid stage identifier specified\"",
            all(link.certain for link in links),
            "stage_name",
        )
