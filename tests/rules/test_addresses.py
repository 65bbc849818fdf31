"""Addresses in findings as Terraform prints them: TFL003 names the module call
(`module.a.module.b`), instance keys keep their non-ASCII characters (`s["prüfung"]`,
`module.m["prüfung"].aws_x.y`) in the pipeline's findings and in the text and JSON
reports."""

from __future__ import annotations

import json

import pytest
from lint_helpers import pinned

from tf_apigw_lint.cli import main

MISSING = 'module "b" {\n  source = "./nope"\n}\n'

TFL003_CASES = {
    "missing local source in the root": (
        {"main.tf": MISSING},
        [("TFL003", "module.b", "main.tf", 2, 2)],
    ),
    "missing local source two modules down": (
        {"main.tf": 'module "a" {\n  source = "./a"\n}\n', "a/main.tf": MISSING},
        [("TFL003", "module.a.module.b", "a/main.tf", 2, 2)],
    ),
    "remote source not installed, under a module with for_each: one finding, every instance": (
        {"main.tf": 'module "a" {\n  source   = "./a"\n  for_each = toset(["x", "y"])\n}\n',
         "a/main.tf": 'module "b" {\n  source = "acme/api/aws"\n}\n'},
        [("TFL003", 'module.a["x"].module.b', "a/main.tf", 2, 2), ("TFL003", 'module.a["y"].module.b', "a/main.tf", 2, 2)],
    ),
    "module call with count that cannot be loaded: the call, not an instance": (
        {"main.tf": 'module "b" {\n  source = "./nope"\n  count  = 2\n}\n'},
        [("TFL003", "module.b", "main.tf", 2, 2)],
    ),
    "module cycle: the call that closes it": (
        {"main.tf": 'module "a" {\n  source = "./a"\n}\n',
         "a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
         "b/main.tf": 'module "a" {\n  source = "../a"\n}\n'},
        [("TFL003", "module.a.module.b.module.a", "b/main.tf", 2, 2)],
    ),
}


@pytest.mark.parametrize("files, expected", TFL003_CASES.values(), ids=TFL003_CASES.keys())
def test_tfl003_names_the_module_call(lint, files, expected):
    assert pinned(lint(files, exhaustive=True), "TFL003") == expected


def test_tfl003_address_in_text_and_json(tf_tree, capsys):
    tf_tree({"main.tf": 'module "a" {\n  source = "./a"\n}\n', "a/main.tf": MISSING})
    main([".", "--exhaustive", "--format", "json"])
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["rule_id"], finding["address"], finding["addresses"]) == ("TFL003", "module.a.module.b", ["module.a.module.b"])
    main([".", "--exhaustive", "--color", "never"])
    assert "  resource: module.a.module.b\n" in capsys.readouterr().out


STAGE = """\
resource "aws_api_gateway_stage" "s" {
  for_each      = toset(["prüfung"])
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = each.key
}
"""

NON_ASCII_CASES = {
    "resource instance": ({"main.tf": STAGE}, [("APIGW201", 'aws_api_gateway_stage.s["prüfung"]', "main.tf", 1, 6)]),
    "module instance": (
        {"main.tf": 'module "m" {\n  source   = "./m"\n  for_each = toset(["prüfung"])\n}\n',
         "m/main.tf": STAGE.replace('  for_each      = toset(["prüfung"])\n', "").replace("each.key", '"prod"')},
        [("APIGW201", 'module.m["prüfung"].aws_api_gateway_stage.s', "m/main.tf", 1, 5)],
    ),
    "module instance and resource instance": (
        {"main.tf": 'module "m" {\n  source   = "./m"\n  for_each = toset(["größe"])\n}\n', "m/main.tf": STAGE},
        [("APIGW201", 'module.m["größe"].aws_api_gateway_stage.s["prüfung"]', "m/main.tf", 1, 6)],
    ),
}


@pytest.mark.parametrize("files, expected", NON_ASCII_CASES.values(), ids=NON_ASCII_CASES.keys())
def test_non_ascii_instance_keys_as_terraform_prints_them(lint, files, expected):
    assert pinned(lint(files), "APIGW201") == expected


@pytest.mark.parametrize("files, expected", NON_ASCII_CASES.values(), ids=NON_ASCII_CASES.keys())
def test_non_ascii_instance_keys_in_text_and_json(tf_tree, capsys, files, expected):
    tf_tree(files)
    (_, address, *_) = expected[0]
    main([".", "--select", "APIGW201", "--format", "json"])
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["address"], finding["addresses"]) == (address, [address])
    main([".", "--select", "APIGW201", "--color", "never"])
    assert f"  resource: {address}\n" in capsys.readouterr().out
