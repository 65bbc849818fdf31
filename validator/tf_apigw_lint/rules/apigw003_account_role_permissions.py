"""The account's CloudWatch role lacks permissions to write execution logs.

## What it does
Follows `aws_api_gateway_account.cloudwatch_role_arn` to the `aws_iam_role` of the
configuration and gathers every policy the configuration gives it: `inline_policy`
blocks, `aws_iam_role_policy`, `aws_iam_role_policy_attachment`, `aws_iam_policy_attachment`,
`aws_iam_role_policy_attachments_exclusive`, `managed_policy_arns`, customer policies
(`aws_iam_policy`) and the AWS managed policy `AmazonAPIGatewayPushToCloudWatchLogs`, within
the role's `permissions_boundary` when it has one. Finds roles that are not allowed all of
`logs:CreateLogGroup`, `logs:CreateLogStream`, `logs:DescribeLogGroups`,
`logs:DescribeLogStreams`, `logs:PutLogEvents`, `logs:GetLogEvents` and
`logs:FilterLogEvents`. Wildcards (`logs:*`, `logs:Put*`, `*`) and `NotAction` are
understood, an explicit `Deny` wins, and a statement counts when its `Resource` is `*` or a
pattern that can match the execution log groups `API-Gateway-Execution-Logs_*`. A role that
is not declared in the configuration is not checked.

In a library module analysed on its own (no `provider`, `backend` or `cloud` block and
no caller among the scanned directories) the finding is uncertain: the account of the
configuration that calls the module decides.

## Why is this bad
API Gateway writes execution logs with this role. Without these actions the log group or
stream is never created, or events are dropped, and the logs the stage is configured to
write never appear.

## Bad
```hcl
provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "apigw_logs" {
  name               = "apigw-logs"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "apigateway.amazonaws.com" } }]
  })
  inline_policy {
    name   = "logs"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" }]
    })
  }
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.apigw_logs.arn
}
```

## Good
```hcl
provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "apigw_logs" {
  name               = "apigw-logs"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "apigateway.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "push" {
  role       = aws_iam_role.apigw_logs.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.apigw_logs.arn
}
```

## Fix
Attach `arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs` (in
China and GovCloud: `arn:aws-cn:` / `arn:aws-us-gov:`) to the role, or allow the seven
actions on `arn:aws:logs:*:*:log-group:API-Gateway-Execution-Logs_*` and remove any `Deny`
that covers them.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
- https://repost.aws/knowledge-center/api-gateway-missing-cloudwatch-logs
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW003"
NAME = "account-role-permissions"
SEVERITY = Severity.ERROR
TITLE = "The account's CloudWatch role lacks permissions to write execution logs"
FIX = "Attach the AWS managed policy AmazonAPIGatewayPushToCloudWatchLogs to the role (or allow the seven logs: actions it has)."


def check(apigw, options):
    reported = set()
    for account in apigw.accounts:
        analysis = apigw.roles.analyse(account)
        if analysis is None:
            continue
        permissions = analysis.permissions
        missing, unknown = permissions.missing, permissions.unknown
        if not missing and not unknown:
            continue
        parts = []
        if missing:
            parts.append(f"it is not allowed {', '.join(missing)}")
        # Why, when it is not simply that no policy allows them: a Deny, the boundary.
        parts.extend(dict.fromkeys(permissions.reasons[a] for a in missing if a in permissions.reasons))
        if unknown:
            parts.append(f"cannot tell whether it is allowed {', '.join(unknown)} ({permissions.reasons.get(unknown[0], 'a policy is not known')})")
        message = "API Gateway cannot write execution logs with this CloudWatch role: " + "; ".join(parts)
        if (analysis.role.address, message) in reported:
            continue
        reported.add((analysis.role.address, message))
        message, certain = apigw.account_finding(message, bool(missing))
        yield Hit(analysis.role, message, certain)
