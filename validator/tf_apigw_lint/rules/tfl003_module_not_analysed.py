"""A module could not be loaded and was not analysed.

## What it does
Reports a `module` block whose source cannot be loaded: a local path that does not exist, a
remote source that `terraform init` has not installed (`.terraform/modules/modules.json`),
a source that is not a literal, or a module that calls itself through a cycle. Its outputs
are treated as unknown. Reported once per `module` block, with the module call's address
(`module.a.module.b`; every instance's when the calling module has several).

## Why is this bad
Stages and method settings inside the module are not checked, so a clean result says
nothing about them.

## Bad
```hcl
module "api" {
  source = "./modules/does-not-exist"
}
```

## Good
```hcl
module "api" {
  source = "./modules/api"
}

# file: modules/api/main.tf
variable "name" {
  default = "pets"
}
```

## Fix
Run `terraform init` so remote modules are installed, or correct the local path.

## References
- https://developer.hashicorp.com/terraform/language/modules/sources
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "TFL003"
NAME = "module-not-analysed"
SEVERITY = Severity.WARNING
TITLE = "Module source could not be loaded"
FIX = "Run terraform init to install remote modules, or fix the local module path."


READS = "diagnostics"  # the input's problems, not an API Gateway analysis


def check(diagnostics, options):
    for diagnostic in diagnostics:
        yield Hit(diagnostic, diagnostic.message)
