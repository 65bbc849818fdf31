"""`method_path` is not a valid method settings path.

## What it does
Finds method settings whose `method_path` is neither `*/*` nor
`<resource path without leading slash>/<HTTP METHOD or *>`: a leading `/`, a lower-case
method, an empty segment or `//`.

## Why is this bad
API Gateway rejects the path, or the settings apply to no method at all and the stage keeps
its defaults.

## Bad
```hcl
resource "aws_api_gateway_method_settings" "pets" {
  rest_api_id = "a1b2c3"
  stage_name  = "prod"
  method_path = "/pets/get"
  settings {
    logging_level = "INFO"
  }
}
```

## Good
```hcl
resource "aws_api_gateway_method_settings" "pets" {
  rest_api_id = "a1b2c3"
  stage_name  = "prod"
  method_path = "pets/GET"
  settings {
    logging_level = "INFO"
  }
}
```

## Fix
Write `*/*` for the whole stage, or the resource path without its leading `/` followed by
`/` and the upper-case method, e.g. `pets/{id}/GET` (in Terraform:
`"${trimprefix(aws_api_gateway_resource.r.path, "/")}/${aws_api_gateway_method.m.http_method}"`).

## References
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method_settings#method_path
"""

import re

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "APIGW108"
NAME = "method-path-invalid"
SEVERITY = Severity.ERROR
TITLE = "method_path is malformed"
FIX = 'Use "*/*" or "<resource path without leading slash>/<METHOD>", e.g. "pets/GET".'

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY", "*")
_SEGMENT = re.compile(r"^[^/\s]+$")


def problem(path: str) -> str | None:
    """Why `path` is not a valid method path, or None."""
    if path == "*/*":
        return None
    if path.startswith("/"):
        return "it starts with '/'"
    if "//" in path:
        return "it contains '//'"
    resource, _, method = path.rpartition("/")
    if not resource:
        return "it has no resource path before the method"
    if method.upper() in _METHODS and method not in _METHODS:
        return f"the method '{method}' must be upper case"
    if method not in _METHODS:
        return f"'{method}' is not an HTTP method or '*'"
    if not all(_SEGMENT.match(segment) for segment in resource.split("/")):
        return "it has an empty path segment"
    return None


def check(apigw, options):
    for settings in apigw.method_settings:
        path = settings.attr("method_path")
        if not isinstance(path, str):
            continue
        reason = problem(path)
        if reason is not None:
            yield Hit(settings, f'method_path "{path}" is invalid: {reason}', True, "method_path")
