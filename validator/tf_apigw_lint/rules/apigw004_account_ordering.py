"""Execution logging may be turned on before the account's CloudWatch role is set.

## What it does
Finds method settings (and WebSocket `aws_apigatewayv2_stage`s) that turn execution logging
on (`logging_level` `ERROR` or `INFO`, or `data_trace_enabled`) while the
`aws_api_gateway_account` of their provider configuration, declared in the same
configuration, is not among their dependencies: no reference and no `depends_on` leads to
it, directly or through other resources, variables, locals, module outputs or a module's
`depends_on`. Configurations without such an account are left to APIGW001.

In a library module analysed on its own (no `provider`, `backend` or `cloud` block and
no caller among the scanned directories) the finding is uncertain: the account of the
configuration that calls the module decides.

## Why is this bad
Terraform creates resources without a dependency between them in parallel. On a fresh
account or region the first apply then fails with "CloudWatch Logs role ARN must be set in
account settings to enable logging", and succeeds only when run again.

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
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.apigw_logs.arn
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = "a1b2c3"
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
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
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.apigw_logs.arn
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = "a1b2c3"
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
  depends_on = [aws_api_gateway_account.this]
}
```

## Fix
Add `depends_on = [aws_api_gateway_account.this]` to the method settings (or to the stage
it refers to, or to the module that contains it).

## References
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_account
- https://developer.hashicorp.com/terraform/language/meta-arguments/depends_on
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW004"
NAME = "account-ordering"
SEVERITY = Severity.WARNING
TITLE = "Execution logging does not depend on the API Gateway account settings"
FIX = "Add depends_on = [aws_api_gateway_account.<name>] to the method settings or stage that turns logging on."


def check(apigw, options):
    for node, logging_on, attribute in apigw.execution_logging_switches():
        accounts = apigw.accounts_for(node.provider)
        if logging_on is False or not accounts:
            continue
        if any(apigw.depends_on(node, account) for account in accounts):
            continue
        names = ", ".join(a.address for a in accounts)
        message, certain = apigw.account_finding(
            f"execution logging is turned on without a dependency on {names}: on a new account the first "
            "apply can fail with \"CloudWatch Logs role ARN must be set in account settings to enable logging\"",
            logging_on is True,
        )
        yield Hit(node, message, certain, attribute)
