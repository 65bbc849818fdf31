"""Output that input cannot forge (issue 10): names, values, messages and file names from an
untrusted repository, in every format, through the whole pipeline."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from tf_apigw_lint.cli import main

# A stage name (HCL escapes) that tries, in turn: a new line holding a GitHub workflow
# command, GitHub's own escape, markup, the end of an XML CDATA section, an ANSI colour and
# a right-to-left override.
STAGE_NAME = "prod\n::error file=x.tf::forged %0A <script>]]> \x1b[31mred\u202e"
STAGE = f"""\
resource "aws_api_gateway_stage" "s" {{
  rest_api_id   = "a"
  deployment_id = "d"
  stage_name    = {json.dumps(STAGE_NAME)}
}}
"""
# A resource name only JSON syntax can write, in a file whose name is hostile as well.
RESOURCE_NAME = "a\x1b[31m\n::warning::x"
JSON_FILE = "ev,il%0A\x1b[2J.tf.json"
JSON_STAGE = json.dumps({"resource": {"aws_api_gateway_stage": {RESOURCE_NAME: {
    "rest_api_id": "a", "deployment_id": "d", "stage_name": "[click](https://evil.example)",
}}}})
FILES = {"main.tf": STAGE, JSON_FILE: JSON_STAGE}

JSON_ADDRESS = f"aws_api_gateway_stage.{RESOURCE_NAME}"
MESSAGE = f'execution logging of stage "{STAGE_NAME}" is OFF: no method settings with method_path "*/*" applies to it'
LINK_MESSAGE = 'execution logging of stage "[click](https://evil.example)" is OFF: no method settings with method_path "*/*" applies to it'
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202e]")


def report(tf_tree, capsys, fmt):
    tf_tree(FILES)
    assert main([".", "--select", "APIGW101", "--format", fmt, "--color", "never"]) == 1
    return capsys.readouterr().out


def test_the_hostile_values_reach_the_findings(lint):
    result = lint(FILES, disabled=("APIGW105", "APIGW201"))
    assert sorted((f.rule_id, f.address, f.path, f.line, f.end_line, f.message) for f in result.findings) == [
        ("APIGW101", JSON_ADDRESS, JSON_FILE, 1, 1, LINK_MESSAGE),
        ("APIGW101", "aws_api_gateway_stage.s", "main.tf", 1, 5, MESSAGE),
    ]


def test_text_shows_control_characters_as_escapes(tf_tree, capsys):
    out = report(tf_tree, capsys, "text")

    assert not RAW_CONTROL.search(out)
    assert out.splitlines()[:2] == [
        "ev,il%0A\\x1b[2J.tf.json:1:41: error APIGW101 execution-logging-off " + LINK_MESSAGE,
        "  resource: aws_api_gateway_stage.a\\x1b[31m\\n::warning::x",
    ]
    assert out.splitlines()[5] == (
        'main.tf:1:1: error APIGW101 execution-logging-off execution logging of stage '
        '"prod\\n::error file=x.tf::forged %0A <script>]]> \\x1b[31mred\\u202e" is OFF: '
        'no method settings with method_path "*/*" applies to it'
    )


def test_github_commands_cannot_be_forged(tf_tree, capsys):
    out = report(tf_tree, capsys, "github")

    assert not RAW_CONTROL.search(out)
    assert out.splitlines() == [
        "::error file=ev%2Cil%250A\\x1b[2J.tf.json,line=1,endLine=1,col=41,endColumn=159,"
        f"title=APIGW101 execution-logging-off::{LINK_MESSAGE}",
        "::error file=main.tf,line=1,endLine=5,col=1,endColumn=2,title=APIGW101 execution-logging-off::"
        'execution logging of stage "prod%0A::error file=x.tf::forged %250A <script>]]> \\x1b[31mred\\u202e" is OFF: '
        'no method settings with method_path "*/*" applies to it',
    ]


def test_junit_is_well_formed_xml_holding_the_text(tf_tree, capsys):
    out = report(tf_tree, capsys, "junit")

    assert not RAW_CONTROL.search(out)
    suite = ET.fromstring(out)  # raises on a control character XML 1.0 cannot hold
    cases = [(case.get("name"), case.get("file")) for case in suite.iter("testcase")]
    assert cases == [
        ("aws_api_gateway_stage.a\\x1b[31m\\n::warning::x", "ev,il%0A\\x1b[2J.tf.json"),
        ("aws_api_gateway_stage.s", "main.tf"),
    ]
    failure = suite.find("testcase[2]/failure")
    assert failure.text.splitlines()[0] == (
        'main.tf:1:1: error execution logging of stage "prod\\n::error file=x.tf::forged %0A <script>]]> '
        '\\x1b[31mred\\u202e" is OFF: no method settings with method_path "*/*" applies to it'
    )
    assert "<script>" not in out and "]]>" not in out.split("?>", 1)[1]


def test_json_keeps_exact_values_as_escaped_strings(tf_tree, capsys):
    out = report(tf_tree, capsys, "json")

    assert not RAW_CONTROL.search(out)
    assert all(line.startswith(" ") or line in "{}" for line in out.splitlines())  # no forged line
    findings = json.loads(out)["findings"]
    assert [(f["path"], f["address"], f["addresses"], f["message"]) for f in findings] == [
        (JSON_FILE, JSON_ADDRESS, [JSON_ADDRESS], LINK_MESSAGE),
        ("main.tf", "aws_api_gateway_stage.s", ["aws_api_gateway_stage.s"], MESSAGE),
    ]


def test_sarif_is_valid_and_plants_no_link(tf_tree, capsys, sarif_validator):
    out = report(tf_tree, capsys, "sarif")

    assert not RAW_CONTROL.search(out)
    log = json.loads(out)
    assert list(sarif_validator.iter_errors(log)) == []
    results = log["runs"][0]["results"]
    assert [result["message"]["text"] for result in results] == [
        LINK_MESSAGE.replace("[click]", "\\[click\\]"),
        MESSAGE.replace("]]>", "\\]\\]>").replace("[31m", "\\[31m"),
    ]
    assert [result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] for result in results] == [
        JSON_ADDRESS, "aws_api_gateway_stage.s",
    ]


def test_error_messages_name_hostile_files_without_forging_lines(tf_tree, capsys):
    hostile = "vars\n::error::x/\x1b[2Jprod.tfvars"
    tf_tree({"main.tf": STAGE, hostile: 'a = "b"\n'})
    assert main(["pre-commit", hostile]) == 0
    assert capsys.readouterr().err == (
        "tf-apigw-lint: vars\\n::error::x/\\x1b[2Jprod.tfvars: "
        "not in a Terraform module directory of the repository, not analysed\n"
    )

    assert main(["missing\n::error::forged\x1b[2J"]) == 2
    err = capsys.readouterr().err
    assert err == "tf-apigw-lint: missing\\n::error::forged\\x1b[2J: no such file or directory\n"
