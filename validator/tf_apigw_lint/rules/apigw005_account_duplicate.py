"""Two API Gateway account resources manage the same account region.

## What it does
Finds `aws_api_gateway_account` instances that manage the same account settings as another
one: the same provider configuration, or provider configurations with the same known
`region` (and profile / assumed role). Every instance after the first, in address order, is
reported; `count` or `for_each` on an account resource counts as several instances.

In a library module analysed on its own (no `provider`, `backend` or `cloud` block and
no caller among the scanned directories) the finding is uncertain: the account of the
configuration that calls the module decides.

## Why is this bad
There is one set of API Gateway account settings per account and region. Two resources
overwrite each other's `cloudwatch_role_arn` on every apply, so which role API Gateway uses
depends on the order Terraform happens to choose, and the plan never settles.

## Bad
```hcl
provider "aws" {
  region = "eu-west-1"
}

resource "aws_api_gateway_account" "logs" {
  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/apigw-logs"
}

resource "aws_api_gateway_account" "other" {
  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/apigw-logs-2"
}
```

## Good
```hcl
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

resource "aws_api_gateway_account" "eu" {
  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/apigw-logs"
}

resource "aws_api_gateway_account" "us" {
  provider            = aws.us
  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/apigw-logs"
}
```

## Fix
Keep one `aws_api_gateway_account` per provider configuration and region (usually in the
configuration that owns the account's shared settings) and remove the others.

## References
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_account
"""

import re

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW005"
NAME = "account-duplicate"
SEVERITY = Severity.ERROR
TITLE = "Two aws_api_gateway_account resources manage the same account region"
FIX = "Keep a single aws_api_gateway_account per provider configuration and region."


def _address_order(instance) -> list:
    # Natural order, so that `x[2]` comes before `x[10]`.
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", instance.address)]


def check(apigw, options):
    by_region: dict = {}
    for account in apigw.accounts:
        by_region.setdefault(account.provider.account, []).append(account)
    for accounts in by_region.values():
        first, *others = sorted(accounts, key=_address_order)
        for account in others:
            message, certain = apigw.account_finding(
                f"{first.address} already manages the API Gateway account settings of provider "
                f"{account.provider.display}: the two overwrite each other's cloudwatch_role_arn",
                not first.uncertain,
            )
            yield Hit(account, message, certain)
