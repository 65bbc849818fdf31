"""A per-method override turns execution logging down.

## What it does
Finds method-specific method settings (`method_path = "pets/GET"`) whose `logging_level` is
below the stage-wide level of the stage it applies to, or below `min_level`.

## Why is this bad
A method-specific setting overrides the stage-wide one for that method. It silently turns
logging down or off for exactly the requests someone will later look for.

## Bad
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

resource "aws_api_gateway_method_settings" "pets_get" {
  rest_api_id = aws_api_gateway_stage.prod.rest_api_id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "pets/GET"
  settings {
    logging_level = "OFF"
  }
}
```

## Good
```hcl
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "pets_get" {
  rest_api_id = aws_api_gateway_stage.prod.rest_api_id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "pets/GET"
  settings {
    logging_level        = "INFO"
    throttling_rate_limit = 10
  }
}
```

## Fix
Remove `logging_level` from the method-specific settings, or set it to the stage-wide level.

## References
- https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.analysis.apigw import level_rank
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW103"
NAME = "method-override-weakens-logging"
SEVERITY = Severity.WARNING
TITLE = "Method-specific settings lower the execution logging level"
FIX = "Remove logging_level from the per-method settings or set it to the stage-wide level."
OPTIONS = {"min_level": "INFO"}


def check(apigw, options):
    required = level_rank(options["min_level"])
    for settings in apigw.method_settings:
        links = [link for link in apigw.links_of_settings(settings) if link.stage_wide is not True]
        if not links or links[0].method_path is None:
            continue
        level = links[0].setting("logging_level")
        rank = level_rank(level)
        if rank is None:
            continue
        for link in links:
            levels = apigw.stage_wide_values(link.stage, "logging_level")
            if link.stage_wide is None:
                # It may be the stage-wide settings itself (APIGW101/102 then speak): only a
                # level below that of settings certainly "*/*" is an override's finding.
                stage_rank = max((level_rank(level.value) or 0 for level in levels if level.certain), default=0)
                if rank >= stage_rank:
                    continue
            else:
                stage_rank = max((level_rank(level.value) or 0 for level in levels), default=0)
                if rank >= stage_rank and rank >= required:
                    continue
            below = "the stage-wide level" if rank < stage_rank else f'the required "{options["min_level"]}"'
            path = f'"{link.method_path}"' if isinstance(link.method_path, str) else "a method_path known only after apply"
            yield Hit(
                settings,
                f'method settings for {path} set logging_level "{level}", below {below}: '
                "requests to this method are not logged as the rest of the stage",
                link.certain and link.stage_wide is False,
                "settings.logging_level",
            )
            break
