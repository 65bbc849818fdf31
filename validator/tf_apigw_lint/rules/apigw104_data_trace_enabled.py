"""Full request and response logging (data trace) is on.

## What it does
Finds method settings with `data_trace_enabled = true`, stage-wide or per method, except
on stages whose name matches a glob in the option `allow_data_trace_stages`
(e.g. `["dev*", "test"]`; default none).

## Why is this bad
Data trace writes full request and response bodies and headers to CloudWatch Logs:
credentials, tokens and personal data end up in logs. AWS recommends against it in
production; use it briefly while debugging.

## Bad
```hcl
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = "a1b2c3"
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    logging_level      = "INFO"
    data_trace_enabled = true
  }
}
```

## Good
```hcl
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = "a1b2c3"
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
}
```

## Fix
Remove `data_trace_enabled` (or set it to `false`); allow it for development stages with
`allow_data_trace_stages`.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.analysis.apigw import settings_value, stage_name_matches
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW104"
NAME = "data-trace-enabled"
SEVERITY = Severity.WARNING
TITLE = "Data trace logs full requests and responses"
FIX = "Set data_trace_enabled = false, or allow it for non-production stages with allow_data_trace_stages."
OPTIONS: dict[str, list[str]] = {"allow_data_trace_stages": []}


def check(apigw, options):
    allowed = list(options["allow_data_trace_stages"])
    for settings in apigw.method_settings:
        trace = settings_value(settings, "data_trace_enabled")
        if trace is None or trace is False:
            continue
        stage_name = settings.attr("stage_name")
        if stage_name_matches(stage_name, allowed):
            continue
        certain = trace is True and (not allowed or isinstance(stage_name, str))
        yield Hit(
            settings,
            "data_trace_enabled logs full requests and responses, including credentials and personal data",
            certain,
            "settings.data_trace_enabled",
        )
