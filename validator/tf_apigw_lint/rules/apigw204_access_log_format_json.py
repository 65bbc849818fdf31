"""A JSON access-log format does not produce JSON.

## What it does
Checks an `access_log_settings.format` that starts with `{` (of REST API and v2 stages):
with every `$context` variable replaced by what API Gateway writes for it, it must be valid
JSON. Inside quotes a variable is text. Outside quotes, numeric variables
(`$context.status`, `$context.responseLatency`, …), `$context.isCanaryRequest`,
`$context.error.messageString` (which API Gateway writes with its own quotes) and custom
`$context.authorizer.*` values are accepted; other variables are text and need quotes.
A format known only after apply is not reported.

## Why is this bad
Log lines that are not JSON cannot be queried by field in CloudWatch Logs Insights, and
log shippers that parse JSON drop or mangle them. The mistake is easy to make in a
hand-written format: a missing comma, an unquoted `$context.identity.sourceIp`, or
`"$context.error.messageString"` in quotes (it is already quoted).

## Bad
```hcl
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"

  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/pets"
    format          = <<-EOT
      { "requestId": "$context.requestId", "ip": $context.identity.sourceIp }
    EOT
  }
}
```

## Good
```hcl
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"

  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/pets"
    format          = <<-EOT
      { "requestId": "$context.requestId", "ip": "$context.identity.sourceIp", "latency": $context.responseLatency }
    EOT
  }
}
```

## Fix
Build the format with `jsonencode({ requestId = "$context.requestId", … })`, which always
yields valid JSON, or quote every text variable.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
- https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference-access-logging-only
"""

import json
import re

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW204"
NAME = "access-log-format-json"
SEVERITY = Severity.WARNING
TITLE = "JSON access-log format is not valid JSON"
FIX = 'Build the format with jsonencode({ requestId = "$context.requestId", … }) or quote every text variable.'

VARIABLE = re.compile(r"\$context((?:\.[A-Za-z0-9_]+)+)")
# Written as JSON numbers or booleans: valid without quotes.
BARE_VALUES = frozenset(
    f"$context.{name}"
    for name in (
        "status", "responseLength", "responseLatency", "integrationLatency", "integrationStatus",
        "requestTimeEpoch", "connectedAt", "dataProcessed", "isCanaryRequest",
        "integration.latency", "integration.status", "integration.integrationStatus",
        "authorizer.latency", "authorizer.status", "authorizer.integrationLatency", "authorizer.integrationStatus",
        "authenticate.latency", "authenticate.status", "authorize.latency", "authorize.status",
        "waf.latency", "waf.status", "responseOverride.status",
    )
)
QUOTED_VALUES = frozenset({"$context.error.messageString"})
CUSTOM_PREFIX = "$context.authorizer."


def check(apigw, options):
    for stage in apigw.all_stages:
        access_log = apigw.access_log(stage)
        text = access_log.format if access_log is not None else None
        if not isinstance(text, str) or not text.lstrip().startswith("{"):
            continue
        problem = json_problem(text)
        if problem and access_log is not None:
            message = f"access-log format starts with {{ but is not JSON once $context variables are filled in: {problem}"
            yield Hit(stage.instance, message, not access_log.uncertain, "access_log_settings.format")


def json_problem(text: str) -> str | None:
    """Why `text` with its `$context` variables filled in is not JSON; None when it is."""
    filled, hints, in_string, position = [], [], False, 0
    for match in VARIABLE.finditer(text):
        in_string = _inside_string(text, position, match.start(), in_string)
        variable = match.group(0)
        if variable in QUOTED_VALUES:
            filled.append(text[position:match.start()] + '"x"')
            if in_string:
                hints.append(f"{variable} is written with its own quotes and must not be put in quotes")
        elif in_string or variable in BARE_VALUES or variable.startswith(CUSTOM_PREFIX):
            filled.append(text[position:match.start()] + ("x" if in_string else "1"))
        else:
            filled.append(text[position:match.start()] + "x")
            hints.append(f"{variable} is text and must be put in quotes")
        position = match.end()
    filled.append(text[position:])
    try:
        json.loads("".join(filled))
    except json.JSONDecodeError as error:
        near = error.doc[max(0, error.pos - 12):error.pos + 12]
        return "; ".join(hints) if hints else f"{error.msg} near {near!r}"
    return None


def _inside_string(text: str, start: int, end: int, in_string: bool) -> bool:
    """Whether `text[end]` is inside a JSON string, given the state at `start`."""
    escaped = False
    for char in text[start:end]:
        if escaped:
            escaped = False
        elif char == "\\" and in_string:
            escaped = True
        elif char == '"':
            in_string = not in_string
    return in_string
