"""An inline suppression names a rule that does not exist.

## What it does
Reported at a `tf-apigw-lint:` comment that cannot be applied: it names an unknown rule id
or name (a typo, or a rule that was renamed), names no rule at all, uses a directive other
than `ignore`, or has a reason without ` -- ` before it. The rules it does name correctly
are still suppressed.

Suppressions are written `# tf-apigw-lint:ignore ID[,ID...] [-- reason]` (also with `//`
or `/* */`), on the first line of the finding, or leading the block it belongs to: in the
comment lines directly above it, on its first line, or in the comment lines right after it.

## Why is this bad
A misspelled suppression suppresses nothing, silently: the finding it was meant for keeps
failing the run, or, once that finding is fixed, the comment lingers with no meaning. A
reason written without the separator is not recorded as the justification: it is reported
here once.

## Bad
```hcl
# tf-apigw-lint:ignore APIGW140 -- data trace is fine in dev
resource "aws_api_gateway_method_settings" "dev" {
  rest_api_id = "a1b2c3"
  stage_name  = "dev"
  method_path = "*/*"
  settings {
    logging_level      = "INFO"
    data_trace_enabled = true
  }
}
```

## Good
```hcl
# tf-apigw-lint:ignore APIGW104 -- data trace is fine in dev
resource "aws_api_gateway_method_settings" "dev" {
  rest_api_id = "a1b2c3"
  stage_name  = "dev"
  method_path = "*/*"
  settings {
    logging_level      = "INFO"
    data_trace_enabled = true
  }
}
```

## Fix
Correct the id or name (`tf-apigw-lint rules` lists them), separate the reason with ` -- `,
or remove the comment.

## References
- https://example.com/your-org/tf-apigw-lint#configuration-and-suppressions
"""

from tf_apigw_lint.findings import Severity

ID = "TFL002"
NAME = "unknown-suppression"
SEVERITY = Severity.WARNING
TITLE = "Inline suppression names an unknown rule"
FIX = "Use a rule id or name from `tf-apigw-lint rules`, and put the reason after ' -- '."
check = None  # produced by suppression, see suppress.py
