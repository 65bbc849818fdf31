"""Execution logging is on but `API-Gateway-Execution-Logs_<api-id>/<stage>` does not exist.

## What it does
For every deployed REST stage (and WebSocket stage) whose method settings turn execution
logging on (`loggingLevel` `ERROR` or `INFO`, or data trace, for any method), looks for the
log group API Gateway writes execution logs to. Reports the stage when it is absent.

## Why is this bad
API Gateway creates the group on the first request it logs. When it is missing although
logging has been on for a while, either the stage had no traffic, or API Gateway cannot
write: the account's role is missing or wrong, or STS is off in the region.

## Bad
Deployed state as AWS answers it (`rest_apis` with their `GetStages` items; no execution-log group):

```json live
{
  "rest_apis": [{"id": "a1b2c3", "name": "pets", "stages": [{
    "stageName": "prod",
    "methodSettings": {"*/*": {"loggingLevel": "INFO", "metricsEnabled": true}}
  }]}]
}
```

## Good
```json live
{
  "rest_apis": [{"id": "a1b2c3", "name": "pets", "stages": [{
    "stageName": "prod",
    "methodSettings": {"*/*": {"loggingLevel": "INFO", "metricsEnabled": true}}
  }]}],
  "log_groups": [{"logGroupName": "API-Gateway-Execution-Logs_a1b2c3/prod", "retentionInDays": 30}]
}
```

## Fix
Send a request to the stage and check again. If the group still does not appear, run
`tf-apigw-lint doctor` for the stage: it checks the role, its trust and permissions and STS.
Declaring the group in Terraform (with `retention_in_days`) also avoids logs that never
expire.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
- https://repost.aws/knowledge-center/api-gateway-missing-cloudwatch-logs
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "LIVE004"
NAME = "execution-log-group-absent"
SEVERITY = Severity.WARNING
TITLE = "Execution logging is on but its log group does not exist"
FIX = "Send a request and check again; if the group still does not appear, check the account's CloudWatch role and STS."

READS = "diagnostics"  # facts the live reads established, not an API Gateway analysis


def check(diagnostics, options):
    for diagnostic in diagnostics:
        yield Hit(diagnostic, diagnostic.message)
