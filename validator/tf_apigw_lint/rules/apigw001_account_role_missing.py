"""Execution logging is on, but the account has no CloudWatch role.

## What it does
Finds method settings that turn execution logging on (`logging_level` `ERROR` or `INFO`, or
`data_trace_enabled`) in a provider configuration for which the configuration declares no
`aws_api_gateway_account` with a non-empty `cloudwatch_role_arn`, and WebSocket API stages
(`aws_apigatewayv2_stage`) whose `default_route_settings` or `route_settings` do. Provider
configurations with the same known `region` (and profile / assumed role) are the same
account region.

In a library module analysed on its own (no `provider`, `backend` or `cloud` block and
no caller among the scanned directories) the finding is uncertain: the account of the
configuration that calls the module decides.

## Why is this bad
API Gateway writes execution logs through one IAM role set per account *and per region* in
the API Gateway account settings. Without it, logging can be switched on and nothing is ever
written. If the role is managed in another configuration, say so with the option
`account_role = "external"` (for all providers, or per provider such as `"aws.west"`).

## Bad
```hcl
provider "aws" {
  region = "eu-west-1"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "pets"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "abc123"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
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
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.apigw_logs.arn
}

resource "aws_api_gateway_rest_api" "api" {
  name = "pets"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "abc123"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
  depends_on = [aws_api_gateway_account.this]
}
```

## Fix
Declare `aws_api_gateway_account` with `cloudwatch_role_arn` for this provider's region, or
set `account_role = "external"` when another configuration manages it.

## References
- https://repost.aws/knowledge-center/api-gateway-missing-cloudwatch-logs
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_account
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.view.values import Unknown
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW001"
NAME = "account-role-missing"
SEVERITY = Severity.ERROR
TITLE = "Execution logging is on but no CloudWatch role is set for the account region"
FIX = 'Declare aws_api_gateway_account with cloudwatch_role_arn for this region, or set account_role = "external".'
OPTIONS = {"account_role": "managed"}


def _external(provider_display: str, option) -> bool:
    if isinstance(option, dict):
        return option.get(provider_display, option.get("*", "managed")) == "external"
    return option == "external"


def _role_set(account) -> bool | None:
    """Whether the account sets a non-empty role ARN; None when that is unknown."""
    role = account.attr("cloudwatch_role_arn")
    if role is None or role == "":
        return False
    if isinstance(role, Unknown):
        return None
    return True


def check(apigw, options):
    for resource, logging_on, attribute in apigw.execution_logging_switches():
        provider = resource.provider
        if logging_on is False or _external(provider.display, options["account_role"]):
            continue
        covering = apigw.accounts_for(provider)
        states = [_role_set(a) for a in covering]
        if any(state is True and not account.uncertain for state, account in zip(states, covering)):
            continue
        # An account that sets a role but may not exist (unknown count), or whose role is
        # unknown, may cover the provider: the finding is then uncertain.
        maybe_covered = any(state is not False for state in states)
        # An account whose region (or ours) is unknown may be the same account region.
        region_known = provider.account.known
        possibly_same = [
            a for a in apigw.accounts
            if a not in covering and (not region_known or not a.provider.account.known)
        ]
        message, certain = apigw.account_finding(
            f"execution logging is on but provider configuration {provider.display} has no "
            "aws_api_gateway_account with a cloudwatch_role_arn: API Gateway cannot write the logs",
            logging_on is True and not maybe_covered and not possibly_same,
        )
        yield Hit(resource, message, certain, attribute)

