"""Method settings that apply to no stage.

## What it does
Finds `aws_api_gateway_method_settings` that match no stage of the configuration, neither by
reference (`stage_name = aws_api_gateway_stage.s.stage_name`) nor by value (same REST API and
same stage name).

## Why is this bad
The apply fails ("Invalid stage identifier specified") or the settings land on a stage
nobody looks at, and the intended stage keeps logging off.

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
  stage_name  = "production"
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
Refer to the stage: `stage_name = aws_api_gateway_stage.<name>.stage_name`.

## References
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method_settings
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.view.values import Reference
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW106"
NAME = "method-settings-orphan"
SEVERITY = Severity.ERROR
TITLE = "Method settings match no stage"
FIX = "Set stage_name to a reference to the stage: aws_api_gateway_stage.<name>.stage_name."


def check(apigw, options):
    for settings in apigw.method_settings:
        if apigw.links_of_settings(settings):
            continue
        api = settings.attr("rest_api_id")
        # Only when the REST API itself is managed here can its stages all be known.
        managed_api = isinstance(api, Reference) and api.resource_type == "aws_api_gateway_rest_api" and not api.address.split(".").count("data")
        name = settings.attr("stage_name")
        shown = f'"{name}"' if isinstance(name, str) else "its stage_name"
        yield Hit(
            settings,
            f"method settings match no stage of this configuration: no stage named {shown} on this REST API",
            managed_api and isinstance(name, str),
            "stage_name",
        )
