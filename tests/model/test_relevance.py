"""Relevance (SPEC §4): only roots whose module tree can hold an API Gateway finding are
parsed and analysed; the API Gateway findings are the same as with --exhaustive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lint_helpers import pinned

STAGE = 'resource "aws_api_gateway_stage" "%s" {\n  rest_api_id   = "abc"\n  deployment_id = "d"\n  stage_name    = "prod"\n}\n'

# Roots of every kind relevance must tell apart.
VARIED = {
    # relevant: the stage is in the root itself
    "direct/main.tf": STAGE % "direct",
    # relevant through a local module, which a heredoc and a comment also pretend to call
    "through-module/main.tf": (
        'module "api" {\n  source = "../modules/api"\n}\n\n'
        'locals {\n  doc = <<-EOT\n    module "fake" {\n      source = "../irrelevant"\n    }\n  EOT\n}\n'
    ),
    "modules/api/main.tf": STAGE % "in_module",
    # relevant: Terraform JSON syntax
    "json/main.tf.json": json.dumps({"resource": {"aws_apigatewayv2_stage": {"json": {"api_id": "a", "name": "prod"}}}}),
    # relevant: an override file points the call at the module with the stage
    "override/main.tf": 'module "m" {\n  source = "../modules/plain"\n}\n',
    "override/main_override.tf": 'module "m" {\n  source = "../modules/api"\n}\n',
    # relevant: a remote module named after API Gateway that is not installed
    "remote/main.tf": 'module "gw" {\n  source = "cloudposse/api-gateway/aws"\n}\n',
    # relevant: an installed remote module holds the stage
    "installed/main.tf": 'module "gw" {\n  source = "acme/thing/aws"\n}\n',
    "installed/.terraform/modules/modules.json": json.dumps({"Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "gw", "Source": "registry.terraform.io/acme/thing/aws", "Dir": ".terraform/modules/gw"},
    ]}),
    "installed/.terraform/modules/gw/main.tf": STAGE % "installed",
    # relevant: the module call is ambiguous as text ("source" in a description) and is parsed
    "ambiguous/main.tf": 'module "api" {\n  source      = "../modules/api"\n  description = "single source of truth"\n}\n',
    # irrelevant: a parse error, a missing local module, a remote module that is not
    # installed, and a library module without API Gateway resources
    "irrelevant/main.tf": 'module "plain" {\n  source = "../modules/plain"\n}\nmodule "gone" {\n  source = "./gone"\n}\nmodule "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n',
    "irrelevant/broken.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n',
    # discovery parses this file (its module call is ambiguous as text), but it is not analysed
    "irrelevant/ambiguous.tf": 'module "x" {\n  source = local.where\n  name = \n}\n',
    "modules/plain/main.tf": 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n',
}

MISSING_ACCESS_LOGS = [
    ("APIGW201", "aws_api_gateway_stage.direct", "direct/main.tf", 1, 5),
    ("APIGW201", "module.api.aws_api_gateway_stage.in_module", "modules/api/main.tf", 1, 5),
    ("APIGW201", "module.gw.aws_api_gateway_stage.installed", "installed/.terraform/modules/gw/main.tf", 1, 5),
    ("APIGW201", "module.m.aws_api_gateway_stage.in_module", "modules/api/main.tf", 1, 5),
    ("APIGW301", "aws_apigatewayv2_stage.json", "json/main.tf.json", 1, 1),
]


def missing_access_logs(result):
    # as a set: two roots call modules/api as module.api (whether such findings are merged
    # into one is the report's business)
    return sorted({f for f in pinned(result) if f[0] in ("APIGW201", "APIGW301")})


def test_api_gateway_findings_are_the_same_with_and_without_exhaustive(lint):
    shortcut = lint(VARIED)
    exhaustive = lint(VARIED, exhaustive=True)
    shortcut_api = [f for f in pinned(shortcut) if f[0].startswith("APIGW")]
    assert shortcut_api == [f for f in pinned(exhaustive) if f[0].startswith("APIGW")]
    assert missing_access_logs(shortcut) == MISSING_ACCESS_LOGS


def test_tool_findings_of_irrelevant_roots_only_with_exhaustive(lint):
    shortcut = {f for f in pinned(lint(VARIED)) if f[0].startswith("TFL")}
    exhaustive = {f for f in pinned(lint(VARIED, exhaustive=True)) if f[0].startswith("TFL")}
    assert shortcut == {("TFL003", None, "remote/main.tf", 2, 2)}
    assert exhaustive - shortcut == {
        ("TFL001", None, "irrelevant/ambiguous.tf", 3, 3),
        ("TFL001", None, "irrelevant/broken.tf", 2, 2),
        ("TFL003", None, "irrelevant/main.tf", 5, 5),
        ("TFL003", None, "irrelevant/main.tf", 8, 8),
    }


def test_coverage_counts_what_was_left_out(lint):
    coverage = lint(VARIED).summary.coverage
    # analysed: direct, through-module, modules/api, json, override, remote, installed and
    # its module, ambiguous; skipped: irrelevant and modules/plain
    assert (coverage.module_directories_analysed, coverage.module_directories_skipped) == (9, 2)
    assert coverage.files_not_parsed == 4
    assert coverage.remote_modules_not_installed == 1
    complete = lint(VARIED, exhaustive=True).summary.coverage
    assert (complete.module_directories_skipped, complete.files_not_parsed, complete.remote_modules_not_installed) == (0, 0, 2)


def test_irrelevant_directories_are_never_parsed(lint, parsed_paths):
    lint(VARIED)
    assert parsed_paths, "the relevant roots were parsed"
    # only the file whose module call the text cannot tell
    assert [p for p in parsed_paths if "/irrelevant/" in p or "/modules/plain/" in p] == [
        str(Path.cwd() / "irrelevant" / "ambiguous.tf")
    ]


@pytest.mark.parametrize("source", ["git::https://example.com/team/terraform-aws-apigw.git", "acme/API_Gateway/aws", "x/ApiGateway/aws"])
def test_remote_sources_named_after_api_gateway_make_a_root_relevant(lint, source):
    result = lint({"main.tf": f'module "gw" {{\n  source = "{source}"\n}}\n'})
    assert pinned(result) == [("TFL003", None, "main.tf", 2, 2)]


def test_a_root_without_api_gateway_is_skipped_and_said_so(lint):
    result = lint({"main.tf": 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n'})
    assert result.findings == []
    assert result.model.configurations == []
    coverage = result.summary.coverage
    assert (coverage.module_directories_skipped, coverage.files_not_parsed) == (1, 1)


def test_an_unreadable_file_is_still_reported_where_its_root_is_relevant(lint, tmp_path):
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "gone.tf").symlink_to(tmp_path / "nowhere.tf")
    result = lint({"api/main.tf": STAGE % "s"})
    assert ("TFL001", None, "api/gone.tf", 1, 1) in pinned(result)
