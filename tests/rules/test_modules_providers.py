"""Modules, provider aliases and account settings (APIGW001), tool findings (TFL001,
TFL003, TFL004) and certainty."""

from __future__ import annotations

import json

import pytest
from lint_helpers import per_address, pinned

from tf_apigw_lint.rules import RULES
from tf_apigw_lint.rules.engine import run_rules

MODULE = {
    "modules/api/variables.tf": """\
variable "name" {
  type = string
}

variable "level" {
  type    = string
  default = "INFO"
}
""",
    "modules/api/main.tf": """\
resource "aws_api_gateway_rest_api" "this" {
  name = var.name
}

resource "aws_api_gateway_stage" "this" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  deployment_id = "d1"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"
  settings {
    logging_level = var.level
  }
}

output "stage" {
  value = aws_api_gateway_stage.this.stage_name
}
""",
}

ACCOUNT = """\
provider "aws" {
  region = "eu-west-1"
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/apigw-logs"
}
"""


def test_local_module_called_twice_with_different_inputs(lint):
    result = lint({
        **MODULE,
        "main.tf": ACCOUNT + """
module "orders" {
  source = "./modules/api"
  name   = "orders"
}

module "pets" {
  source = "./modules/api"
  name   = "pets"
  level  = "ERROR"
}
""",
    })
    assert pinned(result, "APIGW102") == [
        ("APIGW102", "module.pets.aws_api_gateway_method_settings.all", "modules/api/main.tf", 16, 16),
    ]
    assert pinned(result, "APIGW001") == []
    # The module directory is analysed through its callers, not as a root of its own.
    assert [c.root_dir for c in result.model.configurations] == [str(result.model.configurations[0].root_dir)]
    assert result.summary.modules == 2


def test_module_for_each_over_a_map(lint):
    result = lint({
        **MODULE,
        "main.tf": ACCOUNT + """
module "api" {
  source   = "./modules/api"
  for_each = { orders = "INFO", pets = "OFF" }
  name     = each.key
  level    = each.value
}
""",
    })
    assert pinned(result, "APIGW101") == [
        ("APIGW101", 'module.api["pets"].aws_api_gateway_stage.this', "modules/api/main.tf", 5, 9),
    ]
    assert pinned(result, "APIGW201") == [
        ("APIGW201", 'module.api["orders"].aws_api_gateway_stage.this', "modules/api/main.tf", 5, 9),
        ("APIGW201", 'module.api["pets"].aws_api_gateway_stage.this', "modules/api/main.tf", 5, 9),
    ]


def test_module_output_used_as_stage_name_links_by_reference(lint):
    result = lint({
        **MODULE,
        "main.tf": ACCOUNT + """
module "api" {
  source = "./modules/api"
  name   = "orders"
}

resource "aws_api_gateway_method_settings" "pets" {
  rest_api_id = "unused"
  stage_name  = module.api.stage
  method_path = "pets/GET"
  settings {
    logging_level = "ERROR"
  }
}
""",
    })
    assert pinned(result, "APIGW107") == []
    assert pinned(result, "APIGW103") == [
        ("APIGW103", "aws_api_gateway_method_settings.pets", "main.tf", 19, 19),
    ]


def test_provider_alias_without_account_settings(lint):
    result = lint({
        "main.tf": ACCOUNT + """
provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

resource "aws_api_gateway_method_settings" "us" {
  provider    = aws.us
  rest_api_id = "a1"
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
}
""",
    })
    assert pinned(result, "APIGW001") == [
        ("APIGW001", "aws_api_gateway_method_settings.us", "main.tf", 20, 20),
    ]
    finding = next(f for f in result.findings if f.rule_id == "APIGW001")
    assert finding.certain and "aws.us" in finding.message


def test_module_receiving_an_aliased_provider(lint):
    result = lint({
        **MODULE,
        "main.tf": ACCOUNT + """
provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

module "eu" {
  source = "./modules/api"
  name   = "eu"
}

module "us" {
  source    = "./modules/api"
  name      = "us"
  providers = {
    aws = aws.us
  }
}
""",
    })
    assert pinned(result, "APIGW001") == [
        ("APIGW001", "module.us.aws_api_gateway_method_settings.all", "modules/api/main.tf", 16, 16),
    ]


def test_alias_with_the_same_region_shares_the_account(lint):
    result = lint({
        "main.tf": ACCOUNT + """
provider "aws" {
  alias  = "again"
  region = "eu-west-1"
}

resource "aws_api_gateway_method_settings" "x" {
  provider    = aws.again
  rest_api_id = "a1"
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
}
""",
    })
    assert pinned(result, "APIGW001") == []


def test_account_role_external_option(lint):
    files = {"main.tf": """\
resource "aws_api_gateway_method_settings" "x" {
  rest_api_id = "a1"
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
}
"""}
    assert pinned(lint(files), "APIGW001") == [("APIGW001", "aws_api_gateway_method_settings.x", "main.tf", 6, 6)]
    assert pinned(lint(files, options={"APIGW001": {"account_role": "external"}}), "APIGW001") == []
    assert pinned(lint(files, options={"APIGW001": {"account_role": {"aws": "external"}}}), "APIGW001") == []


def test_unknown_region_makes_account_match_uncertain(lint):
    result = lint({"main.tf": """\
variable "region" {
  type = string
}

provider "aws" {
  alias  = "other"
  region = var.region
}

resource "aws_api_gateway_account" "this" {
  provider            = aws.other
  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/apigw-logs"
}

resource "aws_api_gateway_method_settings" "x" {
  rest_api_id = "a1"
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
}
"""})
    (finding,) = [f for f in result.findings if f.rule_id == "APIGW001"]
    assert (finding.address, finding.line, finding.certain, finding.severity.value) == (
        "aws_api_gateway_method_settings.x", 20, False, "note")


def test_unknown_for_each_gives_one_uncertain_instance(lint):
    result = lint({"main.tf": """\
variable "stages" {
  type = set(string)
}

resource "aws_api_gateway_stage" "s" {
  for_each      = var.stages
  rest_api_id   = "a1"
  deployment_id = "d1"
  stage_name    = each.key
}
"""}, strict=True)
    (finding,) = [f for f in result.findings if f.rule_id == "APIGW201"]
    assert (finding.address, finding.line, finding.end_line, finding.certain, finding.severity.value) == (
        "aws_api_gateway_stage.s", 5, 10, False, "error")


def test_parse_error_is_tfl001_and_other_files_still_analysed(lint):
    result = lint({
        "broken.tf": 'resource "aws_api_gateway_stage" "x" {\n  stage_name = \n}\n',
        "main.tf": 'resource "aws_api_gateway_stage" "ok" {\n  rest_api_id = "a"\n  deployment_id = "d"\n  stage_name = "s"\n}\n',
    })
    assert pinned(result, "TFL001") == [("TFL001", None, "broken.tf", 2, 2)]
    assert pinned(result, "APIGW201") == [("APIGW201", "aws_api_gateway_stage.ok", "main.tf", 1, 5)]
    assert result.fails("note") and result.fails("error")
    assert not result.fails("never")


@pytest.mark.parametrize("content, line", [
    (b"\x00\x01binary", 1),
    (b'resource "a" "b" {\n  x = "\xff"\n}\n', 2),
])
def test_unreadable_content_is_tfl001(lint, content, line):
    result = lint({"bad.tf": content}, exhaustive=True)
    assert pinned(result, "TFL001") == [("TFL001", None, "bad.tf", line, line)]


def test_empty_file_is_fine(lint):
    result = lint({"empty.tf": ""}, exhaustive=True)
    assert result.findings == []
    assert result.summary.files == 1


def test_missing_local_module_is_tfl003_once(lint):
    result = lint({"main.tf": """\
module "a" {
  source = "./nope"
  count  = 2
}

output "x" {
  value = module.a[0].anything
}
"""}, exhaustive=True)
    assert pinned(result, "TFL003") == [("TFL003", "module.a", "main.tf", 2, 2)]


def test_remote_module_not_installed_is_tfl003(lint):
    result = lint({"main.tf": 'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n}\n'}, exhaustive=True)
    (finding,) = result.findings
    assert (finding.rule_id, finding.line) == ("TFL003", 2)
    assert "terraform init" in finding.message


def test_remote_module_installed_by_terraform_init_is_analysed(lint):
    manifest = {"Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "api", "Source": "registry.terraform.io/acme/api/aws", "Version": "1.0.0", "Dir": ".terraform/modules/api"},
    ]}
    files = {
        "main.tf": 'module "api" {\n  source = "acme/api/aws"\n  name   = "x"\n}\n',
        ".terraform/modules/modules.json": json.dumps(manifest),
        ".terraform/modules/api/main.tf": MODULE["modules/api/main.tf"],
        ".terraform/modules/api/variables.tf": MODULE["modules/api/variables.tf"],
    }
    result = lint(files)
    assert pinned(result, "APIGW201") == [
        ("APIGW201", "module.api.aws_api_gateway_stage.this", ".terraform/modules/api/main.tf", 5, 9),
    ]


def test_module_that_calls_itself_is_reported_not_looped(lint):
    result = lint({
        "main.tf": 'module "a" {\n  source = "./a"\n}\n',
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
    }, exhaustive=True)
    assert pinned(result, "TFL003") == [("TFL003", "module.a.module.b.module.a", "b/main.tf", 2, 2)]


def test_directories_in_a_cycle_only_are_still_analysed(lint):
    result = lint({
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\n\nresource "aws_api_gateway_stage" "a" {\n  stage_name = "a"\n}\n',
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
    })
    assert ("APIGW201", "aws_api_gateway_stage.a", "a/main.tf", 5, 7) in pinned(result)


def test_crashing_rule_is_tfl004_and_others_still_run(lint):
    result = lint({"main.tf": 'resource "aws_api_gateway_stage" "s" {\n  stage_name = "s"\n}\n'})

    class Broken:
        ID, NAME = "APIGW999", "broken"
        SEVERITY = RULES[0].SEVERITY
        TITLE = FIX = "broken"

        @staticmethod
        def check(model, options):
            raise ValueError("boom")

    findings = run_rules(result.model, (Broken, *RULES), {})
    crash = [f for f in findings if f.rule_id == "TFL004"]
    assert len(crash) == 1 and "APIGW999" in crash[0].message and "boom" in crash[0].message
    assert any(f.rule_id == "APIGW201" for f in findings)


def test_override_file_replaces_attributes(lint):
    result = lint({
        "main.tf": 'resource "aws_api_gateway_method_settings" "m" {\n  rest_api_id = "a"\n  stage_name = "s"\n  method_path = "/bad"\n}\n',
        "main_override.tf": 'resource "aws_api_gateway_method_settings" "m" {\n  method_path = "*/*"\n}\n',
    })
    assert pinned(result, "APIGW108") == []


def test_workspace_option_and_environment(lint):
    files = {"main.tf": """\
resource "aws_api_gateway_method_settings" "m" {
  rest_api_id = "a"
  stage_name  = "s"
  method_path = terraform.workspace == "prod" ? "*/*" : "/bad"
}
"""}
    assert pinned(lint(files), "APIGW108") == [("APIGW108", "aws_api_gateway_method_settings.m", "main.tf", 4, 4)]
    assert pinned(lint(files, workspace="prod"), "APIGW108") == []
    assert pinned(lint(files, environ={"TF_WORKSPACE": "prod"}), "APIGW108") == []


def test_unreadable_file_is_tfl001(lint, tf_tree):
    root = tf_tree({"main.tf": 'resource "aws_api_gateway_stage" "s" {\n  stage_name = "s"\n}\n'})
    (root / "gone.tf").symlink_to(root / "missing-target.tf")
    result = lint({})
    (finding,) = [f for f in result.findings if f.rule_id == "TFL001"]
    assert (finding.path, finding.line) == ("gone.tf", 1)
    assert pinned(result, "APIGW201") == [("APIGW201", "aws_api_gateway_stage.s", "main.tf", 1, 3)]


def test_implicit_root_provider_is_inherited_by_modules(lint):
    """No provider block at all: the root's implicit `aws` serves the module too, so the
    root's account settings cover the module's method settings."""
    result = lint({
        **MODULE,
        "main.tf": """\
resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/apigw-logs"
}

module "api" {
  source = "./modules/api"
  name   = "orders"
}
""",
    })
    assert pinned(result, "APIGW001") == []
    assert pinned(result, "APIGW004") == [
        ("APIGW004", "module.api.aws_api_gateway_method_settings.all", "modules/api/main.tf", 16, 16),
    ]


# --- AWS provider v6: a resource's own `region` argument ---------------------------------

EU_PROVIDER = 'provider "aws" {\n  region = "eu-west-1"\n}\n'


def account(name: str, region: str = "") -> str:
    """An aws_api_gateway_account of 3 lines, 4 with its own region (on its 2nd line)."""
    own = f"  region              = {region}\n" if region else ""
    return f'resource "aws_api_gateway_account" "{name}" {{\n{own}  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/logs"\n}}\n'


def method_settings(region: str = "") -> str:
    """Stage-wide method settings at INFO: `logging_level` on line 8, 9 with its own region."""
    own = f"  region      = {region}\n" if region else ""
    return ('resource "aws_api_gateway_method_settings" "all" {\n' + own +
            '  rest_api_id = "a1"\n  stage_name  = "prod"\n  method_path = "*/*"\n  settings {\n'
            '    logging_level = "INFO"\n  }\n  depends_on = [aws_api_gateway_account.eu, aws_api_gateway_account.us]\n}\n')


def found(result, rule_id):
    return sorted((f.rule_id, address, f.path, f.line, f.end_line, f.certain) for f, address in per_address(result.findings) if f.rule_id == rule_id)


OWN_REGION_CASES = {
    "005 same provider, different own regions: two account regions": (
        "APIGW005", {"main.tf": EU_PROVIDER, "accounts.tf": account("eu", '"eu-central-1"') + account("us", '"us-east-1"')}, [],
    ),
    "005 same provider, own region equal to another's": (
        "APIGW005", {"main.tf": EU_PROVIDER, "accounts.tf": account("eu", '"us-east-1"') + account("us", '"us-east-1"')},
        [("APIGW005", "aws_api_gateway_account.us", "accounts.tf", 5, 8, True)],
    ),
    "005 own region equal to the provider's: the same account region": (
        "APIGW005", {"main.tf": EU_PROVIDER, "accounts.tf": account("eu") + account("us", '"eu-west-1"')},
        [("APIGW005", "aws_api_gateway_account.us", "accounts.tf", 4, 7, True)],
    ),
    "005 own region only known after apply: maybe the same, uncertain": (
        "APIGW005", {"main.tf": EU_PROVIDER + 'variable "region" {\n  type = string\n}\n', "accounts.tf": account("eu") + account("us", "var.region")},
        [("APIGW005", "aws_api_gateway_account.us", "accounts.tf", 4, 7, False)],
    ),
    "001 method settings in its own region without an account there": (
        "APIGW001", {"main.tf": EU_PROVIDER + account("eu"), "ms.tf": method_settings('"us-east-1"')},
        [("APIGW001", "aws_api_gateway_method_settings.all", "ms.tf", 7, 7, True)],
    ),
    "001 method settings and account in the same own region": (
        "APIGW001", {"main.tf": EU_PROVIDER + account("us", '"us-east-1"'), "ms.tf": method_settings('"us-east-1"')}, [],
    ),
    "001 account in its own region does not cover the provider's region": (
        "APIGW001", {"main.tf": EU_PROVIDER + account("us", '"us-east-1"'), "ms.tf": method_settings()},
        [("APIGW001", "aws_api_gateway_method_settings.all", "ms.tf", 6, 6, True)],
    ),
    "001 own region only known after apply is uncertain": (
        "APIGW001", {"main.tf": EU_PROVIDER + account("eu") + 'variable "region" {\n  type = string\n}\n', "ms.tf": method_settings("var.region")},
        [("APIGW001", "aws_api_gateway_method_settings.all", "ms.tf", 7, 7, False)],
    ),
    "004 the account of the method settings' own region": (
        "APIGW004", {"main.tf": EU_PROVIDER + account("eu") + account("us", '"us-east-1"'),
                     "ms.tf": method_settings('"us-east-1"').replace("aws_api_gateway_account.eu, ", "")}, [],
    ),
    "004 the account of another region does not order it": (
        "APIGW004", {"main.tf": EU_PROVIDER + account("eu") + account("us", '"us-east-1"'),
                     "ms.tf": method_settings('"us-east-1"').replace(", aws_api_gateway_account.us", "")},
        [("APIGW004", "aws_api_gateway_method_settings.all", "ms.tf", 7, 7, True)],
    ),
}


@pytest.mark.parametrize("rule_id, files, expected", OWN_REGION_CASES.values(), ids=OWN_REGION_CASES.keys())
def test_own_region_argument_decides_the_account_region(lint, rule_id, files, expected):
    assert found(lint(files), rule_id) == expected


# --- `nullable = false` module inputs ------------------------------------------------------

NULLABLE_MODULE = """\
variable "level" {
  type     = string
  default  = "ERROR"
%s}

resource "aws_api_gateway_stage" "this" {
  rest_api_id   = "a1"
  deployment_id = "d1"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = "a1"
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"
  settings {
    logging_level = var.level
  }
}
"""

NULLABLE_CASES = {
    # Terraform: a non-nullable input passed null takes its default ("ERROR": APIGW102).
    "nullable = false, passed null: the default": (
        "  nullable = false\n", "null",
        [("APIGW102", "module.api.aws_api_gateway_method_settings.all", "api/main.tf", 18, 18)],
    ),
    # A nullable input (the default) passed null is null: no level, so the stage is OFF.
    "nullable by default, passed null: null": (
        "", "null", [("APIGW101", "module.api.aws_api_gateway_stage.this", "api/main.tf", 6, 10)],
    ),
    "nullable = false, passed a value: the value": ("  nullable = false\n", '"INFO"', []),
}


@pytest.mark.parametrize("nullable, given, expected", NULLABLE_CASES.values(), ids=NULLABLE_CASES.keys())
def test_non_nullable_module_input_passed_null_takes_its_default(lint, nullable, given, expected):
    result = lint({"main.tf": f'module "api" {{\n  source = "./api"\n  level  = {given}\n}}\n', "api/main.tf": NULLABLE_MODULE % nullable})
    assert pinned(result, "APIGW101") + pinned(result, "APIGW102") == expected
