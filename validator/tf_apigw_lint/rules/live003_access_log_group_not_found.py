"""A stage sends access logs to a CloudWatch Logs group or Firehose stream that does not exist.

## What it does
For every deployed REST, HTTP and WebSocket stage with access logging, reads the log group
or Kinesis Data Firehose stream that `accessLogSettings.destinationArn` names (when it is in
the account region being read) and reports the stage when it does not exist.

## Why is this bad
API Gateway creates neither. When the destination was deleted, or the ARN has a typo, access
logging looks enabled on the stage and nothing is ever written: the 403 "Missing
Authentication Token" errors that only access logs show are lost.

## Bad
Deployed state as AWS answers it (`rest_apis` with their `GetStages` items; no log group of that name):

```json live
{
  "rest_apis": [{"id": "a1b2c3", "name": "pets", "stages": [{
    "stageName": "prod",
    "accessLogSettings": {
      "destinationArn": "arn:aws:logs:us-east-1:123456789012:log-group:/apigw/pets/deleted",
      "format": "$context.requestId"
    }
  }]}]
}
```

## Good
```json live
{
  "rest_apis": [{"id": "a1b2c3", "name": "pets", "stages": [{
    "stageName": "prod",
    "accessLogSettings": {
      "destinationArn": "arn:aws:logs:us-east-1:123456789012:log-group:/apigw/pets/prod",
      "format": "$context.requestId"
    }
  }]}],
  "log_groups": [{"logGroupName": "/apigw/pets/prod", "retentionInDays": 30}]
}
```

## Fix
Create the log group (`aws_cloudwatch_log_group`) or the Firehose stream
(`aws_kinesis_firehose_delivery_stream`, named `amazon-apigateway-...`) before the stage,
and reference its ARN from `access_log_settings.destination_arn`.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "LIVE003"
NAME = "access-log-group-not-found"
SEVERITY = Severity.ERROR
TITLE = "The stage's access-log destination does not exist"
FIX = "Create the log group or Firehose stream the stage's access_log_settings.destination_arn names, or point it at one that exists."

READS = "diagnostics"  # facts the live reads established, not an API Gateway analysis


def check(diagnostics, options):
    for diagnostic in diagnostics:
        yield Hit(diagnostic, diagnostic.message)
