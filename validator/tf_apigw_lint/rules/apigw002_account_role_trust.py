"""The account's CloudWatch role does not trust API Gateway.

## What it does
Follows `aws_api_gateway_account.cloudwatch_role_arn` to the `aws_iam_role` of the
configuration and reads its trust policy (`assume_role_policy`: heredoc JSON, `jsonencode`,
`data.aws_iam_policy_document`, `file()`, `templatefile()`). Finds roles that do not let the
service principal `apigateway.amazonaws.com` call `sts:AssumeRole`: the principal is
missing or another service, a `Deny` applies, or the only allowing statement has a
condition that API Gateway's request can never satisfy (such as `sts:ExternalId` or
`aws:SourceIp`). A role that is not declared in the configuration is not checked.

In a library module analysed on its own (no `provider`, `backend` or `cloud` block and
no caller among the scanned directories) the finding is uncertain: the account of the
configuration that calls the module decides.

## Why is this bad
API Gateway assumes this role to write execution logs. If it cannot, setting the account's
role fails ("The role ARN does not have required permissions set to API Gateway") or, when
the trust policy changes later, logs silently stop.

## Bad
```hcl
provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "apigw_logs" {
  name               = "apigw-logs"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
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
Add a statement `Effect = "Allow"`, `Action = "sts:AssumeRole"`,
`Principal = { Service = "apigateway.amazonaws.com" }` without conditions that a service
principal cannot meet.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW002"
NAME = "account-role-trust"
SEVERITY = Severity.ERROR
TITLE = "The account's CloudWatch role does not trust apigateway.amazonaws.com"
FIX = 'Allow Principal { Service = "apigateway.amazonaws.com" } to sts:AssumeRole in the role\'s assume_role_policy.'


def check(apigw, options):
    reported = set()
    for account in apigw.accounts:
        analysis = apigw.roles.analyse(account)
        if analysis is None or analysis.trust.trusted is True or analysis.role.address in reported:
            continue
        reported.add(analysis.role.address)
        trust = analysis.trust
        if trust.trusted is False:
            message = f"the CloudWatch role of {account.address} cannot be assumed by API Gateway: {trust.reason}"
        else:
            message = f"cannot tell whether API Gateway may assume the CloudWatch role of {account.address}: {trust.reason}"
        message, certain = apigw.account_finding(message, trust.trusted is False)
        yield Hit(analysis.role, message, certain, "assume_role_policy")
