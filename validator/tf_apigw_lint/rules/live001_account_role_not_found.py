"""The API Gateway account settings name a CloudWatch role that does not exist.

## What it does
Reads `cloudwatchRoleArn` from the API Gateway account settings of each region (`live`,
`doctor`) and looks the role up in IAM. Reports the account settings when the role does
not exist (or the value is not a role ARN). Reported on `aws:<account>:<region>:account`.

## Why is this bad
API Gateway writes execution logs by assuming this role. A role deleted after the account
settings were written (another stack removed it, a rename) stops every execution log of
the region without any error on the stages.

## Bad
Deployed state as AWS answers it (`account` is `GetAccount`; no role of that name exists):

```json live
{
  "account": {"cloudwatchRoleArn": "arn:aws:iam::123456789012:role/deleted-role"}
}
```

## Good
```json live
{
  "account": {"cloudwatchRoleArn": "arn:aws:iam::123456789012:role/apigw-logs"},
  "roles": {
    "apigw-logs": {
      "AssumeRolePolicyDocument": {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "apigateway.amazonaws.com"}}]
      },
      "attached": ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]
    }
  }
}
```

## Fix
Create the role, or set the account settings (`aws_api_gateway_account.cloudwatch_role_arn`)
to a role that exists, trusts `apigateway.amazonaws.com` and has the managed policy
`AmazonAPIGatewayPushToCloudWatchLogs`.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
- https://repost.aws/knowledge-center/api-gateway-missing-cloudwatch-logs
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "LIVE001"
NAME = "account-role-not-found"
SEVERITY = Severity.ERROR
TITLE = "The account's cloudwatchRoleArn names a role that does not exist"
FIX = "Create the role (trusting apigateway.amazonaws.com, with AmazonAPIGatewayPushToCloudWatchLogs) or point the account settings at one that exists."

READS = "diagnostics"  # facts the live reads established, not an API Gateway analysis


def check(diagnostics, options):
    for diagnostic in diagnostics:
        yield Hit(diagnostic, diagnostic.message)
