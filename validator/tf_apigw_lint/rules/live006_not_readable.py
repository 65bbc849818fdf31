"""A read of deployed state was denied or failed, so a check was not done.

## What it does
Reports every AWS read that failed after botocore's retries (access denied, throttling,
server errors, timeouts, dropped connections, an account of the Organization that cannot be
entered), naming the operation, the reason and the check it feeds. The rest of the report
goes on; checks that needed the missing answer report uncertain findings (notes) at most.

## Why is this bad
A clean report is only as good as what could be read. This finding says which part of the
deployed state was not checked.

## Bad
Deployed state where AWS refuses one read (`denied` lists the operations answered AccessDenied):

```json live
{
  "denied": ["GetAccount"]
}
```

## Good
```json live
{
  "account": {}
}
```

## Fix
Give the identity running `tf-apigw-lint live` the read-only policy from the README
(`apigateway:GET`, `iam:GetRole`, `iam:List*RolePolicies`, `iam:GetRolePolicy`,
`iam:GetPolicy`, `iam:GetPolicyVersion`, `logs:DescribeLogGroups`, `sts:GetCallerIdentity`),
or run again when the service recovers.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/security_iam_service-with-iam.html
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "LIVE006"
NAME = "not-readable"
SEVERITY = Severity.WARNING
TITLE = "A read was denied or failed; the check it feeds was not done"
FIX = "Grant the read-only permissions listed in the README to the identity running the check, or retry later."

READS = "diagnostics"  # facts the live reads established, not an API Gateway analysis


def check(diagnostics, options):
    for diagnostic in diagnostics:
        yield Hit(diagnostic, diagnostic.message)
