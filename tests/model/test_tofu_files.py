"""OpenTofu files: `*.tofu` / `*.tofu.json` are read like `*.tf` / `*.tf.json`, and a
`x.tofu` (`x.tofu.json`) replaces `x.tf` (`x.tf.json`) of the same module directory."""

from __future__ import annotations

import os

from tf_apigw_lint.model.sources import module_file_names


def pinned(result, rule_id):
    # tests/model/conftest.py shadows the top-level conftest module, so not imported from there.
    return sorted((f.rule_id, f.address, f.path, f.line, f.end_line) for f in result.findings if f.rule_id == rule_id)


def write_tree(root, files):
    for name, text in files.items():
        (root / name).write_text(text)

NO_ACCESS_LOG = """\
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"
}
"""

WITH_ACCESS_LOG = """\
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"

  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/apigw/prod"
    format          = "$context.requestId"
  }
}
"""

NO_ACCESS_LOG_JSON = """\
{"resource": {"aws_api_gateway_stage": {"prod": {
  "rest_api_id": "a1b2c3",
  "deployment_id": "d1",
  "stage_name": "prod"
}}}}
"""

WITH_ACCESS_LOG_JSON = """\
{"resource": {"aws_api_gateway_stage": {"prod": {
  "rest_api_id": "a1b2c3",
  "deployment_id": "d1",
  "stage_name": "prod",
  "access_log_settings": {
    "destination_arn": "arn:aws:logs:eu-west-1:123456789012:log-group:/apigw/prod",
    "format": "$context.requestId"
  }
}}}}
"""


def test_tofu_replaces_tf_of_the_same_name(tmp_path):
    write_tree(tmp_path, {name: "" for name in (
        "a.tf", "a.tofu", "b.tf", "c.tf.json", "c.tofu.json", "d.tofu.json", "e.tofu",
        "override.tf", "override.tofu", "x_override.tf", ".hidden.tofu", "notes.tofu.txt",
    )})
    assert module_file_names(str(tmp_path)) == [
        "a.tofu", "b.tf", "c.tofu.json", "d.tofu.json", "e.tofu", "override.tofu", "x_override.tf",
    ]


def test_tofu_does_not_replace_tf_json_nor_the_other_way_round(tmp_path):
    write_tree(tmp_path, {"a.tf.json": "{}", "a.tofu": "", "b.tofu.json": "{}", "b.tf": ""})
    assert module_file_names(str(tmp_path)) == ["a.tf.json", "a.tofu", "b.tf", "b.tofu.json"]


def test_tofu_file_is_analysed_and_reported(lint):
    result = lint({"main.tofu": NO_ACCESS_LOG})
    assert pinned(result, "APIGW201") == [("APIGW201", "aws_api_gateway_stage.prod", "main.tofu", 1, 5)]


def test_tf_file_shadowed_by_tofu_file_is_not_analysed(lint):
    result = lint({"main.tf": NO_ACCESS_LOG, "main.tofu": WITH_ACCESS_LOG})
    assert pinned(result, "APIGW201") == []
    assert sorted(os.path.basename(f.path) for f in result.model.files) == ["main.tofu"]


def test_tofu_shadowing_works_the_other_way_too(lint):
    result = lint({"main.tf": WITH_ACCESS_LOG, "main.tofu": NO_ACCESS_LOG})
    assert pinned(result, "APIGW201") == [("APIGW201", "aws_api_gateway_stage.prod", "main.tofu", 1, 5)]


def test_tofu_json_is_read_and_replaces_tf_json(lint):
    result = lint({"stage.tf.json": WITH_ACCESS_LOG_JSON, "stage.tofu.json": NO_ACCESS_LOG_JSON})
    assert pinned(result, "APIGW201") == [("APIGW201", "aws_api_gateway_stage.prod", "stage.tofu.json", 1, 5)]


def test_directory_with_only_tofu_files_is_a_root(lint):
    result = lint({"envs/prod/main.tofu": NO_ACCESS_LOG})
    assert pinned(result, "APIGW201") == [("APIGW201", "aws_api_gateway_stage.prod", "envs/prod/main.tofu", 1, 5)]


def test_tofu_override_file_is_merged(lint):
    override = 'resource "aws_api_gateway_stage" "prod" {\n  stage_name = "dev"\n}\n'
    result = lint({"main.tofu": WITH_ACCESS_LOG.replace('"$context.requestId"', '"$context.status"'),
                   "main_override.tofu": override})
    # The format problem stays where it is written; the override changes the stage name.
    assert pinned(result, "APIGW203") == [("APIGW203", "aws_api_gateway_stage.prod", "main.tofu", 8, 8)]
    assert [f.message for f in result.findings if f.rule_id == "APIGW101"] == ['execution logging of stage "dev" is OFF: no method settings with method_path "*/*" applies to it']


def test_tofu_files_of_a_called_module_replace_its_tf_files(lint):
    result = lint({
        "main.tf": 'module "api" {\n  source = "./modules/api"\n}\n',
        "modules/api/main.tf": WITH_ACCESS_LOG,
        "modules/api/main.tofu": NO_ACCESS_LOG,
    })
    assert pinned(result, "APIGW201") == [("APIGW201", "module.api.aws_api_gateway_stage.prod", "modules/api/main.tofu", 1, 5)]
