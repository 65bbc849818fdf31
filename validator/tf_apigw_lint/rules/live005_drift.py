"""A deployed logging setting differs from the configuration.

## What it does
`tf-apigw-lint drift` reads the logging settings the Terraform configuration (or plan)
declares and compares each with the deployed object it manages, matched through the
Terraform state (`--state`) or else by REST API name and stage name: the account's
CloudWatch role, each stage's access-log destination and format, and per method path (the
stage default `*/*` and every override) the logging level, data trace and detailed metrics.
A method override that is deployed but not declared is reported too. One finding per
differing attribute, naming the expected and the actual value; values the configuration
leaves unknown are not compared.

## Why is this bad
Someone changed the stage in the console or with the CLI after `terraform apply`: the
configuration that reviewers read no longer says how the API logs, and the next apply will
silently undo the change, or the change hides a problem (logging turned down during an
incident and never turned back).

## Bad
A configuration (`terraform`) and the deployed stage (`rest_apis` with their `GetStages` items):

```json live
{
  "terraform": "resource \\"aws_api_gateway_rest_api\\" \\"api\\" {\\n  name = \\"pets\\"\\n}\\n\\nresource \\"aws_api_gateway_stage\\" \\"prod\\" {\\n  rest_api_id   = aws_api_gateway_rest_api.api.id\\n  deployment_id = \\"d1\\"\\n  stage_name    = \\"prod\\"\\n}\\n\\nresource \\"aws_api_gateway_method_settings\\" \\"all\\" {\\n  rest_api_id = aws_api_gateway_rest_api.api.id\\n  stage_name  = aws_api_gateway_stage.prod.stage_name\\n  method_path = \\"*/*\\"\\n  settings {\\n    logging_level = \\"INFO\\"\\n  }\\n}\\n",
  "rest_apis": [{"id": "a1b2c3", "name": "pets", "stages": [{
    "stageName": "prod",
    "methodSettings": {"*/*": {"loggingLevel": "ERROR"}}
  }]}]
}
```

## Good
```json live
{
  "terraform": "resource \\"aws_api_gateway_rest_api\\" \\"api\\" {\\n  name = \\"pets\\"\\n}\\n\\nresource \\"aws_api_gateway_stage\\" \\"prod\\" {\\n  rest_api_id   = aws_api_gateway_rest_api.api.id\\n  deployment_id = \\"d1\\"\\n  stage_name    = \\"prod\\"\\n}\\n\\nresource \\"aws_api_gateway_method_settings\\" \\"all\\" {\\n  rest_api_id = aws_api_gateway_rest_api.api.id\\n  stage_name  = aws_api_gateway_stage.prod.stage_name\\n  method_path = \\"*/*\\"\\n  settings {\\n    logging_level = \\"INFO\\"\\n  }\\n}\\n",
  "rest_apis": [{"id": "a1b2c3", "name": "pets", "stages": [{
    "stageName": "prod",
    "methodSettings": {"*/*": {"loggingLevel": "INFO"}}
  }]}]
}
```

## Fix
Decide which is right. Either run `terraform apply` to restore the configured settings, or
change the configuration to what is deployed, so that the next apply keeps it.

## References
- https://developer.hashicorp.com/terraform/tutorials/state/resource-drift
- https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
"""

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules.engine import Hit

ID = "LIVE005"
NAME = "drift"
SEVERITY = Severity.WARNING
TITLE = "A deployed logging setting differs from the configuration"
FIX = "Run terraform apply to restore the configured setting, or change the configuration to match what is deployed."

READS = "diagnostics"  # facts the live reads established, not an API Gateway analysis


def check(diagnostics, options):
    for diagnostic in diagnostics:
        yield Hit(diagnostic, diagnostic.message)
