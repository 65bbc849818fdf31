"""Bounds of the model: `for_each` over 10⁵ keys, on resources and on a module (10⁴ unless
slow tests run), and a local module chain 100 deep are analysed in full, in seconds; a chain too deep to evaluate (past about
1,000 levels, `model/recursion.py`) gives Unknown values, never a RecursionError. Inputs are
generated, not stored."""

from __future__ import annotations

import json

import pytest
from lint_helpers import per_address

from tf_apigw_lint.model.build import BuildOptions
from tf_apigw_lint.model.recursion import with_deep_stack
from tf_apigw_lint.runner import CheckOptions, run_check

FOR_EACH = """\
variable "keys" {
  type = list(string)
}

resource "aws_cloudwatch_log_group" "g" {
  for_each = toset(var.keys)
  name     = "/aws/apigateway/${each.key}"
}

resource "aws_api_gateway_stage" "s" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.g["k99999"].arn
    format          = "$context.requestId"
  }
}
"""


def found(result, rule_id):
    return sorted((f.rule_id, address, f.path, f.line, f.end_line, f.message) for f, address in per_address(result.findings) if f.rule_id == rule_id)


@pytest.mark.parametrize("keys", [10_000, pytest.param(100_000, marks=pytest.mark.slow)])
def test_for_each_over_many_keys(tf_tree, keys):
    last = f"k{keys - 1}"
    tf_tree({"main.tf": FOR_EACH.replace("k99999", last), "terraform.tfvars.json": json.dumps({"keys": [f"k{i}" for i in range(keys)]})})
    result = run_check(["."], CheckOptions(build=BuildOptions()))
    (configuration,) = result.model.configurations
    groups = configuration.resources("aws_cloudwatch_log_group")
    assert (len(groups), groups[0].address, groups[-1].address) == (keys, 'aws_cloudwatch_log_group.g["k0"]', f'aws_cloudwatch_log_group.g["{last}"]')
    # Only the group the stage logs to is an access-log group.
    assert found(result, "APIGW205") == [(
        "APIGW205", f'aws_cloudwatch_log_group.g["{last}"]', "main.tf", 5, 8,
        f'access-log group aws_cloudwatch_log_group.g["{last}"] has no retention_in_days: its logs never expire',
    )]


MODULE_FOR_EACH = """\
variable "keys" {
  type = list(string)
}

module "api" {
  source   = "./api"
  for_each = toset(var.keys)
  name     = each.key
}
"""

API_MODULE = 'variable "name" {}\n\nresource "aws_api_gateway_stage" "s" {\n  rest_api_id   = "a1"\n  deployment_id = "d1"\n  stage_name    = var.name\n}\n'


@pytest.mark.parametrize("keys", [10_000, pytest.param(100_000, marks=pytest.mark.slow)])
def test_module_for_each_over_many_keys(tf_tree, keys):
    tf_tree({"main.tf": MODULE_FOR_EACH, "api/main.tf": API_MODULE, "terraform.tfvars.json": json.dumps({"keys": [f"k{i}" for i in range(keys)]})})
    result = run_check(["."], CheckOptions(build=BuildOptions()))
    (configuration,) = result.model.configurations
    assert (len(configuration.modules), configuration.modules[-1].address) == (keys + 1, f'module.api["k{keys - 1}"]')
    # One mistake, one finding: every instance's address on it.
    (finding,) = [f for f in result.findings if f.rule_id == "APIGW201"]
    assert (finding.path, finding.line, len(finding.addresses), finding.addresses[-1]) == (
        "api/main.tf", 3, keys, f'module.api["k{keys - 1}"].aws_api_gateway_stage.s',
    )


def module_chain(depth: int) -> dict[str, str]:
    """root → m0 → … → m<depth-1>: the name "prod" is passed down as a variable to a stage
    at the bottom, whose name comes back up through every module's output to a stage at
    the top."""
    files = {
        "root/main.tf": 'module "m" {\n  source = "../m0"\n  name   = "prod"\n}\n\n'
                        'resource "aws_api_gateway_stage" "top" {\n  rest_api_id   = "a1"\n  deployment_id = "d1"\n  stage_name    = module.m.name\n}\n',
    }
    for level in range(depth - 1):
        files[f"m{level}/main.tf"] = (
            f'variable "name" {{}}\n\nmodule "m" {{\n  source = "../m{level + 1}"\n  name   = var.name\n}}\n\n'
            'output "name" {\n  value = module.m.name\n}\n'
        )
    files[f"m{depth - 1}/main.tf"] = (
        'variable "name" {}\n\nresource "aws_api_gateway_stage" "bottom" {\n  rest_api_id   = "a1"\n  deployment_id = "d1"\n'
        '  stage_name    = var.name\n}\n\noutput "name" {\n  value = aws_api_gateway_stage.bottom.stage_name\n}\n'
    )
    return files


def off(address: str, path: str, line: int, name: str):
    return ("APIGW101", address, path, line, line + 4,
            f'execution logging of stage {name} is OFF: no method settings with method_path "*/*" applies to it')


def test_module_chain_a_hundred_deep(tf_tree):
    tf_tree(module_chain(100))
    result = run_check(["."], CheckOptions(build=BuildOptions()))
    (configuration,) = result.model.configurations
    bottom = "module.m" + ".module.m" * 99 + ".aws_api_gateway_stage.bottom"
    assert len(configuration.modules) == 101
    # Both names are known ("prod"): down the chain through variables, up through outputs.
    assert found(result, "APIGW101") == [
        off("aws_api_gateway_stage.top", "root/main.tf", 6, '"prod"'),
        off(bottom, "m99/main.tf", 3, '"prod"'),
    ]
    assert found(result, "TFL003") == []


@pytest.mark.slow
def test_module_chain_too_deep_to_evaluate_is_unknown_not_a_crash(tf_tree):
    tf_tree(module_chain(2_000))
    result = run_check(["."], CheckOptions(build=BuildOptions()))
    (top,) = [c.resource("aws_api_gateway_stage.top") for c in result.model.configurations]
    assert top.attr("stage_name").reason == "expression nested too deeply to evaluate"
    assert ("APIGW101", "aws_api_gateway_stage.top", "root/main.tf", 6) in [f[:4] for f in found(result, "APIGW101")]


def test_deep_stack_gives_its_result_and_its_exception():
    def depth(n: int) -> int:
        return 0 if n == 0 else 1 + depth(n - 1)

    assert with_deep_stack(lambda: depth(10_000)) == 10_000
    with pytest.raises(RecursionError):
        with_deep_stack(lambda: depth(100_000))
