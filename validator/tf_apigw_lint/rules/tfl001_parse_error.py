"""A Terraform file cannot be parsed.

## What it does
Reports each file that cannot be read or parsed (syntax error, binary or non-UTF-8 content)
at the line and column where reading stopped. Every other file is still analysed.

## Why is this bad
Whatever the file declares is invisible to the analysis, and `terraform plan` will fail on it
too. A file that cannot be parsed always makes the run fail, whatever `--fail-on` says.

## Bad
```hcl
resource "aws_api_gateway_stage" "prod" {
  stage_name = "prod"
```

## Good
```hcl
resource "aws_api_gateway_stage" "prod" {
  stage_name = "prod"
}
```

## Fix
Correct the syntax at the reported position; `terraform fmt` points at the same place.

## References
- https://developer.hashicorp.com/terraform/language/syntax/configuration
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "TFL001"
NAME = "parse-error"
SEVERITY = Severity.ERROR
TITLE = "File cannot be parsed"
FIX = "Fix the syntax error at the reported line and column."


READS = "diagnostics"  # the input's problems, not an API Gateway analysis


def check(diagnostics, options):
    for diagnostic in diagnostics:
        yield Hit(diagnostic, f"cannot parse file: {diagnostic.message}")
