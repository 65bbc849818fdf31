"""Two API Gateway account resources manage the same account region.

## What it does
Finds `aws_api_gateway_account` instances that manage the same account settings as another
one: the same provider configuration, or provider configurations with the same known
`region` (and profile / assumed role). An account resource's own `region` argument (AWS
provider v6) takes the place of its provider configuration's region. Every instance after the first in source order (file
path, then line; instances of one block by their key) is reported; `count` or `for_each` on
an account resource counts as several instances. When a provider configuration's region,
profile or role is known only after apply, its account may manage the same settings as any
other: the later of the two is reported as uncertain.

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


def _source_order(instance) -> tuple:
    """(file path, line, column), then the address in natural order so that the instances
    of one block go `x[2]` before `x[10]`; objects without a source (deployed) go last."""
    natural = [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", instance.address)]
    where = instance.range_of()
    if where is None:
        return (1, "", 0, 0, natural)
    return (0, where.path, where.line, where.column, natural)


def check(apigw, options):
    by_region: dict = {}
    for account in apigw.accounts:
        by_region.setdefault(account.provider.account, []).append(account)
    reported = set()
    for accounts in by_region.values():
        first, *others = sorted(accounts, key=_source_order)
        for account in others:
            message, certain = apigw.account_finding(
                f"{first.address} already manages the API Gateway account settings of provider "
                f"{account.provider.display}: the two overwrite each other's cloudwatch_role_arn",
                not first.uncertain,
            )
            reported.add(id(account))
            yield Hit(account, message, certain)
    # Provider configurations whose region, profile or role is known only after apply may
    # write the same account region as any other: uncertain, on the later of the two.
    ordered = sorted(apigw.accounts, key=_source_order)
    for index, account in enumerate(ordered):
        if id(account) in reported:
            continue
        for earlier in ordered[:index]:
            if account.provider.account.known and earlier.provider.account.known:
                continue
            if account.provider.account == earlier.provider.account:
                continue  # the same configuration: reported above
            message, _ = apigw.account_finding(
                f"{earlier.address} may already manage the API Gateway account settings of provider "
                f"{account.provider.display} (which account region each writes is known only after apply): "
                "the two would overwrite each other's cloudwatch_role_arn",
                False,
            )
            yield Hit(account, message, False)
            break
