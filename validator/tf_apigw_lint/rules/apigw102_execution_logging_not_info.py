"""Stage-wide execution logging is below the required level.

## What it does
Finds stage-wide method settings (`method_path = "*/*"`) whose `logging_level` is on but
below the required level (option `min_level`, default `INFO`), and WebSocket API stages
(`aws_apigatewayv2_stage`) whose `default_route_settings.logging_level` is (uncertain when
the API's protocol is unknown).

## Why is this bad
At `ERROR`, API Gateway logs only failed requests: successful requests, authorizer results
and integration latencies are missing, which is usually what is being looked for.

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
    logging_level = "ERROR"
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
Set `logging_level = "INFO"` in the stage-wide method settings.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.analysis.apigw import level_rank
from tf_apigw_lint.view.values import Unknown
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW102"
NAME = "execution-logging-not-info"
SEVERITY = Severity.WARNING
TITLE = "Stage-wide execution logging level is below INFO"
FIX = 'Set settings { logging_level = "INFO" } in the "*/*" method settings.'
OPTIONS = {"min_level": "INFO"}


def check(apigw, options):
    required = level_rank(options["min_level"])
    for settings in apigw.method_settings:
        links = [link for link in apigw.links_of_settings(settings) if link.stage_wide is not False]
        if not links:
            continue
        level = links[0].setting("logging_level")
        rank = level_rank(level)
        if rank is None or rank == 0 or rank >= required:
            continue
        yield Hit(
            settings,
            f'stage-wide logging_level is "{level}", below the required "{options["min_level"]}": '
            "successful requests are not logged",
            all(link.certain and link.stage_wide is True for link in links),
            "settings.logging_level",
        )
    for stage in apigw.v2_stages:
        protocol = apigw.v2_protocol(stage)
        level = stage.default_route_setting("logging_level")
        rank = level_rank(level)
        if protocol == "HTTP" or rank is None or rank == 0 or rank >= required:
            continue
        yield Hit(
            stage.instance,
            f'WebSocket default_route_settings logging_level is "{level}", below the required '
            f'"{options["min_level"]}": successful requests are not logged',
            not isinstance(protocol, Unknown),
            "default_route_settings.logging_level",
        )
