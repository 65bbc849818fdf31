"""STS is not active in the region, so API Gateway cannot assume the CloudWatch role there.

## What it does
Calls `GetCallerIdentity` through the region's own STS endpoint. Reports the region when
the call fails with `RegionDisabledException`. Reported on `aws:<account>:<region>:sts`.

## Why is this bad
API Gateway gets credentials for the CloudWatch role from STS in the stage's region. When
an administrator has deactivated STS there, the role, its trust and its permissions can all
be right and still no execution log is written.

## Bad
Deployed state (`sts`: the region's `GetCallerIdentity` fails with RegionDisabledException):

```json live
{
  "sts": "disabled"
}
```

## Good
```json live
{
  "sts": "active"
}
```

## Fix
In the IAM console, *Account settings* → *Security Token Service (STS)*, activate the
region's endpoint.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_enable-regions.html
- https://repost.aws/knowledge-center/api-gateway-missing-cloudwatch-logs
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "LIVE002"
NAME = "sts-region-inactive"
SEVERITY = Severity.ERROR
TITLE = "STS is not active in the region"
FIX = "Activate STS for the region in IAM account settings (Security Token Service regions)."

READS = "diagnostics"  # facts the live reads established, not an API Gateway analysis


def check(diagnostics, options):
    for diagnostic in diagnostics:
        yield Hit(diagnostic, diagnostic.message)
