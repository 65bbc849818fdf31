"""API Gateway logs are kept forever.

## What it does
Finds log groups that API Gateway writes to without `retention_in_days` (or with `0`):
the access-log group a stage's `destination_arn` names, and declared execution-log groups
`API-Gateway-Execution-Logs_<api-id>/<stage>`. Reported on the log group. Also finds
stages with execution logging on (REST API stages and WebSocket stages) for which no
`aws_cloudwatch_log_group` declares that execution-log group; reported on the stage.

An execution-log group name usually interpolates the API id
(`"API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.api.id}/prod"`): it is matched by
its structure, the reference to the same API and the same stage name. A name that cannot be
read that far counts as possibly the stage's group when it refers to the stage or its API,
which makes the stage's finding uncertain. A `retention_in_days` known only after apply is
not reported.

## Why is this bad
CloudWatch Logs keeps log events forever unless the group has a retention period, and
API Gateway creates a missing execution-log group itself, with no retention. Access logs
and execution logs (which may contain request data) then pile up and are paid for forever.

## Bad
```hcl
resource "aws_cloudwatch_log_group" "access" {
  name = "/aws/apigateway/pets-prod"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "$context.requestId $context.status"
  }
}
```

## Good
```hcl
resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/pets-prod"
  retention_in_days = 30
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "$context.requestId $context.status"
  }
}
```

## Fix
Set `retention_in_days` on the log group; for execution logs, declare
`aws_cloudwatch_log_group` named `API-Gateway-Execution-Logs_${<api>.id}/<stage>` with a
retention, and make the stage depend on it.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_group
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.analysis.logs import EXECUTION_LOG_GROUP_PREFIX
from tf_apigw_lint.view.values import Reference
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW205"
NAME = "log-retention-unset"
SEVERITY = Severity.NOTE
TITLE = "API Gateway log group has no retention"
FIX = "Set retention_in_days on the log group (declare the execution-log group API-Gateway-Execution-Logs_<api-id>/<stage> if missing)."


def check(apigw, options):
    for group in apigw.log_groups:
        if group in apigw.access_log_groups:
            kind = "access-log group"
        elif apigw.is_execution_log_group(group):
            kind = "execution-log group"
        else:
            continue
        retention = group.attr("retention_in_days")
        if retention is None or retention == 0:
            yield Hit(group, f"{kind} {group.address} has no retention_in_days: its logs never expire", True, "retention_in_days")
    if apigw.configuration.source == "live":
        return  # a deployed group that does not exist is LIVE004's finding, not a declaration to add
    for stage in apigw.all_stages:
        logging_on = apigw.execution_logging_on(stage)
        if logging_on is False:
            continue
        matches = [apigw.execution_log_group_of(stage, group) for group in apigw.log_groups]
        if True in matches:
            continue
        yield Hit(
            stage.instance,
            f"execution logging is on but no aws_cloudwatch_log_group declares {_group_name(stage)}: "
            "API Gateway creates it with no retention, its logs never expire",
            logging_on is True and None not in matches,
        )


def _group_name(stage) -> str:
    return f"{EXECUTION_LOG_GROUP_PREFIX}{_text(stage.api_id, '<api-id>')}/{_text(stage.name, '<stage>')}"


def _text(value, placeholder: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Reference):
        return f"${{{value.address}.{value.attribute}}}"
    return placeholder
