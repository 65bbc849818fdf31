"""Execution logging of an HTTP or WebSocket API stage is off or not allowed.

## What it does
For `aws_apigatewayv2_stage`, by the `protocol_type` of the `aws_apigatewayv2_api` its
`api_id` refers to:
- WebSocket API: finds stages whose `default_route_settings.logging_level` is missing or
  `OFF` (`ERROR` is reported by APIGW102, like a REST API stage-wide level below `INFO`);
- HTTP API: finds stages that set `logging_level` at all, in `default_route_settings` or in
  a `route_settings` block.
When the protocol is unknown (the API is not declared in the configuration, or its
`protocol_type` is known only after apply), whichever of the two applies is reported as
uncertain.

## Why is this bad
A WebSocket API logs nothing about connections, route selection, authorizers and
integrations unless execution logging is on, and `OFF` is the default. HTTP APIs have no
execution logs: API Gateway rejects a logging level for them, so the apply fails; use
access logs instead.

## Bad
```hcl
resource "aws_apigatewayv2_api" "ws" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id = aws_apigatewayv2_api.ws.id
  name   = "prod"
}
```

## Good
```hcl
resource "aws_apigatewayv2_api" "ws" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id = aws_apigatewayv2_api.ws.id
  name   = "prod"

  default_route_settings {
    logging_level          = "INFO"
    throttling_burst_limit = 100
    throttling_rate_limit  = 50
  }
}
```

## Fix
For a WebSocket API set `default_route_settings { logging_level = "INFO" }`; for an HTTP
API remove `logging_level` and rely on `access_log_settings`.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-logging.html
- https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/apigatewayv2_stage
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.analysis.apigw import level_rank
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW302"
NAME = "v2-execution-logging"
SEVERITY = Severity.ERROR
TITLE = "WebSocket stage execution logging is OFF, or an HTTP API stage sets a logging level"
FIX = 'WebSocket: set default_route_settings { logging_level = "INFO" }. HTTP: remove logging_level and use access logs.'


def check(apigw, options):
    for stage in apigw.v2_stages:
        protocol = apigw.v2_protocol(stage)
        if protocol == "WEBSOCKET":
            problem = _websocket(stage)
        elif protocol == "HTTP":
            problem = _http(stage)
        else:
            websocket, http = _websocket(stage), _http(stage)
            problem, kind = (websocket, "WebSocket") if websocket else (http, "HTTP")
            if problem is not None:
                problem = (f"{problem[0]} (if it is a {kind} API; {_reason(protocol)})", problem[1], False)
        if problem is not None:
            yield Hit(stage.instance, problem[0], problem[2], problem[1])


def _websocket(stage):
    """(message, attribute, certain) when WebSocket execution logging is off."""
    blocks = stage.instance.blocks("default_route_settings")
    level = stage.default_route_setting("logging_level")
    certain = not (blocks and blocks[0].uncertain)
    if level is None:
        return "WebSocket execution logging is OFF: default_route_settings sets no logging_level", "default_route_settings.logging_level", certain
    rank = level_rank(level)
    if rank == 0:
        return f'WebSocket execution logging is OFF: default_route_settings sets logging_level "{level}"', "default_route_settings.logging_level", certain
    if rank is None and not isinstance(level, str):
        return "WebSocket execution logging may be OFF: its logging_level could not be determined", "default_route_settings.logging_level", False
    return None


def _http(stage):
    """(message, attribute, certain) when an HTTP API stage sets a logging level."""
    for block_type in ("default_route_settings", "route_settings"):
        for index, block in enumerate(stage.instance.blocks(block_type)):
            if block.has("logging_level") and block.attr("logging_level") is not None:
                level = block.attr("logging_level")
                shown = f'"{level}"' if isinstance(level, str) else "(known only after apply)"
                return (
                    f"HTTP APIs have no execution logging: API Gateway rejects logging_level {shown} in {block_type}",
                    f"{block_type}[{index}].logging_level",
                    isinstance(level, str) and not block.uncertain,
                )
    return None


def _reason(protocol) -> str:
    return getattr(protocol, "reason", "its protocol is unknown")
