"""Issue-2 rules on inline Terraform: each case pins (rule id, address, path, first line,
last line) for one rule, covering how values reach the resources (variables, tfvars,
locals, modules, for_each, dynamic blocks, provider aliases)."""

from __future__ import annotations

import pytest
from lint_helpers import pinned

API = """\
resource "aws_api_gateway_rest_api" "api" {
  name = "pets"
}
"""

# Lines 1-3 are API; the stage is lines 5-9.
STAGE = API + """
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d1"
  stage_name    = "prod"
}
"""

ACCOUNT = """\
resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/apigw-logs"
}
"""

PROVIDER = """\
provider "aws" {
  region = "eu-west-1"
}
"""


def ms(level: str, stage: str = "aws_api_gateway_stage.prod.stage_name", path: str = "*/*", extra: str = "") -> str:
    """Method settings with the settings block on lines 5-7 and logging_level on line 6."""
    return f"""\
resource "aws_api_gateway_method_settings" "all" {{
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = {stage}
  method_path = "{path}"
  settings {{
    logging_level = {level}{extra}
  }}
}}
"""


CASES = {
    # --- APIGW101 execution-logging-off -------------------------------------------
    "101 no method settings": (
        "APIGW101", {"main.tf": STAGE}, {},
        [("APIGW101", "aws_api_gateway_stage.prod", "main.tf", 5, 9)],
    ),
    "101 level OFF from a variable default": (
        "APIGW101",
        {"main.tf": STAGE, "ms.tf": ms("var.level"), "vars.tf": 'variable "level" {\n  default = "OFF"\n}\n'},
        {},
        [("APIGW101", "aws_api_gateway_stage.prod", "main.tf", 5, 9)],
    ),
    "101 level INFO from terraform.tfvars beats the default": (
        "APIGW101",
        {"main.tf": STAGE, "ms.tf": ms("var.level"), "vars.tf": 'variable "level" {\n  default = "OFF"\n}\n',
         "terraform.tfvars": 'level = "INFO"\n'},
        {},
        [],
    ),
    "101 auto.tfvars beats terraform.tfvars, --var beats both": (
        "APIGW101",
        {"main.tf": STAGE, "ms.tf": ms("var.level"), "vars.tf": 'variable "level" {\n  type = string\n}\n',
         "terraform.tfvars": 'level = "INFO"\n', "b.auto.tfvars": 'level = "OFF"\n'},
        {},
        [("APIGW101", "aws_api_gateway_stage.prod", "main.tf", 5, 9)],
    ),
    "101 --var overrides tfvars": (
        "APIGW101",
        {"main.tf": STAGE, "ms.tf": ms("var.level"), "vars.tf": 'variable "level" {\n  type = string\n}\n',
         "b.auto.tfvars": 'level = "OFF"\n'},
        {"vars": [("level", "INFO")]},
        [],
    ),
    "101 TF_VAR_ is below terraform.tfvars": (
        "APIGW101",
        {"main.tf": STAGE, "ms.tf": ms("var.level"), "vars.tf": 'variable "level" {\n  type = string\n}\n',
         "terraform.tfvars": 'level = "OFF"\n'},
        {"environ": {"TF_VAR_level": "INFO"}},
        [("APIGW101", "aws_api_gateway_stage.prod", "main.tf", 5, 9)],
    ),
    "101 level from a local": (
        "APIGW101",
        {"main.tf": STAGE, "ms.tf": ms("local.level"), "locals.tf": 'locals {\n  level = upper("off")\n}\n'},
        {},
        [("APIGW101", "aws_api_gateway_stage.prod", "main.tf", 5, 9)],
    ),
    "101 unknown level is uncertain": (
        "APIGW101",
        {"main.tf": STAGE, "ms.tf": ms("var.level"), "vars.tf": 'variable "level" {\n  type = string\n}\n'},
        {},
        [("APIGW101", "aws_api_gateway_stage.prod", "main.tf", 5, 9)],
    ),
    "101 method settings in another file reach the stage by value": (
        "APIGW101",
        {"main.tf": STAGE, "ms.tf": ms('"INFO"', stage='"prod"')},
        {},
        [],
    ),
    "101 deployment-managed stage reported on the deployment": (
        "APIGW101",
        {"main.tf": API + '\nresource "aws_api_gateway_deployment" "d" {\n  rest_api_id = aws_api_gateway_rest_api.api.id\n  stage_name  = "prod"\n}\n'},
        {},
        [("APIGW101", "aws_api_gateway_deployment.d", "main.tf", 5, 8)],
    ),
    "101 deployment with empty stage_name creates no stage": (
        "APIGW101",
        {"main.tf": API + '\nresource "aws_api_gateway_deployment" "d" {\n  rest_api_id = aws_api_gateway_rest_api.api.id\n  stage_name  = ""\n}\n'},
        {},
        [],
    ),
    # --- APIGW102 execution-logging-not-info --------------------------------------
    "102 ERROR stage-wide": (
        "APIGW102", {"main.tf": STAGE, "ms.tf": ms('"ERROR"')}, {},
        [("APIGW102", "aws_api_gateway_method_settings.all", "ms.tf", 6, 6)],
    ),
    "102 min_level ERROR accepts ERROR": (
        "APIGW102", {"main.tf": STAGE, "ms.tf": ms('"ERROR"')}, {"options": {"APIGW102": {"min_level": "ERROR"}}},
        [],
    ),
    "102 INFO passes": ("APIGW102", {"main.tf": STAGE, "ms.tf": ms('"INFO"')}, {}, []),
    # --- APIGW103 method-override-weakens-logging --------------------------------
    "103 per-method OFF under stage-wide INFO": (
        "APIGW103",
        {"main.tf": STAGE, "ms.tf": ms('"INFO"'), "pets.tf": ms('"OFF"', path="pets/GET").replace('"all"', '"pets"')},
        {},
        [("APIGW103", "aws_api_gateway_method_settings.pets", "pets.tf", 6, 6)],
    ),
    "103 per-method INFO under stage-wide INFO": (
        "APIGW103",
        {"main.tf": STAGE, "ms.tf": ms('"INFO"'), "pets.tf": ms('"INFO"', path="pets/GET").replace('"all"', '"pets"')},
        {},
        [],
    ),
    # --- APIGW104 data-trace-enabled ------------------------------------------------
    "104 data trace on": (
        "APIGW104",
        {"main.tf": STAGE, "ms.tf": ms('"INFO"', extra="\n    data_trace_enabled = true")},
        {},
        [("APIGW104", "aws_api_gateway_method_settings.all", "ms.tf", 7, 7)],
    ),
    "104 allowed for dev stages by glob": (
        "APIGW104",
        {"main.tf": STAGE.replace('"prod"\n}', '"dev-1"\n}'), "ms.tf": ms('"INFO"', extra="\n    data_trace_enabled = true")},
        {"options": {"APIGW104": {"allow_data_trace_stages": ["dev*"]}}},
        [],
    ),
    # --- APIGW105 detailed-metrics-disabled -----------------------------------------
    "105 no metrics": (
        "APIGW105", {"main.tf": STAGE, "ms.tf": ms('"INFO"')}, {},
        [("APIGW105", "aws_api_gateway_stage.prod", "main.tf", 5, 9)],
    ),
    "105 metrics on": (
        "APIGW105", {"main.tf": STAGE, "ms.tf": ms('"INFO"', extra="\n    metrics_enabled = true")}, {}, [],
    ),
    # --- APIGW106 method-settings-orphan ---------------------------------------------
    "106 name matches no stage": (
        "APIGW106", {"main.tf": STAGE, "ms.tf": ms('"INFO"', stage='"production"')}, {},
        [("APIGW106", "aws_api_gateway_method_settings.all", "ms.tf", 3, 3)],
    ),
    "106 by reference is never an orphan": (
        "APIGW106", {"main.tf": STAGE, "ms.tf": ms('"INFO"')}, {}, [],
    ),
    # --- APIGW107 method-settings-literal-stage -------------------------------------
    "107 literal stage name": (
        "APIGW107", {"main.tf": STAGE, "ms.tf": ms('"INFO"', stage='"prod"')}, {},
        [("APIGW107", "aws_api_gateway_method_settings.all", "ms.tf", 3, 3)],
    ),
    "107 literal name with depends_on is ordered": (
        "APIGW107",
        {"main.tf": STAGE, "ms.tf": ms('"INFO"', stage='"prod"').replace("\n}\n", "\n  depends_on = [aws_api_gateway_stage.prod]\n}\n")},
        {},
        [],
    ),
    "107 name through a local that refers to the stage": (
        "APIGW107",
        {"main.tf": STAGE, "ms.tf": ms('"INFO"', stage="local.stage"), "l.tf": "locals {\n  stage = aws_api_gateway_stage.prod.stage_name\n}\n"},
        {},
        [],
    ),
    # --- APIGW108 method-path-invalid --------------------------------------------------
    "108 leading slash": (
        "APIGW108", {"main.tf": STAGE, "ms.tf": ms('"INFO"', path="/pets/GET")}, {},
        [("APIGW108", "aws_api_gateway_method_settings.all", "ms.tf", 4, 4)],
    ),
    "108 lower-case method": (
        "APIGW108", {"main.tf": STAGE, "ms.tf": ms('"INFO"', path="pets/get")}, {},
        [("APIGW108", "aws_api_gateway_method_settings.all", "ms.tf", 4, 4)],
    ),
    "108 double slash": (
        "APIGW108", {"main.tf": STAGE, "ms.tf": ms('"INFO"', path="pets//GET")}, {},
        [("APIGW108", "aws_api_gateway_method_settings.all", "ms.tf", 4, 4)],
    ),
    "108 valid nested path": (
        "APIGW108", {"main.tf": STAGE, "ms.tf": ms('"INFO"', path="pets/{id}/GET")}, {}, [],
    ),
    # --- APIGW201 access-logging-missing ----------------------------------------------
    "201 no access_log_settings": (
        "APIGW201", {"main.tf": STAGE}, {},
        [("APIGW201", "aws_api_gateway_stage.prod", "main.tf", 5, 9)],
    ),
    "201 dynamic block expanding to nothing": (
        "APIGW201",
        {"main.tf": API + """
variable "access_log" {
  type    = list(object({ arn = string }))
  default = []
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d1"
  stage_name    = "prod"
  dynamic "access_log_settings" {
    for_each = var.access_log
    content {
      destination_arn = access_log_settings.value.arn
      format          = "$context.requestId"
    }
  }
}
"""},
        {},
        [("APIGW201", "aws_api_gateway_stage.prod", "main.tf", 10, 21)],
    ),
    "201 dynamic block expanding to one": (
        "APIGW201",
        {"main.tf": API + """
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d1"
  stage_name    = "prod"
  dynamic "access_log_settings" {
    for_each = { main = "arn:aws:logs:eu-west-1:123456789012:log-group:access" }
    content {
      destination_arn = access_log_settings.value
      format          = "$context.requestId"
    }
  }
}
"""},
        {},
        [],
    ),
    "201 for_each over a map gives one finding per instance": (
        "APIGW201",
        {"main.tf": API + """
resource "aws_api_gateway_stage" "s" {
  for_each      = { prod = "d1", test = "d2" }
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = each.value
  stage_name    = each.key
}
"""},
        {},
        [
            ("APIGW201", 'aws_api_gateway_stage.s["prod"]', "main.tf", 5, 10),
            ("APIGW201", 'aws_api_gateway_stage.s["test"]', "main.tf", 5, 10),
        ],
    ),
    "201 count gives indexed instances": (
        "APIGW201",
        {"main.tf": API + """
resource "aws_api_gateway_stage" "s" {
  count         = 2
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d${count.index}"
  stage_name    = "s${count.index}"
}
"""},
        {},
        [
            ("APIGW201", "aws_api_gateway_stage.s[0]", "main.tf", 5, 10),
            ("APIGW201", "aws_api_gateway_stage.s[1]", "main.tf", 5, 10),
        ],
    ),
    "201 Terraform JSON syntax: an access_log_settings object is the block": (
        "APIGW201",
        {"main.tf.json": """\
{
  "resource": {
    "aws_api_gateway_stage": {
      "with": {
        "rest_api_id": "a1",
        "deployment_id": "d1",
        "stage_name": "with",
        "access_log_settings": {
          "destination_arn": "arn:aws:logs:eu-west-1:123456789012:log-group:access",
          "format": "$context.requestId"
        }
      },
      "without": {
        "rest_api_id": "a1",
        "deployment_id": "d1",
        "stage_name": "without"
      }
    }
  }
}
"""},
        {},
        [("APIGW201", "aws_api_gateway_stage.without", "main.tf.json", 13, 17)],
    ),
}

# for_each chained over resources: each.value is the resource instance, so each.value.id
# is still a reference and method settings link to their stage by reference.
CHAINED = """\
resource "aws_api_gateway_rest_api" "api" {
  for_each = toset(["orders", "pets"])
  name     = each.key
}

resource "aws_api_gateway_stage" "s" {
  for_each      = aws_api_gateway_rest_api.api
  rest_api_id   = each.value.id
  deployment_id = "d1"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "m" {
  for_each    = aws_api_gateway_stage.s
  rest_api_id = each.value.rest_api_id
  stage_name  = each.value.stage_name
  method_path = "*/*"
  settings {
    logging_level = each.key == "pets" ? "ERROR" : "INFO"
  }
}
"""

CASES.update({
    "chained for_each links by reference (no 107)": ("APIGW107", {"main.tf": CHAINED}, {}, []),
    "chained for_each links each stage to its own settings (no 106)": ("APIGW106", {"main.tf": CHAINED}, {}, []),
    "chained for_each: one level per instance": (
        "APIGW102", {"main.tf": CHAINED}, {},
        [("APIGW102", 'aws_api_gateway_method_settings.m["pets"]', "main.tf", 19, 19)],
    ),
    "chained for_each: both stages logged": ("APIGW101", {"main.tf": CHAINED}, {}, []),
})


@pytest.mark.parametrize("rule_id, files, kwargs, expected", CASES.values(), ids=CASES.keys())
def test_rule(lint, rule_id, files, kwargs, expected):
    assert pinned(lint(files, **kwargs), rule_id) == expected


def test_chained_for_each_findings_are_certain(lint):
    result = lint({"main.tf": CHAINED})
    assert [(f.rule_id, f.address, f.certain) for f in result.findings if f.rule_id == "APIGW102"] == [
        ("APIGW102", 'aws_api_gateway_method_settings.m["pets"]', True),
    ]


def test_a_method_path_known_only_after_apply_may_be_stage_wide(lint):
    """SPEC §4: a rule never guesses a definite answer from an Unknown. Method settings
    whose method_path is unknown may be the stage-wide ones or a per-method override."""
    variable = 'variable "path" {\n  type = string\n}\n'
    settings = ms('"ERROR"').replace('method_path = "*/*"', "method_path = var.path")
    result = lint({"main.tf": STAGE, "ms.tf": settings, "vars.tf": variable})
    found = [(f.rule_id, f.address, f.line, f.certain) for f in result.findings if f.rule_id in ("APIGW101", "APIGW102", "APIGW103")]
    assert sorted(found) == [
        ("APIGW101", "aws_api_gateway_stage.prod", 5, False),  # no settings certainly "*/*"
        ("APIGW102", "aws_api_gateway_method_settings.all", 6, False),  # if it is "*/*", ERROR is below INFO
    ]
    weaker = ms('"OFF"', path="x").replace('method_path = "x"', "method_path = var.path").replace('"all"', '"pets"')
    result = lint({"main.tf": STAGE, "ms.tf": ms('"INFO"'), "pets.tf": weaker, "vars.tf": variable})
    found = [(f.rule_id, f.address, f.line, f.certain, f.message) for f in result.findings if f.rule_id in ("APIGW101", "APIGW103")]
    assert found == [(
        "APIGW103", "aws_api_gateway_method_settings.pets", 6, False,
        'method settings for a method_path known only after apply set logging_level "OFF", below the stage-wide level: '
        "requests to this method are not logged as the rest of the stage",
    )]


MAYBE = 'data "aws_availability_zones" "a" {}\n'
MAYBE_COUNT = "count = length(data.aws_availability_zones.a.names) > 0 ? 1 : 0\n  "


def test_settings_and_an_account_that_may_not_exist_decide_nothing_for_certain(lint):
    """SPEC §4 Instances: an unknown count gives an instance that may not exist, so what
    depends on its existence is uncertain, both ways."""
    account = ACCOUNT.replace("cloudwatch_role_arn", MAYBE_COUNT + "cloudwatch_role_arn")
    settings = ms('"INFO"', extra="\n    metrics_enabled = true").replace("rest_api_id", MAYBE_COUNT + "rest_api_id", 1)
    result = lint({"main.tf": STAGE, "ms.tf": settings, "account.tf": account, "data.tf": MAYBE})
    found = [(f.rule_id, f.address, f.line, f.certain) for f in result.findings if f.rule_id in ("APIGW001", "APIGW101", "APIGW105")]
    assert sorted(found) == [
        ("APIGW001", "aws_api_gateway_method_settings.all", 7, False),  # the account may not exist
        ("APIGW101", "aws_api_gateway_stage.prod", 5, False),  # the "*/*" settings may not exist
        ("APIGW105", "aws_api_gateway_stage.prod", 5, False),
    ]
    # With both certain to exist, none of the three.
    result = lint({"main.tf": STAGE, "ms.tf": ms('"INFO"', extra="\n    metrics_enabled = true"), "account.tf": ACCOUNT})
    assert [f.rule_id for f in result.findings if f.rule_id in ("APIGW001", "APIGW101", "APIGW105")] == []
